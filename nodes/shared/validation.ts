import type { IExecuteFunctions, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { z } from 'zod';

import {
	InputError,
	normalizeCep,
	normalizeCnpj,
	normalizeCpf,
	normalizePhone,
	normalizeTaxId,
	parseMoney,
	parsePositiveInteger,
	toBrazilianDate,
	toIsoDate,
	toText,
	type PhoneKind,
} from './brazil';
import { clipText } from './redaction';

/** Wraps a throwing normalizer as a zod schema so schemas compose (optional, arrays, objects). */
function fromNormalizer<T>(normalize: (value: unknown) => T) {
	return z.unknown().transform((value, context): T => {
		try {
			return normalize(value);
		} catch (error) {
			context.addIssue({ code: z.ZodIssueCode.custom, message: (error as Error).message });
			return z.NEVER;
		}
	});
}

// One schema per time zone, built once: validation runs for every item.
const isoDateSchemas = new Map<string, ReturnType<typeof fromNormalizer<string>>>();
const brazilianDateSchemas = new Map<string, ReturnType<typeof fromNormalizer<string>>>();
function perZone(cache: Map<string, ReturnType<typeof fromNormalizer<string>>>, zone: string, normalize: (value: unknown) => string) {
	let schema = cache.get(zone);
	if (!schema) cache.set(zone, (schema = fromNormalizer(normalize)));
	return schema;
}

export const schemas = {
	cnpj: fromNormalizer(normalizeCnpj),
	cpf: fromNormalizer(normalizeCpf),
	taxId: fromNormalizer(normalizeTaxId),
	cep: fromNormalizer(normalizeCep),
	phone: (kind: PhoneKind = 'any') => fromNormalizer((value) => normalizePhone(value, kind)),
	/** `zone`: the instance's time zone (context.getTimezone()), used to read a JS Date as a day. */
	isoDate: (zone: string) => perZone(isoDateSchemas, zone, (value) => toIsoDate(value, { zone })),
	brazilianDate: (zone: string) => perZone(brazilianDateSchemas, zone, (value) => toBrazilianDate(value, { zone })),
	money: fromNormalizer(parseMoney),
	positiveMoney: (minimumExclusive = 0) =>
		fromNormalizer((value) => {
			const amount = parseMoney(value);
			if (amount <= minimumExclusive) {
				throw new InputError(`${JSON.stringify(value)} must be greater than ${minimumExclusive}`);
			}
			return amount;
		}),
	positiveInteger: fromNormalizer(parsePositiveInteger),
	email: fromNormalizer((value) => {
		const text = toText(value);
		if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text)) throw new InputError(`"${text}" is not an email address`);
		return text.toLowerCase();
	}),
	httpsUrl: fromNormalizer((value) => {
		const text = toText(value);
		const url = URL.canParse(text) ? new URL(text) : undefined;
		if (!url) throw new InputError(`"${text}" is not a URL`);
		if (url.protocol !== 'https:') throw new InputError(`"${text}" must be an https:// URL`);
		return url.toString();
	}),
	requiredText: (maxLength = 255) =>
		fromNormalizer((value) => {
			const text = toText(value);
			if (!text) throw new InputError('is required');
			if (text.length > maxLength) throw new InputError(`is too long: ${text.length} characters, at most ${maxLength}`);
			return text;
		}),
};

export interface FieldRef {
	/** The label the user sees in the node. */
	label: string;
	/** The API's own field name, when it differs. */
	apiField?: string;
}

export function fieldError(node: INode, itemIndex: number, field: FieldRef, detail: string): NodeOperationError {
	const apiPart = field.apiField ? ` (API field ${field.apiField})` : '';
	return new NodeOperationError(node, `Item ${itemIndex}, field "${field.label}": ${clipText(detail)}`, {
		itemIndex,
		description: `The value of "${field.label}"${apiPart} in item ${itemIndex} was refused; nothing was created or changed.`,
	});
}

/** Validates one value against a schema; an invalid value becomes a NodeOperationError naming item and field. */
export function validateField<S extends z.ZodTypeAny>(
	node: INode,
	itemIndex: number,
	field: FieldRef,
	schema: S,
	value: unknown,
): z.output<S> {
	const result = schema.safeParse(value);
	if (result.success) return result.data;
	const issue = result.error.issues[0];
	const where = issue.path.length ? ` at ${issue.path.join('.')}` : '';
	const message = issue.code === 'custom' ? issue.message : `${issue.message}`;
	throw fieldError(node, itemIndex, field, `${message}${where}`.replace(/^is /, 'is '));
}

/** Reads a node parameter and validates it in one step. */
export function readParameter<S extends z.ZodTypeAny>(
	context: IExecuteFunctions,
	itemIndex: number,
	name: string,
	field: FieldRef,
	schema: S,
	fallback?: unknown,
): z.output<S> {
	const value = context.getNodeParameter(name, itemIndex, fallback) as unknown;
	return validateField(context.getNode(), itemIndex, field, schema, value);
}

/** Parses a JSON parameter that may arrive as a string or as an already-parsed value. */
export function parseJsonField(node: INode, itemIndex: number, field: FieldRef, value: unknown): unknown {
	if (typeof value !== 'string') return value;
	const text = value.trim();
	if (!text) return undefined;
	try {
		return JSON.parse(text);
	} catch (error) {
		throw fieldError(node, itemIndex, field, `is not valid JSON (${(error as Error).message})`);
	}
}
