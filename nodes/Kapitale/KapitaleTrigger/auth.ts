import { createHash, timingSafeEqual } from 'crypto';
import type { ICredentialDataDecryptedObject, IWebhookFunctions } from 'n8n-workflow';

export type RequestHeaders = ReturnType<IWebhookFunctions['getHeaderData']>;

export type AuthMode = 'none' | 'bearer' | 'basic' | 'header';

export interface AuthSettings {
	mode: AuthMode;
	bearerToken?: string;
	basicUser?: string;
	basicPassword?: string;
	headerName?: string;
	headerValue?: string;
}

const MODES: AuthMode[] = ['none', 'bearer', 'basic', 'header'];

/** The webhook fields of a Kapitale API credential (see credentials/KapitaleApi.credentials.ts). */
export function authFromCredential(data: ICredentialDataDecryptedObject): AuthSettings {
	const mode = MODES.includes(data.webhookAuthentication as AuthMode)
		? (data.webhookAuthentication as AuthMode)
		: 'bearer';
	const text = (value: unknown) => (typeof value === 'string' ? value : '');
	return {
		mode,
		bearerToken: text(data.webhookToken),
		basicUser: text(data.webhookUser),
		basicPassword: text(data.webhookPassword),
		headerName: text(data.webhookHeaderName),
		headerValue: text(data.webhookHeaderValue),
	};
}

/** What is missing for the mode to accept anyone, or undefined when the settings are complete. */
export function missingSecret(auth: AuthSettings): string | undefined {
	if (auth.mode === 'bearer' && !auth.bearerToken) return 'Webhook Token';
	if (auth.mode === 'basic' && !auth.basicPassword) return 'Webhook Password';
	if (auth.mode === 'header' && !(auth.headerName ?? '').trim()) return 'Webhook Header Name';
	if (auth.mode === 'header' && !auth.headerValue) return 'Webhook Header Value';
	return undefined;
}

function digest(value: string): Buffer {
	return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * Compares a received secret with the configured one in constant time. Both sides are hashed
 * first, so neither the length nor the content of the secret leaks through timing. An empty
 * configured secret never matches (a half-configured trigger must not accept everyone).
 */
export function secretMatches(received: string | undefined, expected: string | undefined): boolean {
	const equal = timingSafeEqual(digest(received ?? ''), digest(expected ?? ''));
	return equal && received !== undefined && !!expected;
}

/** A header's value as one string (repeated headers are joined the way Node joins them). */
export function headerValue(headers: RequestHeaders, name: string): string | undefined {
	const value = headers[name.toLowerCase()];
	if (value === undefined) return undefined;
	return Array.isArray(value) ? value.join(', ') : String(value);
}

function credentialsAfterScheme(
	authorization: string | undefined,
	scheme: string,
): string | undefined {
	if (!authorization) return undefined;
	const match = new RegExp(`^${scheme}[ \\t]+(.+)$`, 'i').exec(authorization.trim());
	return match ? match[1].trim() : undefined;
}

/**
 * Checks the request headers against the configured authentication.
 * - bearer: `Authorization: Bearer <token>`
 * - basic:  `Authorization: Basic base64(user:password)`; the unencoded `user:password` form is
 *           accepted too, because partners sometimes register the pair itself as the `auth_token`.
 * - header: `<name>: <value>`
 */
export function isAuthorized(headers: RequestHeaders, auth: AuthSettings): boolean {
	switch (auth.mode) {
		case 'none':
			return true;
		case 'bearer':
			return secretMatches(
				credentialsAfterScheme(headerValue(headers, 'authorization'), 'Bearer'),
				auth.bearerToken,
			);
		case 'basic': {
			const password = auth.basicPassword ?? '';
			const expected = password ? `${auth.basicUser ?? ''}:${password}` : '';
			const given = credentialsAfterScheme(headerValue(headers, 'authorization'), 'Basic');
			const decoded =
				given === undefined ? undefined : Buffer.from(given, 'base64').toString('utf8');
			// Evaluate both comparisons every time: which form matched must not show in the timing.
			const encodedForm = secretMatches(decoded, expected);
			const plainForm = secretMatches(given, expected);
			return encodedForm || plainForm;
		}
		case 'header': {
			const name = (auth.headerName ?? '').trim();
			if (!name) return secretMatches(undefined, '');
			return secretMatches(headerValue(headers, name), auth.headerValue);
		}
		default:
			return false;
	}
}

/** The `WWW-Authenticate` challenge for a 401, when the scheme has one. */
export function challenge(mode: AuthMode): string | undefined {
	if (mode === 'bearer') return 'Bearer realm="Kapitale Trigger"';
	if (mode === 'basic') return 'Basic realm="Kapitale Trigger"';
	return undefined;
}
