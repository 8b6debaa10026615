/** Summaries, the result table and the target checks of a bench run (also: tsx bench/report.ts <file.json>). */
import type { ClientName, RunResult, ServerStats } from './types';

export interface Measured extends RunResult {
	server: ServerStats;
}

export interface ClientSummary {
	client: ClientName;
	runs: Measured[];
	ok: boolean;
	errors: string[];
	wallMs: { median: number; min: number; max: number };
	cpuUsPerItem: number;
	wallUsPerItem: number;
	/** Median over runs. */
	rssPeakMb: number;
	/** Largest over runs (the figure the target is judged on). */
	rssPeakMaxMb?: number;
	heapPeakMb: number;
	requests: number;
	tokenRequests: number[];
	connections: number;
	openConnectionsPeak?: number;
	peakInFlight: number;
	meanInFlight: number;
	batch?: { batchSize: number; batchInterval: number };
}

export interface ScenarioResult {
	id: string;
	title: string;
	latencyMs: number;
	size: number;
	note?: string;
	clients: ClientSummary[];
	ratios: { oursVsHttp?: number; oursVsRaw?: number };
	calibration?: Array<{
		batchSize: number;
		batchInterval: number;
		wallMs: number;
		meanInFlight: number;
		peakInFlight: number;
	}>;
}

export const median = (values: number[]) => {
	const sorted = [...values].filter(Number.isFinite).sort((a, b) => a - b);
	if (!sorted.length) return NaN;
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

export const LABEL: Record<ClientName, string> = {
	ours: 'this package',
	http: 'HTTP Request',
	raw: 'raw undici',
	'ours-ka': 'diag: ours + keep-alive n8n HTTP',
};
export const fmt = (n: number, digits = 0) =>
	Number.isFinite(n)
		? n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits })
		: '—';

const rssMax = (c: ClientSummary) =>
	c.rssPeakMaxMb ?? Math.max(...c.runs.filter((run) => run.ok).map((run) => run.rssPeakMb));

export function table(results: ScenarioResult[]): string {
	const lines = [
		'| Scenario | Client | Wall median (min–max) | ours ÷ this | CPU µs/item | Peak RSS growth, max (heap) | Requests | Tokens/run | New TLS conns (open at once) | Server in-flight peak (avg) |',
		'|---|---|---|---|---|---|---|---|---|---|',
	];
	for (const result of results) {
		const ours = result.clients.find((c) => c.client === 'ours');
		for (const c of result.clients) {
			const wall = c.ok
				? `${fmt(c.wallMs.median)} ms (${fmt(c.wallMs.min)}–${fmt(c.wallMs.max)})`
				: `FAILED: ${c.errors.join('; ').slice(0, 120)}`;
			const ratio =
				c.client === 'ours' || !ours?.ok || !c.ok
					? ''
					: `${fmt(ours.wallMs.median / c.wallMs.median, 2)}×`;
			const tokens = [...new Set(c.tokenRequests)].join('/');
			const label =
				c.client === 'http' && c.batch
					? `${LABEL[c.client]} (batch ${c.batch.batchSize}/${c.batch.batchInterval} ms)`
					: LABEL[c.client];
			lines.push(
				`| ${c === result.clients[0] ? result.title : ''} | ${label} | ${wall} | ${ratio} | ${fmt(c.cpuUsPerItem)} | ${fmt(rssMax(c), 1)} MB (${fmt(c.heapPeakMb, 1)}) | ${fmt(c.requests)} | ${tokens} | ${fmt(c.connections)}${c.openConnectionsPeak === undefined ? '' : ` (${fmt(c.openConnectionsPeak)})`} | ${fmt(c.peakInFlight)} (${fmt(c.meanInFlight, 1)}) |`,
			);
		}
	}
	return lines.join('\n');
}

