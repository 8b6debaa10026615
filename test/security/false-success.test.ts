/**
 * Issue 13: answers that are not what they claim, and bounds on time and load. A 2xx that is not
 * the JSON object the endpoint returns is an error; failures are classified by what failed (the
 * token step is named); a dribbling server is cut at the deadline; a credential refused forever
 * costs at most one re-authentication.
 */
import { DEFAULT_CONCURRENCY } from '../../nodes/shared/execution/concurrency';
import { DEFAULT_RETRY_POLICY } from '../../nodes/shared/transport/retry';
import { TOKEN_REQUEST } from '../../nodes/shared/transport/token';
import { TRANSPORT_DEFAULTS } from '../../nodes/shared/transport';
import {
	bearerAt,
	clientCredentialsAt,
	engineWith,
	sendJson,
	startHostile,
	tokenAnswer,
	type Hostile,
	type Seen,
} from './hostile';
import { overrideForFile } from '../harness/overrides';

overrideForFile(DEFAULT_RETRY_POLICY, { baseDelayMs: 5, maxDelayMs: 20 });
// A test shortens the deadlines itself; they are put back after the file at the latest.
const savedDefaults = overrideForFile(TRANSPORT_DEFAULTS);
const savedToken = overrideForFile(TOKEN_REQUEST);

let api: Hostile;
beforeEach(async () => (api = await startHostile()));
afterEach(async () => await api.close());

const kapitale = (overrides = {}) =>
	engineWith(clientCredentialsAt(api, 'client-f', 'FALSE-SUCCESS-SECRET', overrides));

const lookup = (count = 1, continueOnFail = false) => ({
	type: 'kapitaleCompany',
	parameters: { resource: 'company', operation: 'getByCnpj', cnpj: '11222333000181' },
	items: Array.from({ length: count }, () => ({})),
	continueOnFail,
});
const create = {
	type: 'kapitaleOrder',
	parameters: {
		resource: 'order',
		operation: 'create',
		orderNumber: 'FS-1',
		retailCnpj: '11222333000181',
		requestedAmount: '1000',
		purchaseDate: '2025-02-26',
		expiryDate: '2025-12-31',
		purchaseItems: { item: [{ value: '1000', quantity: 1 }] },
	},
};

const apiCalls = () => api.seen.filter((entry) => entry.path.startsWith('/kapitale'));
const tokenCalls = () => api.seen.filter((entry) => entry.path === '/oauth2/token');

function answerApi(write: (response: Parameters<Hostile['handle']>[1]) => void) {
	api.handle = (request, response) =>
		request.path === '/oauth2/token' ? tokenAnswer(response, 'tok-fs') : write(response);
}

describe('a 2xx that is not the JSON answer is an error', () => {
	const bodies: Array<[string, string, string, RegExp]> = [
		[
			'an HTML page',
			'text/html',
			'<html><body>Welcome to nginx</body></html>',
			/with an HTML page instead of its JSON answer/,
		],
		['plain text', 'text/plain', 'OK', /with text that is not JSON instead/],
		['invalid JSON', 'application/json', '{"id": "abc", ', /with text that is not JSON instead/],
		[
			'a list where an object is expected',
			'application/json',
			'[{"id":"a"}]',
			/with a JSON list instead/,
		],
	];

	it.each(bodies)(
		'Create answered 201 with %s: an error that says the order may have been created, no item',
		async (_label, type, body, message) => {
			answerApi((response) => {
				response.writeHead(201, { 'content-type': type });
				response.end(body);
			});
			const run = await kapitale().runNode(create);
			expect(run.error?.name).toBe('NodeApiError');
			expect(run.error?.message).toMatch(/^The kapitale API answered HTTP 201 /);
			expect(run.error?.message).toMatch(message);
			expect(run.error?.description).toMatch(/may or may not have been processed/);
			expect(run.items).toEqual([]);
			expect(apiCalls().filter((entry) => entry.method === 'POST')).toHaveLength(1);
		},
	);

	it('a read answered 200 with an HTML page: an error item with continue on fail, not {"0":"<",...}', async () => {
		answerApi((response) => {
			response.writeHead(200, { 'content-type': 'text/html' });
			response.end('<html>login</html>');
		});
		const run = await kapitale().runNode(lookup(1, true));
		expect(run.items).toHaveLength(1);
		expect(run.items[0].json.error).toBe(
			'The kapitale API answered HTTP 200 with an HTML page instead of its JSON answer',
		);
		expect(run.items[0].json.description).not.toMatch(/may or may not/);
	});

	it('the partner API answering 200 with a list instead of its envelope is an error', async () => {
		api.handle = (_request, response) =>
			sendJson(response, 200, [{ id: 1, name: '237 - BRADESCO' }]);
		const engine = engineWith(bearerAt(api, 'bearer-false-success'));
		const run = await engine.runNode({
			type: 'bankSearch',
			parameters: { resource: 'bank', operation: 'search', query: '237' },
		});
		expect(run.error?.message).toBe(
			'The partner API answered HTTP 200 with a JSON list instead of its JSON answer',
		);
	});
});

