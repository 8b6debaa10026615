import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

import type { IDataObject, INodeExecutionData, IWebhookFunctions } from 'n8n-workflow';

import { KapitaleOrderTrigger } from '../../nodes/Kapitale/KapitaleOrderTrigger/KapitaleOrderTrigger.node';
import { forgetClaims } from '../../nodes/Kapitale/KapitaleOrderTrigger/dedup';
import { credentialFromShorthand } from './fake';

export interface ReceivedCall {
	status: number;
	responseBody: string;
}

export interface Receiver {
	url: string;
	/** Each execution the trigger started: the items of its first output. */
	executions: INodeExecutionData[][];
	calls: ReceivedCall[];
	staticData: IDataObject;
	setParameters(p: IDataObject): void;
	reset(): void;
	close(): Promise<void>;
}

/**
 * A tiny stand-in for n8n's webhook server: reads the request the way n8n does (raw bytes kept,
 * JSON parsed when the Content-Type says so), calls KapitaleOrderTrigger.webhook() with an
 * IWebhookFunctions built from the real request, and answers like n8n's "onReceived" mode.
 */
let receivers = 0;

export async function startReceiver(initial: IDataObject): Promise<Receiver> {
	const node = new KapitaleOrderTrigger();
	let parameters = initial;
	const executions: INodeExecutionData[][] = [];
	const calls: ReceivedCall[] = [];
	const staticData: IDataObject = {};
	// Each receiver is its own workflow, so the trigger's in-process claims of one never reach another.
	const workflowId = `receiver-${++receivers}`;

	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const rawBody = Buffer.concat(chunks);
			let body: unknown = {};
			if ((req.headers['content-type'] ?? '').startsWith('application/json') && rawBody.length) {
				try {
					body = JSON.parse(rawBody.toString('utf8'));
				} catch {
					body = {};
				}
			}
			const request = Object.assign(req, { body, rawBody });
			let written = 0;
			let answerText = '';
			const origWriteHead = res.writeHead.bind(res);
			const origEnd = res.end.bind(res);
			const response = Object.assign(res, {
				writeHead: (status: number, headers?: http.OutgoingHttpHeaders) => {
					written = status;
					return origWriteHead(status, headers);
				},
				end: (chunk?: string) => {
					answerText = chunk ?? '';
					return origEnd(chunk);
				},
			});
			const { parameters: nodeParameters, credential } = credentialFromShorthand(parameters);
			const ctx = {
				getNodeParameter: (name: string, fallback?: unknown) =>
					name in nodeParameters ? nodeParameters[name] : fallback,
				getBodyData: () => body as IDataObject,
				getHeaderData: () => req.headers,
				getRequestObject: () => request,
				getResponseObject: () => response,
				getWorkflowStaticData: () => staticData,
				getNode: () => ({
					id: 'node-1',
					name: 'Kapitale Trigger',
					type: 'n8n-nodes-kapitale.kapitaleOrderTrigger',
					typeVersion: 2,
					parameters: nodeParameters,
				}),
				getCredentials: async () => {
					if (!credential) throw new Error('Node does not have any credentials set');
					return credential;
				},
				getWorkflow: () => ({ id: workflowId, name: 'receiver', active: true }),
				getMode: () => 'webhook',
				helpers: {
					returnJsonArray: (json: IDataObject | IDataObject[]) =>
						(Array.isArray(json) ? json : [json]).map((j) => ({ json: j })),
				},
			} as unknown as IWebhookFunctions;

			node.webhook
				.call(ctx)
				.then((result) => {
					// The trigger writes every answer itself (noWebhookResponse), accepted ones included.
					calls.push({ status: written, responseBody: answerText });
					if (result.workflowData) executions.push(result.workflowData[0]);
				})
				.catch((error: Error) => {
					res.writeHead(500);
					res.end(error.message);
					calls.push({ status: 500, responseBody: error.message });
				});
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;

	return {
		url: `http://127.0.0.1:${port}/webhook/kapitale-orders`,
		executions,
		calls,
		staticData,
		setParameters: (p) => (parameters = p),
		reset: () => {
			forgetClaims();
			executions.length = 0;
			calls.length = 0;
			for (const k of Object.keys(staticData)) delete staticData[k];
		},
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}
