/**
 * Issue 9: a timeout, a truncated body and a proxy's HTML error page each end as a clear
 * NodeApiError (readable message, no JSON parse trace); the execution's cancel signal stops a
 * long Return All promptly and no request starts after it.
 */
import { DEFAULT_RETRY_POLICY } from '../../nodes/shared/transport/retry';
import { TRANSPORT_DEFAULTS } from '../../nodes/shared/transport';
import type { Engine } from '../harness/engine';
import { recordFigures } from './figures';
import { engineFor, openSandbox, type RunningSandbox } from './helpers';
import { overrideForFile } from '../harness/overrides';

overrideForFile(DEFAULT_RETRY_POLICY, { baseDelayMs: 20 });
const savedDefaults = overrideForFile(TRANSPORT_DEFAULTS, { timeoutMs: 400 });

let sandbox: RunningSandbox;
let engine: Engine;
let orderId: string;

beforeAll(async () => {
	sandbox = await openSandbox();
	engine = engineFor(sandbox);
	orderId = sandbox.fixtures.orderIdsByStatus.pending_invoice[0];
});
afterAll(async () => await sandbox?.close());
beforeEach(() => {
	sandbox.setFaults([]);
	sandbox.clearLog();
});

const JSON_TRACE = /Unexpected (token|end)|JSON\.parse|SyntaxError|at \S+ \(|<html|<\/?body/i;

function expectClearApiError(run: Awaited<ReturnType<Engine['runNode']>>, message: RegExp) {
	expect(run.error?.name).toBe('NodeApiError');
	expect(run.error?.message).toMatch(message);
	expect(run.error?.message).not.toMatch(JSON_TRACE);
	expect(String(run.error?.description ?? '')).not.toMatch(JSON_TRACE);
	expect(run.error?.context?.itemIndex).toBe(0);
}

const getOrder = () => ({
	resource: 'order',
	operation: 'get',
	orderId: { __rl: true, mode: 'id', value: orderId },
});

describe('clear API errors', () => {
	it('a read that never answers in time: NodeApiError "did not answer within", after the retry budget', async () => {
		sandbox.setFaults([{ service: 'kapitale', pathPrefix: '/order/', latencyMs: 1500 }]);
		const run = await engine.runNode({ type: 'kapitaleOrder', parameters: getOrder() });
		expectClearApiError(run, /^The kapitale API did not answer within [\d.]+ s$/);
		expect(run.error?.description).toMatch(/GET \/order\/.* Tried 5 times/);
		// Every attempt is counted above; the server logs one only once it has read its headers, which
		// an attempt aborted at its deadline on a loaded machine may not reach: so one may be missing.
		const seen = sandbox.requestLog().filter((entry) => entry.service === 'kapitale').length;
		expect(seen).toBeLessThanOrEqual(1 + DEFAULT_RETRY_POLICY.maxRetries);
		expect(seen).toBeGreaterThanOrEqual(DEFAULT_RETRY_POLICY.maxRetries);
	});

	it('a create that times out is not resent and says it may have been processed', async () => {
		sandbox.setFaults([
			{ service: 'kapitale', method: 'POST', pathPrefix: '/order', latencyMs: 1500 },
		]);
		const run = await engine.runNode({
			type: 'kapitaleOrder',
			parameters: {
				resource: 'order',
				operation: 'create',
				orderNumber: `REL-T-${Date.now()}`,
				retailCnpj: sandbox.fixtures.registeredRetailCnpj,
				requestedAmount: '1000',
				purchaseDate: '2025-02-26',
				expiryDate: '2025-12-31',
				purchaseItems: { item: [{ value: '1000', quantity: 1 }] },
			},
		});
		expectClearApiError(run, /did not answer within/);
		expect(run.error?.description).toMatch(/may or may not have been processed/);
		expect(
			sandbox
				.requestLog()
				.filter((entry) => entry.service === 'kapitale' && entry.method === 'POST'),
		).toHaveLength(1);
	});

	it('a truncated body: NodeApiError "incomplete or unreadable response" (reads retried, then reported)', async () => {
		sandbox.setFaults([{ service: 'kapitale', pathPrefix: '/order/', truncateRate: 1 }]);
		const run = await engine.runNode({ type: 'kapitaleOrder', parameters: getOrder() });
		expectClearApiError(run, /^The kapitale API sent an incomplete or unreadable response$/);
		expect(run.error?.httpCode ?? null).toBeNull();
		expect(sandbox.requestLog().filter((entry) => entry.fault === 'truncate')).toHaveLength(
			1 + DEFAULT_RETRY_POLICY.maxRetries,
		);
	});

	it('a truncated body once: the read is retried and succeeds', async () => {
		sandbox.setFaults([{ service: 'kapitale', pathPrefix: '/order/', truncateRate: 0.15 }]);
		const run = await engine.runNode({
			type: 'kapitaleOrder',
			parameters: getOrder(),
			items: Array.from({ length: 20 }, () => ({})),
		});
		expect(run.error).toBeUndefined();
		expect(run.items.map((item) => item.json.id)).toEqual(Array(20).fill(orderId));
		expect(
			sandbox.requestLog().filter((entry) => entry.fault === 'truncate').length,
		).toBeGreaterThan(1);
	});

	it('an HTML 502 page from a proxy: NodeApiError naming the gateway, no HTML in the message', async () => {
		sandbox.setFaults([{ service: 'kapitale', pathPrefix: '/order/', htmlErrorRate: 1 }]);
		const run = await engine.runNode({ type: 'kapitaleOrder', parameters: getOrder() });
		expectClearApiError(
			run,
			/^The kapitale API answered HTTP 502 with an HTML page \(a proxy or gateway error\)$/,
		);
		expect(run.error?.httpCode).toBe('502');
	});

	it('an HTML 502 page on the partner API, with continue on fail: the item carries the same clear error', async () => {
		const partnerEngine = engineFor(sandbox, 'partner');
		sandbox.setFaults([{ service: 'partner', htmlErrorRate: 1 }]);
		const run = await partnerEngine.runNode({
			type: 'bankSearch',
			parameters: { resource: 'bank', operation: 'search', query: '237' },
			continueOnFail: true,
		});
		expect(run.items).toHaveLength(1);
		expect(run.items[0].json).toMatchObject({
			error: 'The partner API answered HTTP 502 with an HTML page (a proxy or gateway error)',
			httpCode: '502',
		});
		expect(JSON.stringify(run.items[0].json)).not.toMatch(JSON_TRACE);
	});
});

describe('cancel', () => {
	// The usual 30 s timeout: only the cancel may end these requests.
	beforeAll(() => (TRANSPORT_DEFAULTS.timeoutMs = savedDefaults.timeoutMs));
	afterAll(() => (TRANSPORT_DEFAULTS.timeoutMs = 400));

	it('stops a long Return All promptly: the run ends soon after the cancel and no request starts after it', async () => {
		sandbox.seedOrders(4000);
		// 41 pages × 300 ms, one at a time: about 12 s if nothing stops it.
		sandbox.setFaults([{ service: 'kapitale', pathPrefix: '/order', latencyMs: 300 }]);
		const cancelAfterMs = 800;
		const started = Date.now();
		const run = await engine.runNode({
			type: 'kapitaleOrder',
			parameters: {
				resource: 'order',
				operation: 'getAll',
				returnAll: true,
				options: { concurrency: 1 },
			},
			cancelAfterMs,
		});
		const elapsed = Date.now() - started;
		const cancelledAt = started + cancelAfterMs;
		// The engine may hand back the run before the node has really stopped: give a node that
		// goes on paging in the background time to show itself in the log.
		await new Promise((resolve) => setTimeout(resolve, 1500));
		const pages = sandbox.requestLog().filter((entry) => entry.service === 'kapitale');
		const startedAfterCancel = pages.filter((entry) => entry.startedAt > cancelledAt + 50);
		recordFigures('cancel: Return All', {
			items: 0,
			lost: 0,
			duplicates: 0,
			faults: 0,
			ms: elapsed,
			pagesRead: pages.length,
			startedAfterCancel: startedAfterCancel.length,
		});
		expect(elapsed).toBeLessThan(cancelAfterMs + 1000);
		expect(startedAfterCancel).toEqual([]);
		expect(pages.length).toBeLessThan(10);
		expect(run.items).toHaveLength(0);
	});
});
