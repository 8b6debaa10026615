import type { IncomingHttpHeaders } from 'node:http';

import type {
	IDataObject,
	INodeExecutionData,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { KapitaleOrderTrigger } from '../../nodes/Kapitale/KapitaleOrderTrigger/KapitaleOrderTrigger.node';

export interface FakeRequest {
	method?: string;
	headers?: IncomingHttpHeaders;
	/** What n8n put in req.body (parsed JSON, a string, or {}). Defaults to the parsed rawBody. */
	body?: unknown;
	/** The bytes received; a string or object is serialised for convenience. */
	rawBody?: Buffer | string | object;
}

/** The credential for a call (default: the one `credentialFromShorthand` makes of the parameters). */
export interface FakeNode {
	credential?: IDataObject;
	workflowId?: string;
	mode?: string;
}

export interface WebhookOutcome {
	/** What the caller receives: a status written by the node, or n8n's 200 with webhookResponse. */
	status: number;
	body: unknown;
	responseHeaders: Record<string, string>;
	result: IWebhookResponseData;
	items: INodeExecutionData[] | undefined;
}

const SHORTHAND: Record<string, string> = {
	authentication: 'webhookAuthentication',
	bearerToken: 'webhookToken',
	basicUser: 'webhookUser',
	basicPassword: 'webhookPassword',
	headerName: 'webhookHeaderName',
	headerValue: 'webhookHeaderValue',
};

/**
 * Tests write the webhook secret next to the node's parameters for brevity
 * (`{ authentication: 'bearer', bearerToken }`); the node reads it from the Kapitale API
 * credential's webhook fields. This splits the two: the node parameters without the shorthand, and
 * the credential it describes (undefined when the parameters name no authentication).
 */
export function credentialFromShorthand(parameters: IDataObject): {
	parameters: IDataObject;
	credential?: IDataObject;
} {
	const rest: IDataObject = {};
	const credential: IDataObject = {};
	for (const [name, value] of Object.entries(parameters)) {
		if (name in SHORTHAND) credential[SHORTHAND[name]] = value;
		else rest[name] = value;
	}
	return {
		parameters: rest,
		credential: 'webhookAuthentication' in credential ? credential : undefined,
	};
}

/** A minimal IWebhookFunctions, enough for KapitaleOrderTrigger.webhook(). */
export function fakeContext(
	parameters: IDataObject,
	request: FakeRequest,
	staticData: IDataObject = {},
	node: FakeNode = {},
) {
	const split = credentialFromShorthand(parameters);
	const credential = node.credential ?? split.credential;
	parameters = split.parameters;
	const raw =
		request.rawBody === undefined
			? undefined
			: Buffer.isBuffer(request.rawBody)
				? request.rawBody
				: Buffer.from(
						typeof request.rawBody === 'string' ? request.rawBody : JSON.stringify(request.rawBody),
					);
	let body = request.body;
	if (body === undefined) {
		try {
			body = raw ? JSON.parse(raw.toString('utf8')) : {};
		} catch {
			body = {};
		}
	}
	const headers: IncomingHttpHeaders = {
		'content-type': 'application/json',
		...(request.headers ?? {}),
	};
	if (raw && headers['content-length'] === undefined)
		headers['content-length'] = String(raw.length);

	const written: { status?: number; headers: Record<string, string>; body?: string } = {
		headers: {},
	};
	const res = {
		writeHead(status: number, h?: Record<string, string>) {
			written.status = status;
			Object.assign(written.headers, h ?? {});
			return res;
		},
		end(chunk?: string) {
			written.body = chunk;
			return res;
		},
	};
	const req = { method: request.method ?? 'POST', headers, body, rawBody: raw };

	const ctx = {
		getNodeParameter: (name: string, fallback?: unknown) =>
			name in parameters ? parameters[name] : fallback,
		getBodyData: () => body as IDataObject,
		getHeaderData: () => headers,
		getRequestObject: () => req,
		getResponseObject: () => res,
		getWorkflowStaticData: () => staticData,
		getNode: () => ({
			id: 'node-1',
			name: 'Kapitale Trigger',
			type: 'n8n-nodes-kapitale.kapitaleOrderTrigger',
			typeVersion: 2,
			parameters,
		}),
		getWorkflow: () => ({ id: node.workflowId ?? 'wf-1', name: 'test', active: true }),
		getMode: () => node.mode ?? 'webhook',
		getCredentials: async () => {
			if (!credential) throw new Error('Node does not have any credentials set');
			return credential;
		},
		helpers: {
			returnJsonArray: (json: IDataObject | IDataObject[]) =>
				(Array.isArray(json) ? json : [json]).map((j) => ({ json: j })),
		},
	} as unknown as IWebhookFunctions;
	return { ctx, written };
}

export async function callWebhook(
	parameters: IDataObject,
	request: FakeRequest,
	staticData: IDataObject = {},
	node: FakeNode = {},
): Promise<WebhookOutcome> {
	const { ctx, written } = fakeContext(parameters, request, staticData, node);
	const result = await new KapitaleOrderTrigger().webhook.call(ctx);
	// The trigger answers every request itself; n8n must not answer again.
	if (result.noWebhookResponse !== true || result.webhookResponse !== undefined) {
		throw new Error(`webhook() left the answer to n8n: ${JSON.stringify(result)}`);
	}
	return {
		status: written.status ?? 0,
		body: written.body === undefined ? undefined : JSON.parse(written.body),
		responseHeaders: written.headers,
		result,
		items: result.workflowData?.[0],
	};
}

export const ORDER_ID = '5b0c7a52-3f0e-4a43-9d7a-1d2f6f0d6a11';
export const DESTINATION = '0b6f2c1e-8f5d-4b8e-9a55-2c7e1f3b9d40';

export function delivery(eventType = 'order.approved', data: IDataObject = {}): IDataObject {
	return {
		event_type: eventType,
		destination_id: DESTINATION,
		data: {
			order_id: ORDER_ID,
			order_no: 1042,
			status: eventType.split('.')[1] ?? 'pending',
			...data,
		},
	};
}
