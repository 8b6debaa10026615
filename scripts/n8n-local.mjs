#!/usr/bin/env node
// Installs and runs a pinned, real n8n in the git-ignored folder .n8n-local/.
//
//   node scripts/n8n-local.mjs install   install n8n once (reused afterwards)
//   node scripts/n8n-local.mjs start     install if needed, start n8n, create the owner, print URL + login
//
// Also a library for the start and e2e scripts: ensureN8n, startN8n (also `n8n worker` / `n8n webhook`),
// queueModeEnv, n8nCli, ensureOwner, login.
// Node built-ins only. n8n itself always runs on Node 24 (the project's devDependency "node").
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

export const N8N_VERSION = '2.41.1';
export const NODE_MAJOR = 24;
/** npm "overrides" for the n8n install (kept out of the project's package.json: n8n's lint forbids them there). */
export const N8N_OVERRIDES = { linkedom: '0.18.14' };

export const PROJECT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const LOCAL_DIR = path.resolve(
	process.env.N8N_LOCAL_DIR || path.join(PROJECT_DIR, '.n8n-local'),
);
export const N8N_PACKAGE_DIR = path.join(LOCAL_DIR, 'node_modules', 'n8n');
export const N8N_BIN = path.join(N8N_PACKAGE_DIR, 'bin', 'n8n');
export const DEFAULT_USER_FOLDER = path.join(LOCAL_DIR, 'user');
export const DEFAULT_CUSTOM_EXTENSIONS = path.join(PROJECT_DIR, 'dist');
export const DEFAULT_OWNER = Object.freeze({
	email: 'owner@kapitale.test',
	password: 'Kapitale-n8n-1',
	firstName: 'Kapitale',
	lastName: 'Owner',
});

const STAMP_FILE = path.join(LOCAL_DIR, '.installed.json');
const INSTALL_LOG = path.join(LOCAL_DIR, 'install.log');
const LOCK_DIR = path.join(LOCAL_DIR, '.install.lock');
/** The npm lockfile of the n8n install, kept in git so every machine gets the same tree. */
export const N8N_LOCKFILE = path.join(PROJECT_DIR, 'scripts', 'lib', 'n8n-local.package-lock.json');
const EXIT_DELAY_PRELOAD = path.join(PROJECT_DIR, 'scripts', 'lib', 'n8n-exit-delay.cjs');
/** Built native addons are kept here (outside the work tree) and reused by later installs. */
const BUILD_CACHE_DIR = path.join(
	process.env.XDG_CACHE_HOME || path.join(process.env.HOME || '/root', '.cache'),
	'n8n-local',
);

let quiet = false;
/** Silences the progress lines (errors are still thrown). */
export function setQuiet(value = true) {
	quiet = value;
}
/** Progress lines go to stderr, so the `cli` command's stdout stays the n8n CLI's own. */
function say(line) {
	if (!quiet) process.stderr.write(`[n8n-local] ${line}\n`);
}
const seconds = (ms) => `${(ms / 1000).toFixed(1)}s`;
/** A path as shown to people: relative inside the project, absolute elsewhere. */
const shown = (file) =>
	file.startsWith(PROJECT_DIR + path.sep) ? path.relative(PROJECT_DIR, file) : file;

// ---------------------------------------------------------------------------------------------
// Node 24 and npm

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

function runSync(cmd, args, options = {}) {
	const res = spawnSyncSafe(cmd, args, options);
	if (res.status !== 0) {
		throw new Error(`${cmd} ${args.join(' ')} failed (${res.status}): ${res.stderr || res.stdout}`);
	}
	return res;
}

