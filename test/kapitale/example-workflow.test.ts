import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { IConnections, IDataObject, INode } from 'n8n-workflow';

// helpers first: it limits the harness to the Kapitale nodes before the engine loads them.
import { openSandbox, type RunningSandbox } from './helpers';
import { Engine, sandboxCredentialData, SOURCE_NODE_TYPE } from '../harness/engine';

const EXAMPLE = path.resolve(__dirname, '../../examples/kapitale-orders-from-sheet.json');

interface ExampleWorkflow {
	nodes: Array<INode & { credentials?: IDataObject }>;
	connections: IConnections;
}

describe('example workflow: spreadsheet rows → look up retail → create orders → write ids back', () => {
	const workflow = JSON.parse(readFileSync(EXAMPLE, 'utf8')) as ExampleWorkflow;
	const byName = (name: string) => workflow.nodes.find((node) => node.name === name)!;

	let sandbox: RunningSandbox;
	beforeAll(async () => (sandbox = await openSandbox()));
	afterAll(async () => await sandbox.close());

	it('uses only our nodes and core nodes that exist in n8n 2.41, wired in a line, with the sandbox credential', () => {
		const allowed = new Set([
			'n8n-nodes-base.manualTrigger',
			'n8n-nodes-base.code',
			'n8n-nodes-base.set',
			'n8n-nodes-base.noOp',
			'n8n-nodes-kapitale.kapitaleCompany',
			'n8n-nodes-kapitale.kapitaleOrder',
		]);
		for (const node of workflow.nodes) expect(allowed).toContain(node.type);
		for (const node of workflow.nodes.filter((entry) =>
			entry.type.startsWith('n8n-nodes-kapitale.'),
		)) {
			expect(node.credentials).toEqual({
				kapitaleApi: { id: 'kapitale-sandbox', name: 'Kapitale Sandbox' },
			});
		}
		const names = new Set(workflow.nodes.map((node) => node.name));
		for (const [from, outputs] of Object.entries(workflow.connections)) {
			expect(names).toContain(from);
			for (const connection of outputs.main.flat()) expect(names).toContain(connection!.node);
		}
		expect(new Set(workflow.nodes.map((node) => node.id)).size).toBe(workflow.nodes.length);
	});

	it('its Kapitale part creates one order per row, with the retail contact from the look-up', async () => {
		// The Code node's rows, emitted by the harness source node under the same name.
		const rows = (
			new Function(byName('Spreadsheet rows').parameters.jsCode as string)() as Array<{
				json: IDataObject;
			}>
		).map((row) => ({
			...row.json,
			order_number: `${String(row.json.order_number)}-${Date.now()}`,
		}));
		const lookUp = byName('Look up retail');
		const create = byName('Create order');
		const nodes: INode[] = [
			{
				id: 'rows',
				name: 'Spreadsheet rows',
				type: SOURCE_NODE_TYPE,
				typeVersion: 1,
				position: [0, 0],
				parameters: {
					items: rows.map((json) => ({ json })) as unknown as INode['parameters']['items'],
				},
			},
			{ ...lookUp },
			{ ...create },
		];
		const connections: IConnections = {
			'Spreadsheet rows': workflow.connections['Spreadsheet rows'],
			'Look up retail': workflow.connections['Look up retail'],
		};
		const engine = new Engine({
			credentials: { 'kapitale-sandbox': sandboxCredentialData(sandbox) },
		});
		const run = await engine.execute(nodes, connections);
		expect(run.data.resultData.error).toBeUndefined();
		const created = run.data.resultData.runData['Create order'][0].data!.main[0]!;
		expect(created).toHaveLength(rows.length);
		expect(created.map((item) => item.json.order_no)).toEqual(rows.map((row) => row.order_number));
		expect(created.every((item) => item.json.order_status === 'pending')).toBe(true);
		expect(created[0].json.retail_email).toBe('contato@empresa.com.br');
		expect(created[1].json.retail_representative).toBe('Maria Santos');
		expect(created.map((item) => item.pairedItem)).toEqual(rows.map((_, item) => ({ item })));
	});
});
