/**
 * The state machines the console's buttons and the automatic lifecycle follow, and the automatic
 * lifecycle itself. One place decides which moves are allowed, so the console never offers a
 * button the control API would refuse, and the automatic steps have exactly the buttons' effects.
 */
import { TRANSITIONS } from './kapitale';
import type { OrderEvent } from './kapitale';
import {
	CANCELLABLE_STATUSES,
	Customer,
	Operation,
	OPERATION_STATUSES,
	Order,
	OrderStatus,
} from './state';

export interface OrderAction {
	from: readonly OrderStatus[];
	to: OrderStatus;
	event?: OrderEvent;
	label: string;
}

/**
 * What the control API (and so the console) may do to an order. The first four are the back-office
 * decisions the partner never makes; `cancel` has the same effect as the API's PATCH /order/cancel.
 * Sending the invoice (pending_invoice → invoice_sent) stays with the API: it needs a file.
 */
export const ORDER_ACTIONS: Record<string, OrderAction> = {
	approve: { ...TRANSITIONS.approve, label: 'Approve' },
	reject: { ...TRANSITIONS.reject, label: 'Reject' },
	'pending-invoice': { ...TRANSITIONS['pending-invoice'], label: 'Ask for the invoice' },
	pay: { ...TRANSITIONS.pay, label: 'Mark paid' },
	cancel: {
		from: CANCELLABLE_STATUSES,
		to: 'cancelled',
		event: 'order.cancelled',
		label: 'Cancel',
	},
};

export function orderActions(o: Order): string[] {
	return Object.entries(ORDER_ACTIONS)
		.filter(([, a]) => a.from.includes(o.order_status))
		.map(([name]) => name);
}

/**
 * Credit operation statuses. The partner document lists the statuses and says which can be
 * cancelled (1–3); the order of the analysis is the one its names describe: under analysis, waiting
 * for documents (and back to analysis once they arrive), authorised, paid out. Paid, cancelled and
 * refused are final.
 */
export const OPERATION_TRANSITIONS: Record<string, string[]> = {
	'em-analise': ['aguardando-documentos', 'autorizado', 'reprovado', 'cancelado'],
	'aguardando-documentos': ['em-analise', 'autorizado', 'reprovado', 'cancelado'],
	autorizado: ['pago', 'cancelado'],
	pago: [],
	cancelado: [],
	reprovado: [],
};

export function operationSlug(op: Operation): string {
	return OPERATION_STATUSES.find((s) => s.id === op.status_id)?.slug ?? 'em-analise';
}

export function operationActions(op: Operation): string[] {
	return OPERATION_TRANSITIONS[operationSlug(op)] ?? [];
}

export function customerActions(c: Customer): string[] {
	return c.term_accept ? [] : ['accept-terms'];
}

/** One automatic step per kind: the happy path, one move at a time. */
export const LIFECYCLE_ORDER_STEP: Partial<Record<OrderStatus, string>> = {
	pending: 'approve',
	approved: 'pending-invoice',
	invoice_sent: 'pay',
};
export const LIFECYCLE_OPERATION_STEP: Record<string, string> = {
	'em-analise': 'aguardando-documentos',
	'aguardando-documentos': 'autorizado',
	autorizado: 'pago',
};

export interface LifecycleSettings {
	enabled: boolean;
	intervalSeconds: number;
}

export interface LifecycleMove {
	kind: 'order' | 'operation' | 'customer';
	id: string;
	label: string;
	from: string;
	to: string;
	at: string;
}

export const MIN_LIFECYCLE_SECONDS = 1;
export const MAX_LIFECYCLE_SECONDS = 86_400;
export const MAX_LIFECYCLE_MOVES_KEPT = 50;

/** Validates a (partial) settings body; returns an error message or the merged settings. */
export function mergeLifecycle(
	current: LifecycleSettings,
	body: unknown,
): LifecycleSettings | string {
	if (!body || typeof body !== 'object' || Array.isArray(body))
		return 'body must be a JSON object like {"enabled": true, "intervalSeconds": 60}';
	const b = body as Record<string, unknown>;
	const next = { ...current };
	for (const key of Object.keys(b))
		if (key !== 'enabled' && key !== 'intervalSeconds')
			return `unknown field ${key} (expected enabled, intervalSeconds)`;
	if (b.enabled !== undefined) {
		if (typeof b.enabled !== 'boolean') return 'enabled must be true or false';
		next.enabled = b.enabled;
	}
	if (b.intervalSeconds !== undefined) {
		const n = b.intervalSeconds;
		if (
			typeof n !== 'number' ||
			!Number.isFinite(n) ||
			n < MIN_LIFECYCLE_SECONDS ||
			n > MAX_LIFECYCLE_SECONDS
		)
			return `intervalSeconds must be a number between ${MIN_LIFECYCLE_SECONDS} and ${MAX_LIFECYCLE_SECONDS}`;
		next.intervalSeconds = n;
	}
	return next;
}
