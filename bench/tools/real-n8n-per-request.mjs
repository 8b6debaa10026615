#!/usr/bin/env node
// Per-request cost of this package inside a real n8n 2.41.1 (`n8n execute`), where the CLI's own
// CredentialsHelper runs (database read + decryption per credential lookup), unlike the bench
// harness. A Code node emits N rows, Kapitale Company › Get by CNPJ sends one request per row;
// the figure is the node's own execution time from the run data (no CLI start-up in it).
//   N8N_LOCAL_DIR=/work/main/.n8n-local node bench/tools/real-n8n-per-request.mjs [--items 1500] [--runs 2] [--patch file] [--http]
// With --patch, runs alternate between the tree as it is and the tree with the patch applied
// (git apply / git apply -R, rebuilt each time), to measure a proposal; --http adds the same
// look-ups through n8n's HTTP Request node with the same credential.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import {
	freePort,
	LOCAL_DIR,
	n8nCli,
	parseCliJson,
	PROJECT_DIR,
	stopAll,
} from '../../scripts/n8n-local.mjs';
import {
	buildPackage,
	SANDBOX_CREDENTIAL,
	importFixtures,
	say,
	startSandboxProcess,
} from '../../scripts/stack.mjs';

const argv = process.argv.slice(2);
const option = (name, fallback) => {
	const index = argv.indexOf(`--${name}`);
	return index >= 0 ? argv[index + 1] : fallback;
};
const ITEMS = Number(option('items', 1500));
const RUNS = Number(option('runs', 2));
const PATCH = option('patch');
const WORKFLOW_ID = 'benchPerRequest01';
const HTTP_WORKFLOW_ID = 'benchPerRequest02';
const WITH_HTTP = argv.includes('--http');

const workflow = {
	id: WORKFLOW_ID,
	name: 'bench: one Company look-up per row',
	active: false,
	settings: { executionOrder: 'v1' },
	connections: {
		Start: { main: [[{ node: 'Rows', type: 'main', index: 0 }]] },
		Rows: { main: [[{ node: 'Look up', type: 'main', index: 0 }]] },
	},
	nodes: [
		{
			id: 'a0000000-0000-4000-8000-000000000001',
			name: 'Start',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		{
			id: 'a0000000-0000-4000-8000-000000000002',
			name: 'Rows',
			type: 'n8n-nodes-base.code',
			typeVersion: 2,
			position: [200, 0],
			parameters: {
				jsCode: `return Array.from({ length: ${ITEMS} }, (_, row) => ({ json: { row, cnpj: '11.222.333/0001-81' } }));`,
			},
		},
		{
			id: 'a0000000-0000-4000-8000-000000000003',
			name: 'Look up',
			type: 'n8n-nodes-kapitale.kapitaleCompany',
			typeVersion: 1,
			position: [400, 0],
			parameters: {
				resource: 'company',
				operation: 'getByCnpj',
				cnpj: '={{ $json.cnpj }}',
				ifNotFound: 'emptyItem',
				options: {},
			},
			credentials: { kapitaleApi: { ...SANDBOX_CREDENTIAL } },
		},
	],
};

/** The same look-ups through n8n's HTTP Request node (v4.2 options, batches of 10 without pause). */
const httpWorkflow = (kapitaleBaseUrl) => ({
	...workflow,
	id: HTTP_WORKFLOW_ID,
	name: 'bench: one HTTP Request per row',
	nodes: [
		...workflow.nodes.slice(0, 2),
		{
			id: 'a0000000-0000-4000-8000-000000000004',
			name: 'Look up',
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: 4.2,
			position: [400, 0],
			parameters: {
				url: `=${kapitaleBaseUrl}/company/cnpj/{{ $json.cnpj.replace(/\\D/g, '') }}`,
				authentication: 'predefinedCredentialType',
				nodeCredentialType: 'kapitaleApi',
				options: { batching: { batch: { batchSize: 10, batchInterval: 0 } } },
			},
			credentials: { kapitaleApi: { ...SANDBOX_CREDENTIAL } },
		},
	],
});

mkdirSync(LOCAL_DIR, { recursive: true });
const userFolder = mkdtempSync(path.join(LOCAL_DIR, 'bench-'));
const cliOptions = { userFolder, customExtensions: null, communityPackage: true };
const git = (...args) => execFileSync('git', args, { cwd: PROJECT_DIR, stdio: 'pipe' });
let sandbox;
let patched = false;
const results = { base: [], patched: [], http: [] };
try {
	buildPackage();
	sandbox = await startSandboxProcess({ port: await freePort() });
	await importFixtures({ sandbox, userFolder, cliOptions });
	const file = path.join(userFolder, 'bench-workflow.json');
	writeFileSync(file, JSON.stringify(workflow));
	await n8nCli(['import:workflow', `--input=${file}`], cliOptions);
	if (WITH_HTTP) {
		writeFileSync(file, JSON.stringify(httpWorkflow(sandbox.kapitaleBaseUrl)));
		await n8nCli(['import:workflow', `--input=${file}`], cliOptions);
	}
	const variants = [...(PATCH ? ['base', 'patched'] : ['base']), ...(WITH_HTTP ? ['http'] : [])];
	for (let run = 0; run < RUNS; run++) {
		for (const variant of run % 2 ? [...variants].reverse() : variants) {
			if (variant !== 'http' && (variant === 'patched') !== patched) {
				git('apply', ...(patched ? ['-R'] : []), PATCH);
				patched = !patched;
				buildPackage();
			}
			const { stdout } = await n8nCli(
				['execute', `--id=${variant === 'http' ? HTTP_WORKFLOW_ID : WORKFLOW_ID}`, '--rawOutput'],
				cliOptions,
			);
			const task = parseCliJson(stdout).data.resultData.runData['Look up'][0];
			const items = task.data.main[0].length;
			if (items !== ITEMS) throw new Error(`expected ${ITEMS} items, got ${items}`);
			results[variant].push(task.executionTime);
			say(
				`${variant}: ${ITEMS} requests in ${task.executionTime} ms (${Math.round((task.executionTime * 1000) / ITEMS)} µs per request)`,
			);
		}
	}
} finally {
	if (patched) {
		git('apply', '-R', PATCH);
		buildPackage();
	}
	await sandbox?.stop();
	await stopAll();
	rmSync(userFolder, { recursive: true, force: true });
}
for (const [variant, times] of Object.entries(results)) {
	if (times.length)
		say(
			`${variant}: ${times.map((ms) => `${Math.round((ms * 1000) / ITEMS)}`).join(', ')} µs per request (node execution time)`,
		);
}
