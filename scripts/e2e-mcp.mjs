// The package's AI-tool variants behind n8n's MCP Server Trigger, in the e2e stage's running n8n:
// publishes examples/kapitale-partner-ai-tools-mcp.json (every action node's tool variant, reads
// and writes against the sandbox), then drives /mcp/kapitale-tools with the official MCP SDK
// client over streamable HTTP, as an MCP client (Claude Desktop, an IDE, another agent) would:
// lists the tools, calls each, and checks results, misses, refusals, retried creates and the
// sandbox's request log. No model is involved: the client sends the arguments a model would.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

import { waitFor } from './lib/n8n-api.mjs';
import { PROJECT_DIR, rest } from './n8n-local.mjs';
import { control } from './stack.mjs';

export const MCP_EXAMPLE = 'kapitale-partner-ai-tools-mcp.json';
const example = JSON.parse(readFileSync(path.join(PROJECT_DIR, 'examples', MCP_EXAMPLE), 'utf8'));
const MCP_PATH = example.nodes.find((node) => node.type.endsWith('.mcpTrigger')).parameters.path;

const READS = [
	'Get_company_by_CNPJ',
	'Get_order',
	'Get_many_orders',
	'Get_customer',
	'Get_many_customers',
	'Get_operation_status',
	'Get_operation_details',
	'Get_many_operations',
	'Search_cities',
	'Search_banks',
];
const WRITES = ['Create_order', 'Cancel_order', 'Create_customer', 'Create_credit_operation'];

/** The JSON a tool answered (n8n returns the items' json as one text part). */
function parsed(result) {
	const text = result.content?.map((part) => part.text ?? '').join('') ?? '';
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}

function firstOf(value) {
	return Array.isArray(value) ? value[0] : value;
}

