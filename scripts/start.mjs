// `npm start`: n8n with these nodes, the embedded sandbox, the sandbox credential and every example
// workflow, ready to use. Ctrl-C stops everything it started. A second run reuses the n8n install,
// the user folder and the sandbox state, so it starts in seconds.
import { mkdirSync, watch } from 'node:fs';
import path from 'node:path';

import {
	DEFAULT_USER_FOLDER,
	ensureN8n,
	ensureOwner,
	PROJECT_DIR,
	stagePackage,
	startN8n,
	stopAll,
} from './n8n-local.mjs';
import {
	buildPackage,
	importFixtures,
	removeLegacyCredentials,
	say,
	SANDBOX_CREDENTIAL,
	startSandboxProcess,
	subscribeWebhook,
	WEBHOOK_PATH,
} from './stack.mjs';

const N8N_PORT = Number(process.env.N8N_PORT ?? 5678);
const SANDBOX_PORT = Number(process.env.SANDBOX_PORT ?? 4010);
// The sandbox moves an order, a credit operation and a customer one step every this many seconds,
// so triggers have something to see; 0 turns the automatic lifecycle off (the console switches it).
const LIFECYCLE_SECONDS = Number(process.env.SANDBOX_LIFECYCLE_SECONDS ?? 60);
const dataDir = path.join(PROJECT_DIR, '.sandbox-data');

let sandbox;
let stopping = false;
async function shutdown(code = 0) {
	if (stopping) return;
	stopping = true;
	say('stopping n8n and the sandbox…');
	await Promise.allSettled([stopAll(), sandbox?.stop()]);
	process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

try {
	const started = Date.now();
	say('building the package');
	buildPackage();

	say('checking the local n8n install (first run installs n8n 2.41.1, later runs reuse it)');
	await ensureN8n();

	say(`starting the sandbox on 127.0.0.1:${SANDBOX_PORT} (state in .sandbox-data/)`);
	mkdirSync(dataDir, { recursive: true });
	sandbox = await startSandboxProcess({
		port: SANDBOX_PORT,
		dataFile: path.join(dataDir, 'state.json'),
		extraArgs:
			LIFECYCLE_SECONDS > 0
				? ['--lifecycle', '--lifecycle-interval', String(LIFECYCLE_SECONDS)]
				: [],
	});

	say('importing the sandbox credential and the example workflows');
	await importFixtures({
		sandbox,
		userFolder: DEFAULT_USER_FOLDER,
		cliOptions: { customExtensions: null, communityPackage: true },
	});

	say(`starting n8n on 127.0.0.1:${N8N_PORT}`);
	const n8n = await startN8n({
		port: N8N_PORT,
		customExtensions: null,
		communityPackage: true,
		devReload: true,
	});
	const owner = await ensureOwner({ url: n8n.url });
	const removed = await removeLegacyCredentials({ url: n8n.url, cookie: owner.cookie });
	if (removed.length)
		say(`removed the earlier per-API sandbox credentials (${removed.join(', ')})`);
	await subscribeWebhook(sandbox, n8n.url);

	watchAndRebuild();
	const seconds = ((Date.now() - started) / 1000).toFixed(0);
	process.stdout.write(`
n8n is ready in ${seconds} s: ${n8n.url}
  login     ${owner.email} / ${owner.password}
  console   ${sandbox.baseUrl}/  ← the sandbox's console: orders, loans, webhooks, faults
  sandbox   ${sandbox.baseUrl}  (control API ${sandbox.controlUrl})
  webhook   ${n8n.url}/webhook/${WEBHOOK_PATH} ← the sandbox sends order events here
  logs      ${path.relative(PROJECT_DIR, n8n.logFile)}

The credential "${SANDBOX_CREDENTIAL.name}" (both APIs' parts: it serves every node) and the
example workflows are in n8n. Try: open the console, approve a pending order under Orders, and
watch the webhook workflow run in n8n (Executions).
${
	LIFECYCLE_SECONDS > 0
		? `The sandbox also moves one order, one credit operation and one customer a step every
${LIFECYCLE_SECONDS} s by itself (SANDBOX_LIFECYCLE_SECONDS=0 turns that off).`
		: 'The automatic lifecycle is off (SANDBOX_LIFECYCLE_SECONDS=0).'
}
Guide: docs/sandbox.md

Editing nodes/ or credentials/ rebuilds the package and n8n reloads it. Ctrl-C stops everything.
`);
	await n8n.exited;
	if (!stopping) {
		say(`n8n exited; see ${n8n.logFile}`);
		await shutdown(1);
	}
} catch (error) {
	process.stderr.write(`\nnpm start failed: ${error.message}\n`);
	await shutdown(1);
}

function watchAndRebuild() {
	let timer;
	const rebuild = () => {
		clearTimeout(timer);
		timer = setTimeout(() => {
			try {
				buildPackage();
				stagePackage(DEFAULT_USER_FOLDER);
				say('rebuilt; n8n reloads the nodes');
			} catch (error) {
				say(`rebuild failed: ${error.message.split('\n').slice(0, 8).join('\n')}`);
			}
		}, 500);
	};
	for (const folder of ['nodes', 'credentials', 'icons']) {
		watch(path.join(PROJECT_DIR, folder), { recursive: true }, rebuild);
	}
}
