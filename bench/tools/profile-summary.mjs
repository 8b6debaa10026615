#!/usr/bin/env node
// Where the CPU time of a bench client goes: node bench/tools/profile-summary.mjs <file.cpuprofile>
// (profiles come from `npm run bench -- --profile`, in bench-results/profiles/). Each sample is
// charged to the first category (in this order) that matches a frame of its stack.
import fs from 'node:fs';

const CATEGORIES = [
	[
		'module loading (start-up, not per item)',
		(f) =>
			/wrapModuleLoad|compileForInternalLoader/.test(f.functionName) ||
			/modules\/cjs\/loader|tsx\/dist|esbuild/.test(f.url),
	],
	[
		'TLS handshake + new connection (n8n: new agent per request)',
		(f) =>
			/node:internal\/tls|node:https|node:net|_http_agent|tls\/secure-context/.test(f.url) &&
			!/onStreamRead|ondata|write/.test(f.functionName),
	],
	[
		'credential authenticate (expression on $credentials)',
		(f) => /authenticate/.test(f.functionName) && /credentials|authentication\.js/.test(f.url),
	],
	[
		'axios + follow-redirects + n8n outbound HTTP',
		(f) => /axios|follow-redirects|backend-network|legacy-request-adapter/.test(f.url),
	],
	[
		'node parameters / expressions (n8n-workflow)',
		(f) =>
			/workflow-expression|expression\.js|expression-runtime|getNodeParameter/.test(
				f.url + f.functionName,
			),
	],
	[
		'this package (nodes/, credentials/)',
		(f) => /\/(nodes|credentials)\//.test(f.url) && !/node_modules/.test(f.url),
	],
	['HTTP Request node (n8n-nodes-base)', (f) => /n8n-nodes-base/.test(f.url)],
	['n8n-core WorkflowExecute / contexts', (f) => /n8n-core/.test(f.url)],
	['raw undici', (f) => /undici/.test(f.url)],
	[
		'HTTP parsing / sockets',
		(f) => /_http_|node:internal\/stream|node:stream|node:internal\/streams/.test(f.url),
	],
	['garbage collector', (f) => f.functionName === '(garbage collector)'],
	['idle', (f) => f.functionName === '(idle)'],
];

for (const file of process.argv.slice(2)) {
	const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
	const byId = new Map(profile.nodes.map((node) => [node.id, node]));
	const parent = new Map();
	for (const node of profile.nodes)
		for (const child of node.children ?? []) parent.set(child, node.id);
	const totals = new Map();
	let all = 0;
	profile.samples.forEach((id, index) => {
		const dt = profile.timeDeltas[index] ?? 0;
		all += dt;
		const frames = [];
		for (let cur = id; cur !== undefined; cur = parent.get(cur))
			frames.push(byId.get(cur).callFrame);
		let category = 'other';
		for (const [name, test] of CATEGORIES) {
			if (frames.some(test)) {
				category = name;
				break;
			}
		}
		totals.set(category, (totals.get(category) ?? 0) + dt);
	});
	const loading = totals.get(CATEGORIES[0][0]) ?? 0;
	const idle = totals.get('idle') ?? 0;
	const busy = all - loading - idle;
	console.log(
		`${file}: ${(all / 1e3).toFixed(0)} ms sampled, ${(busy / 1e3).toFixed(0)} ms busy after start-up`,
	);
	for (const [name, t] of [...totals].sort((a, b) => b[1] - a[1])) {
		const share =
			name === CATEGORIES[0][0] || name === 'idle'
				? ''
				: `${((100 * t) / busy).toFixed(1)}% of busy`;
		console.log(`  ${(t / 1e3).toFixed(0).padStart(7)} ms  ${share.padEnd(14)} ${name}`);
	}
}
