// The child processes of the n8n scripts: each runs detached in its own process group (n8n and
// the task runners it spawns end together), is registered so that stopAll() and this process's
// exit kill it, and gets free loopback ports.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** The n8n processes (servers and CLI commands) started by these modules and still running. */
export const running = new Set();
process.once('exit', () => {
	// Never leave an n8n (and its task runners) behind when the parent exits.
	for (const child of running) killGroup(child.pid, 'SIGKILL');
});

/** Stops every n8n process started by these modules (SIGTERM, then SIGKILL after graceMs). */
export async function stopAll(graceMs = 20_000) {
	const children = [...running];
	const exits = children.map(
		(child) =>
			new Promise((resolve) =>
				child.exitCode !== null || child.signalCode !== null
					? resolve()
					: child.once('exit', resolve),
			),
	);
	for (const child of children) killGroup(child.pid, 'SIGTERM');
	await Promise.race([Promise.all(exits), sleep(graceMs)]);
	for (const child of children) killGroup(child.pid, 'SIGKILL');
}

/**
 * Starts a command detached (in its own process group) with its output in `logFile`. `stop()`
 * sends `stopSignal` to the group, then SIGKILL after `graceMs`; with `killLeftovers`, SIGKILL
 * also goes to what is left of the group (n8n's task runners). `registry` holds the children an
 * exit handler must kill; `exitCode()` is undefined while the process runs.
 */
export function spawnLogged({
	cmd,
	args,
	cwd,
	env,
	logFile,
	logFlags = 'a',
	registry,
	stopSignal = 'SIGTERM',
	graceMs = 10_000,
	killLeftovers = false,
}) {
	const log = fs.openSync(logFile, logFlags);
	const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', log, log], detached: true });
	fs.closeSync(log);
	registry.add(child);
	let code;
	const exited = new Promise((resolve) => {
		child.on('exit', (exit, signal) => {
			registry.delete(child);
			code = exit ?? signal;
			resolve(exit);
		});
		child.on('error', (err) => {
			registry.delete(child);
			code = err.message;
			resolve(null);
		});
	});
	let stopping;
	const stop = () => {
		stopping ??= (async () => {
			if (code !== undefined) return;
			killGroup(child.pid, stopSignal);
			const done = await Promise.race([exited.then(() => true), sleep(graceMs).then(() => false)]);
			if (!done) {
				killGroup(child.pid, 'SIGKILL');
				await exited;
			}
			if (killLeftovers) killGroup(child.pid, 'SIGKILL');
		})();
		return stopping;
	};
	return { child, exited, stop, exitCode: () => code };
}

/** Signals a process group (our children start detached), or the lone process. */
export function killGroup(pid, signal) {
	try {
		process.kill(-pid, signal);
	} catch {
		try {
			process.kill(pid, signal);
		} catch {
			// gone
		}
	}
}

/**
 * Ports are drawn below the kernel's ephemeral range (Linux: 32768–60999), where the outgoing
 * connections of the processes being started (to PostgreSQL, Redis, the sandbox) take theirs. A
 * port found by binding port 0 comes from that range, so one of those connections could take it
 * before n8n binds it: a queue-mode start failed once with "n8n's port … is already in use".
 */
const PORT_RANGE = { low: 20000, high: 32000 };
/** Never the same port twice in one run, even if the first taker has not bound it yet. */
const handedOut = new Set();

/** A free TCP port on 127.0.0.1. */
export async function freePort() {
	for (let attempt = 0; attempt < 100; attempt++) {
		const port = PORT_RANGE.low + Math.floor(Math.random() * (PORT_RANGE.high - PORT_RANGE.low));
		if (handedOut.has(port) || !(await isPortFree(port))) continue;
		handedOut.add(port);
		return port;
	}
	return await kernelPort();
}

/** A port the kernel picks (binding port 0): the fallback when the range above is crowded. */
function kernelPort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

/** True when nothing listens on 127.0.0.1:port. */
export function isPortFree(port) {
	return new Promise((resolve) => {
		const server = net.createServer();
		server.unref();
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}
