/**
 * Issue 20, Kapitale Trigger: an oversized delivery gets a short 413 from the node, without a
 * stack trace, without an execution and without the node reading past Max Body Size; ids the
 * API treats as UUIDs are compared without regard to letter case.
 *
 * The server below stands in for n8n 2.41's webhook path the way it treats a body it does not
 * parse (any Content-Type but JSON, form, text and XML): the request stream is left unread and
 * `req.readRawBody()` reads it whole up to N8N_PAYLOAD_SIZE_MAX (16 MiB), failing with status
 * 413 past it; a webhook() that throws is answered 500 with the error, as n8n does.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import type { IDataObject, INodeExecutionData, IWebhookFunctions } from 'n8n-workflow';

import { KapitaleOrderTrigger } from '../../nodes/Kapitale/KapitaleOrderTrigger/KapitaleOrderTrigger.node';
import { forgetClaims } from '../../nodes/Kapitale/KapitaleOrderTrigger/dedup';
import { credentialFromShorthand, delivery } from '../trigger/fake';
import { startReceiver, type Receiver } from '../trigger/receiver';

const TOKEN = 'bounds-trigger-token-0123456789';
const N8N_PAYLOAD_SIZE_MAX = 16 * 1024 * 1024;

interface Stand {
	url: string;
	executions: INodeExecutionData[][];
	/** Bytes of each request body read from the socket. */
	bytesRead: number[];
	close(): Promise<void>;
}

