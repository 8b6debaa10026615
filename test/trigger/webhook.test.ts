import type { IDataObject } from 'n8n-workflow';

import { KapitaleOrderTrigger } from '../../nodes/Kapitale/KapitaleOrderTrigger/KapitaleOrderTrigger.node';
import {
	MAX_DEDUP_KEYS,
	claimDelivery,
	deliveryKey,
	forgetClaims,
	storedKeyCount,
} from '../../nodes/Kapitale/KapitaleOrderTrigger/dedup';
import { secretMatches } from '../../nodes/Kapitale/KapitaleOrderTrigger/auth';
import { DESTINATION, ORDER_ID, callWebhook, delivery } from './fake';

const TOKEN = 'sandbox-webhook-token';
const bearer = { authentication: 'bearer', bearerToken: TOKEN };
const open = { authentication: 'none', deduplicate: false };
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

afterEach(() => jest.restoreAllMocks());
// The claims are per process; each test starts as a freshly started n8n would.
beforeEach(() => forgetClaims());

describe('KapitaleOrderTrigger description', () => {
	const node = new KapitaleOrderTrigger();
	const d = node.description;

	it('is a webhook trigger that is not usable as a tool', () => {
		expect(d.name).toBe('kapitaleOrderTrigger');
		expect(d.displayName).toContain('Trigger');
		expect(d.group).toEqual(['trigger']);
		expect(d.inputs).toEqual([]);
		expect(d).not.toHaveProperty('usableAsTool');
		expect(d.version).toBe(2);
		expect(d.credentials).toEqual([
			{ name: 'kapitaleApi', required: true, testedBy: 'kapitaleApiTest' },
		]);
		expect(d.webhooks).toEqual([
			expect.objectContaining({
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				isFullPath: true,
				path: '={{$parameter["path"]}}',
			}),
		]);
	});

	it('shows a setup notice and keeps no secret in the workflow (it is in the credential)', () => {
		const props = d.properties;
		expect(props[0]).toMatchObject({ type: 'notice', name: 'setupNotice' });
		expect(props[0].displayName).toMatch(/Production URL/);
		expect(props.filter((p) => p.typeOptions?.password).map((p) => p.name)).toEqual([]);
		expect(props.map((p) => p.name)).not.toContain('authentication');
		const events = props.find((p) => p.name === 'events');
		expect(events?.options?.map((o) => (o as { value: string }).value).sort()).toEqual([
			'*',
			'order.approved',
			'order.created',
			'order.rejected',
		]);
	});

	it('has a complete, trivial webhook lifecycle (registration is manual)', async () => {
		const hooks = node.webhookMethods.default;
		const hook = {
			getNode: () => ({ name: 'Kapitale Trigger', typeVersion: 2 }),
			getCredentials: async () => ({ webhookAuthentication: 'bearer', webhookToken: TOKEN }),
		} as never;
		await expect(hooks.checkExists.call(hook)).resolves.toBe(false);
		await expect(hooks.create.call(hook)).resolves.toBe(true);
		await expect(hooks.delete.call(hook)).resolves.toBe(true);
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
				const out = await callWebhook(
					{ ...bearer, deduplicate: false },
					{ rawBody: delivery(), headers: { authorization } },
				);
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
			const out = await callWebhook(bearer, {
				rawBody: delivery(),
				headers: authorization ? { authorization } : {},
			});
			expect(out.status).toBe(401);
			expect(out.body).toEqual({ received: false, error: 'Unauthorized' });
			expect(out.responseHeaders['WWW-Authenticate']).toMatch(/^Bearer/);
			expect(out.result.noWebhookResponse).toBe(true);
			expect(out.result.workflowData).toBeUndefined();
		});

		it('rejects everything while no token is configured', async () => {
			const out = await callWebhook(
				{ authentication: 'bearer', bearerToken: '' },
				{ rawBody: delivery(), headers: { authorization: 'Bearer ' } },
			);
			expect(out.status).toBe(401);
		});

		it('checks credentials before reading the body', async () => {
			const out = await callWebhook(bearer, { rawBody: 'not json', body: {} });
			expect(out.status).toBe(401);
		});
	});

	describe('basic', () => {
		const basic = {
			authentication: 'basic',
			basicUser: 'kapitale',
			basicPassword: 's3cr:et',
			deduplicate: false,
		};

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
			const out = await callWebhook(basic, {
				rawBody: delivery(),
				headers: authorization ? { authorization } : {},
			});
			expect(out.status).toBe(401);
			expect(out.responseHeaders['WWW-Authenticate']).toMatch(/^Basic/);
			expect(out.items).toBeUndefined();
		});

		it('rejects everything while no password is configured', async () => {
			const out = await callWebhook(
				{ ...basic, basicPassword: '' },
				{ rawBody: delivery(), headers: { authorization: `Basic ${b64('kapitale:')}` } },
			);
			expect(out.status).toBe(401);
		});
	});

	describe('custom header', () => {
		const header = {
			authentication: 'header',
			headerName: 'X-Kapitale-Secret',
			headerValue: 'h-value-123',
			deduplicate: false,
		};

		it('accepts the configured header (name is case-insensitive)', async () => {
			const out = await callWebhook(header, {
				rawBody: delivery(),
				headers: { 'x-kapitale-secret': 'h-value-123' },
			});
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
			const out = await callWebhook(
				{ ...header, headerName: '' },
				{ rawBody: delivery(), headers: { '': 'h-value-123' } },
			);
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
	it.each(['GET', 'PUT', 'DELETE'])('%s answers 405 with Allow: POST', async (method) => {
		const out = await callWebhook(open, { method, rawBody: delivery() });
		expect(out.status).toBe(405);
		expect(out.responseHeaders.Allow).toBe('POST');
		expect(out.items).toBeUndefined();
	});

	it.each([
		['non-JSON bytes', { rawBody: 'event_type=order.approved', body: {} }, /not valid JSON/],
		['truncated JSON', { rawBody: '{"event_type": "order.approved"', body: {} }, /not valid JSON/],
		['empty body', { rawBody: '', body: {} }, /JSON object/],
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
			const out = await callWebhook(open, {
				rawBody: delivery(),
				headers: { 'content-length': String(2 * 1024 * 1024) },
			});
			expect(out.status).toBe(413);
		});

		it('by the bytes even when Content-Length understates them', async () => {
			const out = await callWebhook(open, { rawBody: big, headers: { 'content-length': '100' } });
			expect(out.status).toBe(413);
		});

		it('with a configurable limit', async () => {
			const body = delivery('order.approved', { note: 'x'.repeat(3000) });
			expect(
				(await callWebhook({ ...open, options: { maxBodyKb: 2 } }, { rawBody: body })).status,
			).toBe(413);
			expect(
				(await callWebhook({ ...open, options: { maxBodyKb: 4 } }, { rawBody: body })).status,
			).toBe(200);
		});
	});
});

