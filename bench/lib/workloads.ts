/**
 * The three ways of doing the same work, per workload: this package's node through WorkflowExecute,
 * n8n's HTTP Request node through WorkflowExecute, and a raw undici keep-alive pool.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';

import type { IConnections, IDataObject, INode, INodeExecutionData, INodeType } from 'n8n-workflow';
import { Pool } from 'undici';

import { DEFAULT_KAPITALE_SCOPES } from '../../nodes/shared/transport/endpoints';
import { Engine, sandboxCredentialData, SOURCE_NODE_TYPE } from '../../test/harness/engine';
import { PolledTrigger } from '../../test/poll/harness';
import type { RunRequest, SandboxInfo, WorkloadKind } from './types';

export const N8N_LOCAL = path.join(
	path.resolve(process.env.N8N_LOCAL_DIR || path.resolve(__dirname, '../../.n8n-local')),
	'node_modules',
);
const NODES_BASE = path.join(N8N_LOCAL, 'n8n-nodes-base/dist/nodes');
/** The HTTP Request node version a new node gets in n8n 2.41 (its defaultVersion). */
export const HTTP_NODE_VERSION = 4.5;

const PACKAGE_TYPES: Record<WorkloadKind, { type: string; service: 'kapitale' | 'partner' }> = {
	createOrders: { type: 'kapitaleOrder', service: 'kapitale' },
	getOrders: { type: 'kapitaleOrder', service: 'kapitale' },
	listOrders: { type: 'kapitaleOrder', service: 'kapitale' },
	createCustomers: { type: 'partnerCustomer', service: 'partner' },
	listOperations: { type: 'partnerOperation', service: 'partner' },
	pollOperations: { type: 'partnerOperationTrigger', service: 'partner' },
};

export function serviceOf(kind: WorkloadKind): 'kapitale' | 'partner' {
	return PACKAGE_TYPES[kind].service;
}

function credentialFor(request: RunRequest) {
	const data = sandboxCredentialData(request.sandbox, serviceOf(request.kind));
	if (request.accessToken) data.accessToken = request.accessToken;
	return data;
}

// ------------------------------------------------------------------ this package's node

/** Node parameters of our node for a workload. */
function ourParameters(request: RunRequest): IDataObject {
	const options: IDataObject =
		request.parallel === undefined ? {} : { concurrency: request.parallel };
	// The bench's items already carry the API's (customers) or the node's (orders) field names.
	if (request.inputMode === 'auto' && request.kind === 'createOrders')
		return { resource: 'order', operation: 'create', inputMode: 'auto', options };
	if (request.inputMode === 'auto' && request.kind === 'createCustomers')
		return {
			resource: 'customer',
			operation: 'create',
			inputMode: 'auto',
			personType: 'pf',
			options,
		};
	switch (request.kind) {
		case 'createOrders':
			return {
				resource: 'order',
				operation: 'create',
				orderNumber: '={{ $json.orderNumber }}',
				retailCnpj: '={{ $json.retailCnpj }}',
				requestedAmount: '={{ $json.requestedAmount }}',
				purchaseDate: '={{ $json.purchaseDate }}',
				expiryDate: '={{ $json.expiryDate }}',
				itemsInput: 'json',
				purchaseItemsJson: '={{ $json.items }}',
				options,
			};
		case 'getOrders':
			return {
				resource: 'order',
				operation: 'get',
				orderId: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
				options,
			};
		case 'listOrders':
			return request.limit === undefined
				? { resource: 'order', operation: 'getAll', returnAll: true, options }
				: {
						resource: 'order',
						operation: 'getAll',
						returnAll: false,
						limit: request.limit,
						options,
					};
		case 'createCustomers':
			return { ...customerNodeParameters(), options };
		case 'pollOperations':
			return pollParameters(request.parallel);
		case 'listOperations':
			return request.limit === undefined
				? {
						resource: 'operation',
						operation: 'getMany',
						returnAll: true,
						// BENCH_SIMPLIFY=0: raw records, the output the HTTP Request node gives.
						simplify: process.env.BENCH_SIMPLIFY !== '0',
						options,
					}
				: {
						resource: 'operation',
						operation: 'getMany',
						returnAll: false,
						limit: request.limit,
						options,
					};
	}
}

