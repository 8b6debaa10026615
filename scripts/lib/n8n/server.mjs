// Starts an n8n process on Node 24 (the main `n8n start`, or a queue-mode `n8n worker` /
// `n8n webhook`) on a free or given port with its log in .n8n-local/logs/, and waits until it
// answers as ready; with devReload, also until its file watcher reloads the staged package.
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

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
import { say, seconds, shown, tail } from './log.mjs';
import { freePort, isPortFree, running, spawnLogged } from './processes.mjs';
import { rest } from './rest.mjs';
import { node24 } from './toolchain.mjs';

/**
 * Starts `n8n start` (or, with `command`, a queue-mode `n8n worker` / `n8n webhook`) on Node 24
 * and waits until it is ready (/healthz/readiness answers 200).
 * @param {{command?: 'start'|'worker'|'webhook', args?: string[], port?: number, userFolder?: string,
 *   customExtensions?: string|string[]|null, communityPackage?: boolean|string, devReload?: boolean,
 *   env?: Record<string, string|undefined>, logFile?: string, timeoutMs?: number}} [options]
 *   command: what to run; a worker has no web server, so its readiness is asked at its health
 *     server (QUEUE_HEALTH_CHECK_PORT, a free port) and `url` is that server's;
 *   args: extra CLI arguments (e.g. ['--concurrency=5'] for a worker);
 *   port: default 5678 when free, else a free one (pass a number to insist on it, 0 for any free);
 *   customExtensions: N8N_CUSTOM_EXTENSIONS (default <project>/dist; null for none);
 *   communityPackage: also install a package dir (true = this project) as a community package,
 *     see stagePackage(); use it with customExtensions: null, or the nodes load twice;
 *   devReload: N8N_DEV_RELOAD, n8n reloads custom/community nodes when their files change.
 * @returns {Promise<{url: string, port: number, pid: number, logFile: string, userFolder: string,
 *   env: Record<string,string>, startMs: number, exited: Promise<number|null>, stop: () => Promise<void>}>}
 */
export async function startN8n({
	command = 'start',
	args = [],
	port,
	userFolder = DEFAULT_USER_FOLDER,
	customExtensions = DEFAULT_CUSTOM_EXTENSIONS,
	communityPackage = false,
	devReload = false,
	env = {},
	logFile,
	timeoutMs = 180_000,
} = {}) {
	await ensureN8n();
	const t0 = Date.now();
	if (port === undefined) port = (await isPortFree(5678)) ? 5678 : await freePort();
	else if (port === 0) port = await freePort();
	else if (!(await isPortFree(port)))
		throw new Error(`port ${port} on 127.0.0.1 is in use (another n8n?)`);
	const brokerPort = await freePort();
	fs.mkdirSync(userFolder, { recursive: true });
	const staged = communityPackage
		? stagePackage(userFolder, communityPackage === true ? PROJECT_DIR : communityPackage)
		: undefined;
	logFile =
		logFile ??
		path.join(
			LOCAL_DIR,
			'logs',
			command === 'start' ? `n8n-${port}.log` : `n8n-${command}-${port}.log`,
		);
	fs.mkdirSync(path.dirname(logFile), { recursive: true });
	pruneLogs(path.dirname(logFile));
	const healthPort = command === 'worker' ? await freePort() : port;
	const workerHealth =
		command === 'worker'
			? {
					QUEUE_HEALTH_CHECK_ACTIVE: 'true',
					QUEUE_HEALTH_CHECK_PORT: String(healthPort),
					N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
				}
			: {};
	const childEnv = n8nEnv({
		port,
		userFolder,
		customExtensions,
		brokerPort,
		devReload,
		env: { ...workerHealth, ...env },
	});
	const url = `http://127.0.0.1:${healthPort}`;
	const label = command === 'start' ? 'n8n' : `n8n ${command}`;

	// Own process group: stop() ends n8n and its task runners together.
	const { child, exited, stop, exitCode } = spawnLogged({
		cmd: node24().bin,
		args: [N8N_BIN, command, ...args],
		cwd: LOCAL_DIR, // n8n reads a .env from its working directory; there is none here
		env: childEnv,
		logFile,
		logFlags: 'w',
		registry: running,
		graceMs: 20_000,
		killLeftovers: true,
	});

	say(`starting ${label} on ${url} (user folder ${shown(userFolder)}, log ${shown(logFile)})`);
	for (;;) {
		if (exitCode() !== undefined) {
			throw new Error(
				`${label} exited during startup (${exitCode()}). Last lines of ${logFile}:\n${tail(logFile, 40)}`,
			);
		}
		if (Date.now() - t0 > timeoutMs) {
			await stop();
			throw new Error(
				`${label} not ready after ${seconds(timeoutMs)}. Last lines of ${logFile}:\n${tail(logFile, 40)}`,
			);
		}
		const res = await rest({ url, path: '/healthz/readiness', timeoutMs: 2000 }).catch(
			() => undefined,
		);
		if (res?.status === 200) break;
		await sleep(300);
	}
	const health = await rest({ url, path: '/healthz' });
	if (health.status !== 200 || health.data?.status !== 'ok') {
		await stop();
		throw new Error(`${label}: /healthz answered ${health.status} ${JSON.stringify(health.data)}`);
	}
	if (devReload && staged) await waitForHotReload(staged, logFile);
	const startMs = Date.now() - t0;
	say(`${label} ready on ${url} in ${seconds(startMs)}`);
	return {
		command,
		label,
		url,
		port,
		pid: child.pid,
		logFile,
		userFolder,
		env: childEnv,
		startMs,
		exited,
		stop,
	};
}

/**
 * n8n subscribes its file watchers a second or two after it answers as ready, so a rebuild in that
 * window would go unnoticed. Touch a probe file in the staged package until n8n reloads it once.
 */
async function waitForHotReload(stagedDir, logFile, timeoutMs = 30_000) {
	const name = path.basename(stagedDir);
	const probe = path.join(stagedDir, '.n8n-local-reload-probe');
	const marker = `Hot reload triggered for ${name}`;
	const before = tail(logFile, 100000).split(marker).length;
	const t0 = Date.now();
	try {
		while (Date.now() - t0 < timeoutMs) {
			fs.writeFileSync(probe, String(Date.now()));
			await sleep(700);
			if (tail(logFile, 100000).split(marker).length > before) return;
		}
		say(`n8n did not hot-reload ${name} within ${seconds(timeoutMs)}; restart n8n after a rebuild`);
	} finally {
		fs.rmSync(probe, { force: true });
	}
}

/** Keeps the 20 newest n8n-*.log files of a folder (each start on a new port writes one). */
function pruneLogs(dir, keep = 20) {
	try {
		const logs = fs
			.readdirSync(dir)
			.filter((name) => /^n8n-.*\.log$/.test(name))
			.map((name) => ({
				file: path.join(dir, name),
				mtime: fs.statSync(path.join(dir, name)).mtimeMs,
			}))
			.sort((a, b) => b.mtime - a.mtime);
		for (const { file } of logs.slice(keep)) fs.rmSync(file, { force: true });
	} catch {
		// housekeeping only
	}
}
