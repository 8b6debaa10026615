/** The embedded sandbox over HTTPS, hosted in the bench's parent process, with per-run server-side counts. */
import https from 'node:https';
import type { TLSSocket } from 'node:tls';

import { startSandbox, type RunningSandbox } from '../../sandbox';
import type { BenchTls } from './tls';
import type { SandboxInfo, ServerStats } from './types';

export interface HostedSandbox {
	sandbox: RunningSandbox;
	info: SandboxInfo;
	latencyMs: number;
	/** Zeroes the request log and the counters; call right before a run. */
	mark(): void;
	/** Server-side counts since the last mark(). */
	stats(): ServerStats;
}

export async function hostSandbox(
	tls: BenchTls,
	latencyMs: number,
	seed = 7,
): Promise<HostedSandbox> {
	// Capture the https.Server the sandbox creates so that TLS handshakes (new connections) can be counted.
	const original = https.createServer;
	let server: https.Server | undefined;
	(https as { createServer: unknown }).createServer = (
		...args: Parameters<typeof https.createServer>
	) => {
		server = original(...args);
		return server;
	};
	let sandbox: RunningSandbox;
	try {
		sandbox = await startSandbox({
			port: 0,
			latencyMs,
			tls: { key: tls.key, cert: tls.cert },
			seed,
			quiet: true,
		});
	} finally {
		(https as { createServer: unknown }).createServer = original;
	}
	if (!sandbox.baseUrl.startsWith('https://'))
		throw new Error('The sandbox did not start with TLS');
	let connections = 0;
	let open = 0;
	let openPeak = 0;
	server?.on('secureConnection', (socket: TLSSocket) => {
		connections++;
		open++;
		if (open > openPeak) openPeak = open;
		socket.once('close', () => open--);
	});
	let tokens0 = 0;
	let connections0 = 0;
	const info: SandboxInfo = {
		tokenUrl: sandbox.tokenUrl,
		kapitaleBaseUrl: sandbox.kapitaleBaseUrl,
		partnerBaseUrl: sandbox.partnerBaseUrl,
		credentials: { ...sandbox.credentials },
	};
	return {
		sandbox,
		info,
		latencyMs,
		mark() {
			sandbox.clearLog();
			tokens0 = sandbox.counts().tokensIssued;
			connections0 = connections;
			openPeak = open;
		},
		stats(): ServerStats {
			const log = sandbox.requestLog();
			const byPath: Record<string, number> = {};
			let non2xx = 0;
			let tokenRequests = 0;
			const events: Array<[number, number]> = [];
			for (const entry of log) {
				const key = `${entry.method} ${entry.path.replace(/\/[0-9a-f-]{36}$/i, '/:id')}`;
				byPath[key] = (byPath[key] ?? 0) + 1;
				if (entry.status < 200 || entry.status >= 300) non2xx++;
				if (entry.service === 'token') tokenRequests++;
				events.push([entry.startedAt, 1], [entry.finishedAt || entry.startedAt, -1]);
			}
			events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
			let inFlight = 0;
			let peak = 0;
			let area = 0;
			let last = events[0]?.[0] ?? 0;
			for (const [time, delta] of events) {
				area += inFlight * (time - last);
				last = time;
				inFlight += delta;
				if (inFlight > peak) peak = inFlight;
			}
			const span = events.length ? events[events.length - 1][0] - events[0][0] : 0;
			return {
				requests: log.length,
				tokenRequests: Math.max(tokenRequests, sandbox.counts().tokensIssued - tokens0),
				non2xx,
				byPath,
				connections: connections - connections0,
				openConnectionsPeak: openPeak,
				peakInFlight: peak,
				meanInFlight: span > 0 ? Math.round((area / span) * 100) / 100 : 0,
			};
		},
	};
}
