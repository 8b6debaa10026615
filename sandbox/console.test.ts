/**
 * The console page and the control API it uses: lists, the state machines' moves (and only those),
 * refusals that change nothing, webhook resend, the automatic lifecycle, masking and the loopback
 * guard.
 */
import * as http from 'http';
import type { AddressInfo } from 'net';
import { RunningSandbox, startSandbox } from './index';
import { control, getToken, kapitale, partner, rawRequest } from './testing';

let sb: RunningSandbox;
let receiver: http.Server;
let receiverUrl: string;
const received: any[] = [];

beforeAll(async () => {
	sb = await startSandbox({ quiet: true, webhookRetryDelaysMs: [50] });
	receiver = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			received.push({ headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString()) });
			res.writeHead(200).end('ok');
		});
	});
	await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
	receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
});
afterAll(async () => {
	await sb.close();
	await new Promise((r) => receiver.close(r));
});
beforeEach(async () => {
	await control(sb, 'POST', '/reset', { keepWebhooks: false });
	received.length = 0;
});

async function waitFor<T>(probe: () => Promise<T | undefined>, ms = 5000): Promise<T> {
	const end = Date.now() + ms;
	for (;;) {
		const v = await probe();
		if (v) return v;
		if (Date.now() > end) throw new Error('timed out');
		await new Promise((r) => setTimeout(r, 20));
	}
}

/** A snapshot of everything the APIs can show, to prove that a refusal changed nothing. */
async function snapshot(): Promise<string> {
	const parts = await Promise.all(
		[
			'/orders?limit=500',
			'/customers?limit=500',
			'/operations?limit=500',
			'/webhooks',
			'/faults',
		].map(async (p) => (await control(sb, 'GET', p)).json),
	);
	return JSON.stringify(parts);
}

describe('console page', () => {
	test('the root URL serves the page to a browser, JSON to a script; assets are local', async () => {
		const page = await rawRequest(`${sb.baseUrl}/`, { headers: { Accept: 'text/html' } });
		expect(page.status).toBe(200);
		expect(page.headers['content-type']).toMatch(/^text\/html/);
		expect(page.text).toContain('Kapitale sandbox');
		expect(page.headers['content-security-policy']).toContain("default-src 'self'");
		// no http(s) URL of another host anywhere in the page's files
		for (const asset of ['/console/app.js', '/console/style.css']) {
			const r = await rawRequest(sb.baseUrl + asset);
			expect(r.status).toBe(200);
			expect(r.text).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)/);
		}
		expect(page.text).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)/);
		const json = await rawRequest(`${sb.baseUrl}/`);
		expect(json.json).toMatchObject({ name: 'kapitale-sandbox', controlUrl: sb.controlUrl });
	});

	test('another host name, another site or another machine is refused', async () => {
		const port = new URL(sb.baseUrl).port;
		const rebound = await rawRequest(`${sb.controlUrl}/info`, {
			headers: { Host: `evil.example:${port}` },
		});
		expect(rebound.status).toBe(403);
		expect(rebound.json.message).toMatch(/127\.0\.0\.1 or localhost/);
		const before = await snapshot();
		const crossSite = await rawRequest(`${sb.controlUrl}/reset`, {
			method: 'POST',
			headers: { Origin: 'http://evil.example' },
		});
		expect(crossSite.status).toBe(403);
		const page = await rawRequest(`${sb.baseUrl}/console`, {
			headers: { Host: `evil.example:${port}` },
		});
		expect(page.status).toBe(403);
		// the same origin (the console itself) is fine
		const same = await rawRequest(`${sb.controlUrl}/counts`, {
			headers: { Origin: sb.baseUrl },
		});
		expect(same.status).toBe(200);
		expect(await snapshot()).toBe(before);
	});
});

