/** Webhook subscriptions and deliveries (order events), with retries and a delivery log. */
import * as http from 'http';
import * as https from 'https';
import { randomUUID } from 'crypto';
import type { OrderEvent } from './kapitale';
import type { Order, SandboxState, WebhookDelivery, WebhookSubscription } from './state';

export const MAX_CUSTOM_HEADERS = 20;
export const MAX_DELIVERIES_KEPT = 2000;
export const WEBHOOK_TIMEOUT_MS = 5000;
export const ORDER_EVENTS: OrderEvent[] = [
	'order.created',
	'order.approved',
	'order.rejected',
	'order.invoice_sent',
	'order.cancelled',
	'order.paid',
];

export function validateSubscription(body: any): WebhookSubscription | string {
	if (!body || typeof body !== 'object') return 'body must be a JSON object';
	let url: URL;
	try {
		url = new URL(String(body.url));
	} catch {
		return 'url must be an absolute http(s) URL';
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:')
		return 'url must be an absolute http(s) URL';
	const authType = body.authType ?? body.auth_type ?? 'none';
	if (!['none', 'bearer', 'basic'].includes(authType))
		return 'authType must be none, bearer or basic';
	const authToken = body.authToken ?? body.auth_token;
	if (authType !== 'none' && (typeof authToken !== 'string' || !authToken))
		return 'authToken is required for bearer and basic';
	const headers = body.headers ?? {};
	if (typeof headers !== 'object' || Array.isArray(headers)) return 'headers must be an object';
	const entries = Object.entries(headers);
	if (entries.length > MAX_CUSTOM_HEADERS) return `at most ${MAX_CUSTOM_HEADERS} custom headers`;
	for (const [k, v] of entries) {
		if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(k)) return `invalid header name ${k}`;
		if (typeof v !== 'string' || /[\r\n]/.test(v))
			return `header ${k} must be a single-line string`;
	}
	let events: string[] | undefined;
	if (body.events !== undefined) {
		if (
			!Array.isArray(body.events) ||
			body.events.some((e: unknown) => !ORDER_EVENTS.includes(e as OrderEvent))
		)
			return `events must be a subset of ${ORDER_EVENTS.join(', ')}`;
		events = body.events;
	}
	return {
		id: randomUUID(),
		url: url.toString(),
		authType,
		...(authType !== 'none' ? { authToken } : {}),
		headers: headers as Record<string, string>,
		...(events ? { events } : {}),
		created_at: new Date().toISOString(),
	};
}

/** basic: an authToken containing ':' is treated as "user:pass" and base64-encoded; otherwise sent as is. */
export function authorizationHeader(sub: WebhookSubscription): string | undefined {
	if (sub.authType === 'bearer') return `Bearer ${sub.authToken}`;
	if (sub.authType === 'basic') {
		const t = sub.authToken ?? '';
		return `Basic ${t.includes(':') ? Buffer.from(t, 'utf8').toString('base64') : t}`;
	}
	return undefined;
}

export class WebhookDispatcher {
	private timers = new Set<NodeJS.Timeout>();
	private inflight = new Set<http.ClientRequest>();
	private closed = false;

	constructor(
		private getState: () => SandboxState,
		private retryDelaysMs: number[],
		private changed: () => void,
		private log: (msg: string) => void,
	) {}

	emit(order: Order, event: OrderEvent): void {
		const state = this.getState();
		const industry = state.industries.find((i) => i.cnpj === order.industry_cnpj);
		if (!industry) return;
		const payload = {
			event_type: event,
			destination_id: industry.uuid,
			data: {
				order_id: order.id,
				order_no: order.order_no,
				status: order.order_status,
				payment_status: order.payment_status,
				requested_amount: order.requested_amount,
				retail_cnpj: order.retail.cnpj,
				occurred_at: new Date().toISOString(),
			},
		};
		// Subscriptions are per sandbox (the sandbox's own industry); events of other industries are not delivered.
		if (order.industry_cnpj !== state.industries[0].cnpj) return;
		for (const sub of state.webhooks) {
			if (sub.events && !sub.events.includes(event)) continue;
			this.deliver(sub, { eventType: event, orderId: order.id, payload });
		}
	}

