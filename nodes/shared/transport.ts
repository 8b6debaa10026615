import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { redactSecrets, resolveEndpoints, type Endpoints } from './endpoints';
import { ensureNodeError } from './errors';
import { describePartnerMessage } from './partnerMessages';
import { DEFAULT_RETRY_POLICY, isRetryable, parseRetryAfter, retryDelayMs, type RetryPolicy } from './retry';

export const CREDENTIAL_TYPE = 'kapitaleApi';

export type ApiContext = IExecuteFunctions | ILoadOptionsFunctions;
export type Service = 'kapitale' | 'partner';

export interface ApiRequest {
	service: Service;
	method: IHttpRequestMethods;
	/** Path relative to the service's base URL, e.g. `/order`. */
	path: string;
	qs?: IDataObject;
	body?: IDataObject | IDataObject[] | FormData;
	/** Safe to send twice. Defaults to true for GET and false otherwise. */
	idempotent?: boolean;
	itemIndex?: number;
	timeoutMs?: number;
	retry?: Partial<RetryPolicy>;
}

export const DEFAULT_TIMEOUT_MS = 30_000;

/** What a request uses when it sets nothing itself. Mutable so that tests can use a short timeout. */
export const TRANSPORT_DEFAULTS = { timeoutMs: DEFAULT_TIMEOUT_MS };

interface CredentialFacts {
	endpoints: Endpoints;
	partnerHashId: string;
	secrets: string[];
	usesClientCredentials: boolean;
}

// One lookup of the credential per execution context, shared by every request of the run.
const credentialFacts = new WeakMap<object, Promise<CredentialFacts>>();
// The first Kapitale request of a run mints the token; the others wait so that they reuse it.
const tokenGates = new WeakMap<object, Promise<unknown>>();

async function loadCredentialFacts(context: ApiContext): Promise<CredentialFacts> {
	let facts = credentialFacts.get(context);
	if (!facts) {
		facts = context.getCredentials(CREDENTIAL_TYPE).then((credentials) => ({
			endpoints: resolveEndpoints(credentials),
			partnerHashId: String(credentials.partnerHashId ?? '').trim(),
			secrets: [credentials.clientSecret, credentials.bearerToken, credentials.accessToken].filter(
				(value): value is string => typeof value === 'string' && value.length > 0,
			),
			usesClientCredentials: credentials.authentication !== 'bearerToken',
		}));
		credentialFacts.set(context, facts);
		facts.catch(() => credentialFacts.delete(context));
	}
	return await facts;
}

interface HttpFailure {
	status?: number;
	code?: string;
	headers?: Record<string, unknown>;
	body?: unknown;
	message: string;
}

function readFailure(error: unknown): HttpFailure {
	const wrapped = error as { cause?: unknown; httpCode?: string | null; message?: string; context?: IDataObject };
	const raw = (wrapped?.cause ?? error) as {
		response?: { status?: number; headers?: Record<string, unknown>; data?: unknown };
		status?: number;
		code?: string;
		message?: string;
	};
	let status = raw?.response?.status ?? (wrapped?.httpCode ? Number(wrapped.httpCode) : undefined);
	let code = raw?.code ?? (wrapped as { code?: string })?.code;
	// A success status with a failure means the body broke off (truncated, socket closed): the
	// server answered, so for a write it is as ambiguous as a reset after sending.
	if (status !== undefined && status < 400) {
		status = undefined;
		code = code ?? 'ERR_BAD_RESPONSE_BODY';
	}
	if (!status && !code && /parse|JSON|Unexpected end/i.test(raw?.message ?? '')) code = 'ERR_BAD_RESPONSE_BODY';
	// axios names a body that broke off ERR_BAD_RESPONSE: the same failure, retryable for reads.
	if (!status && code === 'ERR_BAD_RESPONSE') code = 'ERR_BAD_RESPONSE_BODY';
	return {
		status: status && Number.isFinite(status) ? status : undefined,
		code,
		headers: raw?.response?.headers,
		body: raw?.response?.data,
		message: raw?.message ?? wrapped?.message ?? 'Request failed',
	};
}

function bodyMessage(body: unknown): string | undefined {
	if (body === undefined || body === null || body === '') return undefined;
	if (typeof body === 'string') {
		const text = body.trim();
		if (text.startsWith('<')) return undefined;
		try {
			return bodyMessage(JSON.parse(text));
		} catch {
			return text.slice(0, 300);
		}
	}
	if (typeof body !== 'object') return String(body);
	const record = body as IDataObject;
	if (record.message && typeof record.message === 'object') return describePartnerMessage(record.message);
	const candidate = record.message ?? record.error_description ?? record.error ?? record.detail;
	return candidate === undefined ? undefined : String(candidate);
}

/** Connection errors that happen before anything is sent. */
const NEVER_SENT_CODES = new Set(['ECONNREFUSED', 'EAI_AGAIN', 'ENOTFOUND']);