describe('lists', () => {
	test('orders newest first, searchable, with the moves each status allows', async () => {
		const { json } = await control(sb, 'GET', '/orders?limit=100');
		expect(json.total).toBe(29);
		const created = json.items.map((o: any) => o.created_at);
		expect([...created].sort().reverse()).toEqual(created);
		const byStatus = Object.fromEntries(json.items.map((o: any) => [o.order_status, o.actions]));
		expect(byStatus.pending).toEqual(['approve', 'reject', 'pending-invoice', 'cancel']);
		expect(byStatus.approved).toEqual(['reject', 'pending-invoice', 'pay', 'cancel']);
		expect(byStatus.pending_invoice).toEqual(['pay', 'cancel']);
		expect(byStatus.invoice_sent).toEqual(['pay']);
		expect(byStatus.paid).toEqual([]);
		expect(byStatus.cancelled).toEqual([]);
		expect(byStatus.rejected).toEqual([]);
		const found = await control(sb, 'GET', '/orders?search=ord-2026-0003');
		expect(found.json.items.map((o: any) => o.order_no)).toEqual(['ORD-2026-0003']);
		const byRetail = await control(sb, 'GET', '/orders?search=ALIANCA&status=pending');
		expect(byRetail.json.items.length).toBeGreaterThan(0);
		for (const o of byRetail.json.items) {
			expect(o.retail.name).toMatch(/Aliança/);
			expect(o.order_status).toBe('pending');
		}
		expect((await control(sb, 'GET', '/orders?status=nope')).status).toBe(400);
		expect((await control(sb, 'GET', '/orders?limit=0')).status).toBe(400);
	});

	test('customers (terms accepted or not) and operations (status), newest first', async () => {
		const customers = (await control(sb, 'GET', '/customers')).json;
		expect(customers.total).toBe(6);
		expect(customers.items.some((c: any) => !c.term_accept)).toBe(true);
		for (const c of customers.items)
			expect(c.actions).toEqual(c.term_accept ? [] : ['accept-terms']);
		const ops = (await control(sb, 'GET', '/operations')).json;
		expect(ops.total).toBe(10);
		const times = ops.items.map((o: any) => o.created_at);
		expect([...times].sort((a, b) => b - a)).toEqual(times);
		const authorised = ops.items.find((o: any) => o.status_slug === 'autorizado');
		expect(authorised.actions).toEqual(['pago', 'cancelado']);
		expect(ops.items.find((o: any) => o.status_slug === 'pago').actions).toEqual([]);
		const one = (await control(sb, 'GET', `/operations?search=${ops.items[0].id}`)).json;
		expect(one.items.map((o: any) => o.id)).toEqual([ops.items[0].id]);
	});
});

