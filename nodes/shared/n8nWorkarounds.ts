/**
 * Every place where this package relies on how n8n 2.41 behaves inside, rather than on its
 * documented node API. Each has a one-line reason here and a test that fails when n8n changes:
 *
 * 1. Mapped fields without the expression engine (`mappedValue`): a parameter that is exactly
 *    `{{ $json.field }}` is read from the input item; n8n would spend 40–75 µs per field and item.
 *    Test: test/foundation/parameters.test.ts (same values and errors as getNodeParameter).
 * 2. GET with a JSON body (`sendGetWithBody`): n8n's httpRequest drops a GET's body; the request
 *    path behind requestWithAuthenticationPaginated sends it.
 *    Test: test/foundation/n8n-workarounds.test.ts (both halves probed in n8n-core).
 * 3. A deadline on authenticated requests (`withSignal`): n8n replaces a request's abortSignal with
 *    the execution's cancel signal, read from `this`; a view of the context supplies ours.
 *    Test: test/foundation/n8n-workarounds.test.ts.
 */
import type { ICredentialsDecrypted, IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';

import { CREDENTIAL_TYPE } from './transport/session';
import type { ApiContext, FullResponse } from './transport/types';

// ── 1. Mapped fields without the expression engine ─────────────────────────────────────────────

/**
 * Node parameters of one item, as n8n's getNodeParameter returns them, but without n8n's
 * expression engine for the expression that drag-and-drop mapping writes: `{{ $json.field }}`
 * (also `$json.a.b` and `$json["field name"]`). Its value is the input item's field, and n8n
 * spends 40–75 µs per field and item to find it (a new WorkflowDataProxy, time zone set-up, the
 * evaluator; more with the VM engine). Only a field that holds plain JSON data is read here
 * (text, finite numbers, booleans, and lists and objects of them, copied); anything else (a
 * missing or null field, a date or other object, any other expression) goes to n8n, so its
 * result and its errors are n8n's own.
 *
 * `skipValidation`: n8n checks a value against its parameter's `validateType`, searching the
 * node's whole description on every read; no parameter of this package declares one (a test
 * guards this), so the check can never change a value.
 */

type Primitive = string | number | boolean;

/** `={{ $json…path }}` and nothing else: text around the braces makes n8n build a string. */
const JSON_FIELD_EXPRESSION =
	/^=\{\{\s*\$json((?:\s*\.\s*[A-Za-z_$][\w$]*|\s*\[\s*(?:'[^'\\\n]*'|"[^"\\\n]*")\s*\])+)\s*\}\}$/;
const PATH_SEGMENT = /\.\s*([A-Za-z_$][\w$]*)|\[\s*(?:'([^'\\\n]*)'|"([^"\\\n]*)")\s*\]/g;

const parsedPaths = new Map<string, string[] | null>();

/** The field path of a mapping expression, or null when the value is anything else. */
function jsonFieldPath(raw: string): string[] | null {
	let path = parsedPaths.get(raw);
	if (path !== undefined) return path;
	const match = JSON_FIELD_EXPRESSION.exec(raw);
	path = match
		? Array.from(
				match[1].matchAll(PATH_SEGMENT),
				(segment) => segment[1] ?? segment[2] ?? segment[3],
			)
		: null;
	// Bounded: parameter values are few per workflow, but expressions typed by hand can be many.
	if (parsedPaths.size > 1000) parsedPaths.clear();
	parsedPaths.set(raw, path);
	return path;
}

/** Names n8n's expression sandbox guards; n8n answers for them, errors included. */
function isGuardedKey(key: string): boolean {
	return key.startsWith('__') || key === 'constructor' || key === 'prototype';
}

export function isPlainRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Limits of a list or object read without n8n: deeper or larger data goes to n8n. */
const MAX_COPY_DEPTH = 8;
const MAX_COPY_ENTRIES = 2000;

/**
 * A copy of plain JSON data (strings, finite numbers, booleans, null, arrays, plain objects), or
 * undefined for anything else (a date, a luxon DateTime, which n8n turns into text, a class
 * instance). A copy, so that nothing the node does can touch the input item.
 */
function plainJsonCopy(value: unknown, depth: number, budget: { left: number }): unknown {
	if (--budget.left < 0) return undefined;
	if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
	if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
	if (typeof value !== 'object' || depth >= MAX_COPY_DEPTH) return undefined;
	if (Array.isArray(value)) {
		const copy: unknown[] = [];
		for (const entry of value) {
			const copied = plainJsonCopy(entry, depth + 1, budget);
			if (copied === undefined) return undefined;
			copy.push(copied);
		}
		return copy;
	}
	if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null)
		return undefined;
	const copy: Record<string, unknown> = {};
	for (const [key, entry] of Object.entries(value)) {
		if (isGuardedKey(key)) return undefined;
		const copied = plainJsonCopy(entry, depth + 1, budget);
		if (copied === undefined) return undefined;
		copy[key] = copied;
	}
	return copy;
}

/** The value at `path` in the item's JSON, or undefined when n8n has to answer. */
function valueAt(json: unknown, path: readonly string[]): unknown {
	let value: unknown = json;
	for (const key of path) {
		if (
			isGuardedKey(key) ||
			!isPlainRecord(value) ||
			!Object.prototype.hasOwnProperty.call(value, key)
		)
			return undefined;
		value = value[key];
	}
	// A missing or null field is n8n's to answer (its fallback rules apply).
	if (value === null) return undefined;
	return plainJsonCopy(value, 0, { left: MAX_COPY_ENTRIES });
}

/** A value n8n returns as it is: not an expression (no leading "="), not a collection. */
export function isPlainValue(value: unknown): value is Primitive {
	return (
		typeof value === 'number' ||
		typeof value === 'boolean' ||
		(typeof value === 'string' && !value.startsWith('='))
	);
}

/** The item's value for a mapping expression, or undefined when n8n has to answer. */
export function mappedValue(context: IExecuteFunctions, raw: unknown, itemIndex: number): unknown {
	if (typeof raw !== 'string') return undefined;
	const path = jsonFieldPath(raw);
	return path ? valueAt(context.getInputData()[itemIndex]?.json, path) : undefined;
}

// ── 2. GET with a JSON body, and 3. a deadline on authenticated requests ────────────────────────

type LegacyRequestOptions = Parameters<
	IExecuteFunctions['helpers']['requestWithAuthenticationPaginated']
>[0];

/**
 * A GET with a JSON body (the partner's `GET /partner-customer/all` documents one). n8n 2.41's
 * httpRequest drops every GET body; its paginated helper, n8n's own undeprecated way to send a
 * request option set once per page, goes through the request path that sends it. One page, no
 * redirects, every status answered. That path takes no abort signal, so the deadline and the
 * cancel end the wait here; the connection is left to the idle `timeout` or the server.
 */
export async function sendGetWithBody(
	context: ApiContext,
	target: IHttpRequestOptions,
	itemIndex: number | undefined,
	signal: AbortSignal,
	credentialsDecrypted: ICredentialsDecrypted,
): Promise<FullResponse> {
	const options: LegacyRequestOptions = {
		method: 'GET',
		uri: target.url,
		qs: target.qs,
		body: target.body,
		json: true,
		timeout: target.timeout,
		// The answer as a stream, read within the caps of answer.ts.
		useStream: true,
		followRedirect: false,
		followAllRedirects: false,
		sendCredentialsOnCrossOriginRedirect: false,
	};
	const pages = context.helpers.requestWithAuthenticationPaginated.call(
		context,
		options,
		itemIndex ?? 0,
		// binaryResult: no hash of each page (it would throw on an empty body, and costs a JSON.stringify).
		{ continue: false, request: {}, maxRequests: 1, requestInterval: 0, binaryResult: true },
		CREDENTIAL_TYPE,
		{ credentialsDecrypted },
	) as Promise<FullResponse[]>;
	let onAbort: (() => void) | undefined;
	const aborted = new Promise<never>((_resolve, reject) => {
		onAbort = () =>
			reject(Object.assign(new Error('The request was aborted'), { code: 'ERR_CANCELED' }));
		if (signal.aborted) onAbort();
		else signal.addEventListener('abort', onAbort, { once: true });
	});
	try {
		const [page] = await Promise.race([pages, aborted]);
		return { body: page?.body, headers: page?.headers, statusCode: page?.statusCode };
	} finally {
		signal.removeEventListener('abort', onAbort!);
		pages.catch(() => undefined);
		aborted.catch(() => undefined);
	}
}

/**
 * n8n sets every authenticated request's abort signal to the execution's cancel signal. To
 * add the overall deadline, the request goes out from a view of the context whose cancel
 * signal is "cancelled or past the deadline"; everything else is the context itself.
 */
export function withSignal(context: ApiContext, signal: AbortSignal): ApiContext {
	if (!('getExecutionCancelSignal' in context)) return context;
	return Object.create(context, {
		getExecutionCancelSignal: { value: () => signal },
	}) as ApiContext;
}
