// The tools an install and every n8n process run with: the project's Node 24 (n8n always runs on
// it; system node may be another major), npm's and node-gyp's own CLI scripts run on that Node,
// the Node headers node-gyp builds against, the npm environment, and commands run with their
// output appended to the install log.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { INSTALL_LOG, NODE_MAJOR, PROJECT_DIR } from './config.mjs';
import { tail } from './log.mjs';

let nodeCache;
/** The Node 24 binary that runs npm, node-gyp and n8n: {bin, version, binDir}. */
export function node24() {
	if (nodeCache) return nodeCache;
	const candidates = [path.join(PROJECT_DIR, 'node_modules', '.bin', 'node'), process.execPath];
	for (const candidate of candidates) {
		let bin;
		try {
			bin = fs.realpathSync(candidate);
		} catch {
			continue;
		}
		const version = runSync(bin, ['-p', 'process.versions.node']).stdout.trim();
		if (Number(version.split('.')[0]) === NODE_MAJOR) {
			// binDir holds only the node binary (node_modules/node/bin), so putting it first on
			// PATH changes what `node` means and nothing else.
			nodeCache = { bin, version, binDir: path.dirname(bin) };
			return nodeCache;
		}
	}
	throw new Error(
		`Node ${NODE_MAJOR} not found: expected the project's devDependency at node_modules/.bin/node (run npm install first).`,
	);
}

/** Runs a command to its end; throws with its output when it exits non-zero. */
export function runSync(cmd, args, options = {}) {
	const res = spawnSyncSafe(cmd, args, options);
	if (res.status !== 0) {
		throw new Error(`${cmd} ${args.join(' ')} failed (${res.status}): ${res.stderr || res.stdout}`);
	}
	return res;
}

/** spawnSync with text output that throws when the command cannot be started at all. */
export function spawnSyncSafe(cmd, args, options) {
	const res = spawnSync(cmd, args, { encoding: 'utf8', ...options });
	if (res.error) throw res.error;
	return res;
}

function findOnPath(name) {
	for (const dir of (process.env.PATH || '').split(path.delimiter)) {
		if (!dir) continue;
		const file = path.join(dir, name);
		try {
			fs.accessSync(file, fs.constants.X_OK);
			return fs.realpathSync(file);
		} catch {
			// not here
		}
	}
	return undefined;
}

/** npm's own CLI script, run with Node 24 (so npm, its scripts and node-gyp all see Node 24). */
export function npmCli() {
	const candidates = [
		process.env.npm_execpath,
		findOnPath('npm'),
		path.join(
			path.dirname(process.execPath),
			'..',
			'lib',
			'node_modules',
			'npm',
			'bin',
			'npm-cli.js',
		),
	];
	for (const candidate of candidates) {
		if (!candidate || !/npm(-cli\.js)?$/.test(candidate)) continue;
		try {
			const real = fs.realpathSync(candidate);
			const root = path.resolve(path.dirname(real), '..');
			if (fs.existsSync(path.join(root, 'bin', 'npm-cli.js')))
				return { cli: path.join(root, 'bin', 'npm-cli.js'), root };
		} catch {
			// next
		}
	}
	throw new Error('npm not found on PATH');
}

/** node-gyp's CLI script, from the npm that npmCli() found. */
export function nodeGypCli() {
	const { root } = npmCli();
	const file = path.join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
	if (!fs.existsSync(file)) throw new Error(`node-gyp not found at ${file}`);
	return file;
}

function headerMajor(dir) {
	try {
		const text = fs.readFileSync(path.join(dir, 'include', 'node', 'node_version.h'), 'utf8');
		return Number(/#define NODE_MAJOR_VERSION (\d+)/.exec(text)?.[1]);
	} catch {
		return undefined;
	}
}

/**
 * A --nodedir for node-gyp: Node 24's own headers when anything on the machine ships them;
 * otherwise the system's (another major) headers, which is fine for the Node-API addons we build
 * (sqlite3): Node-API is ABI-stable across majors, so the addon loads in Node 24.
 */
export function nodeHeaders() {
	const { bin, version } = node24();
	const pkgRoot = path.resolve(path.dirname(bin), '..');
	const home = process.env.HOME || '/root';
	const candidates = [
		process.env.N8N_LOCAL_NODEDIR,
		pkgRoot,
		path.join(pkgRoot, 'node_modules', `node-${process.platform}-${process.arch}`),
		path.join(PROJECT_DIR, 'node_modules', `node-${process.platform}-${process.arch}`),
		path.join(home, '.cache', 'node-gyp', version),
		path.join(home, '.node-gyp', version),
		'/usr/local',
		'/usr',
	].filter(Boolean);
	const found = candidates.map((dir) => ({ dir, major: headerMajor(dir) })).filter((c) => c.major);
	const exact = found.find((c) => c.major === NODE_MAJOR);
	if (exact) return { dir: exact.dir, major: exact.major, exact: true };
	if (found.length) return { dir: found[0].dir, major: found[0].major, exact: false };
	throw new Error('No Node.js headers (include/node/node_version.h) found for node-gyp');
}

/** PATH with Node 24 first. */
/** PATH with Node 24 first. */
export function pathWithNode24() {
	return [node24().binDir, process.env.PATH || ''].join(path.delimiter);
}

/** Environment for npm / node-gyp: Node 24 first on PATH, our nodedir over the user's ~/.npmrc one. */
export function npmEnv(nodedir) {
	const env = { ...process.env, PATH: pathWithNode24() };
	// Config coming from an outer `npm run` must not leak into the nested npm (but keep where the
	// cache, the registry and the config files are).
	const keep = /^npm_config_(cache|registry|userconfig|globalconfig)$/i;
	for (const key of Object.keys(env)) if (/^npm_/i.test(key) && !keep.test(key)) delete env[key];
	Object.assign(env, {
		npm_config_nodedir: nodedir,
		npm_config_yes: 'true',
		npm_config_fund: 'false',
		npm_config_audit: 'false',
		npm_config_update_notifier: 'false',
		npm_config_progress: 'false',
		npm_config_loglevel: 'error',
		npm_config_prefer_offline: 'true',
		NODE_OPTIONS: '',
		// prebuild-install / node-pre-gyp style downloads cannot work here; never try.
		npm_config_build_from_source: 'true',
	});
	return env;
}

/** Runs a command with its output appended to the install log; on failure throws with the log tail. */
export function runLogged(cmd, args, { cwd, env, label }) {
	return new Promise((resolve, reject) => {
		const log = fs.openSync(INSTALL_LOG, 'a');
		fs.writeSync(log, `\n$ (cd ${cwd}) ${[cmd, ...args].join(' ')}\n`);
		const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', log, log] });
		child.on('error', (err) => {
			fs.closeSync(log);
			reject(err);
		});
		child.on('exit', (code, signal) => {
			fs.closeSync(log);
			if (code === 0) return resolve();
			const err = new Error(
				`${label} failed (${signal ?? code}). Last lines of ${INSTALL_LOG}:\n${tail(INSTALL_LOG, 40)}`,
			);
			err.short = `${label} exited with ${signal ?? code}`;
			reject(err);
		});
	});
}