describe('event filter', () => {
	it('ignores unselected events with 200 and no execution', async () => {
		const params = { ...open, events: ['order.approved'] };
		const out = await callWebhook(params, { rawBody: delivery('order.created') });
		expect(out.status).toBe(200);
		expect(out.body).toEqual({ received: true, ignored: 'event not selected' });
		expect(out.responseHeaders['Content-Type']).toMatch(/^application\/json/);
		expect(out.result.workflowData).toBeUndefined();

		const ok = await callWebhook(params, { rawBody: delivery('order.approved') });
		expect(ok.items).toHaveLength(1);
	});

	it('accepts several selected events', async () => {
		const params = { ...open, events: ['order.approved', 'order.rejected'] };
		expect((await callWebhook(params, { rawBody: delivery('order.rejected') })).items).toHaveLength(
			1,
		);
		expect((await callWebhook(params, { rawBody: delivery('order.paid') })).items).toBeUndefined();
	});

	it('"All events" also passes unknown future event types', async () => {
		for (const events of [['*'], ['*', 'order.created'], []]) {
			const out = await callWebhook(
				{ ...open, events },
				{ rawBody: delivery('order.invoice_sent') },
			);
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
		const out = await callWebhook(
			{ ...open, destinationIds: 'aaaaaaaa-0000-4000-8000-000000000000' },
			{ rawBody: delivery() },
		);
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
		expect(second.responseHeaders['Content-Type']).toMatch(/^application\/json/);
		expect(second.result.workflowData).toBeUndefined();

		now.mockReturnValue(1_000_000 + 10 * 60_000 + 1);
		const third = await callWebhook(dedup, { rawBody: delivery() }, state);
		expect(third.items).toHaveLength(1);
	});

	it('is on by default (60 minutes)', async () => {
		const state: IDataObject = {};
		const now = jest.spyOn(Date, 'now').mockReturnValue(5_000_000);
		expect(
			(await callWebhook({ authentication: 'none' }, { rawBody: delivery() }, state)).items,
		).toHaveLength(1);
		now.mockReturnValue(5_000_000 + 59 * 60_000);
		expect(
			(await callWebhook({ authentication: 'none' }, { rawBody: delivery() }, state)).items,
		).toBeUndefined();
		now.mockReturnValue(5_000_000 + 61 * 60_000);
		expect(
			(await callWebhook({ authentication: 'none' }, { rawBody: delivery() }, state)).items,
		).toHaveLength(1);
	});

	it('remembers through the static data alone (a restarted n8n), and through the claims alone (parallel requests that each loaded the static data before any save)', async () => {
		const saved: IDataObject = {};
		expect((await callWebhook(dedup, { rawBody: delivery() }, saved)).items).toHaveLength(1);
		forgetClaims(); // restart: only what n8n saved is left
		expect((await callWebhook(dedup, { rawBody: delivery() }, saved)).body).toEqual({
			received: true,
			duplicate: true,
		});

		// Twenty requests, each with its own copy of the static data as loaded before any save.
		const copies = Array.from({ length: 20 }, () => ({}) as IDataObject);
		const outs = await Promise.all(
			copies.map((copy) => callWebhook(dedup, { rawBody: delivery('order.rejected') }, copy)),
		);
		expect(outs.filter((out) => out.items).length).toBe(1);
		expect(outs.filter((out) => (out.body as IDataObject).duplicate).length).toBe(19);
	});

	it('writes every key this process accepted into each save, so a save that lost a race is repaired by the next', async () => {
		const loadedByA: IDataObject = {};
		const loadedByB: IDataObject = {};
		await callWebhook(dedup, { rawBody: delivery('order.approved', { order_id: 'a' }) }, loadedByA);
		await callWebhook(dedup, { rawBody: delivery('order.approved', { order_id: 'b' }) }, loadedByB);
		// B's copy never saw A's key, yet B's save carries both.
		expect(storedKeyCount(loadedByB)).toBe(2);
		forgetClaims();
		expect(
			(
				await callWebhook(
					dedup,
					{ rawBody: delivery('order.approved', { order_id: 'a' }) },
					loadedByB,
				)
			).items,
		).toBeUndefined();
	});

	it('keeps the production and the test URL apart, and one workflow from another', async () => {
		expect(
			(await callWebhook(dedup, { rawBody: delivery() }, {}, { mode: 'manual' })).items,
		).toHaveLength(1);
		expect(
			(await callWebhook(dedup, { rawBody: delivery() }, {}, { mode: 'webhook' })).items,
		).toHaveLength(1);
		expect(
			(await callWebhook(dedup, { rawBody: delivery() }, {}, { workflowId: 'another' })).items,
		).toHaveLength(1);
		expect(
			(await callWebhook(dedup, { rawBody: delivery() }, {}, { mode: 'webhook' })).items,
		).toBeUndefined();
	});

	it('treats another event, destination, order or status as a new delivery; other fields do not matter', async () => {
		const state: IDataObject = {};
		const runs = [
			delivery('order.approved'),
			delivery('order.rejected'),
			delivery('order.approved', { order_id: 'other-order' }),
			delivery('order.approved', { status: 'paid' }),
			{ ...delivery('order.approved'), destination_id: 'another-industry' },
			delivery('order.approved', { order_id: 42 }),
			delivery('order.approved', { order_id: '42' }), // a string is not the number
			delivery('order.approved', { occurred_at: 'a later time' }), // same event/order/status → duplicate
			delivery('order.approved', { order_id: 42, note: 'retry' }), // duplicate
		];
		const executed = [];
		for (const body of runs)
			executed.push((await callWebhook(dedup, { rawBody: body }, state)).items?.length ?? 0);
		expect(executed).toEqual([1, 1, 1, 1, 1, 1, 1, 0, 0]);
	});

	it('never merges ids of the wrong type: objects, arrays and booleans are refused with 400', async () => {
		for (const orderId of [{ a: 1 }, { b: 2 }, [1], true, '', '   ', 'x'.repeat(201)]) {
			const out = await callWebhook(dedup, {
				rawBody: delivery('order.approved', { order_id: orderId }),
			});
			expect([out.status, out.body]).toEqual([
				400,
				{ received: false, error: '"data.order_id" must be a non-empty string or a number' },
			]);
			expect(out.items).toBeUndefined();
		}
		const status = await callWebhook(dedup, {
			rawBody: delivery('order.approved', { status: { x: 1 } }),
		});
		expect(status.status).toBe(400);
	});

	it('needs an order id while it is on; without it the delivery is refused, not hashed', async () => {
		const body = { event_type: 'order.approved', data: { status: 'approved' } };
		const on = await callWebhook(dedup, { rawBody: body });
		expect([on.status, on.body]).toEqual([
			400,
			{
				received: false,
				error: '"data.order_id" is missing; it is needed to recognise duplicates',
			},
		]);
		expect(
			(await callWebhook({ ...dedup, deduplicate: false }, { rawBody: body })).items,
		).toHaveLength(1);
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
		await callWebhook(
			{ ...dedup, events: ['order.created'] },
			{ rawBody: delivery('order.approved') },
			state,
		);
		await callWebhook(
			{ ...dedup, authentication: 'bearer', bearerToken: TOKEN },
			{ rawBody: delivery('order.approved') },
			state,
		);
		expect(storedKeyCount(state)).toBe(0);
		expect(
			(await callWebhook(dedup, { rawBody: delivery('order.approved') }, state)).items,
		).toHaveLength(1);
	});

	it(`keeps at most ${MAX_DEDUP_KEYS} keys (the oldest go first) and drops expired ones`, () => {
		const state: IDataObject = {};
		const scope = { workflowId: 'w', nodeId: 'n', mode: 'webhook' };
		for (let i = 0; i < MAX_DEDUP_KEYS + 5; i++)
			expect(claimDelivery(state, scope, `k${i}`, 60_000, 1_000 + i)).toBe(true);
		expect(storedKeyCount(state)).toBe(MAX_DEDUP_KEYS);
		forgetClaims();
		const at = 1_000 + MAX_DEDUP_KEYS + 10;
		expect(claimDelivery(state, scope, `k${MAX_DEDUP_KEYS + 4}`, 60_000, at)).toBe(false);
		expect(claimDelivery(state, scope, 'k0', 60_000, at)).toBe(true); // evicted early
		expect(claimDelivery(state, scope, 'fresh', 60_000, 1_000 + 60_000 + MAX_DEDUP_KEYS + 5)).toBe(
			true,
		);
		// fresh and k0 are left: a duplicate does not extend the window, which counts from acceptance.
		expect(storedKeyCount(state)).toBe(2);
	});

	it('replaces the state of older versions and survives corrupted state', () => {
		const scope = { workflowId: 'w', nodeId: 'n', mode: 'webhook' };
		const state: IDataObject = {
			kapitaleDeliveriesSeen: { 'order.approved|x|approved': 1 },
			kapitaleDedup: 'garbage',
		};
		expect(claimDelivery(state, scope, 'k', 60_000, 10)).toBe(true);
		expect(state).toEqual({ kapitaleDedup: { seen: { k: 10 } } });
		forgetClaims();
		const odd: IDataObject = { kapitaleDedup: { seen: { k: 'x', j: 5, future: 10_000_000 } } };
		expect(claimDelivery(odd, scope, 'k', 60_000, 10)).toBe(true);
		expect(claimDelivery(odd, scope, 'j', 60_000, 10)).toBe(false);
		expect(claimDelivery(odd, scope, 'future', 60_000, 10)).toBe(true);
	});

	it('keys are short, fixed-length and unambiguous', () => {
		expect(deliveryKey(['order.approved', '', `s:${ORDER_ID}`, 's:approved'])).toMatch(
			/^[A-Za-z0-9_-]{22}$/,
		);
		expect(deliveryKey(['a|b', 'c'])).not.toBe(deliveryKey(['a', 'b|c']));
	});
});

describe('body checks', () => {
	const dedup = { authentication: 'none' };

	it('a body nested 10,000 levels gets a short 400, from the raw bytes and from a parsed body alike', async () => {
		const deep = `{"event_type":"order.approved","data":${'['.repeat(10_000)}${']'.repeat(10_000)}}`;
		const raw = await callWebhook(dedup, { rawBody: deep, body: {} });
		expect([raw.status, raw.body]).toEqual([
			400,
			{ received: false, error: 'Body is nested more than 32 levels deep' },
		]);
		let nested: unknown = 1;
		for (let i = 0; i < 10_000; i++) nested = { n: nested };
		const parsed = await callWebhook(dedup, {
			body: { event_type: 'order.approved', data: nested },
		});
		expect(parsed.status).toBe(400);
		// Brackets inside strings are not nesting.
		const inString = await callWebhook(dedup, {
			rawBody: delivery('order.approved', { note: '[[[[{{{{'.repeat(100) }),
		});
		expect(inString.items).toHaveLength(1);
	});

	it('a byte-order mark gets a 400 that says so', async () => {
		const bom = Buffer.concat([
			Buffer.from([0xef, 0xbb, 0xbf]),
			Buffer.from(JSON.stringify(delivery())),
		]);
		const out = await callWebhook(dedup, { rawBody: bom, body: delivery() });
		expect([out.status, (out.body as IDataObject).error]).toEqual([
			400,
			'Body starts with a byte-order mark; send plain UTF-8 JSON',
		]);
	});

	it.each([
		[
			'destination_id',
			{ ...delivery(), destination_id: { id: 'x' } },
			'"destination_id" must be a string',
		],
		['data', { ...delivery(), data: 'text' }, '"data" must be a JSON object'],
	])('%s of the wrong type → 400', async (_label, body, error) => {
		const out = await callWebhook(dedup, { rawBody: body });
		expect([out.status, out.body]).toEqual([400, { received: false, error }]);
	});
});

describe('the secret comes from the Kapitale API credential', () => {
	const withCredential = (credential?: IDataObject) => ({ credential });
	const params = { deduplicate: false };

	it.each([
		[
			'bearer',
			{ webhookAuthentication: 'bearer', webhookToken: TOKEN },
			{ authorization: `Bearer ${TOKEN}` },
			{ authorization: `Bearer ${TOKEN}x` },
		],
		[
			'basic',
			{ webhookAuthentication: 'basic', webhookUser: 'k', webhookPassword: 'p:w' },
			{ authorization: `Basic ${b64('k:p:w')}` },
			{ authorization: `Basic ${b64('k:p:x')}` },
		],
		[
			'header',
			{
				webhookAuthentication: 'header',
				webhookHeaderName: 'X-Kapitale-Secret',
				webhookHeaderValue: 'hv',
			},
			{ 'x-kapitale-secret': 'hv' },
			{ 'x-kapitale-secret': 'hvx' },
		],
	])(
		'%s: the right secret is accepted, a wrong one is 401',
		async (_label, credential, headers, wrong) => {
			expect(
				(
					await callWebhook(
						params,
						{ rawBody: delivery(), headers },
						{},
						withCredential(credential),
					)
				).items,
			).toHaveLength(1);
			expect(
				(
					await callWebhook(
						params,
						{ rawBody: delivery(), headers: wrong },
						{},
						withCredential(credential),
					)
				).status,
			).toBe(401);
		},
	);

	it('without a credential, or with an empty secret, every request is refused', async () => {
		expect(
			(
				await callWebhook(
					params,
					{ rawBody: delivery(), headers: { authorization: 'Bearer ' } },
					{},
					withCredential(),
				)
			).status,
		).toBe(401);
		const empty = withCredential({ webhookAuthentication: 'bearer', webhookToken: '' });
		expect(
			(
				await callWebhook(
					params,
					{ rawBody: delivery(), headers: { authorization: 'Bearer ' } },
					{},
					empty,
				)
			).status,
		).toBe(401);
	});

	it('refuses to activate with a credential whose secret is empty, saying which field to fill', async () => {
		const create = new KapitaleOrderTrigger().webhookMethods.default.create;
		const hook = (credential: IDataObject) =>
			({
				getNode: () => ({ name: 'Kapitale Trigger', typeVersion: 2 }),
				getCredentials: async () => credential,
			}) as never;
		await expect(
			create.call(hook({ webhookAuthentication: 'bearer', webhookToken: '' })),
		).rejects.toThrow(/no Webhook Token/);
		await expect(
			create.call(
				hook({ webhookAuthentication: 'header', webhookHeaderName: 'X-A', webhookHeaderValue: '' }),
			),
		).rejects.toThrow(/Webhook Header Value/);
		await expect(
			create.call(hook({ webhookAuthentication: 'bearer', webhookToken: 't' })),
		).resolves.toBe(true);
		await expect(create.call(hook({ webhookAuthentication: 'none' }))).resolves.toBe(true);
	});
});

describe('output item', () => {
	const fixedNow = Date.parse('2026-07-01T12:34:56.789Z');

	it('flattens data next to event_type and destination_id, with received_at', async () => {
		jest.spyOn(Date, 'now').mockReturnValue(fixedNow);
		const out = await callWebhook(open, {
			rawBody: delivery('order.approved', { requested_amount: 1500.5 }),
		});
		expect(out.status).toBe(200);
		expect(out.body).toEqual({ received: true });
		expect(out.responseHeaders['Content-Type']).toMatch(/^application\/json/);
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
		const out = await callWebhook(open, {
			rawBody: delivery('order.approved', { event_type: 'spoof', received_at: 'x' }),
		});
		const json = out.items?.[0].json as IDataObject;
		expect(json.event_type).toBe('order.approved');
		expect(json.data_event_type).toBe('spoof');
		expect(json.data_received_at).toBe('x');
	});

	it('handles a missing data (duplicates off), and refuses a data that is not an object', async () => {
		const none = await callWebhook(open, { rawBody: { event_type: 'order.created' } });
		expect(none.items?.[0].json).toMatchObject({
			event_type: 'order.created',
			destination_id: null,
		});
		expect(none.items?.[0].json).not.toHaveProperty('data');
		const list = await callWebhook(open, {
			rawBody: { event_type: 'order.created', data: [1, 2] },
		});
		expect([list.status, list.body]).toEqual([
			400,
			{ received: false, error: '"data" must be a JSON object' },
		]);
	});

	it('adds headers only when asked, with Authorization redacted', async () => {
		const headers = {
			authorization: `Bearer ${TOKEN}`,
			'user-agent': 'kapitale/1.0',
			'x-request-id': 'r-1',
		};
		const params = { ...bearer, deduplicate: false };
		const without = await callWebhook(params, { rawBody: delivery(), headers });
		expect(without.items?.[0].json).not.toHaveProperty('headers');

		const withHeaders = await callWebhook(
			{ ...params, options: { includeHeaders: true } },
			{ rawBody: delivery(), headers },
		);
		const out = withHeaders.items?.[0].json.headers as IDataObject;
		expect(out).toMatchObject({
			authorization: '[redacted]',
			'user-agent': 'kapitale/1.0',
			'x-request-id': 'r-1',
		});
		expect(JSON.stringify(withHeaders.items)).not.toContain(TOKEN);
	});

	it('redacts the custom auth header too', async () => {
		const params = {
			authentication: 'header',
			headerName: 'X-Secret',
			headerValue: 'v-123456',
			deduplicate: false,
			options: { includeHeaders: true },
		};
		const out = await callWebhook(params, {
			rawBody: delivery(),
			headers: { 'x-secret': 'v-123456', 'x-other': 'ok' },
		});
		expect(out.items?.[0].json.headers).toMatchObject({
			'x-secret': '[redacted]',
			'x-other': 'ok',
		});
		expect(JSON.stringify(out.items)).not.toContain('v-123456');
	});
});