export async function runMcpChecks({ url, cookie, sandbox, check }) {
	const info = await control(sandbox, 'GET', '/info');
	const fixtures = info.fixtures;
	const secrets = [
		sandbox.credentials.clientSecret,
		sandbox.credentials.bearerToken,
		sandbox.credentials.clientId,
	].filter(Boolean);
	const seen = [];
	let client;

	const call = async (name, args) => {
		const since = (await control(sandbox, 'GET', '/log')).at(-1)?.seq ?? 0;
		const result = await client.callTool({ name, arguments: args });
		seen.push(JSON.stringify(result));
		const requests = await control(sandbox, 'GET', `/log?since=${since}`);
		return { result, json: parsed(result), requests };
	};

	await check('MCP: the tools example publishes and its MCP server answers', async () => {
		const stored = await rest({ url, path: `/rest/workflows/${example.id}`, cookie });
		assert.equal(stored.status, 200, `the example is imported: HTTP ${stored.status}`);
		const activated = await rest({
			url,
			path: `/rest/workflows/${example.id}/activate`,
			method: 'POST',
			body: { versionId: stored.data.versionId },
			cookie,
		});
		assert.equal(activated.status, 200, `publish: HTTP ${activated.status} ${activated.text}`);
		const after = await rest({ url, path: `/rest/workflows/${example.id}`, cookie });
		assert.ok(after.data.active, 'the workflow is active');
		// n8n registers the production webhooks of a published workflow a moment after answering.
		await waitFor(`/mcp/${MCP_PATH} registered`, async () => {
			const probe = await fetch(`${url}/mcp/${MCP_PATH}`, { method: 'POST', body: '{}' });
			await probe.body?.cancel();
			return probe.status !== 404;
		});
		client = new Client({ name: 'kapitale-e2e', version: '1.0.0' });
		await client.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp/${MCP_PATH}`)));
		return `${url}/mcp/${MCP_PATH}`;
	});

	let tools;
	await check('MCP: tool names, descriptions and input schemas', async () => {
		({ tools } = await client.listTools());
		seen.push(JSON.stringify(tools));
		const names = tools.map((tool) => tool.name).sort();
		assert.deepEqual(names, [...READS, ...WRITES].sort());
		const byName = Object.fromEntries(tools.map((tool) => [tool.name, tool]));
		for (const tool of tools) {
			assert.ok(tool.description.length > 150, `${tool.name}: a description a model can use`);
			assert.doesNotMatch(tool.description, / in (Kapitale|Partner|City|Bank) \w+$/);
			assert.ok(
				Object.keys(tool.inputSchema.properties ?? {}).length > 0,
				`${tool.name}: its input schema is not empty`,
			);
		}
		assert.match(byName.Get_company_by_CNPJ.description, /needsChecking/);
		assert.match(byName.Get_company_by_CNPJ.description, /source "bureau"/);
		assert.match(byName.Get_many_orders.description, /orderStatus/);
		assert.match(byName.Get_order.description, /UUID/);
		assert.match(byName.Get_operation_status.description, /aguardando-documentos/);
		assert.match(byName.Create_order.description, /alreadyExisted/);
		assert.match(byName.Cancel_order.description, /explicit ID/);
		const orders = byName.Get_many_orders.inputSchema.properties;
		assert.deepEqual(Object.keys(orders).sort(), ['limit', 'retailCnpj', 'status']);
		assert.equal(orders.limit.type, 'number');
		assert.deepEqual(byName.Get_order.inputSchema.required, ['orderId']);
		assert.deepEqual(byName.Cancel_order.inputSchema.required.sort(), ['orderId', 'reason']);
		return `${tools.length} tools; Get_many_orders takes ${Object.keys(orders).join(', ')}`;
	});

	await check('MCP: every read tool answers with the sandbox’s data', async () => {
		const orderId = fixtures.orderIdsByStatus.approved[0];
		const operationId = fixtures.operationIdsBySlug['em-analise'][0];
		// Earlier stages (the polling trigger's) may have moved it: the sandbox says where it is now.
		const operationNow = await control(sandbox, 'GET', `/operations/${operationId}`);
		const expectedSlug = operationNow.status_slug;
		assert.ok(expectedSlug, 'the sandbox knows the operation');
		const outcomes = {
			Get_company_by_CNPJ: await call('Get_company_by_CNPJ', {
				cnpj: fixtures.bureauRetailCnpj,
			}),
			Get_order: await call('Get_order', { orderId }),
			Get_many_orders: await call('Get_many_orders', {
				status: 'pending_invoice',
				retailCnpj: '',
				limit: 3,
			}),
			Get_customer: await call('Get_customer', { customerId: fixtures.customerIds.PF }),
			Get_many_customers: await call('Get_many_customers', { name: '', limit: 2 }),
			Get_operation_status: await call('Get_operation_status', { operationId }),
			Get_operation_details: await call('Get_operation_details', { operationId }),
			Get_many_operations: await call('Get_many_operations', { customerName: '', limit: 2 }),
			Search_cities: await call('Search_cities', { cityName: 'Ararangua' }),
			Search_banks: await call('Search_banks', { bank: '237' }),
		};
		for (const [name, { result, requests }] of Object.entries(outcomes)) {
			assert.ok(!result.isError, `${name}: ${JSON.stringify(result.content)}`);
			assert.ok(requests.length >= 1, `${name} reached the sandbox`);
		}
		const company = firstOf(outcomes.Get_company_by_CNPJ.json);
		assert.equal(company.found, true);
		assert.equal(company.source, 'bureau');
		assert.equal(company.needsChecking, true);
		assert.equal(firstOf(outcomes.Get_order.json).id, orderId);
		const orders = outcomes.Get_many_orders.json;
		assert.equal(orders.length, 3, 'the model’s limit is applied');
		for (const order of orders) assert.equal(order.orderStatus, 'pending_invoice');
		assert.equal(
			outcomes.Get_many_orders.requests.at(-1).query.status,
			'pending_invoice',
			'the model’s status filter is sent',
		);
		// The account-wide pendingInvoices is not copied onto every order row (issue 22).
		assert.ok(!('pendingInvoices' in orders[0]), 'no account-wide figure on an order row');
		assert.equal(firstOf(outcomes.Get_customer.json).id, fixtures.customerIds.PF);
		assert.equal(outcomes.Get_many_customers.json.length, 2);
		assert.equal(firstOf(outcomes.Get_operation_status.json).statusSlug, expectedSlug);
		assert.equal(outcomes.Get_many_operations.json.length, 2);
		assert.ok(outcomes.Search_cities.json.some((city) => city.id === fixtures.cityIds.araranguaSC));
		assert.ok(outcomes.Search_banks.json.some((bank) => bank.id === fixtures.bankIds.bradesco));
		return `${Object.keys(outcomes).length} reads, ${Object.values(outcomes).reduce((sum, entry) => sum + entry.requests.length, 0)} sandbox requests`;
	});

	await check('MCP: a look-up miss is an answer (found: false), not an error', async () => {
		const missingOrder = '00000000-0000-4000-8000-000000000000';
		const order = await call('Get_order', { orderId: missingOrder });
		assert.ok(!order.result.isError, JSON.stringify(order.result.content));
		assert.deepEqual(Object.keys(firstOf(order.json)).sort(), ['found', 'message', 'orderId']);
		assert.equal(firstOf(order.json).found, false);
		assert.equal(firstOf(order.json).orderId, missingOrder);
		assert.equal(order.requests.at(-1).status, 404, 'the sandbox was asked');
		const company = await call('Get_company_by_CNPJ', { cnpj: fixtures.unknownCnpj });
		assert.ok(!company.result.isError);
		assert.equal(firstOf(company.json).found, false);
		assert.doesNotMatch(JSON.stringify(company.json), /If Not Found/);
		const status = await call('Get_operation_status', { operationId: 'zzzzzzzzzz' });
		assert.ok(!status.result.isError);
		assert.equal(firstOf(status.json).found, false);
		return firstOf(order.json).message;
	});

	await check('MCP: invalid input is refused before any request, in one sentence', async () => {
		const bad = await call('Get_order', { orderId: 'not-an-id' });
		assert.ok(bad.result.isError, 'an error for the model');
		const text = bad.result.content[0].text;
		assert.match(text, /Invalid "Order": "not-an-id" is not a Kapitale order ID/);
		assert.doesNotMatch(text, /Item 0|in item|API field|Details:/);
		assert.deepEqual(bad.requests, [], 'nothing was sent');
		const status = await call('Get_many_orders', { status: 'open', retailCnpj: '', limit: 5 });
		assert.ok(status.result.isError);
		assert.match(status.result.content[0].text, /"open" is not a status: use pending/);
		assert.deepEqual(status.requests, []);
		const cancel = await call('Cancel_order', { orderId: '', reason: 'test' });
		assert.ok(cancel.result.isError, 'Cancel needs an explicit order ID');
		assert.deepEqual(cancel.requests, []);
		return text;
	});

	await check(
		'MCP: a partner refusal keeps the API’s Portuguese, with an English gloss',
		async () => {
			const refused = await call('Create_credit_operation', {
				customerId: 'zzzzzzzzzz',
				amount: 1000,
				installments: 6,
				description: 'Notebook',
			});
			assert.ok(refused.result.isError);
			const text = refused.result.content[0].text;
			assert.match(text, /é inválido/);
			assert.match(text, /English: .*is invalid/);
			assert.doesNotMatch(text, /Item 0|in item/);
			return text;
		},
	);

	await check('MCP: writes, and a retried create creates nothing twice', async () => {
		const before = await control(sandbox, 'GET', '/counts');
		const order = {
			orderNumber: `MCP-${Date.now()}`,
			retailCnpj: fixtures.registeredRetailCnpj,
			requestedAmount: 10000,
			purchaseDate: '2026-11-20',
			expiryDate: '2027-01-31',
			purchaseItems: '[{"value": 5000, "quantity": 2, "description": "Produto A"}]',
		};
		const first = await call('Create_order', order);
		assert.ok(!first.result.isError, JSON.stringify(first.result.content));
		const created = firstOf(first.json);
		assert.equal(created.order_status, 'pending');
		assert.equal(created.alreadyExisted, undefined);
		const again = await call('Create_order', order);
		assert.ok(!again.result.isError, JSON.stringify(again.result.content));
		assert.equal(firstOf(again.json).id, created.id);
		assert.equal(firstOf(again.json).alreadyExisted, true);
		assert.equal(again.requests.find((entry) => entry.method === 'POST')?.status, 409);

		const person = {
			cpf: '529.982.247-25',
			name: 'Ana Tool Retry',
			email: 'ana.retry@example.com.br',
			mobilePhone: '(48) 99339-7760',
			motherName: 'Laura Flávia',
			birthDate: '03/08/1992',
			cep: '88904-278',
			street: 'Rua Madre Tereza de Calcutá',
			streetNumber: '556',
			district: 'Lagoão',
			city: 'Araranguá - SC',
		};
		const customer = await call('Create_customer', person);
		assert.ok(!customer.result.isError, JSON.stringify(customer.result.content));
		const customerId = firstOf(customer.json).id;
		const customerAgain = await call('Create_customer', person);
		assert.ok(!customerAgain.result.isError, JSON.stringify(customerAgain.result.content));
		assert.equal(firstOf(customerAgain.json).id, customerId);
		assert.equal(firstOf(customerAgain.json).alreadyExisted, true);

		const credit = { customerId, amount: 3290, installments: 12, description: 'Notebook' };
		const operation = await call('Create_credit_operation', credit);
		assert.ok(!operation.result.isError, JSON.stringify(operation.result.content));
		const operationId = firstOf(operation.json).operationId;
		const operationAgain = await call('Create_credit_operation', credit);
		assert.ok(!operationAgain.result.isError);
		assert.equal(firstOf(operationAgain.json).operationId, operationId);
		assert.equal(firstOf(operationAgain.json).alreadyExisted, true);
		assert.ok(
			!operationAgain.requests.some((entry) => entry.path.endsWith('/operation/create')),
			'the retry sent no create',
		);

		const cancel = await call('Cancel_order', { orderId: created.id, reason: 'Test via MCP' });
		assert.ok(!cancel.result.isError, JSON.stringify(cancel.result.content));
		assert.equal(firstOf(cancel.json).order_status, 'cancelled');

		const after = await control(sandbox, 'GET', '/counts');
		assert.equal(after.orders - before.orders, 1, 'one order for two creates');
		assert.equal(after.customers - before.customers, 1, 'one customer for two creates');
		assert.equal(after.operations - before.operations, 1, 'one operation for two creates');
		return `order ${created.id}, customer ${customerId}, operation ${operationId}: each created once`;
	});

	await check('MCP: no secret in any tool list, result or error', async () => {
		await client.close();
		const all = seen.join('\n');
		for (const secret of secrets) assert.ok(!all.includes(secret), 'a credential secret leaked');
		assert.doesNotMatch(all, /Bearer [A-Za-z0-9._-]{20,}/);
		assert.doesNotMatch(all, /eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/, 'no JWT');
		return `${seen.length} MCP answers checked`;
	});
}

// `node scripts/e2e-mcp.mjs`: only this stage, with its own sandbox and n8n (the e2e runs it in
// its n8n instead).
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
	const { mkdirSync, mkdtempSync, rmSync } = await import('node:fs');
	const local = await import('./n8n-local.mjs');
	const stack = await import('./stack.mjs');
	const { checkRecorder } = await import('./lib/checks.mjs');
	// Standalone: every check runs, so one run shows every failure.
	const { check, results } = checkRecorder({ stopOnFailure: false });
	mkdirSync(local.LOCAL_DIR, { recursive: true });
	const userFolder = mkdtempSync(path.join(local.LOCAL_DIR, 'e2e-mcp-'));
	const cliOptions = { userFolder, customExtensions: null, communityPackage: true };
	let sandbox;
	let failed = false;
	try {
		if (!process.argv.includes('--no-build')) stack.buildPackage();
		await local.ensureN8n();
		sandbox = await stack.startSandboxProcess({ port: await local.freePort() });
		await stack.importFixtures({ sandbox, userFolder, cliOptions });
		const n8n = await local.startN8n({ port: await local.freePort(), ...cliOptions });
		const { cookie } = await local.ensureOwner({ url: n8n.url });
		await runMcpChecks({ url: n8n.url, cookie, sandbox, check });
	} catch (error) {
		failed = true;
		process.stderr.write(`\n${error.stack ?? error}\n`);
	} finally {
		await Promise.allSettled([local.stopAll(), sandbox?.stop()]);
		if (!failed) rmSync(userFolder, { recursive: true, force: true });
	}
	const passed = results.filter((entry) => entry.ok).length;
	process.stdout.write(`\n${passed} passed, ${results.length - passed} failed\n`);
	process.exit(failed || passed < results.length ? 1 : 0);
}
