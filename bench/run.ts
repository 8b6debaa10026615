/**
 * npm run bench [-- --quick] [-- --runs N] [-- --only create-orders,list-orders] [-- --concurrency 5] [-- --input-mode auto]
 *
 * This package's nodes vs n8n's HTTP Request node vs a raw undici keep-alive pool, against the
 * embedded sandbox over real HTTPS on loopback (throwaway CA) with 20 ms simulated latency.
 * Prints a table and writes bench-results/bench-<date>.json. See docs/readme/bench.md.
 */
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { makeCnpj, makeCpf } from '../sandbox';
import { DEFAULT_CONCURRENCY } from '../nodes/shared/execution/concurrency';
import { DEFAULT_KAPITALE_SCOPES } from '../nodes/shared/transport/endpoints';
import { hostSandbox, type HostedSandbox } from './lib/sandboxHost';
import { ensureTls } from './lib/tls';
import {
	median,
	renderMarkdown,
	type BenchReport,
	targetChecks,
	type ClientSummary,
	type Measured,
	type ScenarioResult,
} from './lib/report';
import type { ClientName, RunRequest, RunResult, WorkloadKind } from './lib/types';
import { HTTP_NODE_VERSION, N8N_LOCAL, serviceOf } from './lib/workloads';

const ROOT = path.resolve(__dirname, '..');
const RESULTS = path.join(ROOT, 'bench-results');
const HTTP_NODE_FILE = path.join(
	N8N_LOCAL,
	'n8n-nodes-base/dist/nodes/HttpRequest/V3/HttpRequestV3.node.js',
);

// ------------------------------------------------------------------ arguments

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(`--${name}`);
const option = (name: string) => {
	const index = argv.indexOf(`--${name}`);
	return index >= 0 ? argv[index + 1] : undefined;
};
const SMOKE = flag('smoke');
const QUICK = flag('quick') || SMOKE;
const RUNS = Number(option('runs') ?? (SMOKE ? 1 : QUICK ? 2 : 5));
/** Equal concurrency for all clients: our node's Parallel Requests, the raw pool's connections, the HTTP Request node's offered rate. */
const CONCURRENCY = Number(option('concurrency') ?? DEFAULT_CONCURRENCY);
/** Our node's Parallel Requests when it should differ from --concurrency (a sweep); default: the same. */
const PARALLEL =
	option('parallel') === undefined
		? option('concurrency') === undefined
			? undefined
			: CONCURRENCY
		: Number(option('parallel'));
const ONLY = option('only')?.split(',');
const CLIENTS = (option('clients')?.split(',') ?? ['ours', 'http', 'raw']) as ClientName[];
const LATENCY = Number(option('latency') ?? 20);
const CALIBRATE = !QUICK && !flag('no-calibrate');
/** Our node's Input Mode on the create scenarios: "manual" (one expression per mapped field) or "auto" (Map Input Fields Automatically). */
const INPUT_MODE = option('input-mode') === 'auto' ? 'auto' : 'manual';

// ------------------------------------------------------------------ trust the throwaway CA (must be set before start)

const tls = ensureTls(path.join(RESULTS, 'tls'));
if (process.env.NODE_EXTRA_CA_CERTS !== tls.caFile) {
	const child = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
		stdio: 'inherit',
		env: { ...process.env, NODE_EXTRA_CA_CERTS: tls.caFile },
	});
	process.exit(child.status ?? 1);
}

// ------------------------------------------------------------------ scenarios

interface Scenario {
	id: string;
	title: string;
	kind: WorkloadKind;
	latencyMs: number;
	size: number;
	pageSize: number;
	/** Once per scenario, before the clients start. */
	prepare?(host: HostedSandbox): Promise<void>;
	/** Before every run (and warm-up): state the run needs. */
	beforeRun?(host: HostedSandbox): void;
	items(run: string, warmup: boolean): Array<Record<string, unknown>>;
	/** For list scenarios, the warm-up's record limit. */
	warmupLimit?: number;
	expected(host: HostedSandbox, warmup: boolean): number;
	perItem: boolean;
	note?: string;
	/** Start every run with a stored token (measures per-item overhead without token minting). */
	warmToken?: boolean;
	runs?: number;
	clients?: ClientName[];
	/** Also run the keep-alive diagnostic client. */
	diagnostic?: boolean;
}