describe('moves', () => {
	test('approving an order: the API answers approved and the subscriber gets order.approved', async () => {
		await control(sb, 'POST', '/webhooks', {
			url: receiverUrl,
			authType: 'bearer',
			authToken: 'hook-secret-123',
		});
		const id = sb.fixtures.orderIdsByStatus.pending[0];
		const r = await control(sb, 'POST', `/orders/${id}/approve`);
		expect(r.status).toBe(200);
		expect(r.json).toMatchObject({ id, order_status: 'approved', actions: expect.any(Array) });
		const token = await getToken(sb);
		expect((await kapitale(sb, token, 'GET', `/order/${id}`)).json).toMatchObject({
			order_status: 'approved',
			payment_status: 'pending',
		});
		const got = await waitFor(async () => received[0]);
		expect(got.headers.authorization).toBe('Bearer hook-secret-123');
		expect(got.body).toMatchObject({
			event_type: 'order.approved',
			data: { order_id: id, status: 'approved' },
		});
	});

	test('cancel from the console = the API’s cancel: cancelled, reason, order.cancelled', async () => {
		await control(sb, 'POST', '/webhooks', { url: receiverUrl });
		const id = sb.fixtures.orderIdsByStatus.pending_invoice[0];
		const r = await control(sb, 'POST', `/orders/${id}/cancel`, { reason: 'Cliente desistiu' });
		expect(r.json).toMatchObject({
			order_status: 'cancelled',
			payment_status: 'cancelled',
			cancel_reason: 'Cliente desistiu',
		});
		expect((await waitFor(async () => received[0])).body.event_type).toBe('order.cancelled');
	});

	test('forbidden moves, unknown ids and bad bodies: a clear 4xx, nothing changes', async () => {
		await control(sb, 'POST', '/webhooks', { url: receiverUrl });
		const before = await snapshot();
		const paid = sb.fixtures.orderIdsByStatus.paid[0];
		const cases: Array<[string, string, unknown, number, RegExp]> = [
			[
				'POST',
				`/orders/${paid}/approve`,
				undefined,
				409,
				/cannot approve order ORD-.*: it is paid/,
			],
			['POST', `/orders/${paid}/cancel`, undefined, 409, /allowed from: pending, approved/],
			['POST', '/orders/00000000-0000-0000-0000-000000000000/approve', undefined, 404, /not found/],
			['POST', `/orders/${paid}/explode`, undefined, 404, /unknown order action explode/],
			[
				'POST',
				`/orders/${sb.fixtures.orderIdsByStatus.pending[0]}/reject`,
				{ reason: 42 },
				400,
				/reason must be a string/,
			],
			[
				'POST',
				`/operations/${sb.fixtures.operationIdsBySlug.pago[0]}/status`,
				{ slug: 'em-analise' },
				409,
				/cannot move operation .* from pago to em-analise \(allowed: none, it is final/,
			],
			[
				'POST',
				`/operations/${sb.fixtures.operationIdsBySlug['em-analise'][0]}/status`,
				{ slug: 'pago' },
				409,
				/allowed: aguardando-documentos, autorizado, reprovado, cancelado/,
			],
			['POST', '/operations/nope/status', { slug: 'pago' }, 404, /operation nope not found/],
			[
				'POST',
				`/operations/${sb.fixtures.operationIdsBySlug['em-analise'][0]}/status`,
				['autorizado'],
				400,
				/JSON object/,
			],
			[
				'POST',
				`/customers/${sb.fixtures.customerIds.PF}/accept-terms`,
				undefined,
				409,
				/already accepted/,
			],
			['POST', '/customers/nope/accept-terms', undefined, 404, /customer nope not found/],
			['DELETE', '/webhooks/nope', undefined, 404, /subscription nope not found/],
			['POST', '/webhooks/deliveries/nope/resend', undefined, 404, /delivery nope not found/],
			['PUT', '/lifecycle', { enabled: 'yes' }, 400, /enabled must be true or false/],
			['PUT', '/lifecycle', { intervalSeconds: 0 }, 400, /intervalSeconds must be/],
			['PUT', '/lifecycle', { every: 3 }, 400, /unknown field every/],
			['PUT', '/faults', [{ errorRate: 5 }], 400, /between 0 and 1/],
			['POST', '/seed/orders', { count: -1 }, 400, /count must be/],
			['POST', '/reset', { keepWebhooks: 'no' }, 400, /keepWebhooks/],
			['GET', '/nowhere', undefined, 404, /unknown control route GET \/nowhere/],
		];
		for (const [method, path, body, status, message] of cases) {
			const r = await control(sb, method, path, body);
			expect({ path, status: r.status }).toEqual({ path, status });
			expect(r.json.message).toMatch(message);
		}
		// malformed JSON and an oversized body
		const bad = await rawRequest(`${sb.controlUrl}/orders/${paid}/approve`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: '{"reason": ',
		});
		expect(bad.status).toBe(400);
		expect(bad.json.message).toMatch(/not valid JSON/);
		const big = await rawRequest(`${sb.controlUrl}/webhooks`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ url: receiverUrl, headers: { 'X-Pad': 'x'.repeat(200_000) } }),
		});
		expect(big.status).toBe(413);
		expect(big.json.message).toMatch(/too large/);
		expect(await snapshot()).toBe(before);
		await new Promise((r) => setTimeout(r, 50));
		expect(received).toEqual([]);
	});

	test('an operation moves through its statuses; the partner API reads each one', async () => {
		const id = sb.fixtures.operationIdsBySlug['em-analise'][0];
		for (const slug of ['aguardando-documentos', 'em-analise', 'autorizado', 'pago']) {
			const r = await control(sb, 'POST', `/operations/${id}/status`, { slug });
			expect(r.status).toBe(200);
			expect((await partner(sb, 'GET', `/operation/status/${id}`)).json.data.slug).toBe(slug);
		}
		// force: a test may still set any status
		const forced = await control(sb, 'POST', `/operations/${id}/status`, {
			slug: 'em-analise',
			force: true,
		});
		expect(forced.json.status_slug).toBe('em-analise');
	});

	test('a customer accepts the terms: the partner API shows term_accept true', async () => {
		const { json } = await control(sb, 'GET', '/customers');
		const c = json.items.find((x: any) => !x.term_accept);
		const r = await control(sb, 'POST', `/customers/${c.id}/accept-terms`);
		expect(r.json).toMatchObject({ term_accept: true });
		const list = await partner(sb, 'GET', '/partner-customer/all?partnerHashId=sbxpartner', {
			limit: 50,
			offset: 0,
		});
		expect(list.json.data.values.find((x: any) => x.id === c.id).term_accept).toBe(true);
	});
});

