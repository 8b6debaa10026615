/**
 * Issue 20: no answer, page count, header or token answer of a misbehaving API can exhaust n8n.
 * Each case runs the node through n8n-core's WorkflowExecute against a loopback server that
 * misbehaves on purpose, and asserts what a user sees (the error, the items) and how many
 * requests it took. Peak memory is measured in a subprocess: see bounds-memory.test.ts.
 */
import type http from 'node:http';
import { gzipSync } from 'node:zlib';

import { KapitaleOrder } from '../../nodes/Kapitale/KapitaleOrder/KapitaleOrder.node';
import { ANSWER_LIMITS } from '../../nodes/shared/transport/answer';
import { DEFAULT_RETRY_POLICY } from '../../nodes/shared/transport/retry';
import { TOKEN_REQUEST } from '../../nodes/shared/transport/token';
import { loadOptionsContext } from '../kapitale/helpers';
import {
	clientCredentialsAt,
	engineWith,
	gzipBombAnswer,
	sendJson,
	startHostile,
	tokenAnswer,
	type Hostile,
	type Seen,
} from './hostile';
import { overrideForFile } from '../harness/overrides';

overrideForFile(DEFAULT_RETRY_POLICY, { baseDelayMs: 5, maxDelayMs: 20 });
// A test shortens the token deadline itself; it is put back after the file at the latest.
const savedToken = overrideForFile(TOKEN_REQUEST);

let api: Hostile;
beforeEach(async () => (api = await startHostile()));
afterEach(async () => await api.close());

const engine = () => engineWith(clientCredentialsAt(api, 'client-b', 'BOUNDS-SECRET'));
const apiCalls = () => api.seen.filter((entry) => entry.path.startsWith('/kapitale'));
const tokenCalls = () => api.seen.filter((entry) => entry.path === '/oauth2/token');
const pageOf = (entry: Seen) => Number(new URL(entry.path, api.url).searchParams.get('page'));

/** The token endpoint answers; every API request goes to `write`. */
function answerApi(write: (request: Seen, response: http.ServerResponse) => void) {
	api.handle = (request, response) =>
		request.path === '/oauth2/token' ? tokenAnswer(response, 'tok-b') : write(request, response);
}

const ORDER_ID = '550e8400-e29b-41d4-a716-446655440000';
const order = (n: number) => ({
	id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
	order_no: `B-${n}`,
	order_status: 'pending',
	retail: { name: 'Varejo', cnpj: '11222333000181' },
});
const page = (from: number, size: number) =>
	Array.from({ length: size }, (_, index) => order(from + index));

const getAll = (extra = {}) => ({
	type: 'kapitaleOrder',
	parameters: {
		resource: 'order',
		operation: 'getAll',
		returnAll: true,
		simplify: false,
		...extra,
	},
});
const getOne = (ids: string[], continueOnFail = false) => ({
	type: 'kapitaleOrder',
	parameters: {
		resource: 'order',
		operation: 'get',
		orderId: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
	},
	items: ids.map((id) => ({ id })),
	continueOnFail,
});

describe('Return All ends on its own', () => {
	it('totalPages 1,000,000,000 and no data: a clear error after one request', async () => {
		answerApi((_request, response) =>
			sendJson(response, 200, { data: [], page: 1, totalPages: 1e9, limit: 100 }),
		);
		const run = await engine().runNode(getAll());
		expect(run.error?.message).toBe(
			'The API announced 1,000,000,000 pages but its first page is empty',
		);
		expect(apiCalls()).toHaveLength(1);
	});

	it('a full first page announcing 1,000,000,000 pages: refused at once, above the Return All cap', async () => {
		answerApi((request, response) =>
			sendJson(response, 200, { data: page(pageOf(request) * 100, 100), totalPages: 1e9 }),
		);
		const run = await engine().runNode(getAll());
		expect(run.error?.message).toBe(
			'The API announced 1,000,000,000 pages of up to 100 records, more than Return All reads',
		);
		expect(run.error?.description).toMatch(/at most 100,000 records/);
		expect(apiCalls()).toHaveLength(1);
	});

	it('1,000,000 pages announced, empty from page 2: a clear error within 3 requests', async () => {
		answerApi((request, response) => {
			const p = pageOf(request);
			sendJson(response, 200, { data: p === 1 ? page(0, 100) : [], totalPages: 1000 });
		});
		const run = await engine().runNode(getAll());
		expect(run.error?.message).toBe(
			'Page 2 of the 1,000 pages the API announced is empty (after 100 records)',
		);
		expect(apiCalls().length).toBeLessThanOrEqual(3);
	});

	it('every page repeating the same 100 orders: the error comes at page 2, not after all pages', async () => {
		answerApi((_request, response) =>
			sendJson(response, 200, { data: page(0, 100), totalPages: 1000 }),
		);
		const run = await engine().runNode(getAll());
		expect(run.error?.message).toBe('Page 2 of the list repeated records already read');
		expect(apiCalls().length).toBeLessThanOrEqual(3);
	});

	it('a page count far above its own count: only the pages the count supports are read, and returned', async () => {
		answerApi((request, response) => {
			const p = pageOf(request);
			sendJson(response, 200, {
				data: p <= 2 ? page((p - 1) * 100, p === 1 ? 100 : 50) : [],
				totalPages: 1e9,
				count: 150,
			});
		});
		const run = await engine().runNode(getAll());
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(150);
		expect(apiCalls().map(pageOf)).toEqual([1, 2]);
	});

	it('the order list search stops offering pages at an empty page, whatever totalPages says', async () => {
		answerApi((request, response) => {
			const p = pageOf(request);
			sendJson(response, 200, { data: p === 1 ? page(0, 100) : [], totalPages: 1e9 });
		});
		const context = loadOptionsContext(
			engine(),
			'kapitaleOrder',
			{ resource: 'order', operation: 'get' },
			'parameters.orderId',
		);
		const search = new KapitaleOrder().methods.listSearch.searchOrders;
		const first = await search.call(context);
		expect(first.paginationToken).toBe('2');
		const second = await search.call(context, undefined, first.paginationToken);
		expect(second.results).toEqual([]);
		expect(second.paginationToken).toBeUndefined();
	});
});