const WARMUP_ITEMS = 20;

function orderItems(size: number, prefix: string): Array<Record<string, unknown>> {
	return Array.from({ length: size }, (_, i) => {
		const value = 100 + (i % 50) * 10;
		return {
			orderNumber: `${prefix}-${String(i + 1).padStart(6, '0')}`,
			retailCnpj: makeCnpj(String(112223330000 + (i % 97)).padStart(12, '0')),
			requestedAmount: value * 2,
			purchaseDate: '2026-11-20',
			expiryDate: '2027-01-19',
			items: [{ value, quantity: 2, description: 'Produto A' }],
		};
	});
}

let cityId = 0;
function customerItems(size: number, prefix: number): Array<Record<string, unknown>> {
	return Array.from({ length: size }, (_, i) => {
		const base = String(100_000_000 + prefix * 100_000 + i).slice(-9);
		return {
			person_type: 1,
			tax_id: makeCpf(base),
			name: `Cliente Bench ${prefix}-${i}`,
			email_contact: `bench${prefix}x${i}@example.com.br`,
			phone_2: '11987654321',
			birthday: '15/03/1985',
			mother_name: 'Maria da Silva',
			name_contact: 'João da Silva',
			cpf_contact: makeCpf('529982247'),
			address_zipcode: '01001000',
			address_street: 'Praça da Sé',
			address_number: '100',
			address_district: 'Sé',
			address_city_id: cityId,
		};
	});
}

async function mintToken(host: HostedSandbox): Promise<string> {
	const { tokenUrl, credentials } = host.info;
	const tokenResponse = await fetch(tokenUrl, {
		method: 'POST',
		headers: {
			authorization: `Basic ${Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString('base64')}`,
			'content-type': 'application/x-www-form-urlencoded',
		},
		body: `grant_type=client_credentials&scope=${encodeURIComponent(DEFAULT_KAPITALE_SCOPES)}`,
	});
	return ((await tokenResponse.json()) as { access_token: string }).access_token;
}

let storedToken: string | undefined;
async function listOrderIds(host: HostedSandbox, count: number): Promise<string[]> {
	const { kapitaleBaseUrl } = host.info;
	const token = await mintToken(host);
	const ids: string[] = [];
	for (let page = 1; ids.length < count; page++) {
		const response = await fetch(`${kapitaleBaseUrl}/order?page=${page}&limit=100`, {
			headers: { authorization: `Bearer ${token}` },
		});
		const body = (await response.json()) as { data: Array<{ id: string }>; totalPages: number };
		ids.push(...body.data.map((order) => order.id));
		if (page >= body.totalPages) break;
	}
	return ids.slice(0, count);
}

function getScenario(
	id: string,
	size: number,
	latencyMs: number,
	note?: string,
	extra: Partial<Scenario> = {},
): Scenario {
	let ids: string[] = [];
	return {
		...extra,
		id,
		title: `Get ${size.toLocaleString('en')} orders by id${latencyMs === 0 ? ' (0 ms latency)' : ''}`,
		kind: 'getOrders',
		latencyMs,
		size,
		pageSize: 100,
		perItem: true,
		note,
		async prepare(host) {
			host.sandbox.reset();
			const have = host.sandbox.counts().orders;
			if (have < size) host.sandbox.seedOrders(size - have);
			ids = await listOrderIds(host, size);
			if (extra.warmToken) storedToken = await mintToken(host);
			if (ids.length < size) throw new Error(`only ${ids.length} orders to get`);
		},
		items: (_run, warmup) =>
			ids.slice(0, warmup ? WARMUP_ITEMS : size).map((orderId) => ({ id: orderId })),
		expected: (_host, warmup) => (warmup ? WARMUP_ITEMS : size),
	};
}

