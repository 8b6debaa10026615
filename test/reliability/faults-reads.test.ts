/**
 * Issue 9, reads under faults: 1,000-item Get, Return All, partner status/details and city/bank
 * searches with 10% 503, 5% 429 + Retry-After, 1% connection resets and (Kapitale) tokens that
 * expire every 200 requests. Every item must come back exactly once; retries stay within the
 * budget; the next attempt after a 429 waits Retry-After (from the sandbox's own timestamps).
 */
import type { IDataObject } from 'n8n-workflow';

import { DEFAULT_RETRY_POLICY } from '../../nodes/shared/transport/retry';
import type { Engine } from '../harness/engine';
import {
	attemptsBy,
	checkAttempts,
	engineFor,
	expectNoRunError,
	injectedFaults,
	openSandbox,
	operationIds,
	pairedIndexes,
	readFaults,
	type RequestLogEntry,
	type RunningSandbox,
} from './helpers';
import { recordFigures } from './figures';
import { overrideForFile } from '../harness/overrides';

// Kapitale's 429s carry the usual whole-second Retry-After; the partner suites use a quarter
// second (the header allows fractions, the transport reads them) to keep the suite fast.
const RETRY_AFTER_S = 1;
const PARTNER_RETRY_AFTER_S = 0.25;
const budget = { maxRetries: DEFAULT_RETRY_POLICY.maxRetries, retryAfterMs: RETRY_AFTER_S * 1000 };
const partnerBudget = {
	maxRetries: DEFAULT_RETRY_POLICY.maxRetries,
	retryAfterMs: PARTNER_RETRY_AFTER_S * 1000,
};

// The exponential backoff (300 ms doubling) is the transport's default; the suite shortens its base
// so that ~150 retried 503s stay within the CI budget. Retry-After is never shortened by this.
overrideForFile(DEFAULT_RETRY_POLICY, { baseDelayMs: 20 });

let sandbox: RunningSandbox;
let engine: Engine;
let partnerEngine: Engine;

beforeAll(async () => {
	sandbox = await openSandbox();
	sandbox.seedOrders(1000);
	sandbox.seedOperations(1000);
	engine = engineFor(sandbox);
	partnerEngine = engineFor(sandbox, 'partner');
});
afterAll(async () => await sandbox?.close());
beforeEach(() => {
	sandbox.setFaults([]);
	sandbox.clearLog();
});

function verifyBudget(
	log: RequestLogEntry[],
	key: (entry: RequestLogEntry) => string,
	limits = budget,
) {
	const groups = attemptsBy(log, key);
	const problems: string[] = [];
	let retries = 0;
	const gaps: number[] = [];
	for (const [name, attempts] of groups) {
		const result = checkAttempts(attempts, limits);
		problems.push(...result.problems.map((problem) => `${name}: ${problem}`));
		gaps.push(...result.retryAfterGaps);
		retries += attempts.length - 1;
		// Each logical read ends with exactly one success.
		const ok = attempts.filter((entry) => entry.status >= 200 && entry.status < 300);
		if (ok.length !== 1 || attempts[attempts.length - 1] !== ok[0])
			problems.push(
				`${name}: ${ok.length} successful attempts, last status ${attempts[attempts.length - 1].status}`,
			);
	}
	expect(problems).toEqual([]);
	return { logical: groups.size, retries, gaps };
}

