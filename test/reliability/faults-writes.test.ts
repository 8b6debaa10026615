/**
 * Issue 9, creates under faults: orders, customers and operations with the read fault mix plus
 * 500/502 and connection resets AFTER the API processed the request, and truncated answers.
 * Nothing may be created twice: the sandbox's counts equal the successful items plus, at most,
 * the items reported as "may have been processed". With Continue On Fail every input item
 * yields exactly one paired output.
 */
import type { INodeExecutionData } from 'n8n-workflow';

import { makeCpf } from '../../sandbox';
import { DEFAULT_RETRY_POLICY } from '../../nodes/shared/transport/retry';
import { pfCustomer } from '../partner/helpers';
import type { Engine } from '../harness/engine';
import { recordFigures } from './figures';
import {
	engineFor,
	injectedFaults,
	openSandbox,
	pairedIndexes,
	writeFaults,
	type RunningSandbox,
} from './helpers';
import { overrideForFile } from '../harness/overrides';

const MAY_HAVE_BEEN_PROCESSED = /may (or may not )?have been processed/i;

overrideForFile(DEFAULT_RETRY_POLICY, { baseDelayMs: 20 });

let sandbox: RunningSandbox;
let engine: Engine;
let partnerEngine: Engine;

beforeAll(async () => {
	sandbox = await openSandbox();
	engine = engineFor(sandbox);
	partnerEngine = engineFor(sandbox, 'partner');
});
afterAll(async () => await sandbox?.close());
beforeEach(() => {
	sandbox.setFaults([]);
	sandbox.clearLog();
});

interface Outcome {
	succeeded: INodeExecutionData[];
	failed: INodeExecutionData[];
	ambiguous: INodeExecutionData[];
}

/** Splits a continue-on-fail output and checks the pairing: one output per input, in order. */
function outcome(items: INodeExecutionData[], inputs: number): Outcome {
	expect(items).toHaveLength(inputs);
	expect(pairedIndexes(items)).toEqual(Array.from({ length: inputs }, (_, index) => index));
	const failed = items.filter((item) => item.json.error !== undefined);
	for (const item of failed) {
		// Every failure carries a readable reason and says what was tried.
		expect(String(item.json.error)).toMatch(/\S{3,}/);
		expect(String(item.json.error)).not.toMatch(/Unexpected token|JSON\.parse|at .*\.js:\d+/);
		expect(String(item.json.description ?? '')).toMatch(/\S/);
	}
	const text = (item: INodeExecutionData) =>
		`${String(item.json.error)} ${String(item.json.description ?? '')}`;
	return {
		succeeded: items.filter((item) => item.json.error === undefined),
		failed,
		ambiguous: failed.filter((item) => MAY_HAVE_BEEN_PROCESSED.test(text(item))),
	};
}

function report(name: string, inputs: number, result: Outcome, created: number, started: number) {
	const faults = injectedFaults(sandbox.requestLog());
	recordFigures(name, {
		items: inputs,
		lost: 0,
		duplicates:
			created -
			result.succeeded.length -
			Math.min(result.ambiguous.length, created - result.succeeded.length),
		faults: faults.total,
		faultsByLabel: faults.byLabel,
		succeeded: result.succeeded.length,
		failedMaybeProcessed: result.ambiguous.length,
		failedOther: result.failed.length - result.ambiguous.length,
		ms: Date.now() - started,
	});
	return faults;
}

