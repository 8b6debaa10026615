/** Shared helpers of the reliability suites: sandbox + engine, request-log analysis, leak scanning. */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import {
	startSandbox,
	type FaultRule,
	type RequestLogEntry,
	type RunningSandbox,
	type SandboxOptions,
} from '../../sandbox';
import { partner } from '../../sandbox/testing';
import { Engine, sandboxCredentialData, type NodeRun } from '../harness/engine';

export type { RequestLogEntry, RunningSandbox, FaultRule };

export async function openSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
	return await startSandbox({ quiet: true, host: '127.0.0.1', ...options });
}

/**
 * A fresh engine (own credential store). The credential is either Kapitale's (OAuth2 client
 * credentials) or the partner's (static bearer), so each side has its own engine.
 */
export function engineFor(
	sandbox: RunningSandbox,
	side: 'kapitale' | 'partner' = 'kapitale',
): Engine {
	return new Engine({
		credentials: {
			kapitale: sandboxCredentialData(sandbox, side),
		},
	});
}

/**
 * The fault mix of issue 9 for reads: 10% 503, 5% 429 with Retry-After, 1% connection resets
 * (before processing) and, on Kapitale, tokens that die after 200 requests.
 */
export function readFaults(
	service: 'kapitale' | 'partner',
	retryAfterSeconds = 1,
	pathPrefix?: string,
): FaultRule[] {
	// At most 3 injected failures in a row for one request: with 4 retries every read must get through.
	const base = { service, maxConsecutive: 3, ...(pathPrefix ? { pathPrefix } : {}) };
	const rules: FaultRule[] = [
		{ ...base, errorRate: 0.1, errorStatus: 503 },
		{ ...base, rateLimitRate: 0.05, retryAfterSeconds },
		{ ...base, resetRate: 0.01, resetPhase: 'before' },
	];
	if (service === 'kapitale') rules.push({ ...base, tokenExpiresAfterRequests: 200 });
	return rules;
}

/** The same mix for writes, plus the ambiguous ones: 500/502 and resets after processing, truncated answers. */
export function writeFaults(
	service: 'kapitale' | 'partner',
	retryAfterSeconds = 1,
	pathPrefix?: string,
): FaultRule[] {
	const base = { service, ...(pathPrefix ? { pathPrefix } : {}) };
	return [
		...readFaults(service, retryAfterSeconds, pathPrefix),
		{ ...base, errorRate: 0.03, errorStatus: 500 },
		{ ...base, errorRate: 0.03, errorStatus: 502 },
		{ ...base, resetRate: 0.02, resetPhase: 'after' },
		{ ...base, truncateRate: 0.02 },
	];
}

export const API_FAULT_LABELS = new Set([
	'error-503',
	'error-500',
	'error-502',
	'rate-limit',
	'reset-before',
	'reset-after',
	'truncate',
	'html-502',
]);

/** Log entries that carry an injected failure (latency-only entries excluded), plus token-expiry 401s. */
export function injectedFaults(log: RequestLogEntry[]): {
	byLabel: Record<string, number>;
	total: number;
} {
	const byLabel: Record<string, number> = {};
	for (const entry of log) {
		const label =
			entry.fault && API_FAULT_LABELS.has(entry.fault)
				? entry.fault
				: entry.status === 401 && entry.service === 'kapitale'
					? 'token-expired'
					: undefined;
		if (label) byLabel[label] = (byLabel[label] ?? 0) + 1;
	}
	return { byLabel, total: Object.values(byLabel).reduce((sum, n) => sum + n, 0) };
}

/** Groups the API entries of the log by a key naming the logical request (e.g. the path). */
export function attemptsBy(
	log: RequestLogEntry[],
	key: (entry: RequestLogEntry) => string,
): Map<string, RequestLogEntry[]> {
	const groups = new Map<string, RequestLogEntry[]>();
	for (const entry of log) {
		if (entry.service === 'token') continue;
		const k = key(entry);
		const list = groups.get(k) ?? [];
		list.push(entry);
		groups.set(k, list);
	}
	for (const list of groups.values()) list.sort((a, b) => a.seq - b.seq);
	return groups;
}