describe('Kapitale reads under faults', () => {
	it('Get order by ID over 1,000 items: all succeed once, in order, retries within budget, Retry-After honoured', async () => {
		const list = await engine.runNode({
			type: 'kapitaleOrder',
			parameters: { resource: 'order', operation: 'getAll', returnAll: true, simplify: false },
		});
		expectNoRunError(list);
		const ids = list.items.map((item) => String(item.json.id)).slice(0, 1000);
		expect(ids).toHaveLength(1000);

		sandbox.setFaults(readFaults('kapitale', RETRY_AFTER_S));
		sandbox.clearLog();
		const started = Date.now();
		const run = await engine.runNode({
			type: 'kapitaleOrder',
			parameters: {
				resource: 'order',
				operation: 'get',
				orderId: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
			},
			items: ids.map((id) => ({ id })),
		});
		expectNoRunError(run);
		expect(run.items.map((item) => item.json.id)).toEqual(ids); // none missing, none duplicated, in input order
		expect(pairedIndexes(run.items)).toEqual(ids.map((_, index) => index));

		const log = sandbox.requestLog();
		const faults = injectedFaults(log);
		expect(faults.byLabel['error-503']).toBeGreaterThan(50);
		expect(faults.byLabel['rate-limit']).toBeGreaterThan(20);
		expect(faults.byLabel['reset-before']).toBeGreaterThan(0);
		expect(faults.byLabel['token-expired']).toBeGreaterThan(0);
		const { logical, retries, gaps } = verifyBudget(
			log.filter((entry) => entry.service === 'kapitale'),
			(entry) => entry.path,
		);
		expect(logical).toBe(1000);
		expect(gaps.length).toBe(faults.byLabel['rate-limit']);
		expect(Math.min(...gaps)).toBeGreaterThanOrEqual(RETRY_AFTER_S * 1000 - 2);
		// The expired tokens were replaced: more than one token minted, none of them retried blindly.
		expect(
			log.filter((entry) => entry.service === 'token' && entry.status === 200).length,
		).toBeGreaterThan(1);
		recordFigures('reads: Kapitale Get by ID', {
			items: 1000,
			lost: 0,
			duplicates: 0,
			faults: faults.total,
			faultsByLabel: faults.byLabel,
			retries,
			ms: Date.now() - started,
		});
	});

	it('Get Many with Return All (8 items × 1,029 orders): every order once per item, page requests within budget', async () => {
		sandbox.setFaults(readFaults('kapitale', RETRY_AFTER_S));
		const started = Date.now();
		const run = await engine.runNode({
			type: 'kapitaleOrder',
			parameters: { resource: 'order', operation: 'getAll', returnAll: true, simplify: true },
			items: Array.from({ length: 8 }, (_, index) => ({ index })),
		});
		expectNoRunError(run);
		const total = sandbox.counts().orders;
		expect(run.items).toHaveLength(8 * total);
		const byItem = new Map<number, string[]>();
		run.items.forEach((item, position) => {
			const index = pairedIndexes([item])[0];
			const ids = byItem.get(index) ?? [];
			ids.push(String(item.json.id));
			byItem.set(index, ids);
			expect(position).toBeGreaterThanOrEqual(0);
		});
		for (const ids of byItem.values()) {
			expect(ids).toHaveLength(total);
			expect(new Set(ids).size).toBe(total);
		}
		const log = sandbox.requestLog();
		const faults = injectedFaults(log);
		expect(faults.total).toBeGreaterThan(5);
		// One logical request per (page, limit) and per input item: the sandbox cannot tell items apart,
		// so the budget is checked per page over the 8 runs: at most 8 × (1 + maxRetries) failures.
		const pages = attemptsBy(
			log.filter((entry) => entry.service === 'kapitale'),
			(entry) => `${entry.path}?page=${entry.query.page}`,
		);
		for (const attempts of pages.values()) {
			expect(attempts.filter((entry) => entry.status === 200)).toHaveLength(8);
			expect(
				attempts.filter((entry) => entry.status !== 200 && entry.status !== 401).length,
			).toBeLessThanOrEqual(8 * budget.maxRetries);
		}
		recordFigures('reads: Kapitale Get Many (Return All)', {
			items: 8 * total,
			lost: 0,
			duplicates: 0,
			faults: faults.total,
			faultsByLabel: faults.byLabel,
			retries: log.length - pages.size * 8,
			ms: Date.now() - started,
		});
	});
});

