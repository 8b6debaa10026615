import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import {
	ANSWER_LIMITS,
	isAnswerLimitError,
	readAnswer,
	readErrorAnswer,
	settleErrorBodies,
} from './answer';
import { ErrorFactory, readFailure, sentToken } from './errors';
import { describePartnerMessage } from './partnerMessages';
import { DEFAULT_RETRY_POLICY, isRetryable, parseRetryAfter, retryDelayMs } from './retry';
import {
	CREDENTIAL_TYPE,
	loadCredentialFacts,
	reauthenticate,
	requirePart,
	runSecretForms,
	runState,
	type Outcome,
} from './session';
import type { ApiContext, ApiRequest, FullResponse } from './types';
import { sendGetWithBody, withSignal } from '../n8nWorkarounds';

export { CREDENTIAL_TYPE };
export type { ApiContext, ApiRequest, Service } from './types';

export const DEFAULT_TIMEOUT_MS = 30_000;

/** What a request uses when it sets nothing itself. Mutable so that tests can use a short timeout. */
export const TRANSPORT_DEFAULTS = { timeoutMs: DEFAULT_TIMEOUT_MS };

/** Same-origin redirects a read follows before giving up. */
const MAX_REDIRECTS = 5;

function cancelSignal(context: ApiContext): AbortSignal | undefined {
	return 'getExecutionCancelSignal' in context ? context.getExecutionCancelSignal() : undefined;
}

