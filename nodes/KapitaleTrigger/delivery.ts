import type { IDataObject } from 'n8n-workflow';

import type { RequestHeaders } from './auth';
import { headerValue } from './auth';

export const DEFAULT_MAX_BODY_KB = 1024;
export const ALL_EVENTS = '*';
export const KNOWN_EVENTS = ['order.created', 'order.approved', 'order.rejected'] as const;

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
export function checkSize(headers: RequestHeaders, rawBody: unknown, maxBytes: number): Rejection | undefined {
	const declared = Number(headerValue(headers, 'content-length'));
	if (Number.isFinite(declared) && declared > maxBytes) {
		return new Rejection(413, `Payload too large (limit ${maxBytes} bytes)`);
	}
	if (isBytes(rawBody) && rawBody.length > maxBytes) {
		return new Rejection(413, `Payload too large (limit ${maxBytes} bytes)`);
	}
	return undefined;
}

function isBytes(value: unknown): value is Buffer {
	return Buffer.isBuffer(value);
}

/**
 * Reads the delivery from the request. n8n has usually parsed JSON into `body` and kept the
 * bytes in `rawBody`; the raw bytes win because they are what was sent, whatever the
 * Content-Type said. A body n8n could not turn into an object (text/plain, unknown types)
 * is parsed here.
 */
export function parseDelivery(rawBody: unknown, parsedBody: unknown): KapitaleDelivery | Rejection {
	let body: unknown = parsedBody;
	let text: string | undefined;
	if (isBytes(rawBody) && rawBody.length > 0) text = rawBody.toString('utf8');
	else if (typeof parsedBody === 'string') text = parsedBody;

	if (text !== undefined) {
		if (!text.trim()) return new Rejection(400, 'Body must be a JSON object');
		try {
			body = JSON.parse(text) as unknown;
		} catch {
			return new Rejection(400, 'Body is not valid JSON');
		}
	}

	if (!body || typeof body !== 'object' || Array.isArray(body)) {
		return new Rejection(400, 'Body must be a JSON object');
	}
	const delivery = body as IDataObject;
	if (typeof delivery.event_type !== 'string' || !delivery.event_type.trim()) {
		return new Rejection(400, 'Body must have an "event_type" string');
	}
	return delivery as KapitaleDelivery;
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
		const data = delivery.data;
		if (data && typeof data === 'object' && !Array.isArray(data)) {
			for (const [key, value] of Object.entries(data)) {
				item[RESERVED.has(key) ? `data_${key}` : key] = value;
			}
		} else if (data !== undefined) {
			item.data = data;
		}
	}
	item.received_at = opts.receivedAt;
	if (opts.headers) item.headers = opts.headers;
	return item;
}