/**
 * Checks one logical request's attempts against the retry budget: at most `maxRetries` retries
 * for API failures (a 401 from an expired token is re-authenticated by n8n and not counted), and
 * every attempt after a 429 starts no earlier than Retry-After after the 429 was answered.
 * Returns the problems found (empty = fine) and the Retry-After gaps measured.
 */
export function checkAttempts(
	attempts: RequestLogEntry[],
	options: { maxRetries: number; retryAfterMs: number },
): { problems: string[]; retryAfterGaps: number[] } {
	const problems: string[] = [];
	const gaps: number[] = [];
	const failures = attempts.filter(
		(entry) =>
			entry.status !== 401 && (entry.status === 0 || entry.status >= 500 || entry.status === 429),
	);
	if (failures.length > options.maxRetries + 1)
		problems.push(`${failures.length} failed attempts (budget ${options.maxRetries} retries)`);
	if (
		attempts.length >
		options.maxRetries + 1 + attempts.filter((entry) => entry.status === 401).length
	) {
		problems.push(`${attempts.length} attempts in all`);
	}
	attempts.forEach((entry, index) => {
		if (entry.status !== 429) return;
		const next = attempts[index + 1];
		if (!next) return;
		const gap = next.startedAt - entry.finishedAt;
		gaps.push(gap);
		// 2 ms for the two clocks (sandbox performance clock vs timer granularity).
		if (gap < options.retryAfterMs - 2)
			problems.push(
				`attempt ${next.seq} started ${gap.toFixed(1)} ms after the 429 (Retry-After ${options.retryAfterMs} ms)`,
			);
	});
	return { problems, retryAfterGaps: gaps };
}

export function errorOf(run: NodeRun): string {
	return run.error
		? `${run.error.name}: ${run.error.message} | ${run.error.description ?? ''}`
		: '';
}

export function expectNoRunError(run: NodeRun): void {
	if (run.error) throw new Error(`Unexpected error: ${errorOf(run)}`);
}

/** Every item's pairedItem.item, in output order. */
export function pairedIndexes(items: INodeExecutionData[]): number[] {
	return items.map((item) => {
		const paired = item.pairedItem;
		if (typeof paired === 'number') return paired;
		if (Array.isArray(paired)) return paired[0]?.item ?? -1;
		return paired?.item ?? -1;
	});
}

/** Ids of the partner's operations, read directly from the sandbox (not through the nodes). */
export async function operationIds(sandbox: RunningSandbox): Promise<string[]> {
	const ids: string[] = [];
	for (let offset = 0; ; offset += 500) {
		const response = await partner(
			sandbox,
			'POST',
			`/partner-operation/all?partnerHashId=${sandbox.credentials.partnerHashId}`,
			{ limit: 500, offset, filter: {} },
		);
		const page = (response.json?.data ?? []) as IDataObject[];
		ids.push(...page.map((op) => String(op.id)));
		if (page.length < 500) return ids;
	}
}

/**
 * Serialises everything a user, a log or the UI could see of an execution: items, errors with
 * their descriptions, stacks, causes and context, and the whole run data.
 */
export function exposedText(run: NodeRun): string {
	const seen = new WeakSet<object>();
	const replacer = (_key: string, value: unknown) => {
		if (value instanceof Error) {
			const error = value as Error & Record<string, unknown>;
			const out: Record<string, unknown> = {
				name: error.name,
				message: error.message,
				stack: error.stack,
			};
			for (const key of Object.getOwnPropertyNames(error)) out[key] = error[key];
			return out;
		}
		if (typeof value === 'bigint') return String(value);
		if (value && typeof value === 'object') {
			if (seen.has(value)) return '[circular]';
			seen.add(value);
		}
		return value;
	};
	const parts = [
		JSON.stringify(run.items, replacer),
		JSON.stringify(run.error ?? null, replacer),
		run.error?.stack ?? '',
		run.error?.message ?? '',
		String(run.error?.description ?? ''),
		JSON.stringify(run.run.data.resultData, replacer),
	];
	return parts.join('\n');
}
