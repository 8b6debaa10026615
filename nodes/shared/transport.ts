import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { resolveEndpoints, type Endpoints } from './endpoints';
import { describePartnerMessage } from './partnerMessages';
import { cleanText, secretForms } from './redaction';
import { DEFAULT_RETRY_POLICY, isRetryable, parseRetryAfter, retryDelayMs, type RetryPolicy } from './retry';
import { formatSeconds, isTokenStepError, type TokenStepError } from './token';

export const CREDENTIAL_TYPE = 'kapitaleApi';

export type ApiContext = IExecuteFunctions | ILoadOptionsFunctions;
export type Service = 'kapitale' | 'partner';

export interface ApiRequest {
	service: Service;
	method: IHttpRequestMethods;
	/** Path relative to the service's base URL, e.g. `/order`. */
	path: string;
	qs?: IDataObject;
	/**
	 * JSON (or multipart) body. n8n 2.41's httpRequest drops the body of every GET, so a GET
	 * body never reaches the server: send its values in `qs` as well (see partner/methods.ts).
	 */
	body?: IDataObject | IDataObject[] | FormData;
	/** Safe to send twice. Defaults to true for GET and false otherwise. */
	idempotent?: boolean;
	itemIndex?: number;
	/** Overall limit of one attempt, connection to last byte. */
	timeoutMs?: number;
	retry?: Partial<RetryPolicy>;
}

export const DEFAULT_TIMEOUT_MS = 30_000;

/** What a request uses when it sets nothing itself. Mutable so that tests can use a short timeout. */
export const TRANSPORT_DEFAULTS = { timeoutMs: DEFAULT_TIMEOUT_MS };

/** Same-origin redirects a read follows before giving up. */
const MAX_REDIRECTS = 5;

interface CredentialFacts {
	endpoints: Endpoints;
	partnerHashId: string;
	clientId: string;
	secrets: string[];
	usesClientCredentials: boolean;
}

/** What the requests of one run (one execution context) share. */
interface RunState {
	facts?: Promise<CredentialFacts>;
	/** The first Kapitale request of a run mints the token; the others wait so that they reuse it. */
	tokenGate?: Promise<unknown>;
	/** Raised each time a re-authentication got a token the API accepted. */
	tokenGeneration: number;
	/** The one re-authentication in flight; other requests refused meanwhile wait for it. */
	refresh?: Promise<unknown>;
	/** A freshly minted token was refused too: the remaining requests fail without being sent. */
	refused?: HttpFailure;
	/** Tokens seen in failed requests: an error of this run may echo any of them. */
	seenTokens: Set<string>;
}

const runs = new WeakMap<object, RunState>();

function runState(context: ApiContext): RunState {
	let state = runs.get(context);
	if (!state) {
		state = { tokenGeneration: 0, seenTokens: new Set() };
		runs.set(context, state);
	}
	return state;
}

async function loadCredentialFacts(context: ApiContext, state: RunState): Promise<CredentialFacts> {
	if (!state.facts) {
		const facts = context.getCredentials(CREDENTIAL_TYPE).then((credentials) => ({
			endpoints: resolveEndpoints(credentials),
			partnerHashId: String(credentials.partnerHashId ?? '').trim(),
			clientId: String(credentials.clientId ?? ''),
			secrets: [credentials.clientSecret, credentials.bearerToken, credentials.accessToken].filter(
				(value): value is string => typeof value === 'string' && value.length > 0,
			),
			usesClientCredentials: credentials.authentication !== 'bearerToken',
		}));
		state.facts = facts;
		facts.catch(() => (state.facts = undefined));
	}
	return await state.facts;
}

interface HttpFailure {
	status?: number;
	code?: string;
	headers?: Record<string, unknown>;
	body?: unknown;
	/** The token step failed: the API request itself was never sent. */
	token?: TokenStepError;
	/** Not an HTTP failure at all (e.g. an invalid URL): its message, to be cleaned. */
	other?: string;
}

interface FullResponse {
	body?: unknown;
	headers?: Record<string, unknown>;
	statusCode?: number;
}

