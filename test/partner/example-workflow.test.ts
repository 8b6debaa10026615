import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { IConnections, INode, INodeExecutionData } from 'n8n-workflow';

import { startSandbox, type RunningSandbox } from '../../sandbox';
import { Engine, PACKAGE_PREFIX, SOURCE_NODE_TYPE, sandboxCredentialData } from '../harness/engine';
import { allNodeTypes } from '../harness/nodes';

const file = path.resolve(__dirname, '../../examples/partner-customer-operation.json');
const workflow = JSON.parse(readFileSync(file, 'utf8')) as {
	nodes: INode[];
	connections: IConnections;
};
const BASE_NODES = [
	'n8n-nodes-base.manualTrigger',
	'n8n-nodes-base.code',
	'n8n-nodes-base.set',
	'n8n-nodes-base.noOp',
];

describe('examples/partner-customer-operation.json', () => {
	let sandbox: RunningSandbox;
	beforeAll(async () => (sandbox = await startSandbox({ quiet: true })));
	afterAll(async () => await sandbox.close());

	it('uses only known node types, parameters our nodes define, and the sandbox bearer credential', () => {
		const ours = allNodeTypes();
		for (const node of workflow.nodes) {
			if (!node.type.startsWith(`${PACKAGE_PREFIX}.`)) {
				expect(BASE_NODES).toContain(node.type);
				continue;
			}
			const type = ours[node.type.slice(PACKAGE_PREFIX.length + 1)];
			expect(type).toBeDefined();
			const names = new Set(type.description.properties.map((property) => property.name));
			for (const key of Object.keys(node.parameters)) expect(names).toContain(key);
			expect(node.credentials).toEqual({
				kapitaleApi: { id: 'kapitale-sandbox', name: 'Kapitale Sandbox' },
			});
		}
	});

	it('runs form row → customer → operation → status against the sandbox', async () => {
		const code = workflow.nodes.find((node) => node.type === 'n8n-nodes-base.code')!;
		// The Code node's row, evaluated here because n8n-nodes-base is not part of the harness.
		const rows = new Function(String(code.parameters.jsCode))() as INodeExecutionData[];
		const nodes: INode[] = [
			{ ...code, type: SOURCE_NODE_TYPE, typeVersion: 1, parameters: { items: rows as never } },
			...workflow.nodes.filter((node) => node.type.startsWith(`${PACKAGE_PREFIX}.`)),
		];
		const connections = Object.fromEntries(
			Object.entries(workflow.connections).filter(([name]) =>
				nodes.some((node) => node.name === name),
			),
		);
		const engine = new Engine({
			credentials: { 'kapitale-sandbox': sandboxCredentialData(sandbox) },
		});
		const before = sandbox.counts();
		const run = await engine.execute(nodes, connections);
		expect(run.data.resultData.error).toBeUndefined();
		const output = (name: string) =>
			run.data.resultData.runData[name]?.[0]?.data?.main?.[0]?.map((item) => item.json) ?? [];
		expect(output('Create Customer')[0]).toMatchObject({
			personType: 'PF',
			cityName: 'Araranguá - SC',
		});
		expect(output('Create Operation')[0]).toMatchObject({
			amount: 3290,
			installments: 12,
			customerId: output('Create Customer')[0].id,
		});
		expect(output('Get Operation Status')).toEqual([
			{
				operationId: output('Create Operation')[0].operationId,
				status: 'Em análise',
				statusSlug: 'em-analise',
			},
		]);
		expect(sandbox.counts()).toMatchObject({
			customers: before.customers + 1,
			operations: before.operations + 1,
		});
	});
});
