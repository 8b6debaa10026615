/**
 * Issue 22: one credential holds both APIs' parts, each optional. n8n pre-selects any credential
 * of the type for a new node, so a node must work with whichever credential holds its part, and
 * say plainly, before sending anything, when the credential lacks it.
 */
import { randomUUID } from 'node:crypto';

import type { ICredentialDataDecryptedObject, INode, IDataObject } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { KapitaleApi } from '../../credentials/KapitaleApi.credentials';
import { KapitaleOrder } from '../../nodes/Kapitale/KapitaleOrder/KapitaleOrder.node';
import { PartnerCustomer } from '../../nodes/Partner/PartnerCustomer/PartnerCustomer.node';
import { Engine, PACKAGE_PREFIX, SOURCE_NODE_TYPE, sandboxCredentialData } from '../harness/engine';
import { loadOptionsContext, openSandbox, type RunningSandbox } from '../kapitale/helpers';

let sandbox: RunningSandbox;
beforeAll(async () => (sandbox = await openSandbox()));
afterAll(async () => await sandbox?.close());
beforeEach(() => sandbox.clearLog());

const CREDENTIAL = { id: 'sandbox', name: 'Kapitale Sandbox' };

function node(name: string, type: string, parameters: IDataObject, extra: Partial<INode> = {}) {
	return {
		id: randomUUID(),
		name,
		type: `${PACKAGE_PREFIX}.${type}`,
		typeVersion: 1,
		position: [200, 0],
		parameters,
		credentials: { kapitaleApi: CREDENTIAL },
		...extra,
	} as INode;
}

/** Items → each of `nodes`, side by side, all with the same credential. */
async function runSideBySide(
	data: ICredentialDataDecryptedObject,
	nodes: INode[],
	items: IDataObject[] = [{}],
) {
	const engine = new Engine({ credentials: { [CREDENTIAL.id]: data } });
	const source: INode = {
		id: randomUUID(),
		name: 'Items',
		type: SOURCE_NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: { items: items.map((json) => ({ json })) as never },
	};
	const run = await engine.execute([source, ...nodes], {
		Items: {
			main: [
				nodes.map((target) => ({ node: target.name, type: NodeConnectionTypes.Main, index: 0 })),
			],
		},
	});
	const taskOf = (name: string) => run.data.resultData.runData[name]?.[0];
	return { engine, run, taskOf, items: (name: string) => taskOf(name)?.data?.main?.[0] ?? [] };
}

const orders = () =>
	node('Kapitale Order', 'kapitaleOrder', {
		resource: 'order',
		operation: 'getAll',
		returnAll: false,
		limit: 2,
	});
const banks = () =>
	node('Bank Search', 'bankSearch', { resource: 'bank', operation: 'search', query: '237' });

describe('one credential, both parts', () => {
	it('serves a Kapitale node and a partner node in one workflow, each with its own secret', async () => {
		const { run, items } = await runSideBySide(sandboxCredentialData(sandbox), [orders(), banks()]);
		expect(run.data.resultData.error).toBeUndefined();
		expect(items('Kapitale Order')).toHaveLength(2);
		expect(items('Bank Search')[0].json).toMatchObject({ code: '237' });
		const log = sandbox.requestLog();
		// The sandbox refuses the partner token on Kapitale and the Kapitale token on the partner
		// API: every request answered 200, and the partner request minted no token.
		expect(log.map((entry) => [entry.service, entry.method, entry.path, entry.status])).toEqual(
			expect.arrayContaining([
				['token', 'POST', expect.any(String), 200],
				['kapitale', 'GET', '/kapitale/order', 200],
				['partner', 'GET', '/partner/bank/search', 200],
			]),
		);
		expect(log.filter((entry) => entry.service === 'token')).toHaveLength(1);
		expect(log.every((entry) => entry.status === 200)).toBe(true);
	});

	it('sends a partner request without minting a Kapitale token', async () => {
		const { run, items } = await runSideBySide(sandboxCredentialData(sandbox), [banks()]);
		expect(run.data.resultData.error).toBeUndefined();
		expect(items('Bank Search')).not.toHaveLength(0);
		expect(sandbox.requestLog().map((entry) => entry.service)).toEqual(['partner']);
	});

	it('authenticate() gives each API its own secret (also for requests n8n sends itself)', async () => {
		const credential = new KapitaleApi();
		const authenticate = credential.authenticate as unknown as (
			credentials: ICredentialDataDecryptedObject,
			options: IDataObject,
		) => Promise<{ headers: Record<string, string> }>;
		const data = { ...sandboxCredentialData(sandbox), accessToken: 'kapitale-jwt' };
		const header = async (url: string, extra: IDataObject = {}) =>
			(await authenticate({ ...data, ...extra }, { url })).headers.Authorization;
		expect(await header(`${sandbox.partnerBaseUrl}/bank/search`)).toBe(
			`Bearer ${sandbox.credentials.bearerToken}`,
		);
		expect(await header(`${sandbox.kapitaleBaseUrl}/order`)).toBe('Bearer kapitale-jwt');
		// The transport's mark wins over the URL.
		expect(await header(`${sandbox.kapitaleBaseUrl}/order`, { kapitaleService: 'partner' })).toBe(
			`Bearer ${sandbox.credentials.bearerToken}`,
		);
	});
});