function scenarios(): Scenario[] {
	const q = QUICK;
	const createSize = SMOKE ? 20 : q ? 100 : 1000;
	const listTotal = SMOKE ? 500 : q ? 2000 : 20_000;
	const customerSize = SMOKE ? 10 : q ? 50 : 500;
	const operationsTotal = SMOKE ? 600 : q ? 1000 : 10_000;
	const overheadSize = SMOKE ? 50 : q ? 300 : 2000;
	const list: Scenario[] = [
		{
			id: 'create-orders',
			title: `Create ${createSize.toLocaleString('en')} orders`,
			kind: 'createOrders',
			latencyMs: LATENCY,
			size: createSize,
			pageSize: 100,
			perItem: true,
			diagnostic: true,
			beforeRun: (host) => host.sandbox.reset(),
			items: (run, warmup) => orderItems(warmup ? WARMUP_ITEMS : createSize, `BENCH-${run}`),
			expected: (_host, warmup) => (warmup ? WARMUP_ITEMS : createSize),
		},
		getScenario('get-orders', createSize, LATENCY, undefined, { diagnostic: true }),
		{
			id: 'list-orders',
			title: `Return All over ${listTotal.toLocaleString('en')} orders`,
			kind: 'listOrders',
			latencyMs: LATENCY,
			size: listTotal,
			pageSize: 100,
			perItem: false,
			warmupLimit: 200,
			async prepare(host) {
				host.sandbox.reset();
				host.sandbox.seedOrders(listTotal - host.sandbox.counts().orders);
			},
			items: () => [{}],
			expected: (host, warmup) => (warmup ? 200 : host.sandbox.counts().orders),
		},
		{
			id: 'create-customers',
			title: `Partner: create ${customerSize.toLocaleString('en')} customers`,
			kind: 'createCustomers',
			latencyMs: LATENCY,
			size: customerSize,
			pageSize: 100,
			perItem: true,
			async prepare(host) {
				host.sandbox.reset();
				cityId = host.sandbox.fixtures.cityIds.saoPauloSP;
			},
			beforeRun: (host) => host.sandbox.reset(),
			items: (run, warmup) =>
				customerItems(
					warmup ? WARMUP_ITEMS : customerSize,
					Number(run.replace(/\D/g, '') || 0) % 900,
				),
			expected: (_host, warmup) => (warmup ? WARMUP_ITEMS : customerSize),
		},
		{
			id: 'list-operations',
			title: `Partner: Return All over ${operationsTotal.toLocaleString('en')} operations`,
			kind: 'listOperations',
			latencyMs: LATENCY,
			size: operationsTotal,
			pageSize: 500,
			perItem: false,
			warmupLimit: 500,
			async prepare(host) {
				host.sandbox.reset();
				host.sandbox.seedOperations(operationsTotal - host.sandbox.counts().operations);
			},
			items: () => [{}],
			expected: (host, warmup) => (warmup ? 500 : host.sandbox.counts().operations),
		},
		getScenario(
			'overhead',
			overheadSize,
			0,
			'per-item overhead at 0 ms latency, token already stored',
			{ warmToken: true, diagnostic: true },
		),
	];
	for (const size of SMOKE ? [] : q ? [100, 1000] : [100, 1000, 10_000]) {
		// 10,000 at once through the HTTP Request node (no concurrency bound at 0 ms) is left out unless --full-scaling.
		const clients: ClientName[] | undefined =
			size >= 10_000 && !flag('full-scaling') ? CLIENTS.filter((c) => c !== 'http') : undefined;
		list.push(
			getScenario(`scaling-${size}`, size, 0, 'scaling at 0 ms latency, token already stored', {
				warmToken: true,
				runs: size >= 10_000 ? Math.min(RUNS, 2) : size >= 1000 ? Math.min(RUNS, 3) : RUNS,
				clients,
			}),
		);
	}
	return list.filter(
		(scenario) =>
			!ONLY ||
			ONLY.some((wanted) => scenario.id === wanted || scenario.id.startsWith(`${wanted}-`)),
	);
}

// ------------------------------------------------------------------ client processes

interface ClientProcess {
	name: ClientName;
	child: ChildProcess;
	send(request: RunRequest): Promise<RunResult>;
	close(): void;
}

const RUN_PROFILES = path.join(RESULTS, 'profiles', 'runs');

