import type { IDataObject } from 'n8n-workflow';

import { KapitaleOrder } from '../../nodes/Kapitale/KapitaleOrder/KapitaleOrder.node';
import {
	engineFor,
	expectNoError,
	kapitaleRequests,
	loadOptionsContext,
	openSandbox,
	type RunningSandbox,
} from './helpers';

const byId = (value: string) => ({ __rl: true, mode: 'id', value });
const getMany = (extra: IDataObject = {}): IDataObject => ({
	resource: 'order',
	operation: 'getAll',
	...extra,
});

describe('Kapitale Order: Get, Get Many and the order list search', () => {
	let sandbox: RunningSandbox;
	beforeAll(async () => {
		// A little latency per request makes concurrent page reads visible in the request log.
		sandbox = await openSandbox({ latencyMs: 15 });
		sandbox.seedOrders(420);
	});
	afterAll(async () => await sandbox.close());
	beforeEach(() => sandbox.clearLog());

	it('gets an order by ID, and the same order picked from the list', async () => {
		const id = sandbox.fixtures.orderIdsByStatus.approved[0];
		const engine = engineFor(sandbox);
		const viaId = await engine.runNode({
			type: 'kapitaleOrder',
			parameters: { resource: 'order', operation: 'get', orderId: byId(id) },
		});
		expectNoError(viaId);
		expect(viaId.items).toHaveLength(1);
		expect(viaId.items[0].json).toMatchObject({ id, order_status: 'approved' });
		expect(viaId.items[0].json.purchase_items).toEqual(expect.any(Array));
		const viaList = await engine.runNode({
			type: 'kapitaleOrder',
			parameters: {
				resource: 'order',
				operation: 'get',
				orderId: { __rl: true, mode: 'list', value: id, cachedResultName: 'x' },
			},
		});
		expect(viaList.items[0].json).toEqual(viaId.items[0].json);
	});

	it('sends an order ID typed without hyphens (or in capitals) in its canonical form', async () => {
		const id = sandbox.fixtures.orderIdsByStatus.approved[0];
		const run = await engineFor(sandbox).runNode({
			type: 'kapitaleOrder',
			parameters: {
				resource: 'order',
				operation: 'get',
				orderId: byId(id.replace(/-/g, '').toUpperCase()),
			},
		});
		expectNoError(run);
		expect(run.items[0].json.id).toBe(id);
		expect(kapitaleRequests(sandbox, 'GET').map((entry) => entry.path)).toEqual([
			`/kapitale/order/${id}`,
		]);
	});

	it('gets the orders named by an expression, one per input item, paired', async () => {
		const ids = [
			sandbox.fixtures.orderIdsByStatus.pending[0],
			sandbox.fixtures.orderIdsByStatus.paid[0],
			sandbox.fixtures.orderIdsByStatus.rejected[0],
		];
		const run = await engineFor(sandbox).runNode({
			type: 'kapitaleOrder',
			parameters: { resource: 'order', operation: 'get', orderId: byId('={{ $json.id }}') },
			items: ids.map((id) => ({ id })),
		});
		expectNoError(run);
		expect(run.items.map((item) => item.json.id)).toEqual(ids);
		expect(run.items.map((item) => item.json.order_status)).toEqual([
			'pending',
			'paid',
			'rejected',
		]);
		expect(run.items.map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
		]);
	});

	it('surfaces an unknown order (404) as an API error with the API message', async () => {
		const run = await engineFor(sandbox).runNode({
			type: 'kapitaleOrder',
			parameters: {
				resource: 'order',
				operation: 'get',
				orderId: byId('00000000-0000-4000-8000-000000000000'),
			},
		});
		expect(run.error?.name).toBe('NodeApiError');
		expect(run.error?.httpCode).toBe('404');
		expect(run.error?.message).toBe('Order not found');
		// A 404 is not retried.
		expect(kapitaleRequests(sandbox, 'GET')).toHaveLength(1);
	});

	it('refuses an ID that is not an order ID before sending anything', async () => {
		const run = await engineFor(sandbox).runNode({
			type: 'kapitaleOrder',
			parameters: { resource: 'order', operation: 'get', orderId: byId('={{ $json.id }}') },
			items: [{ id: sandbox.fixtures.orderIdsByStatus.pending[0] }, { id: 'ORD-2026-0001' }],
		});
		expect(run.error?.name).toBe('NodeOperationError');
		expect(run.error?.message).toBe(
			'Item 1, field "Order": "ORD-2026-0001" is not a Kapitale order ID (expected a UUID such as 550e8400-e29b-41d4-a716-446655440000)',
		);
		expect(sandbox.requestLog()).toEqual([]);
	});

	it('Return All reads page 1, then the other pages concurrently: exact count, in order, no duplicates', async () => {
		const total = sandbox.counts().orders;
		expect(total).toBeGreaterThan(400);
		const run = await engineFor(sandbox).runNode({
			type: 'kapitaleOrder',
			parameters: getMany({ returnAll: true, options: { concurrency: 4 } }),
		});
		expectNoError(run);
		expect(run.items).toHaveLength(total);
		const ids = run.items.map((item) => item.json.id);
		expect(new Set(ids).size).toBe(total);
		// Newest first, as the API sorts them: the output keeps page order.
		const created = run.items.map((item) => String(item.json.createdAt));
		expect([...created].sort().reverse()).toEqual(created);
		expect(run.items.map((item) => item.pairedItem)).toEqual(ids.map(() => ({ item: 0 })));

		const pages = kapitaleRequests(sandbox, 'GET', '/kapitale/order');
		const totalPages = Math.ceil(total / 100);
		expect(pages.map((entry) => Number(entry.query.page)).sort((a, b) => a - b)).toEqual(
			Array.from({ length: totalPages }, (_, index) => index + 1),
		);
		expect(pages.every((entry) => entry.query.limit === '100')).toBe(true);
		expect(pages[0].query.page).toBe('1');
		const rest = pages.slice(1);
		expect(rest.every((entry) => entry.startedAt >= pages[0].finishedAt)).toBe(true);
		const overlapping = rest.some((a) =>
			rest.some((b) => a !== b && a.startedAt < b.finishedAt && b.startedAt < a.finishedAt),
		);
		expect(overlapping).toBe(true);
		const inFlight = Math.max(
			...rest.map(
				(a) => rest.filter((b) => b.startedAt <= a.startedAt && a.startedAt < b.finishedAt).length,
			),
		);
		expect(inFlight).toBeLessThanOrEqual(4);
	});

	it('Limit reads only the pages it needs', async () => {
		const run = await engineFor(sandbox).runNode({
			type: 'kapitaleOrder',
			parameters: getMany({ returnAll: false, limit: 130 }),
		});
		expectNoError(run);
		expect(run.items).toHaveLength(130);
		const pages = kapitaleRequests(sandbox, 'GET', '/kapitale/order');
		expect(pages.map((entry) => entry.query.page).sort()).toEqual(['1', '2']);
		const small = await engineFor(sandbox).runNode({
			type: 'kapitaleOrder',
			parameters: getMany({ returnAll: false, limit: 7 }),
		});
		expect(small.items).toHaveLength(7);
		expect(kapitaleRequests(sandbox, 'GET', '/kapitale/order').slice(-1)[0].query).toMatchObject({
			page: '1',
			limit: '7',
		});
	});

	it('filters by status and by part of the retail CNPJ; Simplify gives flat rows, without the account-wide pendingInvoices', async () => {
		const run = await engineFor(sandbox).runNode({
			type: 'kapitaleOrder',
			parameters: getMany({
				returnAll: true,
				filters: { status: ['pending_invoice', 'approved'] },
			}),
		});
		expectNoError(run);
		expect(run.items.length).toBeGreaterThan(0);
		expect(
			run.items.every((item) =>
				['pending_invoice', 'approved'].includes(item.json.orderStatus as string),
			),
		).toBe(true);
		expect(kapitaleRequests(sandbox, 'GET', '/kapitale/order')[0].query.status).toBe(
			'pending_invoice,approved',
		);
		// The page's pendingInvoices counts the whole account: on an order row it would read as this order's.
		expect(run.items.every((item) => !('pendingInvoices' in item.json))).toBe(true);
		expect(Object.keys(run.items[0].json).sort()).toEqual(
			[
				'id',
				'orderNumber',
				'orderStatus',
				'paymentStatus',
				'retailName',
				'retailCnpj',
				'retailCnpjFormatted',
			].sort(),
		);
		// Only what the list carries: no column is empty on every row.
		expect(
			Object.values(run.items[0].json).every((value) => value !== null && value !== undefined),
		).toBe(true);
		expect(
			Object.values(run.items[0].json).every(
				(value) => value === null || typeof value !== 'object',
			),
		).toBe(true);

		const cnpj = sandbox.fixtures.registeredRetailCnpj;
		const masked = `${cnpj.slice(0, 2)}.${cnpj.slice(2, 5)}.${cnpj.slice(5, 8)}`;
		const byRetail = await engineFor(sandbox).runNode({
			type: 'kapitaleOrder',
			parameters: getMany({ returnAll: true, simplify: false, filters: { retailCnpj: masked } }),
		});
		expectNoError(byRetail);
		expect(byRetail.items.length).toBeGreaterThan(0);
		expect(
			byRetail.items.every((item) =>
				String((item.json.retail as IDataObject).cnpj).startsWith(cnpj.slice(0, 8)),
			),
		).toBe(true);
		expect(kapitaleRequests(sandbox, 'GET', '/kapitale/order').slice(-1)[0].query.retail_cnpj).toBe(
			cnpj.slice(0, 8),
		);
		expect(byRetail.items[0].json).toHaveProperty('order_no');
		expect(byRetail.items[0].json).not.toHaveProperty('pendingInvoices');
	});

	it('Summary Only returns one item with the counts', async () => {
		const run = await engineFor(sandbox).runNode({
			type: 'kapitaleOrder',
			parameters: getMany({ output: 'summary', filters: { status: ['pending_invoice'] } }),
		});
		expectNoError(run);
		expect(run.items).toHaveLength(1);
		const count = sandbox.fixtures.orderIdsByStatus.pending_invoice.length;
		expect(run.items[0].json).toEqual({
			count,
			pendingInvoices: count,
			statusFilter: 'pending_invoice',
			retailCnpjFilter: null,
		});
		expect(kapitaleRequests(sandbox, 'GET', '/kapitale/order')).toHaveLength(1);
	});

	it('accepts statuses as comma-separated text (expressions, AI agents) and refuses unknown ones before sending', async () => {
		const run = await engineFor(sandbox).runNode({
			type: 'kapitaleOrder',
			parameters: getMany({ limit: 5, filters: { status: '={{ "paid, rejected" }}' } }),
		});
		expectNoError(run);
		expect(kapitaleRequests(sandbox, 'GET', '/kapitale/order')[0].query.status).toBe(
			'paid,rejected',
		);
		expect(
			run.items.every((item) => ['paid', 'rejected'].includes(item.json.orderStatus as string)),
		).toBe(true);
		sandbox.clearLog();
		const bad = await engineFor(sandbox).runNode({
			type: 'kapitaleOrder',
			parameters: getMany({ filters: { status: '={{ "paid,shipped" }}' } }),
		});
		expect(bad.error?.message).toMatch(/^Item 0, field "Order Status": "shipped" is not a status/);
		expect(sandbox.requestLog()).toEqual([]);
	});

	it('refuses a retail CNPJ filter with symbols before sending anything', async () => {
		const run = await engineFor(sandbox).runNode({
			type: 'kapitaleOrder',
			parameters: getMany({ filters: { retailCnpj: '11*222' } }),
		});
		expect(run.error?.message).toMatch(
			/^Item 0, field "Retail CNPJ": "11\*222" is not \(part of\) a CNPJ/,
		);
		expect(sandbox.requestLog()).toEqual([]);
	});

	it('lists recent orders as "order number – status – retail" and filters them by the typed text', async () => {
		const engine = engineFor(sandbox);
		const context = loadOptionsContext(
			engine,
			'kapitaleOrder',
			{ resource: 'order', operation: 'get' },
			'parameters.orderId',
		);
		const search = new KapitaleOrder().methods.listSearch.searchOrders;
		const first = await search.call(context);
		expect(first.results).toHaveLength(100);
		expect(first.paginationToken).toBe('2');
		expect(first.results[0].name).toMatch(
			/^.+ – (awaiting approval|approved|rejected|awaiting invoice|invoice sent|paid|cancelled) – .+$/,
		);
		expect(first.results[0].value).toMatch(/^[0-9a-f-]{36}$/);

		const second = await search.call(context, undefined, first.paginationToken);
		expect(second.results.map((result) => result.value)).not.toContain(first.results[0].value);

		const target = first.results[5];
		const orderNumber = target.name.split(' – ')[0];
		const filtered = await search.call(context, orderNumber.toLowerCase());
		expect(filtered.results.map((result) => result.value)).toContain(target.value);
		expect(
			filtered.results.every((result) =>
				result.name.toLowerCase().includes(orderNumber.toLowerCase()),
			),
		).toBe(true);
	});

	it.each([
		['setInvoice', ['pending_invoice'], ['awaiting invoice']],
		[
			'cancel',
			['pending', 'approved', 'pending_invoice'],
			['awaiting approval', 'approved', 'awaiting invoice'],
		],
	])('%s’s order list shows only the orders it can act on', async (operation, statuses, labels) => {
		const engine = engineFor(sandbox);
		const context = loadOptionsContext(
			engine,
			'kapitaleOrder',
			{ resource: 'order', operation },
			'parameters.orderId',
		);
		const search = new KapitaleOrder().methods.listSearch.searchOrders;
		sandbox.clearLog();
		const listed = await search.call(context);
		expect(listed.results.length).toBeGreaterThan(0);
		// The whole list, page by page, as the editor scrolls it.
		for (let token = listed.paginationToken; token; ) {
			const next = await search.call(context, undefined, token);
			listed.results.push(...next.results);
			token = next.paginationToken;
		}
		expect(kapitaleRequests(sandbox, 'GET', '/kapitale/order')[0].query.status).toBe(
			statuses.join(','),
		);
		expect(listed.results.every((result) => labels.includes(result.name.split(' – ')[1]!))).toBe(
			true,
		);
		const listedIds = new Set(listed.results.map((result) => String(result.value)));
		// Orders it cannot act on (paid, cancelled, rejected, invoice sent) stay out of the list.
		for (const status of ['paid', 'cancelled', 'rejected', 'invoice_sent'] as const)
			for (const id of sandbox.fixtures.orderIdsByStatus[status])
				expect(listedIds.has(id)).toBe(false);
		// Every status the operation accepts is offered.
		expect(new Set(listed.results.map((result) => result.name.split(' – ')[1]))).toEqual(
			new Set(labels),
		);
	});
});