describe('the token step', () => {
	it('a token endpoint 500 whose body says "json" is reported as the token step, naming the endpoint, not retried as a read', async () => {
		api.handle = (request, response) =>
			sendJson(response, 500, { message: 'Unexpected token in JSON at position 0 (json parse)' });
		const run = await kapitale().runNode(lookup());
		expect(run.error?.message).toBe(
			`Could not get a Kapitale access token from ${api.url}/oauth2/token (HTTP 500): Unexpected token in JSON at position 0 (json parse)`,
		);
		expect(run.error?.message).not.toMatch(/incomplete or unreadable/);
		expect(run.error?.description).toMatch(
			/GET \/company\/cnpj\/11222333000181 was not sent: the token step failed/,
		);
		expect(tokenCalls()).toHaveLength(1);
		expect(apiCalls()).toEqual([]);
	});

	it('connection refused on the token URL names the token endpoint', async () => {
		const closed = await startHostile();
		const refusedUrl = `${closed.url}/oauth2/token`;
		await closed.close();
		const run = await kapitale({ tokenUrl: refusedUrl }).runNode(lookup());
		expect(run.error?.message).toBe(
			`Could not get a Kapitale access token from ${refusedUrl}: the token endpoint could not be reached (connection refused)`,
		);
		expect(run.error?.description).toMatch(/was not sent: the token step failed\. Tried 5 times\./);
		expect(apiCalls()).toEqual([]);
	});

	it.each([
		['an object', { access_token: { value: 'x' } }, 'object'],
		['a number', { access_token: 12345 }, 'number'],
		['nothing', { token_type: 'Bearer' }, 'none'],
	])(
		'an access_token that is %s is refused: nothing is sent as "Bearer [object Object]"',
		async (_label, answer, got) => {
			api.handle = (request, response) =>
				request.path === '/oauth2/token'
					? sendJson(response, 200, answer)
					: sendJson(response, 200, { name: 'x' });
			const run = await kapitale().runNode(lookup());
			expect(run.error?.message).toBe(
				`The Kapitale token endpoint ${api.url}/oauth2/token answered without a usable access_token (expected a text, got ${got})`,
			);
			expect(apiCalls()).toEqual([]);
		},
	);

	it('a token endpoint answering 200 with HTML is refused', async () => {
		api.handle = (_request, response) => {
			response.writeHead(200, { 'content-type': 'text/html' });
			response.end('<html>captive portal</html>');
		};
		const run = await kapitale().runNode(lookup());
		expect(run.error?.message).toBe(
			`The Kapitale token endpoint ${api.url}/oauth2/token answered HTTP 200 without a JSON object`,
		);
		expect(apiCalls()).toEqual([]);
	});
});

describe('time and load bounds', () => {
	beforeAll(() => {
		TRANSPORT_DEFAULTS.timeoutMs = 300;
		TOKEN_REQUEST.timeoutMs = 300;
	});
	afterAll(() => {
		TRANSPORT_DEFAULTS.timeoutMs = savedDefaults.timeoutMs;
		TOKEN_REQUEST.timeoutMs = savedToken.timeoutMs;
	});

	/** The server sees each client hang up; a request the deadline did not cut would dribble on. */
	async function abandoned(entries: Seen[]) {
		for (let wait = 0; wait < 100 && !entries.every((entry) => entry.abandoned); wait++)
			await new Promise((resolve) => setTimeout(resolve, 20));
		expect(entries.map((entry) => entry.abandoned)).toEqual(entries.map(() => true));
	}

	// One byte every 50 ms never trips an idle timeout of 300 ms; only an overall deadline ends it.
	function dribble(response: Parameters<Hostile['handle']>[1]) {
		response.writeHead(200, { 'content-type': 'application/json' });
		response.write('{"name":"');
		const tick = setInterval(() => {
			if (response.destroyed) return clearInterval(tick);
			response.write('x');
		}, 50);
		response.on('close', () => clearInterval(tick));
	}

	it('a dribbling answer to a create is cut at the deadline, not resent, and may have been processed', async () => {
		answerApi(dribble);
		const run = await kapitale().runNode(create);
		expect(run.error?.message).toBe('The kapitale API did not answer within 0.3 s');
		expect(run.error?.description).toMatch(/may or may not have been processed/);
		const posts = apiCalls().filter((entry) => entry.method === 'POST');
		expect(posts).toHaveLength(1);
		await abandoned(posts);
	});

	it('a dribbling answer to a read is cut at each attempt, then reported', async () => {
		answerApi(dribble);
		const run = await kapitale().runNode(lookup());
		expect(run.error?.message).toMatch(/did not answer within/);
		expect(run.error?.description).toMatch(/Tried 5 times/);
		await abandoned(apiCalls());
		expect(apiCalls()).toHaveLength(1 + DEFAULT_RETRY_POLICY.maxRetries);
	});

	it('cancelling the execution aborts a dribbling request at once, long before its deadline', async () => {
		TRANSPORT_DEFAULTS.timeoutMs = 60_000;
		try {
			answerApi(dribble);
			const run = await kapitale().runNode({ ...lookup(), cancelAfterMs: 300 });
			expect(run.items).toEqual([]);
			await abandoned(apiCalls());
			expect(apiCalls()).toHaveLength(1);
		} finally {
			TRANSPORT_DEFAULTS.timeoutMs = 300;
		}
	});

	it('a dribbling answer to a GET with a body (partner customer list) ends at the deadline too', async () => {
		api.handle = (_request, response) => dribble(response);
		const engine = engineWith(bearerAt(api, 'bearer-false-success'));
		const run = await engine.runNode({
			type: 'partnerCustomer',
			parameters: { resource: 'customer', operation: 'getMany', returnAll: false, limit: 5 },
		});
		expect(run.error?.message).toBe('The partner API did not answer within 0.3 s');
		expect(run.error?.description).toMatch(/Tried 5 times/);
		expect(api.seen).toHaveLength(1 + DEFAULT_RETRY_POLICY.maxRetries);
	});

	it('a dribbling token endpoint is cut at its deadline too', async () => {
		api.handle = (_request, response) => dribble(response);
		const run = await kapitale().runNode(lookup());
		expect(run.error?.message).toMatch(
			new RegExp(
				`^Could not get a Kapitale access token from ${api.url}/oauth2/token: it did not answer within`,
			),
		);
		await abandoned(tokenCalls());
	});
});