async function startClient(name: ClientName): Promise<ClientProcess> {
	if (flag('profile-runs')) mkdirSync(RUN_PROFILES, { recursive: true });
	const child = fork(path.join(__dirname, 'client.ts'), [], {
		execArgv: [
			'--import',
			'tsx',
			'--expose-gc',
			'--max-old-space-size=4096',
			...(flag('profile')
				? [
						'--cpu-prof',
						`--cpu-prof-dir=${path.join(RESULTS, 'profiles')}`,
						`--cpu-prof-name=${name}-${Date.now()}.cpuprofile`,
					]
				: []),
		],
		stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
		env: {
			...process.env,
			N8N_LOG_LEVEL: 'silent',
			...(flag('profile-runs') ? { BENCH_RUN_PROFILE_DIR: RUN_PROFILES } : {}),
		},
	});
	let pending: ((result: RunResult) => void) | undefined;
	let exitError: Error | undefined;
	const ready = new Promise<void>((resolve, reject) => {
		child.on('message', (message: { type: string }) => {
			if (message.type === 'ready') resolve();
			else if (message.type === 'result') pending?.(message as RunResult);
		});
		child.on('exit', (code) => {
			exitError = new Error(`${name} client exited with ${code}`);
			reject(exitError);
			pending?.({
				type: 'result',
				ok: false,
				error: exitError.message,
				wallMs: NaN,
				cpuUs: NaN,
				rssBaseMb: NaN,
				rssPeakMb: NaN,
				heapPeakMb: NaN,
				outputItems: 0,
			});
		});
	});
	await ready;
	return {
		name,
		child,
		send: (request) =>
			new Promise<RunResult>((resolve) => {
				if (exitError) throw exitError;
				pending = resolve;
				child.send(request);
			}),
		close: () => {
			child.removeAllListeners('exit');
			if (child.connected) child.send({ type: 'exit' });
		},
	};
}

// ------------------------------------------------------------------ measuring

async function measureOnce(
	scenario: Scenario,
	host: HostedSandbox,
	client: ClientProcess,
	runLabel: string,
	warmup: boolean,
	batch?: { batchSize: number; batchInterval: number },
): Promise<Measured> {
	scenario.beforeRun?.(host);
	const items = scenario.items(runLabel, warmup);
	const request: RunRequest = {
		type: 'run',
		kind: scenario.kind,
		client: client.name,
		sandbox: host.info,
		concurrency: CONCURRENCY,
		parallel: PARALLEL,
		inputMode: INPUT_MODE,
		items,
		limit: warmup ? scenario.warmupLimit : undefined,
		pageSize: scenario.pageSize,
		batch,
		warmup,
		accessToken: scenario.warmToken ? storedToken : undefined,
	};
	host.mark();
	const result = await client.send(request);
	const server = host.stats();
	const expected = scenario.expected(host, warmup);
	if (result.ok && result.outputItems !== expected) {
		result.ok = false;
		result.error = `expected ${expected} output items, got ${result.outputItems}`;
	}
	if (
		result.ok &&
		(client.name === 'ours' || client.name === 'ours-ka') &&
		serviceOf(scenario.kind) === 'kapitale' &&
		!scenario.warmToken &&
		server.tokenRequests !== 1
	) {
		result.ok = false;
		result.error = `expected 1 token request, saw ${server.tokenRequests}`;
	}
	if (result.ok && server.non2xx > 0) {
		result.ok = false;
		result.error = `${server.non2xx} requests answered with an error status`;
	}
	return { ...result, server };
}

/** HTTP Request node batching for "the same concurrency": the rate of an ideal client at `CONCURRENCY`. */
function batchFor(batchSize: number, latencyMs: number) {
	return { batchSize, batchInterval: Math.round((batchSize * latencyMs) / CONCURRENCY) };
}

