import { randomUUID } from 'node:crypto';

import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IConnections,
	IDataObject,
	IExecuteFunctions,
	INode,
	INodeExecutionData,
	INodeType,
	INodeTypes,
	IRun,
	IVersionedNodeType,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { NodeConnectionTypes, Workflow } from 'n8n-workflow';

import { KapitaleApi } from '../../credentials/KapitaleApi.credentials';
import { allNodeTypes } from './nodes';
import { TestCredentialsHelper } from './credentials';

export const PACKAGE_PREFIX = 'n8n-nodes-kapitale';
export const SOURCE_NODE_TYPE = 'test.items';

/** Emits the items given in its `items` parameter, like a trigger that received them. */
class TestItemsSource implements INodeType {
	description = {
		displayName: 'Test Items',
		name: 'items',
		group: ['input'],
		version: 1,
		description: 'Emits fixed items',
		defaults: { name: 'Items' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'Items', name: 'items', type: 'json' as const, default: '[]' }],
	} as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getNodeParameter('items', 0) as unknown as INodeExecutionData[];
		return [items];
	}
}

class HarnessNodeTypes implements INodeTypes {
	constructor(private readonly types: Record<string, INodeType>) {}

	getByName(name: string): INodeType | IVersionedNodeType {
		return this.getByNameAndVersion(name);
	}

	getByNameAndVersion(name: string): INodeType {
		const type = this.types[name];
		if (!type) throw new Error(`Unknown node type ${name}`);
		return type;
	}

	getKnownTypes() {
		return {};
	}
}

export interface EngineOptions {
	/** Credential data by credential id; every node gets `credentialId` (default "kapitale"). */
	credentials: Record<string, ICredentialDataDecryptedObject>;
	extraNodeTypes?: Record<string, INodeType>;
}

export interface NodeRun {
	/** Output items of the node under test (first output). */
	items: INodeExecutionData[];
	/** The error that stopped the execution, if any. */
	error?: Error & { description?: string; context?: IDataObject; httpCode?: string | null };
	run: IRun;
}

export interface RunNodeOptions {
	/** Node type without the package prefix, e.g. "kapitaleOrder". */
	type: string;
	parameters: IDataObject;
	items?: Array<IDataObject | INodeExecutionData>;
	continueOnFail?: boolean;
	credentialId?: string;
	/** Cancels the execution after this many milliseconds. */
	cancelAfterMs?: number;
}

function asExecutionData(item: IDataObject | INodeExecutionData): INodeExecutionData {
	return 'json' in item && typeof item.json === 'object'
		? (item as INodeExecutionData)
		: { json: item as IDataObject };
}

export class Engine {
	readonly credentialsHelper: TestCredentialsHelper;

	private readonly nodeTypes: HarnessNodeTypes;

	constructor(options: EngineOptions) {
		const types: Record<string, INodeType> = { [SOURCE_NODE_TYPE]: new TestItemsSource() };
		for (const [name, type] of Object.entries(allNodeTypes()))
			types[`${PACKAGE_PREFIX}.${name}`] = type;
		Object.assign(types, options.extraNodeTypes ?? {});
		this.nodeTypes = new HarnessNodeTypes(types);
		const credentialTypes: Record<string, ICredentialType> = { kapitaleApi: new KapitaleApi() };
		this.credentialsHelper = new TestCredentialsHelper(credentialTypes);
		for (const [id, data] of Object.entries(options.credentials))
			this.credentialsHelper.add(id, 'kapitaleApi', data);
	}

	/** Runs Items → node under test through n8n-core's WorkflowExecute. */
	async runNode(options: RunNodeOptions): Promise<NodeRun> {
		const credentialId = options.credentialId ?? 'kapitale';
		const nodes: INode[] = [
			{
				id: randomUUID(),
				name: 'Items',
				type: SOURCE_NODE_TYPE,
				typeVersion: 1,
				position: [0, 0],
				parameters: {
					items: (options.items ?? [{}]).map(
						asExecutionData,
					) as unknown as INode['parameters']['items'],
				},
			},
			{
				id: randomUUID(),
				name: 'Under Test',
				type: `${PACKAGE_PREFIX}.${options.type}`,
				typeVersion: 1,
				position: [200, 0],
				parameters: options.parameters as INode['parameters'],
				credentials: { kapitaleApi: { id: credentialId, name: 'Kapitale' } },
				continueOnFail: options.continueOnFail ?? false,
				onError: options.continueOnFail ? 'continueRegularOutput' : 'stopWorkflow',
			},
		];
		const connections: IConnections = {
			Items: { main: [[{ node: 'Under Test', type: NodeConnectionTypes.Main, index: 0 }]] },
		};
		const run = await this.execute(nodes, connections, options.cancelAfterMs);
		const runData = run.data.resultData.runData['Under Test']?.[0];
		return {
			items: runData?.data?.main?.[0] ?? [],
			error: (run.data.resultData.error ?? runData?.error) as NodeRun['error'],
			run,
		};
	}

