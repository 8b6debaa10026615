import type { IDataObject } from 'n8n-workflow';

import {
	engineFor,
	expectNoError,
	kapitaleRequests,
	openSandbox,
	uniqueOrderNumber,
	type RunningSandbox,
} from './helpers';

const AUTO: IDataObject = { resource: 'order', operation: 'create', inputMode: 'auto' };

/** What the API stored, without what differs between two orders by design. */
function stored(order: IDataObject): IDataObject {
	const { id: _id, order_no: _no, created_at: _created, updated_at: _updated, ...rest } = order;
	return rest;
}

describe('Kapitale Order: Create, Map Input Fields Automatically', () => {
	let sandbox: RunningSandbox;
	beforeAll(async () => (sandbox = await openSandbox()));
	afterAll(async () => await sandbox.close());
	beforeEach(() => sandbox.clearLog());

	/** A spreadsheet row by the API's field names, plus a column the node does not know. */
	const sheetRow = (extra: IDataObject = {}): IDataObject => ({
		order_number: uniqueOrderNumber('AUTO'),
		retail_cnpj: '11.222.333/0001-81',
		requested_amount: 'R$ 1.234,56',
		purchase_date: '26/02/2025',
		expiry_date: '31/12/2025',
		retail_email: 'Joao@Empresa.com',
		retail_phone: '(11) 98765-4321',
		retail_representative: 'João Silva',
		items: [{ value: 'R$ 617,28', quantity: 2, description: 'Produto A' }],
		spreadsheet_row: 7,
		...extra,
	});

	/** The same order in the manual mode, every field mapped by an expression. */
	const manual: IDataObject = {
		resource: 'order',
		operation: 'create',
		orderNumber: '={{ $json.order_number }}',
		retailCnpj: '={{ $json.retail_cnpj }}',
		requestedAmount: '={{ $json.requested_amount }}',
		purchaseDate: '={{ $json.purchase_date }}',
		expiryDate: '={{ $json.expiry_date }}',
		itemsInput: 'json',
		purchaseItemsJson: '={{ $json.items }}',
		additionalFields: {
			retailEmail: '={{ $json.retail_email }}',
			retailPhone: '={{ $json.retail_phone }}',
			retailRepresentative: '={{ $json.retail_representative }}',
		},
	};

	it('creates the same order as the manual mode from a spreadsheet row (masked CNPJ, R$ 1.234,56, dd/mm/yyyy)', async () => {
		const auto = await engineFor(sandbox).runNode({
			type: 'kapitaleOrder',
			parameters: AUTO,
			items: [sheetRow()],
		});
		const byHand = await engineFor(sandbox).runNode({
			type: 'kapitaleOrder',
			parameters: manual,
			items: [sheetRow()],
		});
		expectNoError(auto);
		expectNoError(byHand);
		expect(auto.items[0].json).toMatchObject({
			requested_amount: 1234.56,
			purchase_date: '2025-02-26',
			retail_email: 'joao@empresa.com',
			retail_phone: '11987654321',
			retail: { cnpj: '11222333000181' },
			purchase_items: [{ value: 617.28, quantity: 2, description: 'Produto A' }],
		});
		// Both records as the API returns them when read back.
		const records = await engineFor(sandbox).runNode({
			type: 'kapitaleOrder',
			parameters: {
				resource: 'order',
				operation: 'get',
				orderId: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
			},
			items: [auto.items[0].json, byHand.items[0].json],
		});
		expectNoError(records);
		expect(stored(records.items[0].json)).toEqual(stored(records.items[1].json));
		expect(JSON.stringify(stored(records.items[0].json))).not.toContain('spreadsheet_row');
	});

	it('accepts the node’s field names and purchase items as JSON text', async () => {
		const orderNumber = uniqueOrderNumber('NODE');
		const run = await engineFor(sandbox).runNode({
			type: 'kapitaleOrder',
			parameters: AUTO,
			items: [
				{
					orderNumber,
					retailCnpj: '11222333000181',
					requestedAmount: 200,
					purchaseDate: '2025-02-26',
					expiryDate: '2025-12-31',
					purchaseItems: '[{"value": 100, "quantity": 2}]',
				},
			],
		});
		expectNoError(run);
		expect(run.items[0].json).toMatchObject({
			order_no: orderNumber,
			requested_amount: 200,
			purchase_items: [{ value: 100, quantity: 2 }],
		});
	});

	it('takes the example sheet’s own column names (order_number, cnpj, amount, items as JSON text)', async () => {
		const orderNumber = uniqueOrderNumber('SHEET');
		const run = await engineFor(sandbox).runNode({
			type: 'kapitaleOrder',
			parameters: AUTO,
			items: [
				{
					row: 2,
					order_number: orderNumber,
					cnpj: '11.222.333/0001-81',
					amount: 'R$ 10.000,00',
					purchase_date: '26/02/2025',
					expiry_date: '31/12/2025',
					items: '[{"description": "Produto A", "value": "R$ 5.000,00", "quantity": 2}]',
				},
			],
		});
		expectNoError(run);
		expect(run.items[0].json).toMatchObject({
			order_no: orderNumber,
			requested_amount: 10000,
			purchase_items: [{ value: 5000, quantity: 2, description: 'Produto A' }],
		});
	});

	it('refuses an item without a required column before any request, listing the names looked for and the item’s own', async () => {
		const row = sheetRow();
		delete row.order_number;
		delete row.requested_amount;
		const run = await engineFor(sandbox).runNode({
			type: 'kapitaleOrder',
			parameters: AUTO,
			items: [sheetRow(), { ...row, total_value: 'R$ 1.234,56' }],
		});
		expect(sandbox.requestLog()).toEqual([]);
		expect(run.error?.name).toBe('NodeOperationError');
		expect(run.error?.context?.itemIndex).toBe(1);
		const message = run.error?.message ?? '';
		expect(message).toMatch(
			/^Item 1, field "Order Number": not in the input item \(looked for order_number, orderNumber, order_no, number\)\./,
		);
		expect(message).toContain(
			'Also missing: "Requested Amount" (looked for requested_amount, requestedAmount, amount, total).',
		);
		expect(message).toContain('The item has: retail_cnpj, purchase_date, expiry_date');
		expect(message).toContain('total_value');
	});

	it.each([
		['a bad CNPJ', { retail_cnpj: '11.222.333/0001-80' }],
		['a bad date', { expiry_date: '31/02/2025' }],
		['a bad amount', { requested_amount: 'R$ abc' }],
		['a bad item quantity', { items: [{ value: 617.28, quantity: 0 }] }],
	])(
		'refuses %s before any request, with the manual mode’s item-and-field error',
		async (_case, override) => {
			const items = [sheetRow(), sheetRow(override)];
			const auto = await engineFor(sandbox).runNode({
				type: 'kapitaleOrder',
				parameters: AUTO,
				items,
			});
			expect(sandbox.requestLog()).toEqual([]);
			const byHand = await engineFor(sandbox).runNode({
				type: 'kapitaleOrder',
				parameters: manual,
				items,
			});
			expect(sandbox.requestLog()).toEqual([]);
			expect(auto.error?.name).toBe('NodeOperationError');
			expect(auto.error?.message).toMatch(/^Item 1, field "/);
			expect(auto.error?.context?.itemIndex).toBe(1);
			// The manual mode names its JSON input "Purchase Items (JSON)"; the rest of the message is the same.
			expect(auto.error?.message).toBe(
				byHand.error?.message.replace('Purchase Items (JSON)', 'Purchase Items'),
			);
		},
	);

	it('with continue on fail, keeps every item paired: good, invalid, good', async () => {
		const items = [sheetRow(), sheetRow({ retail_cnpj: 'abc' }), sheetRow()];
		const run = await engineFor(sandbox).runNode({
			type: 'kapitaleOrder',
			parameters: AUTO,
			items,
			continueOnFail: true,
		});
		expectNoError(run);
		expect(run.items.map((item) => item.pairedItem)).toEqual([0, 1, 2].map((item) => ({ item })));
		expect(run.items[0].json.order_no).toBe(items[0].order_number);
		expect(run.items[1].json.error).toMatch(/^Item 1, field "Retail CNPJ"/);
		expect(run.items[2].json.order_no).toBe(items[2].order_number);
		expect(kapitaleRequests(sandbox, 'POST')).toHaveLength(2);
	});
});
