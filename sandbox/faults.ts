/** Deterministic fault injection. Each rule owns one seeded PRNG per rate field. */
import { mulberry32, Rng } from './util';
import type { Service } from './types';

export interface FaultRule {
	service?: 'token' | 'kapitale' | 'partner' | 'all';
	method?: string;
	pathPrefix?: string;
	latencyMs?: number;
	errorRate?: number;
	errorStatus?: 500 | 502 | 503;
	rateLimitRate?: number;
	retryAfterSeconds?: number;
	resetRate?: number;
	resetPhase?: 'before' | 'after';
	truncateRate?: number;
	htmlErrorRate?: number;
	slowBodyMs?: number;
	tokenExpiresAfterRequests?: number;
	tokenExpiresAfterSeconds?: number;
	/**
	 * Transient faults hit the same request (method, URL and body) at most this many times in a
	 * row; the next identical request then passes this rule's failures. Real blips do not follow
	 * one request through every retry, and a test can then promise that a client with a larger
	 * retry budget always gets through.
	 */
	maxConsecutive?: number;
}

export const RATE_FIELDS = [
	'errorRate',
	'rateLimitRate',
	'resetRate',
	'truncateRate',
	'htmlErrorRate',
] as const;
export type RateField = (typeof RATE_FIELDS)[number];

/**
 * The PRNG used for one rate field of one rule. Exported so tests can predict counts exactly:
 * the k-th matching request of rule `ruleIndex` triggers `field` iff the k-th draw is < rate.
 */
export function faultRng(seed: number, ruleIndex: number, field: RateField): Rng {
	return mulberry32(
		(seed * 1_000_003 + ruleIndex * 7_919 + RATE_FIELDS.indexOf(field) * 104_729 + 1) >>> 0,
	);
}

/** Number of hits a rule's field will produce over its first n matching requests. */
export function expectedFaultCount(
	seed: number,
	ruleIndex: number,
	field: RateField,
	rate: number,
	n: number,
): number {
	const rng = faultRng(seed, ruleIndex, field);
	let c = 0;
	for (let i = 0; i < n; i++) if (rng() < rate) c++;
	return c;
}

export interface FaultDecision {
	latencyMs: number;
	before?:
		| { kind: 'reset' }
		| { kind: 'html' }
		| { kind: 'rateLimit'; retryAfter: number }
		| { kind: 'error'; status: 503 };
	after?: { kind: 'reset' } | { kind: 'truncate' } | { kind: 'error'; status: 500 | 502 };
	slowBodyMs: number;
	labels: string[];
}

export function validateFaults(input: unknown): FaultRule[] {
	if (!Array.isArray(input)) throw new Error('faults must be a JSON array of rules');
	return input.map((r, i) => {
		if (!r || typeof r !== 'object' || Array.isArray(r))
			throw new Error(`fault rule ${i} must be an object`);
		const rule = r as FaultRule;
		if (rule.service && !['token', 'kapitale', 'partner', 'all'].includes(rule.service))
			throw new Error(`fault rule ${i}: bad service`);
		for (const f of RATE_FIELDS) {
			const v = rule[f];
			if (v !== undefined && (typeof v !== 'number' || v < 0 || v > 1))
				throw new Error(`fault rule ${i}: ${f} must be between 0 and 1`);
		}
		if (rule.errorStatus !== undefined && ![500, 502, 503].includes(rule.errorStatus))
			throw new Error(`fault rule ${i}: errorStatus must be 500, 502 or 503`);
		if (rule.resetPhase !== undefined && !['before', 'after'].includes(rule.resetPhase))
			throw new Error(`fault rule ${i}: resetPhase must be before or after`);
		for (const f of [
			'latencyMs',
			'retryAfterSeconds',
			'slowBodyMs',
			'tokenExpiresAfterRequests',
			'tokenExpiresAfterSeconds',
			'maxConsecutive',
		] as const) {
			const v = rule[f];
			if (v !== undefined && (typeof v !== 'number' || v < 0))
				throw new Error(`fault rule ${i}: ${f} must be a non-negative number`);
		}
		return { ...rule };
	});
}