const STATUS_HINTS: Record<number, string> = {
	401: 'The credential was refused: check it, and that it belongs to this environment.',
	403: 'The credential lacks permission for this call (for Kapitale: check the OAuth2 scopes).',
	404: 'Not found: check the ID or CNPJ.',
	429: 'The API is rate limiting these requests.',
};

function toApiError(context: ApiContext, failure: HttpFailure, request: ApiRequest, secrets: string[], attempts: number): NodeApiError {
	const apiMessage = bodyMessage(failure.body);
	const isHtml = typeof failure.body === 'string' && failure.body.trim().startsWith('<');
	let message: string;
	if (failure.status) {
		message = apiMessage ?? (isHtml ? `The ${request.service} API answered HTTP ${failure.status} with an HTML page (a proxy or gateway error)` : `The ${request.service} API answered HTTP ${failure.status}`);
	} else if (failure.code === 'ECONNABORTED' || failure.code === 'ETIMEDOUT' || /timeout/i.test(failure.message)) {
		message = `The ${request.service} API did not answer within ${Math.round((request.timeoutMs ?? TRANSPORT_DEFAULTS.timeoutMs) / 1000)} s`;
	} else if (failure.code === 'ERR_BAD_RESPONSE_BODY') {
		message = `The ${request.service} API sent an incomplete or unreadable response`;
	} else if (failure.code && NEVER_SENT_CODES.has(failure.code)) {
		message = `Could not reach the ${request.service} API`;
	} else {
		message = `The connection to the ${request.service} API broke before its answer arrived`;
	}
	const details = [`${request.method} ${request.path}`];
	if (failure.status && STATUS_HINTS[failure.status]) details.push(STATUS_HINTS[failure.status]);
	if (!failure.status && failure.code) details.push(`Error code ${failure.code}.`);
	if (attempts > 1) details.push(`Tried ${attempts} times.`);
	// A write that failed without a clear refusal (no answer, or a 5xx other than 503) may have
	// been carried out: it is not resent, and the user must check before sending it again.
	const ambiguous = !failure.status
		? !(failure.code && NEVER_SENT_CODES.has(failure.code))
		: failure.status >= 500 && failure.status !== 503;
	if (!request.idempotent && ambiguous) {
		details.push('The request may or may not have been processed: check before sending it again.');
	}
	const clean = (text: string) => redactSecrets(text, secrets);
	// No `code` here: n8n would replace the message by its generic text for that code
	// ("...You can retry the request immediately"), wrong advice for a write.
	const errorResponse: JsonObject = {
		message: clean(message),
		httpCode: failure.status ? String(failure.status) : null,
	};
	return new NodeApiError(context.getNode(), errorResponse, {
		message: clean(message),
		description: clean(details.join(' ')),
		httpCode: failure.status ? String(failure.status) : undefined,
		itemIndex: request.itemIndex,
	});
}

function cancelSignal(context: ApiContext): AbortSignal | undefined {
	return 'getExecutionCancelSignal' in context ? context.getExecutionCancelSignal() : undefined;
}

function cancelledError(context: ApiContext, itemIndex?: number): NodeOperationError {
	return new NodeOperationError(context.getNode(), 'The execution was cancelled', {
		itemIndex,
		description: 'Requests in flight were aborted and no new request was sent.',
	});
}

async function waitBeforeRetry(context: ApiContext, delayMs: number): Promise<void> {
	const signal = 'getExecutionCancelSignal' in context ? context.getExecutionCancelSignal() : undefined;
	if (!signal) return await sleep(delayMs);
	if (signal.aborted) throw cancelledError(context);
	await new Promise<void>((resolve, reject) => {
		const onAbort = () => reject(cancelledError(context));
		signal.addEventListener('abort', onAbort, { once: true });
		void sleep(delayMs).then(() => {
			signal.removeEventListener('abort', onAbort);
			resolve();
		});
	});
}

function partnerEnvelope(body: unknown): { ok: boolean; data: unknown; message?: string } {
	if (body && typeof body === 'object' && !Array.isArray(body) && 'success' in body) {
		const envelope = body as { success: unknown; data?: unknown; message?: unknown };
		const ok = envelope.success === true || envelope.success === 'true';
		return { ok, data: envelope.data, message: ok ? undefined : describePartnerMessage(envelope.message) };
	}
	return { ok: true, data: body };
}

function sendsGetBody(context: ApiContext, options: IHttpRequestOptions): context is IExecuteFunctions {
	return options.method === 'GET' && options.body !== undefined && 'requestWithAuthenticationPaginated' in context.helpers;
}