function causes(error: unknown): unknown[] {
	const chain: unknown[] = [];
	for (let current = error; current && typeof current === 'object' && chain.length < 4; current = (current as { cause?: unknown }).cause) {
		chain.push(current);
	}
	return chain;
}

/** Reads what failed from n8n's error by its structure: step, HTTP status, error code. */
function readFailure(error: unknown, deadline: AbortSignal): HttpFailure {
	const chain = causes(error);
	const token = chain.find(isTokenStepError);
	if (token) return { token, status: token.tokenStatus, code: token.tokenCode };
	const http = (chain.find((entry) => (entry as { isAxiosError?: boolean }).isAxiosError) ?? chain[chain.length - 1] ?? {}) as {
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
	if (!status && !code) return { other: http.message ?? (error instanceof Error ? error.message : String(error)) };
	return { status, code, headers: http.response?.headers, body: http.response?.data };
}

/** The bearer token a failed request carried (n8n keeps the request config on the error). */
function sentToken(error: unknown): string | undefined {
	for (const entry of causes(error)) {
		const headers = (entry as { config?: { headers?: Record<string, unknown> } }).config?.headers;
		const value = headers?.Authorization ?? headers?.authorization;
		if (typeof value === 'string' && value.startsWith('Bearer ')) return value.slice(7);
	}
	return undefined;
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
	return candidate === undefined || candidate === null ? undefined : String(candidate);
}

/** Connection errors that happen before anything is sent. */
const NEVER_SENT_CODES = new Set(['ECONNREFUSED', 'EAI_AGAIN', 'ENOTFOUND']);
const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT']);

const STATUS_HINTS: Record<number, string> = {
	401: 'The credential was refused: check it, and that it belongs to this environment.',
	403: 'The credential lacks permission for this call (for Kapitale: check the OAuth2 scopes).',
	404: 'Not found: check the ID or CNPJ.',
	429: 'The API is rate limiting these requests.',
};

const MAY_HAVE_BEEN_PROCESSED = 'The request may or may not have been processed: check before sending it again.';

interface ErrorParts {
	message: string;
	details: string[];
	httpCode?: number;
}

/** Every error of the transport is built here, so every one is cleaned the same way. */
class ErrorFactory {
	constructor(
		private readonly context: ApiContext,
		private readonly facts: CredentialFacts | undefined,
		private readonly state: RunState,
		private readonly request: ApiRequest,
	) {}

	private forms(): string[] {
		const secrets = [...(this.facts?.secrets ?? []), ...this.state.seenTokens];
		const pairs: Array<[string, string]> = this.facts?.usesClientCredentials
			? this.facts.secrets.slice(0, 1).map((secret) => [this.facts!.clientId, secret])
			: [];
		return secretForms(secrets, pairs);
	}

	build({ message, details, httpCode }: ErrorParts): NodeApiError {
		const forms = this.forms();
		const cleanMessage = cleanText(message, forms);
		const description = cleanText(details.join(' '), forms);
		// No `code` here: n8n would replace the message by its generic text for that code
		// ("...You can retry the request immediately"), wrong advice for a write.
		const errorResponse: JsonObject = { message: cleanMessage, httpCode: httpCode ? String(httpCode) : null };
		return new NodeApiError(this.context.getNode(), errorResponse, {
			message: cleanMessage,
			description,
			httpCode: httpCode ? String(httpCode) : undefined,
			itemIndex: this.request.itemIndex,
		});
	}

	private get where(): string {
		return `${this.request.method} ${this.request.path}`;
	}

	private get label(): string {
		return `The ${this.request.service} API`;
	}

	fromFailure(failure: HttpFailure, attempts: number): NodeApiError {
		const { request } = this;
		if (failure.token) {
			const details = [`${this.where} was not sent: the token step failed.`];
			if (attempts > 1) details.push(`Tried ${attempts} times.`);
			return this.build({ message: failure.token.message, details, httpCode: failure.token.tokenStatus });
		}
		if (failure.other !== undefined) {
			return this.build({ message: `${this.where} could not be sent: ${failure.other}`, details: [] });
		}
		const apiMessage = bodyMessage(failure.body);
		const isHtml = typeof failure.body === 'string' && failure.body.trim().startsWith('<');
		let message: string;
		if (failure.status) {
			message =
				apiMessage ??
				(isHtml
					? `${this.label} answered HTTP ${failure.status} with an HTML page (a proxy or gateway error)`
					: `${this.label} answered HTTP ${failure.status}`);
		} else if (failure.code && TIMEOUT_CODES.has(failure.code)) {
			message = `${this.label} did not answer within ${formatSeconds(request.timeoutMs ?? TRANSPORT_DEFAULTS.timeoutMs)}`;
		} else if (failure.code === 'ERR_BAD_RESPONSE_BODY') {
			message = `${this.label} sent an incomplete or unreadable response`;
		} else if (failure.code && NEVER_SENT_CODES.has(failure.code)) {
			message = `Could not reach ${this.label.replace(/^The/, 'the')}`;
		} else {
			message = `The connection to the ${request.service} API broke before its answer arrived`;
		}
		const details = [this.where];
		if (failure.status && STATUS_HINTS[failure.status]) details.push(STATUS_HINTS[failure.status]);
		if (!failure.status && failure.code) details.push(`Error code ${failure.code}.`);
		if (attempts > 1) details.push(`Tried ${attempts} times.`);
		// A write that failed without a clear refusal (no answer, or a 5xx other than 503) may have
		// been carried out: it is not resent, and the user must check before sending it again.
		const ambiguous = !failure.status
			? !(failure.code && NEVER_SENT_CODES.has(failure.code))
			: failure.status >= 500 && failure.status !== 503;
		if (!request.idempotent && ambiguous) details.push(MAY_HAVE_BEEN_PROCESSED);
		return this.build({ message, details, httpCode: failure.status });
	}

	redirect(status: number, target: string): NodeApiError {
		const write = !this.request.idempotent || this.request.method !== 'GET';
		const details = [
			write
				? 'A redirect of a write is never followed: nothing was sent to the new address.'
				: 'Only same-origin redirects of reads are followed; the credential is never sent to another address.',
			'Check the base URL in the credential.',
		];
		if (write) details.push(MAY_HAVE_BEEN_PROCESSED);
		return this.build({ message: `${this.label} redirected ${this.where} to ${target}: not followed`, details, httpCode: status });
	}

	notJson(response: FullResponse): NodeApiError {
		const body = response.body;
		const shape = Array.isArray(body) ? 'a JSON list' : typeof body === 'string' ? (body.trim().startsWith('<') ? 'an HTML page' : 'text that is not JSON') : `a ${typeof body}`;
		const details = [`${this.where}: a JSON object was expected.`];
		if (!this.request.idempotent) details.push(MAY_HAVE_BEEN_PROCESSED);
		return this.build({ message: `${this.label} answered HTTP ${response.statusCode ?? '2xx'} with ${shape} instead of its JSON answer`, details });
	}

	partnerRefusal(message: string | undefined): NodeApiError {
		return this.build({
			message: message ?? 'The partner API refused the request',
			details: [`${this.where}: the partner API answered "success": false.`],
		});
	}

	/** A 401 after this run already re-authenticated once for the token. */
	refused(failure: HttpFailure, attempts: number): NodeApiError {
		const error = this.fromFailure(failure, attempts);
		error.description = `${error.description ?? ''} A new token was already requested once in this run and was refused too: the remaining requests of this run are not sent.`.trim();
		return error;
	}

	cancelled(): NodeOperationError {
		return new NodeOperationError(this.context.getNode(), 'The execution was cancelled', {
			itemIndex: this.request.itemIndex,
			description: 'Requests in flight were aborted and no new request was sent.',
		});
	}
}

function cancelSignal(context: ApiContext): AbortSignal | undefined {
	return 'getExecutionCancelSignal' in context ? context.getExecutionCancelSignal() : undefined;
}

async function waitBeforeRetry(signal: AbortSignal | undefined, delayMs: number, cancelled: () => Error): Promise<void> {
	if (!signal) return await sleep(delayMs);
	if (signal.aborted) throw cancelled();
	await new Promise<void>((resolve, reject) => {
		const onAbort = () => reject(cancelled());
		signal.addEventListener('abort', onAbort, { once: true });
		void sleep(delayMs).then(() => {
			signal.removeEventListener('abort', onAbort);
			resolve();
		});
	});
}

/**
 * The abort signal of one attempt: the execution's cancel signal or the attempt's deadline,
 * whichever comes first. Joined by hand rather than with AbortSignal.any, which costs several
 * times more per request and keeps every joined signal alive until garbage collection.
 */
function attemptSignal(cancel: AbortSignal | undefined, timeoutMs: number) {
	const controller = new AbortController();
	const deadline = AbortSignal.timeout(timeoutMs);
	const abort = () => controller.abort();
	deadline.addEventListener('abort', abort, { once: true });
	cancel?.addEventListener('abort', abort, { once: true });
	if (cancel?.aborted) controller.abort();
	return {
		signal: controller.signal,
		deadline,
		release: () => {
			deadline.removeEventListener('abort', abort);
			cancel?.removeEventListener('abort', abort);
		},
	};
}

/**
 * n8n sets every authenticated request's abort signal to the execution's cancel signal. To
 * add the overall deadline, the request goes out from a view of the context whose cancel
 * signal is "cancelled or past the deadline"; everything else is the context itself.
 */
function withSignal(context: ApiContext, signal: AbortSignal): ApiContext {
	if (!('getExecutionCancelSignal' in context)) return context;
	return Object.create(context, { getExecutionCancelSignal: { value: () => signal } }) as ApiContext;
}

function partnerEnvelope(body: IDataObject): { ok: boolean; data: unknown; message?: string } {
	if ('success' in body) {
		const ok = body.success === true || body.success === 'true';
		return { ok, data: body.data, message: ok ? undefined : describePartnerMessage(body.message) };
	}
	return { ok: true, data: body };
}

function isJsonObject(body: unknown): body is IDataObject {
	return typeof body === 'object' && body !== null && !Array.isArray(body) && !Buffer.isBuffer(body);
}

/** The absolute target of a redirect, or the raw header when it is not a URL. */
function resolveLocation(location: unknown, from: string): string | undefined {
	if (typeof location !== 'string' || location === '') return undefined;
	try {
		return new URL(location, from).href;
	} catch {
		return location;
	}
}

function sameOrigin(a: string, b: string): boolean {
	try {
		return new URL(a).origin === new URL(b).origin;
	} catch {
		return false;
	}
}

/**
 * Sends one API request with the shared credential, retrying what is safe to retry, and
 * unwraps the partner API's `{success, data, message}` envelope. Every node request goes here.
 */
export async function apiRequest<T = unknown>(this: ApiContext, request: ApiRequest): Promise<T> {
	const state = runState(this);
	const idempotent = request.idempotent ?? request.method === 'GET';
	const normalized: ApiRequest = { ...request, idempotent };
	const facts = await loadCredentialFacts(this, state);
	const errors = () => new ErrorFactory(this, facts, state, normalized);
	const base = request.service === 'kapitale' ? facts.endpoints.kapitaleBaseUrl : facts.endpoints.partnerBaseUrl;
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
	const timeoutMs = request.timeoutMs ?? TRANSPORT_DEFAULTS.timeoutMs;
	const url = `${base}${request.path}`;
	const options: IHttpRequestOptions = {
		method: request.method,
		url,
		qs,
		json: !(request.body instanceof FormData),
		timeout: timeoutMs,
		returnFullResponse: true,
		// Redirects are answered here: same-origin ones of reads are followed, any other is
		// reported. The credential is never handed to another origin, not even by n8n.
		disableFollowRedirect: true,
		sendCredentialsOnCrossOriginRedirect: false,
	};
	if (request.body !== undefined) options.body = request.body;

	const refreshable = request.service === 'kapitale' && facts.usesClientCredentials;
	if (refreshable && state.refused) throw errors().refused(state.refused, 0);
	const gate = refreshable ? state.tokenGate : undefined;
	if (gate) await gate.catch(() => undefined);

	const cancel = cancelSignal(this);
	const send = async (target: IHttpRequestOptions, retryOn401: boolean): Promise<Outcome> => {
		const limit = attemptSignal(cancel, timeoutMs);
		const attempt = this.helpers.httpRequestWithAuthentication.call(
			withSignal(this, limit.signal),
			CREDENTIAL_TYPE,
			{ ...target, abortSignal: limit.signal },
			{ preAuthenticationRetryStatusCode: retryOn401 ? 401 : [] },
		) as Promise<FullResponse>;
		if (refreshable && !state.tokenGate) state.tokenGate = attempt;
		try {
			return { response: await attempt };
		} catch (error) {
			const token = sentToken(error);
			if (token) state.seenTokens.add(token);
			return { failure: readFailure(error, limit.deadline) };
		} finally {
			limit.release();
		}
	};

	let attempts = 0;
	let redirects = 0;
	let target = options;
	for (;;) {
		if (cancel?.aborted) throw errors().cancelled();
		attempts++;
		const generation = state.tokenGeneration;
		let outcome = await send(target, false);
		if (outcome.failure?.status === 401 && refreshable && !outcome.failure.token) {
			outcome = await reauthenticate(state, generation, () => send(target, true), () => send(target, false));
			if (outcome.failure?.status === 401 && !outcome.failure.token) state.refused = outcome.failure;
		}
		// n8n aborts requests in flight when the execution is cancelled: say so, not "connection broke".
		if (outcome.failure && cancel?.aborted) throw errors().cancelled();
		const { failure } = outcome;
		if (!failure) return unwrap<T>(outcome.response, request, errors);
		if (!failure.token && failure.status && failure.status >= 300 && failure.status < 400) {
			const location = failure.headers?.location;
			const next = resolveLocation(location, String(target.url));
			if (next && request.method === 'GET' && sameOrigin(next, url) && redirects < MAX_REDIRECTS) {
				redirects++;
				attempts--;
				target = { ...target, url: next, qs: {} };
				continue;
			}
			throw errors().redirect(failure.status, next ?? 'an address it did not give');
		}
		if (failure === state.refused) throw errors().refused(failure, attempts);
		if (failure.status !== 401 && isRetryable(failure, idempotent || failure.token !== undefined) && attempts <= policy.maxRetries) {
			const retryAfter = parseRetryAfter(failure.headers?.['retry-after']);
			await waitBeforeRetry(cancel, retryDelayMs(attempts - 1, policy, retryAfter), () => errors().cancelled());
			continue;
		}
		throw errors().fromFailure(failure, attempts);
	}
}

type Outcome = { response: FullResponse; failure?: undefined } | { response?: undefined; failure: HttpFailure };

/**
 * At most one re-authentication per token and run. The first request refused with the current
 * token asks n8n to mint a new one; requests refused meanwhile wait for it and are sent once
 * more; requests refused with a token that was already replaced are just sent again. Once a
 * new token is refused too, nothing more is sent (see `refused`).
 */
async function reauthenticate(
	state: RunState,
	sentWithGeneration: number,
	sendRefreshing: () => Promise<Outcome>,
	sendAgain: () => Promise<Outcome>,
): Promise<Outcome> {
	if (state.refused) return { failure: state.refused };
	if (state.tokenGeneration > sentWithGeneration) return await sendAgain();
	if (state.refresh) {
		await state.refresh;
		if (state.refused) return { failure: state.refused };
		return await sendAgain();
	}
	const refresh = sendRefreshing().then((outcome) => {
		// Settled before any waiter resumes, so that they see the verdict.
		if (outcome.failure?.status === 401 && !outcome.failure.token) state.refused = outcome.failure;
		if (!outcome.failure) state.tokenGeneration++;
		state.refresh = undefined;
		return outcome;
	});
	state.refresh = refresh;
	return await refresh;
}

function unwrap<T>(response: FullResponse, request: ApiRequest, errors: () => ErrorFactory): T {
	const body = response?.body;
	if (!isJsonObject(body)) {
		// An empty 204 is a complete answer; anything else that is not a JSON object is not the
		// API's answer (an HTML page, text, a list), however successful its status.
		if (response?.statusCode === 204 && (body === undefined || body === '')) return {} as T;
		throw errors().notJson(response);
	}
	if (request.service !== 'partner') return body as T;
	const envelope = partnerEnvelope(body);
	if (envelope.ok) return envelope.data as T;
	throw errors().partnerRefusal(envelope.message);
}
