// The pieces of the local stack shared by `npm start` and the e2e stage: the built package, the
// embedded sandbox as a child process, the sandbox credentials and the example workflows imported
// into n8n, and the sandbox's webhook subscription to the example trigger.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { n8nCli, PROJECT_DIR, rest } from './n8n-local.mjs';

export const EXAMPLES_DIR = path.join(PROJECT_DIR, 'examples');
export const WEBHOOK_TOKEN = 'sandbox-webhook-token';
export const WEBHOOK_PATH = 'kapitale-orders';

/** Fixed workflow ids, so a second import updates instead of duplicating. */
export const EXAMPLE_IDS = {
	'kapitale-orders-from-sheet.json': 'kptOrdersFromRow',
	'kapitale-order-approved-webhook.json': 'kptOrderApproved',
	'partner-customer-operation.json': 'kptPartnerFlow01',
};

/** The one sandbox credential: both APIs' parts, so it serves every node it is picked for. */
export const SANDBOX_CREDENTIAL = Object.freeze({
	id: 'kapitale-sandbox',
	name: 'Kapitale Sandbox',
});

/**
 * Before issue 22 there were two credentials, one per API; `oauth` and `bearer` are kept as
 * aliases of the one credential for scripts written against them.
 */
export const CREDENTIAL_IDS = Object.freeze({
	sandbox: SANDBOX_CREDENTIAL.id,
	oauth: SANDBOX_CREDENTIAL.id,
	bearer: SANDBOX_CREDENTIAL.id,
});

const BIN = path.join(PROJECT_DIR, 'node_modules', '.bin');

export function say(line) {
	process.stderr.write(`▸ ${line}\n`);
}

export function buildPackage() {
	const result = spawnSync('npm', ['run', '--silent', 'build'], {
		cwd: PROJECT_DIR,
		encoding: 'utf8',
	});
	if (result.status !== 0) throw new Error(`build failed:\n${result.stdout}\n${result.stderr}`);
}

/** Starts `sandbox/cli.ts` and resolves with its URLs and credentials once it listens. */
export async function startSandboxProcess({ port = 4010, dataFile, extraArgs = [] } = {}) {
	const args = ['sandbox/cli.ts', '--port', String(port), '--json', ...extraArgs];
	if (dataFile) args.push('--data', dataFile);
	const child = spawn(path.join(BIN, 'tsx'), args, {
		cwd: PROJECT_DIR,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let output = '';
	let errors = '';
	child.stderr.on('data', (chunk) => (errors += chunk));
	const info = await new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`sandbox did not start:\n${errors}`)), 30_000);
		child.stdout.on('data', (chunk) => {
			output += chunk;
			const line = output.split('\n').find((candidate) => candidate.startsWith('{'));
			if (!line) return;
			clearTimeout(timer);
			try {
				resolve(JSON.parse(line));
			} catch (error) {
				reject(error);
			}
		});
		child.on('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`sandbox exited with ${code}:\n${errors}`));
		});
	});
	return {
		...info,
		child,
		stop: () =>
			new Promise((resolve) => {
				if (child.exitCode !== null) return resolve();
				child.once('exit', () => resolve());
				child.kill('SIGINT');
				setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
			}),
	};
}

