// Installs this package (or another package folder) into an n8n user folder as a community
// package, the way a user's install lays it out: package.json and dist/ copied (only what changed)
// into <userFolder>/.n8n/nodes/node_modules/<name>/.
import fs from 'node:fs';
import path from 'node:path';

import { DEFAULT_USER_FOLDER, PROJECT_DIR } from './config.mjs';

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
