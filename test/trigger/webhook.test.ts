import type { IDataObject } from 'n8n-workflow';

import { KapitaleTrigger } from '../../nodes/KapitaleTrigger/KapitaleTrigger.node';
import { dedupStateSize, deliveryKey, seenRecently } from '../../nodes/KapitaleTrigger/dedup';
import { secretMatches } from '../../nodes/KapitaleTrigger/auth';
import { DESTINATION, ORDER_ID, callWebhook, delivery } from './fake';

const TOKEN = 'sandbox-webhook-token';
const bearer = { authentication: 'bearer', bearerToken: TOKEN };
const open = { authentication: 'none', deduplicate: false };
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

afterEach(() => jest.restoreAllMocks());

describe('KapitaleTrigger description', () => {
	const node = new KapitaleTrigger();
	const d = node.description;

	it('is a webhook trigger that is not usable as a tool', () => {
		expect(d.name).toBe('kapitaleTrigger');
		expect(d.displayName).toContain('Trigger');
		expect(d.group).toEqual(['trigger']);
		expect(d.inputs).toEqual([]);
		expect(d).not.toHaveProperty('usableAsTool');
		expect(d.credentials).toBeUndefined();
		expect(d.webhooks).toEqual([
			expect.objectContaining({ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', isFullPath: true, path: '={{$parameter["path"]}}' }),
		]);
	});

	it('shows a setup notice and keeps secrets in password fields', () => {
		const props = d.properties;
		expect(props[0]).toMatchObject({ type: 'notice', name: 'setupNotice' });
		expect(props[0].displayName).toMatch(/Production URL/);
		for (const name of ['bearerToken', 'basicPassword', 'headerValue']) {
			expect(props.find((p) => p.name === name)?.typeOptions?.password).toBe(true);
		}
		const events = props.find((p) => p.name === 'events');
		expect(events?.options?.map((o) => (o as { value: string }).value).sort()).toEqual(['*', 'order.approved', 'order.created', 'order.rejected']);
	});

	it('has a complete, trivial webhook lifecycle (registration is manual)', async () => {
		const hooks = node.webhookMethods.default;
		await expect(hooks.checkExists.call({} as never)).resolves.toBe(false);
		await expect(hooks.create.call({} as never)).resolves.toBe(true);
		await expect(hooks.delete.call({} as never)).resolves.toBe(true);
	});
});

describe('authentication', () => {
	it('none accepts a request without credentials', async () => {
		const out = await callWebhook(open, { rawBody: delivery() });
		expect(out.status).toBe(200);
		expect(out.items).toHaveLength(1);
	});

	describe('bearer', () => {
		it('accepts the right token (scheme is case-insensitive)', async () => {
			for (const authorization of [`Bearer ${TOKEN}`, `bearer ${TOKEN}`, `BEARER   ${TOKEN}`]) {
				const out = await callWebhook({ ...bearer, deduplicate: false }, { rawBody: delivery(), headers: { authorization } });
				expect(out.status).toBe(200);
				expect(out.items).toHaveLength(1);
			}
		});

		it.each([
			['missing', undefined],
			['wrong token', 'Bearer nope'],
			['token prefix only', `Bearer ${TOKEN.slice(0, -1)}`],
			['token without scheme', TOKEN],
			['basic scheme', `Basic ${b64(`x:${TOKEN}`)}`],
			['empty bearer', 'Bearer '],
		])('answers 401 and starts nothing: %s', async (_label, authorization) => {
			const out = await callWebhook(bearer, { rawBody: delivery(), headers: authorization ? { authorization } : {} });
			expect(out.status).toBe(401);
			expect(out.body).toEqual({ received: false, error: 'Unauthorized' });
			expect(out.responseHeaders['WWW-Authenticate']).toMatch(/^Bearer/);
			expect(out.result.noWebhookResponse).toBe(true);
			expect(out.result.workflowData).toBeUndefined();
		});

		it('rejects everything while no token is configured', async () => {
			const out = await callWebhook({ authentication: 'bearer', bearerToken: '' }, { rawBody: delivery(), headers: { authorization: 'Bearer ' } });
			expect(out.status).toBe(401);
		});

		it('checks credentials before reading the body', async () => {
			const out = await callWebhook(bearer, { rawBody: 'not json', body: {} });
			expect(out.status).toBe(401);
		});
	});

	describe('basic', () => {
		const basic = { authentication: 'basic', basicUser: 'kapitale', basicPassword: 's3cr:et', deduplicate: false };

		it('accepts Base64 user:password, and the unencoded pair', async () => {
			for (const authorization of [`Basic ${b64('kapitale:s3cr:et')}`, 'basic kapitale:s3cr:et']) {
				const out = await callWebhook(basic, { rawBody: delivery(), headers: { authorization } });
				expect(out.status).toBe(200);
				expect(out.items).toHaveLength(1);
			}
		});

		it.each([
			['missing', undefined],
			['wrong password', `Basic ${b64('kapitale:wrong')}`],
			['wrong user', `Basic ${b64('other:s3cr:et')}`],
			['bearer scheme', `Bearer ${b64('kapitale:s3cr:et')}`],
		])('answers 401: %s', async (_label, authorization) => {
			const out = await callWebhook(basic, { rawBody: delivery(), headers: authorization ? { authorization } : {} });
			expect(out.status).toBe(401);
			expect(out.responseHeaders['WWW-Authenticate']).toMatch(/^Basic/);
			expect(out.items).toBeUndefined();
		});

		it('rejects everything while no password is configured', async () => {
			const out = await callWebhook({ ...basic, basicPassword: '' }, { rawBody: delivery(), headers: { authorization: `Basic ${b64('kapitale:')}` } });
			expect(out.status).toBe(401);
		});
	});

	describe('custom header', () => {
		const header = { authentication: 'header', headerName: 'X-Kapitale-Secret', headerValue: 'h-value-123', deduplicate: false };

		it('accepts the configured header (name is case-insensitive)', async () => {
			const out = await callWebhook(header, { rawBody: delivery(), headers: { 'x-kapitale-secret': 'h-value-123' } });
			expect(out.status).toBe(200);
			expect(out.items).toHaveLength(1);
		});

		it.each([
			['missing', {}],
			['wrong value', { 'x-kapitale-secret': 'h-value-124' }],
			['value in Authorization instead', { authorization: 'h-value-123' }],
		])('answers 401: %s', async (_label, headers) => {
			const out = await callWebhook(header, { rawBody: delivery(), headers });
			expect(out.status).toBe(401);
			expect(out.responseHeaders['WWW-Authenticate']).toBeUndefined();
			expect(out.items).toBeUndefined();
		});

		it('rejects everything while no header name is configured', async () => {
			const out = await callWebhook({ ...header, headerName: '' }, { rawBody: delivery(), headers: { '': 'h-value-123' } });
			expect(out.status).toBe(401);
		});
	});

	it('compares secrets through hashes (lengths do not matter to timingSafeEqual)', () => {
		expect(secretMatches('a', 'a-much-longer-secret')).toBe(false);
		expect(secretMatches('same', 'same')).toBe(true);
		expect(secretMatches('', '')).toBe(false);
		expect(secretMatches(undefined, 'x')).toBe(false);
	});
});

describe('bad requests start nothing', () => {
	it.each(['GET', 'PUT', 'DELETE'])('%s answers 400 with Allow: POST', async (method) => {
		const out = await callWebhook(open, { method, rawBody: delivery() });
		expect(out.status).toBe(400);
		expect(out.responseHeaders.Allow).toBe('POST');
		expect(out.items).toBeUndefined();
	});

	it.each([
		['non-JSON bytes', { rawBody: 'event_type=order.approved', body: {} }, /not valid JSON/],
		['truncated JSON', { rawBody: '{"event_type": "order.approved"', body: {} }, /not valid JSON/],
		['empty body', { rawBody: '', body: {} }, /event_type/],
		['no body at all', { body: {} }, /event_type/],
		['a JSON array', { rawBody: [delivery()] }, /JSON object/],
		['a JSON string', { rawBody: '"order.approved"' }, /JSON object/],
		['no event_type', { rawBody: { destination_id: DESTINATION, data: {} } }, /event_type/],
		['numeric event_type', { rawBody: { event_type: 7, data: {} } }, /event_type/],
		['blank event_type', { rawBody: { event_type: '  ', data: {} } }, /event_type/],
	])('%s → 400', async (_label, request, message) => {
		const out = await callWebhook(open, request);
		expect(out.status).toBe(400);
		expect((out.body as IDataObject).error).toMatch(message);
		expect(out.result.noWebhookResponse).toBe(true);
		expect(out.items).toBeUndefined();
	});

	it('accepts JSON that n8n left unparsed (text/plain body string)', async () => {
		const text = JSON.stringify(delivery());
		const out = await callWebhook(open, { body: text, headers: { 'content-type': 'text/plain' } });
		expect(out.status).toBe(200);
		expect(out.items?.[0].json.order_id).toBe(ORDER_ID);
	});

	it('uses the parsed body when n8n kept no raw bytes', async () => {
		const out = await callWebhook(open, { body: delivery() });
		expect(out.status).toBe(200);
		expect(out.items).toHaveLength(1);
	});

	describe('oversized bodies are refused with 413', () => {
		const big = delivery('order.approved', { note: 'x'.repeat(1024 * 1024) });

		it('by the bytes received (default limit 1 MB)', async () => {
			const out = await callWebhook(open, { rawBody: big });
			expect(out.status).toBe(413);
			expect(out.items).toBeUndefined();
		});

		it('by Content-Length, before reading', async () => {
			const out = await callWebhook(open, { rawBody: delivery(), headers: { 'content-length': String(2 * 1024 * 1024) } });
			expect(out.status).toBe(413);
		});

		it('by the bytes even when Content-Length understates them', async () => {
			const out = await callWebhook(open, { rawBody: big, headers: { 'content-length': '100' } });
			expect(out.status).toBe(413);
		});

		it('with a configurable limit', async () => {
			const body = delivery('order.approved', { note: 'x'.repeat(3000) });
			expect((await callWebhook({ ...open, options: { maxBodyKb: 2 } }, { rawBody: body })).status).toBe(413);
			expect((await callWebhook({ ...open, options: { maxBodyKb: 4 } }, { rawBody: body })).status).toBe(200);
		});
	});
});

describe('event filter', () => {
	it('ignores unselected events with 200 and no execution', async () => {
		const params = { ...open, events: ['order.approved'] };
		const out = await callWebhook(params, { rawBody: delivery('order.created') });
		expect(out.status).toBe(200);
		expect(out.body).toEqual({ received: true, ignored: 'event not selected' });
		expect(out.result.workflowData).toBeUndefined();
		expect(out.result.noWebhookResponse).toBeUndefined();

		const ok = await callWebhook(params, { rawBody: delivery('order.approved') });
		expect(ok.items).toHaveLength(1);
	});

	it('accepts several selected events', async () => {
		const params = { ...open, events: ['order.approved', 'order.rejected'] };
		expect((await callWebhook(params, { rawBody: delivery('order.rejected') })).items).toHaveLength(1);
		expect((await callWebhook(params, { rawBody: delivery('order.paid') })).items).toBeUndefined();
	});

	it('"All events" also passes unknown future event types', async () => {
		for (const events of [['*'], ['*', 'order.created'], []]) {
			const out = await callWebhook({ ...open, events }, { rawBody: delivery('order.invoice_sent') });
			expect(out.items?.[0].json.event_type).toBe('order.invoice_sent');
		}
	});

	it('defaults to all events', async () => {
		const out = await callWebhook(open, { rawBody: delivery('order.cancelled') });
		expect(out.items).toHaveLength(1);
	});
});

describe('destination filter', () => {
	it('ignores other destinations with 200 and no execution', async () => {
		const out = await callWebhook({ ...open, destinationIds: 'aaaaaaaa-0000-4000-8000-000000000000' }, { rawBody: delivery() });
		expect(out.status).toBe(200);
		expect(out.body).toEqual({ received: true, ignored: 'destination not selected' });
		expect(out.items).toBeUndefined();
	});

	it('ignores deliveries without destination_id when a filter is set', async () => {
		const body = delivery();
		delete body.destination_id;
		const out = await callWebhook({ ...open, destinationIds: DESTINATION }, { rawBody: body });
		expect(out.items).toBeUndefined();
	});

	it('accepts a listed destination (several ids, any case)', async () => {
		const ids = `aaaaaaaa-0000-4000-8000-000000000000, ${DESTINATION.toUpperCase()}`;
		const out = await callWebhook({ ...open, destinationIds: ids }, { rawBody: delivery() });
		expect(out.items).toHaveLength(1);
	});
});

describe('deduplication', () => {
	const dedup = { authentication: 'none', deduplicate: true, dedupWindowMinutes: 10 };

	it('a second identical delivery within the window starts nothing; after the window it runs again', async () => {
		const state: IDataObject = {};
		const now = jest.spyOn(Date, 'now').mockReturnValue(1_000_000);

		const first = await callWebhook(dedup, { rawBody: delivery() }, state);
		expect(first.items).toHaveLength(1);

		now.mockReturnValue(1_000_000 + 9 * 60_000);
		const second = await callWebhook(dedup, { rawBody: delivery() }, state);
		expect(second.status).toBe(200);
		expect(second.body).toEqual({ received: true, duplicate: true });
		expect(second.result.workflowData).toBeUndefined();

		now.mockReturnValue(1_000_000 + 10 * 60_000 + 1);
		const third = await callWebhook(dedup, { rawBody: delivery() }, state);
		expect(third.items).toHaveLength(1);
	});

	it('is on by default (60 minutes)', async () => {
		const state: IDataObject = {};
		const now = jest.spyOn(Date, 'now').mockReturnValue(5_000_000);
		expect((await callWebhook({ authentication: 'none' }, { rawBody: delivery() }, state)).items).toHaveLength(1);
		now.mockReturnValue(5_000_000 + 59 * 60_000);
		expect((await callWebhook({ authentication: 'none' }, { rawBody: delivery() }, state)).items).toBeUndefined();
		now.mockReturnValue(5_000_000 + 61 * 60_000);
		expect((await callWebhook({ authentication: 'none' }, { rawBody: delivery() }, state)).items).toHaveLength(1);
	});

	it('treats another event, order or status as a new delivery', async () => {
		const state: IDataObject = {};
		const runs = [
			delivery('order.approved'),
			delivery('order.rejected'),
			delivery('order.approved', { order_id: 'other-order' }),
			delivery('order.approved', { status: 'paid' }),
			delivery('order.approved', { occurred_at: 'a later time' }), // same event/order/status → duplicate
		];
		const executed = [];
		for (const body of runs) executed.push((await callWebhook(dedup, { rawBody: body }, state)).items?.length ?? 0);
		expect(executed).toEqual([1, 1, 1, 1, 0]);
	});

	it('does nothing when switched off', async () => {
		const state: IDataObject = {};
		const params = { ...dedup, deduplicate: false };
		expect((await callWebhook(params, { rawBody: delivery() }, state)).items).toHaveLength(1);
		expect((await callWebhook(params, { rawBody: delivery() }, state)).items).toHaveLength(1);
		expect(state).toEqual({});
	});

	it('does not remember ignored or rejected deliveries', async () => {
		const state: IDataObject = {};
		await callWebhook({ ...dedup, events: ['order.created'] }, { rawBody: delivery('order.approved') }, state);
		await callWebhook({ ...dedup, authentication: 'bearer', bearerToken: TOKEN }, { rawBody: delivery('order.approved') }, state);
		expect(dedupStateSize(state)).toBe(0);
		expect((await callWebhook(dedup, { rawBody: delivery('order.approved') }, state)).items).toHaveLength(1);
	});

	it('keeps the state bounded (1,000 keys, oldest dropped) and prunes expired keys on every call', async () => {
		const state: IDataObject = {};
		const now = jest.spyOn(Date, 'now');
		for (let i = 0; i < 1005; i++) {
			now.mockReturnValue(2_000_000 + i);
			await callWebhook(dedup, { rawBody: delivery('order.approved', { order_id: `order-${i}` }) }, state);
		}
		expect(dedupStateSize(state)).toBe(1000);
		// The oldest five were dropped: order-0 runs again, order-999 is still a duplicate.
		now.mockReturnValue(2_000_000 + 2000);
		expect((await callWebhook(dedup, { rawBody: delivery('order.approved', { order_id: 'order-999' }) }, state)).items).toBeUndefined();
		expect((await callWebhook(dedup, { rawBody: delivery('order.approved', { order_id: 'order-0' }) }, state)).items).toHaveLength(1);

		// After the window everything old is pruned, leaving only the new delivery.
		now.mockReturnValue(2_000_000 + 3000 + 10 * 60_000);
		await callWebhook(dedup, { rawBody: delivery('order.created', { order_id: 'fresh' }) }, state);
		expect(dedupStateSize(state)).toBe(1);
	});

	it('keys deliveries by event, order and status, or by body hash without an order id', () => {
		expect(deliveryKey(delivery('order.approved') as never)).toBe(`order.approved|${ORDER_ID}|approved`);
		const a = deliveryKey({ event_type: 'order.created', data: { foo: 1 } });
		const b = deliveryKey({ event_type: 'order.created', data: { foo: 2 } });
		expect(a).toMatch(/^order\.created\|body:[0-9a-f]{32}$/);
		expect(a).not.toBe(b);
	});

	it('seenRecently survives corrupted state', () => {
		const state: IDataObject = { kapitaleDeliveriesSeen: 'garbage' };
		expect(seenRecently(state, 'k', 60_000, 1)).toBe(false);
		expect(seenRecently(state, 'k', 60_000, 2)).toBe(true);
		const state2: IDataObject = { kapitaleDeliveriesSeen: { k: 'x', j: 5 } };
		expect(seenRecently(state2, 'k', 60_000, 10)).toBe(false);
		expect(seenRecently(state2, 'j', 60_000, 10)).toBe(true);
	});
});

describe('output item', () => {
	const fixedNow = Date.parse('2026-07-01T12:34:56.789Z');

	it('flattens data next to event_type and destination_id, with received_at', async () => {
		jest.spyOn(Date, 'now').mockReturnValue(fixedNow);
		const out = await callWebhook(open, { rawBody: delivery('order.approved', { requested_amount: 1500.5 }) });
		expect(out.status).toBe(200);
		expect(out.body).toEqual({ received: true });
		expect(out.result.noWebhookResponse).toBeUndefined();
		expect(out.items).toEqual([
			{
				json: {
					event_type: 'order.approved',
					destination_id: DESTINATION,
					order_id: ORDER_ID,
					order_no: 1042,
					status: 'approved',
					requested_amount: 1500.5,
					received_at: '2026-07-01T12:34:56.789Z',
				},
			},
		]);
	});

	it('keeps the body as sent with "Raw Body"', async () => {
		jest.spyOn(Date, 'now').mockReturnValue(fixedNow);
		const body = delivery();
		const out = await callWebhook({ ...open, options: { rawBody: true } }, { rawBody: body });
		expect(out.items?.[0].json).toEqual({ ...body, received_at: '2026-07-01T12:34:56.789Z' });
	});

	it('never lets data fields overwrite the envelope', async () => {
		const out = await callWebhook(open, { rawBody: delivery('order.approved', { event_type: 'spoof', received_at: 'x' }) });
		const json = out.items?.[0].json as IDataObject;
		expect(json.event_type).toBe('order.approved');
		expect(json.data_event_type).toBe('spoof');
		expect(json.data_received_at).toBe('x');
	});

	it('handles a missing or non-object data', async () => {
		const none = await callWebhook(open, { rawBody: { event_type: 'order.created' } });
		expect(none.items?.[0].json).toMatchObject({ event_type: 'order.created', destination_id: null });
		expect(none.items?.[0].json).not.toHaveProperty('data');
		const list = await callWebhook(open, { rawBody: { event_type: 'order.created', data: [1, 2] } });
		expect(list.items?.[0].json.data).toEqual([1, 2]);
	});

	it('adds headers only when asked, with Authorization redacted', async () => {
		const headers = { authorization: `Bearer ${TOKEN}`, 'user-agent': 'kapitale/1.0', 'x-request-id': 'r-1' };
		const params = { ...bearer, deduplicate: false };
		const without = await callWebhook(params, { rawBody: delivery(), headers });
		expect(without.items?.[0].json).not.toHaveProperty('headers');

		const withHeaders = await callWebhook({ ...params, options: { includeHeaders: true } }, { rawBody: delivery(), headers });
		const out = withHeaders.items?.[0].json.headers as IDataObject;
		expect(out).toMatchObject({ authorization: '[redacted]', 'user-agent': 'kapitale/1.0', 'x-request-id': 'r-1' });
		expect(JSON.stringify(withHeaders.items)).not.toContain(TOKEN);
	});

	it('redacts the custom auth header too', async () => {
		const params = { authentication: 'header', headerName: 'X-Secret', headerValue: 'v-123456', deduplicate: false, options: { includeHeaders: true } };
		const out = await callWebhook(params, { rawBody: delivery(), headers: { 'x-secret': 'v-123456', 'x-other': 'ok' } });
		expect(out.items?.[0].json.headers).toMatchObject({ 'x-secret': '[redacted]', 'x-other': 'ok' });
		expect(JSON.stringify(out.items)).not.toContain('v-123456');
	});
});
