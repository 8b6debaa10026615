/**
 * Run in its own process by bounds-memory.test.ts: one Kapitale Order operation through n8n-core's
 * WorkflowExecute against the misbehaving server at argv[2], then one JSON line with the error
 * and the peak RSS of this process (so the figure is the node's, not the test runner's).
 */
import { engineWith, clientCredentialsAt } from './hostile';

async function main() {
	const [url, operation] = process.argv.slice(2);
	const engine = engineWith(
		clientCredentialsAt(
			{ url } as Parameters<typeof clientCredentialsAt>[0],
			'client-m',
			'MEM-SECRET',
		),
	);
	const parameters =
		operation === 'getAll'
			? { resource: 'order', operation: 'getAll', returnAll: true, simplify: false }
			: {
					resource: 'order',
					operation: 'get',
					orderId: { __rl: true, mode: 'id', value: '550e8400-e29b-41d4-a716-446655440000' },
				};
	const run = await engine.runNode({ type: 'kapitaleOrder', parameters });
	process.stdout.write(
		`${JSON.stringify({
			error: run.error?.message ?? null,
			items: run.items.length,
			maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
		})}\n`,
	);
}

void main().then(
	() => process.exit(0),
	(error: unknown) => {
		process.stderr.write(String(error));
		process.exit(1);
	},
);