async function startStand(parameters: IDataObject): Promise<Stand> {
	const { parameters: nodeParameters, credential } = credentialFromShorthand(parameters);
	const node = new KapitaleOrderTrigger();
	const executions: INodeExecutionData[][] = [];
	const bytesRead: number[] = [];
	const server = http.createServer((req, res) => {
		let read = 0;
		req.on('data', (chunk: Buffer) => (read += chunk.length));
		// Counting only: a 'data' listener would start the flow, so the count listens through a spy.
		req.pause();
		const request = Object.assign(req, {
			readRawBody: async () => {
				const chunks: Buffer[] = [];
				let total = 0;
				for await (const chunk of req as AsyncIterable<Buffer>) {
					total += chunk.length;
					if (total > N8N_PAYLOAD_SIZE_MAX)
						throw Object.assign(new Error('request entity too large'), {
							status: 413,
							type: 'entity.too.large',
						});
					chunks.push(chunk);
				}
				(request as unknown as { rawBody: Buffer }).rawBody = Buffer.concat(chunks);
			},
		});
		const ctx = {
			getNodeParameter: (name: string, fallback?: unknown) =>
				name in nodeParameters ? nodeParameters[name] : fallback,
			getBodyData: () => ({}),
			getHeaderData: () => req.headers,
			getRequestObject: () => request,
			getResponseObject: () => res,
			getWorkflowStaticData: () => ({}),
			getNode: () => ({
				id: 'node-b',
				name: 'Kapitale Trigger',
				type: 'n8n-nodes-kapitale.kapitaleOrderTrigger',
				typeVersion: 2,
				parameters: nodeParameters,
			}),
			getCredentials: async () => {
				if (!credential) throw new Error('Node does not have any credentials set');
				return credential;
			},
			getWorkflow: () => ({ id: 'bounds', name: 'bounds', active: true }),
			getMode: () => 'webhook',
			helpers: {
				returnJsonArray: (json: IDataObject) => [{ json }],
			},
		} as unknown as IWebhookFunctions;
		node.webhook
			.call(ctx)
			.then((result) => {
				if (result.workflowData) executions.push(result.workflowData[0]);
			})
			.catch((error: Error) => {
				res.writeHead(500, { 'content-type': 'text/plain' });
				res.end(error.stack);
			})
			.finally(() => res.once('finish', () => bytesRead.push(read)));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook/k`,
		executions,
		bytesRead,
		close: () =>
			new Promise((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

/** POSTs `size` bytes in 64 KB chunks without a Content-Length (chunked), as a sender streaming it. */
async function postChunked(
	url: string,
	size: number,
	contentType: string,
): Promise<{ status: number; body: string }> {
	const target = new URL(url);
	return await new Promise((resolve, reject) => {
		const request = http.request(
			{
				host: target.hostname,
				port: target.port,
				path: target.pathname,
				method: 'POST',
				headers: { 'content-type': contentType, authorization: `Bearer ${TOKEN}` },
			},
			(response) => {
				let body = '';
				response.on('data', (chunk) => (body += chunk));
				response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
			},
		);
		request.on('error', reject);
		const chunk = Buffer.alloc(64 * 1024, 0x20);
		let sent = 0;
		const pump = () => {
			while (sent < size) {
				sent += chunk.length;
				if (!request.write(chunk)) return void request.once('drain', pump);
			}
			request.end();
		};
		request.write('{"event_type":"order.approved","pad":"');
		pump();
	});
}

describe('Kapitale Trigger: oversized deliveries', () => {
	let stand: Stand;
	beforeAll(async () => {
		stand = await startStand({
			authentication: 'bearer',
			bearerToken: TOKEN,
			deduplicate: false,
			options: { maxBodyKb: 1024 },
		});
	});
	afterAll(async () => await stand.close());

	it.each([
		['20 MB (past n8n’s own 16 MiB reader)', 20 * 1024 * 1024],
		['2 MB (past Max Body Size only)', 2 * 1024 * 1024],
	])(
		'%s, streamed without Content-Length, valid secret: a short 413, no execution, the read stops near the limit',
		async (_label, size) => {
			const before = stand.executions.length;
			const answer = await postChunked(stand.url, size, 'application/octet-stream');
			expect(answer.status).toBe(413);
			expect(JSON.parse(answer.body)).toEqual({
				received: false,
				error: 'Payload too large (limit 1048576 bytes)',
			});
			expect(answer.body).not.toMatch(/\bat .*\.(ts|js):\d+/);
			expect(stand.executions.length).toBe(before);
			// The node stopped reading at Max Body Size (plus what the socket had buffered).
			expect(stand.bytesRead.at(-1)).toBeLessThan(4 * 1024 * 1024);
		},
		60_000,
	);
});

describe('Kapitale Trigger: ids compared as the API compares them', () => {
	let receiver: Receiver;
	beforeAll(async () => {
		receiver = await startReceiver({
			authentication: 'bearer',
			bearerToken: TOKEN,
			deduplicate: true,
		});
	});
	afterAll(async () => await receiver.close());
	beforeEach(() => receiver.reset());
	afterEach(() => forgetClaims());

	const post = async (body: IDataObject) => {
		const response = await fetch(receiver.url, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TOKEN}` },
			body: JSON.stringify(body),
		});
		return (await response.json()) as IDataObject;
	};

	it('a repeat whose destination_id and order_id differ only in letter case is a duplicate', async () => {
		const first = delivery();
		const data = first.data as IDataObject;
		const shouted = {
			...first,
			destination_id: String(first.destination_id).toUpperCase(),
			data: { ...data, order_id: String(data.order_id).toUpperCase() },
		};
		expect(shouted.destination_id).not.toBe(first.destination_id);
		expect(await post(first)).toEqual({ received: true });
		expect(await post(shouted)).toEqual({ received: true, duplicate: true });
		expect(receiver.executions).toHaveLength(1);
	});

	it('order ids that are not UUIDs keep their letter case', async () => {
		const first = delivery('order.approved', { order_id: 'Order-AbC' });
		const other = delivery('order.approved', { order_id: 'order-abc' });
		expect(await post(first)).toEqual({ received: true });
		expect(await post(other)).toEqual({ received: true });
		expect(receiver.executions).toHaveLength(2);
	});
});
