/** Internal request/response shapes shared by the route modules. */
import type { IncomingHttpHeaders } from 'http';

export type Service = 'token' | 'kapitale' | 'partner';

export interface SbRequest {
	method: string;
	/** path relative to the service base (e.g. '/order/123'), without the query string */
	path: string;
	query: Record<string, string>;
	headers: IncomingHttpHeaders;
	body: Buffer;
}

export interface SbResponse {
	status: number;
	headers?: Record<string, string>;
	body?: unknown; // object → JSON; Buffer/string → as is
}

export function json(status: number, body: unknown, headers?: Record<string, string>): SbResponse {
	return { status, body, headers };
}

/** Parses the request body as JSON. Returns undefined for an empty body; throws on invalid JSON. */
export function parseJsonBody(req: SbRequest): any {
	if (!req.body.length) return undefined;
	const text = req.body.toString('utf8').trim();
	if (!text) return undefined;
	return JSON.parse(text);
}
