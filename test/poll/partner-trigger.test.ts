/**
 * Partner Operation Trigger and Partner Customer Trigger polled through n8n-core's PollContext
 * against the sandbox: baseline, created, changed, unchanged, restart, fault mid-poll, filters,
 * and Fetch Test Event through WorkflowExecute (manual mode).
 */
import type { IDataObject, INode } from 'n8n-workflow';

import { control } from '../../sandbox/testing';
import { PACKAGE_PREFIX } from '../harness/engine';
import { pfCustomer, startPartner, type PartnerTestContext } from '../partner/helpers';
import { PolledTrigger } from './harness';

let t: PartnerTestContext;
beforeAll(async () => {
	t = await startPartner();
});
afterAll(async () => await t.sandbox.close());
beforeEach(() => {
	t.sandbox.reset();
	t.sandbox.clearLog();
});

const setStatus = async (id: string, slug: string) => {
	// force: the trigger is under test here, not the sandbox's state machine (reprovado → em-analise).
	const answer = await control(t.sandbox, 'POST', `/operations/${id}/status`, {
		slug,
		force: true,
	});
	expect(answer.status).toBe(200);
};
const opIds = () => t.sandbox.fixtures.operationIdsBySlug;
const listCalls = () =>
	t.sandbox.requestLog().filter((call) => call.path === '/partner/partner-operation/all');

describe('Partner Operation Trigger › Operation Status Changed', () => {
	it('first poll records the list and emits nothing; a change is emitted once, with the previous and new status', async () => {
		const trigger = new PolledTrigger(t.engine, 'partnerOperationTrigger', {
			event: 'operationStatusChanged',
		});
		expect((await trigger.poll()).items).toBeNull();
		expect(trigger.nodeState()).toMatchObject({ count: t.sandbox.counts().operations });
		expect((await trigger.poll()).items).toBeNull();

		const id = opIds()['em-analise'][0];
		await setStatus(id, 'autorizado');
		const changed = await trigger.poll();
		expect(changed.error).toBeUndefined();
		expect(changed.items).toHaveLength(1);
		const [event] = changed.items!;
		expect(event).toMatchObject({
			event: 'operationStatusChanged',
			id,
			previousStatus: 'em-analise',
			newStatus: 'autorizado',
			statusSlug: 'autorizado',
			status: 'Autorizado',
		});
		expect(Date.parse(String(event.seenAt))).not.toBeNaN();
		// Flat: a spreadsheet row (no nested objects besides nulls).
		expect(Object.values(event).every((v) => v === null || typeof v !== 'object')).toBe(true);
		expect(typeof event.requestedAmount).toBe('number');

		expect((await trigger.poll()).items).toBeNull();
	});

	it('New Status filter: only changes to the chosen statuses are emitted, the others are still recorded', async () => {
		const trigger = new PolledTrigger(t.engine, 'partnerOperationTrigger', {
			event: 'operationStatusChanged',
			newStatuses: ['autorizado'],
		});
		await trigger.poll();
		const [first, second] = opIds()['em-analise'];
		await setStatus(first, 'reprovado');
		expect((await trigger.poll()).items).toBeNull();
		await setStatus(second, 'autorizado');
		await setStatus(first, 'em-analise');
		const out = await trigger.poll();
		expect(out.items?.map((item) => [item.id, item.previousStatus, item.newStatus])).toEqual([
			[second, 'em-analise', 'autorizado'],
		]);
	});

	it('changes made while n8n was down are emitted after the restart, once', async () => {
		const trigger = new PolledTrigger(t.engine, 'partnerOperationTrigger', {
			event: 'operationStatusChanged',
		});
		await trigger.poll();
		trigger.restart();
		const a = opIds()['em-analise'][0];
		const b = opIds()['autorizado'][0];
		await setStatus(a, 'aguardando-documentos');
		await setStatus(b, 'pago');
		trigger.restart();
		const out = await trigger.poll();
		expect(out.items?.map((item) => [item.id, item.previousStatus, item.newStatus])).toEqual([
			[a, 'em-analise', 'aguardando-documentos'],
			[b, 'autorizado', 'pago'],
		]);
		trigger.restart();
		expect((await trigger.poll()).items).toBeNull();
	});

	it('a fault mid-poll emits nothing, keeps the saved state, and the next poll emits the change', async () => {
		// Three pages of 500, so that some pages succeed and another fails.
		t.sandbox.seedOperations(1100);
		const trigger = new PolledTrigger(t.engine, 'partnerOperationTrigger', {
			event: 'operationStatusChanged',
		});
		await trigger.poll();
		const before = trigger.saved();
		const id = opIds()['em-analise'][0];
		await setStatus(id, 'autorizado');
		t.sandbox.clearLog();
		// 500 on a read is not retried (retry.ts): the poll fails at once.
		t.sandbox.setFaults([
			{
				service: 'partner',
				pathPrefix: '/partner-operation/all',
				errorRate: 0.5,
				errorStatus: 500,
			},
		]);
		const failed = await trigger.poll();
		expect(failed.items).toBeNull();
		expect(failed.error?.name).toBe('NodeApiError');
		expect(listCalls().some((call) => call.status === 200)).toBe(true);
		expect(listCalls().some((call) => call.status === 500)).toBe(true);
		expect(trigger.saved()).toEqual(before);

		t.sandbox.setFaults([]);
		const next = await trigger.poll();
		expect(next.items?.map((item) => [item.id, item.newStatus])).toEqual([[id, 'autorizado']]);
	});

	it('a poll of an unchanged list reads every page in one round, at the learned page size', async () => {
		t.sandbox.seedOperations(2100 - t.sandbox.counts().operations);
		const trigger = new PolledTrigger(t.engine, 'partnerOperationTrigger', {
			event: 'operationStatusChanged',
		});
		await trigger.poll();
		expect(trigger.nodeState()).toMatchObject({ count: 2100, pageSize: 500 });
		t.sandbox.clearLog();
		// 100 ms on each list request: pages read in one round overlap in time, rounds do not.
		t.sandbox.setFaults([
			{ service: 'partner', pathPrefix: '/partner-operation/all', latencyMs: 100 },
		]);
		await trigger.poll();
		t.sandbox.setFaults([]);
		const calls = listCalls();
		// 4 pages of 500, the last 100, and the empty page at 2,100 that proves the end.
		expect(calls).toHaveLength(6);
		const starts = calls.map((call) => call.startedAt);
		const ends = calls.map((call) => call.finishedAt);
		// All arrived before any was answered: one round trip (the first poll needed three).
		expect(Math.max(...starts)).toBeLessThanOrEqual(Math.min(...ends));
	});
});