describe('a token renewal that fails on the way', () => {
	it('requests waiting for it are not refused: the renewal is tried again and every item succeeds', async () => {
		let minted = 0;
		let firstTokenCalls = 0;
		api.handle = (request, response) => {
			if (request.path === '/oauth2/token') return tokenAnswer(response, `tok-${++minted}`);
			if (request.authorization !== 'Bearer tok-1')
				return sendJson(response, 200, { cnpj: '11222333000181', name: 'Loja' });
			// The first token has expired; the renewal's own first attempt meets a rate limit.
			// It answers late, so that the other items' refusals arrive while it is in flight.
			if (++firstTokenCalls === 2) {
				setTimeout(
					() => sendJson(response, 429, { message: 'Too many requests' }, { 'retry-after': '0' }),
					200,
				);
				return;
			}
			sendJson(response, 401, { message: 'The incoming token has expired' });
		};
		const run = await kapitale().runNode(lookup(20));
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(20);
		expect(run.items.every((item) => item.json.name === 'Loja')).toBe(true);
		expect(tokenCalls().length).toBeLessThanOrEqual(3);
	});
});

describe('a credential refused forever', () => {
	it('twice Parallel Requests items cost at most two tokens; after one re-authentication the items fail fast with the 401 message', async () => {
		let minted = 0;
		api.handle = (request, response) => {
			if (request.path === '/oauth2/token') return tokenAnswer(response, `tok-${++minted}`);
			sendJson(response, 401, {
				message: 'Unauthorized: the token is not valid for this industry',
			});
		};
		const count = 2 * DEFAULT_CONCURRENCY;
		const run = await kapitale().runNode(lookup(count, true));
		expect(run.items).toHaveLength(count);
		expect(run.items.map((item) => item.json.error)).toEqual(
			Array(count).fill('Unauthorized: the token is not valid for this industry'),
		);
		expect(run.items.every((item) => item.json.httpCode === '401')).toBe(true);
		expect(tokenCalls().length).toBeLessThanOrEqual(2);
		// The first item: old token, then n8n's one renewal and the new token; the items in flight
		// with it (Parallel Requests − 1) are answered by that verdict; the rest are not sent.
		expect(apiCalls().length).toBeLessThanOrEqual(3 + (DEFAULT_CONCURRENCY - 1));
		expect(apiCalls().length).toBeLessThan(count);
		expect(String(run.items[count - 1].json.description)).toMatch(
			/requested once in this run and was refused too/,
		);
	});

	it('an expired stored token is still renewed once and the run succeeds', async () => {
		let minted = 0;
		let accepted = 'tok-1';
		api.handle = (request, response) => {
			if (request.path === '/oauth2/token') return tokenAnswer(response, `tok-${++minted}`);
			if (request.authorization !== `Bearer ${accepted}`)
				return sendJson(response, 401, { message: 'The incoming token has expired' });
			sendJson(response, 200, { name: 'Retail', registered_retail: true });
		};
		const engine = kapitale();
		expect((await engine.runNode(lookup(1))).error).toBeUndefined();
		accepted = 'tok-2';
		const second = await engine.runNode(lookup(10));
		expect(second.error).toBeUndefined();
		expect(second.items).toHaveLength(10);
		expect(minted).toBe(2);
	});
});