async function runScenario(scenario: Scenario, host: HostedSandbox): Promise<ScenarioResult> {
	const runCount = scenario.runs ?? RUNS;
	const names = [
		...(scenario.clients ?? CLIENTS),
		...(scenario.diagnostic && !SMOKE && !flag('no-diagnostic') && CLIENTS.includes('ours')
			? (['ours-ka'] as ClientName[])
			: []),
	];
	process.stdout.write(
		`\n▶ ${scenario.title} [${scenario.id}] — latency ${scenario.latencyMs} ms, ${runCount} runs\n`,
	);
	await scenario.prepare?.(host);
	const clients = await Promise.all(names.map((name) => startClient(name)));
	const runs: Record<ClientName, Measured[]> = { ours: [], http: [], raw: [], 'ours-ka': [] };
	let batch: { batchSize: number; batchInterval: number } | undefined;
	const calibration: ScenarioResult['calibration'] = [];
	try {
		for (const client of SMOKE ? [] : clients) {
			const warm = await measureOnce(
				scenario,
				host,
				client,
				`w-${client.name}`,
				true,
				scenario.perItem ? batchFor(CONCURRENCY, scenario.latencyMs) : undefined,
			);
			if (!warm.ok) process.stdout.write(`  ! ${client.name} warm-up failed: ${warm.error}\n`);
		}
		const http = clients.find((client) => client.name === 'http');
		if (scenario.perItem && http) {
			batch = batchFor(CONCURRENCY, scenario.latencyMs);
			if (CALIBRATE && scenario.latencyMs > 0) {
				// The best batch size at the same rate: 1 item every latency/C ms, or C items every latency ms.
				let best = Infinity;
				for (const size of [1, CONCURRENCY]) {
					const candidate = batchFor(size, scenario.latencyMs);
					const measured = await measureOnce(scenario, host, http, `c${size}`, false, candidate);
					calibration.push({
						...candidate,
						wallMs: Math.round(measured.wallMs),
						meanInFlight: measured.server.meanInFlight,
						peakInFlight: measured.server.peakInFlight,
					});
					if (measured.ok && measured.wallMs < best) {
						best = measured.wallMs;
						batch = candidate;
					}
				}
				process.stdout.write(
					`  HTTP Request batching: ${calibration.map((c) => `${c.batchSize}/${c.batchInterval}ms → ${c.wallMs} ms`).join(', ')}; using ${batch.batchSize}/${batch.batchInterval}ms\n`,
				);
			}
		}
		for (let run = 0; run < runCount; run++) {
			// Rotate the order so that drift on the shared machine spreads over all clients.
			const order = clients.map((_, index) => clients[(index + run) % clients.length]);
			for (const client of order) {
				const measured = await measureOnce(
					scenario,
					host,
					client,
					`r${run}-${client.name}`,
					false,
					client.name === 'http' ? batch : undefined,
				);
				runs[client.name].push(measured);
				process.stdout.write(
					`  run ${run + 1} ${client.name.padEnd(4)} ${measured.ok ? '' : `FAILED (${measured.error}) `}${Math.round(measured.wallMs)} ms, cpu ${Math.round(measured.cpuUs / 1000)} ms, +${measured.rssPeakMb} MB rss, ${measured.server.requests} req, ${measured.server.tokenRequests} token, ${measured.server.connections} conn (≤${measured.server.openConnectionsPeak} open), in-flight ≤${measured.server.peakInFlight} (avg ${measured.server.meanInFlight})\n`,
				);
			}
		}
	} finally {
		for (const client of clients) client.close();
	}
	const summaries: ClientSummary[] = names.map((name) => {
		const list = runs[name];
		const good = list.filter((run) => run.ok);
		const walls = good.map((run) => run.wallMs);
		const items = scenario.perItem ? scenario.size : good[0]?.outputItems || scenario.size;
		return {
			client: name,
			runs: list,
			ok: good.length === list.length && list.length > 0,
			errors: [...new Set(list.filter((run) => !run.ok).map((run) => run.error ?? 'failed'))],
			wallMs: { median: median(walls), min: Math.min(...walls), max: Math.max(...walls) },
			cpuUsPerItem: median(good.map((run) => run.cpuUs)) / items,
			wallUsPerItem: (median(walls) * 1000) / items,
			rssPeakMb: median(good.map((run) => run.rssPeakMb)),
			rssPeakMaxMb: Math.max(...good.map((run) => run.rssPeakMb)),
			heapPeakMb: median(good.map((run) => run.heapPeakMb)),
			requests: median(good.map((run) => run.server.requests - run.server.tokenRequests)),
			tokenRequests: list.map((run) => run.server.tokenRequests),
			connections: median(good.map((run) => run.server.connections)),
			openConnectionsPeak: median(good.map((run) => run.server.openConnectionsPeak ?? NaN)),
			peakInFlight: median(good.map((run) => run.server.peakInFlight)),
			meanInFlight: median(good.map((run) => run.server.meanInFlight)),
			batch: name === 'http' && scenario.perItem ? batch : undefined,
		};
	});
	const ours = summaries.find((s) => s.client === 'ours');
	const http = summaries.find((s) => s.client === 'http');
	const raw = summaries.find((s) => s.client === 'raw');
	const ratio = (a?: ClientSummary, b?: ClientSummary) =>
		a && b && a.ok && b.ok
			? Math.round((a.wallMs.median / b.wallMs.median) * 100) / 100
			: undefined;
	return {
		id: scenario.id,
		title: scenario.title,
		latencyMs: scenario.latencyMs,
		size: scenario.size,
		note: scenario.note,
		clients: summaries,
		ratios: { oursVsHttp: ratio(ours, http), oursVsRaw: ratio(ours, raw) },
		calibration: calibration.length ? calibration : undefined,
	};
}

