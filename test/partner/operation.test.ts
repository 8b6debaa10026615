import type { IDataObject } from 'n8n-workflow';

import { makeCnpj, makeCpf } from '../../sandbox';
import { startPartner, type PartnerTestContext } from './helpers';

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
		type: 'partnerOperation',
		parameters: parameters as IDataObject,
		items: items as IDataObject[] | undefined,
		continueOnFail,
	});
const customerGet = (id: string) =>
	t.engine.runNode({
		type: 'partnerCustomer',
		parameters: {
			resource: 'customer',
			operation: 'get',
			customerId: { __rl: true, mode: 'id', value: id },
			simplify: false,
		},
	});

let serial = 500;
const newCpf = () => makeCpf(String(600000000 + serial++));
const newCnpj = () => makeCnpj(`${String(70000000 + serial++)}0001`);

const pf = (overrides: Record<string, unknown> = {}) => ({
	resource: 'operation',
	operation: 'create',
	applicant: 'pf',
	amount: '1200',
	installments: 12,
	name: 'Joaquim Giovanni Murilo Moura',
	taxId: newCpf(),
	contactEmail: 'joaquim@example.com.br',
	mobilePhone: '+55 (11) 92222-3333',
	city: { __rl: true, mode: 'name', value: 'Rio Branco - AC' },
	additionalFields: { birthDate: '27/06/1952', phone1: '1122223333', postalCode: '69917-750' },
	...overrides,
});

const pj = (overrides: Record<string, unknown> = {}) =>
	pf({
		applicant: 'pj',
		name: 'Erick Locações de Automóveis',
		taxId: newCnpj(),
		companyName: 'Luzia e Erick Locações de Automóveis Ltda',
		contactName: 'Alexandre Vieira',
		contactCpf: '669.788.473-80',
		openDate: '2010-12-10',
		mainActivity: 'Locação de automóveis',
		revenueInput: 'text',
		revenue:
			'{"1":"2522","2":"5454","3":"5454","4":"5454","5":"5454","6":"5454","7":"5454","8":"5454","9":"5454","10":"5454","11":"5454","12":"R$ 5.454,50"}',
		city: { __rl: true, mode: 'list', value: 'São Paulo - SP' },
		amount: 'R$ 1.000,00',
		installments: 4,
		...overrides,
	});

