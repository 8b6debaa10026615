// `npm test`: everything a change must pass, in the order a failure is cheapest to find.
// Set SKIP_E2E=1 to leave out the real-n8n stages (they install n8n on first use), SKIP_QUEUE=1 to
// leave out only the queue-mode one (it installs Redis and PostgreSQL with apt-get when missing).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const steps = [
	['build', 'npm', ['run', '--silent', 'build']],
	['type-check', 'npx', ['tsc', '-p', 'tsconfig.dev.json']],
	['lint', 'npm', ['run', '--silent', 'lint']],
	['scan', 'npm', ['run', '--silent', 'scan']],
	['tests', 'npx', ['jest', '--ci', '--json', '--outputFile=test-results/jest.json']],
];
if (process.env.SKIP_E2E !== '1' && existsSync(path.join(root, 'scripts', 'e2e.mjs'))) {
	steps.push(['e2e in a real n8n', 'npm', ['run', '--silent', 'test:e2e']]);
	// The same package in n8n's queue mode: Redis, PostgreSQL, main + 2 workers + webhook process.
	if (process.env.SKIP_QUEUE !== '1')
		steps.push([
			'queue mode in a real n8n',
			'npm',
			['run', '--silent', 'test:queue', '--', '--no-build'],
		]);
	// A tiny benchmark run: proves the bench still works and our node mints one token per run.
	steps.push(['benchmark smoke run', 'npm', ['run', '--silent', 'bench', '--', '--smoke']]);
}

mkdirSync(path.join(root, 'test-results'), { recursive: true });
const counts = { passed: 0, failed: 0 };
for (const [name, command, args] of steps) {
	const started = Date.now();
	console.log(`\n▶ ${name}`);
	const captureCounts = name === 'e2e in a real n8n' || name === 'queue mode in a real n8n';
	const result = spawnSync(command, args, {
		cwd: root,
		stdio: ['inherit', captureCounts ? 'pipe' : 'inherit', 'inherit'],
		env: process.env,
		encoding: 'utf8',
	});
	if (captureCounts) {
		process.stdout.write(result.stdout ?? '');
		const line = /^(\d+) passed, (\d+) failed$/m.exec(result.stdout ?? '');
		if (line) {
			counts.passed += Number(line[1]);
			counts.failed += Number(line[2]);
		}
	}
	if (name === 'tests' && existsSync(path.join(root, 'test-results', 'jest.json'))) {
		const jest = JSON.parse(readFileSync(path.join(root, 'test-results', 'jest.json'), 'utf8'));
		counts.passed += jest.numPassedTests;
		counts.failed += jest.numFailedTests;
	}
	const seconds = ((Date.now() - started) / 1000).toFixed(1);
	if (result.status !== 0) {
		console.error(`✖ ${name} failed after ${seconds} s`);
		console.log(`\nall: ${counts.passed} passed, ${Math.max(1, counts.failed)} failed`);
		process.exit(result.status ?? 1);
	}
	console.log(`✔ ${name} (${seconds} s)`);
}
console.log(`\nall: ${counts.passed} passed, ${counts.failed} failed`);