describe('a credential lacking the node’s part', () => {
	const partnerOnly = () => sandboxCredentialData(sandbox, 'partner');
	const kapitaleOnly = () => sandboxCredentialData(sandbox, 'kapitale');

	it('a Kapitale node names the credential and the missing fields, and sends nothing', async () => {
		const { taskOf, run } = await runSideBySide(partnerOnly(), [orders()]);
		const error = taskOf('Kapitale Order')?.error ?? run.data.resultData.error;
		expect(error?.message).toBe(
			"Kapitale Order needs the Kapitale Client ID and Client Secret; credential 'Kapitale Sandbox' holds only the partner token",
		);
		expect(error?.name).toBe('NodeOperationError');
		expect(sandbox.requestLog()).toEqual([]);
	});

	it('a partner node names the credential and the missing token, and sends nothing', async () => {
		const { taskOf, run } = await runSideBySide(kapitaleOnly(), [banks()]);
		const error = taskOf('Bank Search')?.error ?? run.data.resultData.error;
		expect(error?.message).toBe(
			"Bank Search needs the Partner Token; credential 'Kapitale Sandbox' holds only the Kapitale client ID and secret",
		);
		expect(sandbox.requestLog()).toEqual([]);
	});

	it('a partner write that reads the partner IDs says so too, not "Partner ID is empty"', async () => {
		const update = node('Partner Customer', 'partnerCustomer', {
			resource: 'customer',
			operation: 'update',
			customerId: { __rl: true, mode: 'id', value: sandbox.fixtures.customerIds.PJ },
			updateFields: { notes: 'VIP' },
		});
		const { taskOf, run } = await runSideBySide(kapitaleOnly(), [update]);
		const error = taskOf('Partner Customer')?.error ?? run.data.resultData.error;
		expect(error?.message).toBe(
			"Partner Customer needs the Partner Token; credential 'Kapitale Sandbox' holds only the Kapitale client ID and secret",
		);
		expect(sandbox.requestLog()).toEqual([]);
	});

	it('names an empty URL of the Custom environment, and a half-filled part', async () => {
		const data = {
			...sandboxCredentialData(sandbox, 'kapitale'),
			kapitaleBaseUrl: '',
			clientSecret: '',
		};
		const { taskOf, run } = await runSideBySide(data, [orders()]);
		const error = taskOf('Kapitale Order')?.error ?? run.data.resultData.error;
		expect(error?.message).toBe(
			"Kapitale Order needs the Kapitale Client Secret and API Base URL; credential 'Kapitale Sandbox' leaves them empty",
		);
		expect(sandbox.requestLog()).toEqual([]);
	});

	it('with Continue On Fail, every item gets the error', async () => {
		const { items, taskOf } = await runSideBySide(
			partnerOnly(),
			[{ ...orders(), continueOnFail: true, onError: 'continueRegularOutput' }],
			[{ a: 1 }, { a: 2 }, { a: 3 }],
		);
		expect(taskOf('Kapitale Order')?.error).toBeUndefined();
		const out = items('Kapitale Order');
		expect(out.length).toBeGreaterThanOrEqual(1);
		for (const item of out)
			expect(String(item.json.error)).toMatch(/^Kapitale Order needs the Kapitale Client ID/);
		expect(sandbox.requestLog()).toEqual([]);
	});

	it('with Continue On Fail, every item of a per-item operation gets the error, paired', async () => {
		const get = node(
			'Kapitale Order',
			'kapitaleOrder',
			{
				resource: 'order',
				operation: 'get',
				orderId: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
			},
			{ continueOnFail: true, onError: 'continueRegularOutput' },
		);
		const ids = sandbox.fixtures.orderIdsByStatus.pending.slice(0, 3).map((id) => ({ id }));
		const { items } = await runSideBySide(partnerOnly(), [get], ids);
		const out = items('Kapitale Order');
		expect(out).toHaveLength(3);
		expect(out.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		for (const item of out)
			expect(String(item.json.error)).toMatch(
				/^Kapitale Order needs the Kapitale Client ID and Client Secret; credential 'Kapitale Sandbox' holds only the partner token$/,
			);
		expect(sandbox.requestLog()).toEqual([]);
	});

	it('list search says the same, before any request', async () => {
		const engine = new Engine({ credentials: { kapitale: partnerOnly() } });
		const context = loadOptionsContext(
			engine,
			'kapitaleOrder',
			{ resource: 'order', operation: 'get' },
			'parameters.orderId',
		);
		await expect(new KapitaleOrder().methods.listSearch.searchOrders.call(context)).rejects.toThrow(
			"Under Test needs the Kapitale Client ID and Client Secret; credential 'Kapitale' holds only the partner token",
		);
		const partnerEngine = new Engine({ credentials: { kapitale: kapitaleOnly() } });
		const partnerContext = loadOptionsContext(
			partnerEngine,
			'partnerCustomer',
			{ resource: 'customer', operation: 'get' },
			'parameters.customerId',
		);
		await expect(
			new PartnerCustomer().methods.listSearch.searchCustomers.call(partnerContext),
		).rejects.toThrow(/^Under Test needs the Partner Token; credential 'Kapitale' holds only/);
		expect(sandbox.requestLog()).toEqual([]);
	});
});
