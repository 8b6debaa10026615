/**
 * The change detection of the polling triggers on plain data: what is emitted, what is saved,
 * and what happens past the bound. The engine tests (partner-trigger, kapitale-order-trigger)
 * run the same code through n8n-core against the sandbox.
 */
import { detect, type Observed, type PollState } from '../../nodes/shared/polling/changes';

const rec = (id: string, value: string): Observed => ({ id, value, raw: { id } });
const options = (extra: Partial<Parameters<typeof detect>[2]> = {}) => ({
	key: 'k',
	initial: 'em-analise',
	seenAt: '2026-12-05T12:00:00.000Z',
	pageSize: 500,
	...extra,
});
/** What n8n stores: JSON, as after a restart. */
const stored = (state: PollState): PollState => JSON.parse(JSON.stringify(state)) as PollState;

describe('detect', () => {
	const list = [rec('a', 'em-analise'), rec('b', 'autorizado'), rec('c', 'pago')];

	it('first poll: records the list, emits nothing', () => {
		const first = detect(undefined, list, options());
		expect(first.baseline).toBe(true);
		expect(first.changes).toEqual([]);
		expect(first.next.values).toEqual({ a: 'em-analise', b: 'autorizado', c: 'pago' });
		expect(first.next.count).toBe(3);
	});

	it('unchanged list: nothing; created and changed: one change each, with the previous value', () => {
		const state = stored(detect(undefined, list, options()).next);
		expect(detect(state, list, options()).changes).toEqual([]);
		const next = [
			rec('a', 'autorizado'),
			rec('b', 'autorizado'),
			rec('c', 'pago'),
			rec('d', 'em-analise'),
		];
		const changes = detect(state, next, options()).changes;
		expect(changes.map((c) => [c.kind, c.record.id, c.previous, c.record.value])).toEqual([
			['changed', 'a', 'em-analise', 'autorizado'],
			['created', 'd', null, 'em-analise'],
		]);
	});

	it('a record created and moved on between two polls is created and changed (previous unknown)', () => {
		const state = stored(detect(undefined, list, options()).next);
		const changes = detect(state, [...list, rec('e', 'autorizado')], options()).changes;
		expect(changes.map((c) => [c.kind, c.record.id, c.previous])).toEqual([
			['created', 'e', null],
			['changed', 'e', null],
		]);
	});

	it('changes while n8n was down are computed against the saved state, once', () => {
		const state = stored(detect(undefined, list, options()).next);
		const later = [rec('a', 'cancelado'), rec('b', 'pago'), rec('c', 'pago')];
		const first = detect(state, later, options());
		expect(first.changes).toHaveLength(2);
		// The next poll (after a restart: JSON state) sees the same list: nothing again.
		expect(detect(stored(first.next), later, options()).changes).toEqual([]);
	});

	it('a deleted record emits nothing and, if it comes back, is not "created"', () => {
		const state = stored(detect(undefined, list, options()).next);
		const without = detect(state, [list[0], list[2]], options());
		expect(without.changes).toEqual([]);
		expect(without.next.values).not.toHaveProperty('b');
		expect(without.next.gone).toEqual([['b', 'autorizado']]);
		const back = detect(stored(without.next), list, options());
		expect(back.changes).toEqual([]);
		const backChanged = detect(
			stored(without.next),
			[list[0], rec('b', 'pago'), list[2]],
			options(),
		);
		expect(backChanged.changes.map((c) => [c.kind, c.previous])).toEqual([
			['changed', 'autorizado'],
		]);
	});

	it('another event (key) starts from a baseline again', () => {
		const state = stored(detect(undefined, list, options()).next);
		const other = detect(
			state as PollState,
			[...list, rec('x', 'em-analise')],
			options({ key: 'other' }),
		);
		// detect() is given the state; runPoll gives undefined for another key (readState).
		expect(other.next.key).toBe('other');
	});

	describe('past the bound (max records watched)', () => {
		const many = Array.from({ length: 8 }, (_, i) => rec(`r${i}`, 'em-analise'));

		it('watches the newest records only; older ones are neither new nor watched', () => {
			const first = detect(undefined, many, options({ max: 5 }));
			expect(Object.keys(first.next.values)).toEqual(['r3', 'r4', 'r5', 'r6', 'r7']);
			expect(first.next.edgeId).toBe('r3');
			// r0 changes (outside the window): not reported. r9 is created: reported.
			const next = [rec('r0', 'pago'), ...many.slice(1), rec('r8', 'em-analise')];
			const changes = detect(stored(first.next), next, options({ max: 5 })).changes;
			expect(changes.map((c) => [c.kind, c.record.id])).toEqual([['created', 'r8']]);
		});

		it('a list that shrinks does not bring old records back as new', () => {
			const first = detect(undefined, many, options({ max: 5 }));
			// r5 and r6 deleted: r1, r2 would fit in the window again, but they are older than its edge.
			const shrunk = many.filter((r) => r.id !== 'r5' && r.id !== 'r6');
			const changes = detect(stored(first.next), shrunk, options({ max: 5 })).changes;
			expect(changes).toEqual([]);
		});

		it('"gone" records are bounded too', () => {
			const first = detect(undefined, many, options({ maxGone: 2 }));
			const after = detect(stored(first.next), many.slice(0, 3), options({ maxGone: 2 }));
			expect(after.next.gone).toHaveLength(2);
		});
	});
});
