// Mapped fields inside a real n8n (part of `npm run test:e2e`): the same spreadsheet-like rows go
// through Kapitale Order › Create three ways – fields mapped with plain `{{ $json.x }}` (read by the
// node without n8n's expression engine), the same fields through expressions n8n has to evaluate,
// and Input Mode › Map Input Fields Automatically – and every way must send the same order.
import assert from 'node:assert/strict';

import { n8nCli, parseCliJson } from './n8n-local.mjs';
import { importWorkflow, SANDBOX_CREDENTIAL } from './stack.mjs';

const WORKFLOW_ID = 'kptE2eMappedFld';

/** Rows as a sheet or an ERP hands them over: masked CNPJ with spaces, BRL text, Brazilian dates. */
const ROWS = [
	{
		order_number: 'MAP-1',
		retail_cnpj: ' 11.222.333/0001-81 ',
		requested_amount: 'R$ 10.000,00',
		purchase_date: '26/02/2025',
		expiry_date: '31/12/2025',
		purchase_items: [{ description: 'Produto A', value: 'R$ 5.000,00', quantity: 2 }],
	},
	{
		order_number: 'MAP-2',
		retail_cnpj: '11222333000181',
		requested_amount: 1500.5,
		purchase_date: '2025-03-10',
		expiry_date: '2025-06-10',
		purchase_items: [{ description: 'Produto B', value: 750.25, quantity: 2 }],
	},
];

const WAYS = {
	'Create (plain mappings)': (field) => `={{ $json.${field} }}`,
	// Same values, but expressions the node leaves to n8n's engine.
	'Create (evaluated)': (field) => `={{ $json["${field}"] ?? '' }}`,
};

function createNode(name, position, parameters) {
	return {
		id: `e2e-mapping-${position}`,
		name,
		type: 'n8n-nodes-kapitale.kapitaleOrder',
		typeVersion: 1,
		position: [400, position * 200],
		parameters: { resource: 'order', operation: 'create', ...parameters, options: {} },
		credentials: { kapitaleApi: { ...SANDBOX_CREDENTIAL } },
	};
}

function rowsNode(name, suffix, position) {
	const rows = ROWS.map((row) => ({
		...row,
		order_number: `${row.order_number}-${suffix}-${Date.now()}`,
	}));
	return {
		id: `e2e-rows-${position}`,
		name,
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		position: [200, position * 200],
		parameters: { jsCode: `return ${JSON.stringify(rows)}.map((json) => ({ json }));` },
	};
}

function workflow() {
	const nodes = [
		{
			id: 'e2e-mapping-start',
			name: 'Start',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
	];
	const connections = {};
	const link = (from, to) => {
		(connections[from] ??= { main: [[]] }).main[0].push({ node: to, type: 'main', index: 0 });
	};
	const ways = [...Object.entries(WAYS), ['Create (automatic)', undefined]];
	ways.forEach(([name, mapped], index) => {
		const rows = rowsNode(`Rows ${index + 1}`, String.fromCharCode(65 + index), index);
		const parameters = mapped
			? {
					orderNumber: mapped('order_number'),
					retailCnpj: mapped('retail_cnpj'),
					requestedAmount: mapped('requested_amount'),
					purchaseDate: mapped('purchase_date'),
					expiryDate: mapped('expiry_date'),
					itemsInput: 'json',
					purchaseItemsJson: mapped('purchase_items'),
				}
			: { inputMode: 'auto' };
		nodes.push(rows, createNode(name, index, parameters));
		link('Start', rows.name);
		link(rows.name, name);
	});
	return {
		id: WORKFLOW_ID,
		name: 'e2e: mapped fields three ways',
		active: false,
		nodes,
		connections,
		settings: { executionOrder: 'v1' },
	};
}

/** What the API was sent, as the sandbox stored it (Create outputs the stored order). */
function sent(order) {
	const json = order.json;
	return {
		retail_cnpj: json.retail?.cnpj,
		requested_amount: Number(json.requested_amount),
		purchase_date: String(json.purchase_date).slice(0, 10),
		expiry_date: String(json.expiry_date).slice(0, 10),
		items: (json.purchase_items ?? []).map((item) => ({
			description: item.description,
			value: Number(item.value),
			quantity: Number(item.quantity),
		})),
	};
}

export async function runMappingCheck({ cliOptions }) {
	await importWorkflow(workflow(), { cliOptions });
	const { stdout } = await n8nCli(['execute', `--id=${WORKFLOW_ID}`, '--rawOutput'], cliOptions);
	const run = parseCliJson(stdout);
	const outputs = {};
	for (const name of [...Object.keys(WAYS), 'Create (automatic)']) {
		const task = run.data.resultData.runData[name]?.[0];
		assert.ok(task, `node "${name}" did not run`);
		assert.equal(task.error, undefined, `${name} failed: ${task.error?.message}`);
		outputs[name] = (task.data?.main?.[0] ?? []).map(sent);
		assert.equal(outputs[name].length, ROWS.length, `${name}: one order per row`);
	}
	assert.deepEqual(outputs['Create (plain mappings)'][0], {
		retail_cnpj: '11222333000181',
		requested_amount: 10000,
		purchase_date: '2025-02-26',
		expiry_date: '2025-12-31',
		items: [{ description: 'Produto A', value: 5000, quantity: 2 }],
	});
	assert.deepEqual(
		outputs['Create (evaluated)'],
		outputs['Create (plain mappings)'],
		'plain mappings and evaluated expressions send the same orders',
	);
	assert.deepEqual(
		outputs['Create (automatic)'],
		outputs['Create (plain mappings)'],
		'automatic mode sends the same orders',
	);
	return `${ROWS.length} rows × 3 ways (plain {{ $json.x }}, evaluated, automatic) → identical orders`;
}