/** Streams `total` bytes: `{"data":[` + filler + `]}` in 64 KB chunks, never holding them. */
function streamJson(response: http.ServerResponse, total: number, headers = {}) {
	response.writeHead(200, { 'content-type': 'application/json', ...headers });
	const chunk = Buffer.alloc(64 * 1024, 0x20);
	let sent = 0;
	const pump = () => {
		while (sent < total) {
			sent += chunk.length;
			if (!response.write(chunk)) return void response.once('drain', pump);
		}
		response.end();
	};
	response.write('{"id":"x","pad":"');
	pump();
}

describe('one answer is read within 32 MB and 64 levels', () => {
	const MB = 1024 * 1024;

	it('a 250 MB answer to Get: a clear error naming the endpoint and the cap, and no retry', async () => {
		answerApi((_request, response) => streamJson(response, 250 * MB));
		const run = await engine().runNode(getOne([ORDER_ID]));
		expect(run.error?.message).toBe(
			`The kapitale API's answer to GET /order/${ORDER_ID} is larger than 32 MB, the most one answer may be`,
		);
		expect(apiCalls()).toHaveLength(1);
	});

	it('a declared Content-Length over the cap is refused before reading', async () => {
		answerApi((_request, response) => {
			response.writeHead(200, {
				'content-type': 'application/json',
				'content-length': String(40 * MB),
			});
			response.write('{"id":');
		});
		const run = await engine().runNode(getOne([ORDER_ID]));
		expect(run.error?.message).toMatch(
			/is larger than 32 MB, the most one answer may be \(it announced 40 MB\)$/,
		);
		expect(apiCalls()).toHaveLength(1);
	});

	it('a gzip answer of ~1 MB that inflates to 1 GiB: stopped at the cap while inflating, not retried', async () => {
		answerApi(gzipBombAnswer());
		const run = await engine().runNode(getOne([ORDER_ID]));
		expect(run.error?.message).toMatch(/is larger than 32 MB, the most one answer may be$/);
		expect(apiCalls()).toHaveLength(1);
	});

	it('a 400 KB gzip answer of valid JSON inflating to 400 MiB is not an item', async () => {
		// Concatenated gzip members inflate to their concatenation: 400 × 1 MiB of "a" inside a string.
		const a = gzipSync(Buffer.alloc(MB, 0x61), { level: 9 });
		const gz = Buffer.concat([
			gzipSync('{"id":"x","pad":"'),
			...Array.from({ length: 400 }, () => a),
			gzipSync('"}'),
		]);
		answerApi((_request, response) => {
			response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
			response.end(gz);
		});
		const run = await engine().runNode(getOne([ORDER_ID]));
		expect(gz.length).toBeLessThan(MB);
		expect(run.items).toHaveLength(0);
		expect(run.error?.message).toMatch(/is larger than 32 MB/);
	});

	it('a JSON answer nested 100,000 levels: a clear error, never a stack overflow', async () => {
		answerApi((_request, response) => {
			response.writeHead(200, { 'content-type': 'application/json' });
			response.end(`{"id":"x","a":${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
		});
		const run = await engine().runNode(getOne([ORDER_ID]));
		expect(run.error?.message).toBe(
			`The kapitale API's answer to GET /order/${ORDER_ID} is nested more than ${ANSWER_LIMITS.maxDepth} levels deep`,
		);
		expect(run.error?.message).not.toMatch(/call stack/);
		expect(apiCalls()).toHaveLength(1);
	});

	it('real answers still pass: a page of 100 orders with nested fields', async () => {
		answerApi((_request, response) =>
			sendJson(response, 200, { data: page(0, 100), totalPages: 1, count: 100 }),
		);
		const run = await engine().runNode(getAll());
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(100);
	});
});

describe('time per run is bounded', () => {
	it('a token endpoint that never answers: one token request, and the waiting items fail with its reason', async () => {
		TOKEN_REQUEST.timeoutMs = 400;
		try {
			api.handle = (request, response) => {
				if (request.path === '/oauth2/token') return; // never answers
				sendJson(response, 200, { id: ORDER_ID });
			};
			const run = await engine().runNode(getOne([ORDER_ID, ORDER_ID, ORDER_ID], true));
			expect(tokenCalls()).toHaveLength(1);
			expect(apiCalls()).toHaveLength(0);
			expect(run.items).toHaveLength(3);
			for (const item of run.items)
				expect(String(item.json.error)).toMatch(
					/Could not get a Kapitale access token from .*: it did not answer within 0\.4 s/,
				);
		} finally {
			TOKEN_REQUEST.timeoutMs = savedToken.timeoutMs;
		}
	});

	it.each([
		['3600 seconds', () => '3600', /in 60 min\)$/],
		[
			'an HTTP date a day ahead',
			() => new Date(Date.now() + 86_400_000).toUTCString(),
			/in 24 h\)$/,
		],
	])(
		'429 with Retry-After %s: that item fails at once and says when; Continue On Fail keeps the others',
		async (_label, header, delay) => {
			const slow = '00000000-0000-4000-8000-00000000000a';
			answerApi((request, response) => {
				if (request.path.endsWith(slow))
					return sendJson(
						response,
						429,
						{ message: 'Too Many Requests' },
						{ 'retry-after': header() },
					);
				sendJson(response, 200, { id: request.path.split('/').pop() });
			});
			const before = Date.now();
			const run = await engine().runNode(getOne([ORDER_ID, slow], true));
			expect(run.items).toHaveLength(2);
			expect(run.items[0].json.id).toBe(ORDER_ID);
			const message = String(run.items[1].json.error);
			expect(message).toMatch(
				/^The kapitale API asks to retry after \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(in /,
			);
			expect(message).toMatch(delay);
			const at = Date.parse(/after (\S+)/.exec(message)![1]);
			expect(at).toBeGreaterThan(before + 59 * 60_000);
			expect(api.seen.filter((entry) => entry.path.endsWith(slow))).toHaveLength(1);
		},
	);
});

describe('token answers', () => {
	it.each(['mac', 'DPoP', ''])(
		'token_type "%s" is refused; nothing is sent with it',
		async (type) => {
			api.handle = (request, response) =>
				request.path === '/oauth2/token'
					? sendJson(response, 200, { access_token: 'tok-mac', token_type: type, expires_in: 3600 })
					: sendJson(response, 200, { id: ORDER_ID });
			const run = await engine().runNode(getOne([ORDER_ID]));
			expect(run.error?.message).toMatch(
				/issued a token of type ".*"; only Bearer tokens can be used$/,
			);
			expect(apiCalls()).toHaveLength(0);
			expect(tokenCalls()).toHaveLength(1);
		},
	);

	it('"bearer" in any letter case is accepted', async () => {
		api.handle = (request, response) =>
			request.path === '/oauth2/token'
				? sendJson(response, 200, { access_token: 'tok-b', token_type: 'BEARER', expires_in: 3600 })
				: sendJson(response, 200, { id: ORDER_ID });
		const run = await engine().runNode(getOne([ORDER_ID]));
		expect(run.error).toBeUndefined();
		expect(apiCalls()[0].authorization).toBe('Bearer tok-b');
	});
});

describe('filters refuse what is not a CNPJ', () => {
	it.each(['a/../../admin', '11.222333', '..11', '11/222.333', '11 222 333'])(
		'"%s" is refused naming the item and the field, before any request',
		async (text) => {
			answerApi((_request, response) => sendJson(response, 200, { data: [], totalPages: 1 }));
			const run = await engine().runNode(getAll({ filters: { retailCnpj: text } }));
			expect(run.error?.message).toMatch(
				/^Item 0, field "Retail CNPJ": ".*" is not \(part of\) a CNPJ/,
			);
			expect(api.seen).toHaveLength(0);
		},
	);

	it.each(['11.222.333', '333/0001', '0001-81', '11222333000181', '12ab'])(
		'"%s" is a part of a CNPJ and is sent bare',
		async (text) => {
			answerApi((_request, response) => sendJson(response, 200, { data: [], totalPages: 1 }));
			const run = await engine().runNode(getAll({ filters: { retailCnpj: text } }));
			expect(run.error).toBeUndefined();
			const sent = new URL(apiCalls()[0].path, api.url).searchParams.get('retail_cnpj');
			expect(sent).toBe(text.replace(/[./-]/g, '').toUpperCase());
		},
	);
});