export async function control(sandbox, method, urlPath, body) {
	const response = await fetch(`${sandbox.controlUrl}${urlPath}`, {
		method,
		headers: body === undefined ? {} : { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	if (!response.ok)
		throw new Error(`sandbox ${method} ${urlPath}: HTTP ${response.status} ${text}`);
	return text ? JSON.parse(text) : undefined;
}

/** The sandbox credential (both parts, Custom environment), plain: n8n encrypts it on import. */
export function sandboxCredentials(sandbox) {
	return [
		{
			...SANDBOX_CREDENTIAL,
			type: 'kapitaleApi',
			data: {
				environment: 'custom',
				// Kapitale part
				clientId: sandbox.credentials.clientId,
				clientSecret: sandbox.credentials.clientSecret,
				scopes:
					'partner-can/cnpj.read partner-can/orders.create partner-can/orders.read partner-can/orders.sentnf',
				tokenUrl: sandbox.tokenUrl,
				kapitaleBaseUrl: sandbox.kapitaleBaseUrl,
				// What the webhook example's Kapitale Trigger checks (the sandbox sends it as a Bearer token).
				webhookAuthentication: 'bearer',
				webhookToken: WEBHOOK_TOKEN,
				// Partner part
				bearerToken: sandbox.credentials.bearerToken,
				partnerHashId: sandbox.credentials.partnerHashId,
				userHashId: sandbox.credentials.userHashId,
				partnerBaseUrl: sandbox.partnerBaseUrl,
				accessToken: '',
			},
		},
	];
}

/** Imports the credentials and every example workflow (fixed ids), then publishes the webhook example. */
export async function importFixtures({ sandbox, userFolder, cliOptions = {} }) {
	const work = mkdtempSync(path.join(tmpdir(), 'kapitale-import-'));
	try {
		const credentialsFile = path.join(work, 'credentials.json');
		writeFileSync(credentialsFile, JSON.stringify(sandboxCredentials(sandbox)));
		await n8nCli(['import:credentials', `--input=${credentialsFile}`], {
			userFolder,
			...cliOptions,
		});

		const workflowsDir = path.join(work, 'workflows');
		mkdirSync(workflowsDir, { recursive: true });
		for (const file of readdirSync(EXAMPLES_DIR).filter((name) => name.endsWith('.json'))) {
			const workflow = JSON.parse(readFileSync(path.join(EXAMPLES_DIR, file), 'utf8'));
			workflow.id = EXAMPLE_IDS[file] ?? workflow.id;
			workflow.active = false;
			writeFileSync(path.join(workflowsDir, file), JSON.stringify(workflow));
		}
		await n8nCli(['import:workflow', '--separate', `--input=${workflowsDir}`], {
			userFolder,
			...cliOptions,
		});
		await n8nCli(
			['publish:workflow', `--id=${EXAMPLE_IDS['kapitale-order-approved-webhook.json']}`],
			{ userFolder, ...cliOptions },
		);
	} finally {
		rmSync(work, { recursive: true, force: true });
	}
	return { workflowIds: EXAMPLE_IDS, credentialIds: CREDENTIAL_IDS };
}

/** Ids of the two per-API credentials that `npm start` imported before issue 22. */
const LEGACY_CREDENTIAL_IDS = ['kapitale-sandbox-oauth', 'kapitale-sandbox-bearer'];

/**
 * Deletes the per-API sandbox credentials an earlier `npm start` left in the user folder: with
 * them, n8n would keep pre-selecting a credential that lacks the new node's part.
 */
export async function removeLegacyCredentials({ url, cookie }) {
	const removed = [];
	for (const id of LEGACY_CREDENTIAL_IDS) {
		const answer = await rest({ url, cookie, method: 'DELETE', path: `/rest/credentials/${id}` });
		if (answer.status === 200) removed.push(id);
	}
	return removed;
}

/** Imports one workflow object with n8n's CLI (n8n not running), and publishes it when asked. */
export async function importWorkflow(workflow, { cliOptions = {}, publish = false } = {}) {
	const work = mkdtempSync(path.join(tmpdir(), 'kapitale-workflow-'));
	try {
		const file = path.join(work, 'workflow.json');
		writeFileSync(file, JSON.stringify(workflow));
		await n8nCli(['import:workflow', `--input=${file}`], cliOptions);
		if (publish) await n8nCli(['publish:workflow', `--id=${workflow.id}`], cliOptions);
	} finally {
		rmSync(work, { recursive: true, force: true });
	}
}

/** Subscribes the sandbox's order events to the example trigger's production URL (once). */
export async function subscribeWebhook(sandbox, n8nUrl, { token = WEBHOOK_TOKEN } = {}) {
	const url = `${n8nUrl}/webhook/${WEBHOOK_PATH}`;
	const existing = await control(sandbox, 'GET', '/webhooks');
	const list = Array.isArray(existing)
		? existing
		: (existing?.subscriptions ?? existing?.data ?? []);
	const same = list.find((subscription) => subscription.url === url);
	if (same) return same;
	return await control(sandbox, 'POST', '/webhooks', { url, authType: 'bearer', authToken: token });
}
