import { expectedFaultCount, RunningSandbox, startSandbox } from './index';
import { parseArgs } from './cli';
import { control, getToken, kapitale, partner, rawRequest } from './testing';

let sb: RunningSandbox;
let token: string;
beforeAll(async () => {
	sb = await startSandbox({ quiet: true, seed: 1 });
	token = await getToken(sb);
});
afterAll(() => sb.close());
beforeEach(() => {
	sb.setFaults([]);
	sb.clearLog();
});

const get = (path: string) =>
	rawRequest(`${sb.kapitaleBaseUrl}${path}`, { headers: { Authorization: `Bearer ${token}` } });

describe('fault injection', () => {
	test('errorRate 0.1 / 503 over 200 requests: exact, deterministic count, before processing', async () => {
		sb.setFaults([{ service: 'kapitale', pathPrefix: '/order', errorRate: 0.1, errorStatus: 503 }]);
		const statuses: number[] = [];
		for (let i = 0; i < 200; i++) statuses.push((await get('/order?limit=1')).status);
		const expected = expectedFaultCount(1, 0, 'errorRate', 0.1, 200);
		expect(expected).toBe(21); // seed 1 → always the same
		expect(statuses.filter((s) => s === 503)).toHaveLength(expected);
		expect(statuses.filter((s) => s === 200)).toHaveLength(200 - expected);
		const log = sb.requestLog().filter((e) => e.fault === 'error-503');
		expect(log).toHaveLength(expected);
		expect(log.every((e) => e.status === 503 && e.processed === false)).toBe(true);
		// the same rules again start the same sequence
		sb.setFaults([{ service: 'kapitale', pathPrefix: '/order', errorRate: 0.1, errorStatus: 503 }]);
		sb.clearLog();
		const again: number[] = [];
		for (let i = 0; i < 200; i++) again.push((await get('/order?limit=1')).status);
		expect(again).toEqual(statuses);
	});

	test('maxConsecutive: the same request fails at most N times in a row, other requests keep their faults', async () => {
		sb.setFaults([
			{
				service: 'kapitale',
				pathPrefix: '/order',
				errorRate: 1,
				errorStatus: 503,
				maxConsecutive: 2,
			},
		]);
		const same = [];
		for (let i = 0; i < 6; i++) same.push((await get('/order?limit=1')).status);
		expect(same).toEqual([503, 503, 200, 503, 503, 200]);
		expect((await get('/order?limit=2')).status).toBe(503);
	});

	test('500 happens AFTER processing (the order was created)', async () => {
		sb.setFaults([
			{ service: 'kapitale', method: 'POST', pathPrefix: '/order', errorRate: 1, errorStatus: 500 },
		]);
		const before = sb.counts().orders;
		const r = await kapitale(sb, token, 'POST', '/order', {
			order_number: 'FAULT-500',
			expiry_date: '2026-12-31',
			requested_amount: 100,
			retail_cnpj: sb.fixtures.registeredRetailCnpj,
			purchase_date: '2026-11-01',
			purchase_items: [{ value: 100, quantity: 1 }],
		});
		expect(r.status).toBe(500);
		expect(sb.counts().orders).toBe(before + 1);
		const e = sb.requestLog().at(-1)!;
		expect(e).toMatchObject({ status: 500, fault: 'error-500', processed: true });
		// GET is not matched by the POST rule
		expect((await get('/order')).status).toBe(200);
	});

	test('429 with Retry-After before processing', async () => {
		sb.setFaults([{ service: 'all', rateLimitRate: 1, retryAfterSeconds: 7 }]);
		const r = await get('/order');
		expect(r.status).toBe(429);
		expect(r.headers['retry-after']).toBe('7');
		const p = await partner(sb, 'GET', '/bank/search?search=237');
		expect(p.status).toBe(429);
		expect(sb.requestLog().every((e) => e.fault === 'rate-limit' && !e.processed)).toBe(true);
	});

	test('connection reset before / after processing', async () => {
		sb.setFaults([{ service: 'kapitale', resetRate: 1, resetPhase: 'before' }]);
		await expect(get('/order')).rejects.toThrow();
		sb.setFaults([{ service: 'kapitale', resetRate: 1, resetPhase: 'after' }]);
		await expect(get('/order')).rejects.toThrow();
		const log = sb.requestLog();
		expect(log.map((e) => [e.fault, e.processed, e.status])).toEqual([
			['reset-before', false, 0],
			['reset-after', true, 0],
		]);
	});

	test('truncated body: valid status and Content-Length, body cut short', async () => {
		sb.setFaults([{ service: 'kapitale', truncateRate: 1 }]);
		const r = await fetch(`${sb.kapitaleBaseUrl}/order`, {
			headers: { Authorization: `Bearer ${token}` },
		});
		expect(r.status).toBe(200);
		expect(Number(r.headers.get('content-length'))).toBeGreaterThan(0);
		await expect(r.text()).rejects.toThrow();
		expect(sb.requestLog()[0]).toMatchObject({ fault: 'truncate', processed: true });
	});

	test('proxy-style HTML 502', async () => {
		sb.setFaults([{ service: 'partner', htmlErrorRate: 1 }]);
		const r = await partner(sb, 'GET', '/bank/search?search=237');
		expect(r.status).toBe(502);
		expect(r.headers['content-type']).toContain('text/html');
		expect(r.text).toContain('502 Bad Gateway');
		expect((await get('/order')).status).toBe(200);
	});

	test('latency and slow body', async () => {
		sb.setFaults([{ service: 'kapitale', latencyMs: 150 }]);
		let t0 = Date.now();
		expect((await get('/order')).status).toBe(200);
		expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
		sb.setFaults([{ service: 'kapitale', slowBodyMs: 300 }]);
		t0 = Date.now();
		const r = await get('/order');
		expect(r.status).toBe(200);
		expect(r.json.data.length).toBe(10);
		expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
	});

	test('token dies after N authenticated requests', async () => {
		sb.setFaults([{ service: 'kapitale', tokenExpiresAfterRequests: 3 }]);
		const t = await getToken(sb);
		const s: number[] = [];
		for (let i = 0; i < 5; i++) s.push((await kapitale(sb, t, 'GET', '/order')).status);
		expect(s).toEqual([200, 200, 200, 401, 401]);
		const r = await kapitale(sb, t, 'GET', '/order');
		expect(r.json).toEqual({ message: 'The incoming token has expired' });
		const fresh = await getToken(sb);
		expect((await kapitale(sb, fresh, 'GET', '/order')).status).toBe(200);
	});

	test('token dies after N seconds', async () => {
		sb.setFaults([{ service: 'kapitale', tokenExpiresAfterSeconds: 1 }]);
		const t = await getToken(sb);
		expect((await kapitale(sb, t, 'GET', '/order')).status).toBe(200);
		await new Promise((r) => setTimeout(r, 2000));
		expect((await kapitale(sb, t, 'GET', '/order')).status).toBe(401);
	});

	test('token endpoint faults and global latency option', async () => {
		sb.setFaults([{ service: 'token', errorRate: 1, errorStatus: 503 }]);
		const r = await fetch(sb.tokenUrl, {
			method: 'POST',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: 'grant_type=client_credentials',
		});
		expect(r.status).toBe(503);
		sb.setFaults([]);
		const slow = await startSandbox({ quiet: true, latencyMs: 120 });
		try {
			const t0 = Date.now();
			await fetch(`${slow.controlUrl}/counts`);
			expect(Date.now() - t0).toBeLessThan(100); // control API is never delayed
			const t1 = Date.now();
			await fetch(`${slow.partnerBaseUrl}/bank/search?search=1`, {
				headers: { Authorization: `Bearer ${slow.credentials.bearerToken}` },
			});
			expect(Date.now() - t1).toBeGreaterThanOrEqual(110);
		} finally {
			await slow.close();
		}
	});

	test('control API: PUT/GET faults, GET/DELETE log, validation', async () => {
		const put = await control(sb, 'PUT', '/faults', [
			{ service: 'partner', errorRate: 1, errorStatus: 502 },
		]);
		expect(put.status).toBe(200);
		expect((await control(sb, 'GET', '/faults')).json).toEqual([
			{ service: 'partner', errorRate: 1, errorStatus: 502 },
		]);
		const r = await partner(sb, 'GET', '/bank/search?search=1');
		expect(r.status).toBe(502);
		const log = await control(sb, 'GET', '/log');
		expect(log.json).toHaveLength(1);
		expect(log.json[0]).toMatchObject({
			service: 'partner',
			method: 'GET',
			path: '/partner/bank/search',
			query: { search: '1' },
			status: 502,
			fault: 'error-502',
			processed: true,
		});
		expect(log.json[0].finishedAt).toBeGreaterThanOrEqual(log.json[0].startedAt);
		expect((await control(sb, 'DELETE', '/log')).status).toBe(204);
		expect((await control(sb, 'GET', '/log')).json).toEqual([]);
		expect((await control(sb, 'PUT', '/faults', [{ errorRate: 2 }])).status).toBe(400);
		expect((await control(sb, 'PUT', '/faults', { nope: 1 })).status).toBe(400);
	});

	test('reset clears faults, log and state', async () => {
		sb.setFaults([{ errorRate: 1, errorStatus: 503 }]);
		sb.seedOrders(3);
		sb.reset();
		expect(sb.requestLog()).toEqual([]);
		expect((await get('/order')).status).toBe(200);
		const fresh = await startSandbox({ quiet: true });
		try {
			expect(sb.counts().orders).toBe(fresh.counts().orders);
		} finally {
			await fresh.close();
		}
	});

	test('CLI flags parse into options and fault rules', () => {
		const { opts } = parseArgs([
			'--port',
			'0',
			'--latency',
			'5',
			'--seed',
			'9',
			'--data',
			'/tmp/x.json',
			'--fault',
			'{"errorRate":0.5,"errorStatus":503}',
			'--fault',
			'[{"service":"partner","latencyMs":10}]',
		]);
		expect(opts).toMatchObject({ port: 0, latencyMs: 5, seed: 9, dataFile: '/tmp/x.json' });
		expect((opts as any).faults).toEqual([
			{ errorRate: 0.5, errorStatus: 503 },
			{ service: 'partner', latencyMs: 10 },
		]);
	});
});
