import type { IDataObject } from 'n8n-workflow';

import type { RequestHeaders } from './auth';
import { headerValue } from './auth';

export const DEFAULT_MAX_BODY_KB = 1024;
export const ALL_EVENTS = '*';
export const KNOWN_EVENTS = ['order.created', 'order.approved', 'order.rejected'] as const;
/** A Kapitale delivery is 3–4 levels deep; anything near this limit is not one. */
export const MAX_DEPTH = 32;
const MAX_ID_LENGTH = 200;

export interface KapitaleDelivery extends IDataObject {
	event_type: string;
	destination_id?: string;
	data?: IDataObject;
}

/** A request that must be answered without starting the workflow. */
export class Rejection {
	constructor(
		readonly status: number,
		readonly error: string,
	) {}
}

/** Declared size first (cheap), then the bytes actually received. */
export function checkSize(
	headers: RequestHeaders,
	rawBody: unknown,
	maxBytes: number,
): Rejection | undefined {
	const declared = Number(headerValue(headers, 'content-length'));
	if (Number.isFinite(declared) && declared > maxBytes) {
		return new Rejection(413, `Payload too large (limit ${maxBytes} bytes)`);
	}
	if (isBytes(rawBody) && rawBody.length > maxBytes) {
		return new Rejection(413, `Payload too large (limit ${maxBytes} bytes)`);
	}
	return undefined;
}

export function isBytes(value: unknown): value is Buffer {
	return Buffer.isBuffer(value);
}

/**
 * Deepest nesting of `[`/`{` outside strings, scanned without recursion and without parsing, so
 * a hostile body costs one pass over its bytes. Stops as soon as the limit is passed.
 */
export function textDepthExceeds(text: string, max: number): boolean {
	let depth = 0;
	let inString = false;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (inString) {
			if (c === 0x5c)
				i++; // backslash: skip the escaped character
			else if (c === 0x22) inString = false;
		} else if (c === 0x22) inString = true;
		else if (c === 0x7b || c === 0x5b) {
			if (++depth > max) return true;
		} else if (c === 0x7d || c === 0x5d) depth--;
	}
	return false;
}

/** The same limit for a body n8n already parsed (iterative, visits each value once). */
export function valueDepthExceeds(value: unknown, max: number): boolean {
	const stack: Array<[unknown, number]> = [[value, 1]];
	while (stack.length) {
		const [current, depth] = stack.pop()!;
		if (!current || typeof current !== 'object') continue;
		if (depth > max) return true;
		for (const child of Object.values(current as object)) {
			if (child && typeof child === 'object') stack.push([child, depth + 1]);
		}
	}
	return false;
}

const TOO_DEEP = new Rejection(400, `Body is nested more than ${MAX_DEPTH} levels deep`);

/**
 * Reads the delivery from the request. n8n has usually parsed JSON into `body` and kept the
 * bytes in `rawBody`; the raw bytes win because they are what was sent, whatever the
 * Content-Type said. Depth and the byte-order mark are checked on the bytes, before parsing.
 */
export function parseDelivery(rawBody: unknown, parsedBody: unknown): KapitaleDelivery | Rejection {
	let body: unknown = parsedBody;
	let text: string | undefined;
	if (isBytes(rawBody) && rawBody.length > 0) {
		if (rawBody[0] === 0xef && rawBody[1] === 0xbb && rawBody[2] === 0xbf) {
			return new Rejection(400, 'Body starts with a byte-order mark; send plain UTF-8 JSON');
		}
		text = rawBody.toString('utf8');
	} else if (typeof parsedBody === 'string') text = parsedBody;

	if (text !== undefined) {
		if (text.charCodeAt(0) === 0xfeff)
			return new Rejection(400, 'Body starts with a byte-order mark; send plain UTF-8 JSON');
		if (!text.trim()) return new Rejection(400, 'Body must be a JSON object');
		if (textDepthExceeds(text, MAX_DEPTH)) return TOO_DEEP;
		try {
			body = JSON.parse(text) as unknown;
		} catch {
			return new Rejection(400, 'Body is not valid JSON');
		}
	} else if (valueDepthExceeds(body, MAX_DEPTH)) return TOO_DEEP;

	if (!body || typeof body !== 'object' || Array.isArray(body)) {
		return new Rejection(400, 'Body must be a JSON object');
	}
	const delivery = body as IDataObject;
	if (
		typeof delivery.event_type !== 'string' ||
		!delivery.event_type.trim() ||
		delivery.event_type.length > MAX_ID_LENGTH
	) {
		return new Rejection(400, 'Body must have an "event_type" string');
	}
	if (
		delivery.destination_id !== undefined &&
		delivery.destination_id !== null &&
		typeof delivery.destination_id !== 'string'
	) {
		return new Rejection(400, '"destination_id" must be a string');
	}
	if (
		delivery.data !== undefined &&
		delivery.data !== null &&
		(typeof delivery.data !== 'object' || Array.isArray(delivery.data))
	) {
		return new Rejection(400, '"data" must be a JSON object');
	}
	const data = (delivery.data ?? {}) as IDataObject;
	if (
		data.order_id !== undefined &&
		data.order_id !== null &&
		identifier(data.order_id) === undefined
	) {
		return new Rejection(400, '"data.order_id" must be a non-empty string or a number');
	}
	if (data.status !== undefined && data.status !== null && identifier(data.status) === undefined) {
		return new Rejection(400, '"data.status" must be a string or a number');
	}
	return delivery as KapitaleDelivery;
}