describe('Partner Operation Trigger › Operation Created', () => {
	it('emits each new operation once; a deleted-then-seen-again list emits nothing', async () => {
		const trigger = new PolledTrigger(t.engine, 'partnerOperationTrigger', {
			event: 'operationCreated',
		});
		expect((await trigger.poll()).items).toBeNull();
		const have = t.sandbox.counts().operations;
		t.sandbox.seedOperations(3);
		const out = await trigger.poll();
		expect(out.items).toHaveLength(3);
		expect(out.items!.every((item) => item.event === 'operationCreated')).toBe(true);
		expect(new Set(out.items!.map((item) => item.id)).size).toBe(3);
		expect(t.sandbox.counts().operations).toBe(have + 3);
		expect((await trigger.poll()).items).toBeNull();
	});
});

describe('Partner Customer Trigger', () => {
	it('Terms accepted: false → true is emitted once; customers already accepted are not', async () => {
		const trigger = new PolledTrigger(t.engine, 'partnerCustomerTrigger', {
			event: 'customerTermsAccepted',
		});
		expect((await trigger.poll()).items).toBeNull();
		const state = trigger.nodeState().values as Record<string, string>;
		const pending = Object.keys(state).find((id) => state[id] === '0')!;
		expect(pending).toBeDefined();
		const accepted = await control(t.sandbox, 'POST', `/customers/${pending}/accept-terms`, {});
		expect(accepted.status).toBe(200);
		const out = await trigger.poll();
		expect(out.items).toEqual([
			expect.objectContaining({
				event: 'customerTermsAccepted',
				id: pending,
				termsAccepted: true,
			}),
		]);
		expect((await trigger.poll()).items).toBeNull();
	});

	it('Customer created: a customer created through Partner Customer › Create is emitted once', async () => {
		const trigger = new PolledTrigger(t.engine, 'partnerCustomerTrigger', {
			event: 'customerCreated',
		});
		await trigger.poll();
		const created = await t.engine.runNode({ type: 'partnerCustomer', parameters: pfCustomer() });
		expect(created.error).toBeUndefined();
		const out = await trigger.poll();
		expect(out.items).toHaveLength(1);
		expect(out.items![0]).toMatchObject({ event: 'customerCreated', name: 'Maya Márcia da Paz' });
		expect((await trigger.poll()).items).toBeNull();
	});
});

describe('Fetch Test Event (manual mode)', () => {
	it('returns the newest real operation through WorkflowExecute, and leaves the saved state alone', async () => {
		const node: INode = {
			id: 'trigger',
			name: 'Trigger',
			type: `${PACKAGE_PREFIX}.partnerOperationTrigger`,
			typeVersion: 1,
			position: [0, 0],
			parameters: { event: 'operationStatusChanged', newStatuses: ['autorizado'] },
			credentials: { kapitaleApi: { id: 'kapitale', name: 'Kapitale' } },
		};
		const staticData: IDataObject = {};
		const run = await t.engine.execute([node], {}, undefined, staticData);
		expect(run.data.resultData.error).toBeUndefined();
		const items = run.data.resultData.runData.Trigger[0].data!.main[0]!;
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({
			event: 'operationStatusChanged',
			newStatus: 'autorizado',
			id: opIds().autorizado[opIds().autorizado.length - 1],
		});

		const trigger = new PolledTrigger(t.engine, 'partnerOperationTrigger', {
			event: 'operationStatusChanged',
		});
		const manual = await trigger.poll('manual');
		expect(manual.items).toHaveLength(1);
		expect(trigger.nodeState()).toEqual({});
	});
});
