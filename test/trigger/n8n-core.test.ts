/**
 * The example workflow's trigger run through n8n-core's real WebhookContext: parameter
 * defaults and expressions resolved by n8n, static data kept on the Workflow, and the
 * production URL computed by n8n's own helpers.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { WebhookContext } from 'n8n-core';
import type {
	IDataObject,
	INode,
	INodeType,
	INodeTypes,
	IWebhookData,
	IWorkflowExecuteAdditionalData,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeHelpers, Workflow } from 'n8n-workflow';

import { KapitaleOrderTrigger } from '../../nodes/Kapitale/KapitaleOrderTrigger/KapitaleOrderTrigger.node';
import { forgetClaims, storedKeyCount } from '../../nodes/Kapitale/KapitaleOrderTrigger/dedup';
import { DESTINATION, ORDER_ID, delivery } from './fake';

const example = JSON.parse(
	readFileSync(
		path.resolve(__dirname, '../../examples/kapitale-order-approved-webhook.json'),
		'utf8',
	),
) as { nodes: INode[]; connections: IDataObject };

const trigger = new KapitaleOrderTrigger();
const nodeTypes: INodeTypes = {
	getByName: () => trigger,
	getByNameAndVersion: (name: string): INodeType => {
		if (name !== 'n8n-nodes-kapitale.kapitaleOrderTrigger') throw new Error(`unknown type ${name}`);
		return trigger;
	},
	getKnownTypes: () => ({}),
} as unknown as INodeTypes;

function workflowWith(node: INode) {
	return new Workflow({
		id: 'wf-example',
		name: 'example',
		nodes: [node],
		connections: {},
		active: true,
		nodeTypes,
		staticData: {},
		settings: { executionOrder: 'v1' },
	});
}

async function deliver(
	workflow: Workflow,
	node: INode,
	body: IDataObject,
	headers: IDataObject = {},
) {
	const raw = Buffer.from(JSON.stringify(body));
	const req = {
		method: 'POST',
		headers: {
			'content-type': 'application/json',
			'content-length': String(raw.length),
			...headers,
		},
		body,
		rawBody: raw,
		params: {},
		query: {},
	};
	const written: { status?: number; body?: string; headers?: Record<string, string> } = {};
	const res = {
		writeHead: (status: number, headers: Record<string, string>) => {
			written.status = status;
			written.headers = headers;
			return res;
		},
		end: (chunk?: string) => {
			written.body = chunk;
			return res;
		},
	};
	const additionalData = {
		httpRequest: req,
		httpResponse: res,
		executionId: 'exec-1',
		webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
		webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
		variables: {},
		// What n8n decrypts for the node's selected Kapitale API credential.
		credentialsHelper: {
			isCredentialUsableByNode: () => true,
			getDecrypted: async () => ({
				webhookAuthentication: 'bearer',
				webhookToken: 'sandbox-webhook-token',
			}),
		},
	} as unknown as IWorkflowExecuteAdditionalData;
	const description = trigger.description.webhooks![0];
	const webhookData: IWebhookData = {
		httpMethod: 'POST',
		node: node.name,
		path: 'kapitale-orders',
		webhookDescription: description,
		workflowId: workflow.id,
		workflowExecuteAdditionalData: additionalData,
	};
	const ctx = new WebhookContext(workflow, node, additionalData, 'webhook', webhookData, [], null);
	const result: IWebhookResponseData = await trigger.webhook.call(ctx);
	return {
		result,
		written,
		answer: written.body === undefined ? undefined : JSON.parse(written.body),
	};
}

describe('example workflow trigger under n8n-core WebhookContext', () => {
	const exampleNode = example.nodes.find(
		(n) => n.type === 'n8n-nodes-kapitale.kapitaleOrderTrigger',
	)!;

	it('has a fixed webhookId and the predictable production URL /webhook/kapitale-orders', () => {
		expect(exampleNode.webhookId).toMatch(
			/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
		);
		const workflow = workflowWith(exampleNode);
		const description = trigger.description.webhooks![0];
		const nodePath = workflow.expression.getSimpleParameterValue(
			exampleNode,
			description.path,
			'webhook',
			{},
		) as string;
		expect(
			NodeHelpers.getNodeWebhookUrl(
				'http://localhost:5678/webhook',
				workflow.id,
				exampleNode,
				nodePath,
				description.isFullPath,
			),
		).toBe('http://localhost:5678/webhook/kapitale-orders');
	});

	it('falls back to the webhookId when Path is empty', () => {
		const node = { ...exampleNode, parameters: { ...exampleNode.parameters, path: '' } };
		const workflow = workflowWith(node);
		const description = trigger.description.webhooks![0];
		const nodePath = workflow.expression.getSimpleParameterValue(
			node,
			description.path,
			'webhook',
			{},
		) as string;
		expect(
			NodeHelpers.getNodeWebhookPath(workflow.id, node, nodePath, description.isFullPath),
		).toBe(node.webhookId);
	});

	it('only names parameters the node defines', () => {
		const names = new Set(trigger.description.properties.map((p) => p.name));
		for (const key of Object.keys(exampleNode.parameters)) expect(names).toContain(key);
		expect(Object.keys(example.connections)).toEqual([
			'Kapitale Trigger',
			'Build sheet row / ERP payload',
		]);
	});

	it('reads the secret from the credential (v2), emits the item, marks the static data changed so n8n saves it', async () => {
		expect(exampleNode.typeVersion).toBe(2);
		expect(exampleNode.credentials?.kapitaleApi).toBeDefined();
		expect(exampleNode.parameters).not.toHaveProperty('bearerToken');
		forgetClaims();
		const workflow = workflowWith(exampleNode);
		const auth = { authorization: 'Bearer sandbox-webhook-token' };

		const first = await deliver(workflow, exampleNode, delivery('order.approved'), auth);
		expect(first.result.noWebhookResponse).toBe(true);
		expect(first.answer).toEqual({ received: true });
		expect(first.written.headers?.['Content-Type']).toMatch(/^application\/json/);
		expect(first.result.workflowData?.[0]).toHaveLength(1);
		expect(first.result.workflowData?.[0][0].json).toMatchObject({
			event_type: 'order.approved',
			destination_id: DESTINATION,
			order_id: ORDER_ID,
			status: 'approved',
		});
		// n8n's WorkflowStaticDataService.saveStaticData() saves only when this flag is set.
		expect(workflow.staticData.__dataChanged).toBe(true);
		expect(storedKeyCount(workflow.getStaticData('node', exampleNode))).toBe(1);

		const again = await deliver(workflow, exampleNode, delivery('order.approved'), auth);
		expect(again.result).toEqual({ noWebhookResponse: true });
		expect(again.answer).toEqual({ received: true, duplicate: true });

		const created = await deliver(workflow, exampleNode, delivery('order.created'), auth);
		expect(created.answer).toEqual({ received: true, ignored: 'event not selected' });

		// A workflow loaded from what n8n saved, in a process that has not seen the delivery.
		forgetClaims();
		const reloaded = new Workflow({
			...workflowWith(exampleNode),
			nodeTypes,
			nodes: [exampleNode],
			connections: {},
			active: true,
			staticData: JSON.parse(JSON.stringify(workflow.staticData)),
		});
		const afterRestart = await deliver(reloaded, exampleNode, delivery('order.approved'), auth);
		expect(afterRestart.answer).toEqual({ received: true, duplicate: true });
	});

	it('answers 401 itself for a wrong token', async () => {
		const workflow = workflowWith(exampleNode);
		const out = await deliver(workflow, exampleNode, delivery('order.approved'), {
			authorization: 'Bearer wrong',
		});
		expect(out.result).toEqual({ noWebhookResponse: true });
		expect(out.written.status).toBe(401);
		expect(out.answer).toEqual({ received: false, error: 'Unauthorized' });
	});

	it('uses the description defaults for parameters a saved node leaves out', async () => {
		const bare: INode = {
			id: 'n1',
			name: 'Bare',
			type: 'n8n-nodes-kapitale.kapitaleOrderTrigger',
			typeVersion: 2,
			position: [0, 0],
			webhookId: '11111111-2222-4333-8444-555555555555',
			parameters: {},
			credentials: { kapitaleApi: { id: 'kapitale-sandbox', name: 'Kapitale Sandbox' } },
		};
		const workflow = workflowWith(bare);
		const ok = await deliver(workflow, bare, delivery('order.rejected'), {
			authorization: 'Bearer sandbox-webhook-token',
		});
		expect(ok.result.workflowData?.[0][0].json).toMatchObject({
			event_type: 'order.rejected',
			status: 'rejected',
		});
		expect(ok.result.workflowData?.[0][0].json).not.toHaveProperty('headers');
		const dup = await deliver(workflow, bare, delivery('order.rejected'), {
			authorization: 'Bearer sandbox-webhook-token',
		});
		expect(dup.answer).toEqual({ received: true, duplicate: true });
	});
});
