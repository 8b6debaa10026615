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

/** Replaces every occurrence of each secret with a marker. */
export function redactSecrets(text: string, secrets: unknown[]): string {
	let result = text;
	for (const secret of secrets) {
		if (typeof secret !== 'string' || secret === '') continue;
		result = result.split(secret).join('[redacted]');
	}
	return result;
}

function readTokenErrorBody(error: unknown): { status?: number; code?: string; detail?: string } {
	const failure = error as {
		response?: { status?: number; data?: unknown; body?: unknown };
		httpCode?: string;
		code?: string;
		message?: string;
	};
	const status = failure?.response?.status ?? (failure?.httpCode ? Number(failure.httpCode) : undefined);
	let data = failure?.response?.data ?? failure?.response?.body;
	if (typeof data === 'string') {
		try {
			data = JSON.parse(data);
		} catch {
			data = { error_description: String(data).slice(0, 200) };
		}
	}
	const body = (data ?? {}) as { error?: string; error_description?: string; message?: string };
	return {
		status,
		code: body.error ?? failure?.code,
		detail: body.error_description ?? body.message ?? (status ? undefined : failure?.message),
	};
}

const TOKEN_HINTS: Record<string, string> = {
	invalid_client: 'check the Client ID and Client Secret, and the environment they belong to',
	invalid_scope: 'one of the scopes is unknown or not granted to this client',
	unauthorized_client: 'this client may not use the client_credentials grant',
};

export function describeTokenFailure(error: unknown, secrets: unknown[]): string {
	const { status, code, detail } = readTokenErrorBody(error);
	const parts = ['Could not get a Kapitale access token'];
	if (status) parts.push(`(HTTP ${status})`);
	let message = parts.join(' ');
	if (code) message += `: ${code}`;
	if (detail && detail !== code) message += ` – ${detail}`;
	const hint = code ? TOKEN_HINTS[code] : undefined;
	if (hint) message += ` (${hint})`;
	return redactSecrets(message, secrets);
}