describe('webhooks and requests', () => {
	test('resend sends the same body again as a new delivery; secrets are listed masked', async () => {
		const sub = await control(sb, 'POST', '/webhooks', {
			url: receiverUrl,
			authType: 'bearer',
			authToken: 'very-secret-token',
		});
		expect((await control(sb, 'GET', '/webhooks')).json[0].authToken).toBe('••••oken');
		await control(sb, 'POST', `/orders/${sb.fixtures.orderIdsByStatus.pending[0]}/approve`);
		const first = await waitFor(async () => {
			const list = (await control(sb, 'GET', '/webhooks/deliveries')).json;
			return list[0]?.state === 'delivered' ? list[0] : undefined;
		});
		const again = await control(sb, 'POST', `/webhooks/deliveries/${first.id}/resend`);
		expect(again.status).toBe(202);
		expect(again.json).toMatchObject({ resendOf: first.id, subscriptionId: sub.json.id });
		await waitFor(async () => received[1]);
		expect(received[1].body).toEqual(received[0].body);
		const list = (await control(sb, 'GET', '/webhooks/deliveries?limit=1')).json;
		expect(list).toHaveLength(1);
		expect(list[0].id).toBe(again.json.id);
		// the subscription gone, resend explains why it cannot
		await control(sb, 'DELETE', `/webhooks/${sub.json.id}`);
		const gone = await control(sb, 'POST', `/webhooks/deliveries/${first.id}/resend`);
		expect(gone.status).toBe(409);
		expect(gone.json.message).toMatch(/subscription .* was removed/);
	});

	test('reset keeps webhook subscriptions unless asked; the seed comes back', async () => {
		await control(sb, 'POST', '/webhooks', { url: receiverUrl });
		await control(sb, 'POST', '/seed/orders', { count: 5 });
		expect((await control(sb, 'GET', '/counts')).json.orders).toBe(34);
		const bulkIds = (await control(sb, 'GET', '/orders?limit=5')).json.items.map((o: any) => o.id);
		await control(sb, 'POST', '/reset');
		expect((await control(sb, 'GET', '/counts')).json.orders).toBe(29);
		expect((await control(sb, 'GET', '/webhooks')).json).toHaveLength(1);
		await control(sb, 'POST', '/reset', { keepWebhooks: false });
		expect((await control(sb, 'GET', '/webhooks')).json).toHaveLength(0);
		// orders added after a reset have ids never used before it (a trigger's memory sees them as new)
		await control(sb, 'POST', '/seed/orders', { count: 5 });
		const secondIds = (await control(sb, 'GET', '/orders?limit=5')).json.items.map(
			(o: any) => o.id,
		);
		expect(secondIds.filter((id: string) => bulkIds.includes(id))).toEqual([]);
	});

	test('the request log: last N, newest last, secrets in query strings masked', async () => {
		await partner(sb, 'GET', '/bank/search?search=itau&api_key=abcdef123456');
		await partner(sb, 'GET', '/bank/search?search=bb');
		const log = (await control(sb, 'GET', '/log?limit=1')).json;
		expect(log).toHaveLength(1);
		expect(log[0].query).toEqual({ search: 'bb' });
		const masked = (await control(sb, 'GET', '/log?limit=2')).json[0];
		expect(masked.query).toEqual({ search: 'itau', api_key: '••••3456' });
		expect(JSON.stringify(await control(sb, 'GET', '/log'))).not.toContain('abcdef123456');
	});
});

