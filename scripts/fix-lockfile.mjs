// This registry serves only the Linux builds of unrs-resolver's platform packages (a dependency
// of n8n's lint tooling); `npm install` then leaves the others out of package-lock.json and a
// later `npm ci` refuses the lock as out of sync. Run this after `npm install` to add lock entries
// for them: npm ci skips them by their os/cpu, as it would with a complete registry.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const file = path.resolve(import.meta.dirname, '..', 'package-lock.json');
const lock = JSON.parse(readFileSync(file, 'utf8'));
const packages = lock.packages;
let added = 0;
for (const [key, entry] of Object.entries(packages)) {
	for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
		const target = `node_modules/${name}`;
		const binding = /resolver-binding-([a-z0-9]+)-([a-z0-9]+)(?:-([a-z]+))?$/.exec(name);
		if (packages[target] || !binding) continue;
		const [, os, cpu, libc] = binding;
		packages[target] = {
			version,
			cpu: [cpu],
			dev: entry.dev ?? true,
			license: 'MIT',
			optional: true,
			os: [os],
		};
		if (libc && libc !== 'msvc')
			packages[target].libc = [libc.startsWith('musl') ? 'musl' : 'glibc'];
		added++;
	}
	void key;
}
lock.packages = Object.fromEntries(
	Object.entries(packages).sort(([a], [b]) =>
		a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0,
	),
);
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`package-lock.json: ${added} platform-package entries added`);
