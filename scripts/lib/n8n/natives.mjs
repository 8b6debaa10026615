// The native addons n8n needs under Node 24: sqlite3 (built here with node-gyp against Node
// headers, its binary reused from the machine cache ~/.cache/n8n-local) and isolated-vm (prebuilt
// in its package; built only when that binary does not load). Also the checks that both load.
import fs from 'node:fs';
import path from 'node:path';

import { BUILD_CACHE_DIR, LOCAL_DIR, N8N_PACKAGE_DIR, NODE_MAJOR } from './config.mjs';
import { say, seconds, shown } from './log.mjs';
import { node24, nodeGypCli, pathWithNode24, runLogged, spawnSyncSafe } from './toolchain.mjs';

/**
 * Builds (or reuses) the native addons of a fresh npm install in .n8n-local/.
 * @param {{nodeBin: string, version: string, headers: {dir: string, major: number, exact: boolean},
 *   env: Record<string, string>}} toolchain  Node 24, its version, nodeHeaders(), npmEnv()
 */
export async function buildNatives({ nodeBin, version, headers, env }) {
	// sqlite3 is built here; isolated-vm is prebuilt in its package.
	await buildSqlite3({ nodeBin, version, headers, env });
	if (!canLoad('isolated-vm')) {
		if (!headers.exact) {
			throw new Error(
				`isolated-vm has no usable prebuilt binary and needs Node ${NODE_MAJOR} headers to build (found only Node ${headers.major}'s).`,
			);
		}
		const t = Date.now();
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

/** True when `require(moduleName)` succeeds under Node 24 from `cwd`. */
function canLoad(moduleName, cwd = N8N_PACKAGE_DIR) {
	const res = spawnSyncSafe(node24().bin, ['-e', `require(${JSON.stringify(moduleName)})`], {
		cwd,
		env: { ...process.env, PATH: pathWithNode24(), NODE_OPTIONS: '' },
	});
	return res.status === 0;
}

/** Throws unless sqlite3 and isolated-vm load and work under Node 24 from n8n's package folder. */
export function verifyNatives() {
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
