import { KapitaleOrder } from '../../nodes/Kapitale/KapitaleOrder/KapitaleOrder.node';
import {
	engineFor,
	expectNoError,
	kapitaleRequests,
	openSandbox,
	type RunningSandbox,
} from '../kapitale/helpers';

const byId = (value: string) => ({ __rl: true, mode: 'id', value });

/** Most requests the server had open at the same moment, from its request log. */
function peakInFlight(entries: Array<{ startedAt: number; finishedAt: number }>): number {
	return Math.max(
		0,
		...entries.map(
			(a) => entries.filter((b) => b.startedAt <= a.startedAt && a.startedAt < b.finishedAt).length,
		),
	);
}

describe('Options › Parallel Requests', () => {
	let sandbox: RunningSandbox;
	let ids: string[];
	beforeAll(async () => {
		// Enough latency per request that every worker's request is open when the next one starts.
		sandbox = await openSandbox({ latencyMs: 200 });
		const known = Object.values(sandbox.fixtures.orderIdsByStatus).flat();
		ids = Array.from({ length: 60 }, (_, index) => known[index % known.length]);
	});
	afterAll(async () => await sandbox.close());
	beforeEach(() => sandbox.clearLog());

	const getAll = (options: Record<string, unknown> = {}) => ({
		resource: 'order',
		operation: 'get',
		orderId: byId('={{ $json.id }}'),
		options,
	});

	it('defaults to 20 requests at once, shown as the default in the node', async () => {
		const option = (
			new KapitaleOrder().description.properties.find((p) => p.name === 'options')?.options ?? []
		).find((p) => 'name' in p && p.name === 'concurrency');
		expect(option).toMatchObject({ default: 20 });

		const items = ids.map((id) => ({ id }));
		const run = await engineFor(sandbox).runNode({
			type: 'kapitaleOrder',
			parameters: getAll(),
			items,
		});
		expectNoError(run);
		expect(run.items.map((item) => item.json.id)).toEqual(items.map((item) => item.id));
		const gets = kapitaleRequests(sandbox, 'GET');
		expect(gets).toHaveLength(60);
		const peak = peakInFlight(gets);
		expect(peak).toBeLessThanOrEqual(20);
		expect(peak).toBeGreaterThan(10);
	});

	it('sends no more at once than the option says', async () => {
		const items = ids.slice(0, 12).map((id) => ({ id }));
		const run = await engineFor(sandbox).runNode({
			type: 'kapitaleOrder',
			parameters: getAll({ concurrency: 3 }),
			items,
		});
		expectNoError(run);
		const gets = kapitaleRequests(sandbox, 'GET');
		expect(gets).toHaveLength(12);
		expect(peakInFlight(gets)).toBeLessThanOrEqual(3);
		expect(peakInFlight(gets)).toBeGreaterThan(1);
	});

	it('keeps an expression’s value within 1–50', async () => {
		const items = ids.map((id) => ({ id }));
		const run = await engineFor(sandbox).runNode({
			type: 'kapitaleOrder',
			parameters: getAll({ concurrency: '={{ 500 }}' }),
			items,
		});
		expectNoError(run);
		const gets = kapitaleRequests(sandbox, 'GET');
		expect(gets).toHaveLength(60);
		expect(peakInFlight(gets)).toBeLessThanOrEqual(50);
		expect(peakInFlight(gets)).toBeGreaterThan(20);
	});
});
