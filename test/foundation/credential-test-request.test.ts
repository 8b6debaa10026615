/**
 * Issue 13: the credential's Test button sends only what each endpoint documents (Kapitale's
 * `GET /order` takes page, limit, status, retail_cnpj; the partner's `GET bank/search` takes
 * search), never follows a redirect, and turns a refusal into a message that says what it means.
 */
import type { INode } from 'n8n-workflow';
import { NodeApiError, NodeConnectionTypes, Workflow } from 'n8n-workflow';

import { KapitaleApi } from '../../credentials/KapitaleApi.credentials';

const credential = new KapitaleApi();
const node: INode = {
	id: '1',
	name: 'Temp-Node',
	type: 'n8n-nodes-base.noOp',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};
const workflow = new Workflow({
	nodes: [node],
	connections: {},
	active: false,
	nodeTypes: {
		getByName: () => ({
			description: {
				name: 'noOp',
				properties: [],
				inputs: [NodeConnectionTypes.Main],
				outputs: [NodeConnectionTypes.Main],
			},
		}),
		getByNameAndVersion: () => ({
			description: {
				name: 'noOp',
				properties: [],
				inputs: [NodeConnectionTypes.Main],
				outputs: [NodeConnectionTypes.Main],
			},
		}),
		getKnownTypes: () => ({}),
	} as unknown as ConstructorParameters<typeof Workflow>[0]['nodeTypes'],
});

function resolve(value: unknown, credentials: Record<string, unknown>): string {
	return String(
		workflow.expression.getSimpleParameterValue(
			node,
			value as string,
			'internal',
			{ $credentials: credentials },
			undefined,
			'',
		),
	);
}

function testUrl(credentials: Record<string, unknown>): URL {
	const { request } = credential.test;
	expect(request.qs).toBeUndefined();
	return new URL(`${resolve(request.baseURL, credentials)}${resolve(request.url, credentials)}`);
}

it('OAuth2: GET /order with limit=1 only (no partner parameters)', () => {
	const url = testUrl({
		authentication: 'clientCredentials',
		environment: 'custom',
		kapitaleBaseUrl: 'http://127.0.0.1:9/kapitale',
		partnerHashId: 'hash-1',
	});
	expect(url.pathname).toBe('/kapitale/order');
	expect([...url.searchParams.entries()]).toEqual([['limit', '1']]);
	expect(testUrl({ authentication: 'clientCredentials', environment: 'production' }).origin).toBe(
		'https://api.kapitale.com.br',
	);
});

it('Bearer token: GET /bank/search with search only', () => {
	const url = testUrl({
		authentication: 'bearerToken',
		environment: 'sandbox',
		partnerHashId: 'hash-1',
	});
	expect(url.origin).toBe('https://api.sandbox.credoro.com.br');
	expect(url.pathname).toBe('/bank/search');
	expect([...url.searchParams.entries()]).toEqual([['search', '001']]);
});

it('never follows a redirect and explains 400, 401 and 403 instead of showing "Bad Request"', () => {
	expect(credential.test.request).toMatchObject({
		disableFollowRedirect: true,
		sendCredentialsOnCrossOriginRedirect: false,
	});
	const messages = Object.fromEntries(
		(credential.test.rules ?? []).map((rule) => [
			(rule.properties as { value: number }).value,
			(rule.properties as { message: string }).message,
		]),
	);
	expect(messages[400]).toMatch(/refused the test request/);
	expect(messages[401]).toMatch(/refused the credential/);
	expect(messages[403]).toMatch(/partner-can\/orders\.read/);
});

it("a refused token request shows the token endpoint's reason in the Test (n8n shows the message of the error it wraps)", async () => {
	const refused = {
		response: {
			status: 401,
			data: { error: 'invalid_client', error_description: 'Client authentication failed' },
		},
	};
	const helper = {
		helpers: { httpRequest: async () => Promise.reject(refused) },
	} as unknown as ThisParameterType<NonNullable<KapitaleApi['preAuthentication']>>;
	const error = await credential
		.preAuthentication!.call(helper, {
			authentication: 'clientCredentials',
			environment: 'custom',
			tokenUrl: 'http://127.0.0.1:9/oauth2/token',
			clientId: 'c',
			clientSecret: 's3cret',
		})
		.catch((reason: unknown) => reason);
	// What n8n's httpRequestWithAuthentication throws and its credential tester shows.
	const shown = new NodeApiError(node, error as never).message;
	expect(shown).toBe(
		'Could not get a Kapitale access token from http://127.0.0.1:9/oauth2/token (HTTP 401): invalid_client – Client authentication failed (check the Client ID and Client Secret, and the environment they belong to)',
	);
});
