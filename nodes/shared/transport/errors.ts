/** The errors of the transport: every one is built, and cleaned, by ErrorFactory. */
import type { IDataObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { describePartnerMessage } from './partnerMessages';
import { cleanText } from './redaction';
import { formatSeconds, isTokenStepError } from './token';
import type { ApiContext, ApiRequest, FullResponse, HttpFailure } from './types';

export type { FullResponse, HttpFailure };

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
	if (record.message && typeof record.message === 'object')
		return describePartnerMessage(record.message);
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

const MAY_HAVE_BEEN_PROCESSED =
	'The request may or may not have been processed: check before sending it again.';

interface ErrorParts {
	message: string;
	details: string[];
	httpCode?: number;
}

/** Every error of the transport is built here, so every one is cleaned the same way. */
export class ErrorFactory {
	/**
	 * @param request with `idempotent` and `timeoutMs` resolved
	 * @param secretForms every form of every secret the run knows, asked for only when an error is built
	 */
	constructor(
		private readonly context: ApiContext,
		private readonly request: ApiRequest,
		private readonly secretForms: () => string[],
	) {}

	build({ message, details, httpCode }: ErrorParts): NodeApiError {
		const forms = this.secretForms();
		const cleanMessage = cleanText(message, forms);
		const description = cleanText(details.join(' '), forms);
		// No `code` here: n8n would replace the message by its generic text for that code
		// ("...You can retry the request immediately"), wrong advice for a write.
		const errorResponse: JsonObject = {
			message: cleanMessage,
			httpCode: httpCode ? String(httpCode) : null,
		};
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
			return this.build({
				message: failure.token.message,
				details,
				httpCode: failure.token.tokenStatus,
			});
		}
		if (failure.other !== undefined) {
			return this.build({
				message: `${this.where} could not be sent: ${failure.other}`,
				details: [],
			});
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
			message = `${this.label} did not answer within ${formatSeconds(request.timeoutMs ?? 0)}`;
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
		return this.build({
			message: `${this.label} redirected ${this.where} to ${target}: not followed`,
			details,
			httpCode: status,
		});
	}

	notJson(response: FullResponse): NodeApiError {
		const body = response.body;
		const shape = Array.isArray(body)
			? 'a JSON list'
			: typeof body === 'string'
				? body.trim().startsWith('<')
					? 'an HTML page'
					: 'text that is not JSON'
				: `a ${typeof body}`;
		const details = [`${this.where}: a JSON object was expected.`];
		if (!this.request.idempotent) details.push(MAY_HAVE_BEEN_PROCESSED);
		return this.build({
			message: `${this.label} answered HTTP ${response.statusCode ?? '2xx'} with ${shape} instead of its JSON answer`,
			details,
		});
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
		error.description =
			`${error.description ?? ''} A new token was already requested once in this run and was refused too: the remaining requests of this run are not sent.`.trim();
		return error;
	}

	cancelled(): NodeOperationError {
		return new NodeOperationError(this.context.getNode(), 'The execution was cancelled', {
			itemIndex: this.request.itemIndex,
			description: 'Requests in flight were aborted and no new request was sent.',
		});
	}
}

/* What failed, read from n8n's error by its structure (step, HTTP status, error code), never its text. */
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

/** Keeps n8n's own errors as they are and wraps anything else, so the UI shows node and item. */
export function ensureNodeError(
	node: INode,
	error: unknown,
	itemIndex?: number,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(node, error instanceof Error ? error : String(error), {
		itemIndex,
	});
}
