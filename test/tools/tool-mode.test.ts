import type { IDataObject } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { pfCustomer } from '../partner/helpers';
import {
	answer,
	kapitaleEngine,
	openSandbox,
	partnerEngine,
	toolVariants,
	type RunningSandbox,
} from './helpers';

const byId = (value: string) => ({ __rl: true, mode: 'id', value });

const newOrder = (orderNumber: string, cnpj: string, amount = '10000'): IDataObject => ({
	resource: 'order',
	operation: 'create',
	orderNumber,
	retailCnpj: cnpj,
	requestedAmount: amount,
	purchaseDate: '2026-11-20',
	expiryDate: '2027-01-31',
	itemsInput: 'json',
	purchaseItemsJson: `[{ "value": ${Number(amount) / 2}, "quantity": 2 }]`,
});

describe('AI tools: misses, errors and retried writes of the …Tool variants', () => {
	let sandbox: RunningSandbox;
	beforeAll(async () => {
		sandbox = await openSandbox();
	});
	afterAll(async () => await sandbox.close());
	beforeEach(() => sandbox.clearLog());

	it('answers a missing order with found: false as a tool, and errors as before in a workflow', async () => {
		const engine = kapitaleEngine(sandbox);
		const missing = '00000000-0000-4000-8000-000000000000';
		const parameters = { resource: 'order', operation: 'get', orderId: byId(missing) };
		const asTool = await engine.runNode({ type: 'kapitaleOrderTool', parameters });
		expect(answer(asTool)).toEqual({
			found: false,
			orderId: missing,
			message: expect.stringMatching(/Get Many orders/),
		});
		const inWorkflow = await engine.runNode({ type: 'kapitaleOrder', parameters });
		expect(inWorkflow.error?.httpCode).toBe('404');
		// The 404 advice names the order, not a CNPJ that has nothing to do with it.
		expect(inWorkflow.error?.description).toMatch(/check the order ID/);
		expect(inWorkflow.error?.description).not.toMatch(/CNPJ/);
	});

	it('answers an unknown CNPJ with found: false as a tool, without the editor’s advice', async () => {
		const engine = kapitaleEngine(sandbox);
		const run = await engine.runNode({
			type: 'kapitaleCompanyTool',
			parameters: {
				resource: 'company',
				operation: 'getByCnpj',
				cnpj: sandbox.fixtures.unknownCnpj,
			},
		});
		const json = answer(run);
		expect(json.found).toBe(false);
		expect(JSON.stringify(json)).not.toMatch(/If Not Found/);
	});

	it('says what to change in one sentence, without item numbers, before any request', async () => {
		const run = await kapitaleEngine(sandbox).runNode({
			type: 'kapitaleOrderTool',
			// As a model's argument: an expression, so n8n's editor check does not stop it first.
			parameters: { resource: 'order', operation: 'get', orderId: byId('={{ "abc" }}') },
		});
		expect(run.error?.message).toMatch(
			/^Invalid "Order": "abc" is not a Kapitale order ID .*\)\. Fix this argument and call the tool again; nothing was sent\.$/,
		);
		expect(run.error?.message).not.toMatch(/Item 0|in item|API field/);
		expect(run.error?.description ?? '').toBe('');
		expect(sandbox.requestLog().filter((entry) => entry.service === 'kapitale')).toEqual([]);
	});

	it('returns the existing order when a tool retries a create with the same order number', async () => {
		const engine = kapitaleEngine(sandbox);
		const cnpj = sandbox.fixtures.registeredRetailCnpj;
		const parameters = newOrder('TOOL-RETRY-1', cnpj);
		const before = sandbox.counts().orders;
		const first = answer(await engine.runNode({ type: 'kapitaleOrderTool', parameters }));
		expect(first).toMatchObject({ order_status: 'pending' });
		expect(first.alreadyExisted).toBeUndefined();
		const again = answer(await engine.runNode({ type: 'kapitaleOrderTool', parameters }));
		expect(again).toMatchObject({ id: first.id, order_no: 'TOOL-RETRY-1', alreadyExisted: true });
		expect(sandbox.counts().orders).toBe(before + 1);
		// The same number for another amount is another order: refused, nothing created.
		const other = await engine.runNode({
			type: 'kapitaleOrderTool',
			parameters: newOrder('TOOL-RETRY-1', cnpj, '20000'),
		});
		expect(other.error?.message).toMatch(/already used by another order.*Use a new order number/);
		// A workflow keeps the API's 409, as documented.
		const inWorkflow = await engine.runNode({ type: 'kapitaleOrder', parameters });
		expect(inWorkflow.error?.httpCode).toBe('409');
		expect(sandbox.counts().orders).toBe(before + 1);
	});

	it('returns the existing customer when a tool retries a create for the same CPF', async () => {
		const engine = partnerEngine(sandbox);
		const parameters = pfCustomer({
			taxId: '529.982.247-25',
			contactCpf: '52998224725',
			name: 'Retry Tool Person',
		});
		const before = sandbox.counts().customers;
		const first = answer(await engine.runNode({ type: 'partnerCustomerTool', parameters }));
		const again = answer(await engine.runNode({ type: 'partnerCustomerTool', parameters }));
		expect(again).toMatchObject({ id: first.id, alreadyExisted: true });
		expect(sandbox.counts().customers).toBe(before + 1);
		const inWorkflow = await engine.runNode({ type: 'partnerCustomer', parameters });
		// The partner API's Portuguese is kept; a workflow gets it as before.
		expect(inWorkflow.error?.message).toMatch(/já está cadastrado/);
	});

	it('does not request credit twice when a tool retries the same operation', async () => {
		const engine = partnerEngine(sandbox);
		const parameters = {
			resource: 'operation',
			operation: 'create',
			applicant: 'existingCustomer',
			customerId: byId(sandbox.fixtures.customerIds.PF),
			amount: '4321.00',
			installments: 7,
			description: 'Retry test',
			quantity: 1,
		};
		const before = sandbox.counts().operations;
		const first = answer(await engine.runNode({ type: 'partnerOperationTool', parameters }));
		sandbox.clearLog();
		const again = answer(await engine.runNode({ type: 'partnerOperationTool', parameters }));
		expect(again).toMatchObject({ operationId: first.operationId, alreadyExisted: true });
		expect(sandbox.requestLog().some((entry) => entry.path.endsWith('/operation/create'))).toBe(
			false,
		);
		expect(sandbox.counts().operations).toBe(before + 1);
	});

	it('glosses the partner API’s Portuguese refusal in English for a model', async () => {
		const run = await partnerEngine(sandbox).runNode({
			type: 'partnerOperationTool',
			parameters: {
				resource: 'operation',
				operation: 'create',
				applicant: 'existingCustomer',
				customerId: byId('zzzzzzzzzz'),
				amount: '1000',
				installments: 6,
				description: 'Notebook',
				quantity: 1,
			},
		});
		expect(run.error?.message).toMatch(/"Customer Hashid" é inválido\..*English: .*is invalid/);
		expect(run.error?.message).toMatch(/Change the arguments/);
	});

	it('gives each tool a description of its own, shown only in the tool variant', () => {
		const variants = toolVariants();
		const order = variants['n8n-nodes-kapitale.kapitaleOrderTool'].description;
		const defaults = (type: typeof order, parameters: IDataObject) =>
			NodeHelpers.getNodeParameters(
				type.properties,
				parameters as never,
				true,
				false,
				null,
				type,
			) as IDataObject;
		const getAll = defaults(order, { resource: 'order', operation: 'getAll' });
		expect(getAll.toolDescription).toMatch(/orderStatus/);
		const company = variants['n8n-nodes-kapitale.kapitaleCompanyTool'].description;
		expect(
			defaults(company, { resource: 'company', operation: 'getByCnpj' }).toolDescription,
		).toMatch(/needsChecking: true/);
		// The workflow node has no such parameter.
		const plain = { ...order, name: 'kapitaleOrder' };
		expect(
			defaults(plain, { resource: 'order', operation: 'getAll' }).toolDescription,
		).toBeUndefined();
	});
});