/** PartnerCustomer › Create, every field mapped from the input item (set when the node lands). */
export function customerNodeParameters(): IDataObject {
	return {
		resource: 'customer',
		operation: 'create',
		personType: 'pf',
		taxId: '={{ $json.tax_id }}',
		name: '={{ $json.name }}',
		contactName: '={{ $json.name_contact }}',
		contactEmail: '={{ $json.email_contact }}',
		mobilePhone: '={{ $json.phone_2 }}',
		contactCpf: '={{ $json.cpf_contact }}',
		motherName: '={{ $json.mother_name }}',
		birthDate: '={{ $json.birthday }}',
		postalCode: '={{ $json.address_zipcode }}',
		street: '={{ $json.address_street }}',
		streetNumber: '={{ $json.address_number }}',
		district: '={{ $json.address_district }}',
		city: { __rl: true, mode: 'id', value: '={{ $json.address_city_id }}' },
	};
}

/** Parameters of the polling trigger in the poll workload (Parallel Requests as for the lists). */
export function pollParameters(parallel?: number): IDataObject {
	return {
		event: 'operationStatusChanged',
		options: parallel === undefined ? {} : { concurrency: parallel },
	};
}

/** One poll through n8n-core's PollContext, from the static data the parent prepared. */
async function runPoll(request: RunRequest): Promise<INodeExecutionData[]> {
	const engine = new Engine({ credentials: { kapitale: credentialFor(request) } });
	const stored = (request.items[0]?.state ?? {}) as IDataObject;
	const trigger = new PolledTrigger(
		engine,
		'partnerOperationTrigger',
		pollParameters(request.parallel),
		stored,
	);
	const outcome = await trigger.poll();
	if (outcome.error) throw outcome.error;
	return (outcome.items ?? []).map((json) => ({ json }));
}

async function runOurs(request: RunRequest): Promise<INodeExecutionData[]> {
	if (request.kind === 'pollOperations') return await runPoll(request);
	// A fresh engine per run: a fresh credential store, so each run has to mint its own token.
	const engine = new Engine({ credentials: { kapitale: credentialFor(request) } });
	const result = await engine.runNode({
		type: PACKAGE_TYPES[request.kind].type,
		parameters: ourParameters(request),
		items: request.items as IDataObject[],
	});
	if (result.error)
		throw new Error(
			`${result.error.message}${result.error.description ? ` — ${result.error.description}` : ''}`,
		);
	return result.items;
}

// ------------------------------------------------------------------ n8n's HTTP Request node

let baseTypes: Record<string, INodeType> | undefined;
function n8nBaseTypes(): Record<string, INodeType> {
	if (!baseTypes) {
		const { HttpRequest } = require(path.join(NODES_BASE, 'HttpRequest/HttpRequest.node.js')) as {
			HttpRequest: new () => { getNodeType(version: number): INodeType };
		};
		const { SplitOut } = require(path.join(NODES_BASE, 'Transform/SplitOut/SplitOut.node.js')) as {
			SplitOut: new () => INodeType;
		};
		baseTypes = {
			'n8n-nodes-base.httpRequest': new HttpRequest().getNodeType(HTTP_NODE_VERSION),
			'n8n-nodes-base.splitOut': new SplitOut(),
		};
	}
	return baseTypes;
}

