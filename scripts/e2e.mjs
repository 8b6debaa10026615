// `npm run test:e2e`: the package inside a real n8n 2.41.1. Imports the sandbox credentials and the
// example workflows with n8n's CLI, runs each non-trigger example with `n8n execute` and checks its
// items, sends the same rows through three ways of mapping fields (scripts/e2e-mapping.mjs), then
// starts n8n and proves the webhook trigger with real deliveries (scripts/e2e-trigger.mjs), checks
// that the nodes load cleanly (with their AI-tool variants), and drives the editor in Chromium. Prints the n8n log tail on failure.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

import {
	ensureN8n,
	ensureOwner,
	freePort,
	LOCAL_DIR,
	n8nCli,
	parseCliJson,
	PROJECT_DIR,
	rest,
	startN8n,
	stopAll,
	tail,
} from './n8n-local.mjs';
import {
	buildPackage,
	control,
	SANDBOX_CREDENTIAL,
	EXAMPLE_IDS,
	importFixtures,
	say,
	startSandboxProcess,
} from './stack.mjs';
import { runBoundsCheck, startBoundsApi } from './e2e-bounds.mjs';
import { runMappingCheck } from './e2e-mapping.mjs';
import { checkRecorder } from './lib/checks.mjs';
import { runTriggerChecks } from './e2e-trigger.mjs';
import { runMcpChecks } from './e2e-mcp.mjs';
import { runConsoleChecks } from './e2e-console.mjs';
import { publishPollWorkflow, runPollChecks } from './e2e-poll.mjs';

const PACKAGE = 'n8n-nodes-kapitale';
// E2E_ONLY=trigger: import the fixtures, start n8n and run only the Kapitale Trigger checks.
const onlyTrigger = process.env.E2E_ONLY === 'trigger';
const { check, results } = checkRecorder({ stopOnFailure: true });
let n8n;
let sandbox;
mkdirSync(LOCAL_DIR, { recursive: true });
const userFolder = mkdtempSync(path.join(LOCAL_DIR, 'e2e-'));
const cliOptions = { userFolder, customExtensions: null, communityPackage: true };

function nodeOutput(run, nodeName) {
	const task = run.data.resultData.runData[nodeName]?.[0];
	assert.ok(task, `node "${nodeName}" did not run`);
	return task.data?.main?.[0] ?? [];
}

async function executeExample(file) {
	const { stdout } = await n8nCli(
		['execute', `--id=${EXAMPLE_IDS[file]}`, '--rawOutput'],
		cliOptions,
	);
	return parseCliJson(stdout);
}

