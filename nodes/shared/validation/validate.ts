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
import { readNodeParameter } from '../execution/parameters';
import { clipText } from '../transport/redaction';

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

type NormalizerSchema<T> = ReturnType<typeof fromNormalizer<T>>;

/**
 * A schema factory that builds each variant once (per time zone, length, kind…): parameters are
 * validated for every item, and building a zod schema costs more than running it.
 */
function once<A extends string | number, T>(
	build: (arg: A) => NormalizerSchema<T>,
): (arg: A) => NormalizerSchema<T> {
	const built = new Map<A, NormalizerSchema<T>>();
	return (arg: A) => {
		let schema = built.get(arg);
		if (!schema) built.set(arg, (schema = build(arg)));
		return schema;
	};
}

const phoneSchema = once((kind: PhoneKind) =>
	fromNormalizer((value) => normalizePhone(value, kind)),
);
const isoDateSchema = once((zone: string) => fromNormalizer((value) => toIsoDate(value, { zone })));
const brazilianDateSchema = once((zone: string) =>
	fromNormalizer((value) => toBrazilianDate(value, { zone })),
);
const positiveMoneySchema = once((minimumExclusive: number) =>
	fromNormalizer((value) => {
		const amount = parseMoney(value);
		if (amount <= minimumExclusive) {
			throw new InputError(`${JSON.stringify(value)} must be greater than ${minimumExclusive}`);
		}
		return amount;
	}),
);
const requiredTextSchema = once((maxLength: number) =>
	fromNormalizer((value) => {
		const text = toText(value);
		if (!text) throw new InputError('is required');
		if (text.length > maxLength)
			throw new InputError(`is too long: ${text.length} characters, at most ${maxLength}`);
		return text;
	}),
);

export const schemas = {
	cnpj: fromNormalizer(normalizeCnpj),
	cpf: fromNormalizer(normalizeCpf),
	taxId: fromNormalizer(normalizeTaxId),
	cep: fromNormalizer(normalizeCep),
	phone: (kind: PhoneKind = 'any') => phoneSchema(kind),
	/** `zone`: the instance's time zone (context.getTimezone()), used to read a JS Date as a day. */
	isoDate: (zone: string) => isoDateSchema(zone),
	brazilianDate: (zone: string) => brazilianDateSchema(zone),
	money: fromNormalizer(parseMoney),
	positiveMoney: (minimumExclusive = 0) => positiveMoneySchema(minimumExclusive),
	positiveInteger: fromNormalizer(parsePositiveInteger),
	email: fromNormalizer((value) => {
		const text = toText(value);
		if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text))
			throw new InputError(`"${text}" is not an email address`);
		return text.toLowerCase();
	}),
	httpsUrl: fromNormalizer((value) => {
		const text = toText(value);
		const url = URL.canParse(text) ? new URL(text) : undefined;
		if (!url) throw new InputError(`"${text}" is not a URL`);
		if (url.protocol !== 'https:') throw new InputError(`"${text}" must be an https:// URL`);
		return url.toString();
	}),
	requiredText: (maxLength = 255) => requiredTextSchema(maxLength),
};

export interface FieldRef {
	/** The label the user sees in the node. */
	label: string;
	/** The API's own field name, when it differs. */
	apiField?: string;
}

export function fieldError(
	node: INode,
	itemIndex: number,
	field: FieldRef,
	detail: string,
): NodeOperationError {
	const apiPart = field.apiField ? ` (API field ${field.apiField})` : '';
	return new NodeOperationError(
		node,
		`Item ${itemIndex}, field "${field.label}": ${clipText(detail)}`,
		{
			itemIndex,
			description: `The value of "${field.label}"${apiPart} in item ${itemIndex} was refused; nothing was created or changed.`,
		},
	);
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
	throw issueError(node, itemIndex, field, result.error);
}

function issueError(
	node: INode,
	itemIndex: number,
	field: FieldRef,
	error: z.ZodError,
): NodeOperationError {
	const issue = error.issues[0];
	const where = issue.path.length ? ` at ${issue.path.join('.')}` : '';
	return fieldError(node, itemIndex, field, `${issue.message}${where}`);
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
	const result = schema.safeParse(readNodeParameter(context, name, itemIndex, fallback));
	if (result.success) return result.data;
	// getNode() copies the whole node: only an error needs it.
	throw issueError(context.getNode(), itemIndex, field, result.error);
}

/** Parses a JSON parameter that may arrive as a string or as an already-parsed value. */
export function parseJsonField(
	node: INode,
	itemIndex: number,
	field: FieldRef,
	value: unknown,
): unknown {
	if (typeof value !== 'string') return value;
	const text = value.trim();
	if (!text) return undefined;
	try {
		return JSON.parse(text);
	} catch (error) {
		throw fieldError(node, itemIndex, field, `is not valid JSON (${(error as Error).message})`);
	}
}
