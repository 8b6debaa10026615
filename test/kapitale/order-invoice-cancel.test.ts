import type { IDataObject } from 'n8n-workflow';

import { faultRng } from '../../sandbox';
import {
	binaryItem,
	control,
	engineFor,
	expectNoError,
	kapitaleRequests,
	minimalPdf,
	openSandbox,
	uniqueOrderNumber,
	type RunningSandbox,
} from './helpers';

const byId = (value: string) => ({ __rl: true, mode: 'id', value });

const setInvoice = (extra: IDataObject = {}): IDataObject => ({
	resource: 'order',
	operation: 'setInvoice',
	orderId: byId('={{ $json.orderId }}'),
	invoiceNumber: '={{ $json.invoiceNumber }}',
	binaryPropertyName: 'data',
	...extra,
});

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

describe('Kapitale Order: Set Invoice and Cancel', () => {
	let sandbox: RunningSandbox;
	beforeAll(async () => (sandbox = await openSandbox()));
	afterAll(async () => await sandbox.close());

	/** A new order moved to the given status through the sandbox control API. */
	async function newOrder(
		status: 'pending' | 'pending_invoice' | 'approved' | 'paid' = 'pending',
	): Promise<string> {
		const run = await engineFor(sandbox).runNode({
			type: 'kapitaleOrder',
			parameters: {
				resource: 'order',
				operation: 'create',
				orderNumber: uniqueOrderNumber('INV'),
				retailCnpj: sandbox.fixtures.registeredRetailCnpj,
				requestedAmount: 2500,
				purchaseDate: '2025-03-01',
				expiryDate: '2025-06-30',
				purchaseItems: { item: [{ value: 1250, quantity: 2 }] },
			},
		});
		expectNoError(run);
		const id = run.items[0].json.id as string;
		if (status === 'pending_invoice' || status === 'paid')
			expect((await control(sandbox, `/orders/${id}/pending-invoice`)).status).toBe(200);
		if (status === 'approved')
			expect((await control(sandbox, `/orders/${id}/approve`)).status).toBe(200);
		if (status === 'paid') expect((await control(sandbox, `/orders/${id}/pay`)).status).toBe(200);
		sandbox.clearLog();
		return id;
	}

	it('uploads a real PDF invoice as multipart and returns the updated order', async () => {
		const [first, second] = [await newOrder('pending_invoice'), await newOrder('pending_invoice')];
		const pdf = minimalPdf();
		const run = await engineFor(sandbox).runNode({
			type: 'kapitaleOrder',
			parameters: setInvoice(),
			items: [
				binaryItem(
					{ orderId: first, invoiceNumber: `NF-${first.slice(0, 8)}` },
					pdf,
					'nota-fiscal.pdf',
					'application/pdf',
				),
				// An image whose declared type is wrong: the content decides.
				binaryItem(
					{
						orderId: second,
						invoiceNumber: `NF-${second.slice(0, 8)}`,
						orderStatus: 'pending_invoice',
					},
					PNG,
					'scan',
					'application/octet-stream',
				),
			],
		});
		expectNoError(run);
		expect(run.items).toHaveLength(2);
		expect(run.items[0].json).toMatchObject({
			id: first,
			order_status: 'invoice_sent',
			invoice_number: `NF-${first.slice(0, 8)}`,
			invoice: { filename: 'nota-fiscal.pdf', mimetype: 'application/pdf', size: pdf.length },
		});
		expect(run.items[1].json).toMatchObject({
			id: second,
			order_status: 'invoice_sent',
			invoice: { mimetype: 'image/png', size: PNG.length },
		});
		const uploads = kapitaleRequests(sandbox, 'PATCH');
		expect(uploads.map((entry) => entry.path).sort()).toEqual(
			[`/kapitale/order/invoice/${first}`, `/kapitale/order/invoice/${second}`].sort(),
		);
	});

	it('checks every file by reference first and reads each whole file only when its item is sent', async () => {
		// n8n-core's own helper behind this.helpers.getBinaryDataBuffer: each call is a whole file in memory.
		const binaryHelpers = require('n8n-core/dist/execution-engine/node-execution-context/utils/binary-helper-functions');
		const uploadsAtEachRead: number[] = [];
		const original = binaryHelpers.getBinaryDataBuffer as (...args: unknown[]) => Promise<Buffer>;
		const spy = jest
			.spyOn(binaryHelpers, 'getBinaryDataBuffer')
			.mockImplementation(async (...args: unknown[]) => {
				uploadsAtEachRead.push(kapitaleRequests(sandbox, 'PATCH').length);
				return await original(...args);
			});
		try {
			const ids = [
				await newOrder('pending_invoice'),
				await newOrder('pending_invoice'),
				await newOrder('pending_invoice'),
			];
			const run = await engineFor(sandbox).runNode({
				type: 'kapitaleOrder',
				parameters: setInvoice({ options: { concurrency: 1 } }),
				items: ids.map((id) =>
					binaryItem(
						{ orderId: id, invoiceNumber: `NF-M-${id.slice(0, 8)}` },
						minimalPdf(),
						'nf.pdf',
						'application/pdf',
					),
				),
			});
			expectNoError(run);
			// With Parallel Requests 1: file k is read after k uploads, never all three up front.
			expect(uploadsAtEachRead).toEqual([0, 1, 2]);
		} finally {
			spy.mockRestore();
		}
	});

	it('resends the whole multipart body when Kapitale answers 429 before processing the upload', async () => {
		const id = await newOrder('pending_invoice');
		// The sandbox's faults are deterministic: pick a rule position and a rate so that exactly the
		// first matching request is rate limited; the rules before it never match.
		let position = 0;
		let draws: number[] = [];
		for (; position < 50; position++) {
			const rng = faultRng(1, position, 'rateLimitRate');
			draws = [rng(), rng()];
			if (draws[0] < draws[1]) break;
		}
		const unused = Array.from({ length: position }, () => ({
			service: 'kapitale' as const,
			pathPrefix: '/never',
			rateLimitRate: 1,
		}));
		sandbox.setFaults([
			...unused,
			{
				service: 'kapitale',
				method: 'PATCH',
				pathPrefix: '/order/invoice/',
				rateLimitRate: (draws[0] + draws[1]) / 2,
				retryAfterSeconds: 0,
			},
		]);
		try {
			const pdf = minimalPdf('retried');
			const run = await engineFor(sandbox).runNode({
				type: 'kapitaleOrder',
				parameters: setInvoice(),
				items: [
					binaryItem(
						{ orderId: id, invoiceNumber: `NF-R-${id.slice(0, 8)}` },
						pdf,
						'nf.pdf',
						'application/pdf',
					),
				],
			});
			expectNoError(run);
			expect(run.items[0].json).toMatchObject({
				order_status: 'invoice_sent',
				invoice: { size: pdf.length, mimetype: 'application/pdf' },
			});
			expect(kapitaleRequests(sandbox, 'PATCH').map((entry) => entry.status)).toEqual([429, 200]);
		} finally {
			sandbox.setFaults([]);
		}
	});

	it('refuses a file that is not a PDF or an image, by its content, before sending anything', async () => {
		const id = await newOrder('pending_invoice');
		const fakePdf = Buffer.from('Nota fiscal 123 – this is plain text, not a PDF');
		const run = await engineFor(sandbox).runNode({
			type: 'kapitaleOrder',
			parameters: setInvoice(),
			items: [
				binaryItem(
					{ orderId: id, invoiceNumber: 'NF-OK' },
					minimalPdf(),
					'a.pdf',
					'application/pdf',
				),
				binaryItem(
					{ orderId: id, invoiceNumber: 'NF-FAKE' },
					fakePdf,
					'invoice.pdf',
					'application/pdf',
				),
			],
		});
		expect(run.error?.name).toBe('NodeOperationError');
		expect(run.error?.message).toBe(
			'Item 1, field "Input Binary Field": the file "invoice.pdf" (declared as application/pdf) is not a PDF or an image (PNG, JPEG, GIF, WEBP) by its content',
		);
		expect(sandbox.requestLog()).toEqual([]);
	});

	it('names a missing binary field and refuses before sending', async () => {
		const id = await newOrder('pending_invoice');
		const run = await engineFor(sandbox).runNode({
			type: 'kapitaleOrder',
			parameters: setInvoice({ binaryPropertyName: 'invoice' }),
			items: [
				binaryItem(
					{ orderId: id, invoiceNumber: 'NF-X' },
					minimalPdf(),
					'a.pdf',
					'application/pdf',
				),
			],
		});
		expect(run.error?.message).toBe(
			'Item 0, field "Input Binary Field": the input item has no binary field "invoice" (the item has "data")',
		);
		expect(sandbox.requestLog()).toEqual([]);
	});

	it('refuses when the input item says the order is not pending_invoice', async () => {
		const id = await newOrder('pending');
		const run = await engineFor(sandbox).runNode({
			type: 'kapitaleOrder',
			parameters: setInvoice(),
			items: [
				binaryItem(
					{ id, orderId: id, order_status: 'approved', invoiceNumber: 'NF-Y' },
					minimalPdf(),
					'a.pdf',
					'application/pdf',
				),
			],
		});
		expect(run.error?.message).toBe(
			`Item 0, field "Order": order ${id} has status "approved": an invoice can only be set while the order is "pending_invoice"`,
		);
		expect(sandbox.requestLog()).toEqual([]);
	});

	it('surfaces an order in the wrong status (409) with the API message when the status was not known', async () => {
		const id = await newOrder('pending');
		const run = await engineFor(sandbox).runNode({
			type: 'kapitaleOrder',
			parameters: setInvoice(),
			items: [
				binaryItem(
					{ orderId: id, invoiceNumber: `NF-W-${id.slice(0, 6)}` },
					minimalPdf(),
					'a.pdf',
					'application/pdf',
				),
			],
		});
		expect(run.error?.name).toBe('NodeApiError');
		expect(run.error?.httpCode).toBe('409');
		expect(run.error?.message).toBe(
			'Order must have status pending_invoice to receive an invoice (current status: pending)',
		);
		expect(kapitaleRequests(sandbox, 'PATCH')).toHaveLength(1);
	});

	it('surfaces a duplicate invoice number (409) with the API message', async () => {
		const id = await newOrder('pending_invoice');
		const used = sandbox.fixtures.invoiceNumbersInUse[0];
		const run = await engineFor(sandbox).runNode({
			type: 'kapitaleOrder',
			parameters: setInvoice(),
			items: [
				binaryItem({ orderId: id, invoiceNumber: used }, minimalPdf(), 'a.pdf', 'application/pdf'),
			],
		});
		expect(run.error?.name).toBe('NodeApiError');
		expect(run.error?.httpCode).toBe('409');
		expect(run.error?.message).toBe(`invoice_number ${used} is already used by another order`);
	});

	it('cancels an order with a reason', async () => {
		const id = await newOrder('approved');
		const run = await engineFor(sandbox).runNode({
			type: 'kapitaleOrder',
			parameters: {
				resource: 'order',
				operation: 'cancel',
				orderId: byId(id),
				reason: 'Order canceled at customer request',
			},
		});
		expectNoError(run);
		expect(run.items[0].json).toMatchObject({
			id,
			order_status: 'cancelled',
			cancel_reason: 'Order canceled at customer request',
		});
		const [request] = kapitaleRequests(sandbox, 'PATCH');
		expect(request.path).toBe(`/kapitale/order/cancel/${id}`);
	});

	it('surfaces a cancel from a state that cannot be cancelled (409) with the API message', async () => {
		const id = await newOrder('paid');
		const run = await engineFor(sandbox).runNode({
			type: 'kapitaleOrder',
			parameters: { resource: 'order', operation: 'cancel', orderId: byId(id), reason: 'Too late' },
		});
		expect(run.error?.name).toBe('NodeApiError');
		expect(run.error?.httpCode).toBe('409');
		expect(run.error?.message).toMatch(/^Order cannot be cancelled in status paid/);
	});

	it('surfaces an unknown order on cancel (404) and refuses an empty reason before sending', async () => {
		const missing = await engineFor(sandbox).runNode({
			type: 'kapitaleOrder',
			parameters: {
				resource: 'order',
				operation: 'cancel',
				orderId: byId('11111111-2222-4333-8444-555555555555'),
				reason: 'x',
			},
		});
		expect(missing.error?.name).toBe('NodeApiError');
		expect(missing.error?.message).toBe('Order not found');
		sandbox.clearLog();
		const empty = await engineFor(sandbox).runNode({
			type: 'kapitaleOrder',
			parameters: {
				resource: 'order',
				operation: 'cancel',
				orderId: byId('11111111-2222-4333-8444-555555555555'),
				reason: '   ',
			},
		});
		expect(empty.error?.message).toBe('Item 0, field "Reason": is required');
		expect(sandbox.requestLog()).toEqual([]);
	});

	it('with continue on fail, pairs every cancel result or error to its item', async () => {
		const [a, b] = [await newOrder('pending'), await newOrder('paid')];
		const run = await engineFor(sandbox).runNode({
			type: 'kapitaleOrder',
			parameters: {
				resource: 'order',
				operation: 'cancel',
				orderId: byId('={{ $json.id }}'),
				reason: 'Duplicate',
			},
			items: [{ id: a }, { id: 'nope' }, { id: b }],
			continueOnFail: true,
		});
		expectNoError(run);
		expect(run.items.map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
		]);
		expect(run.items[0].json.order_status).toBe('cancelled');
		expect(run.items[1].json.error).toMatch(/^Item 1, field "Order"/);
		expect(run.items[2].json.error).toMatch(/cannot be cancelled in status paid/);
	});
});
