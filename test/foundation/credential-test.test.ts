/**
 * The credential's Test button (issues 13 and 22). One credential may hold both APIs' parts, so
 * the test is a node method (`testedBy`), run here as n8n's CredentialsTester runs it: found
 * through the nodes that list the credential, called with n8n-core's CredentialTestContext,
 * against the sandbox over real HTTP. It checks every part that is filled, with only the
 * parameters those endpoints document, and says which part failed.
 */
import { CredentialTestContext } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialTestFunction,
	INodeCredentialTestResult,
	INodeType,
} from 'n8n-workflow';

import { KapitaleApi } from '../../credentials/KapitaleApi.credentials';
import { sandboxCredentialData } from '../harness/engine';
import { allNodeTypes } from '../harness/nodes';
import { openSandbox, type RunningSandbox } from '../kapitale/helpers';

let sandbox: RunningSandbox;
beforeAll(async () => (sandbox = await openSandbox()));
afterAll(async () => await sandbox?.close());
beforeEach(() => sandbox.clearLog());

/** What n8n's CredentialsTester.getCredentialTestFunction finds for the type. */
function testFunction(): ICredentialTestFunction {
	if ((new KapitaleApi() as { test?: unknown }).test) throw new Error('a declarative test wins');
	for (const type of Object.values(allNodeTypes()) as INodeType[]) {
		for (const { name, testedBy } of type.description.credentials ?? []) {
			if (name === 'kapitaleApi' && typeof testedBy === 'string')
				return type.methods!.credentialTest![testedBy];
		}
	}
	throw new Error('no node tests the credential');
}

async function runTest(data: ICredentialDataDecryptedObject): Promise<INodeCredentialTestResult> {
	const context = new CredentialTestContext({} as never);
	return await testFunction().call(context, {
		id: 'c1',
		name: 'Kapitale Sandbox',
		type: 'kapitaleApi',
		data,
	});
}

const sent = () =>
	sandbox.requestLog().map((entry) => {
		const query = new URLSearchParams(entry.query).toString();
		return `${entry.service} ${entry.method} ${entry.path}${query ? `?${query}` : ''} ${entry.status}`;
	});

it('every node that lists the credential tests it with the same method', () => {
	const types = Object.values(allNodeTypes()) as INodeType[];
	const users = types.filter((type) =>
		(type.description.credentials ?? []).some((entry) => entry.name === 'kapitaleApi'),
	);
	// Every node of the package uses the one credential.
	expect(users).toHaveLength(types.length);
	expect(types.length).toBeGreaterThanOrEqual(10);
	for (const type of users) {
		const entry = type.description.credentials!.find((item) => item.name === 'kapitaleApi')!;
		expect(entry.testedBy).toBe('kapitaleApiTest');
		expect(typeof type.methods?.credentialTest?.kapitaleApiTest).toBe('function');
	}
});

it('both parts: mints a token, sends GET /order?limit=1 and GET /bank/search?search=001, nothing else', async () => {
	const result = await runTest(sandboxCredentialData(sandbox));
	expect(result).toEqual({
		status: 'OK',
		message: 'Connection tested successfully (Kapitale part and Partner part)',
	});
	expect(sent()).toEqual([
		'token POST /oauth2/token 200',
		'kapitale GET /kapitale/order?limit=1 200',
		'partner GET /partner/bank/search?search=001 200',
	]);
});

it('only the partner part: tests only it, mints no token', async () => {
	const result = await runTest(sandboxCredentialData(sandbox, 'partner'));
	expect(result.status).toBe('OK');
	expect(sent()).toEqual(['partner GET /partner/bank/search?search=001 200']);
});

it('a wrong Kapitale secret: says the Kapitale part failed (token endpoint’s reason), the partner part passed', async () => {
	const result = await runTest({
		...sandboxCredentialData(sandbox),
		clientSecret: 'WRONG-SECRET-42',
	});
	expect(result.status).toBe('Error');
	expect(result.message).toMatch(
		/^Kapitale part failed: Could not get a Kapitale access token from http:\/\/127\.0\.0\.1:\d+\/oauth2\/token \(HTTP 401\): invalid_client.*\. Partner part: OK$/,
	);
	expect(result.message).not.toContain('WRONG-SECRET-42');
});

it('a wrong partner token: says the partner part failed and why, the Kapitale part passed', async () => {
	const result = await runTest({
		...sandboxCredentialData(sandbox),
		bearerToken: 'WRONG-TOKEN-42',
	});
	expect(result.status).toBe('Error');
	expect(result.message).toMatch(
		/^Partner part failed: HTTP 401 from http:\/\/127\.0\.0\.1:\d+\/partner\/bank\/search\?search=001: the API refused the credential: check it, and that it belongs to this environment/,
	);
	expect(result.message).toMatch(/\. Kapitale part: OK$/);
	expect(result.message).not.toContain('WRONG-TOKEN-42');
});

it('a client without the orders.read scope: the 403 names the scope the test needs', async () => {
	const result = await runTest({
		...sandboxCredentialData(sandbox, 'kapitale'),
		scopes: 'partner-can/cnpj.read',
	});
	expect(result.status).toBe('Error');
	expect(result.message).toMatch(/^Kapitale part failed: HTTP 403 .*partner-can\/orders\.read/);
});

it('an empty credential, or a half-filled part: says what is missing, sends nothing', async () => {
	expect(await runTest({ environment: 'production' })).toEqual({
		status: 'Error',
		message:
			'The credential holds neither the Kapitale Client ID and Client Secret nor the Partner Token: fill at least one part',
	});
	const half = await runTest({ ...sandboxCredentialData(sandbox), clientSecret: '' });
	expect(half.message).toBe('Kapitale part failed: Client Secret is empty. Partner part: OK');
	expect(sent()).toEqual(['partner GET /partner/bank/search?search=001 200']);
});

it('an unreachable API says so for its part', async () => {
	const result = await runTest({
		...sandboxCredentialData(sandbox, 'partner'),
		partnerBaseUrl: 'http://127.0.0.1:9/partner',
	});
	expect(result).toEqual({
		status: 'Error',
		message:
			'Partner part failed: http://127.0.0.1:9/partner/bank/search?search=001 could not be reached (connection refused)',
	});
});