const started = Date.now();
let failed = false;
try {
	say('building the package');
	buildPackage();
	say('checking the local n8n install');
	await ensureN8n();
	sandbox = await startSandboxProcess({
		port: await freePort(),
		extraArgs: ['--webhook-retry-delays', '200,500,1000'],
	});

	await check('credentials and example workflows import with n8n’s CLI', async () => {
		await importFixtures({ sandbox, userFolder, cliOptions });
		const { stdout } = await n8nCli(['export:credentials', '--all', '--decrypted'], cliOptions);
		const credentials = parseCliJson(stdout);
		const ours = credentials.filter((credential) => credential.type === 'kapitaleApi');
		assert.deepEqual(
			ours.map((credential) => credential.id),
			[SANDBOX_CREDENTIAL.id],
			'one sandbox credential',
		);
		const { data } = ours[0];
		assert.equal(data.tokenUrl, sandbox.tokenUrl);
		assert.ok(data.clientId && data.bearerToken, 'it holds both APIs’ parts');
		const stored = readFileSync(path.join(userFolder, '.n8n', 'database.sqlite'));
		assert.ok(
			!stored.includes(Buffer.from(sandbox.credentials.clientSecret)),
			'the client secret is stored in clear text',
		);
		return `${credentials.length} credential (both parts), ${Object.keys(EXAMPLE_IDS).length} workflows; secrets encrypted at rest`;
	});

	if (!onlyTrigger)
		await check('example “orders from sheet” runs with n8n execute', async () => {
			const before = await control(sandbox, 'GET', '/counts');
			const run = await executeExample('kapitale-orders-from-sheet.json');
			const rows = nodeOutput(run, 'Spreadsheet rows');
			const retails = nodeOutput(run, 'Look up retail');
			const orders = nodeOutput(run, 'Create order');
			const written = nodeOutput(run, 'Write ids back');
			assert.ok(rows.length >= 2, 'the example has at least two rows');
			assert.equal(retails.length, rows.length, 'one look-up result per row');
			assert.equal(orders.length, rows.length, 'one create result (order or error) per row');
			assert.equal(written.length, rows.length, 'every row is written back');
			const created = orders.filter((item) => /^[0-9a-f-]{36}$/.test(String(item.json.id ?? '')));
			assert.ok(created.length >= 1, 'at least one order was created');
			for (const item of created)
				assert.equal(item.json.order_status ?? item.json.orderStatus, 'pending');
			const after = await control(sandbox, 'GET', '/counts');
			assert.equal(
				after.orders - before.orders,
				created.length,
				'the sandbox holds exactly the orders the workflow reports',
			);
			return `${rows.length} rows → ${created.length} orders created, ${rows.length - created.length} reported as errors`;
		});

	if (!onlyTrigger)
		await check(
			'example “partner customer → operation → status” runs with n8n execute',
			async () => {
				const before = await control(sandbox, 'GET', '/counts');
				const run = await executeExample('partner-customer-operation.json');
				const customers = nodeOutput(run, 'Create Customer');
				const operations = nodeOutput(run, 'Create Operation');
				const status = nodeOutput(run, 'Get Operation Status');
				assert.equal(customers.length, 1);
				assert.equal(operations.length, 1);
				assert.equal(status.length, 1);
				assert.match(
					String(customers[0].json.id ?? customers[0].json.customerId ?? ''),
					/^[a-z0-9]{10}$/,
				);
				assert.ok(
					String(status[0].json.slug ?? status[0].json.statusSlug ?? status[0].json.status ?? '')
						.length > 0,
					'a status is reported',
				);
				const after = await control(sandbox, 'GET', '/counts');
				assert.equal(after.customers - before.customers, 1);
				assert.equal(after.operations - before.operations, 1);
				return `status ${JSON.stringify(status[0].json)}`;
			},
		);

	if (!onlyTrigger)
		await check(
			'mapped fields: plain {{ $json.x }}, evaluated expressions and automatic mode send the same orders',
			async () => await runMappingCheck({ cliOptions }),
		);

	await publishPollWorkflow({ cliOptions });

	say('starting n8n');
	n8n = await startN8n({
		port: await freePort(),
		userFolder,
		customExtensions: null,
		communityPackage: true,
	});
	const owner = await ensureOwner({ url: n8n.url });
	let cookie = owner.cookie;

	await check(
		'the nodes and the credential load without warnings, each node also as an AI tool',
		async () => {
			const log = readFileSync(n8n.logFile, 'utf8');
			const problems = log
				.split('\n')
				.filter((line) => /kapitale/i.test(line) && /(warn|error|fail)/i.test(line));
			assert.deepEqual(problems, [], 'n8n logged problems about the package');
			const types = await rest({ url: n8n.url, path: '/types/nodes.json', cookie });
			assert.equal(types.status, 200, `GET /types/nodes.json: ${types.status}`);
			const names = new Set(types.data.map((type) => type.name));
			const actionNodes = [
				'kapitaleOrder',
				'kapitaleCompany',
				'partnerCustomer',
				'partnerOperation',
				'citySearch',
				'bankSearch',
			];
			for (const node of [...actionNodes, 'kapitaleOrderTrigger'])
				assert.ok(names.has(`${PACKAGE}.${node}`), `${node} is loaded`);
			for (const node of actionNodes)
				assert.ok(names.has(`${PACKAGE}.${node}Tool`), `${node} has an AI tool variant`);
			assert.ok(
				!names.has(`${PACKAGE}.kapitaleOrderTriggerTool`),
				'the trigger has no tool variant',
			);
			const credentials = await rest({ url: n8n.url, path: '/types/credentials.json', cookie });
			assert.ok(
				credentials.data.some((type) => type.name === 'kapitaleApi'),
				'kapitaleApi credential type is loaded',
			);
			return `${actionNodes.length + 1} nodes, ${actionNodes.length} tool variants`;
		},
	);

	// Restarts n8n on the same database; `whileDown` runs while it is stopped.
	const restartN8n = async (whileDown) => {
		await n8n.stop();
		await whileDown?.();
		n8n = await startN8n({
			port: await freePort(),
			userFolder,
			customExtensions: null,
			communityPackage: true,
		});
		cookie = (await ensureOwner({ url: n8n.url })).cookie;
		return { url: n8n.url, cookie };
	};
	await runTriggerChecks({ url: n8n.url, cookie, sandbox, check, restart: restartN8n });
	if (!onlyTrigger)
		await runPollChecks({ url: n8n.url, cookie, sandbox, check, restart: restartN8n });

	await check(
		'issue 20: Get Many against totalPages 1e9 in a running n8n; n8n stays up',
		async () => {
			const api = await startBoundsApi();
			try {
				return await runBoundsCheck({ url: n8n.url, cookie, api });
			} finally {
				await api.stop();
			}
		},
	);

	await runMcpChecks({ url: n8n.url, cookie, sandbox, check });

	if (process.env.SKIP_BROWSER !== '1' && !onlyTrigger)
		await runConsoleChecks({ url: n8n.url, cookie, sandbox, check });
	if (process.env.SKIP_BROWSER !== '1' && !onlyTrigger) {
		await check(
			'browser: editor, operations, list search and credential test in Chromium',
			async () => {
				const browser = await import('./e2e-browser.mjs');
				await browser.ensureChromium();
				const outcome = await browser.runBrowserChecks({
					url: n8n.url,
					email: owner.email,
					password: owner.password,
					workflowId: EXAMPLE_IDS['kapitale-orders-from-sheet.json'],
					credentialId: SANDBOX_CREDENTIAL.id,
					screenshotsDir: path.join(PROJECT_DIR, 'screenshots'),
				});
				return outcome.checks.map((entry) => entry.name).join('; ');
			},
		);
	}
} catch (error) {
	failed = true;
	process.stderr.write(`\n${error.stack ?? error}\n`);
	if (n8n?.logFile && existsSync(n8n.logFile))
		process.stderr.write(`\n--- n8n log tail (${n8n.logFile}) ---\n${tail(n8n.logFile, 80)}\n`);
} finally {
	await Promise.allSettled([stopAll(), sandbox?.stop()]);
	if (!failed) rmSync(userFolder, { recursive: true, force: true });
}
const passed = results.filter((entry) => entry.ok).length;
process.stdout.write(
	`\ne2e in n8n 2.41.1: ${((Date.now() - started) / 1000).toFixed(0)} s\n${passed} passed, ${results.length - passed} failed\n`,
);
process.exit(failed ? 1 : 0);
