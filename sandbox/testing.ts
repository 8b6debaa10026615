/** Helpers for tests that talk to a running sandbox over real HTTP (also usable by other test suites). */
import * as http from 'http';
import type { RunningSandbox } from './index';

export const ALL_SCOPES =
	'partner-can/cnpj.read partner-can/orders.create partner-can/orders.read partner-can/orders.sentnf partner-can/receivable.read';

export interface RawResponse {
	status: number;
	headers: http.IncomingHttpHeaders;
	text: string;
	json: any;
}

/** Plain http request (allows a body on GET, which fetch refuses). */
export function rawRequest(
	url: string,
	opts: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<RawResponse> {
	return new Promise((resolve, reject) => {
		const body =
			opts.body === undefined
				? undefined
				: Buffer.isBuffer(opts.body)
					? opts.body
					: Buffer.from(opts.body);
		const headers = { ...(opts.headers ?? {}) };
		if (body) headers['Content-Length'] = String(body.length);
		const req = http.request(
			url,
			{ method: opts.method ?? 'GET', headers, agent: false },
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c) => chunks.push(c));
				res.on('end', () => {
					const text = Buffer.concat(chunks).toString('utf8');
					let json: any;
					try {
						json = text ? JSON.parse(text) : undefined;
					} catch {
						json = undefined;
					}
					resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
				});
				res.on('error', reject);
			},
		);
		req.on('error', reject);
		req.end(body);
	});
}

export async function getToken(sb: RunningSandbox, scope = ALL_SCOPES): Promise<string> {
	const r = await fetch(sb.tokenUrl, {
		method: 'POST',
		headers: {
			'Content-Type': 'application/x-www-form-urlencoded',
			Authorization:
				'Basic ' +
				Buffer.from(`${sb.credentials.clientId}:${sb.credentials.clientSecret}`).toString('base64'),
		},
		body: new URLSearchParams({ grant_type: 'client_credentials', scope }).toString(),
	});
	if (r.status !== 200) throw new Error(`token: ${r.status} ${await r.text()}`);
	return ((await r.json()) as { access_token: string }).access_token;
}

/** Kapitale call: JSON in, {status, json} out. */
export async function kapitale(
	sb: RunningSandbox,
	token: string,
	method: string,
	path: string,
	body?: unknown,
): Promise<{ status: number; json: any; headers: Headers }> {
	const r = await fetch(sb.kapitaleBaseUrl + path, {
		method,
		headers: {
			Authorization: `Bearer ${token}`,
			...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
		},
		body: body !== undefined ? JSON.stringify(body) : undefined,
	});
	const text = await r.text();
	return { status: r.status, json: text ? JSON.parse(text) : undefined, headers: r.headers };
}

/** Partner call (uses raw http so GET may carry a JSON body). */
export async function partner(
	sb: RunningSandbox,
	method: string,
	path: string,
	body?: unknown,
	token?: string,
): Promise<RawResponse> {
	return rawRequest(sb.partnerBaseUrl + path, {
		method,
		headers: {
			Authorization: `Bearer ${token ?? sb.credentials.bearerToken}`,
			...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
		},
		body: body !== undefined ? JSON.stringify(body) : undefined,
	});
}

export async function control(
	sb: RunningSandbox,
	method: string,
	path: string,
	body?: unknown,
): Promise<{ status: number; json: any }> {
	const r = await fetch(sb.controlUrl + path, {
		method,
		headers: body !== undefined ? { 'Content-Type': 'application/json' } : {},
		body: body !== undefined ? JSON.stringify(body) : undefined,
	});
	const text = await r.text();
	return { status: r.status, json: text ? JSON.parse(text) : undefined };
}

/** Builds a multipart/form-data body by hand (fields + files). */
export function multipartBody(
	parts: Array<{
		name: string;
		value?: string;
		filename?: string;
		contentType?: string;
		data?: Buffer;
	}>,
): { body: Buffer; contentType: string } {
	const boundary = '----sandboxBoundary' + Math.random().toString(16).slice(2);
	const chunks: Buffer[] = [];
	for (const p of parts) {
		let head = `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"`;
		if (p.filename !== undefined) head += `; filename="${p.filename}"`;
		head += '\r\n';
		if (p.contentType) head += `Content-Type: ${p.contentType}\r\n`;
		head += '\r\n';
		chunks.push(Buffer.from(head), p.data ?? Buffer.from(p.value ?? ''), Buffer.from('\r\n'));
	}
	chunks.push(Buffer.from(`--${boundary}--\r\n`));
	return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

export const TINY_PDF = Buffer.from(
	'%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 72 72]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
	'latin1',
);
export const TINY_PNG = Buffer.from(
	'89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082',
	'hex',
);