function spawnSyncSafe(cmd, args, options) {
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
function npmCli() {
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

function nodeGypCli() {
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
function pathWithNode24(extra = []) {
	return [node24().binDir, ...extra, process.env.PATH || ''].join(path.delimiter);
}

/** Environment for npm / node-gyp: Node 24 first on PATH, our nodedir over the user's ~/.npmrc one. */
function npmEnv(nodedir) {
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
function runLogged(cmd, args, { cwd, env, label }) {
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

export function tail(file, lines = 60) {
	try {
		return fs
			.readFileSync(file, 'utf8')
			.split('\n')
			.slice(-lines - 1)
			.join('\n');
	} catch {
		return `(no ${file})`;
	}
}

// ---------------------------------------------------------------------------------------------
// Install

function readStamp() {
	try {
		return JSON.parse(fs.readFileSync(STAMP_FILE, 'utf8'));
	} catch {
		return undefined;
	}
}

/** True when the pinned n8n is installed and built for this Node major. */
export function isInstalled() {
	const stamp = readStamp();
	return Boolean(
		stamp &&
			stamp.n8n === N8N_VERSION &&
			stamp.nodeMajor === NODE_MAJOR &&
			JSON.stringify(stamp.overrides) === JSON.stringify(N8N_OVERRIDES) &&
			fs.existsSync(N8N_BIN),
	);
}

async function withInstallLock(fn) {
	fs.mkdirSync(LOCAL_DIR, { recursive: true });
	const started = Date.now();
	let announced = false;
	for (;;) {
		try {
			fs.mkdirSync(LOCK_DIR);
			fs.writeFileSync(path.join(LOCK_DIR, 'pid'), String(process.pid));
			break;
		} catch (err) {
			if (err.code !== 'EEXIST') throw err;
			let pid = 0;
			try {
				pid = Number(fs.readFileSync(path.join(LOCK_DIR, 'pid'), 'utf8'));
			} catch {
				// being written
			}
			const age =
				Date.now() - (fs.statSync(LOCK_DIR, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
			if ((pid && !pidAlive(pid)) || (!pid && age > 30_000)) {
				fs.rmSync(LOCK_DIR, { recursive: true, force: true });
				continue;
			}
			if (!announced) {
				say(`another install is running (pid ${pid || '?'}); waiting for it`);
				announced = true;
			}
			if (Date.now() - started > 60 * 60_000)
				throw new Error(`install lock ${LOCK_DIR} held for an hour`);
			await sleep(2000);
		}
	}
	try {
		return await fn();
	} finally {
		fs.rmSync(LOCK_DIR, { recursive: true, force: true });
	}
}

function pidAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (err) {
		return err.code === 'EPERM';
	}
}

let reportedInstalled = false;

/**
 * Installs n8n N8N_VERSION into .n8n-local/ once; later calls return at once.
 * @param {{force?: boolean, updateLock?: boolean}} [options]
 *   force: reinstall even if installed; updateLock: resolve afresh (npm install) and save the
 *   resulting lockfile to scripts/lib/n8n-local.package-lock.json.
 * @returns {Promise<{n8nBin: string, nodeBin: string, installed: boolean, ms: number}>}
 */
export async function ensureN8n({ force = false, updateLock = false } = {}) {
	const t0 = Date.now();
	const { bin: nodeBin, version } = node24();
	if (!force && isInstalled()) {
		if (!reportedInstalled) say(`n8n ${N8N_VERSION} already installed in ${shown(LOCAL_DIR)}`);
		reportedInstalled = true;
		return { n8nBin: N8N_BIN, nodeBin, installed: false, ms: Date.now() - t0 };
	}
	return withInstallLock(async () => {
		if (!force && isInstalled()) {
			say(`n8n ${N8N_VERSION} installed meanwhile by another process`);
			return { n8nBin: N8N_BIN, nodeBin, installed: false, ms: Date.now() - t0 };
		}
		fs.rmSync(STAMP_FILE, { force: true });
		fs.writeFileSync(
			INSTALL_LOG,
			`n8n-local install of n8n ${N8N_VERSION} with Node ${version}, ${new Date().toISOString()}\n`,
		);
		const headers = nodeHeaders();
		const pinned = updateLock ? undefined : readPinnedLock();
		writeManifests(headers.dir);
		const cacheKey = treeCacheKey(pinned);

		// A tree an earlier install on this machine left in the cache: hard-link it (seconds).
		if (!force && (await restoreTree(cacheKey))) {
			finishInstall({ version, t0, how: 'from the machine cache' });
			return { n8nBin: N8N_BIN, nodeBin, installed: true, ms: Date.now() - t0 };
		}

		// The packages, with install scripts off (an optional Kafka dependency's script downloads
		// from the internet and fails), at the versions of the pinned lockfile. (`npm install` with
		// the lockfile, not `npm ci`: the registry here lacks some optional platform packages that
		// n8n's tree names, which npm install skips and npm ci refuses.)
		const env = npmEnv(headers.dir);
		const { cli: npm } = npmCli();
		let t = Date.now();
		const npmArgs = [
			'install',
			'--ignore-scripts',
			'--prefer-offline',
			'--no-audit',
			'--no-fund',
			'--loglevel=error',
		];
		const npmInstall = () =>
			runLogged(nodeBin, [npm, ...npmArgs], { cwd: LOCAL_DIR, env, label: 'npm install' });
		const lockfile = path.join(LOCAL_DIR, 'package-lock.json');
		fs.rmSync(path.join(LOCAL_DIR, 'node_modules'), { recursive: true, force: true });
		if (pinned) fs.writeFileSync(lockfile, pinned);
		else fs.rmSync(lockfile, { force: true });
		say(
			`installing n8n@${N8N_VERSION} (${pinned ? 'pinned lockfile' : 'resolving versions'}; npm, scripts off; takes minutes; log: ${shown(INSTALL_LOG)})`,
		);
		try {
			await npmInstall();
		} catch (err) {
			say(`npm install failed (${firstLine(err)}); retrying once`);
			await npmInstall();
		}
		say(`packages installed in ${seconds(Date.now() - t)}`);
		if (updateLock) {
			fs.mkdirSync(path.dirname(N8N_LOCKFILE), { recursive: true });
			fs.copyFileSync(lockfile, N8N_LOCKFILE);
			say(`lockfile saved to ${shown(N8N_LOCKFILE)} (commit it)`);
		} else if (!pinned) {
			say(
				`no pinned lockfile for n8n ${N8N_VERSION}: run \`node scripts/n8n-local.mjs install --update-lock\` and commit ${shown(N8N_LOCKFILE)}`,
			);
		}

		// The native addons n8n needs: sqlite3 (built here) and isolated-vm (prebuilt in its package).
		await buildSqlite3({ nodeBin, version, headers, env });
		if (!canLoad('isolated-vm')) {
			if (!headers.exact) {
				throw new Error(
					`isolated-vm has no usable prebuilt binary and needs Node ${NODE_MAJOR} headers to build (found only Node ${headers.major}'s).`,
				);
			}
			t = Date.now();
			say('building isolated-vm');
			await runLogged(
				nodeBin,
				[nodeGypCli(), 'rebuild', '--release', `--nodedir=${headers.dir}`, '--jobs=2'],
				{
					cwd: path.join(LOCAL_DIR, 'node_modules', 'isolated-vm'),
					env,
					label: 'isolated-vm build',
				},
			);
			say(`isolated-vm built in ${seconds(Date.now() - t)}`);
		}

		finishInstall({ version, t0, how: 'with npm' });
		await saveTree(updateLock ? treeCacheKey(readPinnedLock()) : cacheKey);
		return { n8nBin: N8N_BIN, nodeBin, installed: true, ms: Date.now() - t0 };
	});
}

/** The private package that depends on the pinned n8n only, and its .npmrc. */
function writeManifests(nodedir) {
	fs.writeFileSync(
		path.join(LOCAL_DIR, 'package.json'),
		JSON.stringify(
			{
				name: 'n8n-local',
				private: true,
				description:
					'Pinned n8n for n8n-nodes-kapitale development and e2e tests (generated by scripts/n8n-local.mjs)',
				dependencies: { n8n: N8N_VERSION },
				overrides: N8N_OVERRIDES,
			},
			null,
			2,
		) + '\n',
	);
	fs.writeFileSync(
		path.join(LOCAL_DIR, '.npmrc'),
		[
			'# generated by scripts/n8n-local.mjs',
			'yes=true',
			'fund=false',
			'audit=false',
			'update-notifier=false',
			'progress=false',
			`nodedir=${nodedir}`,
			'',
		].join('\n'),
	);
}

/** Checks that the natives load under Node 24 and n8n answers, then writes the stamp. */
function finishInstall({ version, t0, how }) {
	const t = Date.now();
	verifyNatives();
	const reported = runSync(node24().bin, [N8N_BIN, '--version'], {
		cwd: LOCAL_DIR,
		env: n8nEnv({}),
	}).stdout.trim();
	if (!reported.includes(N8N_VERSION))
		throw new Error(`n8n --version printed "${reported}", expected ${N8N_VERSION}`);
	say(
		`verified: sqlite3 and isolated-vm load under Node ${version}; n8n --version = ${reported} (${seconds(Date.now() - t)})`,
	);
	fs.writeFileSync(
		STAMP_FILE,
		JSON.stringify(
			{
				n8n: N8N_VERSION,
				nodeMajor: NODE_MAJOR,
				node: version,
				overrides: N8N_OVERRIDES,
				installedAt: new Date().toISOString(),
				how,
			},
			null,
			2,
		) + '\n',
	);
	say(`n8n ${N8N_VERSION} ready (${how}) in ${seconds(Date.now() - t0)}`);
}

// ---------------------------------------------------------------------------------------------
// Machine cache of the installed tree: a later install on this machine (a fresh clone, CI) hard-links
// it instead of running npm for minutes. Hard links cost no disk space; nothing writes into the
// tree after the install (n8n keeps its state in the user folder). N8N_LOCAL_NO_CACHE=1 turns it off;
// trees of other versions stay until removed (rm -rf ~/.cache/n8n-local).

function treeCacheKey(pinned) {
	const lockTag = pinned
		? createHash('sha256').update(pinned).digest('hex').slice(0, 12)
		: 'unpinned';
	const overridesTag = createHash('sha256')
		.update(JSON.stringify(N8N_OVERRIDES))
		.digest('hex')
		.slice(0, 8);
	return `n8n-${N8N_VERSION}-node${NODE_MAJOR}-${process.platform}-${process.arch}-${lockTag}-${overridesTag}`;
}

const treeCacheUsable = () => !/^(1|true|yes)$/i.test(process.env.N8N_LOCAL_NO_CACHE ?? '');

function hardLinkCopy(from, to) {
	return new Promise((resolve) => {
		const child = spawn('cp', ['-al', from, to], { stdio: ['ignore', 'ignore', 'pipe'] });
		let stderr = '';
		child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
		child.on('error', (err) => resolve(err.message));
		child.on('exit', (code) =>
			resolve(code === 0 ? undefined : stderr.trim().split('\n')[0] || `cp exited with ${code}`),
		);
	});
}

async function restoreTree(key) {
	if (!treeCacheUsable() || key.includes('unpinned')) return false;
	const cached = path.join(BUILD_CACHE_DIR, key);
	if (!fs.existsSync(path.join(cached, '.complete'))) return false;
	const t = Date.now();
	const target = path.join(LOCAL_DIR, 'node_modules');
	fs.rmSync(target, { recursive: true, force: true });
	const failed = await hardLinkCopy(path.join(cached, 'node_modules'), target);
	if (failed) {
		say(`could not reuse the cached install (${failed}); installing with npm`);
		fs.rmSync(target, { recursive: true, force: true });
		return false;
	}
	say(`reused the install cached on this machine (${shown(cached)}) in ${seconds(Date.now() - t)}`);
	return true;
}

async function saveTree(key) {
	if (!treeCacheUsable() || key.includes('unpinned')) return;
	const cached = path.join(BUILD_CACHE_DIR, key);
	const temp = `${cached}.tmp-${process.pid}`;
	try {
		fs.mkdirSync(temp, { recursive: true });
		const failed = await hardLinkCopy(
			path.join(LOCAL_DIR, 'node_modules'),
			path.join(temp, 'node_modules'),
		);
		if (failed) throw new Error(failed);
		fs.writeFileSync(path.join(temp, '.complete'), new Date().toISOString() + '\n');
		fs.rmSync(cached, { recursive: true, force: true });
		fs.renameSync(temp, cached);
	} catch {
		fs.rmSync(temp, { recursive: true, force: true }); // an optimisation only
	}
}

const firstLine = (err) => err?.short ?? String(err?.message ?? err).split('\n')[0];

/** The committed lockfile, when it is for this n8n version; otherwise undefined. */
function readPinnedLock() {
	try {
		const text = fs.readFileSync(N8N_LOCKFILE, 'utf8');
		const lock = JSON.parse(text);
		return lock.packages?.['']?.dependencies?.n8n === N8N_VERSION &&
			lock.packages?.['node_modules/n8n']?.version === N8N_VERSION
			? text
			: undefined;
	} catch {
		return undefined;
	}
}

/**
 * sqlite3 is a Node-API addon whose install script would download a prebuilt binary: build it
 * with node-gyp instead, or reuse the binary an earlier install built (same sqlite3 version).
 */
async function buildSqlite3({ nodeBin, version, headers, env }) {
	const t = Date.now();
	const sqliteDir = path.join(LOCAL_DIR, 'node_modules', 'sqlite3');
	const sqliteVersion = JSON.parse(
		fs.readFileSync(path.join(sqliteDir, 'package.json'), 'utf8'),
	).version;
	const binary = path.join(sqliteDir, 'build', 'Release', 'node_sqlite3.node');
	const cached = path.join(
		BUILD_CACHE_DIR,
		`sqlite3-${sqliteVersion}-napi-${process.platform}-${process.arch}.node`,
	);
	if (fs.existsSync(cached)) {
		fs.mkdirSync(path.dirname(binary), { recursive: true });
		fs.copyFileSync(cached, binary);
		if (canLoad('sqlite3', LOCAL_DIR)) {
			say(`sqlite3 ${sqliteVersion}: reused the binary built earlier (${shown(cached)})`);
			return;
		}
		fs.rmSync(path.join(sqliteDir, 'build'), { recursive: true, force: true });
	}
	const note = headers.exact
		? `Node ${headers.major} headers`
		: `Node ${headers.major} headers from ${headers.dir}; Node-API is ABI-stable`;
	say(`building sqlite3 ${sqliteVersion} for Node ${version} (${note}; takes a minute or two)`);
	await runLogged(
		nodeBin,
		[nodeGypCli(), 'rebuild', '--release', `--nodedir=${headers.dir}`, '--jobs=2'],
		{
			cwd: sqliteDir,
			env,
			label: 'sqlite3 build',
		},
	);
	try {
		fs.mkdirSync(BUILD_CACHE_DIR, { recursive: true });
		fs.copyFileSync(binary, `${cached}.tmp-${process.pid}`);
		fs.renameSync(`${cached}.tmp-${process.pid}`, cached);
	} catch {
		// the cache is an optimisation only
	}
	say(`sqlite3 built in ${seconds(Date.now() - t)}`);
}

function canLoad(moduleName, cwd = N8N_PACKAGE_DIR) {
	const res = spawnSyncSafe(node24().bin, ['-e', `require(${JSON.stringify(moduleName)})`], {
		cwd,
		env: { ...process.env, PATH: pathWithNode24(), NODE_OPTIONS: '' },
	});
	return res.status === 0;
}

function verifyNatives() {
	const code = `
		const sqlite3 = require('sqlite3');
		const db = new sqlite3.Database(':memory:');
		db.get('select sqlite_version() as v', (err, row) => {
			if (err) throw err;
			const ivm = require('isolated-vm');
			const isolate = new ivm.Isolate({ memoryLimit: 16 });
			const result = isolate.compileScriptSync('6 * 7').runSync(isolate.createContextSync());
			if (result !== 42) throw new Error('isolated-vm returned ' + result);
			db.close();
		});`;
	const res = spawnSyncSafe(node24().bin, ['-e', code], {
		cwd: N8N_PACKAGE_DIR,
		env: { ...process.env, PATH: pathWithNode24(), NODE_OPTIONS: '' },
	});
	if (res.status !== 0)
		throw new Error(`native modules do not load under Node ${NODE_MAJOR}:\n${res.stderr}`);
}

// ---------------------------------------------------------------------------------------------
// Running n8n

/**
 * The environment of every n8n process (server and CLI): Node 24 first on PATH, SQLite in the user
 * folder, loopback only, and everything that phones home switched off. Variables already in
 * process.env pass through unless set here; `env` overrides all of it (a value of undefined removes).
 * @param {{port?: number, userFolder?: string, customExtensions?: string|string[]|null,
 *   brokerPort?: number, devReload?: boolean, env?: Record<string, string|undefined>}} [options]
 */
export function n8nEnv({
	port = 5678,
	userFolder = DEFAULT_USER_FOLDER,
	customExtensions = DEFAULT_CUSTOM_EXTENSIONS,
	brokerPort,
	devReload = false,
	env = {},
} = {}) {
	const result = { ...process.env };
	// An outer `npm run` or a loader in NODE_OPTIONS must not reach n8n.
	for (const key of Object.keys(result))
		if (/^npm_/i.test(key) || key === 'NODE_OPTIONS') delete result[key];
	const extensions = [customExtensions]
		.flat()
		.filter(Boolean)
		.map((dir) => path.resolve(dir));
	Object.assign(result, {
		PATH: pathWithNode24(),
		// As n8n's own Docker image runs it (no stack traces in API answers, production caching).
		NODE_ENV: 'production',
		N8N_USER_FOLDER: path.resolve(userFolder),
		DB_TYPE: 'sqlite',
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		N8N_SECURE_COOKIE: 'false',
		// `localhost` resolves to 127.0.0.1 first inside n8n (it turns off happy eyeballs).
		NODEJS_PREFER_IPV4: 'true',
		GENERIC_TIMEZONE: 'UTC',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
		// Node's on-disk bytecode cache: later starts of n8n are a few seconds faster.
		NODE_COMPILE_CACHE: path.join(LOCAL_DIR, '.compile-cache'),
		// Works around a SIGSEGV at exit of `n8n execute` (isolated-vm teardown), see the file.
		NODE_OPTIONS: `--require ${JSON.stringify(EXIT_DELAY_PRELOAD)}`,
		N8N_LOG_OUTPUT: 'console',
		N8N_LOG_FORMAT: 'text',
		// Task runners (Code node) run in internal mode as children of n8n; the broker stays on loopback.
		N8N_RUNNERS_MODE: 'internal',
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		// Explicit values silence n8n's startup deprecation notices about changing defaults.
		N8N_RUNNERS_TASK_TIMEOUT: '300',
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		N8N_COMPRESSION_NODE_MAX_DECOMPRESSED_SIZE_BYTES: String(256 * 1024 * 1024),
		N8N_COMPRESSION_NODE_MAX_ZIP_ENTRIES: '1000',
		// Nothing phones home.
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_DYNAMIC_BANNERS_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_VERIFIED_PACKAGES_ENABLED: 'false',
		// No license cert, so nothing renews; the server URL points at a closed loopback port anyway.
		// (N8N_LICENSE_AUTO_RENEW_ENABLED=false would only add a warning to the log.)
		N8N_LICENSE_DETACH_FLOATING_ON_SHUTDOWN: 'false',
		N8N_LICENSE_SERVER_URL: 'http://127.0.0.1:9/v1',
		// The MCP-server registry module fetches a catalogue from n8n's API at startup.
		N8N_DISABLED_MODULES: 'mcp-registry',
		N8N_SENTRY_DSN: '',
		N8N_FRONTEND_SENTRY_DSN: '',
		EXTERNAL_HOOK_FILES: '',
	});
	if (brokerPort) result.N8N_RUNNERS_BROKER_PORT = String(brokerPort);
	if (extensions.length) result.N8N_CUSTOM_EXTENSIONS = extensions.join(';');
	else delete result.N8N_CUSTOM_EXTENSIONS;
	if (devReload) result.N8N_DEV_RELOAD = 'true';
	for (const [key, value] of Object.entries(env)) {
		if (value === undefined || value === null) delete result[key];
		else result[key] = String(value);
	}
	return result;
}

/**
 * The settings every process of an n8n in queue mode shares (main, workers, webhook processes and
 * CLI commands): Redis for the job queue, PostgreSQL, one encryption key, binary data in the
 * database (no process reads another's disk), manual runs executed by workers too.
 * @param {{redis: {host?: string, port: number}, postgres: {host?: string, port: number, user: string,
 *   database: string, password?: string}, encryptionKey: string}} services
 */
export function queueModeEnv({ redis, postgres, encryptionKey }) {
	return {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: redis.host ?? '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: postgres.host ?? '127.0.0.1',
		DB_POSTGRESDB_PORT: String(postgres.port),
		DB_POSTGRESDB_USER: postgres.user,
		DB_POSTGRESDB_PASSWORD: postgres.password ?? '',
		DB_POSTGRESDB_DATABASE: postgres.database,
		N8N_ENCRYPTION_KEY: encryptionKey,
		N8N_DEFAULT_BINARY_DATA_MODE: 'database',
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
	};
}

/** A free TCP port on 127.0.0.1. */
export function freePort() {
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

/**
 * Installs a package folder (default: this project) into n8n's community-package folder,
 * <userFolder>/.n8n/nodes/node_modules/<name>/, as a copy of its package.json and dist/, the
 * files a user's install gets ("files": ["dist"]). n8n then loads it as an installed community
 * package: node types keep their real names (n8n-nodes-kapitale.kapitaleOrder; N8N_CUSTOM_EXTENSIONS
 * loads them as CUSTOM.<node>), and n8n-workflow resolves to n8n's own copy, as in production.
 * Copies only what changed and removes stale files, so calling it again after a rebuild updates
 * a running n8n started with devReload (n8n's watcher reloads the package).
 * @returns {string} the installed package's folder
 */
export function stagePackage(userFolder = DEFAULT_USER_FOLDER, packageDir = PROJECT_DIR) {
	const manifestText = fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8');
	const { name } = JSON.parse(manifestText);
	const source = path.join(packageDir, 'dist');
	if (!fs.existsSync(source)) throw new Error(`${source} does not exist: build the package first`);
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const target = path.join(nodesDir, 'node_modules', name);
	if (fs.lstatSync(target, { throwIfNoEntry: false })?.isSymbolicLink()) fs.rmSync(target);
	fs.mkdirSync(target, { recursive: true });
	syncDir(source, path.join(target, 'dist'));
	writeIfChanged(path.join(target, 'package.json'), manifestText);
	// As after a community-package install (n8n rewrites it as it likes).
	const nodesManifest = path.join(nodesDir, 'package.json');
	if (!fs.existsSync(nodesManifest)) {
		fs.writeFileSync(
			nodesManifest,
			JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2) + '\n',
		);
	}
	return target;
}

function writeIfChanged(file, content) {
	let current;
	try {
		current = fs.readFileSync(file);
	} catch {
		// new
	}
	const next = Buffer.isBuffer(content) ? content : Buffer.from(content);
	if (!current || !current.equals(next)) fs.writeFileSync(file, next);
}

function syncDir(from, to) {
	fs.mkdirSync(to, { recursive: true });
	const wanted = new Set();
	for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
		wanted.add(entry.name);
		const src = path.join(from, entry.name);
		const dst = path.join(to, entry.name);
		const stat = fs.statSync(src); // follows links: copies their content
		const existing = fs.lstatSync(dst, { throwIfNoEntry: false });
		if (existing && (existing.isDirectory() !== stat.isDirectory() || existing.isSymbolicLink())) {
			fs.rmSync(dst, { recursive: true, force: true });
		}
		if (stat.isDirectory()) syncDir(src, dst);
		else if (stat.isFile()) writeIfChanged(dst, fs.readFileSync(src));
	}
	for (const name of fs.readdirSync(to)) {
		if (!wanted.has(name)) fs.rmSync(path.join(to, name), { recursive: true, force: true });
	}
}

const running = new Set();
process.once('exit', () => {
	// Never leave an n8n (and its task runners) behind when the parent exits.
	for (const child of running) killGroup(child.pid, 'SIGKILL');
});

/** Stops every n8n process started by this module (SIGTERM, then SIGKILL after graceMs). */
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

/**
 * Asks a running n8n (started with devReload) to reload the nodes of its custom-extension
 * directories (N8N_CUSTOM_EXTENSIONS) now: POST /rest/dev/reload.
 * @returns {Promise<string[]>} the reloaded loaders
 */
export async function reloadCustomNodes(url) {
	const res = await rest({ url, path: '/rest/dev/reload', method: 'POST' });
	if (res.status !== 200)
		throw new Error(
			`POST /rest/dev/reload answered ${res.status} (was n8n started with devReload?)`,
		);
	return res.data?.reloaded ?? [];
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

// ---------------------------------------------------------------------------------------------
// REST API (the editor's internal API under /rest)

/**
 * One HTTP request to n8n. Bodies are JSON.
 * @param {{url: string, path: string, method?: string, body?: unknown, cookie?: string,
 *   headers?: Record<string,string>, timeoutMs?: number}} request
 * @returns {Promise<{status: number, data: any, text: string, headers: Headers, cookies: string[]}>}
 *   data: the parsed JSON body, unwrapped from n8n's {data: ...} envelope when there is one.
 */
export async function rest({
	url,
	path: urlPath,
	method = 'GET',
	body,
	cookie,
	headers = {},
	timeoutMs = 30_000,
}) {
	const controller = new AbortController();
	const timer = setTimeout(() => controller.abort(), timeoutMs);
	try {
		const res = await fetch(new URL(urlPath, url), {
			method,
			headers: {
				accept: 'application/json',
				...(body === undefined ? {} : { 'content-type': 'application/json' }),
				...(cookie ? { cookie } : {}),
				...headers,
			},
			body: body === undefined ? undefined : JSON.stringify(body),
			signal: controller.signal,
			redirect: 'manual',
		});
		const text = await res.text();
		let data;
		try {
			data = JSON.parse(text);
			if (
				data &&
				typeof data === 'object' &&
				!Array.isArray(data) &&
				'data' in data &&
				Object.keys(data).length === 1
			)
				data = data.data;
		} catch {
			data = undefined;
		}
		return {
			status: res.status,
			data,
			text,
			headers: res.headers,
			cookies: res.headers.getSetCookie(),
		};
	} finally {
		clearTimeout(timer);
	}
}

function authCookie(cookies) {
	const found = cookies.map((c) => c.split(';')[0]).find((c) => c.startsWith('n8n-auth='));
	return found;
}

/**
 * Logs in and returns the session cookie ("n8n-auth=...") to send as the Cookie header of REST calls.
 * @param {{url: string, email?: string, password?: string}} options
 * @returns {Promise<string>}
 */
export async function login({
	url,
	email = DEFAULT_OWNER.email,
	password = DEFAULT_OWNER.password,
}) {
	const res = await rest({
		url,
		path: '/rest/login',
		method: 'POST',
		body: { emailOrLdapLoginId: email, password },
	});
	const cookie = authCookie(res.cookies);
	if (res.status !== 200 || !cookie) {
		throw new Error(
			`login as ${email} failed: ${res.status} ${res.data?.message ?? res.text.slice(0, 300)}`,
		);
	}
	return cookie;
}

/**
 * Sets up n8n's owner account (POST /rest/owner/setup) unless one exists, then logs in.
 * An existing owner with other credentials is an error (reset it with `n8nCli(['user-management:reset'])`).
 * @param {{url: string, email?: string, password?: string, firstName?: string, lastName?: string}} options
 * @returns {Promise<{email: string, password: string, firstName: string, lastName: string, created: boolean, cookie: string}>}
 */
export async function ensureOwner({ url, ...owner }) {
	const { email, password, firstName, lastName } = { ...DEFAULT_OWNER, ...owner };
	const settings = await rest({ url, path: '/rest/settings' });
	if (settings.status !== 200)
		throw new Error(
			`GET /rest/settings answered ${settings.status}: ${settings.text.slice(0, 300)}`,
		);
	let created = false;
	if (settings.data?.userManagement?.showSetupOnFirstLoad) {
		const res = await rest({
			url,
			path: '/rest/owner/setup',
			method: 'POST',
			body: { email, firstName, lastName, password },
		});
		if (res.status !== 200)
			throw new Error(
				`owner setup failed: ${res.status} ${res.data?.message ?? res.text.slice(0, 300)}`,
			);
		created = true;
		say(`owner account created: ${email}`);
	}
	let cookie;
	try {
		cookie = await login({ url, email, password });
	} catch (err) {
		if (created) throw err;
		throw new Error(
			`n8n already has an owner, and ${email} cannot log in with the given password (${err.message}). ` +
				`Stop n8n, run \`node scripts/n8n-local.mjs reset-owner --user-folder <folder>\`, and start it again.`,
		);
	}
	return { email, password, firstName, lastName, created, cookie };
}

// ---------------------------------------------------------------------------------------------
// CLI

function parseFlags(argv) {
	const flags = {};
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (!arg.startsWith('--')) continue;
		const [key, inline] = arg.slice(2).split('=', 2);
		if (inline !== undefined) flags[key] = inline;
		else if (argv[i + 1] !== undefined && !argv[i + 1].startsWith('--')) flags[key] = argv[++i];
		else flags[key] = true;
	}
	return flags;
}

const USAGE = `usage: node scripts/n8n-local.mjs <command> [flags]
  install [--force] [--update-lock]
                         install n8n ${N8N_VERSION} into .n8n-local/ (once; reused afterwards) at the
                         versions in scripts/lib/n8n-local.package-lock.json; --update-lock resolves
                         them afresh and saves that lockfile
  start [--port N] [--user-folder DIR] [--package | --custom-extensions DIR | --no-custom-extensions] [--dev-reload]
                         install if needed, start n8n, create the owner, print URL and login; Ctrl-C stops it.
                         Nodes: by default N8N_CUSTOM_EXTENSIONS=dist/ (types CUSTOM.*); --package installs
                         this package (package.json + dist/) as a community package instead (real type names)
  reset-owner [--user-folder DIR]
                         forget the owner account (n8n user-management:reset); the next start creates it
  cli [--user-folder DIR] -- <n8n args>
                         run the n8n CLI with the same environment`;

async function main(argv) {
	const [command] = argv;
	const dashes = argv.indexOf('--');
	const flags = parseFlags(argv.slice(1, dashes === -1 ? undefined : dashes));
	const userFolder = flags['user-folder']
		? path.resolve(flags['user-folder'])
		: DEFAULT_USER_FOLDER;
	let stopping = false;
	const onSignal = (signal) => {
		if (stopping) return;
		stopping = true;
		say(`${signal}: stopping n8n`);
		stopAll().then(() => process.exit(0));
	};
	process.on('SIGINT', onSignal);
	process.on('SIGTERM', onSignal);
	if (command === 'install') {
		await ensureN8n({
			force: Boolean(flags.force || flags['update-lock']),
			updateLock: Boolean(flags['update-lock']),
		});
		return 0;
	}
	if (command === 'reset-owner') {
		await n8nCli(['user-management:reset'], { userFolder, customExtensions: null });
		say('owner account reset; the next start creates it again');
		return 0;
	}
	if (command === 'cli') {
		if (dashes === -1)
			throw new Error('usage: node scripts/n8n-local.mjs cli [--user-folder DIR] -- <n8n args>');
		const args = argv.slice(dashes + 1);
		const res = await n8nCli(args, { userFolder, check: false });
		process.stdout.write(res.stdout);
		process.stderr.write(res.stderr);
		return res.code ?? 1;
	}
	if (command === 'start') {
		const communityPackage = Boolean(flags.package);
		let customExtensions = communityPackage ? null : DEFAULT_CUSTOM_EXTENSIONS;
		if (flags['custom-extensions']) customExtensions = String(flags['custom-extensions']);
		if (flags['no-custom-extensions']) customExtensions = null;
		const n8n = await startN8n({
			port: flags.port === undefined ? undefined : Number(flags.port),
			userFolder,
			customExtensions,
			communityPackage,
			devReload: Boolean(flags['dev-reload']),
		});
		const owner = await ensureOwner({ url: n8n.url });
		console.log(
			`\n  n8n ${N8N_VERSION}: ${n8n.url}\n  login: ${owner.email} / ${owner.password}\n  log:   ${n8n.logFile}\n  Ctrl-C stops it.\n`,
		);
		const code = await n8n.exited;
		if (!stopping) {
			console.error(
				`[n8n-local] n8n exited unexpectedly (${code}). Last lines of ${n8n.logFile}:\n${tail(n8n.logFile, 40)}`,
			);
			return 1;
		}
		return 0;
	}
	console.error(USAGE);
	return command ? 2 : 0;
}

if (process.argv[1] && fs.realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
	main(process.argv.slice(2)).then(
		(code) => process.exit(code),
		(err) => {
			console.error(`[n8n-local] ${err.message}`);
			process.exit(1);
		},
	);
}
