#!/usr/bin/env node
// CPU per item by phase, from the per-run profiles of `npm run bench -- --profile-runs`
// (bench-results/profiles/runs/<kind>-<client>-*.cpuprofile, measured runs only):
//   node bench/tools/profile-phases.mjs --items 300 bench-results/profiles/runs/getOrders-ours-*.cpuprofile
// Each sample goes to the first phase (in this order) that matches a frame of its stack, so a
// parameter read inside our validation counts as a parameter read. --top N lists the N functions
// with the most self time.
import fs from 'node:fs';

const ours = (f) => /\/(nodes|credentials)\//.test(f.url) && !/node_modules/.test(f.url);
const named =
	(...names) =>
	(f) =>
		names.includes(f.functionName);
const PHASES = [
	['profiler', (f) => /node:inspector/.test(f.url)],
	['garbage collector', (f, leaf) => leaf && f.functionName === '(garbage collector)'],
	['idle / program', (f, leaf) => leaf && /^\((idle|program)\)$/.test(f.functionName)],
	[
		'parameter reads + expressions',
		(f) =>
			/^_?getNodeParameters?$/.test(f.functionName) ||
			/validate-value-against-schema|workflow-data-proxy|expression(-evaluator|-sandboxing)?\.js|tmpl|riot/.test(
				f.url,
			),
	],
	[
		'credential lookup + preAuthentication',
		named(
			'getCredentials',
			'getDecrypted',
			'preAuthentication',
			'runPreAuthentication',
			'_getCredentials',
		),
	],
	['credential authenticate', (f) => f.functionName === 'authenticate'],
	[
		'agent + TCP/TLS connect (new per request)',
		(f) =>
			(/node:_tls_wrap|node:tls|node:net|_tls_common|secure-context|node:_http_agent/.test(f.url) &&
				!/onStreamRead|ondata|Readable|write/.test(f.functionName)) ||
			/buildNodeAgents|createSecureContext|createConnection/.test(f.functionName),
	],
	[
		'axios + n8n outbound HTTP (request-helper-functions)',
		(f) =>
			/axios|follow-redirects|backend-network|request-helper-functions|legacy-request/.test(f.url),
	],
	[
		'HTTP parse / sockets / streams',
		(f) => /node:_http_|node:internal\/(stream|streams|http)|node:stream|node:zlib/.test(f.url),
	],
	[
		'ours: validation / prepare',
		(f) => ours(f) && (f.functionName === 'prepare' || /validation|brazil|input/.test(f.url)),
	],
	[
		'ours: transport + retry',
		(f) => ours(f) && /shared\/(transport|retry|errors|endpoints)/.test(f.url),
	],
	['ours: router + output', (f) => ours(f) && /shared\/(router|concurrency)/.test(f.url)],
	['ours: other', ours],
	['HTTP Request node (n8n-nodes-base)', (f) => /n8n-nodes-base/.test(f.url)],
	['n8n-core engine (WorkflowExecute, contexts)', (f) => /n8n-core/.test(f.url)],
	['n8n-workflow other', (f) => /n8n-workflow/.test(f.url)],
	['bench harness', (f) => /\/(bench|test\/harness)\//.test(f.url)],
];

const argv = process.argv.slice(2);
const take = (name) => {
	const i = argv.indexOf(`--${name}`);
	if (i < 0) return undefined;
	const [value] = argv.splice(i, 2).slice(1);
	return value;
};
const items = Number(take('items') ?? 1);
const top = Number(take('top') ?? 0);

const totals = new Map();
const self = new Map();
let all = 0;
let profiles = 0;
for (const file of argv) {
	const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
	profiles++;
	const byId = new Map(profile.nodes.map((node) => [node.id, node]));
	const parent = new Map();
	for (const node of profile.nodes)
		for (const child of node.children ?? []) parent.set(child, node.id);
	const phaseOf = new Map();
	const phase = (id) => {
		if (phaseOf.has(id)) return phaseOf.get(id);
		const frames = [];
		for (let cur = id; cur !== undefined; cur = parent.get(cur))
			frames.push(byId.get(cur).callFrame);
		let found = 'other (node internals, microtasks)';
		for (const [name, test] of PHASES) {
			if (frames.some((f, i) => test(f, i === 0))) {
				found = name;
				break;
			}
		}
		phaseOf.set(id, found);
		return found;
	};
	profile.samples.forEach((id, index) => {
		const dt = profile.timeDeltas[index] ?? 0;
		const name = phase(id);
		if (name === 'idle / program' || name === 'profiler') return;
		all += dt;
		totals.set(name, (totals.get(name) ?? 0) + dt);
		const f = byId.get(id).callFrame;
		const key = `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(nodes|credentials|bench|test)\//, '$1/')}:${f.lineNumber + 1}`;
		self.set(key, (self.get(key) ?? 0) + dt);
	});
}
const per = (us) => (us / profiles / items).toFixed(0).padStart(6);
console.log(`${profiles} profile(s), ${items} items each: busy CPU ${per(all)} µs/item`);
for (const [name, t] of [...totals].sort((a, b) => b[1] - a[1])) {
	console.log(`  ${per(t)} µs/item  ${((100 * t) / all).toFixed(1).padStart(5)}%  ${name}`);
}
if (top > 0) {
	console.log(`top ${top} self time:`);
	for (const [key, t] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top))
		console.log(`  ${per(t)} µs/item  ${key}`);
}
