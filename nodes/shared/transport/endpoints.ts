import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

export const KAPITALE_SCOPES = {
	cnpjRead: 'partner-can/cnpj.read',
	ordersCreate: 'partner-can/orders.create',
	ordersRead: 'partner-can/orders.read',
	ordersSentNf: 'partner-can/orders.sentnf',
	receivableRead: 'partner-can/receivable.read',
} as const;

export const DEFAULT_KAPITALE_SCOPES = [
	KAPITALE_SCOPES.cnpjRead,
	KAPITALE_SCOPES.ordersCreate,
	KAPITALE_SCOPES.ordersRead,
	KAPITALE_SCOPES.ordersSentNf,
].join(' ');

const KNOWN_ENDPOINTS = {
	production: {
		tokenUrl: 'https://partners-auth.kapitale.com.br/oauth2/token',
		kapitaleBaseUrl: 'https://api.kapitale.com.br',
		partnerBaseUrl: 'https://api2.credoro.com.br',
	},
	sandbox: {
		tokenUrl: 'https://partners-auth-sandbox.kapitale.com.br/oauth2/token',
		// Kapitale does not publish its sandbox API URL: the user types it in the credential.
		kapitaleBaseUrl: '',
		partnerBaseUrl: 'https://api.sandbox.credoro.com.br',
	},
} as const;

export interface Endpoints {
	tokenUrl: string;
	kapitaleBaseUrl: string;
	partnerBaseUrl: string;
}

function trimSlash(url: unknown): string {
	return String(url ?? '')
		.trim()
		.replace(/\/+$/, '');
}

export function resolveEndpoints(credentials: ICredentialDataDecryptedObject): Endpoints {
	const environment = String(credentials.environment ?? 'production');
	if (environment === 'custom') {
		return {
			tokenUrl: trimSlash(credentials.tokenUrl),
			kapitaleBaseUrl: trimSlash(credentials.kapitaleBaseUrl),
			partnerBaseUrl: trimSlash(credentials.partnerBaseUrl),
		};
	}
	if (environment === 'sandbox') {
		return {
			tokenUrl: KNOWN_ENDPOINTS.sandbox.tokenUrl,
			kapitaleBaseUrl: trimSlash(credentials.kapitaleSandboxUrl),
			partnerBaseUrl: KNOWN_ENDPOINTS.sandbox.partnerBaseUrl,
		};
	}
	return { ...KNOWN_ENDPOINTS.production };
}

/**
 * Which API a request goes to. The transport hands n8n a view of the credential marked with it,
 * so that the credential's preAuthentication and authenticate pick that API's part: one
 * credential holds both APIs' secrets, and n8n's hooks do not see the request's target.
 */
export const SERVICE_FIELD = 'kapitaleService';

export type CredentialService = 'kapitale' | 'partner';

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');

/** The fields of one API's part that a request to it needs and the credential leaves empty. */
export function missingFields(
	credentials: ICredentialDataDecryptedObject,
	service: CredentialService,
): string[] {
	const environment = String(credentials.environment ?? 'production');
	const endpoints = resolveEndpoints(credentials);
	const missing: string[] = [];
	if (service === 'kapitale') {
		if (!text(credentials.clientId)) missing.push('Client ID');
		if (!text(credentials.clientSecret)) missing.push('Client Secret');
		if (environment === 'sandbox' && !endpoints.kapitaleBaseUrl) missing.push('Sandbox API URL');
		if (environment === 'custom' && !endpoints.tokenUrl) missing.push('Token URL');
		if (environment === 'custom' && !endpoints.kapitaleBaseUrl) missing.push('API Base URL');
		return missing;
	}
	if (!text(credentials.bearerToken)) missing.push('Partner Token');
	if (environment === 'custom' && !endpoints.partnerBaseUrl) missing.push('Partner API Base URL');
	return missing;
}

/** Whether the credential holds the secrets of that API (its URLs aside). */
export function holdsSecretsOf(
	credentials: ICredentialDataDecryptedObject,
	service: CredentialService,
): boolean {
	return service === 'kapitale'
		? !!(text(credentials.clientId) || text(credentials.clientSecret))
		: !!text(credentials.bearerToken);
}

/**
 * The API a request authenticated with this credential goes to: the transport's mark, else (a
 * request n8n sends for another node, e.g. HTTP Request with this credential) its URL.
 */
export function serviceOfRequest(
	credentials: ICredentialDataDecryptedObject,
	url: string,
): CredentialService {
	const marked = credentials[SERVICE_FIELD];
	if (marked === 'kapitale' || marked === 'partner') return marked;
	const { partnerBaseUrl } = resolveEndpoints(credentials);
	return partnerBaseUrl && (url === partnerBaseUrl || url.startsWith(`${partnerBaseUrl}/`))
		? 'partner'
		: 'kapitale';
}

/** "A", "A and B", "A, B and C". */
export function listed(words: string[]): string {
	return words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}
