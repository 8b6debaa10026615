import type { IDataObject } from 'n8n-workflow';

import {
	engineFor,
	expectNoError,
	kapitaleRequests,
	openSandbox,
	uniqueOrderNumber,
	type RunningSandbox,
} from './helpers';

/** Create parameters that read every field from the input item, as a spreadsheet flow does. */
const fromItem = (extra: IDataObject = {}): IDataObject => ({
	resource: 'order',
	operation: 'create',
	orderNumber: '={{ $json.orderNumber }}',
	retailCnpj: '={{ $json.cnpj }}',
	requestedAmount: '={{ $json.amount }}',
	purchaseDate: '={{ $json.purchaseDate }}',
	expiryDate: '={{ $json.expiryDate }}',
	itemsInput: 'json',
	purchaseItemsJson: '={{ $json.items }}',
	additionalFields: {
		retailEmail: '={{ $json.email ?? "" }}',
		retailPhone: '={{ $json.phone ?? "" }}',
		retailRepresentative: '={{ $json.representative ?? "" }}',
	},
	...extra,
});

describe('Kapitale Order: Create', () => {
	let sandbox: RunningSandbox;
	beforeAll(async () => (sandbox = await openSandbox()));
	afterAll(async () => await sandbox.close());
	beforeEach(() => sandbox.clearLog());

	const row = (extra: IDataObject = {}): IDataObject => ({
		orderNumber: uniqueOrderNumber('C'),
		cnpj: '11.222.333/0001-81',
		amount: 'R$ 10.000,50',
		purchaseDate: '26/02/2025',
		expiryDate: '2025-12-31',
		items: '[{"value": "R$ 5.000,25", "quantity": 2, "description": "Produto A"}]',
		...extra,
	});

	it('creates an order from typed fields: masked CNPJ, money text, both date formats', async () => {
		const orderNumber = uniqueOrderNumber('FIELDS');
		const run = await engineFor(sandbox).runNode({
			type: 'kapitaleOrder',
			parameters: {
				resource: 'order',
				operation: 'create',
				orderNumber,
				retailCnpj: sandbox.fixtures.registeredRetailCnpj.replace(
					/^(\d{2})(\d{3})(\d{3})(\d{4})(\d{2})$/,
					'$1.$2.$3/$4-$5',
				),
				requestedAmount: 'R$ 10.000,00',
				purchaseDate: '26/02/2025',
				expiryDate: '2025-12-31T00:00:00',
				purchaseItems: { item: [{ description: 'Produto A', value: '5000', quantity: 2 }] },
				additionalFields: {
					retailEmail: 'Joao@Empresa.com',
					retailPhone: '+55 (11) 99999-9999',
					retailRepresentative: 'João Silva',
				},
			},
		});
		expectNoError(run);
		expect(run.items).toHaveLength(1);
		expect(run.items[0].pairedItem).toEqual({ item: 0 });
		expect(run.items[0].json).toMatchObject({
			order_no: orderNumber,
			order_status: 'pending',
			payment_status: 'pending',
			requested_amount: 10000,
			purchase_date: '2025-02-26',
			retail_email: 'joao@empresa.com',
			retail_phone: '11999999999',
			retail_representative: 'João Silva',
			retail: { cnpj: sandbox.fixtures.registeredRetailCnpj },
			purchase_items: [{ value: 5000, quantity: 2, description: 'Produto A' }],
		});
		expect(String(run.items[0].json.expiry_date)).toMatch(/^2025-12-31/);
		expect(run.items[0].json.id).toMatch(/^[0-9a-f-]{36}$/);
		expect(kapitaleRequests(sandbox, 'POST')).toHaveLength(1);
	});

	it('creates from spreadsheet rows: JSON items, alphanumeric CNPJ, Luxon dates', async () => {
		const run = await engineFor(sandbox).runNode({
			type: 'kapitaleOrder',
			parameters: fromItem({ expiryDate: '={{ DateTime.fromISO("2026-01-15T10:00:00") }}' }),
			items: [row({ cnpj: '12.ABC.345/01DE-35', items: [{ value: 5000.25, quantity: '2' }] })],
		});
		expectNoError(run);
		expect(run.items[0].json).toMatchObject({
			requested_amount: 10000.5,
			purchase_date: '2025-02-26',
			retail: { cnpj: '12ABC34501DE35' },
			purchase_items: [{ value: 5000.25, quantity: 2 }],
		});
		expect(String(run.items[0].json.expiry_date)).toMatch(/^2026-01-15/);
	});

	it('reads a JS Date from an expression as the day the user wrote, in the instance time zone, not its UTC day', async () => {
		// 23:30 in Brasília on 28 February is already 1 March in UTC.
		const run = await engineFor(sandbox).runNode({
			type: 'kapitaleOrder',
			parameters: fromItem({
				purchaseDate: '={{ new Date("2025-02-28T23:30:00-03:00") }}',
				expiryDate: '2025-02-28T23:30-03:00',
			}),
			items: [row()],
		});
		expectNoError(run);
		expect(run.items[0].json).toMatchObject({ purchase_date: '2025-02-28' });
		expect(String(run.items[0].json.expiry_date)).toMatch(/^2025-02-28/);
	});

	it('fills representative, email and phone from the CNPJ look-up, one look-up per CNPJ', async () => {
		const cnpj = sandbox.fixtures.registeredRetailCnpj;
		const run = await engineFor(sandbox).runNode({
			type: 'kapitaleOrder',
			parameters: fromItem({ options: { fillContact: true } }),
			items: [row({ cnpj }), row({ cnpj, email: 'own@mail.com' }), row({ cnpj })],
		});
		expectNoError(run);
		expect(run.items).toHaveLength(3);
		expect(run.items[0].json.filledFromCnpjLookup).toEqual([
			'retail_representative',
			'retail_email',
			'retail_phone',
		]);
		expect(run.items[1].json.filledFromCnpjLookup).toEqual([
			'retail_representative',
			'retail_phone',
		]);
		expect(run.items[1].json.retail_email).toBe('own@mail.com');
		const lookups = kapitaleRequests(sandbox, 'GET', '/kapitale/company/cnpj/');
		expect(lookups).toHaveLength(1);
		expect(lookups[0].path).toBe(`/kapitale/company/cnpj/${cnpj}`);
		// The look-up happened before the orders were sent.
		const posts = kapitaleRequests(sandbox, 'POST');
		expect(posts).toHaveLength(3);
		expect(Math.min(...posts.map((entry) => entry.seq))).toBeGreaterThan(lookups[0].seq);
	});

	it('sends the order without contact data when the look-up finds no company', async () => {
		const run = await engineFor(sandbox).runNode({
			type: 'kapitaleOrder',
			parameters: fromItem({ options: { fillContact: true } }),
			items: [row({ cnpj: sandbox.fixtures.unknownCnpj })],
		});
		expectNoError(run);
		expect(run.items[0].json.filledFromCnpjLookup).toBeUndefined();
		expect(kapitaleRequests(sandbox, 'GET', '/kapitale/company/cnpj/')[0].status).toBe(404);
	});

	it.each([
		['an invalid CNPJ', { cnpj: '11.222.333/0001-82' }, 'Retail CNPJ', /check digits/],
		['an amount of 1', { amount: 'R$ 1,00' }, 'Requested Amount', /greater than 1/],
		['an amount that is not money', { amount: 'dez mil' }, 'Requested Amount', /not an amount/],
		[
			'an impossible date',
			{ purchaseDate: '31/02/2025' },
			'Purchase Date',
			/not a real calendar date/,
		],
		[
			'a date in another format',
			{ expiryDate: '2025.12.31' },
			'Expiry Date',
			/DD\/MM\/YYYY or YYYY-MM-DD/,
		],
		[
			'a quantity of 0',
			{ items: '[{"value": 10000.5, "quantity": 1}, {"value": 1, "quantity": 0}]' },
			'Purchase Items (JSON) › line 2 › Quantity',
			/greater than 0/,
		],
		[
			'a negative value',
			{ items: [{ value: '-5', quantity: 1 }] },
			'Purchase Items (JSON) › line 1 › Unit Value',
			/greater than 0/,
		],
		['no items', { items: '[]' }, 'Purchase Items (JSON)', /at least one/],
		['broken JSON', { items: '[{"value": 1,' }, 'Purchase Items (JSON)', /not valid JSON/],
		[
			'items that do not add up',
			{ items: '[{"value": 100, "quantity": 2}]' },
			'Requested Amount',
			/add up to R\$ 200,00 but the requested amount is R\$ 10\.000,50/,
		],
		['a bad email', { email: 'joao@' }, 'Retail Email', /not an email/],
		['a bad phone', { phone: '1234' }, 'Retail Phone', /not a phone number/],
		['an empty order number', { orderNumber: '  ' }, 'Order Number', /required/],
	])(
		'refuses %s before sending anything, naming item and field',
		async (_case, override, label, detail) => {
			const run = await engineFor(sandbox).runNode({
				type: 'kapitaleOrder',
				parameters: fromItem(),
				items: [row(), row(), row(override as IDataObject)],
			});
			expect(run.error?.name).toBe('NodeOperationError');
			expect(run.error?.message).toContain(`Item 2, field "${label}"`);
			expect(run.error?.message).toMatch(detail as RegExp);
			expect(run.error?.context?.itemIndex).toBe(2);
			expect(sandbox.requestLog()).toEqual([]);
		},
	);

	it('with "Items Total Check" on Warn, sends the order and reports the difference', async () => {
		const run = await engineFor(sandbox).runNode({
			type: 'kapitaleOrder',
			parameters: fromItem({ options: { itemsTotalCheck: 'warn' } }),
			items: [row({ items: '[{"value": 100, "quantity": 2}]' })],
		});
		expectNoError(run);
		expect(run.items[0].json.order_status).toBe('pending');
		expect(run.items[0].json.warnings).toEqual([
			expect.stringMatching(/R\$ 200,00 but the requested amount is R\$ 10\.000,50/),
		]);
	});

	it('surfaces a duplicate order number (409) as an API error with the API message', async () => {
		const used = sandbox.fixtures.orderNumbersInUse[0];
		const run = await engineFor(sandbox).runNode({
			type: 'kapitaleOrder',
			parameters: fromItem(),
			items: [row({ orderNumber: used })],
		});
		expect(run.error?.name).toBe('NodeApiError');
		expect(run.error?.message).toBe(`order_number ${used} already exists`);
		expect(run.error?.httpCode).toBe('409');
		// A refused write is not retried.
		expect(kapitaleRequests(sandbox, 'POST')).toHaveLength(1);
	});

	it('surfaces a validation error of the server (400) with its message', async () => {
		const run = await engineFor(sandbox).runNode({
			type: 'kapitaleOrder',
			parameters: fromItem(),
			items: [row({ orderNumber: 'X'.repeat(61) })],
		});
		expect(run.error?.name).toBe('NodeApiError');
		expect(run.error?.httpCode).toBe('400');
		expect(run.error?.message).toBe('order_number must have at most 60 characters');
		expect(run.error?.description).toContain('POST /order');
	});

	it('creates 100 orders from 100 items with exactly one token request', async () => {
		const before = sandbox.counts();
		const items = Array.from({ length: 100 }, () => row());
		const run = await engineFor(sandbox).runNode({
			type: 'kapitaleOrder',
			parameters: fromItem({ options: { concurrency: 8 } }),
			items,
		});
		expectNoError(run);
		expect(run.items).toHaveLength(100);
		const after = sandbox.counts();
		expect(after.orders - before.orders).toBe(100);
		expect(after.tokensIssued - before.tokensIssued).toBe(1);
		expect(sandbox.requestLog().filter((entry) => entry.service === 'token')).toHaveLength(1);
		expect(new Set(run.items.map((item) => item.json.id)).size).toBe(100);
		expect(run.items.map((item) => item.json.order_no)).toEqual(
			items.map((item) => item.orderNumber),
		);
		expect(run.items.map((item) => item.pairedItem)).toEqual(items.map((_, item) => ({ item })));
	});

	it('with continue on fail, keeps every item paired: good, invalid, good, duplicate, good', async () => {
		const used = sandbox.fixtures.orderNumbersInUse[1];
		const items = [row(), row({ cnpj: 'abc' }), row(), row({ orderNumber: used }), row()];
		const run = await engineFor(sandbox).runNode({
			type: 'kapitaleOrder',
			parameters: fromItem(),
			items,
			continueOnFail: true,
		});
		expectNoError(run);
		expect(run.items).toHaveLength(5);
		expect(run.items.map((item) => item.pairedItem)).toEqual(
			[0, 1, 2, 3, 4].map((item) => ({ item })),
		);
		expect(run.items[0].json.order_no).toBe(items[0].orderNumber);
		expect(run.items[1].json.error).toMatch(/^Item 1, field "Retail CNPJ"/);
		expect(run.items[2].json.order_no).toBe(items[2].orderNumber);
		expect(run.items[3].json.error).toBe(`order_number ${used} already exists`);
		expect(run.items[3].json).toMatchObject({
			httpCode: '409',
			description: expect.stringContaining('POST /order'),
		});
		expect(run.items[4].json.order_no).toBe(items[4].orderNumber);
		// The invalid item never reached the API.
		expect(kapitaleRequests(sandbox, 'POST')).toHaveLength(4);
	});
});
