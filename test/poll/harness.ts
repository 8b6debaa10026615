/**
 * Polls a trigger the way n8n does: n8n-core's PollContext on a Workflow whose static data is
 * kept between polls, the node type's poll() called with it. A "restart" rebuilds the workflow
 * from the static data as n8n stored it (JSON), so nothing survives that n8n would not keep.
 */
import { randomUUID } from 'node:crypto';

import { PollContext } from 'n8n-core';
import type {
	IDataObject,
	INode,
	INodeExecutionData,
	INodeType,
	INodeTypes,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { PACKAGE_PREFIX, type Engine } from '../harness/engine';
import { allNodeTypes } from '../harness/nodes';

const types = allNodeTypes();
const nodeTypes: INodeTypes = {
	getByName: (name: string) => nodeTypes.getByNameAndVersion(name),
	getByNameAndVersion: (name: string): INodeType => {
		const type = types[name.replace(`${PACKAGE_PREFIX}.`, '')];
		if (!type) throw new Error(`unknown type ${name}`);
		return type;
	},
	getKnownTypes: () => ({}),
} as unknown as INodeTypes;

export interface PollOutcome {
	items: IDataObject[] | null;
	error?: Error & { description?: string; httpCode?: string | null };
}

export class PolledTrigger {
	private workflow: Workflow;
	private readonly node: INode;

	constructor(
		private readonly engine: Engine,
		type: string,
		parameters: IDataObject,
		private stored: IDataObject = {},
	) {
		this.node = {
			id: randomUUID(),
			name: 'Trigger',
			type: `${PACKAGE_PREFIX}.${type}`,
			typeVersion: 1,
			position: [0, 0],
			parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, ...parameters },
			credentials: { kapitaleApi: { id: 'kapitale', name: 'Kapitale' } },
		} as INode;
		this.workflow = this.build();
	}

	private build(): Workflow {
		return new Workflow({
			id: 'wf-poll',
			name: 'poll',
			nodes: [this.node],
			connections: {},
			active: true,
			nodeTypes,
			staticData: JSON.parse(JSON.stringify(this.stored)) as IDataObject,
			settings: { executionOrder: 'v1' },
		});
	}

	/** What n8n would have saved of the node's static data. */
	saved(): IDataObject {
		return JSON.parse(JSON.stringify(this.workflow.staticData)) as IDataObject;
	}

	nodeState(): IDataObject {
		return this.workflow.getStaticData('node', this.node);
	}

	/** n8n stopped and started again: only what it stored comes back. */
	restart(): void {
		this.stored = this.saved();
		this.workflow = this.build();
	}

	async poll(mode: WorkflowExecuteMode = 'trigger'): Promise<PollOutcome> {
		const additionalData = {
			credentialsHelper: this.engine.credentialsHelper,
			restApiUrl: 'http://127.0.0.1/rest',
			instanceBaseUrl: 'http://127.0.0.1/',
			webhookBaseUrl: 'http://127.0.0.1/webhook',
			webhookTestBaseUrl: 'http://127.0.0.1/webhook-test',
			webhookWaitingBaseUrl: 'http://127.0.0.1/webhook-waiting',
			formWaitingBaseUrl: 'http://127.0.0.1/form-waiting',
			variables: {},
			userId: 'harness-user',
		} as unknown as IWorkflowExecuteAdditionalData;
		const context = new PollContext(
			this.workflow,
			this.node,
			additionalData,
			mode,
			mode === 'manual' ? 'manual' : 'activate',
		);
		const type = nodeTypes.getByNameAndVersion(this.node.type) as INodeType;
		try {
			const result: INodeExecutionData[][] | null = await type.poll!.call(context);
			const saved = this.saved();
			this.stored = saved;
			return { items: result ? result[0].map((item) => item.json) : null };
		} catch (error) {
			return { items: null, error: error as PollOutcome['error'] };
		}
	}
}