async function waitBeforeRetry(
	signal: AbortSignal | undefined,
	delayMs: number,
	cancelled: () => Error,
): Promise<void> {
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

function partnerEnvelope(body: IDataObject): { ok: boolean; data: unknown; message?: string } {
	if ('success' in body) {
		const ok = body.success === true || body.success === 'true';
		return { ok, data: body.data, message: ok ? undefined : describePartnerMessage(body.message) };
	}
	return { ok: true, data: body };
}

function isJsonObject(body: unknown): body is IDataObject {
	return (
		typeof body === 'object' && body !== null && !Array.isArray(body) && !Buffer.isBuffer(body)
	);
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
	const timeoutMs = request.timeoutMs ?? TRANSPORT_DEFAULTS.timeoutMs;
	const normalized: ApiRequest = { ...request, idempotent, timeoutMs };
	const facts = await loadCredentialFacts(this, state);
	const errors = () => new ErrorFactory(this, normalized, () => runSecretForms(facts, state));
	// The credential may hold only the other API's part (or lack a URL): say so, send nothing.
	requirePart(this, facts, request.service, request.itemIndex);
	const credentialsDecrypted = facts.decrypted[request.service];
	const base =
		request.service === 'kapitale'
			? facts.endpoints.kapitaleBaseUrl
			: facts.endpoints.partnerBaseUrl;
	const qs: IDataObject = { ...(request.qs ?? {}) };
	if (request.service === 'partner' && facts.partnerHashId && qs.partnerHashId === undefined) {
		qs.partnerHashId = facts.partnerHashId;
	}
	const policy = { ...DEFAULT_RETRY_POLICY, ...(request.retry ?? {}) };
	const url = `${base}${request.path}`;
	const options: IHttpRequestOptions = {
		method: request.method,
		url,
		qs,
		json: !(request.body instanceof FormData),
		timeout: timeoutMs,
		returnFullResponse: true,
		// The answer as a stream, read here within the caps of answer.ts (n8n would buffer it whole).
		encoding: 'stream',
		// Redirects are answered here: same-origin ones of reads are followed, any other is
		// reported. The credential is never handed to another origin, not even by n8n.
		disableFollowRedirect: true,
		sendCredentialsOnCrossOriginRedirect: false,
	};
	if (request.body !== undefined) options.body = request.body;

	const refreshable = request.service === 'kapitale';
	if (refreshable && state.refused) throw errors().refused(state.refused, 0);
	// One token fetch at a time per run: the first Kapitale request leads the token step (with its
	// retries); the others wait for its verdict. When the step fails for good, they all fail with
	// its reason, instead of each starting another token fetch with its own deadline.
	let releaseGate: (() => void) | undefined;
	if (refreshable) {
		if (state.tokenGate) await state.tokenGate;
		else state.tokenGate = new Promise<void>((resolve) => (releaseGate = resolve));
		if (state.tokenFailure) throw errors().fromFailure(state.tokenFailure, 0);
	}

	const cancel = cancelSignal(this);
	const getWithBody =
		request.method === 'GET' && request.body !== undefined && !(request.body instanceof FormData);
	const send = async (target: IHttpRequestOptions, retryOn401: boolean): Promise<Outcome> => {
		const limit = attemptSignal(cancel, timeoutMs);
		const attempt = getWithBody
			? sendGetWithBody(this, target, request.itemIndex, limit.signal, credentialsDecrypted)
			: (this.helpers.httpRequestWithAuthentication.call(
					withSignal(this, limit.signal),
					CREDENTIAL_TYPE,
					{ ...target, abortSignal: limit.signal },
					{
						preAuthenticationRetryStatusCode: retryOn401 ? 401 : [],
						credentialsDecrypted,
					},
				) as Promise<FullResponse>);
		try {
			let response: FullResponse;
			try {
				response = await attempt;
			} catch (error) {
				const token = sentToken(error);
				if (token) state.seenTokens.add(token);
				await settleErrorBodies(error, limit.signal);
				return { failure: readFailure(error, limit.deadline) };
			}
			// The GET-with-body path answers every status (n8n's `simple: false`): a failure is ours to read.
			if (
				getWithBody &&
				response.statusCode !== undefined &&
				(response.statusCode < 200 || response.statusCode >= 300)
			) {
				const body = await readErrorAnswer(response.body, limit.signal);
				return { failure: { status: response.statusCode, headers: response.headers, body } };
			}
			try {
				const body = await readAnswer(response.body, response.headers, {
					maxBytes: ANSWER_LIMITS.maxBytes,
					signal: limit.signal,
				});
				return { response: { ...response, body } };
			} catch (error) {
				// Over a cap: the same request would get the same answer, so it is not retried.
				if (isAnswerLimitError(error)) return { failure: { limit: error } };
				if (limit.deadline.aborted) return { failure: { code: 'ETIMEDOUT' } };
				if (cancel?.aborted) return { failure: { code: 'ERR_CANCELED' } };
				return { failure: { code: 'ERR_BAD_RESPONSE_BODY' } };
			}
		} finally {
			limit.release();
		}
	};

	try {
		return await sendWithRetries();
	} finally {
		releaseGate?.();
	}

	async function sendWithRetries(): Promise<T> {
		let attempts = 0;
		let redirects = 0;
		let target = options;
		for (;;) {
			if (cancel?.aborted) throw errors().cancelled();
			if (refreshable && state.tokenFailure)
				throw errors().fromFailure(state.tokenFailure, attempts);
			attempts++;
			const generation = state.tokenGeneration;
			let outcome = await send(target, false);
			// Past the token step: the token is good, the requests waiting for it may go.
			if (!outcome.failure?.token) {
				releaseGate?.();
				releaseGate = undefined;
			}
			if (outcome.failure?.status === 401 && refreshable && !outcome.failure.token) {
				// Only the renewal itself decides "refused too" (session.ts): a request that merely
				// waited for a renewal that failed for another reason (a 429, a reset) must not.
				outcome = await reauthenticate(
					state,
					generation,
					() => send(target, true),
					() => send(target, false),
				);
			}
			// n8n aborts requests in flight when the execution is cancelled: say so, not "connection broke".
			if (outcome.failure && cancel?.aborted) throw errors().cancelled();
			const { failure } = outcome;
			if (!failure) return unwrap<T>(outcome.response, request, errors);
			if (!failure.token && failure.status && failure.status >= 300 && failure.status < 400) {
				const location = failure.headers?.location;
				const next = resolveLocation(location, String(target.url));
				if (
					next &&
					request.method === 'GET' &&
					sameOrigin(next, url) &&
					redirects < MAX_REDIRECTS
				) {
					redirects++;
					attempts--;
					target = { ...target, url: next, qs: {} };
					continue;
				}
				throw errors().redirect(failure.status, next ?? 'an address it did not give');
			}
			if (failure === state.refused) throw errors().refused(failure, attempts);
			// Still refused with a token no renewal has replaced (the renewal this request waited for
			// failed on the way): try again, which renews the token if it is still refused.
			if (
				failure.status === 401 &&
				refreshable &&
				!failure.token &&
				!state.refused &&
				attempts <= policy.maxRetries
			)
				continue;
			const retry =
				failure.status !== 401 &&
				isRetryable(failure, idempotent || failure.token !== undefined) &&
				attempts <= policy.maxRetries &&
				// A token fetch that used its whole deadline is not started again in this run.
				!(failure.token && failure.code === 'ETIMEDOUT');
			if (failure.token && !retry) state.tokenFailure = failure;
			if (retry) {
				const retryAfter = parseRetryAfter(failure.headers?.['retry-after']);
				// A wait longer than the policy's longest is not slept through (an hour-long 429 would
				// hold the whole run): the item fails now and says when the API takes requests again.
				if (retryAfter !== undefined && retryAfter > policy.maxRetryAfterMs)
					throw errors().retryAfterTooLong(failure, retryAfter, attempts);
				await waitBeforeRetry(cancel, retryDelayMs(attempts - 1, policy, retryAfter), () =>
					errors().cancelled(),
				);
				continue;
			}
			throw errors().fromFailure(failure, attempts);
		}
	}
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
