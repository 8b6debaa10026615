/**
 * Issue 20, peak memory measured, not guessed: each case runs one Kapitale Order operation in a
 * child process (tsx + the test harness, n8n-core's WorkflowExecute) against a misbehaving
 * server in this process, and reads the child's peak RSS (`process.resourceUsage().maxRSS`).
 * The child's heap is limited to 512 MB so that a regression fails fast (the unbounded code died
 * of "heap out of memory" or reached 1.3–5.4 GB RSS) instead of exhausting the machine.
 */
import { spawn } from 'node:child_process';
import type http from 'node:http';
import path from 'node:path';

import {
	gzipBombAnswer,
	sendJson,
	startHostile,
	tokenAnswer,
	type Hostile,
	type Seen,
} from './hostile';

/** Peak RSS allowed to the child: the harness alone measures ~150–250 MB. */
const MAX_RSS_MB = 450;
const MB = 1024 * 1024;

let api: Hostile;
beforeEach(async () => (api = await startHostile()));
afterEach(async () => await api.close());

function answerApi(write: (request: Seen, response: http.ServerResponse) => void) {
	api.handle = (request, response) =>
		request.path === '/oauth2/token' ? tokenAnswer(response, 'tok-m') : write(request, response);
}

interface ChildResult {
	code: number | null;
	signal: string | null;
	result?: { error: string | null; items: number; maxRssMb: number };
	stderr: string;
}

async function runChild(operation: 'get' | 'getAll'): Promise<ChildResult> {
	const root = path.resolve(__dirname, '../..');
	const child = spawn(
		process.execPath,
		[
			'--max-old-space-size=512',
			'--import',
			'tsx',
			path.join(__dirname, 'bounds-child.ts'),
			api.url,
			operation,
		],
		{ cwd: root, env: { ...process.env, N8N_LOG_LEVEL: 'silent' } },
	);
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (chunk) => (stdout += chunk));
	child.stderr.on('data', (chunk) => (stderr += chunk));
	// A regression may hang the child (the unbounded code paged for minutes): never leave it behind.
	const stop = setTimeout(() => child.kill('SIGKILL'), 100_000);
	const [code, signal] = await new Promise<[number | null, string | null]>((resolve) =>
		child.on('close', (c, s) => resolve([c, s])),
	);
	clearTimeout(stop);
	const line = stdout.trim().split('\n').pop();
	let result: ChildResult['result'];
	try {
		result = line ? (JSON.parse(line) as ChildResult['result']) : undefined;
	} catch {
		result = undefined;
	}
	return { code, signal, result, stderr: stderr.slice(-2000) };
}

/** Streams a JSON object whose string field grows to `total` bytes, 64 KB at a time. */
function streamJson(response: http.ServerResponse, total: number) {
	response.writeHead(200, { 'content-type': 'application/json' });
	response.write('{"id":"x","pad":"');
	const chunk = Buffer.alloc(64 * 1024, 0x20);
	let sent = 0;
	const pump = () => {
		while (sent < total) {
			sent += chunk.length;
			if (!response.write(chunk)) return void response.once('drain', pump);
		}
		response.end('"}');
	};
	pump();
}

const cases: Array<[string, 'get' | 'getAll', (r: Seen, s: http.ServerResponse) => void, RegExp]> =
	[
		[
			'Get Many, Return All, totalPages 1,000,000,000 and no data',
			'getAll',
			(_request, response) => sendJson(response, 200, { data: [], totalPages: 1e9 }),
			/announced 1,000,000,000 pages but its first page is empty/,
		],
		[
			'Get, a 250 MB JSON answer',
			'get',
			(_request, response) => streamJson(response, 250 * MB),
			/is larger than 32 MB/,
		],
		['Get, 1 MB of gzip inflating to 1 GiB', 'get', gzipBombAnswer(), /is larger than 32 MB/],
	];

describe('peak memory of one n8n process under a misbehaving API', () => {
	it.each(cases)(
		'%s: a clear error, and the process peaks under 450 MB RSS',
		async (_label, operation, handler, message) => {
			answerApi(handler);
			const child = await runChild(operation);
			if (!child.result)
				throw new Error(
					`child ended with code ${child.code} signal ${child.signal}: ${child.stderr}`,
				);
			console.log(`${_label}: peak RSS ${child.result.maxRssMb} MB`);
			expect(child.code).toBe(0);
			expect(child.result.error).toMatch(message);
			expect(child.result.items).toBe(0);
			expect(child.result.maxRssMb).toBeLessThan(MAX_RSS_MB);
		},
		120_000,
	);
});
