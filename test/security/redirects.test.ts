/**
 * Issue 13: no credential leaves for a foreign host. The Kapitale API, the token endpoint and the
 * partner API each redirect to another origin; that origin must receive nothing, and the node
 * must not report the foreign answer as a success.
 */
import { exposedText } from '../reliability/helpers';
import {
	bearerAt,
	clientCredentialsAt,
	engineWith,
	sendJson,
	startHostile,
	tokenAnswer,
	type Hostile,
} from './hostile';

const SECRET = 'REDIRECT-CLIENT-SECRET-8d1f';
const BEARER = 'REDIRECT-PARTNER-BEARER-5a2c';
const TOKEN = 'REDIRECT-ACCESS-TOKEN-77e0';

let api: Hostile;
let foreign: Hostile;
beforeEach(async () => {
	api = await startHostile();
	foreign = await startHostile();
	foreign.handle = (_request, response) =>
		sendJson(response, 201, {
			id: 'foreign-order',
			success: true,
			data: [{ id: 1, name: 'foreign' }],
		});
});
afterEach(async () => {
	await api.close();
	await foreign.close();
});

const kapitale = () => engineWith(clientCredentialsAt(api, 'client-r', SECRET));
const partner = () => engineWith(bearerAt(api, BEARER));

const lookup = {
	type: 'kapitaleCompany',
	parameters: { resource: 'company', operation: 'getByCnpj', cnpj: '11222333000181' },
};
const create = {
	type: 'kapitaleOrder',
	parameters: {
		resource: 'order',
		operation: 'create',
		orderNumber: 'RED-1',
		retailCnpj: '11222333000181',
		requestedAmount: '1000',
		purchaseDate: '2025-02-26',
		expiryDate: '2025-12-31',
		purchaseItems: { item: [{ value: '1000', quantity: 1 }] },
	},
};

function answerToken(): void {
	const previous = api.handle;
	api.handle = (request, response) =>
		request.path.startsWith('/oauth2/token')
			? tokenAnswer(response, TOKEN)
			: previous(request, response);
}

it.each([301, 302, 307, 308])(
	'a %i from the Kapitale API to another origin on a read: nothing goes there, the error names the target',
	async (status) => {
		api.handle = (_request, response) => {
			response.writeHead(status, { location: `${foreign.url}/steal?x=1` });
			response.end();
		};
		answerToken();
		const run = await kapitale().runNode(lookup);
		expect(foreign.seen).toEqual([]);
		expect(run.error?.message).toBe(
			`The kapitale API redirected GET /company/cnpj/11222333000181 to ${foreign.url}/steal?x=1: not followed`,
		);
		expect(run.items).toEqual([]);
	},
);

it('a 307 on Create to another origin: the order body is not resent, nothing is output, the error says it may have been processed', async () => {
	api.handle = (_request, response) => {
		response.writeHead(307, { location: `${foreign.url}/order` });
		response.end();
	};
	answerToken();
	const run = await kapitale().runNode(create);
	expect(foreign.seen).toEqual([]);
	expect(
		api.seen.filter((entry) => entry.method === 'POST' && entry.path === '/kapitale/order'),
	).toHaveLength(1);
	expect(run.error?.message).toMatch(/redirected POST \/order to .*\/order: not followed/);
	expect(run.error?.description).toMatch(/may or may not have been processed/);
	expect(run.items).toEqual([]);
});

it('a redirect of a write is not followed even to the same origin', async () => {
	api.handle = (request, response) => {
		if (request.path === '/kapitale/order') {
			response.writeHead(307, { location: '/kapitale/order-again' });
			response.end();
			return;
		}
		sendJson(response, 201, { id: 'second' });
	};
	answerToken();
	const run = await kapitale().runNode(create);
	expect(api.seen.map((entry) => entry.path)).not.toContain('/kapitale/order-again');
	expect(run.error?.message).toMatch(/not followed/);
});

it('a same-origin redirect on a read is followed, with the credential', async () => {
	api.handle = (request, response) => {
		if (request.path === '/kapitale/company/cnpj/11222333000181') {
			response.writeHead(302, { location: '/kapitale/v2/company/11222333000181' });
			response.end();
			return;
		}
		sendJson(response, 200, {
			name: 'Moved Retail',
			registered_retail: true,
			auth: request.authorization === `Bearer ${TOKEN}`,
		});
	};
	answerToken();
	const run = await kapitale().runNode(lookup);
	expect(run.error).toBeUndefined();
	expect(run.items[0].json).toMatchObject({ name: 'Moved Retail' });
	expect(
		api.seen.find((entry) => entry.path === '/kapitale/v2/company/11222333000181')?.authorization,
	).toBe(`Bearer ${TOKEN}`);
});

it('the token endpoint redirecting to another origin: the Basic credentials are not sent there, the error names the token endpoint', async () => {
	api.handle = (request, response) => {
		response.writeHead(307, { location: `${foreign.url}/oauth2/token` });
		response.end();
	};
	const run = await kapitale().runNode(lookup);
	expect(foreign.seen).toEqual([]);
	expect(run.error?.message).toBe(
		`Could not get a Kapitale access token from ${api.url}/oauth2/token: it redirected to ${foreign.url}/oauth2/token, which is not followed (the client credentials are never sent elsewhere)`,
	);
	expect(api.seen.filter((entry) => entry.path.startsWith('/kapitale'))).toEqual([]);
	expect(exposedText(run)).not.toContain(SECRET);
});

it('the partner API redirecting to another origin: the partner bearer token is not sent there', async () => {
	api.handle = (_request, response) => {
		response.writeHead(302, { location: `${foreign.url}/bank/search?search=237` });
		response.end();
	};
	const run = await partner().runNode({
		type: 'bankSearch',
		parameters: { resource: 'bank', operation: 'search', query: '237' },
		continueOnFail: true,
	});
	expect(foreign.seen).toEqual([]);
	expect(run.items).toHaveLength(1);
	expect(run.items[0].json.error).toMatch(
		/^The partner API redirected GET \/bank\/search to .*: not followed$/,
	);
});

it('a GET with a JSON body (partner customer list) redirected to another origin: nothing goes there', async () => {
	api.handle = (_request, response) => {
		response.writeHead(307, { location: `${foreign.url}/partner-customer/all` });
		response.end();
	};
	const run = await partner().runNode({
		type: 'partnerCustomer',
		parameters: { resource: 'customer', operation: 'getMany', returnAll: false, limit: 5 },
	});
	expect(foreign.seen).toEqual([]);
	expect(api.seen).toHaveLength(1);
	expect(run.error?.message).toMatch(
		/^The partner API redirected GET \/partner-customer\/all to .*: not followed$/,
	);
});