export function scalingSummary(results: ScenarioResult[]): string {
	const scaling = results.filter((r) => r.id.startsWith('scaling-'));
	if (scaling.length < 2) return '';
	const lines = ['', 'Scaling (0 ms latency, get by id), wall µs per item — flat means linear:'];
	const clients = [...new Set(scaling.flatMap((r) => r.clients.map((c) => c.client)))];
	for (const client of clients) {
		const cells = scaling.map((r) => {
			const c = r.clients.find((x) => x.client === client);
			return `${r.size.toLocaleString('en')}: ${c?.ok ? fmt(c.wallUsPerItem) : '—'}`;
		});
		lines.push(`  ${LABEL[client].padEnd(13)} ${cells.join('  ')}`);
	}
	return lines.join('\n');
}

export interface TargetCheck {
	target: string;
	figure: string;
	met: boolean;
}

/** ours ÷ other for the runs of the same round (runs alternate, so both saw the same machine load). */
function pairedRatios(
	ours: ClientSummary,
	other: ClientSummary,
	value: (run: Measured) => number,
): number[] {
	return ours.runs.flatMap((run, index) => {
		const peer = other.runs[index];
		return run.ok && peer?.ok ? [value(run) / value(peer)] : [];
	});
}

const spread = (ratios: number[]) =>
	ratios.length
		? `median ${fmt(median(ratios), 2)}×, ${fmt(Math.min(...ratios), 2)}–${fmt(Math.max(...ratios), 2)}×`
		: '—';

export function targetChecks(results: ScenarioResult[]): TargetCheck[] {
	const get = (id: string) => results.find((r) => r.id === id);
	const client = (r: ScenarioResult | undefined, name: ClientName) =>
		r?.clients.find((c) => c.client === name && c.ok);
	const checks: TargetCheck[] = [];
	const list = get('list-orders');
	const oursList = client(list, 'ours');
	const httpList = client(list, 'http');
	if (oursList && httpList) {
		const speedup = httpList.wallMs.median / oursList.wallMs.median;
		checks.push({
			target: 'Return All ≥ 3× faster than HTTP Request pagination',
			figure: `${fmt(speedup, 2)}× faster (${fmt(oursList.wallMs.median)} vs ${fmt(httpList.wallMs.median)} ms)`,
			met: speedup >= 3,
		});
	}
	if (oursList) {
		checks.push({
			target: `Return All peak RSS growth < 150 MB (${fmt(list!.size)} orders)`,
			figure: `${fmt(rssMax(oursList), 1)} MB (largest of ${oursList.runs.length} runs)`,
			met: rssMax(oursList) < 150,
		});
	}
	const ops = get('list-operations');
	const oursOps = client(ops, 'ours');
	const httpOps = client(ops, 'http');
	if (oursOps && httpOps) {
		const speedup = httpOps.wallMs.median / oursOps.wallMs.median;
		checks.push({
			target: 'Partner Return All ≥ 3× faster than HTTP Request pagination',
			figure: `${fmt(speedup, 2)}× faster (${fmt(oursOps.wallMs.median)} vs ${fmt(httpOps.wallMs.median)} ms)`,
			met: speedup >= 3,
		});
	}
	for (const id of ['create-orders', 'get-orders', 'create-customers']) {
		const r = get(id);
		const ours = client(r, 'ours');
		const http = client(r, 'http');
		if (ours && http) {
			const ratio = ours.wallMs.median / http.wallMs.median;
			const walls = pairedRatios(ours, http, (run) => run.wallMs);
			const cpus = pairedRatios(ours, http, (run) => run.cpuUs);
			checks.push({
				target: `${r!.title}: no slower than HTTP Request`,
				figure: `ours/HTTP ${fmt(ratio, 2)}× (run by run: ${spread(walls)})`,
				met: ratio <= 1.0,
			});
			checks.push({
				target: `${r!.title}: CPU per item ≤ HTTP Request`,
				figure: `${fmt(ours.cpuUsPerItem)} vs ${fmt(http.cpuUsPerItem)} µs/item (ours/HTTP run by run: ${spread(cpus)})`,
				met: ours.cpuUsPerItem <= http.cpuUsPerItem,
			});
		}
	}
	const overhead = get('overhead');
	const oursOverhead = client(overhead, 'ours');
	const httpOverhead = client(overhead, 'http');
	if (oursOverhead && httpOverhead) {
		checks.push({
			target: 'Node overhead per item ≤ HTTP Request node (CPU, 0 ms latency)',
			figure: `${fmt(oursOverhead.cpuUsPerItem)} vs ${fmt(httpOverhead.cpuUsPerItem)} µs/item`,
			met: oursOverhead.cpuUsPerItem <= httpOverhead.cpuUsPerItem,
		});
	}
	for (const r of results.filter((x) => x.latencyMs > 0)) {
		const ours = client(r, 'ours');
		const raw = client(r, 'raw');
		if (ours && raw) {
			const ratio = ours.wallMs.median / raw.wallMs.median;
			checks.push({
				target: `${r.title}: within 1.5× of raw keep-alive`,
				figure: `ours/raw ${fmt(ratio, 2)}×`,
				met: ratio <= 1.5,
			});
		}
	}
	for (const r of results.filter((x) => x.latencyMs > 0)) {
		const diag = client(r, 'ours-ka');
		const raw = client(r, 'raw');
		if (diag && raw) {
			const ratio = diag.wallMs.median / raw.wallMs.median;
			checks.push({
				target: `(diagnostic, not a target) ${r.title}: ours with a keep-alive n8n HTTP layer vs raw`,
				figure: `${fmt(ratio, 2)}×`,
				met: ratio <= 1.5,
			});
		}
	}
	const scaling = results
		.filter((r) => r.id.startsWith('scaling-'))
		.sort((a, b) => a.size - b.size);
	if (scaling.length >= 2) {
		const ours = scaling.map((r) => client(r, 'ours'));
		const wall = ours.map((c) => c?.wallUsPerItem ?? NaN);
		const cpu = ours.map((c) => c?.cpuUsPerItem ?? NaN);
		const growth = wall[wall.length - 1] / wall[wall.length - 2];
		checks.push({
			target: 'Wall time linear in items (µs/item at the largest size ≤ 1.5× the previous size’s)',
			figure: `wall ${scaling.map((r, i) => `${fmt(r.size)}: ${fmt(wall[i])}`).join(', ')} µs/item; CPU ${scaling.map((r, i) => `${fmt(r.size)}: ${fmt(cpu[i])}`).join(', ')} µs/item`,
			met: Number.isFinite(growth) && growth <= 1.5,
		});
	}
	return checks;
}

