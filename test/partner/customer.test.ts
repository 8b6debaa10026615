import type { IDataObject } from 'n8n-workflow';

import { makeCnpj, makeCpf } from '../../sandbox';
import { pfCustomer, pjCustomer, startPartner, type PartnerTestContext } from './helpers';

let t: PartnerTestContext;
beforeAll(async () => (t = await startPartner()));
afterAll(async () => await t.sandbox.close());
beforeEach(() => t.sandbox.clearLog());

const run = (
	parameters: Record<string, unknown>,
	items?: Array<Record<string, unknown>>,
	continueOnFail = false,
) =>
	t.engine.runNode({
		type: 'partnerCustomer',
		parameters: parameters as IDataObject,
		items: items as IDataObject[] | undefined,
		continueOnFail,
	});

let serial = 100;
const BANK = {
	includeBankAccount: true,
	bank: { __rl: true, mode: 'id', value: '7' },
	bankBranch: '0737',
	bankBranchDigit: '0',
	bankAccountNumber: '62902',
	bankAccountDigit: '2',
	bankAccountType: '1',
	bankAccountHolderName: 'Maya',
	bankAccountHolderDocument: '83680274971',
};
const newCpf = () => makeCpf(String(300000000 + serial++));
const newCnpj = () => makeCnpj(`${String(40000000 + serial++)}0001`);

describe('PartnerCustomer: create', () => {
	it('creates a PF customer, resolving the typed city to the API city id and partner ids from the credential', async () => {
		const taxId = newCpf();
		const result = await run(pfCustomer({ taxId, contactCpf: taxId }));
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(1);
		expect(result.items[0].json).toMatchObject({
			personType: 'PF',
			taxId,
			cityId: t.sandbox.fixtures.cityIds.araranguaSC,
			cityName: 'Araranguá - SC',
		});
		const calls = t.partnerCalls();
		expect(calls.map((call) => `${call.method} ${call.path}`)).toEqual([
			'POST /partner/city/search',
			'POST /partner/partner-customer/insert',
		]);
		expect(calls[0].query).toMatchObject({
			name: 'Araranguá',
			partnerHashId: t.sandbox.credentials.partnerHashId,
		});

		const got = await run({
			resource: 'customer',
			operation: 'get',
			customerId: { __rl: true, mode: 'id', value: result.items[0].json.id },
		});
		expect(got.error).toBeUndefined();
		expect(got.items[0].json).toMatchObject({
			personType: 'PF',
			taxId,
			birthDate: '03/08/1992',
			mobilePhone: '48993397760',
			postalCode: '88904278',
			cityId: t.sandbox.fixtures.cityIds.araranguaSC,
			state: 'SC',
			partnerId: t.sandbox.credentials.partnerHashId,
		});
	});

	it('creates a PJ customer with revenue from a month-by-month collection, a city id and a bank by COMPE code', async () => {
		const taxId = newCnpj();
		const months = {
			months: Array.from({ length: 12 }, (_, index) => ({
				amount: index === 11 ? 'R$ 12.345,67' : String(1000 + index),
			})),
		};
		const result = await run(
			pjCustomer({
				taxId,
				revenueInput: 'months',
				revenueMonths: months,
				city: { __rl: true, mode: 'list', value: String(t.sandbox.fixtures.cityIds.saoPauloSP) },
				includeBankAccount: true,
				bank: { __rl: true, mode: 'code', value: '237' },
				bankBranch: '0737',
				bankBranchDigit: '0',
				bankAccountNumber: '62902',
				bankAccountDigit: '2',
				bankAccountType: '1',
				bankAccountHolderName: 'Erick Locações',
				bankAccountHolderDocument: taxId,
			}),
		);
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({
			personType: 'PJ',
			cityId: t.sandbox.fixtures.cityIds.saoPauloSP,
			bankId: t.sandbox.fixtures.bankIds.bradesco,
		});
		const got = await run({
			resource: 'customer',
			operation: 'get',
			customerId: { __rl: true, mode: 'id', value: result.items[0].json.id },
			simplify: false,
		});
		expect(got.items[0].json).toMatchObject({
			person_type: 2,
			company_name: 'Luzia e Erick Locações de Automóveis Ltda',
			open_date: '10/12/2010',
			revenue: [
				'1000',
				'1001',
				'1002',
				'1003',
				'1004',
				'1005',
				'1006',
				'1007',
				'1008',
				'1009',
				'1010',
				'12345.67',
			],
			bank_id: t.sandbox.fixtures.bankIds.bradesco,
		});
	});

	it('requires the PJ-only fields for PJ and ignores them for PF, before any request', async () => {
		// An expression that resolves to nothing reaches the node (a literal empty value is stopped by n8n itself).
		const pj = await run(pjCustomer({ taxId: newCnpj(), companyName: '={{ "" }}' }));
		expect(pj.error?.message).toBe(
			'Item 0, field "Company Legal Name": is required for a PJ (company) customer',
		);
		const pjRevenue = await run(pjCustomer({ taxId: newCnpj(), revenue: '1, 2, 3' }));
		expect(pjRevenue.error?.message).toBe(
			'Item 0, field "Revenue (Last 12 Months)": needs exactly 12 monthly amounts, got 3',
		);
		const pfWithCnpj = await run(pfCustomer({ taxId: '94.872.972/0001-10' }));
		expect(pfWithCnpj.error?.message).toMatch(
			/^Item 0, field "Tax ID \(CPF\/CNPJ\)": .* is not a CPF/,
		);
		expect(t.partnerCalls()).toHaveLength(0);
		// PF: company fields are neither required nor sent
		const taxId = newCpf();
		const pf = await run(pfCustomer({ taxId, companyName: 'ignored', revenue: 'not a list' }));
		expect(pf.error).toBeUndefined();
	});

	it('refuses bad input per item and field without sending anything', async () => {
		const cases: Array<[Record<string, unknown>, RegExp]> = [
			[
				{ ...BANK, bankAccountNumber: '12-AB' },
				/^Item 0, field "Account Number": "12-AB": expected digits only/,
			],
			[{ mobilePhone: '4837604183' }, /^Item 0, field "Mobile Phone": .*not a mobile number/],
			[{ contactEmail: 'nope' }, /^Item 0, field "Contact Email": "nope" is not an email address/],
			[{ postalCode: '123' }, /^Item 0, field "Postal Code \(CEP\)": "123" is not a CEP/],
			[
				{ birthDate: '31/02/1990' },
				/^Item 0, field "Birth Date": "31\/02\/1990" is not a real calendar date/,
			],
			[
				{ city: { __rl: true, mode: 'name', value: '={{ " " }}' } },
				/^Item 0, field "City": is required/,
			],
			[
				{ ...BANK, bank: { __rl: true, mode: 'code', value: 'BRAD' } },
				/^Item 0, field "Bank": "BRAD" is not a COMPE code/,
			],
		];
		for (const [overrides, expected] of cases) {
			const result = await run(pfCustomer(overrides));
			expect(result.error?.message).toMatch(expected);
		}
		expect(t.partnerCalls()).toHaveLength(0);
	});

	it('rejects a city that is not a municipality, with the closest suggestions, and never inserts', async () => {
		const before = t.sandbox.counts().customers;
		const result = await run(
			pfCustomer({
				taxId: newCpf(),
				city: { __rl: true, mode: 'name', value: 'Ararangua' },
				state: 'SP',
			}),
		);
		expect(result.error?.message).toMatch(
			/^Item 0, field "City": "Ararangua - SP" is not a municipality known to the partner API\. Closest matches: Araranguá - SC/,
		);
		expect(t.partnerCalls().every((call) => call.path === '/partner/city/search')).toBe(true);
		expect(t.sandbox.counts().customers).toBe(before);
	});

	it('surfaces a success:false envelope as a readable error with English field names', async () => {
		const taxId = newCpf();
		expect((await run(pfCustomer({ taxId }))).error).toBeUndefined();
		const duplicate = await run(pfCustomer({ taxId }));
		expect(duplicate.error?.message).toBe(
			'Tax ID (CPF/CNPJ) (tax_id): "Tax Id" já está cadastrado.',
		);
		expect(duplicate.error?.description).toContain('"success": false');
	});
});

