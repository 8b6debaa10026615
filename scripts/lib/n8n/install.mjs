// Installs the pinned n8n (N8N_VERSION, 2.41.1) into the git-ignored .n8n-local/ once: a private
// package.json with npm overrides (linkedom), the committed lockfile, npm with install scripts
// off, the native addons built for Node 24 (natives.mjs), the tree reused from or saved to the
// machine cache (install-cache.mjs), and a stamp file that makes later calls return at once.
// Concurrent installs (parallel scripts, worktrees sharing N8N_LOCAL_DIR) wait on a lock folder.
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import {
	INSTALL_LOG,
	LOCAL_DIR,
	N8N_BIN,
	N8N_LOCKFILE,
	N8N_OVERRIDES,
	N8N_VERSION,
	NODE_MAJOR,
} from './config.mjs';
import { n8nEnv } from './env.mjs';
import { restoreTree, saveTree, treeCacheKey } from './install-cache.mjs';
import { firstLine, say, seconds, shown } from './log.mjs';
import { buildNatives, verifyNatives } from './natives.mjs';
import { node24, nodeHeaders, npmCli, npmEnv, runLogged, runSync } from './toolchain.mjs';

const STAMP_FILE = path.join(LOCAL_DIR, '.installed.json');
const LOCK_DIR = path.join(LOCAL_DIR, '.install.lock');

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
		const t = Date.now();
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
		await buildNatives({ nodeBin, version, headers, env });

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