export interface BenchReport {
	date: string;
	durationS: number;
	quick: boolean;
	runs: number;
	concurrency: number;
	/** Our node's Input Mode on the create scenarios (absent in older reports: manual). */
	inputMode?: 'manual' | 'auto';
	latencyMs: number;
	httpRequestNodeVersion: number;
	machine: {
		cpus: number;
		cpuModel: string;
		memoryGb: number;
		node: string;
		platform: string;
		loadAverage: number[];
	};
	targets?: TargetCheck[];
	results: ScenarioResult[];
}

export function renderMarkdown(report: BenchReport): string {
	const { machine } = report;
	return [
		`Bench ${report.date.slice(0, 16).replace('T', ' ')} UTC — ${machine.cpus}× ${machine.cpuModel}, ${machine.memoryGb} GB, Node ${machine.node}, concurrency ${report.concurrency}${report.inputMode === 'auto' ? ', our creates in Map Input Fields Automatically' : ''}, latency ${report.latencyMs} ms, ${report.runs} runs${report.quick ? ' (quick)' : ''}, load average at the end ${machine.loadAverage.join(' ')}, ${Math.round(report.durationS / 60)} min`,
		'',
		table(report.results),
		scalingSummary(report.results),
		'',
		'Targets (issues 8 and 16):',
		...targetChecks(report.results).map(
			(check) => `- ${check.met ? 'met' : '**missed**'}: ${check.target} — ${check.figure}`,
		),
	].join('\n');
}