// ------------------------------------------------------------------ report

async function main() {
	mkdirSync(RESULTS, { recursive: true });
	if (CLIENTS.includes('http') && !existsSync(HTTP_NODE_FILE)) {
		console.error(
			`n8n-nodes-base is not installed in .n8n-local: run "node scripts/n8n-local.mjs install" first (or pass --clients ours,raw).`,
		);
		process.exit(2);
	}
	const started = new Date();
	const hosts = new Map<number, HostedSandbox>();
	const host = async (latency: number) => {
		if (!hosts.has(latency)) hosts.set(latency, await hostSandbox(tls, latency));
		return hosts.get(latency)!;
	};
	const results: ScenarioResult[] = [];
	try {
		for (const scenario of scenarios()) {
			try {
				results.push(await runScenario(scenario, await host(scenario.latencyMs)));
			} catch (error) {
				process.stdout.write(`  ! ${scenario.id} could not run: ${(error as Error).message}\n`);
			}
		}
	} finally {
		for (const h of hosts.values()) await h.sandbox.close();
	}
	const machine = {
		cpus: os.cpus().length,
		cpuModel: os.cpus()[0]?.model ?? 'unknown',
		memoryGb: Math.round(os.totalmem() / 1024 ** 3),
		node: process.version,
		platform: `${os.platform()} ${os.release()}`,
		loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
	};
	const report: BenchReport = {
		date: started.toISOString(),
		durationS: Math.round((Date.now() - started.getTime()) / 1000),
		quick: QUICK,
		runs: RUNS,
		concurrency: CONCURRENCY,
		inputMode: INPUT_MODE,
		latencyMs: LATENCY,
		httpRequestNodeVersion: HTTP_NODE_VERSION,
		machine,
		targets: targetChecks(results),
		results: results.map((r) => ({
			...r,
			clients: r.clients.map((c) => ({
				...c,
				runs: c.runs.map((run) => ({ ...run, sample: undefined })),
			})),
		})),
	};
	const file = path.join(
		RESULTS,
		`bench-${started.toISOString().replace(/[:.]/g, '-')}${QUICK ? '-quick' : ''}.json`,
	);
	writeFileSync(file, JSON.stringify(report, null, 2));
	writeFileSync(path.join(RESULTS, 'latest.json'), JSON.stringify(report, null, 2));
	const md = renderMarkdown(report);
	writeFileSync(path.join(RESULTS, 'latest.md'), `${md}\n`);
	console.log(
		`\n${md}\n\nWrote ${path.relative(ROOT, file)} (and bench-results/latest.{json,md}).`,
	);
	const failed = results.some((r) => r.clients.some((c) => !c.ok)) || results.length === 0;
	process.exit(failed && (SMOKE || flag('strict')) ? 1 : 0);
}

void main();
