/**
 * When a failed request may be sent again. Reads are always safe to repeat. Writes (creates,
 * uploads) are repeated only when the server certainly did not act on them: a 429 or 503
 * answered before processing, or a connection that was never established. A 500/502/504, a
 * reset or a timeout after the body was sent is ambiguous, so a write fails instead of risking
 * a duplicate order.
 */
export interface RetryPolicy {
	maxRetries: number;
	baseDelayMs: number;
	maxDelayMs: number;
	maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	maxRetries: 4,
	baseDelayMs: 300,
	maxDelayMs: 8_000,
	maxRetryAfterMs: 60_000,
};

const RETRYABLE_READ_STATUS = new Set([429, 502, 503, 504]);
const RETRYABLE_WRITE_STATUS = new Set([429, 503]);
const RETRYABLE_READ_ERRORS = new Set([
	'ECONNRESET',
	'ECONNREFUSED',
	'ECONNABORTED',
	'EPIPE',
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'EAI_AGAIN',
	'ERR_BAD_RESPONSE_BODY',
	'UND_ERR_SOCKET',
]);
const NEVER_CONNECTED_ERRORS = new Set(['ECONNREFUSED', 'EAI_AGAIN']);

export interface FailureFacts {
	status?: number;
	code?: string;
}

export function isRetryable(failure: FailureFacts, idempotent: boolean): boolean {
	if (failure.status) {
		return (idempotent ? RETRYABLE_READ_STATUS : RETRYABLE_WRITE_STATUS).has(failure.status);
	}
	if (!failure.code) return false;
	return (idempotent ? RETRYABLE_READ_ERRORS : NEVER_CONNECTED_ERRORS).has(failure.code);
}

/** Retry-After as seconds or an HTTP date, in milliseconds; undefined when absent or unreadable. */
export function parseRetryAfter(header: unknown, now = Date.now()): number | undefined {
	if (header === undefined || header === null || header === '') return undefined;
	const text = String(Array.isArray(header) ? header[0] : header).trim();
	if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
	const date = Date.parse(text);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Exponential backoff with full jitter; Retry-After wins when the server sends it. */
export function retryDelayMs(
	attempt: number,
	policy: RetryPolicy,
	retryAfterMs?: number,
	random: () => number = Math.random,
): number {
	if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxRetryAfterMs);
	const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
	return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
