#!/usr/bin/env node
// Dev driver for the browser checks: a throwaway stack (sandbox + n8n with this package, in a temp
// user folder, on free ports), then scripts/e2e-browser.mjs against it, then everything stopped.
//
//   node scripts/e2e-browser-dev.mjs [--no-build] [--debug] [--keep]
//     --no-build  use dist/ as it is
//     --debug     also screenshot failures (failure-<check>.png)
//     --keep      leave the stack running after the checks (Ctrl-C stops it)
//     --stack-only  start the stack, print its URL and keep it (no checks)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { ensureChromium, runBrowserChecks } from './e2e-browser.mjs';
import {
	DEFAULT_OWNER,
	ensureN8n,
	ensureOwner,
	freePort,
	startN8n,
	stopAll,
	tail,
} from './n8n-local.mjs';
import {
	buildPackage,
	SANDBOX_CREDENTIAL,
	EXAMPLE_IDS,
	importFixtures,
	say,
	startSandboxProcess,
} from './stack.mjs';

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`);

async function main() {
	const t0 = Date.now();
	await ensureChromium();
	if (!flag('no-build')) {
		say('building the package');
		buildPackage();
	}
	await ensureN8n();
	const userFolder = mkdtempSync(path.join(tmpdir(), 'kapitale-browser-'));
	let sandbox;
	let n8n;
	const cleanup = async () => {
		await stopAll().catch(() => {});
		await sandbox?.stop().catch(() => {});
		rmSync(userFolder, { recursive: true, force: true });
	};
	process.on('SIGINT', () => cleanup().then(() => process.exit(130)));
	try {
		sandbox = await startSandboxProcess({ port: await freePort() });
		say(`sandbox on ${sandbox.kapitaleBaseUrl ?? sandbox.url ?? '?'}`);
		const cliOptions = { customExtensions: null, communityPackage: true };
		await importFixtures({ sandbox, userFolder, cliOptions });
		n8n = await startN8n({ port: await freePort(), userFolder, ...cliOptions });
		await ensureOwner({ url: n8n.url });
		if (flag('stack-only')) {
			say(
				`stack up: ${n8n.url} (login ${DEFAULT_OWNER.email} / ${DEFAULT_OWNER.password}); Ctrl-C stops it`,
			);
			await new Promise(() => {});
		}
		const result = await runBrowserChecks({
			url: n8n.url,
			email: DEFAULT_OWNER.email,
			password: DEFAULT_OWNER.password,
			workflowId: EXAMPLE_IDS['kapitale-orders-from-sheet.json'],
			credentialId: SANDBOX_CREDENTIAL.id,
			debug: flag('debug'),
		});
		for (const check of result.checks)
			say(`${check.ok ? 'ok  ' : 'FAIL'} ${check.name}: ${check.detail}`);
		say(`screenshots: ${result.screenshots.join(', ')}`);
		say(`done in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
		if (flag('keep')) {
			say(
				`stack kept: ${n8n.url} (login ${DEFAULT_OWNER.email} / ${DEFAULT_OWNER.password}); Ctrl-C stops it`,
			);
			await new Promise(() => {});
		}
	} catch (error) {
		if (n8n) process.stderr.write(`--- n8n log tail ---\n${tail(n8n.logFile, 30)}\n`);
		throw error;
	} finally {
		if (!flag('keep')) await cleanup();
	}
}

main().then(
	() => process.exit(0),
	(error) => {
		console.error(`e2e-browser-dev: ${error.stack || error.message}`);
		process.exit(1);
	},
);