describe('automatic lifecycle', () => {
	test('off by default; one step moves an order, an operation and a customer one allowed step', async () => {
		expect((await control(sb, 'GET', '/lifecycle')).json).toMatchObject({
			enabled: false,
			intervalSeconds: 60,
			nextStepAt: null,
		});
		await control(sb, 'POST', '/webhooks', { url: receiverUrl });
		const { json } = await control(sb, 'POST', '/lifecycle/step');
		const kinds = json.moves.map((m: any) => m.kind);
		expect(kinds).toEqual(['order', 'operation', 'customer']);
		const order = json.moves[0];
		expect([
			['pending', 'approved'],
			['approved', 'pending_invoice'],
			['invoice_sent', 'paid'],
		]).toContainEqual([order.from, order.to]);
		const token = await getToken(sb);
		expect((await kapitale(sb, token, 'GET', `/order/${order.id}`)).json.order_status).toBe(
			order.to,
		);
		const op = json.moves[1];
		expect((await partner(sb, 'GET', `/operation/status/${op.id}`)).json.data.slug).toBe(op.to);
		expect((await control(sb, 'GET', `/customers/${json.moves[2].id}`)).json.term_accept).toBe(
			true,
		);
		if (order.to !== 'pending_invoice')
			expect((await waitFor(async () => received[0])).body.data.order_id).toBe(order.id);
		// every step only ever moves along an allowed edge, until nothing is left to move
		for (let i = 0; i < 60; i++) {
			const step = (await control(sb, 'POST', '/lifecycle/step')).json.moves;
			if (!step.length) break;
		}
		const ops = (await control(sb, 'GET', '/operations?limit=500')).json.items;
		for (const o of ops) expect(['pago', 'cancelado', 'reprovado']).toContain(o.status_slug);
		const orders = (await control(sb, 'GET', '/orders?limit=500')).json.items;
		for (const o of orders)
			expect(['pending_invoice', 'paid', 'rejected', 'cancelled']).toContain(o.order_status);
	});

	test('switched on, it moves records by itself every interval; switched off, it stops', async () => {
		const on = await control(sb, 'PUT', '/lifecycle', { enabled: true, intervalSeconds: 1 });
		expect(on.json.enabled).toBe(true);
		expect(on.json.nextStepAt).toEqual(expect.any(String));
		const moved = await waitFor(async () => {
			const lc = (await control(sb, 'GET', '/lifecycle')).json;
			return lc.moves.length ? lc.moves : undefined;
		}, 5000);
		expect(moved.map((m: any) => m.kind)).toContain('order');
		const off = await control(sb, 'PUT', '/lifecycle', { enabled: false });
		expect(off.json).toMatchObject({ enabled: false, nextStepAt: null, intervalSeconds: 1 });
	});
});
