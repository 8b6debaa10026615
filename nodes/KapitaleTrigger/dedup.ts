import { createHash } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

/** Most keys kept in the workflow's static data; the oldest go first. */
export const MAX_DEDUP_KEYS = 1000;
const STATE_KEY = 'kapitaleDeliveriesSeen';

/**
 * What makes two deliveries "the same": event type, order id and order status. A delivery
 * without an order id falls back to a hash of its whole body.
 */
export function deliveryKey(body: IDataObject): string {
	const data = (body.data && typeof body.data === 'object' ? body.data : {}) as IDataObject;
	const orderId = data.order_id;
	if (orderId === undefined || orderId === null || orderId === '') {
		const hash = createHash('sha256').update(JSON.stringify(body)).digest('hex').slice(0, 32);
		return `${String(body.event_type)}|body:${hash}`;
	}
	return `${String(body.event_type)}|${String(orderId)}|${String(data.status ?? '')}`;
}

/**
 * Returns true when the same delivery was accepted within the window; otherwise records it.
 * Expired entries are pruned on every call and the state never holds more than MAX_DEDUP_KEYS.
 */
export function seenRecently(
	staticData: IDataObject,
	key: string,
	windowMs: number,
	now: number,
	maxKeys = MAX_DEDUP_KEYS,
): boolean {
	const stored = staticData[STATE_KEY];
	const seen: Record<string, number> =
		stored && typeof stored === 'object' && !Array.isArray(stored) ? (stored as Record<string, number>) : {};

	for (const [k, at] of Object.entries(seen)) {
		if (typeof at !== 'number' || at + windowMs <= now || at > now + windowMs) delete seen[k];
	}

	const duplicate = key in seen;
	if (!duplicate) {
		seen[key] = now;
		const keys = Object.keys(seen);
		if (keys.length > maxKeys) {
			keys
				.sort((a, b) => seen[a] - seen[b])
				.slice(0, keys.length - maxKeys)
				.forEach((k) => delete seen[k]);
		}
	}
	staticData[STATE_KEY] = seen;
	return duplicate;
}

export function dedupStateSize(staticData: IDataObject): number {
	const stored = staticData[STATE_KEY];
	return stored && typeof stored === 'object' ? Object.keys(stored).length : 0;
}