function httpParameters(request: RunRequest): { http: IDataObject; splitOut?: string } {
	const auth = { authentication: 'predefinedCredentialType', nodeCredentialType: 'kapitaleApi' };
	const batching = { batch: request.batch ?? { batchSize: request.concurrency, batchInterval: 0 } };
	const kapitale = request.sandbox.kapitaleBaseUrl;
	const partner = request.sandbox.partnerBaseUrl;
	const hash = request.sandbox.credentials.partnerHashId;
	switch (request.kind) {
		case 'createOrders':
			return {
				http: {
					method: 'POST',
					url: `${kapitale}/order`,
					...auth,
					sendBody: true,
					contentType: 'json',
					specifyBody: 'json',
					jsonBody:
						'={{ { order_number: $json.orderNumber, retail_cnpj: $json.retailCnpj, requested_amount: $json.requestedAmount, purchase_date: $json.purchaseDate, expiry_date: $json.expiryDate, purchase_items: $json.items } }}',
					options: { batching },
				},
			};
		case 'getOrders':
			return {
				http: {
					method: 'GET',
					url: `=${kapitale}/order/{{ $json.id }}`,
					...auth,
					options: { batching },
				},
			};
		case 'createCustomers':
			return {
				http: {
					method: 'POST',
					url: `${partner}/partner-customer/insert`,
					...auth,
					sendQuery: true,
					queryParameters: { parameters: [{ name: 'partnerHashId', value: hash }] },
					sendBody: true,
					contentType: 'json',
					specifyBody: 'json',
					jsonBody: `={{ { ...$json, partner_id: ${JSON.stringify(hash)} } }}`,
					options: { batching },
				},
			};
		case 'listOrders': {
			const pages =
				request.limit === undefined
					? {}
					: { limitPagesFetched: true, maxRequests: Math.ceil(request.limit / request.pageSize) };
			return {
				http: {
					method: 'GET',
					url: `${kapitale}/order`,
					...auth,
					sendQuery: true,
					queryParameters: { parameters: [{ name: 'limit', value: String(request.pageSize) }] },
					options: {
						pagination: {
							pagination: {
								paginationMode: 'updateAParameterInEachRequest',
								parameters: {
									parameters: [{ type: 'qs', name: 'page', value: '={{ $pageCount + 1 }}' }],
								},
								paginationCompleteWhen: 'other',
								completeExpression: '={{ $response.body.page >= $response.body.totalPages }}',
								requestInterval: 0,
								...pages,
							},
						},
					},
				},
				splitOut: 'data',
			};
		}
		case 'pollOperations':
			throw new Error('The poll workload runs this package’s trigger only');
		case 'listOperations': {
			const pages =
				request.limit === undefined
					? {}
					: { limitPagesFetched: true, maxRequests: Math.ceil(request.limit / request.pageSize) };
			return {
				http: {
					method: 'POST',
					url: `${partner}/partner-operation/all`,
					...auth,
					sendQuery: true,
					queryParameters: { parameters: [{ name: 'partnerHashId', value: hash }] },
					sendBody: true,
					contentType: 'json',
					specifyBody: 'json',
					jsonBody: JSON.stringify({ limit: request.pageSize, offset: 0 }),
					options: {
						pagination: {
							pagination: {
								paginationMode: 'updateAParameterInEachRequest',
								parameters: {
									parameters: [
										{
											type: 'body',
											name: 'offset',
											value: `={{ $pageCount * ${request.pageSize} }}`,
										},
									],
								},
								paginationCompleteWhen: 'other',
								completeExpression: `={{ $response.body.data.length < ${request.pageSize} }}`,
								requestInterval: 0,
								...pages,
							},
						},
					},
				},
				splitOut: 'data',
			};
		}
	}
}

