import type { IDataObject } from 'n8n-workflow';

import { makeCnpj } from '../../sandbox';
import { pjCustomer, startPartner, type PartnerTestContext } from './helpers';

let t: PartnerTestContext;
beforeAll(async () => (t = await startPartner()));
afterAll(async () => await t.sandbox.close());
beforeEach(() => t.sandbox.clearLog());

const run = (parameters: IDataObject, items: IDataObject[], continueOnFail = false) =>
	t.engine.runNode({ type: 'partnerCustomer', parameters, items, continueOnFail });
const AUTO: IDataObject = { resource: 'customer', operation: 'create', inputMode: 'auto' };

let serial = 700;
const maskedCnpj = () =>
	makeCnpj(`${String(50000000 + serial++)}0001`).replace(
		/^(\d{2})(\d{3})(\d{3})(\d{4})(\d{2})$/,
		'$1.$2.$3/$4-$5',
	);
const REVENUE = '2522; 5454; 5454; 5454; 5454; 5454; 5454; 5454; 5454; 5454; 5454; R$ 1.234,56';

/** A spreadsheet row by the API's field names, plus a column the node does not know. */
const sheetRow = (extra: IDataObject = {}): IDataObject => ({
	person_type: 'PJ',
	tax_id: maskedCnpj(),
	name: 'Erick Locações',
	company_name: 'Luzia e Erick Locações de Automóveis Ltda',
	name_contact: 'Maya Márcia da Paz',
	email_contact: 'Maya@Example.com.br',
	phone_2: '(48) 99339-7760',
	cpf_contact: '836.802.749-71',
	mother_name: 'Laura Flávia',
	birthday: '03/08/1992',
	address_zipcode: '88904-278',
	address_street: 'Rua Madre Tereza de Calcutá',
	address_number: 556,
	address_district: 'Lagoão',
	open_date: '10/12/2010',
	main_activity: 'Aluguel de automóveis',
	revenue: REVENUE,
	city: 'Araranguá - SC',
	bank_code: '237',
	bank_agency: '0737',
	bank_number: '62902',
	bank_digit: '2',
	bank_name: 'Maya',
	bank_document: '836.802.749-71',
	crm_owner: 'someone',
	...extra,
});

/** The same customer typed into the manual mode's fields. */
const manualFor = (row: IDataObject): IDataObject =>
	pjCustomer({
		taxId: row.tax_id,
		contactEmail: row.email_contact,
		mobilePhone: row.phone_2,
		contactCpf: row.cpf_contact,
		birthDate: row.birthday,
		streetNumber: String(row.address_number),
		revenue: REVENUE,
		includeBankAccount: true,
		bank: { __rl: true, mode: 'code', value: '237' },
		bankBranch: '0737',
		bankBranchDigit: '0',
		bankAccountNumber: '62902',
		bankAccountDigit: '2',
		bankAccountType: '1',
		bankAccountHolderName: 'Maya',
		bankAccountHolderDocument: '836.802.749-71',
	});

/** What the API stored, without what differs between two customers by design. */
async function storedCustomer(id: unknown): Promise<IDataObject> {
	const got = await run(
		{ resource: 'customer', operation: 'get', customerId: { __rl: true, mode: 'id', value: id } },
		[{}],
	);
	expect(got.error).toBeUndefined();
	const {
		id: _id,
		taxId: _taxId,
		cnpj: _cnpj,
		createdAt: _created,
		updatedAt: _updated,
		...rest
	} = got.items[0].json;
	return rest;
}