it('Kapitale Order Create × 200 under faults: no duplicate, every item created or failed with its reason', async () => {
	const inputs = Array.from({ length: 200 }, (_, index) => ({
		orderNumber: `REL-W-${index}-${Date.now().toString(36)}`,
	}));
	sandbox.setFaults(writeFaults('kapitale', 1, '/order'));
	const before = sandbox.counts().orders;
	const started = Date.now();
	const run = await engine.runNode({
		type: 'kapitaleOrder',
		continueOnFail: true,
		parameters: {
			resource: 'order',
			operation: 'create',
			orderNumber: '={{ $json.orderNumber }}',
			retailCnpj: sandbox.fixtures.registeredRetailCnpj,
			requestedAmount: '1000',
			purchaseDate: '2025-02-26',
			expiryDate: '2025-12-31',
			itemsInput: 'fields',
			purchaseItems: { item: [{ description: 'Produto', value: '500', quantity: 2 }] },
		},
		items: inputs,
	});
	expect(run.error).toBeUndefined();
	const result = outcome(run.items, inputs.length);
	const created = sandbox.counts().orders - before;

	// A resent create would hit Kapitale's unique order number: no item may fail with 409.
	expect(result.failed.filter((item) => item.json.httpCode === '409')).toEqual([]);
	const ids = result.succeeded.map((item) => String(item.json.id));
	expect(new Set(ids).size).toBe(ids.length);
	expect(result.succeeded.map((item) => item.json.order_no)).toEqual(
		inputs
			.filter((_, index) => run.items[index].json.error === undefined)
			.map((input) => input.orderNumber),
	);
	// Created = successes + some of the items reported as "may have been processed"; never more.
	expect(created).toBeGreaterThanOrEqual(result.succeeded.length);
	expect(created).toBeLessThanOrEqual(result.succeeded.length + result.ambiguous.length);
	const faults = report('writes: Kapitale Order Create', inputs.length, result, created, started);
	// The ambiguous faults really happened, and each produced an item that says so. A reset before
	// the server read the request looks the same to the client (ECONNRESET), so it is reported
	// the same way and not resent.
	const ambiguousFaults =
		(faults.byLabel['error-500'] ?? 0) +
		(faults.byLabel['error-502'] ?? 0) +
		(faults.byLabel['reset-after'] ?? 0) +
		(faults.byLabel.truncate ?? 0);
	expect(ambiguousFaults).toBeGreaterThan(5);
	expect(result.ambiguous.length).toBe(ambiguousFaults + (faults.byLabel['reset-before'] ?? 0));
	// Only the ambiguous failures are failures: everything else was retried to success.
	expect(result.failed.length).toBe(result.ambiguous.length);
	// Retried faults (429, 503, expired token) were absorbed.
	expect(faults.byLabel['error-503']).toBeGreaterThan(5);
	expect(faults.byLabel['rate-limit']).toBeGreaterThan(2);
});

it('Partner Customer Create × 150 under faults: no duplicate customer, every item created or failed with its reason', async () => {
	const inputs = Array.from({ length: 150 }, (_, index) => ({
		cpf: makeCpf(String(300_000_000 + index * 7919).slice(0, 9)),
	}));
	expect(new Set(inputs.map((input) => input.cpf)).size).toBe(inputs.length);
	sandbox.setFaults(writeFaults('partner', 0.25));
	const before = sandbox.counts().customers;
	const started = Date.now();
	const run = await partnerEngine.runNode({
		type: 'partnerCustomer',
		continueOnFail: true,
		parameters: pfCustomer({ taxId: '={{ $json.cpf }}' }),
		items: inputs,
	});
	expect(run.error).toBeUndefined();
	const result = outcome(run.items, inputs.length);
	const created = sandbox.counts().customers - before;
	// A resent insert would be refused as a duplicate tax ID.
	expect(
		result.failed.filter((item) => /already|duplicad|já/i.test(String(item.json.error))),
	).toEqual([]);
	expect(result.succeeded.map((item) => item.json.taxId)).toEqual(
		inputs
			.filter((_, index) => run.items[index].json.error === undefined)
			.map((input) => input.cpf),
	);
	expect(created).toBeGreaterThanOrEqual(result.succeeded.length);
	expect(created).toBeLessThanOrEqual(result.succeeded.length + result.ambiguous.length);
	report('writes: Partner Customer Create', inputs.length, result, created, started);
	expect(result.ambiguous.length).toBeGreaterThan(0);
});

it('Partner Operation Create × 150 under faults: no duplicate operation, every item created or failed with its reason', async () => {
	const inputs = Array.from({ length: 150 }, (_, index) => ({
		cpf: makeCpf(String(500_000_000 + index * 6007).slice(0, 9)),
	}));
	sandbox.setFaults(writeFaults('partner', 0.25));
	const before = sandbox.counts().operations;
	const started = Date.now();
	const run = await partnerEngine.runNode({
		type: 'partnerOperation',
		continueOnFail: true,
		parameters: {
			resource: 'operation',
			operation: 'create',
			applicant: 'pf',
			amount: '1200',
			installments: 12,
			name: 'Joaquim Giovanni Murilo Moura',
			taxId: '={{ $json.cpf }}',
			contactEmail: 'joaquim@example.com.br',
			mobilePhone: '+55 (11) 92222-3333',
			city: { __rl: true, mode: 'name', value: 'Rio Branco - AC' },
		},
		items: inputs,
	});
	expect(run.error).toBeUndefined();
	const result = outcome(run.items, inputs.length);
	const created = sandbox.counts().operations - before;
	// Operations have no unique key: a resent create would show up as one more operation than reported.
	const ids = result.succeeded.map((item) => String(item.json.id));
	expect(new Set(ids).size).toBe(ids.length);
	expect(created).toBeGreaterThanOrEqual(result.succeeded.length);
	expect(created).toBeLessThanOrEqual(result.succeeded.length + result.ambiguous.length);
	report('writes: Partner Operation Create', inputs.length, result, created, started);
	expect(result.ambiguous.length).toBeGreaterThan(0);
});
