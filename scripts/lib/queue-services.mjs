// Redis and PostgreSQL for the queue-mode stage: Debian's packages (installed with apt-get when
// missing), each started on a free loopback port with its data in a fresh temp folder, and stopped
// again when the stage ends – also on failure, Ctrl-C, or when an earlier run died and left them.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { freePort, killGroup, spawnLogged, tail } from '../n8n-local.mjs';

const TEMP_PREFIX = 'kapitale-queue-';
const OWNER_FILE = 'owner.pid';

function say(line) {
	process.stderr.write(`[queue-services] ${line}\n`);
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

function which(name, extraDirs = []) {
	for (const dir of [...extraDirs, ...(process.env.PATH || '').split(path.delimiter)]) {
		if (!dir) continue;
		const file = path.join(dir, name);
		try {
			fs.accessSync(file, fs.constants.X_OK);
			return file;
		} catch {
			// not here
		}
	}
	return undefined;
}

/** Debian keeps the server binaries in /usr/lib/postgresql/<major>/bin; the newest major wins. */
function postgresBinDir() {
	const base = '/usr/lib/postgresql';
	const majors = fs.existsSync(base)
		? fs
				.readdirSync(base)
				.filter(
					(name) => /^\d+$/.test(name) && fs.existsSync(path.join(base, name, 'bin', 'postgres')),
				)
				.sort((a, b) => Number(b) - Number(a))
		: [];
	if (majors.length) return path.join(base, majors[0], 'bin');
	const initdb = which('initdb');
	return initdb ? path.dirname(fs.realpathSync(initdb)) : undefined;
}

function binaries() {
	const pgBin = postgresBinDir();
	return {
		redisServer: which('redis-server'),
		initdb:
			pgBin && fs.existsSync(path.join(pgBin, 'initdb')) ? path.join(pgBin, 'initdb') : undefined,
		postgres:
			pgBin && fs.existsSync(path.join(pgBin, 'postgres'))
				? path.join(pgBin, 'postgres')
				: undefined,
	};
}

/**
 * Redis and PostgreSQL binaries; installs Debian's redis-server / postgresql with apt-get when one
 * is missing (needs root and a reachable apt mirror, as on CI). Present: returns at once.
 */
export function ensureServicePackages() {
	let found = binaries();
	const missing = [];
	if (!found.redisServer) missing.push('redis-server');
	if (!found.initdb || !found.postgres) missing.push('postgresql');
	if (!missing.length) return found;
	if (!isRoot() || !which('apt-get')) {
		throw new Error(
			`${missing.join(' and ')} missing; install with: sudo apt-get install -y ${missing.join(' ')}`,
		);
	}
	const t0 = Date.now();
	say(`installing ${missing.join(', ')} with apt-get (once per machine)`);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	// Debian starts a package's service on install (a system Redis on 6379, a PostgreSQL cluster on
	// 5432); we run our own instances, so tell invoke-rc.d not to, as Docker images do.
	const policy = '/usr/sbin/policy-rc.d';
	const ownPolicy = !fs.existsSync(policy);
	if (ownPolicy)
		fs.writeFileSync(
			policy,
			'#!/bin/sh\n# written by n8n-nodes-kapitale scripts/lib/queue-services.mjs during apt-get install\nexit 101\n',
			{ mode: 0o755 },
		);
	try {
		for (const args of [
			['update', '-qq'],
			['install', '-y', '-qq', '--no-install-recommends', ...missing],
		]) {
			const res = spawnSync('apt-get', args, { env, encoding: 'utf8' });
			if (res.status !== 0)
				throw new Error(
					`apt-get ${args.join(' ')} failed (${res.status}):\n${(res.stderr || res.stdout).slice(-3000)}`,
				);
		}
	} finally {
		if (ownPolicy) fs.rmSync(policy, { force: true });
	}
	found = binaries();
	if (!found.redisServer || !found.initdb || !found.postgres)
		throw new Error(`apt-get installed ${missing.join(' ')}, but the binaries are still not found`);
	say(`installed in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
	return found;
}

function pidAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (err) {
		return err.code === 'EPERM';
	}
}

/** A postmaster/redis pid recorded in a stale folder, if still running. */
function recordedPid(file) {
	try {
		const pid = Number(fs.readFileSync(file, 'utf8').split('\n')[0]);
		return pid > 0 && pidAlive(pid) ? pid : undefined;
	} catch {
		return undefined;
	}
}

/** Stops servers and removes folders that a run which died (SIGKILL, power loss) left behind. */
export function cleanStaleRuns() {
	const tmp = os.tmpdir();
	for (const name of fs.readdirSync(tmp).filter((entry) => entry.startsWith(TEMP_PREFIX))) {
		const dir = path.join(tmp, name);
		const owner = recordedPid(path.join(dir, OWNER_FILE));
		if (owner) continue; // another run, still alive
		for (const pidFile of [
			path.join(dir, 'postgres', 'postmaster.pid'),
			path.join(dir, 'redis', 'redis.pid'),
		]) {
			const pid = recordedPid(pidFile);
			if (pid) {
				say(`stopping pid ${pid} left by an earlier run (${pidFile})`);
				killGroup(pid, 'SIGKILL');
			}
		}
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

/** A fresh temp folder for one run's services; it records the owning pid for cleanStaleRuns. */
export function makeRunDir() {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), TEMP_PREFIX));
	fs.chmodSync(dir, 0o755); // the postgres user must reach its data folder inside
	fs.writeFileSync(path.join(dir, OWNER_FILE), String(process.pid));
	return dir;
}

const running = new Set();
process.once('exit', () => {
	// The stage died without stopping its servers (an uncaught error): do not leave them behind.
	for (const child of running) killGroup(child.pid, 'SIGKILL');
});

/** Spawns a server in its own process group; resolves ready() or throws with its log tail. */
function spawnServer({
	name,
	cmd,
	args,
	logFile,
	ready,
	timeoutMs = 60_000,
	stopSignal = 'SIGTERM',
}) {
	const { child, exited, stop, exitCode } = spawnLogged({
		cmd,
		args,
		logFile,
		registry: running,
		stopSignal,
	});
	const started = Date.now();
	const wait = (async () => {
		for (;;) {
			if (exitCode() !== undefined)
				throw new Error(
					`${name} exited during startup (${exitCode()}). Last lines of ${logFile}:\n${tail(logFile, 30)}`,
				);
			if (Date.now() - started > timeoutMs) {
				await stop();
				throw new Error(
					`${name} not ready after ${timeoutMs / 1000}s. Last lines of ${logFile}:\n${tail(logFile, 30)}`,
				);
			}
			if (await ready().catch(() => false)) return;
			await sleep(200);
		}
	})();
	return { child, exited, stop, wait, pid: child.pid };
}

/** One request/answer over a raw TCP connection (Redis' inline protocol). */
function tcpAsk(port, text, timeoutMs = 1000) {
	return new Promise((resolve, reject) => {
		const socket = net.connect({ host: '127.0.0.1', port });
		let answer = '';
		const timer = setTimeout(() => {
			socket.destroy();
			reject(new Error('timeout'));
		}, timeoutMs);
		socket.on('connect', () => socket.write(text));
		socket.on('data', (chunk) => {
			answer += chunk;
			if (answer.includes('\r\n')) {
				clearTimeout(timer);
				socket.end();
				resolve(answer);
			}
		});
		socket.on('error', (err) => {
			clearTimeout(timer);
			reject(err);
		});
	});
}

/**
 * redis-server on 127.0.0.1:<free port>, nothing persisted (no RDB, no AOF).
 * @returns {Promise<{port: number, host: string, logFile: string, stop: () => Promise<void>}>}
 */
export async function startRedis({ runDir, redisServer }) {
	const dir = path.join(runDir, 'redis');
	fs.mkdirSync(dir, { recursive: true });
	const port = await freePort();
	const logFile = path.join(dir, 'redis.log');
	const server = spawnServer({
		name: 'redis-server',
		cmd: redisServer,
		args: [
			'--port',
			String(port),
			'--bind',
			'127.0.0.1',
			'--save',
			'',
			'--appendonly',
			'no',
			'--dir',
			dir,
			'--pidfile',
			path.join(dir, 'redis.pid'),
			'--daemonize',
			'no',
			'--logfile',
			logFile,
		],
		logFile,
		ready: async () => (await tcpAsk(port, 'PING\r\n')).startsWith('+PONG'),
	});
	await server.wait;
	say(`redis-server ready on 127.0.0.1:${port}`);
	return { host: '127.0.0.1', port, logFile, stop: server.stop };
}

/** Runs a command as the `postgres` system user when we are root (initdb and postgres refuse root). */
function asPostgresUser(cmd, args) {
	if (!isRoot()) return { cmd, args };
	const runuser = which('runuser', ['/usr/sbin', '/sbin']);
	if (!runuser)
		throw new Error(
			'running as root, but runuser (util-linux) is missing to start PostgreSQL as the postgres user',
		);
	return { cmd: runuser, args: ['-u', 'postgres', '--', cmd, ...args] };
}

function chownToPostgres(dir) {
	if (!isRoot()) return;
	const res = spawnSync('chown', ['-R', 'postgres:', dir], { encoding: 'utf8' });
	if (res.status !== 0) throw new Error(`chown postgres ${dir} failed: ${res.stderr}`);
}

/**
 * A throw-away PostgreSQL cluster: initdb into the run folder (trust auth for loopback, one
 * superuser), postgres on 127.0.0.1:<free port> with its socket in the folder, durability off
 * (the data dies with the run anyway).
 * @returns {Promise<{host: string, port: number, user: string, database: string, logFile: string, stop: () => Promise<void>}>}
 */
export async function startPostgres({ runDir, initdb, postgres }) {
	const dir = path.join(runDir, 'postgres');
	const logFile = path.join(runDir, 'postgres.log');
	fs.writeFileSync(logFile, '');
	fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
	chownToPostgres(dir);
	chownToPostgres(logFile);
	const user = 'n8n';
	const init = asPostgresUser(initdb, [
		'-D',
		dir,
		'-U',
		user,
		'--auth=trust',
		'-E',
		'UTF8',
		'--locale=C',
		'--no-sync',
		'--no-instructions',
	]);
	const res = spawnSync(init.cmd, init.args, { encoding: 'utf8' });
	if (res.status !== 0)
		throw new Error(`initdb failed (${res.status}):\n${res.stderr || res.stdout}`);
	const port = await freePort();
	const settings = {
		listen_addresses: '127.0.0.1',
		port: String(port),
		unix_socket_directories: dir,
		fsync: 'off',
		synchronous_commit: 'off',
		full_page_writes: 'off',
		max_connections: '100',
	};
	const run = asPostgresUser(postgres, [
		'-D',
		dir,
		...Object.entries(settings).flatMap(([key, value]) => ['-c', `${key}=${value}`]),
	]);
	const server = spawnServer({
		name: 'postgres',
		cmd: run.cmd,
		args: run.args,
		logFile,
		// SIGINT is PostgreSQL's "fast" shutdown: disconnect clients, stop at once.
		stopSignal: 'SIGINT',
		ready: async () =>
			/database system is ready to accept connections/.test(tail(logFile, 200)) &&
			(await canConnect(port)),
	});
	await server.wait;
	say(`postgres ready on 127.0.0.1:${port} (data ${dir})`);
	return { host: '127.0.0.1', port, user, database: 'postgres', logFile, stop: server.stop };
}

function canConnect(port) {
	return new Promise((resolve) => {
		const socket = net.connect({ host: '127.0.0.1', port });
		socket.on('connect', () => {
			socket.end();
			resolve(true);
		});
		socket.on('error', () => resolve(false));
	});
}
