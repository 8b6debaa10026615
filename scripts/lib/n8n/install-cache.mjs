// The machine cache of an installed n8n tree, in ~/.cache/n8n-local: a later install on this
// machine (a fresh clone, CI, another git worktree) hard-links it instead of running npm for
// minutes. Hard links cost no disk space; nothing writes into the tree after the install (n8n
// keeps its state in the user folder). N8N_LOCAL_NO_CACHE=1 turns it off; trees of other versions
// stay until removed (rm -rf ~/.cache/n8n-local).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { BUILD_CACHE_DIR, LOCAL_DIR, N8N_OVERRIDES, N8N_VERSION, NODE_MAJOR } from './config.mjs';
import { say, seconds, shown } from './log.mjs';

/** The cache entry's name: n8n version, Node major, platform, lockfile and overrides hashes. */
export function treeCacheKey(pinned) {
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

/** Hard-links the cached tree for `key` into .n8n-local/node_modules; false when there is none. */
export async function restoreTree(key) {
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

/** Saves .n8n-local/node_modules as the cached tree for `key` (best effort). */
export async function saveTree(key) {
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
