/**
 * The OAuth2 client-credentials token request of the Kapitale credential, and the error it
 * throws. n8n wraps that error (as `cause`) in its own NodeApiError; the transport recognises it
 * by `kapitaleStep`, not by its text.
 */
import type {
	ICredentialDataDecryptedObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
} from 'n8n-workflow';

import { DEFAULT_KAPITALE_SCOPES, resolveEndpoints } from './endpoints';
import { cleanText, secretForms } from './redaction';

/** Idle and overall limit of the token request. Mutable for tests. */
export const TOKEN_REQUEST = { timeoutMs: 30_000 };

export class TokenStepError extends Error {
	readonly kapitaleStep = 'token';

	constructor(
		message: string,
		readonly tokenUrl: string,
		readonly tokenStatus?: number,
		readonly tokenCode?: string,
	) {
		super(message);
		this.name = 'TokenStepError';
	}
}

export function isTokenStepError(error: unknown): error is TokenStepError {
	return (
		typeof error === 'object' &&
		error !== null &&
		(error as { kapitaleStep?: unknown }).kapitaleStep === 'token'
	);
}

const TOKEN_HINTS: Record<string, string> = {
	invalid_client: 'check the Client ID and Client Secret, and the environment they belong to',
	invalid_scope: 'one of the scopes is unknown or not granted to this client',
	unauthorized_client: 'this client may not use the client_credentials grant',
};

const UNREACHABLE: Record<string, string> = {
	ECONNREFUSED: 'connection refused',
	ENOTFOUND: 'host not found',
	EAI_AGAIN: 'name lookup failed',
};

/** "30 s", or "0.3 s" below ten seconds. */
export function formatSeconds(ms: number): string {
	return ms < 10_000 ? `${Math.round(ms / 100) / 10} s` : `${Math.round(ms / 1000)} s`;
}

interface HttpErrorShape {
	code?: string;
	message?: string;
	response?: { status?: number; data?: unknown; headers?: Record<string, unknown> };
}

function readBody(data: unknown): { error?: string; detail?: string } {
	let body = data;
	if (typeof data === 'string') {
		try {
			body = JSON.parse(data);
		} catch {
			const text = data.trim();
			return text && !text.startsWith('<') ? { detail: text } : {};
		}
	}
	if (!body || typeof body !== 'object' || Array.isArray(body)) return {};
	const record = body as Record<string, unknown>;
	const asText = (value: unknown) => (typeof value === 'string' && value ? value : undefined);
	return {
		error: asText(record.error),
		detail: asText(record.error_description) ?? asText(record.message),
	};
}

function describeFailure(
	error: unknown,
	tokenUrl: string,
): { message: string; status?: number; code?: string } {
	const failure = (error ?? {}) as HttpErrorShape;
	const status = failure.response?.status;
	const prefix = `Could not get a Kapitale access token from ${tokenUrl}`;
	if (status && status >= 300 && status < 400) {
		const target = String(failure.response?.headers?.location ?? 'another address');
		return {
			message: `${prefix}: it redirected to ${target}, which is not followed (the client credentials are never sent elsewhere)`,
			status,
		};
	}
	if (status) {
		const { error: oauthError, detail } = readBody(failure.response?.data);
		let message = `${prefix} (HTTP ${status})`;
		if (oauthError) message += `: ${oauthError}`;
		if (detail && detail !== oauthError) message += `${oauthError ? ' –' : ':'} ${detail}`;
		const hint = oauthError ? TOKEN_HINTS[oauthError] : undefined;
		if (hint) message += ` (${hint})`;
		return { message, status };
	}
	// Plain words, not error codes: n8n replaces a message that contains one by its generic text.
	const code = failure.code;
	if (code && UNREACHABLE[code])
		return {
			message: `${prefix}: the token endpoint could not be reached (${UNREACHABLE[code]})`,
			code,
		};
	if (code === 'ERR_CANCELED' || code === 'ECONNABORTED' || code === 'ETIMEDOUT') {
		return {
			message: `${prefix}: it did not answer within ${formatSeconds(TOKEN_REQUEST.timeoutMs)}`,
			code: 'ETIMEDOUT',
		};
	}
	return {
		message: `${prefix}: the connection broke before its answer arrived`,
		code: code ?? 'ECONNRESET',
	};
}

/**
 * Asks the token endpoint for a token. Redirects are not followed: the Basic header must reach
 * the configured endpoint and nothing else. Every failure is a TokenStepError whose message
 * names the endpoint and carries none of the client's secrets.
 */
export async function requestAccessToken(
	helper: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
): Promise<string> {
	const { tokenUrl } = resolveEndpoints(credentials);
	const clientId = String(credentials.clientId ?? '');
	const clientSecret = String(credentials.clientSecret ?? '');
	const forms = secretForms([clientSecret], [[clientId, clientSecret]]);
	const fail = (message: string, status?: number, code?: string) =>
		new TokenStepError(cleanText(message, forms), tokenUrl, status, code);
	if (!tokenUrl)
		throw fail('The credential has no Token URL: set it in the credential (Custom environment)');

	const form = new URLSearchParams({ grant_type: 'client_credentials' });
	form.set('scope', String(credentials.scopes ?? '').trim() || DEFAULT_KAPITALE_SCOPES);
	const options: IHttpRequestOptions = {
		method: 'POST',
		url: tokenUrl,
		body: form.toString(),
		headers: {
			'Content-Type': 'application/x-www-form-urlencoded',
			Authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
		},
		json: true,
		returnFullResponse: true,
		disableFollowRedirect: true,
		sendCredentialsOnCrossOriginRedirect: false,
		timeout: TOKEN_REQUEST.timeoutMs,
		// `timeout` only limits silence between bytes; this bounds the whole exchange.
		abortSignal: AbortSignal.timeout(TOKEN_REQUEST.timeoutMs),
	};
	let response: { body?: unknown; statusCode?: number; headers?: Record<string, unknown> };
	try {
		response = (await helper.helpers.httpRequest(options)) as typeof response;
	} catch (error) {
		// The raw HTTP error carries the request config, Basic header included: never rethrow it.
		const { message, status, code } = describeFailure(error, tokenUrl);
		throw fail(message, status, code);
	}
	const body = response?.body;
	if (!body || typeof body !== 'object' || Array.isArray(body)) {
		throw fail(
			`The Kapitale token endpoint ${tokenUrl} answered HTTP ${response?.statusCode ?? '2xx'} without a JSON object`,
			response?.statusCode,
			'ERR_BAD_TOKEN_RESPONSE',
		);
	}
	const token = (body as { access_token?: unknown }).access_token;
	if (typeof token !== 'string' || token.trim() === '') {
		const got = token === undefined ? 'none' : Array.isArray(token) ? 'a list' : typeof token;
		throw fail(
			`The Kapitale token endpoint ${tokenUrl} answered without a usable access_token (expected a text, got ${got})`,
			response?.statusCode,
			'ERR_BAD_TOKEN_RESPONSE',
		);
	}
	return token;
}
