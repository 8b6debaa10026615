import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { Engine } from '../harness/engine';

/** A minimal Kapitale look-alike: token endpoint + CNPJ look-up, with a switch to expire tokens. */
function startMiniKapitale() {
	const state = {
		tokenRequests: 0,
		apiRequests: 0,
		validTokens: new Set<string>(),
		requests: [] as string[],
	};
	const server = http.createServer((request, response) => {
		let body = '';
		request.on('data', (chunk) => (body += chunk));
		request.on('end', () => {
			const url = new URL(request.url ?? '/', 'http://localhost');
			state.requests.push(`${request.method} ${url.pathname}`);
			const send = (status: number, payload: unknown) => {
				response.writeHead(status, { 'content-type': 'application/json' });
				response.end(JSON.stringify(payload));
			};
			if (url.pathname === '/oauth2/token') {
				state.tokenRequests++;
				const basic = Buffer.from(
					(request.headers.authorization ?? '').replace('Basic ', ''),
					'base64',
				).toString();
				if (basic !== 'client-1:S3CRET-client-secret-XYZ')
					return send(401, { error: 'invalid_client' });
				if (!new URLSearchParams(body).get('scope')) return send(400, { error: 'invalid_scope' });
				const token = `tok-${state.tokenRequests}-VERY-SECRET-TOKEN`;
				state.validTokens.add(token);
				return send(200, { access_token: token, token_type: 'Bearer', expires_in: 3600 });
			}
			state.apiRequests++;
			const token = (request.headers.authorization ?? '').replace('Bearer ', '');
			if (!state.validTokens.has(token))
				return send(401, { message: 'The incoming token has expired' });
			const cnpj = url.pathname.split('/').pop();
			return send(200, {
				name: `Retail ${cnpj}`,
				email: 'a@b.com.br',
				registered_retail: cnpj !== '11222333000181',
			});
		});
	});
	return new Promise<{ url: string; state: typeof state; close: () => Promise<void> }>(
		(resolve) => {
			server.listen(0, '127.0.0.1', () => {
				const { port } = server.address() as AddressInfo;
				resolve({
					url: `http://127.0.0.1:${port}`,
					state,
					close: () =>
						new Promise((done) => {
							server.closeAllConnections();
							server.close(() => done());
						}),
				});
			});
		},
	);
}

const CNPJS = ['11222333000181', '12ABC34501DE35', '11.444.777/0001-61'];