describe('PartnerOperation: create', () => {
	it('creates a PF operation, checking the city against /city/search first', async () => {
		const result = await run(pf());
		expect(result.error).toBeUndefined();
		const out = result.items[0].json;
		expect(out).toMatchObject({
			personType: 'PF',
			amount: 1200,
			installments: 12,
			city: 'Rio Branco',
			state: 'AC',
		});
		expect(out.operationId).toEqual(expect.any(String));
		expect(t.partnerCalls().map((call) => `${call.method} ${call.path}`)).toEqual([
			'POST /partner/city/search',
			'POST /partner/operation/create',
		]);
		const customer = await customerGet(String(out.customerId));
		expect(customer.items[0].json).toMatchObject({
			person_type: 1,
			phone_2: '11922223333',
			birthday: '27/06/1952',
			address_zipcode: '69917750',
			address_city_id: t.sandbox.fixtures.cityIds.rioBrancoAC,
		});
	});

	it('creates a PJ operation with 12-month revenue sent as an object and a city picked from the list', async () => {
		const result = await run(pj());
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({
			personType: 'PJ',
			amount: 1000,
			installments: 4,
			city: 'São Paulo',
			state: 'SP',
		});
		const customer = await customerGet(String(result.items[0].json.customerId));
		expect(customer.items[0].json).toMatchObject({
			person_type: 2,
			open_date: '10/12/2010',
			name_contact: 'Alexandre Vieira',
			cpf_contact: '66978847380',
		});
		expect(customer.items[0].json.revenue).toEqual(['2522', ...Array(10).fill('5454'), '5454.5']);
	});

	it('creates an operation for an existing customer with description, quantity and seller email', async () => {
		const result = await run({
			resource: 'operation',
			operation: 'create',
			applicant: 'existingCustomer',
			customerId: { __rl: true, mode: 'id', value: t.sandbox.fixtures.customerIds.PF },
			amount: 2390,
			installments: 15,
			description: 'Descrição do Produto',
			quantity: 1,
			sellerEmail: 'Seller@Store.com',
		});
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({
			customerId: t.sandbox.fixtures.customerIds.PF,
			amount: 2390,
			installments: 15,
		});
		expect(t.partnerCalls().map((call) => call.path)).toEqual(['/partner/operation/create']);
	});

	it('checks PF vs PJ fields, phone2, amount and installments before any request, naming item and field', async () => {
		const cases: Array<[Record<string, unknown>, string | RegExp]> = [
			[
				pf({ mobilePhone: '1122223333' }),
				/^Item 0, field "Mobile Phone": "1122223333" is not a mobile number/,
			],
			[pf({ amount: '0' }), 'Item 0, field "Amount": "0" must be greater than 0'],
			[pf({ amount: '-R$ 5,00' }), 'Item 0, field "Amount": "-R$ 5,00" must be greater than 0'],
			[
				pf({ installments: 2.5 }),
				'Item 0, field "Installments": 2.5 must be a whole number greater than 0',
			],
			[
				pf({ taxId: '94.872.972/0001-10' }),
				/^Item 0, field "Tax ID \(CPF\/CNPJ\)": .* is not a CPF/,
			],
			[pj({ taxId: '529.982.247-25' }), /^Item 0, field "Tax ID \(CPF\/CNPJ\)": .* is not a CNPJ/],
			[
				pj({ revenue: '1; 2; 3; 4; 5; 6; 7; 8; 9; 10; 11' }),
				'Item 0, field "Revenue (Last 12 Months)": needs exactly 12 monthly amounts, got 11',
			],
			[
				pj({ revenue: '{"1": 1, "2": 2}' }),
				/^Item 0, field "Revenue \(Last 12 Months\)": must have the keys "1" to "12"/,
			],
			[
				pj({ openDate: '2010-13-10' }),
				/^Item 0, field "Company Opening Date": "2010-13-10" is not a real calendar date/,
			],
			[
				pf({ city: { __rl: true, mode: 'name', value: 'Rio Branco' } }),
				'Item 0, field "State (UF)": is required: type the city as "Rio Branco - UF" or pick the state',
			],
		];
		for (const [parameters, expected] of cases) {
			const result = await run(parameters);
			if (typeof expected === 'string') expect(result.error?.message).toBe(expected);
			else expect(result.error?.message).toMatch(expected);
		}
		expect(t.partnerCalls()).toHaveLength(0);
	});

	it('rejects a city that does not match a municipality and lists the closest ones', async () => {
		const before = t.sandbox.counts().operations;
		const result = await run(
			pf({ city: { __rl: true, mode: 'name', value: 'Rio Brano' }, state: 'AC' }),
		);
		expect(result.error?.message).toMatch(
			/^Item 0, field "City": "Rio Brano - AC" is not a municipality known to the partner API\. Closest matches: Rio Branco - AC/,
		);
		expect(t.partnerCalls().some((call) => call.path === '/partner/operation/create')).toBe(false);
		expect(t.sandbox.counts().operations).toBe(before);
		// the right name in the wrong state is refused too, and the suggestion names the right state
		const wrongState = await run(
			pf({ city: { __rl: true, mode: 'name', value: 'Araranguá - SP' } }),
		);
		expect(wrongState.error?.message).toMatch(/Closest matches: Araranguá - SC/);
	});

	it('accepts a city typed without accents and sends the API’s own spelling', async () => {
		const result = await run(
			pf({ city: { __rl: true, mode: 'name', value: 'ararangua' }, state: 'SC' }),
		);
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ city: 'Araranguá', state: 'SC' });
	});

	it('turns a success:false envelope into a readable error with English field names', async () => {
		const result = await run({
			resource: 'operation',
			operation: 'create',
			applicant: 'existingCustomer',
			customerId: { __rl: true, mode: 'id', value: 'nosuchcustomer' },
			amount: '100',
			installments: 60,
			description: 'x',
		});
		expect(result.error?.message).toBe(
			'Installments (installment): "Installment" é inválido.; Customer ID (customer_hashid): "Customer Hashid" é inválido.',
		);
	});

	it('keeps every item paired with continue on fail, one error item per failed input', async () => {
		const items = [{ amount: '100' }, { amount: 'abc' }, { amount: '250,50' }];
		const result = await run(
			pf({ amount: '={{ $json.amount }}', taxId: '={{ "529.982.247-25" }}' }),
			items,
			true,
		);
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(3);
		expect(result.items.map((item) => (item.pairedItem as { item: number }).item)).toEqual([
			0, 1, 2,
		]);
		expect(result.items[0].json.operationId).toEqual(expect.any(String));
		expect(result.items[1].json.error).toMatch(/^Item 1, field "Amount": "abc" is not an amount/);
		expect(result.items[2].json.amount).toBe(250.5);
	});
});