	/** Runs any workflow whose start node is given; returns the run. */
	async execute(
		nodes: INode[],
		connections: IConnections,
		cancelAfterMs?: number,
		staticData: IDataObject = {},
	): Promise<IRun> {
		const workflowData: IWorkflowBase = {
			id: randomUUID(),
			name: 'Harness',
			active: false,
			isArchived: false,
			nodes,
			connections,
			createdAt: new Date(),
			updatedAt: new Date(),
			activeVersionId: null,
		} as unknown as IWorkflowBase;
		const workflow = new Workflow({
			id: workflowData.id,
			name: workflowData.name,
			nodes,
			connections,
			active: false,
			nodeTypes: this.nodeTypes,
			staticData,
			settings: { executionOrder: 'v1' },
		});
		const executionId = randomUUID();
		const additionalData = {
			credentialsHelper: this.credentialsHelper,
			hooks: new ExecutionLifecycleHooks('manual', executionId, workflowData),
			executeWorkflow: async () => {
				throw new Error('Sub-workflows are not available in the harness');
			},
			getRunExecutionData: async () => undefined,
			getRuntimeCredential: async () => undefined,
			executionId,
			currentNodeExecutionIndex: 0,
			restApiUrl: 'http://127.0.0.1/rest',
			instanceBaseUrl: 'http://127.0.0.1/',
			formBaseUrl: 'http://127.0.0.1/form',
			formWaitingBaseUrl: 'http://127.0.0.1/form-waiting',
			formTestBaseUrl: 'http://127.0.0.1/form-test',
			webhookBaseUrl: 'http://127.0.0.1/webhook',
			webhookWaitingBaseUrl: 'http://127.0.0.1/webhook-waiting',
			webhookTestBaseUrl: 'http://127.0.0.1/webhook-test',
			mcpBaseUrl: 'http://127.0.0.1/mcp',
			mcpTestBaseUrl: 'http://127.0.0.1/mcp-test',
			variables: {},
			userId: 'harness-user',
		} as unknown as IWorkflowExecuteAdditionalData;
		const start = nodes.find((node) => node.type === SOURCE_NODE_TYPE) ?? nodes[0];
		const execution = new WorkflowExecute(additionalData, 'manual').run({
			workflow,
			startNode: start,
		});
		let timer: NodeJS.Timeout | undefined;
		if (cancelAfterMs !== undefined) timer = setTimeout(() => execution.cancel(), cancelAfterMs);
		try {
			return await execution;
		} finally {
			if (timer) clearTimeout(timer);
		}
	}
}

/**
 * Credential data for the embedded sandbox, Custom environment: both APIs' parts (as `npm start`
 * imports it), or only one of them.
 */
export function sandboxCredentialData(
	sandbox: {
		tokenUrl: string;
		kapitaleBaseUrl: string;
		partnerBaseUrl: string;
		credentials: {
			clientId: string;
			clientSecret: string;
			bearerToken: string;
			partnerHashId: string;
			userHashId: string;
		};
	},
	parts: 'both' | 'kapitale' | 'partner' = 'both',
): ICredentialDataDecryptedObject {
	const data: ICredentialDataDecryptedObject = {
		environment: 'custom',
		tokenUrl: sandbox.tokenUrl,
		kapitaleBaseUrl: sandbox.kapitaleBaseUrl,
		partnerBaseUrl: sandbox.partnerBaseUrl,
	};
	if (parts !== 'partner') {
		data.clientId = sandbox.credentials.clientId;
		data.clientSecret = sandbox.credentials.clientSecret;
	}
	if (parts !== 'kapitale') {
		data.bearerToken = sandbox.credentials.bearerToken;
		data.partnerHashId = sandbox.credentials.partnerHashId;
		data.userHashId = sandbox.credentials.userHashId;
	}
	return data;
}