/**
 * An id as a type-tagged string: a non-empty string up to 200 characters or a finite number.
 * Objects, arrays and booleans are not ids (String() would turn every object into the same
 * "[object Object]"). The tag keeps the string "42" and the number 42 apart.
 */
export function identifier(value: unknown): string | undefined {
	if (typeof value === 'string') {
		const trimmed = value.trim();
		return trimmed && trimmed.length <= MAX_ID_LENGTH ? `s:${trimmed}` : undefined;
	}
	if (typeof value === 'number' && Number.isFinite(value)) return `n:${value}`;
	return undefined;
}

/**
 * What makes two deliveries "the same": event type, destination, order id and order status.
 * Undefined when the delivery has no order id (it cannot be told apart from another one).
 */
export function deliveryIdentity(delivery: KapitaleDelivery): string[] | undefined {
	const data = (delivery.data ?? {}) as IDataObject;
	const orderId = identifier(data.order_id);
	if (!orderId) return undefined;
	return [
		delivery.event_type,
		delivery.destination_id ?? '',
		orderId,
		identifier(data.status) ?? '',
	];
}

export function eventSelected(eventType: string, selected: string[]): boolean {
	if (selected.length === 0 || selected.includes(ALL_EVENTS)) return true;
	return selected.includes(eventType);
}

/** Destination IDs as typed by the user: comma, space or newline separated; empty means any. */
export function parseDestinationIds(value: unknown): string[] {
	return String(value ?? '')
		.split(/[\s,;]+/)
		.map((id) => id.trim().toLowerCase())
		.filter(Boolean);
}

export function destinationSelected(destinationId: unknown, allowed: string[]): boolean {
	if (allowed.length === 0) return true;
	return typeof destinationId === 'string' && allowed.includes(destinationId.trim().toLowerCase());
}

const REDACTED = '[redacted]';

/** Request headers for the output item, without any secret the sender authenticated with. */
export function safeHeaders(headers: RequestHeaders, secretHeader?: string): IDataObject {
	const hidden = new Set(['authorization', 'proxy-authorization', 'cookie']);
	if (secretHeader) hidden.add(secretHeader.trim().toLowerCase());
	const out: IDataObject = {};
	for (const [name, value] of Object.entries(headers)) {
		if (value === undefined) continue;
		out[name] = hidden.has(name.toLowerCase()) ? REDACTED : value;
	}
	return out;
}

const RESERVED = new Set(['event_type', 'destination_id', 'received_at', 'headers']);

/**
 * The output item. By default the fields of `data` sit next to `event_type` and
 * `destination_id`; a data field whose name is taken keeps its value as `data_<name>`.
 * With `raw`, the body is kept as it was sent. `received_at` is always added.
 */
export function buildItem(
	delivery: KapitaleDelivery,
	opts: { raw: boolean; receivedAt: string; headers?: IDataObject },
): IDataObject {
	let item: IDataObject;
	if (opts.raw) {
		item = { ...delivery };
	} else {
		item = { event_type: delivery.event_type, destination_id: delivery.destination_id ?? null };
		for (const [key, value] of Object.entries(delivery.data ?? {})) {
			item[RESERVED.has(key) ? `data_${key}` : key] = value;
		}
	}
	item.received_at = opts.receivedAt;
	if (opts.headers) item.headers = opts.headers;
	return item;
}
