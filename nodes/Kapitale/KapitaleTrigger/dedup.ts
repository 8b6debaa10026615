import { createHash } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

/** Most deliveries remembered per trigger node; past it the oldest are forgotten first. */
export const MAX_DEDUP_KEYS = 2000;
/** Where the keys live in the node's static data (n8n saves it with the workflow). */
export const STATE_KEY = 'kapitaleDedup';
/** Written by versions before the in-process claims; replaced on the first delivery. */
const LEGACY_STATE_KEY = 'kapitaleDeliveriesSeen';

/** One trigger node in one workflow, production and test URL kept apart. */
export interface DedupScope {
	workflowId: string;
	nodeId: string;
	mode: string;
}

/**
 * Deliveries accepted by this n8n process, per trigger: key → accepted at (ms). Insertion order
 * is acceptance order, so the oldest entries are at the front.
 *
 * Why a module-level map: n8n loads the workflow's static data for every webhook request before
 * any of them is saved, so N identical deliveries arriving together all see "not seen yet".
 * JavaScript runs one webhook() at a time up to its first await, and the check-and-record below
 * has no await, so within one process the first delivery claims the key and the others see it.
 */
const claims = new Map<string, Map<string, number>>();

/** A short, fixed-length key: the identity parts are JSON-encoded (no separator ambiguity), then hashed. */
export function deliveryKey(parts: string[]): string {
	return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 22);
}

function scopeId(scope: DedupScope): string {
	return JSON.stringify([scope.workflowId, scope.nodeId, scope.mode]);
}

function fresh(at: unknown, windowMs: number, now: number): at is number {
	return typeof at === 'number' && at <= now && now - at < windowMs;
}

function readStored(store: IDataObject, windowMs: number, now: number): Map<string, number> {
	const stored = store[STATE_KEY] as IDataObject | undefined;
	const seen =
		stored && typeof stored === 'object' && !Array.isArray(stored)
			? (stored.seen as IDataObject)
			: undefined;
	const out = new Map<string, number>();
	if (!seen || typeof seen !== 'object' || Array.isArray(seen)) return out;
	for (const [key, at] of Object.entries(seen)) if (fresh(at, windowMs, now)) out.set(key, at);
	return out;
}

function memoryFor(scope: DedupScope, windowMs: number, now: number): Map<string, number> {
	const id = scopeId(scope);
	let memory = claims.get(id);
	if (!memory) {
		memory = new Map();
		claims.set(id, memory);
	}
	for (const [key, at] of memory) {
		if (fresh(at, windowMs, now)) break; // the rest is newer
		memory.delete(key);
	}
	return memory;
}

function remember(memory: Map<string, number>, key: string, at: number, maxKeys: number): void {
	memory.delete(key);
	memory.set(key, at);
	while (memory.size > maxKeys) memory.delete(memory.keys().next().value as string);
}

/**
 * Returns true the first time a delivery key is seen within the window (the caller starts an
 * execution) and false for a duplicate. Checks this process's claims and the durable copy in
 * the node's static data, then writes the union of both back to static data, newest
 * `maxKeys` kept. Writing the union means one save carries every key this process accepted,
 * so a save that loses a race with a concurrent one is repaired by the next.
 */
export function claimDelivery(
	store: IDataObject,
	scope: DedupScope,
	key: string,
	windowMs: number,
	now: number,
	maxKeys = MAX_DEDUP_KEYS,
): boolean {
	const memory = memoryFor(scope, windowMs, now);
	const stored = readStored(store, windowMs, now);
	const seenAt = memory.get(key) ?? stored.get(key);
	const first = !fresh(seenAt, windowMs, now);
	if (first) remember(memory, key, now, maxKeys);
	else if (!memory.has(key)) remember(memory, key, seenAt as number, maxKeys);

	const union = new Map(stored);
	for (const [k, at] of memory) union.set(k, Math.max(at, union.get(k) ?? 0));
	const newest =
		union.size > maxKeys ? [...union].sort((a, b) => b[1] - a[1]).slice(0, maxKeys) : union;
	const seen: IDataObject = {};
	for (const [k, at] of newest) seen[k] = at;
	// Assigning (not mutating) marks the node's static data as changed, so n8n saves it.
	store[STATE_KEY] = { seen };
	if (LEGACY_STATE_KEY in store) delete store[LEGACY_STATE_KEY];
	return first;
}

/** Keys currently kept in static data (for tests and the README's figures). */
export function storedKeyCount(store: IDataObject): number {
	const stored = store[STATE_KEY] as IDataObject | undefined;
	return stored?.seen && typeof stored.seen === 'object' ? Object.keys(stored.seen).length : 0;
}

/** Forgets this process's claims (tests use it to stand for a restart of n8n). */
export function forgetClaims(): void {
	claims.clear();
}