/**
 * n8n's httpRequest helpers drop the body of a GET (@n8n/backend-network deletes `data` for GET),
 * but the partner API documents GET /partner-customer/all with a JSON body. n8n's paginated
 * request helper sends through the request path that keeps it (the one the HTTP Request node
 * uses); asked for exactly one page, it is a single request. Failures are reshaped like the
 * httpRequest helper's so that retries and error texts stay the same.
 */
async function sendGetWithBody(context: IExecuteFunctions, options: IHttpRequestOptions, itemIndex: number): Promise<unknown> {
	const legacyOptions: Parameters<IExecuteFunctions['helpers']['requestWithAuthenticationPaginated']>[0] = {
		method: 'GET',
		uri: options.url,
		qs: options.qs,
		body: options.body,
		json: true,
		timeout: options.timeout,
	};
	const [response] = (await context.helpers.requestWithAuthenticationPaginated.call(
		context,
		legacyOptions,
		itemIndex,
		{ continue: false, request: {}, requestInterval: 0, maxRequests: 1 },
		CREDENTIAL_TYPE,
	)) as Array<{ body?: unknown; headers?: Record<string, unknown>; statusCode?: number }>;
	const status = response?.statusCode ?? 0;
	if (status >= 200 && status < 400) return response.body;
	throw Object.assign(new Error(`Request failed with status code ${status}`), {
		response: { status, headers: response?.headers ?? {}, data: response?.body },
	});
}

/**
 * Sends one API request with the shared credential, retrying what is safe to retry, and
 * unwraps the partner API's `{success, data, message}` envelope. Every node request goes here.
 */
export async function apiRequest<T = unknown>(this: ApiContext, request: ApiRequest): Promise<T> {
	const facts = await loadCredentialFacts(this);
	const base = request.service === 'kapitale' ? facts.endpoints.kapitaleBaseUrl : facts.endpoints.partnerBaseUrl;
	const idempotent = request.idempotent ?? request.method === 'GET';
	const normalized: ApiRequest = { ...request, idempotent };
	if (!base) {
		throw new NodeApiError(this.getNode(), { message: 'missing base URL' }, {
			message: `The credential has no ${request.service === 'kapitale' ? 'Kapitale API' : 'Partner API'} base URL`,
			description: 'Set it in the credential (Sandbox and Custom environments need it typed in).',
			itemIndex: request.itemIndex,
		});
	}
	const qs: IDataObject = { ...(request.qs ?? {}) };
	if (request.service === 'partner' && facts.partnerHashId && qs.partnerHashId === undefined) {
		qs.partnerHashId = facts.partnerHashId;
	}
	const policy = { ...DEFAULT_RETRY_POLICY, ...(request.retry ?? {}) };
	const options: IHttpRequestOptions = {
		method: request.method,
		url: `${base}${request.path}`,
		qs,
		json: !(request.body instanceof FormData),
		timeout: request.timeoutMs ?? TRANSPORT_DEFAULTS.timeoutMs,
	};
	if (request.body !== undefined) options.body = request.body;

	const needsToken = request.service === 'kapitale' && facts.usesClientCredentials;
	const gate = needsToken ? tokenGates.get(this) : undefined;
	if (gate) await gate.catch(() => undefined);

	const signal = cancelSignal(this);
	for (let attempt = 1; ; attempt++) {
		if (signal?.aborted) throw cancelledError(this, request.itemIndex);
		let body: unknown;
		try {
			const send = sendsGetBody(this, options)
				? sendGetWithBody(this, options, request.itemIndex ?? 0)
				: this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL_TYPE, { ...options }, {
						// A static bearer token cannot be refreshed: a 401 must not resend the request.
						preAuthenticationRetryStatusCode: needsToken ? 401 : [],
					});
			if (needsToken && !tokenGates.has(this)) tokenGates.set(this, send);
			body = await send;
		} catch (error) {
			// n8n aborts requests in flight when the execution is cancelled: say so, not "connection broke".
			if (signal?.aborted) throw cancelledError(this, request.itemIndex);
			const failure = readFailure(error);
			if (isRetryable(failure, idempotent) && attempt <= policy.maxRetries) {
				const retryAfter = parseRetryAfter(failure.headers?.['retry-after']);
				await waitBeforeRetry(this, retryDelayMs(attempt - 1, policy, retryAfter));
				continue;
			}
			// Without a status or code this is not an HTTP failure (e.g. the token step's own clean error).
			if (!failure.status && !failure.code) throw ensureNodeError(this.getNode(), error, request.itemIndex);
			throw toApiError(this, failure, normalized, facts.secrets, attempt);
		}
		if (request.service !== 'partner') return body as T;
		const envelope = partnerEnvelope(body);
		if (envelope.ok) return envelope.data as T;
		throw new NodeApiError(this.getNode(), { message: envelope.message ?? 'success: false' }, {
			message: envelope.message ?? 'The partner API refused the request',
			description: `${request.method} ${request.path}: the partner API answered "success": false.`,
			itemIndex: request.itemIndex,
		});
	}
}
