/**
 * Change detection of the polling triggers, as pure functions over plain data: what the list looks
 * like now, against what the node saw at its last successful poll (its static data). Nothing here
 * reads the clock, the network or n8n, so the engine tests can drive every case.
 */
import type { IDataObject } from 'n8n-workflow';

/** The most records a trigger watches; past it, the newest ones (see `watchWindow`). */
export const MAX_WATCHED = 20_000;

/** Records that left a complete list, remembered so that one that comes back is not "created". */
export const MAX_GONE = 1_000;

export const STATE_FORMAT = 1;

/** One record of the list as the detection sees it. */
export interface Observed {
	id: string;
	/** What is watched, as one string: a status slug, "1"/"0" for terms, "order/payment". */
	value: string;
	raw: IDataObject;
}

/** The node's static data (JSON: it is saved with the workflow). */
export interface PollState extends IDataObject {
	format: number;
	/** What the state was built for (event + list); another key starts over from a baseline. */
	key: string;
	/** id → watched value of every record in the watch window at the last poll. */
	values: Record<string, string>;
	/** Records that were in the window and then missing from a complete list: [id, value]. */
	gone: Array<[string, string]>;
	/** The oldest record inside the window when the list was longer than MAX_WATCHED. */
	edgeId: string | null;
	/** Records the list had (the next poll reads that many pages at once). */
	count: number;
	/** The page size the server honoured. */
	pageSize: number | null;
	polledAt: string;
}

export interface Change {
	kind: 'created' | 'changed';
	record: Observed;
	/** The value seen before; null for a record first seen now. */
	previous: string | null;
}

export interface Detection {
	/** True when there was no usable state: the list is recorded and nothing is emitted. */
	baseline: boolean;
	changes: Change[];
	next: PollState;
}

export function readState(data: IDataObject, key: string): PollState | undefined {
	const state = data as Partial<PollState>;
	if (state.format !== STATE_FORMAT || state.key !== key) return undefined;
	if (typeof state.values !== 'object' || state.values === null) return undefined;
	return state as PollState;
}

/**
 * The records a trigger watches: all of them, or the newest MAX_WATCHED. `records` are oldest
 * first. Records older than the saved edge stay outside, so that a list that shrinks does not make
 * an old record look new.
 */
export function watchWindow(
	records: Observed[],
	previous: PollState | undefined,
	max = MAX_WATCHED,
): { watched: Observed[]; edgeId: string | null } {
	let start = 0;
	if (previous?.edgeId) {
		const edge = records.findIndex((record) => record.id === previous.edgeId);
		if (edge > 0) start = edge;
	}
	if (records.length - start > max) start = records.length - max;
	return {
		watched: start === 0 ? records : records.slice(start),
		edgeId: start === 0 ? null : records[start].id,
	};
}

/**
 * Compares the complete list (oldest first) with the saved state. Emits:
 * - `created` for a record in the window that the state never saw (nor saw leave);
 * - `changed` for a record whose watched value differs from the saved one, and for a record first
 *   seen now whose value is not the one records start with (`initial`): it changed between polls.
 * Records missing from the list are kept as "gone" (at most MAX_GONE), without an event.
 */
export function detect(
	state: PollState | undefined,
	records: Observed[],
	options: {
		key: string;
		initial?: string;
		seenAt: string;
		pageSize: number | null;
		max?: number;
		maxGone?: number;
	},
): Detection {
	const { watched, edgeId } = watchWindow(records, state, options.max);
	const values: Record<string, string> = {};
	for (const record of watched) values[record.id] = record.value;
	const changes: Change[] = [];
	let gone: Array<[string, string]> = [];
	if (state) {
		const wasGone = new Map(state.gone ?? []);
		for (const record of watched) {
			const known = Object.prototype.hasOwnProperty.call(state.values, record.id)
				? state.values[record.id]
				: wasGone.get(record.id);
			if (known === undefined) {
				changes.push({ kind: 'created', record, previous: null });
				if (options.initial !== undefined && record.value !== options.initial)
					changes.push({ kind: 'changed', record, previous: null });
			} else if (known !== record.value) {
				changes.push({ kind: 'changed', record, previous: known });
			}
		}
		const present = new Set(records.map((record) => record.id));
		for (const [id, value] of state.gone ?? []) if (!present.has(id)) gone.push([id, value]);
		for (const [id, value] of Object.entries(state.values))
			if (!present.has(id)) gone.push([id, value]);
		const maxGone = options.maxGone ?? MAX_GONE;
		if (gone.length > maxGone) gone = gone.slice(gone.length - maxGone);
	}
	return {
		baseline: state === undefined,
		changes,
		next: {
			format: STATE_FORMAT,
			key: options.key,
			values,
			gone,
			edgeId,
			count: records.length,
			pageSize: options.pageSize,
			polledAt: options.seenAt,
		},
	};
}

/** Replaces the node's static data by `next` (n8n saves it with the workflow after the poll). */
export function saveState(data: IDataObject, next: PollState): void {
	for (const key of Object.keys(data)) if (!(key in next)) delete data[key];
	Object.assign(data, next);
}
