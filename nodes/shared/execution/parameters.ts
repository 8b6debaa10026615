import type {
	IExecuteFunctions,
	INodeParameterResourceLocator,
	NodeParameterValueType,
} from 'n8n-workflow';

import { isPlainRecord, isPlainValue, mappedValue } from '../n8nWorkarounds';

/**
 * Per-item parameter reads for this package's nodes: n8n's getNodeParameter, with a mapped
 * `{{ $json.field }}` read without n8n's expression engine (see n8nWorkarounds.ts, workaround 1).
 */

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
