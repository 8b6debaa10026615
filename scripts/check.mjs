// `npm test`: everything a change must pass, in the order a failure is cheapest to find.
// Set SKIP_E2E=1 to leave out the real-n8n stage (it installs n8n on first use).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const steps = [
	['build', 'npm', ['run', '--silent', 'build']],
	['type-check', 'npx', ['tsc', '-p', 'tsconfig.dev.json']],
	['lint', 'npm', ['run', '--silent', 'lint']],
	['scan', 'npm', ['run', '--silent', 'scan']],
	['tests', 'npx', ['jest', '--ci']],
];
if (process.env.SKIP_E2E !== '1' && existsSync(path.join(root, 'scripts', 'e2e.mjs'))) {
	steps.push(['e2e in a real n8n', 'npm', ['run', '--silent', 'test:e2e']]);
	// A tiny benchmark run: proves the bench still works and our node mints one token per run.
	steps.push(['benchmark smoke run', 'npm', ['run', '--silent', 'bench', '--', '--smoke']]);
}

for (const [name, command, args] of steps) {
	const started = Date.now();
	console.log(`\n▶ ${name}`);
	const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: process.env });
	const seconds = ((Date.now() - started) / 1000).toFixed(1);
	if (result.status !== 0) {
		console.error(`✖ ${name} failed after ${seconds} s`);
		process.exit(result.status ?? 1);
	}
	console.log(`✔ ${name} (${seconds} s)`);
}
