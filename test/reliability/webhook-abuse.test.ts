/**
 * Issue 9, webhook abuse against KapitaleTrigger.webhook() over real HTTP (the receiver from
 * test/trigger): wrong and missing auth, timing-safe comparison, oversized and malformed
 * bodies, replays with dedup on, and 200 concurrent deliveries. Each case asserts the exact
 * status codes and the exact number of executions started. The receiver is a stand-in for
 * n8n; the same cases against a real n8n are in scripts/e2e-trigger.mjs (`npm run test:e2e`).
 */
import * as crypto from 'crypto';
import type { IDataObject } from 'n8n-workflow';

// crypto's exports cannot be redefined, so the module is wrapped to observe timingSafeEqual.
jest.mock('crypto', () => {
	const actual = jest.requireActual<typeof import('crypto')>('crypto');
	return { ...actual, timingSafeEqual: jest.fn(actual.timingSafeEqual) };
});

import { delivery } from '../trigger/fake';
import { startReceiver, type Receiver } from '../trigger/receiver';
import { recordFigures } from './figures';

const TOKEN = 'webhook-token-0123456789abcdef';
const bearer = { authentication: 'bearer', bearerToken: TOKEN, deduplicate: false };

let receiver: Receiver;
let sent = 0;

beforeAll(async () => {
	receiver = await startReceiver(bearer);
});
afterAll(async () => {
	recordFigures('webhook abuse', { items: sent, lost: 0, duplicates: 0, faults: 0, ms: 0 });
	await receiver?.close();
});
beforeEach(() => {
	receiver.reset();
	receiver.setParameters(bearer);
});

async function post(body: string | Buffer, headers: Record<string, string> = {}): Promise<number> {
	sent++;
	const response = await fetch(receiver.url, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json', ...headers },
		body,
	});
	await response.arrayBuffer();
	return response.status;
}
const json = (value: IDataObject) => JSON.stringify(value);
const auth = (token = TOKEN) => ({ Authorization: `Bearer ${token}` });