	/**
	 * Sends a past delivery's payload again, byte for byte (as a real sender's "resend" does: the
	 * receiver sees the same event, so its de-duplication decides), as a new delivery with its own
	 * attempts and retries.
	 */
	resend(sub: WebhookSubscription, original: WebhookDelivery): WebhookDelivery {
		return this.deliver(sub, {
			eventType: original.eventType,
			orderId: original.orderId,
			payload: original.payload,
			resendOf: original.id,
		});
	}

	private deliver(
		sub: WebhookSubscription,
		what: Pick<WebhookDelivery, 'eventType' | 'orderId' | 'payload' | 'resendOf'>,
	): WebhookDelivery {
		const state = this.getState();
		const d: WebhookDelivery = {
			id: randomUUID(),
			subscriptionId: sub.id,
			...what,
			state: 'pending',
			attempts: [],
		};
		if (!d.resendOf) delete d.resendOf;
		state.deliveries.push(d);
		if (state.deliveries.length > MAX_DELIVERIES_KEPT)
			state.deliveries.splice(0, state.deliveries.length - MAX_DELIVERIES_KEPT);
		this.attempt(sub, d);
		return d;
	}

	private attempt(sub: WebhookSubscription, d: WebhookDelivery): void {
		if (this.closed) return;
		const n = d.attempts.length + 1;
		const started = Date.now();
		const body = Buffer.from(JSON.stringify(d.payload));
		const headers: Record<string, string> = {
			'User-Agent': 'kapitale-sandbox-webhooks/1.0',
			...sub.headers,
			'Content-Type': 'application/json',
			'Content-Length': String(body.length),
		};
		const auth = authorizationHeader(sub);
		if (auth) headers.Authorization = auth;
		let settled = false;
		const finish = (status?: number, error?: string) => {
			if (settled) return;
			settled = true;
			d.attempts.push({
				attempt: n,
				...(status !== undefined ? { status } : {}),
				...(error ? { error } : {}),
				at: new Date(started).toISOString(),
				durationMs: Date.now() - started,
			});
			const success = status !== undefined && status >= 200 && status < 300;
			if (success) {
				d.state = 'delivered';
				delete d.nextAttemptAt;
			} else if (n <= this.retryDelaysMs.length && !this.closed) {
				const delay = this.retryDelaysMs[n - 1];
				d.nextAttemptAt = new Date(Date.now() + delay).toISOString();
				const t = setTimeout(() => {
					this.timers.delete(t);
					const current = this.getState().webhooks.find((s) => s.id === sub.id);
					if (!current) {
						d.state = 'failed';
						delete d.nextAttemptAt;
						this.changed();
						return;
					}
					this.attempt(current, d);
				}, delay);
				this.timers.add(t);
			} else {
				d.state = 'failed';
				delete d.nextAttemptAt;
				this.log(`webhook ${d.eventType} to ${sub.url} failed after ${n} attempts`);
			}
			this.changed();
		};
		let req: http.ClientRequest;
		try {
			const url = new URL(sub.url);
			const mod = url.protocol === 'https:' ? https : http;
			req = mod.request(url, {
				method: 'POST',
				headers,
				timeout: WEBHOOK_TIMEOUT_MS,
				agent: false,
				...(url.protocol === 'https:' ? { rejectUnauthorized: false } : {}),
			});
		} catch (e) {
			finish(undefined, (e as Error).message);
			return;
		}
		this.inflight.add(req);
		req.on('response', (res) => {
			res.resume();
			res.on('end', () => finish(res.statusCode));
			res.on('error', (e) => finish(res.statusCode, e.message));
		});
		req.on('timeout', () => req.destroy(new Error('timeout')));
		req.on('error', (e: NodeJS.ErrnoException) => finish(undefined, e.code ?? e.message));
		req.on('close', () => this.inflight.delete(req));
		req.end(body);
	}

	close(): void {
		this.closed = true;
		for (const t of this.timers) clearTimeout(t);
		this.timers.clear();
		for (const r of this.inflight) r.destroy();
		this.inflight.clear();
	}

	/** Cancels pending retries (reset). */
	clearTimers(): void {
		for (const t of this.timers) clearTimeout(t);
		this.timers.clear();
	}
}
