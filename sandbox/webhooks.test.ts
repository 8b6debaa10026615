import * as http from 'http';
import type { AddressInfo } from 'net';
import { RunningSandbox, startSandbox } from './index';
import { control, getToken, kapitale } from './testing';

interface Received {
	headers: http.IncomingHttpHeaders;
	body: any;
}

let sb: RunningSandbox;
let receiver: http.Server;
let receiverUrl: string;
const received: Received[] = [];
let failFirst = 0;

beforeAll(async () => {
	sb = await startSandbox({ quiet: true, webhookRetryDelaysMs: [50, 100] });
	receiver = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			received.push({ headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString()) });
			if (failFirst > 0) {
				failFirst--;
				res.writeHead(500).end('boom');
			} else res.writeHead(200).end('ok');
		});
	});
	await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
	receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
});
afterAll(async () => {
	await sb.close();
	await new Promise((r) => receiver.close(r));
});
beforeEach(() => {
	received.length = 0;
	failFirst = 0;
});

async function waitFor<T>(fn: () => Promise<T | undefined>, timeoutMs = 3000): Promise<T> {
	const end = Date.now() + timeoutMs;
	for (;;) {
		const v = await fn();
		if (v) return v;
		if (Date.now() > end) throw new Error('timeout waiting');
		await new Promise((r) => setTimeout(r, 20));
	}
}

const order = (n: string) => ({
	order_number: n,
	expiry_date: '2026-12-31',
	requested_amount: 2500,
	retail_cnpj: '11222333000181',
	purchase_date: '2026-11-01',
	purchase_items: [{ value: 2500, quantity: 1 }],
});

test('subscription validation and listing', async () => {
	expect((await control(sb, 'POST', '/webhooks', { url: 'not a url' })).status).toBe(400);
	expect(
		(await control(sb, 'POST', '/webhooks', { url: receiverUrl, authType: 'bearer' })).status,
	).toBe(400);
	const headers = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`X-H${i}`, 'v']));
	expect((await control(sb, 'POST', '/webhooks', { url: receiverUrl, headers })).status).toBe(400);
	const ok = await control(sb, 'POST', '/webhooks', { url: receiverUrl, authType: 'none' });
	expect(ok.status).toBe(201);
	expect((await control(sb, 'GET', '/webhooks')).json.map((s: any) => s.id)).toContain(ok.json.id);
	expect((await control(sb, 'DELETE', `/webhooks/${ok.json.id}`)).status).toBe(204);
	expect((await control(sb, 'GET', '/webhooks')).json).toEqual([]);
});

test('order.created is delivered with bearer auth and custom headers; failure retried then succeeds', async () => {
	const sub = (
		await control(sb, 'POST', '/webhooks', {
			url: receiverUrl,
			authType: 'bearer',
			authToken: 'hook-secret',
			headers: { 'X-Partner-Key': 'abc123' },
		})
	).json;
	failFirst = 1;
	const token = await getToken(sb);
	const created = await kapitale(sb, token, 'POST', '/order', order('WH-1'));
	expect(created.status).toBe(201);
	const delivery = await waitFor(async () => {
		const list = (await control(sb, 'GET', `/webhooks/deliveries?subscriptionId=${sub.id}`)).json;
		return list.find((d: any) => d.orderId === created.json.id && d.state === 'delivered');
	});
	expect(delivery.attempts.map((a: any) => [a.attempt, a.status])).toEqual([
		[1, 500],
		[2, 200],
	]);
	expect(received).toHaveLength(2);
	for (const r of received) {
		expect(r.headers.authorization).toBe('Bearer hook-secret');
		expect(r.headers['x-partner-key']).toBe('abc123');
		expect(r.headers['content-type']).toBe('application/json');
	}
	expect(received[1].body).toEqual({
		event_type: 'order.created',
		destination_id: sb.fixtures.industryUuid,
		data: {
			order_id: created.json.id,
			order_no: 'WH-1',
			status: 'pending',
			payment_status: 'pending',
			requested_amount: 2500,
			retail_cnpj: '11222333000181',
			occurred_at: expect.any(String),
		},
	});
	await control(sb, 'DELETE', `/webhooks/${sub.id}`);
});

test('lifecycle events (approved, rejected, cancelled, paid) with basic auth', async () => {
	const sub = (
		await control(sb, 'POST', '/webhooks', {
			url: receiverUrl,
			authType: 'basic',
			authToken: 'user:pass',
		})
	).json;
	const token = await getToken(sb);
	const a = (await kapitale(sb, token, 'POST', '/order', order('WH-2'))).json.id;
	const b = (await kapitale(sb, token, 'POST', '/order', order('WH-3'))).json.id;
	await control(sb, 'POST', `/orders/${a}/approve`);
	await control(sb, 'POST', `/orders/${a}/pay`);
	await control(sb, 'POST', `/orders/${b}/reject`);
	const c = (await kapitale(sb, token, 'POST', '/order', order('WH-4'))).json.id;
	await kapitale(sb, token, 'PATCH', `/order/cancel/${c}`, { reason: 'cliente desistiu' });
	await waitFor(async () => (received.length >= 7 ? true : undefined));
	const events = received.map((r) => `${r.body.event_type}:${r.body.data.order_no}`).sort();
	expect(events).toEqual(
		[
			'order.approved:WH-2',
			'order.cancelled:WH-4',
			'order.created:WH-2',
			'order.created:WH-3',
			'order.created:WH-4',
			'order.paid:WH-2',
			'order.rejected:WH-3',
		].sort(),
	);
	expect(
		received.every(
			(r) => r.headers.authorization === 'Basic ' + Buffer.from('user:pass').toString('base64'),
		),
	).toBe(true);
	await control(sb, 'DELETE', `/webhooks/${sub.id}`);
});

test('unreachable receiver: every attempt recorded with an error, then failed', async () => {
	const dead = http.createServer();
	await new Promise<void>((r) => dead.listen(0, '127.0.0.1', () => r()));
	const port = (dead.address() as AddressInfo).port;
	await new Promise((r) => dead.close(r));
	const sub = (await control(sb, 'POST', '/webhooks', { url: `http://127.0.0.1:${port}/x` })).json;
	const token = await getToken(sb);
	const id = (await kapitale(sb, token, 'POST', '/order', order('WH-5'))).json.id;
	const d = await waitFor(async () => {
		const list = (await control(sb, 'GET', `/webhooks/deliveries?orderId=${id}`)).json;
		return list.find((x: any) => x.subscriptionId === sub.id && x.state === 'failed');
	});
	expect(d.attempts).toHaveLength(3);
	expect(d.attempts.every((x: any) => x.error === 'ECONNREFUSED' && x.status === undefined)).toBe(
		true,
	);
	await control(sb, 'DELETE', `/webhooks/${sub.id}`);
});
