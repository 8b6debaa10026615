/**
 * The credential's Test button. One credential may hold both APIs' parts, and n8n's declarative
 * test sends a single request; so the test is a node method (every node lists the credential
 * with `testedBy: CREDENTIAL_TEST_NAME`) that checks each part the credential holds with its
 * own request and says which part failed. Only parameters the endpoints document are sent:
 * Kapitale's `GET /order?limit=1` after minting a token, the partner's `GET /bank/search?search=001`.
 */
import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import {
	holdsSecretsOf,
	listed,
	missingFields,
	resolveEndpoints,
	type CredentialService,
} from './endpoints';
import { describePartnerMessage } from './partnerMessages';
import { cleanText, secretForms } from './redaction';
import { isTokenStepError, requestAccessToken, TOKEN_REQUEST } from './token';

export const CREDENTIAL_TEST_NAME = 'kapitaleApiTest';

/** n8n gives a credential test only its request helper (the request library's options). */
type LegacyRequest = ICredentialTestFunctions['helpers']['request'];

interface Answer {
	statusCode: number;
	body: unknown;
	headers: Record<string, unknown>;
}

/** One request, every status answered, redirects never followed (the secret stays with its host). */
async function send(
	request: LegacyRequest,
	options: { method: 'GET' | 'POST'; url: string; headers: Record<string, string>; body?: string },
): Promise<Answer> {
	const answer = (await request({
		method: options.method,
		uri: options.url,
		headers: options.headers,
		body: options.body,
		json: true,
		timeout: TOKEN_REQUEST.timeoutMs,
		resolveWithFullResponse: true,
		simple: false,
		followRedirect: false,
		followAllRedirects: false,
		sendCredentialsOnCrossOriginRedirect: false,
	})) as Partial<Answer> | undefined;
	return {
		statusCode: Number(answer?.statusCode ?? 0),
		body: answer?.body,
		headers: answer?.headers ?? {},
	};
}

/**
 * The token request of the nodes (token.ts), sent through the test's helper: the same checks,
 * the same messages (the token endpoint's own error, no secret).
 */
function tokenHelper(request: LegacyRequest): IHttpRequestHelper {
	return {
		helpers: {
			httpRequest: async (options: IHttpRequestOptions) => {
				let answer: Answer;
				try {
					answer = await send(request, {
						method: 'POST',
						url: options.url,
						headers: options.headers as Record<string, string>,
						body: String(options.body ?? ''),
					});
				} catch (error) {
					// Only the code: the raw error holds the request, Basic header included.
					throw { code: (error as { code?: string }).code };
				}
				if (answer.statusCode < 200 || answer.statusCode >= 300)
					throw {
						response: { status: answer.statusCode, data: answer.body, headers: answer.headers },
					};
				return answer;
			},
		},
	} as unknown as IHttpRequestHelper;
}

const STATUS_HINTS: Record<number, string> = {
	400: 'the API refused the test request: check the base URL of this environment',
	401: 'the API refused the credential: check it, and that it belongs to this environment',
	403: 'the credential lacks permission',
	404: 'the test endpoint was not found: check the base URL of this environment',
};

const UNREACHABLE: Record<string, string> = {
	ECONNREFUSED: 'connection refused',
	ENOTFOUND: 'host not found',
	EAI_AGAIN: 'name lookup failed',
	ECONNABORTED: 'no answer in time',
	ETIMEDOUT: 'no answer in time',
	ECONNRESET: 'the connection broke',
};

function apiMessage(body: unknown): string | undefined {
	if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
	const message = (body as { message?: unknown }).message;
	return typeof message === 'string' && message ? message : undefined;
}