describe('PartnerCustomer: update, get many, resend terms', () => {
	it('updates only the given fields and resolves a city by name and state', async () => {
		const id = t.sandbox.fixtures.customerIds.PF;
		const result = await run({
			resource: 'customer',
			operation: 'update',
			customerId: { __rl: true, mode: 'id', value: id },
			updateFields: { notes: 'VIP', cityName: 'Salvador', state: 'BA' },
		});
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ id, updated: true });
		expect(result.items[0].json.fieldsSent).toEqual(
			expect.arrayContaining(['notes', 'address_city_id', 'address_city_name']),
		);
		const got = await run({
			resource: 'customer',
			operation: 'get',
			customerId: { __rl: true, mode: 'id', value: id },
		});
		expect(got.items[0].json).toMatchObject({
			notes: 'VIP',
			cityId: t.sandbox.fixtures.cityIds.salvadorBA,
			state: 'BA',
		});
	});

	it('update reads the customer, merges the given fields over it and sends the whole customer, so nothing is lost', async () => {
		const taxId = newCnpj();
		const created = await run(
			pjCustomer({ taxId, ...BANK, additionalFields: { phone: '4837604183', notes: 'antes' } }),
		);
		expect(created.error).toBeUndefined();
		const id = String(created.items[0].json.id);
		const before = (
			await run({
				resource: 'customer',
				operation: 'get',
				customerId: { __rl: true, mode: 'id', value: id },
				simplify: false,
			})
		).items[0].json;
		t.sandbox.clearLog();
		const result = await run({
			resource: 'customer',
			operation: 'update',
			customerId: { __rl: true, mode: 'id', value: id },
			updateFields: { notes: 'depois', mobilePhone: '(48) 98888-7777' },
		});
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({
			id,
			updated: true,
			fieldsChanged: ['phone_2', 'notes'],
		});
		expect(t.partnerCalls().map((call) => `${call.method} ${call.path}`)).toEqual([
			`PUT /partner/partner-customer/get/${id}`,
			`PUT /partner/partner-customer/update/${id}`,
		]);
		const after = (
			await run({
				resource: 'customer',
				operation: 'get',
				customerId: { __rl: true, mode: 'id', value: id },
				simplify: false,
			})
		).items[0].json;
		expect(after).toEqual({ ...before, notes: 'depois', phone_2: '48988887777' });
	});

	it('update refuses, before writing, a merged customer that breaks the create rules', async () => {
		const id = t.sandbox.fixtures.customerIds.PF;
		const result = await run({
			resource: 'customer',
			operation: 'update',
			customerId: { __rl: true, mode: 'id', value: id },
			updateFields: { personType: 'pj' },
		});
		expect(result.error?.message).toMatch(
			/^Item 0, field "(Tax ID \(CPF\/CNPJ\)|Company Legal Name)"/,
		);
		expect(result.error?.description).toContain(
			'fields not in Update Fields come from the current customer',
		);
		expect(t.partnerCalls().map((call) => call.path)).toEqual([
			`/partner/partner-customer/get/${id}`,
		]);
	});

	it('refuses an update with nothing to change', async () => {
		const result = await run({
			resource: 'customer',
			operation: 'update',
			customerId: { __rl: true, mode: 'id', value: 'abc' },
			updateFields: {},
		});
		expect(result.error?.message).toBe(
			'Item 0, field "Update Fields": add at least one field to update',
		);
		expect(t.partnerCalls()).toHaveLength(0);
	});

	it('lists customers with a limit, a name filter and Return All by offset (exact count)', async () => {
		const total = (await run({ resource: 'customer', operation: 'getMany', returnAll: true }))
			.items;
		const all = await run({
			resource: 'customer',
			operation: 'getMany',
			returnAll: true,
			options: { concurrency: 3 },
		});
		expect(all.items.length).toBe(t.sandbox.counts().customers);
		expect(new Set(all.items.map((item) => item.json.id)).size).toBe(all.items.length);
		expect(total.length).toBe(all.items.length);
		expect(all.items[0].json.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
		const limited = await run({
			resource: 'customer',
			operation: 'getMany',
			returnAll: false,
			limit: 2,
		});
		expect(limited.items).toHaveLength(2);
		const filtered = await run({
			resource: 'customer',
			operation: 'getMany',
			returnAll: true,
			filters: { name: 'silvana' },
			simplify: false,
		});
		expect(filtered.items.length).toBeGreaterThan(0);
		expect(filtered.items.length).toBeLessThan(all.items.length);
		expect(filtered.items.every((item) => /silvana/i.test(String(item.json.name)))).toBe(true);
		expect(typeof filtered.items[0].json.created_at).toBe('number');
		const list = t
			.partnerCalls()
			.filter((call) => call.path === '/partner/partner-customer/all')
			.pop();
		expect(list).toMatchObject({
			method: 'GET',
			query: { limit: '100', offset: '0', filter: 'silvana' },
		});
	});

	it('resends the terms email', async () => {
		const id = t.sandbox.fixtures.customerIds.PJ;
		const result = await run({
			resource: 'customer',
			operation: 'resendTermsEmail',
			customerId: { __rl: true, mode: 'id', value: id },
		});
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toEqual({ customerId: id, termsEmailSent: true });
		expect(t.partnerCalls()[0]).toMatchObject({
			method: 'GET',
			path: '/partner/partner-customer/resend-access-terms-email',
			query: { customerHashId: id },
		});
	});

	it('keeps every item paired with continue on fail (invalid, unknown and valid ids)', async () => {
		const items = [
			{ id: t.sandbox.fixtures.customerIds.PF },
			{ id: 'bad id!' },
			{ id: 'unknown123' },
			{ id: t.sandbox.fixtures.customerIds.PJ },
		];
		const result = await run(
			{
				resource: 'customer',
				operation: 'get',
				customerId: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
			},
			items,
			true,
		);
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(4);
		expect(result.items.map((item) => (item.pairedItem as { item: number }).item)).toEqual([
			0, 1, 2, 3,
		]);
		expect(result.items[0].json.id).toBe(items[0].id);
		expect(result.items[1].json.error).toMatch(/^Item 1, field "Customer": "bad id!" is not an ID/);
		expect(result.items[2].json.error).toBe('Cliente não encontrado.');
		expect(result.items[3].json.personType).toBe('PJ');
	});
});