export class FaultEngine {
	private rules: FaultRule[] = [];
	private rngs: Array<Partial<Record<RateField, Rng>>> = [];
	/** authenticated-request counters per (rule, token jti) */
	private tokenUse = new Map<string, number>();
	private deadTokens = new Set<string>();
	/** consecutive failures injected per request identity */
	private streaks = new Map<string, number>();

	constructor(private seed: number) {}

	set(rules: FaultRule[]): void {
		this.rules = validateFaults(rules);
		this.rngs = this.rules.map((_, i) =>
			Object.fromEntries(RATE_FIELDS.map((f) => [f, faultRng(this.seed, i, f)])),
		);
		this.tokenUse.clear();
		this.deadTokens.clear();
		this.streaks.clear();
	}

	get(): FaultRule[] {
		return this.rules.map((r) => ({ ...r }));
	}

	private matches(rule: FaultRule, service: Service, method: string, path: string): boolean {
		if (rule.service && rule.service !== 'all' && rule.service !== service) return false;
		if (rule.method && rule.method.toUpperCase() !== method.toUpperCase()) return false;
		if (rule.pathPrefix && !path.startsWith(rule.pathPrefix)) return false;
		return true;
	}

	/** Draws every rate of every matching rule (so counts per field never depend on other fields). */
	decide(service: Service, method: string, path: string, requestKey?: string): FaultDecision {
		const d: FaultDecision = { latencyMs: 0, slowBodyMs: 0, labels: [] };
		let maxConsecutive = Infinity;
		this.rules.forEach((rule, i) => {
			if (!this.matches(rule, service, method, path)) return;
			if (rule.maxConsecutive !== undefined)
				maxConsecutive = Math.min(maxConsecutive, rule.maxConsecutive);
			const rngs = this.rngs[i];
			const hit: Partial<Record<RateField, boolean>> = {};
			for (const f of RATE_FIELDS)
				if (rule[f] !== undefined) hit[f] = rngs[f]!() < (rule[f] as number);
			if (rule.latencyMs) d.latencyMs += rule.latencyMs;
			if (rule.slowBodyMs) d.slowBodyMs = Math.max(d.slowBodyMs, rule.slowBodyMs);
			if (!d.before) {
				if (hit.resetRate && (rule.resetPhase ?? 'before') === 'before')
					d.before = { kind: 'reset' };
				else if (hit.htmlErrorRate) d.before = { kind: 'html' };
				else if (hit.rateLimitRate)
					d.before = { kind: 'rateLimit', retryAfter: rule.retryAfterSeconds ?? 1 };
				else if (hit.errorRate && rule.errorStatus === 503)
					d.before = { kind: 'error', status: 503 };
			}
			if (!d.after) {
				if (hit.errorRate && rule.errorStatus !== 503)
					d.after = { kind: 'error', status: (rule.errorStatus ?? 500) as 500 | 502 };
				else if (hit.resetRate && rule.resetPhase === 'after') d.after = { kind: 'reset' };
				else if (hit.truncateRate) d.after = { kind: 'truncate' };
			}
		});
		if (requestKey !== undefined && Number.isFinite(maxConsecutive)) {
			const streak = this.streaks.get(requestKey) ?? 0;
			if (!d.before && !d.after) this.streaks.delete(requestKey);
			else if (streak >= maxConsecutive) {
				d.before = undefined;
				d.after = undefined;
				this.streaks.delete(requestKey);
			} else this.streaks.set(requestKey, streak + 1);
		}
		return d;
	}

	/** Token-expiry faults (Kapitale JWTs). Returns true when the token must be treated as expired. */
	tokenExpired(service: Service, method: string, path: string, jti: string, iat: number): boolean {
		if (this.deadTokens.has(jti)) return true;
		let dead = false;
		this.rules.forEach((rule, i) => {
			if (!this.matches(rule, service, method, path)) return;
			if (
				rule.tokenExpiresAfterSeconds !== undefined &&
				Date.now() / 1000 - iat >= rule.tokenExpiresAfterSeconds
			)
				dead = true;
			if (rule.tokenExpiresAfterRequests !== undefined) {
				const key = `${i}:${jti}`;
				const n = (this.tokenUse.get(key) ?? 0) + 1;
				this.tokenUse.set(key, n);
				if (n > rule.tokenExpiresAfterRequests) dead = true;
			}
		});
		if (dead) this.deadTokens.add(jti);
		return dead;
	}
}