describe('authentication', () => {
	it.each([
		['missing', {}],
		['wrong token', auth('nope')],
		['wrong token of the same length', auth(TOKEN.replace(/.$/, 'X'))],
		['the token with one character more', auth(`${TOKEN}0`)],
		[
			'the token as Basic',
			{ Authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}` },
		],
		['the token without scheme', { Authorization: TOKEN }],
		['the token in another header', { 'X-Token': TOKEN }],
	])('%s → 401, no execution', async (_label, headers) => {
		expect(await post(json(delivery()), headers as Record<string, string>)).toBe(401);
		expect(receiver.executions).toHaveLength(0);
	});

	it('compares with crypto.timingSafeEqual, for right and wrong tokens alike', async () => {
		const spy = crypto.timingSafeEqual as jest.MockedFunction<typeof crypto.timingSafeEqual>;
		spy.mockClear();
		expect(await post(json(delivery()), auth(TOKEN.replace(/^./, 'X')))).toBe(401);
		const afterWrong = spy.mock.calls.length;
		expect(afterWrong).toBeGreaterThanOrEqual(1);
		expect(await post(json(delivery()), auth())).toBe(200);
		expect(spy.mock.calls.length).toBeGreaterThan(afterWrong);
		// Both sides have the same length (digests), so the comparison never short-cuts on length.
		for (const [a, b] of spy.mock.calls) expect((a as Buffer).length).toBe((b as Buffer).length);
		expect(receiver.executions).toHaveLength(1);
	});
});

describe('bodies', () => {
	it.each([
		[
			'2 MB body',
			413,
			() => json(delivery('order.approved', { note: 'x'.repeat(2 * 1024 * 1024) })),
		],
		['not JSON', 400, () => 'event_type=order.approved'],
		['truncated JSON', 400, () => json(delivery()).slice(0, 40)],
		['a JSON array', 400, () => json([delivery()] as unknown as IDataObject)],
		['no event_type', 400, () => json({ data: { order_id: 'x' } })],
		['empty', 400, () => ''],
		['binary garbage', 400, () => crypto.randomBytes(512)],
		[
			'nested 10,000 levels, no order_id',
			400,
			() => `{"event_type":"order.approved","data":${'['.repeat(10_000)}${']'.repeat(10_000)}}`,
		],
		['order_id an object', 400, () => json(delivery('order.approved', { order_id: { id: 1 } }))],
		['order_id an array', 400, () => json(delivery('order.approved', { order_id: ['x'] }))],
		['order_id a boolean', 400, () => json(delivery('order.approved', { order_id: true }))],
		[
			'a byte-order mark',
			400,
			() => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(json(delivery()))]),
		],
	])('%s → %i with a short JSON reason, no execution', async (_label, status, body) => {
		expect(await post(body(), auth())).toBe(status);
		const answer = JSON.parse(receiver.calls[0].responseBody);
		expect(answer).toEqual({ received: false, error: expect.any(String) });
		expect(answer.error.length).toBeLessThan(100);
		expect(receiver.executions).toHaveLength(0);
	});

	it('the body limit is checked only after authentication: an unauthenticated 2 MB body is a 401', async () => {
		expect(
			await post(
				json(delivery('order.approved', { note: 'x'.repeat(2 * 1024 * 1024) })),
				auth('nope'),
			),
		).toBe(401);
		expect(receiver.executions).toHaveLength(0);
	});
});

describe('replays and concurrency', () => {
	it('a delivery replayed 20 times with dedup on starts exactly one execution; all answered 200', async () => {
		receiver.setParameters({ ...bearer, deduplicate: true });
		const statuses: number[] = [];
		for (let i = 0; i < 20; i++)
			statuses.push(await post(json(delivery('order.approved')), auth()));
		expect(statuses).toEqual(Array(20).fill(200));
		expect(receiver.executions).toHaveLength(1);
		expect(receiver.calls.filter((call) => /duplicate/.test(call.responseBody))).toHaveLength(19);
	});

	it('200 concurrent distinct deliveries: 200 × 200 and exactly 200 executions, each once', async () => {
		receiver.setParameters({ ...bearer, deduplicate: true });
		const bodies = Array.from({ length: 200 }, (_, index) =>
			json(delivery('order.approved', { order_id: `order-${index}` })),
		);
		const statuses = await Promise.all(bodies.map((body) => post(body, auth())));
		expect(statuses).toEqual(Array(200).fill(200));
		expect(receiver.executions).toHaveLength(200);
		expect(new Set(receiver.executions.map((items) => items[0].json.order_id)).size).toBe(200);
	});

	it('200 concurrent copies of one delivery with dedup on: 200 × 200 and exactly one execution', async () => {
		receiver.setParameters({ ...bearer, deduplicate: true });
		const statuses = await Promise.all(
			Array.from({ length: 200 }, () => post(json(delivery('order.created')), auth())),
		);
		expect(statuses).toEqual(Array(200).fill(200));
		expect(receiver.executions).toHaveLength(1);
	});

	it('200 concurrent mixed deliveries (150 good, 30 wrong token, 20 malformed): exact codes and 150 executions', async () => {
		receiver.setParameters({ ...bearer, deduplicate: true });
		const requests = Array.from({ length: 200 }, (_, index) => {
			if (index % 10 === 3 || index % 20 === 7)
				return {
					kind: 'unauthorized',
					run: () =>
						post(json(delivery('order.approved', { order_id: `mixed-${index}` })), auth('wrong')),
				};
			if (index % 10 === 5)
				return { kind: 'malformed', run: () => post('{"event_type": ', auth()) };
			return {
				kind: 'good',
				run: () => post(json(delivery('order.approved', { order_id: `mixed-${index}` })), auth()),
			};
		});
		const counts = { good: 0, unauthorized: 0, malformed: 0 };
		for (const request of requests) counts[request.kind as keyof typeof counts]++;
		expect(counts).toEqual({ good: 150, unauthorized: 30, malformed: 20 });
		const statuses = await Promise.all(requests.map((request) => request.run()));
		requests.forEach((request, index) =>
			expect([request.kind, statuses[index]]).toEqual([
				request.kind,
				{ good: 200, unauthorized: 401, malformed: 400 }[request.kind],
			]),
		);
		expect(receiver.executions).toHaveLength(150);
	});
});
