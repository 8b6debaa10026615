import type {
	IExecuteFunctions,
	INodeParameterResourceLocator,
	NodeParameterValueType,
} from 'n8n-workflow';

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

function isPlainRecord(value: unknown): value is Record<string, unknown> {
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
function isPlainValue(value: unknown): value is Primitive {
	return (
		typeof value === 'number' ||
		typeof value === 'boolean' ||
		(typeof value === 'string' && !value.startsWith('='))
	);
}

/** The item's value for a mapping expression, or undefined when n8n has to answer. */
function mappedValue(context: IExecuteFunctions, raw: unknown, itemIndex: number): unknown {
	if (typeof raw !== 'string') return undefined;
	const path = jsonFieldPath(raw);
	return path ? valueAt(context.getInputData()[itemIndex]?.json, path) : undefined;
}

/** getNodeParameter(name, itemIndex, fallback) for this package's nodes. */
export function readNodeParameter(
	context: IExecuteFunctions,
	name: string,
	itemIndex: number,
	fallback?: unknown,
): NodeParameterValueType | object {
	const raw = context.getNodeParameter(name, itemIndex, fallback, { rawExpressions: true });
	if (isPlainValue(raw)) return raw;
	const mapped = mappedValue(context, raw, itemIndex);
	if (mapped !== undefined) return mapped as NodeParameterValueType | object;
	return context.getNodeParameter(name, itemIndex, fallback, { skipValidation: true });
}

/**
 * A resource locator as { mode, value } (value trimmed), whatever shape it arrives in: a locator
 * object, or a plain value from a workflow saved before the parameter was one. The value is the
 * one n8n's `extractValue` gives for modes without their own extraction (From List, By ID); this
 * package has no other kind.
 */
export function readLocator(
	context: IExecuteFunctions,
	itemIndex: number,
	name: string,
): { mode: string; value: string } {
	let raw = context.getNodeParameter(name, itemIndex, '', { rawExpressions: true }) as
		| INodeParameterResourceLocator
		| unknown;
	if (isPlainRecord(raw) && raw.__rl === true) {
		const value = isPlainValue(raw.value) ? raw.value : mappedValue(context, raw.value, itemIndex);
		if (value !== undefined && typeof value !== 'object')
			return { mode: String(raw.mode ?? 'id'), value: String(value).trim() };
	}
	if (!isPlainValue(raw))
		raw = context.getNodeParameter(name, itemIndex, '', { skipValidation: true });
	if (isPlainRecord(raw))
		return { mode: String(raw.mode ?? 'id'), value: String(raw.value ?? '').trim() };
	return { mode: 'id', value: String(raw ?? '').trim() };
}