describe('PartnerCustomer: create, Map Input Fields Automatically', () => {
	it('creates the same customer as the manual mode from a spreadsheet row (masked CNPJ, R$ 1.234,56, dd/mm/yyyy)', async () => {
		const autoRow = sheetRow();
		const auto = await run(AUTO, [autoRow]);
		expect(auto.error).toBeUndefined();
		expect(auto.items[0].json).toMatchObject({
			personType: 'PJ',
			taxId: String(autoRow.tax_id).replace(/\D/g, ''),
			cityId: t.sandbox.fixtures.cityIds.araranguaSC,
			bankId: expect.anything(),
		});
		const byHand = await run(manualFor(sheetRow()), [{}]);
		expect(byHand.error).toBeUndefined();
		const [autoRecord, manualRecord] = [
			await storedCustomer(auto.items[0].json.id),
			await storedCustomer(byHand.items[0].json.id),
		];
		expect(autoRecord).toMatchObject({
			personType: 'PJ',
			birthDate: '03/08/1992',
			postalCode: '88904278',
		});
		expect(autoRecord).toEqual(manualRecord);
		expect(JSON.stringify(autoRecord)).not.toContain('someone');
	});

	it('takes the Person Type parameter when the input has no person_type, and the city by address_city_id', async () => {
		const { person_type: _type, city: _city, ...row } = sheetRow();
		const result = await run({ ...AUTO, personType: 'pj' }, [
			{ ...row, address_city_id: t.sandbox.fixtures.cityIds.saoPauloSP },
		]);
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({
			personType: 'PJ',
			cityId: t.sandbox.fixtures.cityIds.saoPauloSP,
		});
		// A city id needs no city look-up.
		expect(t.partnerCalls().map((call) => call.path)).not.toContain('/partner/city/search');
	});

	it.each([
		['a bad CNPJ', { tax_id: '94.872.972/0001-11' }, {}],
		['a bad birth date', { birthday: '31/02/1992' }, { birthDate: '31/02/1992' }],
		[
			'a revenue of 11 months',
			{ revenue: '1; 2; 3; 4; 5; 6; 7; 8; 9; 10; 11' },
			{ revenue: '1; 2; 3; 4; 5; 6; 7; 8; 9; 10; 11' },
		],
		['a bad mobile phone', { phone_2: '4833334444' }, { mobilePhone: '4833334444' }],
		['a bad bank account type', { bank_account_type: '3' }, { bankAccountType: '3' }],
	])(
		'refuses %s before any request, with the manual mode’s item-and-field error',
		async (_case, override, manualOverride) => {
			const bad = sheetRow(override);
			const auto = await run(AUTO, [sheetRow(), bad]);
			expect(t.sandbox.requestLog()).toEqual([]);
			const byHand = await run(
				{
					...manualFor(bad),
					...manualOverride,
					...('tax_id' in override ? { taxId: override.tax_id } : {}),
				},
				[{}],
			);
			expect(auto.error?.name).toBe('NodeOperationError');
			expect(auto.error?.context?.itemIndex).toBe(1);
			expect(auto.error?.message).toMatch(/^Item 1, field "/);
			// The manual run has one item, so its error names item 0: otherwise the same field and detail.
			expect(auto.error?.message).toBe(byHand.error?.message.replace(/^Item 0/, 'Item 1'));
		},
	);

	it('takes the example form’s own column names (cpf, email, mobile, cep, number, …) for a PF customer', async () => {
		// The "Form Row" of examples/partner-customer-operation.json, with a CPF no other test uses.
		const row: IDataObject = {
			cpf: '529.982.247-25',
			name: 'Maya Márcia da Paz',
			email: 'maya@example.com.br',
			mobile: '(48) 99339-7760',
			phone: '(48) 3760-4183',
			motherName: 'Laura Flávia',
			birthDate: '03/08/1992',
			cep: '88904-278',
			street: 'Rua Madre Tereza de Calcutá',
			number: '556',
			district: 'Lagoão',
			city: 'Araranguá - SC',
			product: 'Notebook Dell Inspiron',
		};
		const result = await run({ ...AUTO, personType: 'pf' }, [row]);
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({
			personType: 'PF',
			taxId: '52998224725',
			cityId: t.sandbox.fixtures.cityIds.araranguaSC,
		});
		expect(await storedCustomer(result.items[0].json.id)).toMatchObject({
			contactName: 'Maya Márcia da Paz',
			contactEmail: 'maya@example.com.br',
			postalCode: '88904278',
			streetNumber: '556',
		});
	});

	it('refuses an item without a required column before any request, listing the names looked for and the item’s own', async () => {
		const row = sheetRow();
		delete row.email_contact;
		const result = await run(AUTO, [sheetRow(), { ...row, e_mail: 'x@example.com' }]);
		expect(t.sandbox.requestLog()).toEqual([]);
		expect(result.error?.name).toBe('NodeOperationError');
		expect(result.error?.context?.itemIndex).toBe(1);
		expect(result.error?.message).toMatch(
			/^Item 1, field "Contact Email": not in the input item \(looked for email_contact, contactEmail, email\)\. The item has: person_type, tax_id, /,
		);
		expect(result.error?.message).toContain('e_mail');
	});

	it('refuses an unknown person_type naming the field', async () => {
		const result = await run(AUTO, [sheetRow({ person_type: 'X' })]);
		expect(result.error?.message).toMatch(/^Item 0, field "Person Type": "X" is not a person type/);
		expect(t.sandbox.requestLog()).toEqual([]);
	});

	it('with continue on fail, keeps every item paired: good, invalid, good', async () => {
		const items = [sheetRow(), sheetRow({ email_contact: 'not-an-email' }), sheetRow()];
		const result = await run(AUTO, items, true);
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.pairedItem)).toEqual(
			[0, 1, 2].map((item) => ({ item })),
		);
		expect(result.items[0].json.taxId).toBe(String(items[0].tax_id).replace(/\D/g, ''));
		expect(result.items[1].json.error).toMatch(/^Item 1, field "Contact Email"/);
		expect(result.items[2].json.taxId).toBe(String(items[2].tax_id).replace(/\D/g, ''));
		expect(
			t.partnerCalls().filter((call) => call.path === '/partner/partner-customer/insert'),
		).toHaveLength(2);
	});
});