describe('partner reads under faults', () => {
	let ids: string[];
	beforeAll(async () => {
		ids = (await operationIds(sandbox)).slice(0, 1000);
		expect(ids).toHaveLength(1000);
	});

	it.each([
		['getStatus', (json: IDataObject) => json.operationId],
		['getDetails', (json: IDataObject) => json.id ?? json.operationId ?? json.hashId],
	])(
		'Operation %s over 1,000 items: all succeed once, retries within budget, Retry-After honoured',
		async (operation, idOf) => {
			sandbox.setFaults(readFaults('partner', PARTNER_RETRY_AFTER_S));
			sandbox.clearLog();
			const started = Date.now();
			const run = await partnerEngine.runNode({
				type: 'partnerOperation',
				parameters: {
					resource: 'operation',
					operation,
					operationId: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
					simplify: true,
					options: { concurrency: 10 },
				},
				items: ids.map((id) => ({ id })),
			});
			expectNoRunError(run);
			expect(run.items).toHaveLength(1000);
			expect(pairedIndexes(run.items)).toEqual(ids.map((_, index) => index));
			const returned = run.items.map((item) => String(idOf(item.json)));
			expect(returned).toEqual(ids);
			const log = sandbox.requestLog().filter((entry) => entry.service === 'partner');
			const faults = injectedFaults(log);
			expect(faults.byLabel['error-503']).toBeGreaterThan(50);
			expect(faults.byLabel['rate-limit']).toBeGreaterThan(20);
			const { logical, retries, gaps } = verifyBudget(log, (entry) => entry.path, partnerBudget);
			expect(logical).toBe(1000);
			expect(gaps.length).toBe(faults.byLabel['rate-limit']);
			recordFigures(`reads: PartnerOperation ${operation}`, {
				items: 1000,
				lost: 0,
				duplicates: 0,
				faults: faults.total,
				faultsByLabel: faults.byLabel,
				retries,
				ms: Date.now() - started,
			});
		},
	);

	it('Operation Get Many with Return All (1,010 operations, 4 items): every operation once per item', async () => {
		sandbox.setFaults(readFaults('partner', PARTNER_RETRY_AFTER_S));
		const started = Date.now();
		const run = await partnerEngine.runNode({
			type: 'partnerOperation',
			parameters: { resource: 'operation', operation: 'getMany', returnAll: true, simplify: false },
			items: Array.from({ length: 4 }, (_, index) => ({ index })),
		});
		expectNoRunError(run);
		const total = sandbox.counts().operations;
		expect(run.items).toHaveLength(4 * total);
		for (let index = 0; index < 4; index++) {
			const mine = run.items
				.filter((item) => pairedIndexes([item])[0] === index)
				.map((item) => String(item.json.id));
			expect(new Set(mine).size).toBe(total);
		}
		const faults = injectedFaults(sandbox.requestLog());
		recordFigures('reads: PartnerOperation Get Many (Return All)', {
			items: 4 * total,
			lost: 0,
			duplicates: 0,
			faults: faults.total,
			faultsByLabel: faults.byLabel,
			retries: 0,
			ms: Date.now() - started,
		});
	});

	it('City Search and Bank Search over 1,000 items: the right answer for every item', async () => {
		const municipalities = require('../../sandbox/data/municipalities.json') as Array<
			[number, number, string, string]
		>;
		const banks = require('../../sandbox/data/banks.json') as Array<
			[number, string, string, string, string[]]
		>;
		// Distinct names (a repeated name is searched once per execution, by design).
		const seenNames = new Set<string>();
		const cities = municipalities
			.filter(([, , name]) => !seenNames.has(name) && seenNames.add(name))
			.slice(0, 700);
		const bankCodes = [...new Set(banks.map(([, compe]) => compe))].slice(0, 300);
		sandbox.setFaults(readFaults('partner', PARTNER_RETRY_AFTER_S));
		sandbox.clearLog();
		const started = Date.now();
		const cityRun = await partnerEngine.runNode({
			type: 'citySearch',
			parameters: {
				resource: 'city',
				operation: 'search',
				query: '={{ $json.q }}',
				options: { exactOnly: true, state: '={{ $json.uf }}', concurrency: 10 },
			},
			items: cities.map(([, , name, uf]) => ({ q: name, uf })),
		});
		expectNoRunError(cityRun);
		const cityIdsByItem = new Map<number, number[]>();
		for (const item of cityRun.items) {
			const index = pairedIndexes([item])[0];
			cityIdsByItem.set(index, [...(cityIdsByItem.get(index) ?? []), Number(item.json.id)]);
		}
		cities.forEach(([id], index) => expect(cityIdsByItem.get(index)).toEqual([id]));

		const bankRun = await partnerEngine.runNode({
			type: 'bankSearch',
			parameters: {
				resource: 'bank',
				operation: 'search',
				query: '={{ $json.code }}',
				options: { exactOnly: true, concurrency: 10 },
			},
			items: bankCodes.map((code) => ({ code })),
		});
		expectNoRunError(bankRun);
		expect(bankRun.items.map((item) => item.json.code)).toEqual(bankCodes);
		expect(pairedIndexes(bankRun.items)).toEqual(bankCodes.map((_, index) => index));

		const log = sandbox.requestLog().filter((entry) => entry.service === 'partner');
		const faults = injectedFaults(log);
		expect(faults.byLabel['error-503']).toBeGreaterThan(50);
		const { logical, retries } = verifyBudget(
			log,
			(entry) => `${entry.path}?${entry.query.name ?? entry.query.search}`,
			partnerBudget,
		);
		expect(logical).toBe(cities.length + bankCodes.length);
		recordFigures('reads: City Search + Bank Search', {
			items: cities.length + bankCodes.length,
			lost: 0,
			duplicates: 0,
			faults: faults.total,
			faultsByLabel: faults.byLabel,
			retries,
			ms: Date.now() - started,
		});
	});
});
