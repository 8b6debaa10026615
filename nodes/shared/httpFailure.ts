/** What failed, read from n8n's error by its structure (step, HTTP status, error code), never its text. */
import { isTokenStepError, type TokenStepError } from './token';

export interface HttpFailure {
	status?: number;
	code?: string;
	headers?: Record<string, unknown>;
	body?: unknown;
	/** The token step failed: the API request itself was never sent. */
	token?: TokenStepError;
	/** Not an HTTP failure at all (e.g. an invalid URL): its message, to be cleaned. */
	other?: string;
}

export interface FullResponse {
	body?: unknown;
	headers?: Record<string, unknown>;
	statusCode?: number;
}

function causes(error: unknown): unknown[] {
	const chain: unknown[] = [];
	for (
		let current = error;
		current && typeof current === 'object' && chain.length < 4;
		current = (current as { cause?: unknown }).cause
	) {
		chain.push(current);
	}
	return chain;
}

/** Reads what failed from n8n's error by its structure: step, HTTP status, error code. */
export function readFailure(error: unknown, deadline: AbortSignal): HttpFailure {
	const chain = causes(error);
	const token = chain.find(isTokenStepError);
	if (token) return { token, status: token.tokenStatus, code: token.tokenCode };
	const http = (chain.find((entry) => (entry as { isAxiosError?: boolean }).isAxiosError) ??
		chain[chain.length - 1] ??
		{}) as {
		response?: { status?: number; headers?: Record<string, unknown>; data?: unknown };
		code?: string;
		message?: string;
	};
	let status = http.response?.status;
	let code = http.code;
	if (deadline.aborted && (code === 'ERR_CANCELED' || !status)) return { code: 'ETIMEDOUT' };
	// A success status with a failure means the body broke off (truncated, socket closed): the
	// server answered, so for a write it is as ambiguous as a reset after sending.
	if (status !== undefined && status < 300) {
		status = undefined;
		code = 'ERR_BAD_RESPONSE_BODY';
	}
	// axios names a body that broke off ERR_BAD_RESPONSE: the same failure, retryable for reads.
	if (!status && code === 'ERR_BAD_RESPONSE') code = 'ERR_BAD_RESPONSE_BODY';
	if (!status && !code)
		return { other: http.message ?? (error instanceof Error ? error.message : String(error)) };
	return { status, code, headers: http.response?.headers, body: http.response?.data };
}

/** The bearer token a failed request carried (n8n keeps the request config on the error). */
export function sentToken(error: unknown): string | undefined {
	for (const entry of causes(error)) {
		const headers = (entry as { config?: { headers?: Record<string, unknown> } }).config?.headers;
		const value = headers?.Authorization ?? headers?.authorization;
		if (typeof value === 'string' && value.startsWith('Bearer ')) return value.slice(7);
	}
	return undefined;
}
