/**
 * Kapitale Order Polling Trigger polled through n8n-core's PollContext against the sandbox: baseline,
 * order and payment status changes with filters, created, restart, a fault that keeps the state.
 */
import { control } from '../../sandbox/testing';
import { engineFor, openSandbox, type RunningSandbox } from '../kapitale/helpers';
import type { Engine } from '../harness/engine';
import { PolledTrigger } from './harness';

let sandbox: RunningSandbox;
let engine: Engine;
beforeAll(async () => {
	sandbox = await openSandbox();
	engine = engineFor(sandbox);
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.reset());

const move = async (id: string, to: 'approve' | 'reject' | 'pending-invoice' | 'pay') => {
	expect((await control(sandbox, 'POST', `/orders/${id}/${to}`, {})).status).toBe(200);
};

describe('Kapitale Order Polling Trigger', () => {
	it('order and payment status changes: previous and new in the output, filters on the new status', async () => {
		const trigger = new PolledTrigger(engine, 'kapitaleOrderPollingTrigger', {
			event: 'orderStatusChanged',
			paymentStatuses: ['paid'],
		});
		expect((await trigger.poll()).items).toBeNull();
		const [pending] = sandbox.fixtures.orderIdsByStatus.pending;
		const [approved] = sandbox.fixtures.orderIdsByStatus.approved;
		await move(pending, 'approve');
		// approved → paid: payment status pending → paid, the one the filter asks for.
		await move(approved, 'pay');
		const out = await trigger.poll();
		expect(out.error).toBeUndefined();
		expect(out.items).toEqual([
			expect.objectContaining({
				event: 'orderStatusChanged',
				id: approved,
				previousOrderStatus: 'approved',
				orderStatus: 'paid',
				previousPaymentStatus: 'pending',
				paymentStatus: 'paid',
			}),
		]);
		expect(Date.parse(String(out.items![0].seenAt))).not.toBeNaN();
		expect((await trigger.poll()).items).toBeNull();
	});

	it('created orders are emitted once, also after a restart, and a failed poll keeps the state', async () => {
		const trigger = new PolledTrigger(engine, 'kapitaleOrderPollingTrigger', {
			event: 'orderCreated',
		});
		await trigger.poll();
		const before = trigger.saved();
		sandbox.seedOrders(2);
		sandbox.setFaults([
			{ service: 'kapitale', pathPrefix: '/order', errorRate: 1, errorStatus: 500 },
		]);
		const failed = await trigger.poll();
		expect(failed.items).toBeNull();
		expect(failed.error?.name).toBe('NodeApiError');
		expect(trigger.saved()).toEqual(before);
		sandbox.setFaults([]);
		trigger.restart();
		const out = await trigger.poll();
		expect(out.items).toHaveLength(2);
		expect(out.items!.every((item) => item.event === 'orderCreated')).toBe(true);
		trigger.restart();
		expect((await trigger.poll()).items).toBeNull();
	});
});
