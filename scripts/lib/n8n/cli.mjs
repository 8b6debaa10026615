// The n8n CLI beside (or without) a running server: n8nCli() runs `n8n <args>` (import:workflow,
// import:credentials, export:*, execute --id, user-management:reset, ...) on Node 24 with the
// servers' environment, and parseCliJson() finds the JSON document in its output.
import { spawn } from 'node:child_process';
import fs from 'node:fs';

import {
	DEFAULT_CUSTOM_EXTENSIONS,
	DEFAULT_USER_FOLDER,
	LOCAL_DIR,
	N8N_BIN,
	PROJECT_DIR,
} from './config.mjs';
import { stagePackage } from './community-package.mjs';
import { n8nEnv } from './env.mjs';
import { ensureN8n } from './install.mjs';
import { seconds } from './log.mjs';
import { freePort, killGroup, running } from './processes.mjs';
import { node24 } from './toolchain.mjs';

/**
 * Runs `n8n <args>` (import:workflow, import:credentials, export:*, execute --id, user-management:reset, ...)
 * on Node 24 with the same environment as startN8n, beside a running server if any (own task-broker port).
 * @param {string[]} args
 * @param {{userFolder?: string, customExtensions?: string|string[]|null, communityPackage?: boolean|string,
 *   env?: Record<string, string|undefined>, timeoutMs?: number, check?: boolean}} [options]
 *   check (default true): throw when the exit code is not 0.
 * @returns {Promise<{code: number|null, stdout: string, stderr: string, ms: number}>}
 */
export async function n8nCli(
	args,
	{
		userFolder = DEFAULT_USER_FOLDER,
		customExtensions = DEFAULT_CUSTOM_EXTENSIONS,
		communityPackage = false,
		env = {},
		timeoutMs = 300_000,
		check = true,
	} = {},
) {
	await ensureN8n();
	const t0 = Date.now();
	fs.mkdirSync(userFolder, { recursive: true });
	if (communityPackage)
		stagePackage(userFolder, communityPackage === true ? PROJECT_DIR : communityPackage);
	const [port, brokerPort] = [await freePort(), await freePort()];
	const childEnv = n8nEnv({ port, userFolder, customExtensions, brokerPort, env });
	const child = spawn(node24().bin, [N8N_BIN, ...args], {
		cwd: LOCAL_DIR,
		env: childEnv,
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
	});
	running.add(child);
	let stdout = '';
	let stderr = '';
	child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
	child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
	let timedOut = false;
	const timer = setTimeout(() => {
		timedOut = true;
		killGroup(child.pid, 'SIGKILL');
	}, timeoutMs);
	const code = await new Promise((resolve, reject) => {
		child.on('error', reject);
		// A task runner still holding the output pipes must not keep us waiting after n8n exited.
		child.on('exit', () => setTimeout(() => killGroup(child.pid, 'SIGKILL'), 2000).unref());
		child.on('close', (exitCode, signal) => resolve(exitCode ?? signal));
	}).finally(() => {
		clearTimeout(timer);
		running.delete(child);
		killGroup(child.pid, 'SIGKILL'); // a task runner left behind, if any
	});
	const ms = Date.now() - t0;
	if (check && (timedOut || code !== 0)) {
		const why = timedOut ? `timed out after ${seconds(timeoutMs)}` : `exited with ${code}`;
		throw new Error(
			`n8n ${args.join(' ')} ${why}\n--- stdout ---\n${stdout.slice(-4000)}\n--- stderr ---\n${stderr.slice(-4000)}`,
		);
	}
	return { code, stdout, stderr, ms };
}

/**
 * The JSON document in an n8n CLI's stdout (e.g. `execute --id=X --rawOutput`, `export:workflow
 * --all`), skipping the log lines n8n prints before it and the error report after it (a failed
 * `execute` prints the run data, then "Error executing workflow...").
 * @param {string} stdout
 */
export function parseCliJson(stdout) {
	const lines = stdout.split('\n');
	const starts = lines.flatMap((line, i) => (/^[[{]/.test(line) ? [i] : []));
	const ends = lines.flatMap((line, i) => (/^[\]}]/.test(line) ? [i] : [])).reverse();
	for (const from of starts) {
		if (/^[[{].*[\]}]\s*$/.test(lines[from])) {
			try {
				return JSON.parse(lines[from]); // one-line document
			} catch {
				// not JSON
			}
		}
		for (const to of ends) {
			if (to <= from) break;
			try {
				return JSON.parse(lines.slice(from, to + 1).join('\n'));
			} catch {
				// try a shorter span
			}
		}
	}
	throw new Error(`no JSON document in the n8n CLI output:\n${stdout.slice(-2000)}`);
}
