/**
 * End to end: the sandbox emits real webhooks over HTTP to a receiver built from
 * KapitaleTrigger.webhook(); control-API actions on orders must start the right executions.
 */
import type { IDataObject } from 'n8n-workflow';

import type { RunningSandbox } from '../../sandbox';
import { startSandbox } from '../../sandbox';
import { startReceiver, type Receiver } from './receiver';

const TOKEN = 'sandbox-webhook-token';

let sb: RunningSandbox;
let receiver: Receiver;
const subscriptions: string[] = [];
let pending: string[];

async function control(
	method: string,
	path: string,
	body?: unknown,
): Promise<{ status: number; json: any }> {
	const r = await fetch(sb.controlUrl + path, {
		method,
		headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await r.text();
	return { status: r.status, json: text ? JSON.parse(text) : undefined };
}

async function subscribe(sub: IDataObject): Promise<string> {
	const r = await control('POST', '/webhooks', { url: receiver.url, ...sub });
	expect(r.status).toBe(201);
	subscriptions.push(r.json.id);
	return r.json.id as string;
}

/** Waits until every delivery of the order is settled (delivered or failed). */
async function settled(orderId: string, count: number, timeoutMs = 5000): Promise<any[]> {
	const end = Date.now() + timeoutMs;
	for (;;) {
		const { json } = await control('GET', `/webhooks/deliveries?orderId=${orderId}`);
		const list = json as Array<{ state: string }>;
		if (list.length >= count && list.every((d) => d.state !== 'pending')) return list;
		if (Date.now() > end)
			throw new Error(`deliveries for ${orderId} not settled: ${JSON.stringify(list)}`);
		await new Promise((r) => setTimeout(r, 25));
	}
}

beforeAll(async () => {
	sb = await startSandbox({ quiet: true, webhookRetryDelaysMs: [30, 60] });
	receiver = await startReceiver({});
	pending = [...sb.fixtures.orderIdsByStatus.pending];
	expect(pending.length).toBeGreaterThanOrEqual(5);
});

afterAll(async () => {
	await sb?.close();
	await receiver?.close();
});

afterEach(async () => {
	while (subscriptions.length) await control('DELETE', `/webhooks/${subscriptions.pop()}`);
	receiver.reset();
});

it('approving an order in the sandbox starts exactly one execution with the right fields', async () => {
	receiver.setParameters({
		authentication: 'bearer',
		bearerToken: TOKEN,
		events: ['order.approved'],
		deduplicate: true,
		dedupWindowMinutes: 60,
	});
	await subscribe({ authType: 'bearer', authToken: TOKEN });
	const orderId = pending[0];
	const order = await control('GET', `/orders/${orderId}`);

	const approved = await control('POST', `/orders/${orderId}/approve`);
	expect(approved.status).toBe(200);

	const [delivery] = await settled(orderId, 1);
	expect(delivery.state).toBe('delivered');
	expect(delivery.attempts).toHaveLength(1);
	expect(delivery.attempts[0].status).toBe(200);

	expect(receiver.executions).toHaveLength(1);
	expect(receiver.executions[0]).toHaveLength(1);
	const json = receiver.executions[0][0].json;
	expect(json).toMatchObject({
		event_type: 'order.approved',
		destination_id: sb.fixtures.industryUuid,
		order_id: orderId,
		order_no: order.json.order_no,
		status: 'approved',
	});
	expect(Date.parse(json.received_at as string)).not.toBeNaN();
	expect(json).not.toHaveProperty('headers');
	expect(receiver.calls).toEqual([
		{ status: 200, responseBody: JSON.stringify({ received: true }) },
	]);
});

it('a wrong token gets 401 on every attempt and starts nothing', async () => {
	receiver.setParameters({ authentication: 'bearer', bearerToken: TOKEN });
	await subscribe({ authType: 'bearer', authToken: 'not-the-token' });
	const orderId = pending[1];
	await control('POST', `/orders/${orderId}/approve`);

	const [delivery] = await settled(orderId, 1);
	expect(delivery.state).toBe('failed');
	expect(delivery.attempts.map((a: { status: number }) => a.status)).toEqual([401, 401, 401]);
	expect(receiver.executions).toHaveLength(0);
});

it('the same event delivered twice (two registrations) runs the workflow once', async () => {
	receiver.setParameters({
		authentication: 'basic',
		basicUser: 'kapitale',
		basicPassword: 'pw-123',
		deduplicate: true,
		options: { includeHeaders: true },
	});
	await subscribe({ authType: 'basic', authToken: 'kapitale:pw-123' });
	await subscribe({
		authType: 'basic',
		authToken: 'kapitale:pw-123',
		headers: { 'X-Copy': 'second' },
	});
	const orderId = pending[2];
	await control('POST', `/orders/${orderId}/approve`);

	const deliveries = await settled(orderId, 2);
	expect(deliveries.map((d) => d.state)).toEqual(['delivered', 'delivered']);
	expect(receiver.calls.map((c) => c.status)).toEqual([200, 200]);
	expect(receiver.calls.map((c) => JSON.parse(c.responseBody))).toContainEqual({
		received: true,
		duplicate: true,
	});
	expect(receiver.executions).toHaveLength(1);
	const headers = receiver.executions[0][0].json.headers as IDataObject;
	expect(headers.authorization).toBe('[redacted]');
	expect(headers['user-agent']).toMatch(/kapitale-sandbox/);
});

it('unselected events are acknowledged without an execution; "All events" passes later events', async () => {
	receiver.setParameters({
		authentication: 'header',
		headerName: 'X-Kapitale-Secret',
		headerValue: 'hv-1',
		events: ['order.approved'],
		deduplicate: false,
	});
	await subscribe({ headers: { 'X-Kapitale-Secret': 'hv-1' } });
	const orderId = pending[3];
	await control('POST', `/orders/${orderId}/reject`, { reason: 'credit' });
	const [rejected] = await settled(orderId, 1);
	expect(rejected.state).toBe('delivered');
	expect(receiver.executions).toHaveLength(0);
	expect(JSON.parse(receiver.calls[0].responseBody)).toEqual({
		received: true,
		ignored: 'event not selected',
	});

	receiver.setParameters({
		authentication: 'header',
		headerName: 'X-Kapitale-Secret',
		headerValue: 'hv-1',
		events: ['*'],
		options: { rawBody: true },
	});
	const payOrder = pending[4];
	await control('POST', `/orders/${payOrder}/approve`);
	await control('POST', `/orders/${payOrder}/pay`);
	await settled(payOrder, 2);
	// Two separate HTTP deliveries: their arrival order is not guaranteed.
	const byEvent = new Map(receiver.executions.map((e) => [e[0].json.event_type, e[0].json]));
	expect([...byEvent.keys()].sort()).toEqual(['order.approved', 'order.paid']);
	expect(byEvent.get('order.paid')?.data).toMatchObject({ order_id: payOrder, status: 'paid' });
});