async function runHttpNode(request: RunRequest): Promise<INodeExecutionData[]> {
	const engine = new Engine({
		credentials: { kapitale: credentialFor(request) },
		extraNodeTypes: n8nBaseTypes(),
	});
	const { http, splitOut } = httpParameters(request);
	const nodes: INode[] = [
		{
			id: randomUUID(),
			name: 'Items',
			type: SOURCE_NODE_TYPE,
			typeVersion: 1,
			position: [0, 0],
			parameters: {
				items: request.items.map((json) => ({ json })),
			} as unknown as INode['parameters'],
		},
		{
			id: randomUUID(),
			name: 'HTTP Request',
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: HTTP_NODE_VERSION,
			position: [200, 0],
			parameters: http as INode['parameters'],
			credentials: { kapitaleApi: { id: 'kapitale', name: 'Kapitale' } },
		},
	];
	const connections: IConnections = {
		Items: { main: [[{ node: 'HTTP Request', type: 'main', index: 0 }]] },
	};
	let last = 'HTTP Request';
	if (splitOut) {
		nodes.push({
			id: randomUUID(),
			name: 'Split Out',
			type: 'n8n-nodes-base.splitOut',
			typeVersion: 1,
			position: [400, 0],
			parameters: { fieldToSplitOut: splitOut, include: 'noOtherFields', options: {} },
		});
		connections['HTTP Request'] = { main: [[{ node: 'Split Out', type: 'main', index: 0 }]] };
		last = 'Split Out';
	}
	const run = await engine.execute(nodes, connections);
	const error = run.data.resultData.error as (Error & { description?: string }) | undefined;
	if (error)
		throw new Error(`${error.message}${error.description ? ` — ${error.description}` : ''}`);
	return run.data.resultData.runData[last]?.[0]?.data?.main?.[0] ?? [];
}

// ------------------------------------------------------------------ raw undici keep-alive pool

async function mapLimit<T, R>(
	list: T[],
	limit: number,
	fn: (value: T, index: number) => Promise<R>,
): Promise<R[]> {
	const out: R[] = new Array(list.length);
	let next = 0;
	const worker = async () => {
		for (;;) {
			const index = next++;
			if (index >= list.length) return;
			out[index] = await fn(list[index], index);
		}
	};
	await Promise.all(Array.from({ length: Math.min(limit, list.length) }, worker));
	return out;
}

class RawClient {
	readonly pool: Pool;
	private readonly origin: string;
	constructor(base: string, connections: number) {
		const url = new URL(base);
		this.origin = url.origin;
		this.pool = new Pool(this.origin, { connections, pipelining: 1, keepAliveTimeout: 10_000 });
	}

	async send(
		method: 'GET' | 'POST',
		url: string,
		headers: Record<string, string>,
		body?: unknown,
	): Promise<IDataObject> {
		const target = new URL(url);
		const response = await this.pool.request({
			method,
			path: target.pathname + target.search,
			headers:
				body === undefined || headers['content-type']
					? headers
					: { ...headers, 'content-type': 'application/json' },
			body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
		});
		const parsed = (await response.body.json()) as IDataObject;
		if (response.statusCode >= 300)
			throw new Error(
				`HTTP ${response.statusCode} ${method} ${target.pathname}: ${JSON.stringify(parsed).slice(0, 300)}`,
			);
		return parsed;
	}
}

async function rawToken(client: RawClient, sandbox: SandboxInfo): Promise<string> {
	const { clientId, clientSecret } = sandbox.credentials;
	const body = await client.send(
		'POST',
		sandbox.tokenUrl,
		{
			authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
			'content-type': 'application/x-www-form-urlencoded',
		},
		new URLSearchParams({
			grant_type: 'client_credentials',
			scope: DEFAULT_KAPITALE_SCOPES,
		}).toString(),
	);
	return String(body.access_token);
}

function orderBody(json: Record<string, unknown>): IDataObject {
	return {
		order_number: json.orderNumber,
		retail_cnpj: json.retailCnpj,
		requested_amount: json.requestedAmount,
		purchase_date: json.purchaseDate,
		expiry_date: json.expiryDate,
		purchase_items: json.items,
	} as IDataObject;
}

