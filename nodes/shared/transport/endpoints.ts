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
	const known = environment === 'sandbox' ? KNOWN_ENDPOINTS.sandbox : KNOWN_ENDPOINTS.production;
	return {
		tokenUrl: known.tokenUrl,
		kapitaleBaseUrl: trimSlash(credentials.kapitaleBaseUrl) || known.kapitaleBaseUrl,
		partnerBaseUrl: known.partnerBaseUrl,
	};
}
