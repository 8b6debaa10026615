/** Loopback servers that misbehave on purpose, for the transport's security and honesty tests. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';

import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { Engine } from '../harness/engine';

export interface Seen {
	method: string;
	path: string;
	authorization?: string;
	body: string;
	/** The client went away before the answer was complete. */
	abandoned?: boolean;
}

export type Handler = (request: Seen, response: http.ServerResponse) => void;

export interface Hostile {
	url: string;
	seen: Seen[];
	/** The handler answering every request; tests replace it. */
	handle: Handler;
	close(): Promise<void>;
}

export function sendJson(
	response: http.ServerResponse,
	status: number,
	body: unknown,
	headers: Record<string, string> = {},
): void {
	response.writeHead(status, { 'content-type': 'application/json', ...headers });
	response.end(JSON.stringify(body));
}

export async function startHostile(): Promise<Hostile> {
	const state: Hostile = {
		url: '',
		seen: [],
		handle: (_request, response) => sendJson(response, 404, { message: 'no handler' }),
		close: async () => undefined,
	};
	const server = http.createServer((request, response) => {
		let body = '';
		request.on('data', (chunk) => (body += chunk));
		request.on('end', () => {
			const seen: Seen = {
				method: request.method ?? '',
				path: request.url ?? '',
				authorization: request.headers.authorization,
				body,
			};
			state.seen.push(seen);
			response.on('close', () => {
				if (!response.writableFinished) seen.abandoned = true;
			});
			state.handle(seen, response);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	state.close = () =>
		new Promise((resolve) => {
			server.closeAllConnections();
			server.close(() => resolve());
		});
	return state;
}

/**
 * A gzip bomb: about 1 MB on the wire that inflates to 1 GiB of spaces (gzip members may be
 * concatenated: 1,024 copies of 1 MiB, compressed), written as the client reads it.
 */
export function gzipBombAnswer(): Handler {
	const member = gzipSync(Buffer.alloc(1024 * 1024, 0x20), { level: 9 });
	return (_request, response) => {
		response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
		let copies = 0;
		const pump = () => {
			while (copies < 1024) {
				copies++;
				if (!response.write(member)) return void response.once('drain', pump);
			}
			response.end();
		};
		pump();
	};
}

/** An OAuth2 token answer the Kapitale credential accepts. */
export function tokenAnswer(response: http.ServerResponse, token: string): void {
	sendJson(response, 200, { access_token: token, token_type: 'Bearer', expires_in: 3600 });
}

/** The Kapitale credential (OAuth2 client credentials, Custom environment) pointing at `api`. */
export function clientCredentialsAt(
	api: Hostile,
	clientId: string,
	clientSecret: string,
	overrides: ICredentialDataDecryptedObject = {},
): ICredentialDataDecryptedObject {
	return {
		environment: 'custom',
		clientId,
		clientSecret,
		tokenUrl: `${api.url}/oauth2/token`,
		kapitaleBaseUrl: `${api.url}/kapitale`,
		partnerBaseUrl: `${api.url}/partner`,
		...overrides,
	};
}

/** The partner credential (static bearer token, Custom environment) pointing at `api`. */
export function bearerAt(
	api: Hostile,
	bearerToken: string,
	overrides: ICredentialDataDecryptedObject = {},
): ICredentialDataDecryptedObject {
	return {
		environment: 'custom',
		bearerToken,
		partnerBaseUrl: `${api.url}/partner`,
		...overrides,
	};
}

/** A harness engine whose nodes all use `credential`. */
export function engineWith(credential: ICredentialDataDecryptedObject): Engine {
	return new Engine({ credentials: { kapitale: credential } });
}