async function runRaw(request: RunRequest): Promise<unknown[]> {
	const { sandbox, concurrency: c } = request;
	const partner = serviceOf(request.kind) === 'partner';
	const client = new RawClient(partner ? sandbox.partnerBaseUrl : sandbox.kapitaleBaseUrl, c);
	try {
		const auth = {
			authorization: `Bearer ${partner ? sandbox.credentials.bearerToken : (request.accessToken ?? (await rawToken(client, sandbox)))}`,
		};
		const hash = `partnerHashId=${encodeURIComponent(sandbox.credentials.partnerHashId)}`;
		switch (request.kind) {
			case 'createOrders':
				return await mapLimit(
					request.items,
					c,
					async (json) =>
						await client.send('POST', `${sandbox.kapitaleBaseUrl}/order`, auth, orderBody(json)),
				);
			case 'getOrders':
				return await mapLimit(
					request.items,
					c,
					async (json) =>
						await client.send(
							'GET',
							`${sandbox.kapitaleBaseUrl}/order/${encodeURIComponent(String(json.id))}`,
							auth,
						),
				);
			case 'createCustomers':
				return await mapLimit(
					request.items,
					c,
					async (json) =>
						(
							await client.send(
								'POST',
								`${sandbox.partnerBaseUrl}/partner-customer/insert?${hash}`,
								auth,
								{ ...json, partner_id: sandbox.credentials.partnerHashId },
							)
						).data,
				);
			case 'listOrders': {
				const size = request.pageSize;
				const page = async (n: number) =>
					await client.send(
						'GET',
						`${sandbox.kapitaleBaseUrl}/order?page=${n}&limit=${size}`,
						auth,
					);
				const first = await page(1);
				const total = Number(first.totalPages);
				const last =
					request.limit === undefined ? total : Math.min(total, Math.ceil(request.limit / size));
				const rest = await mapLimit(
					Array.from({ length: Math.max(0, last - 1) }, (_, i) => i + 2),
					c,
					page,
				);
				return [first, ...rest].flatMap((body) => body.data as IDataObject[]);
			}
			case 'pollOperations':
				throw new Error('The poll workload runs this package’s trigger only');
			case 'listOperations': {
				const size = request.pageSize;
				const out: unknown[] = [];
				for (let offset = 0; ; offset += size * c) {
					const offsets = Array.from({ length: c }, (_, i) => offset + i * size);
					const pages = await mapLimit(
						offsets,
						c,
						async (start) =>
							(
								await client.send(
									'POST',
									`${sandbox.partnerBaseUrl}/partner-operation/all?${hash}`,
									auth,
									{ limit: size, offset: start },
								)
							).data as IDataObject[],
					);
					let short = false;
					for (const list of pages) {
						if (short) break;
						out.push(...list);
						if (list.length < size) short = true;
					}
					if (short || (request.limit !== undefined && out.length >= request.limit)) break;
				}
				return request.limit === undefined ? out : out.slice(0, request.limit);
			}
		}
	} finally {
		await client.pool.close();
	}
}

// ------------------------------------------------------------------ diagnostic: n8n's HTTP layer with keep-alive

let keepAlivePatched = false;
/**
 * n8n's outbound HTTP (@n8n/backend-network) builds a new http(s).Agent for every request, so every
 * request opens a new TCP+TLS connection. For the diagnostic client only, reuse one keep-alive agent
 * per option set, to measure how much of the gap to the raw client is that.
 */
function patchN8nKeepAlive(): void {
	if (keepAlivePatched) return;
	keepAlivePatched = true;
	const corePath = path.dirname(require.resolve('n8n-core/package.json'));
	const agentsPath = path.join(
		path.dirname(require.resolve('@n8n/backend-network', { paths: [corePath] })),
		'http/node-agents.js',
	);
	const agents = require(agentsPath) as {
		buildNodeAgents: (proxy: unknown, ssrf: unknown, options?: Record<string, unknown>) => unknown;
	};
	const original = agents.buildNodeAgents;
	const cache = new Map<string, unknown>();
	agents.buildNodeAgents = (proxy, ssrf, options) => {
		const key = JSON.stringify([proxy, ssrf === 'disabled', options ?? {}]);
		let built = cache.get(key);
		if (!built) {
			built = original(proxy, ssrf, { ...(options ?? {}), keepAlive: true });
			cache.set(key, built);
		}
		return built;
	};
}

export async function runWorkload(request: RunRequest): Promise<unknown[]> {
	if (request.client === 'ours') return await runOurs(request);
	if (request.client === 'ours-ka') {
		patchN8nKeepAlive();
		return await runOurs(request);
	}
	if (request.client === 'http') return await runHttpNode(request);
	return await runRaw(request);
}
