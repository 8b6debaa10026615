// The pins and paths every other module of scripts/lib/n8n/ shares: the n8n version and Node
// major, the npm overrides of the install, where the install and its machine cache live, and the
// owner account the scripts log in with. Data only; no side effects.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const N8N_VERSION = '2.41.1';
export const NODE_MAJOR = 24;
/** npm "overrides" for the n8n install (kept out of the project's package.json: n8n's lint forbids them there). */
export const N8N_OVERRIDES = { linkedom: '0.18.14' };

/** The repository root (this file is scripts/lib/n8n/config.mjs). */
export const PROJECT_DIR = path.resolve(
	path.dirname(fileURLToPath(import.meta.url)),
	'..',
	'..',
	'..',
);
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

/** The npm lockfile of the n8n install, kept in git so every machine gets the same tree. */
export const N8N_LOCKFILE = path.join(PROJECT_DIR, 'scripts', 'lib', 'n8n-local.package-lock.json');
/** Preloaded into every n8n process (see env.mjs and the file itself). */
export const EXIT_DELAY_PRELOAD = path.join(PROJECT_DIR, 'scripts', 'lib', 'n8n-exit-delay.cjs');
/** Built native addons are kept here (outside the work tree) and reused by later installs. */
export const BUILD_CACHE_DIR = path.join(
	process.env.XDG_CACHE_HOME || path.join(process.env.HOME || '/root', '.cache'),
	'n8n-local',
);

/** The log every npm and node-gyp run of an install appends to (read it when an install fails). */
export const INSTALL_LOG = path.join(LOCAL_DIR, 'install.log');
