/**
 * A bench client process (forked by bench/run.ts with --expose-gc): runs one workload per "run"
 * message and reports wall time, this thread's CPU time and the peak RSS growth during the run.
 * The sandbox lives in the parent, so nothing here is the server's cost.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

import type { RunRequest, RunResult } from './lib/types';
import { runWorkload } from './lib/workloads';

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

// BENCH_RUN_PROFILE_DIR: CPU profile of each measured run only (no start-up, no warm-up, no forced GC).
const PROFILE_DIR = process.env.BENCH_RUN_PROFILE_DIR;
let session: Session | undefined;
async function startProfile(request: RunRequest): Promise<boolean> {
	if (!PROFILE_DIR || request.warmup) return false;
	if (!session) {
		session = new Session();
		session.connect();
		await session.post('Profiler.enable');
		await session.post('Profiler.setSamplingInterval', { interval: 200 });
	}
	await session.post('Profiler.start');
	return true;
}
let profileCount = 0;
async function stopProfile(request: RunRequest): Promise<void> {
	const { profile } = await session!.post('Profiler.stop');
	const name = `${request.kind}-${request.client}-${process.pid}-${++profileCount}.cpuprofile`;
	writeFileSync(path.join(PROFILE_DIR!, name), JSON.stringify(profile));
}

async function measure(request: RunRequest): Promise<RunResult> {
	const gc = (globalThis as { gc?: () => void }).gc;
	gc?.();
	gc?.();
	const rssBase = process.memoryUsage.rss();
	const heapBase = process.memoryUsage().heapUsed;
	let rssPeak = rssBase;
	let heapPeak = heapBase;
	const sample = () => {
		const rss = process.memoryUsage.rss();
		if (rss > rssPeak) rssPeak = rss;
		const heap = process.memoryUsage().heapUsed;
		if (heap > heapPeak) heapPeak = heap;
	};
	const profiling = await startProfile(request);
	const timer = setInterval(sample, 10);
	const cpu0 = process.threadCpuUsage();
	const t0 = performance.now();
	let output: unknown[] = [];
	let error: string | undefined;
	try {
		output = await runWorkload(request);
	} catch (caught) {
		error = (caught as Error).message ?? String(caught);
	}
	const wallMs = performance.now() - t0;
	const cpu = process.threadCpuUsage(cpu0);
	sample();
	clearInterval(timer);
	if (profiling) await stopProfile(request);
	const first = output[0] as { json?: unknown } | undefined;
	return {
		type: 'result',
		ok: !error,
		error,
		wallMs,
		cpuUs: cpu.user + cpu.system,
		rssBaseMb: mb(rssBase),
		rssPeakMb: mb(rssPeak - rssBase),
		heapPeakMb: mb(heapPeak - heapBase),
		outputItems: output.length,
		sample: first && typeof first === 'object' && 'json' in first ? first.json : first,
	};
}

process.on('message', (message: RunRequest | { type: 'exit' }) => {
	if (message.type === 'exit') {
		process.exit(0);
	}
	void measure(message).then((result) => process.send?.(result));
});
process.send?.({ type: 'ready' });