describe('shared credential and transport through WorkflowExecute', () => {
	let mini: Awaited<ReturnType<typeof startMiniKapitale>>;
	beforeEach(async () => (mini = await startMiniKapitale()));
	afterEach(async () => await mini.close());

	const credential = (secret = 'S3CRET-client-secret-XYZ') => ({
		environment: 'custom',
		clientId: 'client-1',
		clientSecret: secret,
		tokenUrl: `${mini.url}/oauth2/token`,
		kapitaleBaseUrl: `${mini.url}/kapitale`,
		partnerBaseUrl: `${mini.url}/partner`,
	});

	const lookup = (engine: Engine, count: number, extra = {}) =>
		engine.runNode({
			type: 'kapitaleCompany',
			parameters: { resource: 'company', operation: 'getByCnpj', cnpj: '={{ $json.cnpj }}' },
			items: Array.from({ length: count }, (_, index) => ({ cnpj: CNPJS[index % CNPJS.length] })),
			...extra,
		});

	it('mints one token for a whole run of many items', async () => {
		const engine = new Engine({ credentials: { kapitale: credential() } });
		const result = await lookup(engine, 40);
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(40);
		expect(mini.state.tokenRequests).toBe(1);
		expect(mini.state.apiRequests).toBe(40);
		expect(result.items[0].json).toMatchObject({
			cnpj: '11222333000181',
			source: 'bureau',
			needsChecking: true,
		});
		expect(result.items[1].json).toMatchObject({
			cnpj: '12ABC34501DE35',
			source: 'kapitale',
			needsChecking: false,
		});
		expect(result.items.map((item) => item.pairedItem)).toEqual(
			Array.from({ length: 40 }, (_, item) => ({ item })),
		);
	});

	it('reuses the stored token on the next run and re-authenticates exactly once after a 401', async () => {
		const engine = new Engine({ credentials: { kapitale: credential() } });
		await lookup(engine, 1);
		expect(mini.state.tokenRequests).toBe(1);
		mini.state.validTokens.clear();
		const result = await lookup(engine, 1);
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(1);
		expect(mini.state.tokenRequests).toBe(2);
		expect(
			engine.credentialsHelper.events.filter(
				(event) => event.kind === 'preAuthentication' && event.expired,
			),
		).toHaveLength(1);
		const later = await lookup(engine, 5);
		expect(later.items).toHaveLength(5);
		expect(mini.state.tokenRequests).toBe(2);
	});

	it('explains a wrong secret without ever showing it', async () => {
		const engine = new Engine({ credentials: { kapitale: credential('WRONG-secret-value-123') } });
		const result = await lookup(engine, 2);
		expect(result.error).toBeDefined();
		const shown = JSON.stringify({
			message: result.error?.message,
			description: result.error?.description,
			stack: result.error?.stack,
			items: result.items,
		});
		expect(result.error?.message).toMatch(/invalid_client/);
		expect(result.error?.message).toMatch(/Client Secret/);
		expect(shown).not.toContain('WRONG-secret-value-123');
		expect(shown).not.toContain(Buffer.from('client-1:WRONG-secret-value-123').toString('base64'));
	});

	it('never puts the secret or the token in output items', async () => {
		const engine = new Engine({ credentials: { kapitale: credential() } });
		const result = await lookup(engine, 3);
		const shown = JSON.stringify(result.items);
		expect(shown).not.toContain('S3CRET-client-secret-XYZ');
		expect(shown).not.toContain('VERY-SECRET-TOKEN');
	});

	it('refuses an invalid CNPJ before sending anything, naming item and field', async () => {
		const engine = new Engine({ credentials: { kapitale: credential() } });
		const result = await engine.runNode({
			type: 'kapitaleCompany',
			parameters: { resource: 'company', operation: 'getByCnpj', cnpj: '={{ $json.cnpj }}' },
			items: [{ cnpj: '12.ABC.345/01DE-35' }, { cnpj: '12.ABC.345/01DE-36' }],
		});
		expect(result.error?.name).toBe('NodeOperationError');
		expect(result.error?.context?.itemIndex).toBe(1);
		expect(result.error?.message).toBe(
			'Item 1, field "CNPJ": "12.ABC.345/01DE-36" is not a valid CNPJ: the check digits do not match',
		);
		expect(mini.state.requests).toEqual([]);
	});

	it('with continue on fail, returns one paired entry per input item', async () => {
		const engine = new Engine({ credentials: { kapitale: credential() } });
		const result = await engine.runNode({
			type: 'kapitaleCompany',
			parameters: { resource: 'company', operation: 'getByCnpj', cnpj: '={{ $json.cnpj }}' },
			items: [{ cnpj: '11222333000181' }, { cnpj: 'abc' }, { cnpj: '12ABC34501DE35' }],
			continueOnFail: true,
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
		]);
		expect(result.items[1].json.error).toMatch(/Item 1, field "CNPJ"/);
		expect(result.items[2].json.name).toBe('Retail 12ABC34501DE35');
	});

	it('a GET with a JSON body sends it (n8n 2.41 httpRequest would drop it), with the partner token of a credential holding both parts', async () => {
		const seen: Array<{
			method?: string;
			body: string;
			query: string;
			authorization?: string;
			type?: string;
		}> = [];
		const server = http.createServer((request, response) => {
			let body = '';
			request.on('data', (chunk) => (body += chunk));
			request.on('end', () => {
				seen.push({
					method: request.method,
					body,
					query: new URL(request.url ?? '/', 'http://x').search,
					authorization: request.headers.authorization,
					type: request.headers['content-type'],
				});
				response.writeHead(200, { 'content-type': 'application/json' });
				response.end(JSON.stringify({ success: true, data: { total: '0', values: [] } }));
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const { port } = server.address() as AddressInfo;
		try {
			const engine = new Engine({
				credentials: {
					kapitale: {
						...credential(),
						bearerToken: 'bearer-get-body',
						partnerBaseUrl: `http://127.0.0.1:${port}`,
						partnerHashId: 'h',
					},
				},
			});
			const result = await engine.runNode({
				type: 'partnerCustomer',
				parameters: { resource: 'customer', operation: 'getMany', returnAll: false, limit: 5 },
			});
			expect(result.error).toBeUndefined();
			expect(seen[0]).toMatchObject({
				method: 'GET',
				authorization: 'Bearer bearer-get-body',
				type: 'application/json',
			});
			expect(JSON.parse(seen[0].body)).toEqual({ limit: 5, offset: 0, filter: { filter: '' } });
			// The Kapitale part is filled too: a partner request neither mints nor sends its token.
			expect(mini.state.tokenRequests).toBe(0);
			expect(seen[0].query).toMatch(/limit=5/);
		} finally {
			server.closeAllConnections();
			await new Promise((done) => server.close(done));
		}
	});
});