describe('PartnerOperation: read operations', () => {
	it('gets the status and follows a change made in the sandbox', async () => {
		const id = t.sandbox.fixtures.operationIdsBySlug['em-analise'][0];
		const first = await run({
			resource: 'operation',
			operation: 'getStatus',
			operationId: { __rl: true, mode: 'list', value: id },
		});
		expect(first.items[0].json).toEqual({
			operationId: id,
			status: 'Em análise',
			statusSlug: 'em-analise',
		});
		const response = await fetch(`${t.sandbox.controlUrl}/operations/${id}/status`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ slug: 'autorizado' }),
		});
		expect(response.ok).toBe(true);
		const second = await run({
			resource: 'operation',
			operation: 'getStatus',
			operationId: { __rl: true, mode: 'id', value: id },
		});
		expect(second.items[0].json).toMatchObject({ status: 'Autorizado', statusSlug: 'autorizado' });
	});

	it('gets details, simplified into one English row or raw', async () => {
		const id = t.sandbox.fixtures.operationIdsBySlug.pago[0];
		const simple = await run({
			resource: 'operation',
			operation: 'getDetails',
			operationId: { __rl: true, mode: 'id', value: id },
		});
		expect(simple.error).toBeUndefined();
		const row = simple.items[0].json;
		expect(row).toMatchObject({
			id,
			statusSlug: 'pago',
			customerName: expect.any(String),
			documentProofOfResidence: expect.any(Boolean),
		});
		expect(typeof row.totalAmount).toBe('number');
		expect(typeof row.interestMonthlyPercent).toBe('number');
		// One time rule: Get Details and Get Many give the same instant, both in UTC.
		const listed = (
			await run({ resource: 'operation', operation: 'getMany', returnAll: true })
		).items.find((item) => item.json.id === id);
		expect(row.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/);
		expect(row.createdAt).toBe(listed?.json.createdAt);
		const raw = await run({
			resource: 'operation',
			operation: 'getDetails',
			operationId: { __rl: true, mode: 'id', value: id },
			simplify: false,
		});
		expect(raw.items[0].json).toMatchObject({
			status_operacao: 'pago',
			cliente: expect.any(Object),
			dados_operacao: expect.any(Object),
		});
	});

	it('uploads a document by https link, inferring the MIME type, and refuses http links and unknown types before sending', async () => {
		const id = t.sandbox.fixtures.operationIdsBySlug['aguardando-documentos'][0];
		const ok = await run({
			resource: 'operation',
			operation: 'uploadDocumentByLink',
			operationId: { __rl: true, mode: 'id', value: id },
			documentType: 'proof-residence',
			link: 'https://files.example.com/a/proof.PDF',
		});
		expect(ok.error).toBeUndefined();
		expect(ok.items[0].json).toEqual({
			operationId: id,
			documentType: 'proof-residence',
			link: 'https://files.example.com/a/proof.PDF',
			mimeType: 'application/pdf',
			uploaded: true,
		});
		const details = await run({
			resource: 'operation',
			operation: 'getDetails',
			operationId: { __rl: true, mode: 'id', value: id },
		});
		expect(details.items[0].json.documentProofOfResidence).toBe(true);
		t.sandbox.clearLog();
		const http = await run({
			resource: 'operation',
			operation: 'uploadDocumentByLink',
			operationId: { __rl: true, mode: 'id', value: id },
			documentType: 'cnh',
			link: 'http://files.example.com/cnh.png',
		});
		expect(http.error?.message).toBe(
			'Item 0, field "Document Link": "http://files.example.com/cnh.png" must be an https:// URL',
		);
		const type = await run({
			resource: 'operation',
			operation: 'uploadDocumentByLink',
			operationId: { __rl: true, mode: 'id', value: id },
			documentType: '={{ "passport" }}',
			link: 'https://x.example.com/p.png',
		});
		expect(type.error?.message).toBe(
			'Item 0, field "Document Type": "passport" is not a document type: use one of proof-residence, social-contract, rg-front, rg-back, cnh',
		);
		expect(t.partnerCalls()).toHaveLength(0);
	});

	it('lists operations simplified: money and percent strings become numbers, created_at becomes ISO', async () => {
		const simple = await run({
			resource: 'operation',
			operation: 'getMany',
			returnAll: false,
			limit: 5,
		});
		const raw = await run({
			resource: 'operation',
			operation: 'getMany',
			returnAll: false,
			limit: 5,
			simplify: false,
		});
		expect(simple.items).toHaveLength(5);
		const brl = (text: string) =>
			Number(
				text
					.replace(/^(-?)R\$\s*/, '$1')
					.replace(/\./g, '')
					.replace(',', '.'),
			);
		simple.items.forEach((item, index) => {
			const source = raw.items[index].json;
			expect(source.total).toMatch(/^R\$ /);
			expect(item.json.totalAmount).toBe(brl(String(source.total)));
			expect(item.json.iofAmount).toBe(brl(String(source.valor_iof)));
			expect(item.json.cetAnnualPercent).toBe(
				Number(String(source.cet_anual).replace('%', '').replace(/\./g, '').replace(',', '.')),
			);
			expect(item.json.requestedAmount).toBe(Number(source.amount));
			expect(item.json.createdAt).toBe(new Date(Number(source.created_at) * 1000).toISOString());
		});
	});

	it('Return All reads every operation by offset (exact count) and filters by customer name', async () => {
		t.sandbox.seedOperations(437);
		const total = t.sandbox.counts().operations;
		const all = await run({
			resource: 'operation',
			operation: 'getMany',
			returnAll: true,
			options: { concurrency: 4 },
		});
		expect(all.error).toBeUndefined();
		expect(all.items).toHaveLength(total);
		expect(new Set(all.items.map((item) => item.json.id)).size).toBe(total);
		const calls = t.partnerCalls().filter((call) => call.path === '/partner/partner-operation/all');
		expect(calls.every((call) => call.method === 'POST')).toBe(true);
		const limited = await run({
			resource: 'operation',
			operation: 'getMany',
			returnAll: false,
			limit: 130,
		});
		expect(limited.items).toHaveLength(130);
		const filtered = await run({
			resource: 'operation',
			operation: 'getMany',
			returnAll: true,
			filters: { customer: 'silvana' },
		});
		expect(filtered.items.length).toBeGreaterThan(0);
		expect(filtered.items.length).toBeLessThan(total);
		expect(filtered.items.every((item) => /silvana/i.test(String(item.json.customerName)))).toBe(
			true,
		);
	});
});
