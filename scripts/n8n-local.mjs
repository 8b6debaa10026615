#!/usr/bin/env node
// Installs and runs a pinned, real n8n in the git-ignored folder .n8n-local/.
//
//   node scripts/n8n-local.mjs install   install n8n once (reused afterwards)
//   node scripts/n8n-local.mjs start     install if needed, start n8n, create the owner, print URL + login
//
// Also the library the start, e2e and bench scripts import: ensureN8n, startN8n (also `n8n worker` /
// `n8n webhook`), queueModeEnv, n8nCli, ensureOwner, login, ... This file only re-exports them; the
// code lives in scripts/lib/n8n/, one module per job:
//   config.mjs             pins (n8n 2.41.1, Node 24, npm overrides) and paths
//   log.mjs                progress lines, tail of a log
//   toolchain.mjs          Node 24, npm, node-gyp, Node headers
//   install.mjs            ensureN8n: the pinned install into .n8n-local/
//   natives.mjs            sqlite3 / isolated-vm built and checked for Node 24
//   install-cache.mjs      the installed tree cached in ~/.cache/n8n-local
//   env.mjs                environment of n8n processes; queue mode's shared settings
//   community-package.mjs  this package staged as an installed community package
//   processes.mjs          process groups, stopAll, free ports
//   server.mjs             startN8n: main / worker / webhook process, ready when healthy
//   cli.mjs                n8nCli, parseCliJson: the n8n CLI (import, execute, export)
//   rest.mjs               REST client, owner set-up, login
//   command.mjs            this file's command line
// Node built-ins only. n8n itself always runs on Node 24 (the project's devDependency "node").
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

import { runCommandLine } from './lib/n8n/command.mjs';

export {
	DEFAULT_CUSTOM_EXTENSIONS,
	DEFAULT_OWNER,
	DEFAULT_USER_FOLDER,
	LOCAL_DIR,
	N8N_BIN,
	N8N_LOCKFILE,
	N8N_OVERRIDES,
	N8N_PACKAGE_DIR,
	N8N_VERSION,
	NODE_MAJOR,
	PROJECT_DIR,
} from './lib/n8n/config.mjs';
export { n8nCli, parseCliJson } from './lib/n8n/cli.mjs';
export { stagePackage } from './lib/n8n/community-package.mjs';
export { n8nEnv, queueModeEnv } from './lib/n8n/env.mjs';
export { ensureN8n, isInstalled } from './lib/n8n/install.mjs';
export { setQuiet, tail } from './lib/n8n/log.mjs';
export { freePort, isPortFree, killGroup, spawnLogged, stopAll } from './lib/n8n/processes.mjs';
export { ensureOwner, login, reloadCustomNodes, rest } from './lib/n8n/rest.mjs';
export { startN8n } from './lib/n8n/server.mjs';
export { node24, nodeHeaders } from './lib/n8n/toolchain.mjs';

if (process.argv[1] && fs.realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
	runCommandLine(process.argv.slice(2));
}