/** Why an API call of the test failed, or undefined when it succeeded. */
function judge(answer: Answer, service: CredentialService, url: string): string | undefined {
	const { statusCode, body } = answer;
	if (statusCode >= 300 && statusCode < 400)
		return `${url} redirected (HTTP ${statusCode}) to ${String(answer.headers.location ?? 'another address')}, which is not followed`;
	if (statusCode < 200 || statusCode >= 300) {
		let hint = STATUS_HINTS[statusCode] ?? 'the API refused the test request';
		if (statusCode === 403 && service === 'kapitale')
			hint += ' (the scope partner-can/orders.read is needed to test it)';
		const said = apiMessage(body);
		return `HTTP ${statusCode} from ${url}: ${hint}${said ? ` (the API said: ${said})` : ''}`;
	}
	if (service === 'partner' && body && typeof body === 'object' && 'success' in body) {
		const ok = (body as { success?: unknown }).success;
		if (ok !== true && ok !== 'true')
			return `${url} answered success=false: ${describePartnerMessage((body as { message?: unknown }).message) ?? 'no reason given'}`;
	}
	return undefined;
}

async function call(
	request: LegacyRequest,
	url: string,
	token: string,
	service: CredentialService,
): Promise<string | undefined> {
	let answer: Answer;
	try {
		answer = await send(request, {
			method: 'GET',
			url,
			headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
		});
	} catch (error) {
		const code = String((error as { code?: string }).code ?? '');
		return `${url} could not be reached (${UNREACHABLE[code] ?? 'the connection failed'})`;
	}
	return judge(answer, service, url);
}

async function testKapitale(
	request: LegacyRequest,
	data: ICredentialDataDecryptedObject,
): Promise<string | undefined> {
	let token: string;
	try {
		token = await requestAccessToken(tokenHelper(request), data);
	} catch (error) {
		// requestAccessToken throws only TokenStepErrors, whose messages hold no secret.
		return isTokenStepError(error) ? error.message : 'Could not get a Kapitale access token';
	}
	const url = `${resolveEndpoints(data).kapitaleBaseUrl}/order?limit=1`;
	return await call(request, url, token, 'kapitale');
}

async function testPartner(
	request: LegacyRequest,
	data: ICredentialDataDecryptedObject,
): Promise<string | undefined> {
	const url = `${resolveEndpoints(data).partnerBaseUrl}/bank/search?search=001`;
	return await call(request, url, String(data.bearerToken ?? ''), 'partner');
}

const PARTS: Record<CredentialService, { name: string; test: typeof testKapitale }> = {
	kapitale: { name: 'Kapitale part', test: testKapitale },
	partner: { name: 'Partner part', test: testPartner },
};

/** `methods.credentialTest[CREDENTIAL_TEST_NAME]` of every node that uses the credential. */
export async function testCredential(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	// n8n's credential test context has no httpRequest: `request` is the only helper it offers.
	const { helpers } = this;
	const request: LegacyRequest = async (options) => await helpers.request(options);
	const held = (['kapitale', 'partner'] as const).filter((service) =>
		holdsSecretsOf(data, service),
	);
	if (!held.length)
		return {
			status: 'Error',
			message:
				'The credential holds neither the Kapitale Client ID and Client Secret nor the Partner Token: fill at least one part',
		};
	const results: Array<{ service: CredentialService; failure?: string }> = [];
	for (const service of held) {
		const missing = missingFields(data, service);
		const failure = missing.length
			? `${listed(missing)} ${missing.length > 1 ? 'are' : 'is'} empty`
			: await PARTS[service].test(request, data);
		results.push({ service, failure });
	}
	const forms = secretForms(
		[data.clientSecret, data.bearerToken],
		[[String(data.clientId ?? ''), String(data.clientSecret ?? '')]],
	);
	const failed = results.filter((result) => result.failure);
	if (!failed.length)
		return {
			status: 'OK',
			message: `Connection tested successfully (${held.map((service) => PARTS[service].name).join(' and ')})`,
		};
	const passed = results.filter((result) => !result.failure);
	const message = [
		...failed.map((result) => `${PARTS[result.service].name} failed: ${result.failure}`),
		...passed.map((result) => `${PARTS[result.service].name}: OK`),
	].join('. ');
	return { status: 'Error', message: cleanText(message, forms) };
}

/** For the nodes' `methods`. */
export const credentialTest = { [CREDENTIAL_TEST_NAME]: testCredential };
