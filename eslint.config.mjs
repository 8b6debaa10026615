import { config } from '@n8n/node-cli/eslint';
import { globalIgnores } from 'eslint/config';

// n8n Cloud's rules apply to what ships: nodes/, credentials/ and package.json. The sandbox,
// tests, scripts and benchmarks never ship; `npm run lint` checks them with eslint.dev.config.mjs.
export default [
	globalIgnores([
		'sandbox/**',
		'test/**',
		'scripts/**',
		'bench/**',
		'examples/**',
		'*.js',
		'*.mjs',
		'.n8n-local/**',
	]),
	...config,
];
