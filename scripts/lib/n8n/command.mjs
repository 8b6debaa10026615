// The command line of scripts/n8n-local.mjs (install, start, reset-owner, cli): flag parsing,
// usage text, and each command built from the other modules of this folder.
import path from 'node:path';

import { DEFAULT_CUSTOM_EXTENSIONS, DEFAULT_USER_FOLDER, N8N_VERSION } from './config.mjs';
import { n8nCli } from './cli.mjs';
import { ensureN8n } from './install.mjs';
import { say, tail } from './log.mjs';
import { stopAll } from './processes.mjs';
import { ensureOwner } from './rest.mjs';
import { startN8n } from './server.mjs';

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

/** Runs a command (argv without node and the script) and exits with its code. */
export function runCommandLine(argv) {
	main(argv).then(
		(code) => process.exit(code),
		(err) => {
			console.error(`[n8n-local] ${err.message}`);
			process.exit(1);
		},
	);
}
