// Runs n8n's community package scanner offline: on the source (package.json, nodes/,
// credentials/) as the provenance leg does, and on the packed tarball as n8n would receive it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import {
	analyzePackage,
	SOURCE_FILE_PATTERNS,
} from '@n8n/scan-community-package/scanner/scanner.mjs';

const root = path.resolve(import.meta.dirname, '..');
const work = mkdtempSync(path.join(tmpdir(), 'kapitale-scan-'));
let failed = false;
try {
	const source = await analyzePackage(root, SOURCE_FILE_PATTERNS);
	report('source', source);

	execFileSync('npm', ['pack', '--silent', '--pack-destination', work], {
		cwd: root,
		stdio: ['ignore', 'ignore', 'inherit'],
	});
	const tarball = readdirSync(work).find((file) => file.endsWith('.tgz'));
	const unpacked = path.join(work, 'package');
	execFileSync('tar', ['-xzf', path.join(work, tarball), '-C', work]);
	const packed = await analyzePackage(unpacked);
	report(`tarball ${tarball}`, packed);
} finally {
	rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);

function report(what, result) {
	if (result.passed) {
		console.log(`scan ${what}: passed${result.message ? ` (${result.message})` : ''}`);
		return;
	}
	failed = true;
	console.error(`scan ${what}: FAILED – ${result.message}`);
	if (result.details) console.error(result.details);
}
