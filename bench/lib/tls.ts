import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface BenchTls {
	dir: string;
	caFile: string;
	key: string;
	cert: string;
}

/**
 * A throwaway CA and a server certificate for 127.0.0.1/localhost, made with the openssl CLI.
 * Reused while the files exist (they live in the git-ignored bench-results/ folder).
 */
export function ensureTls(dir: string): BenchTls {
	mkdirSync(dir, { recursive: true });
	const file = (name: string) => path.join(dir, name);
	if (
		!existsSync(file('server.crt')) ||
		!existsSync(file('ca.crt')) ||
		!existsSync(file('server.key'))
	) {
		const run = (...args: string[]) =>
			execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
		run(
			'req',
			'-x509',
			'-newkey',
			'rsa:2048',
			'-nodes',
			'-keyout',
			'ca.key',
			'-out',
			'ca.crt',
			'-days',
			'30',
			'-subj',
			'/CN=kapitale-bench throwaway CA',
			'-addext',
			'basicConstraints=critical,CA:TRUE',
			'-addext',
			'keyUsage=critical,keyCertSign,cRLSign',
		);
		run(
			'req',
			'-newkey',
			'rsa:2048',
			'-nodes',
			'-keyout',
			'server.key',
			'-out',
			'server.csr',
			'-subj',
			'/CN=127.0.0.1',
		);
		writeFileSync(
			file('server.ext'),
			'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n',
		);
		run(
			'x509',
			'-req',
			'-in',
			'server.csr',
			'-CA',
			'ca.crt',
			'-CAkey',
			'ca.key',
			'-CAcreateserial',
			'-out',
			'server.crt',
			'-days',
			'30',
			'-extfile',
			'server.ext',
		);
	}
	return {
		dir,
		caFile: file('ca.crt'),
		key: readFileSync(file('server.key'), 'utf8'),
		cert: readFileSync(file('server.crt'), 'utf8'),
	};
}
