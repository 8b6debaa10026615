/**
 * Starts the sandbox from the command line.
 *
 *   npx tsx sandbox/cli.ts --port 4010 [--host 127.0.0.1] [--data FILE] [--latency MS] [--seed N]
 *                          [--fault JSON]... [--token-ttl S] [--webhook-retry-delays 1000,5000,30000]
 *                          [--tls-key FILE --tls-cert FILE] [--lifecycle] [--lifecycle-interval S]
 *                          [--quiet] [--json]
 *
 * --lifecycle turns the automatic lifecycle on (orders, credit operations and customers move one
 * step every --lifecycle-interval seconds, default 60); the console and the control API switch it.
 *
 * --fault takes one rule object or an array of rules (repeatable), e.g.
 *   --fault '{"service":"kapitale","pathPrefix":"/order","errorRate":0.1,"errorStatus":503}'
 */
import * as fs from 'fs';
import { FaultRule, validateFaults } from './faults';
import { SandboxOptions, startSandbox } from './index';

function usage(msg?: string): never {
	if (msg) console.error(`error: ${msg}`);
	console.error(
		'usage: npx tsx sandbox/cli.ts [--port N] [--host H] [--data FILE] [--latency MS] [--seed N] [--fault JSON]... [--token-ttl S] [--webhook-retry-delays a,b,c] [--tls-key F --tls-cert F] [--lifecycle] [--lifecycle-interval S] [--quiet] [--json]',
	);
	process.exit(msg ? 2 : 0);
}

export function parseArgs(argv: string[]): { opts: SandboxOptions; json: boolean } {
	const opts: SandboxOptions = { port: 4010 };
	const faults: FaultRule[] = [];
	let json = false;
	let tlsKey: string | undefined;
	let tlsCert: string | undefined;
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		const [flag, inline] = a.includes('=')
			? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]
			: [a, undefined];
		const val = () => {
			if (inline !== undefined) return inline;
			const v = argv[++i];
			if (v === undefined) usage(`${flag} needs a value`);
			return v;
		};
		const num = (name: string) => {
			const n = Number(val());
			if (!Number.isFinite(n) || n < 0) usage(`${name} must be a non-negative number`);
			return n;
		};
		switch (flag) {
			case '--port':
			case '-p':
				opts.port = num('--port');
				break;
			case '--host':
				opts.host = val();
				break;
			case '--data':
				opts.dataFile = val();
				break;
			case '--latency':
				opts.latencyMs = num('--latency');
				break;
			case '--seed':
				opts.seed = num('--seed');
				break;
			case '--token-ttl':
				opts.tokenTtlSeconds = num('--token-ttl');
				break;
			case '--webhook-retry-delays':
				opts.webhookRetryDelaysMs = val()
					.split(',')
					.filter(Boolean)
					.map((x) => Number(x));
				break;
			case '--fault': {
				let parsed: unknown;
				try {
					parsed = JSON.parse(val());
				} catch {
					usage('--fault must be JSON');
				}
				try {
					faults.push(...validateFaults(Array.isArray(parsed) ? parsed : [parsed]));
				} catch (e) {
					usage((e as Error).message);
				}
				break;
			}
			case '--tls-key':
				tlsKey = val();
				break;
			case '--tls-cert':
				tlsCert = val();
				break;
			case '--lifecycle':
				opts.lifecycle = { ...opts.lifecycle, enabled: true };
				break;
			case '--lifecycle-interval': {
				const n = num('--lifecycle-interval');
				if (n < 1) usage('--lifecycle-interval must be at least 1 (seconds)');
				opts.lifecycle = { ...opts.lifecycle, intervalSeconds: n };
				break;
			}
			case '--quiet':
				opts.quiet = true;
				break;
			case '--json':
				json = true;
				break;
			case '--help':
			case '-h':
				usage();
				break;
			default:
				usage(`unknown option ${a}`);
		}
	}
	if (tlsKey || tlsCert) {
		if (!tlsKey || !tlsCert) usage('--tls-key and --tls-cert go together');
		opts.tls = { key: fs.readFileSync(tlsKey), cert: fs.readFileSync(tlsCert) };
	}
	(opts as SandboxOptions & { faults?: FaultRule[] }).faults = faults;
	return { opts, json };
}

async function main(): Promise<void> {
	const { opts, json } = parseArgs(process.argv.slice(2));
	const faults = (opts as SandboxOptions & { faults?: FaultRule[] }).faults ?? [];
	delete (opts as SandboxOptions & { faults?: FaultRule[] }).faults;
	const sb = await startSandbox(opts);
	if (faults.length) sb.setFaults(faults);
	const c = sb.credentials;
	if (json) {
		console.log(
			JSON.stringify({
				baseUrl: sb.baseUrl,
				tokenUrl: sb.tokenUrl,
				kapitaleBaseUrl: sb.kapitaleBaseUrl,
				partnerBaseUrl: sb.partnerBaseUrl,
				controlUrl: sb.controlUrl,
				consoleUrl: `${sb.baseUrl}/`,
				credentials: c,
			}),
		);
	} else {
		const lines = [
			'Kapitale / partner lending sandbox is running',
			'',
			`  Console:             ${sb.baseUrl}/   (open it in a browser)`,
			`  Base URL:            ${sb.baseUrl}`,
			`  Control API:         ${sb.controlUrl}   (GET ${sb.controlUrl}/info)`,
			'',
			'Credential "Custom" environment:',
			`  Kapitale API base URL:   ${sb.kapitaleBaseUrl}`,
			`  Kapitale token URL:      ${sb.tokenUrl}`,
			`  Client ID:               ${c.clientId}`,
			`  Client Secret:           ${c.clientSecret}`,
			`  Industry CNPJ (claim):   ${c.industryCnpj}`,
			`  Partner API base URL:    ${sb.partnerBaseUrl}`,
			`  Partner bearer token:    ${c.bearerToken}`,
			`  Partner hash id:         ${c.partnerHashId}`,
			`  Partner user hash id:    ${c.userHashId}`,
			'',
			`  State: ${opts.dataFile ? `persisted in ${opts.dataFile}` : 'in memory'}; seed ${opts.seed ?? 1}${opts.latencyMs ? `; latency ${opts.latencyMs} ms` : ''}${faults.length ? `; ${faults.length} fault rule(s)` : ''}; automatic lifecycle ${opts.lifecycle?.enabled ? `every ${opts.lifecycle.intervalSeconds ?? 60} s` : 'off'}`,
			'Press Ctrl-C to stop.',
		];
		console.log(lines.join('\n'));
	}
	let stopping = false;
	const stop = (sig: string) => {
		if (stopping) return;
		stopping = true;
		if (!json) console.log(`\n${sig} received, closing sandbox...`);
		sb.close().then(
			() => process.exit(0),
			(e) => {
				console.error(e);
				process.exit(1);
			},
		);
	};
	process.on('SIGINT', () => stop('SIGINT'));
	process.on('SIGTERM', () => stop('SIGTERM'));
}

if (require.main === module) {
	main().catch((e) => {
		console.error(e);
		process.exit(1);
	});
}
