// `npm run test:queue`: the package in n8n's queue mode, as users scale out. Redis and PostgreSQL
// (Debian's packages, throw-away instances on loopback), one `n8n start` main, two `n8n worker`s and
// one `n8n webhook` process, each with its own user folder (as on separate machines) and the package
// installed in it; binary data in the database. Checks that the examples, Set Invoice with a real
// file, a burst of OAuth2 runs and the Kapitale Trigger behave there, and that no process logs a
// load problem. Flags: --no-build (npm test has built already).
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

import { checkRecorder } from './lib/checks.mjs';
import { publishPollWorkflow, runQueuePollCheck } from './e2e-poll.mjs';
import { n8nApi, nodeOutput } from './lib/n8n-api.mjs';
import { logTails, showTally, startQueueCluster } from './lib/queue-cluster.mjs';
import {
	cleanStaleRuns,
	ensureServicePackages,
	makeRunDir,
	startPostgres,
	startRedis,
} from './lib/queue-services.mjs';
import {
	BURST_PATH,
	burstWorkflow,
	INVOICE_PATH,
	invoicePdf,
	invoiceWorkflow,
} from './lib/queue-workflows.mjs';
import {
	ensureN8n,
	ensureOwner,
	freePort,
	queueModeEnv,
	rest,
	stopAll,
	tail,
} from './n8n-local.mjs';
import {
	buildPackage,
	control,
	SANDBOX_CREDENTIAL,
	EXAMPLE_IDS,
	EXAMPLES_DIR,
	importFixtures,
	sandboxCredentials,
	say,
	startSandboxProcess,
	WEBHOOK_PATH,
	WEBHOOK_TOKEN,
} from './stack.mjs';

const PACKAGE = 'n8n-nodes-kapitale';
const WORKERS = 2;
const WORKER_CONCURRENCY = 5;
const BURST = 10;
const DELIVERIES = 20;
const STAGE_TIMEOUT_MS = 10 * 60_000;

const services = [];
let processes = {};
let sandbox;
let runDir;
let currentStep = 'setup';
const { check, results } = checkRecorder({
	stopOnFailure: false,
	onStart: (name) => (currentStep = name),
});

// ------------------------------------------------------------------------------------------------
// Cleanup, also on Ctrl-C and on the stage timeout

let cleaning;
function cleanup() {
	cleaning ??= Promise.allSettled([stopAll(), sandbox?.stop()]).then(() =>
		Promise.allSettled(services.map((service) => service.stop())),
	);
	return cleaning;
}

function printLogTails() {
	process.stderr.write(logTails(processes));
	for (const service of services)
		process.stderr.write(
			`\n--- ${service.name} log tail (${service.logFile}) ---\n${tail(service.logFile, 15)}\n`,
		);
}

for (const signal of ['SIGINT', 'SIGTERM']) {
	process.once(signal, () => {
		say(`${signal}: stopping n8n, Redis, PostgreSQL and the sandbox`);
		cleanup().then(() => {
			if (runDir) rmSync(runDir, { recursive: true, force: true });
			process.exit(130);
		});
	});
}
const stageTimer = setTimeout(() => {
	say(
		`✖ the queue-mode stage did not finish within ${STAGE_TIMEOUT_MS / 60_000} min (at: ${currentStep})`,
	);
	printLogTails();
	cleanup().then(() => process.exit(1));
}, STAGE_TIMEOUT_MS);
stageTimer.unref();

// ------------------------------------------------------------------------------------------------

const started = Date.now();
const timings = {};
let failed = false;
try {
	if (!process.argv.includes('--no-build')) {
		say('building the package');
		buildPackage();
	}
	await ensureN8n();
	let t = Date.now();
	cleanStaleRuns();
	const binaries = ensureServicePackages();
	runDir = makeRunDir();
	const [redis, postgres] = await Promise.all([
		startRedis({ runDir, ...binaries }),
		startPostgres({ runDir, ...binaries }),
	]);
	services.push({ name: 'redis', ...redis }, { name: 'postgres', ...postgres });
	sandbox = await startSandboxProcess({ port: await freePort() });
	timings.services = Date.now() - t;

	const env = queueModeEnv({ redis, postgres, encryptionKey: randomBytes(24).toString('hex') });
	t = Date.now();
	currentStep = 'importing the credentials and examples with the CLI';
	await importFixtures({
		sandbox,
		userFolder: path.join(runDir, 'main'),
		cliOptions: { customExtensions: null, communityPackage: true, env },
	});
	await publishPollWorkflow({
		cliOptions: {
			userFolder: path.join(runDir, 'main'),
			customExtensions: null,
			communityPackage: true,
			env,
		},
	});
	timings.import = Date.now() - t;

	t = Date.now();
	currentStep = `starting main, ${WORKERS} workers and the webhook process`;
	const n8n = await startQueueCluster({
		runDir,
		env,
		workers: WORKERS,
		concurrency: WORKER_CONCURRENCY,
	}).catch((error) => {
		processes = error.processes ?? {};
		throw error;
	});
	processes = n8n.processes;
	timings.n8nStart = Date.now() - t;
	const { cookie } = await ensureOwner({ url: n8n.main.url });
	const api = n8nApi({ url: n8n.main.url, cookie });

	await check(
		`queue mode: main, ${WORKERS} workers and a webhook process share Redis and PostgreSQL, binary data in the database`,
		async () => {
			const settings = await api.call('GET', '/rest/settings');
			assert.equal(settings.executionMode, 'queue');
			assert.equal(settings.binaryDataMode, 'database');
			for (const name of n8n.workerNames)
				assert.match(
					readFileSync(processes[name].logFile, 'utf8'),
					/n8n worker is now ready/i,
					`${name} is ready`,
				);
			const types = await rest({ url: n8n.main.url, path: '/types/nodes.json', cookie });
			const names = new Set(types.data.map((type) => type.name));
			for (const node of [
				'kapitaleOrder',
				'kapitaleCompany',
				'kapitaleOrderTrigger',
				'partnerCustomer',
				'partnerOperation',
				'citySearch',
				'bankSearch',
			]) {
				assert.ok(names.has(`${PACKAGE}.${node}`), `${node} is loaded on main`);
			}
			await n8n.waitForWebhook(WEBHOOK_PATH);
			const onMain = await fetch(`${n8n.main.url}/webhook/${WEBHOOK_PATH}`, {
				method: 'POST',
				signal: AbortSignal.timeout(10_000),
			});
			assert.equal(
				onMain.status,
				404,
				'main does not serve production webhooks (the webhook process does)',
			);
			return `executionMode ${settings.executionMode}, binaryDataMode ${settings.binaryDataMode}; /webhook/${WEBHOOK_PATH} served by the webhook process only`;
		},
	);

	const runExample = (file) => api.runManually(EXAMPLE_IDS[file], path.join(EXAMPLES_DIR, file));

	let createdOrders = [];
	await check(
		'example “orders from sheet” runs on a worker; the sandbox holds exactly the orders it reports',
		async () => {
			const before = await control(sandbox, 'GET', '/counts');
			const run = await runExample('kapitale-orders-from-sheet.json');
			assert.equal(
				run.execution.status,
				'success',
				`execution ${run.id}: ${run.data.resultData.error?.message}`,
			);
			const rows = nodeOutput(run.data, 'Spreadsheet rows');
			const orders = nodeOutput(run.data, 'Create order');
			assert.ok(rows.length >= 2);
			assert.equal(
				nodeOutput(run.data, 'Look up retail').length,
				rows.length,
				'one look-up result per row',
			);
			assert.equal(orders.length, rows.length, 'one create result per row');
			assert.equal(
				nodeOutput(run.data, 'Write ids back').length,
				rows.length,
				'every row is written back',
			);
			createdOrders = orders.filter((item) => /^[0-9a-f-]{36}$/.test(String(item.json.id ?? '')));
			assert.ok(createdOrders.length >= 1, 'at least one order was created');
			const after = await control(sandbox, 'GET', '/counts');
			assert.equal(
				after.orders - before.orders,
				createdOrders.length,
				'sandbox orders = orders the workflow reports',
			);
			return `execution ${run.id} on ${n8n.workerOf(run.id)}: ${rows.length} rows → ${createdOrders.length} orders`;
		},
	);

	await check('example “partner customer → operation → status” runs on a worker', async () => {
		const before = await control(sandbox, 'GET', '/counts');
		const run = await runExample('partner-customer-operation.json');
		assert.equal(
			run.execution.status,
			'success',
			`execution ${run.id}: ${run.data.resultData.error?.message}`,
		);
		assert.equal(nodeOutput(run.data, 'Create Customer').length, 1);
		assert.equal(nodeOutput(run.data, 'Create Operation').length, 1);
		assert.equal(nodeOutput(run.data, 'Get Operation Status').length, 1);
		const after = await control(sandbox, 'GET', '/counts');
		assert.equal(after.customers - before.customers, 1, 'one customer more in the sandbox');
		assert.equal(after.operations - before.operations, 1, 'one operation more in the sandbox');
		return `execution ${run.id} on ${n8n.workerOf(run.id)}`;
	});

	const oauth = { ...SANDBOX_CREDENTIAL };
	await check(
		'Set Invoice with a real PDF: received by the webhook process, stored in the database, uploaded by a worker',
		async () => {
			const info = await control(sandbox, 'GET', '/info');
			const orderId = createdOrders[0]?.json.id ?? info.fixtures.orderIdsByStatus.pending[0];
			await control(sandbox, 'POST', `/orders/${orderId}/pending-invoice`);
			const workflowId = await api.createActiveWorkflow(invoiceWorkflow(oauth));
			const pdf = invoicePdf();
			const invoiceNumber = `NF-QUEUE-${Date.now()}`;
			await n8n.waitForWebhook(INVOICE_PATH);
			const response = await n8n.postToWebhook(
				`/webhook/${INVOICE_PATH}?orderId=${orderId}&invoiceNumber=${invoiceNumber}`,
				{
					body: pdf.file,
					headers: { 'content-type': 'application/pdf' },
				},
			);
			assert.equal(
				response.status,
				200,
				`webhook answered ${response.status}: ${await response.text()}`,
			);
			const [execution] = await api.settledExecutions(workflowId, 1, 'the invoice workflow');
			const { data } = await api.executionData(execution.id);
			assert.equal(
				execution.status,
				'success',
				`execution ${execution.id}: ${data.resultData.error?.message}`,
			);
			const received = nodeOutput(data, 'Invoice upload')[0].binary?.data;
			assert.ok(received, 'the webhook node output a binary field "data"');
			assert.match(
				String(received.id),
				/^database:/,
				`binary data stored in the database (id ${received.id})`,
			);
			const out = nodeOutput(data, 'Set Invoice');
			assert.equal(out.length, 1);
			assert.equal(out[0].json.order_status ?? out[0].json.orderStatus, 'invoice_sent');
			const order = await control(sandbox, 'GET', `/orders/${orderId}`);
			assert.equal(order.order_status, 'invoice_sent');
			assert.equal(order.invoice_number, invoiceNumber);
			assert.equal(order.invoice.sha256, pdf.sha256, 'the sandbox received the file byte for byte');
			assert.equal(order.invoice.size, pdf.file.length);
			assert.equal(order.invoice.mimetype, 'application/pdf');
			return `${pdf.file.length} bytes, sha256 matches; execution ${execution.id} on ${n8n.workerOf(execution.id)}`;
		},
	);

	await check(
		`OAuth2 tokens for ${BURST} parallel runs across both workers, then ${BURST} more with the stored token`,
		async () => {
			const plain = sandboxCredentials(sandbox).find(
				(credential) => credential.id === SANDBOX_CREDENTIAL.id,
			);
			const credential = await api.call('POST', '/rest/credentials', {
				name: 'Kapitale Sandbox (burst)',
				type: plain.type,
				data: plain.data,
			});
			const workflowId = await api.createActiveWorkflow(
				burstWorkflow({ id: credential.id, name: credential.name }),
			);
			const fire = async () => {
				const answers = await Promise.all(
					Array.from({ length: BURST }, () =>
						n8n.postToWebhook(`/webhook/${BURST_PATH}`, {
							body: '{}',
							headers: { 'content-type': 'application/json' },
						}),
					),
				);
				for (const answer of answers)
					assert.equal(answer.status, 200, `burst webhook answered ${answer.status}`);
			};
			await n8n.waitForWebhook(BURST_PATH);
			const t0 = await control(sandbox, 'GET', '/counts');
			await fire();
			await api.settledExecutions(workflowId, BURST, 'the first burst');
			const t1 = await control(sandbox, 'GET', '/counts');
			await fire();
			const all = await api.settledExecutions(workflowId, 2 * BURST, 'the second burst');
			const t2 = await control(sandbox, 'GET', '/counts');
			for (const execution of all)
				assert.equal(execution.status, 'success', `execution ${execution.id} ${execution.status}`);
			const tally = n8n.perWorker(all.map((execution) => execution.id));
			for (const [name, n] of Object.entries(tally))
				assert.ok(n > 0, `${name} ran none of the ${all.length} executions`);
			const cold = t1.tokensIssued - t0.tokensIssued;
			const warm = t2.tokensIssued - t1.tokensIssued;
			assert.ok(
				cold >= 1 && cold <= BURST,
				`first burst: ${cold} token requests (expected 1..${BURST}: at most one per execution)`,
			);
			assert.equal(
				warm,
				0,
				'the second burst reuses the token stored in the database (no new token request)',
			);
			return `token requests: ${cold} for the first ${BURST} parallel runs (empty credential), ${warm} for the next ${BURST}; ${showTally(tally)}`;
		},
	);

	const triggerWorkflow = EXAMPLE_IDS['kapitale-order-approved-webhook.json'];
	const destinationId = randomUUID();
	const deliver = (payload) =>
		n8n.postToWebhook(`/webhook/${WEBHOOK_PATH}`, {
			body: JSON.stringify(payload),
			headers: { 'content-type': 'application/json', authorization: `Bearer ${WEBHOOK_TOKEN}` },
		});
	const delivery = (orderId) => ({
		event_type: 'order.approved',
		destination_id: destinationId,
		data: {
			order_id: orderId,
			order_no: 4242,
			status: 'approved',
			payment_status: 'pending',
			requested_amount: 1000,
			occurred_at: new Date().toISOString(),
		},
	});

	await check(
		`Kapitale Trigger via the webhook process: ${DELIVERIES} identical deliveries in parallel start exactly 1 execution`,
		async () => {
			const before = await api.executionsOf(triggerWorkflow);
			const payload = delivery(randomUUID());
			const answers = await Promise.all(Array.from({ length: DELIVERIES }, () => deliver(payload)));
			const bodies = await Promise.all(answers.map((answer) => answer.json().catch(() => ({}))));
			answers.forEach((answer, i) =>
				assert.equal(
					answer.status,
					200,
					`delivery ${i}: HTTP ${answer.status} ${JSON.stringify(bodies[i])}`,
				),
			);
			// A trigger may answer before n8n has stored the execution it starts, so one distinct delivery
			// sent after all answers serves as a barrier: once its execution is there, any the identical
			// ones started are there too.
			const barrier = await deliver(delivery(randomUUID()));
			assert.equal(barrier.status, 200, `the barrier delivery: HTTP ${barrier.status}`);
			const settled = await api.settledExecutions(
				triggerWorkflow,
				before.length + 2,
				'the trigger workflow',
			);
			const known = new Set(before.map((execution) => execution.id));
			const startedNow = settled.filter((execution) => !known.has(execution.id));
			const duplicates = bodies.filter((body) => body.duplicate === true).length;
			const fresh = startedNow.length - 1;
			assert.equal(
				fresh,
				1,
				`${fresh} executions for ${DELIVERIES} identical deliveries (${duplicates} answered as duplicates)`,
			);
			for (const execution of startedNow)
				assert.equal(execution.status, 'success', `execution ${execution.id} ${execution.status}`);
			return `1 execution, ${duplicates} answered {"duplicate": true}; with the barrier delivery ${showTally(n8n.perWorker(startedNow.map((execution) => execution.id)))}`;
		},
	);

	await check(
		`Kapitale Trigger via the webhook process: ${DELIVERIES} distinct deliveries in parallel start ${DELIVERIES} executions`,
		async () => {
			const before = await api.executionsOf(triggerWorkflow);
			const answers = await Promise.all(
				Array.from({ length: DELIVERIES }, () => deliver(delivery(randomUUID()))),
			);
			for (const answer of answers) assert.equal(answer.status, 200, `HTTP ${answer.status}`);
			const bodies = await Promise.all(answers.map((answer) => answer.json().catch(() => ({}))));
			assert.equal(
				bodies.filter((body) => body.duplicate === true).length,
				0,
				'no distinct delivery is taken for a duplicate',
			);
			const settled = await api.settledExecutions(
				triggerWorkflow,
				before.length + DELIVERIES,
				'the trigger workflow',
			);
			const known = new Set(before.map((execution) => execution.id));
			const fresh = settled.filter((execution) => !known.has(execution.id));
			assert.equal(fresh.length, DELIVERIES);
			for (const execution of fresh)
				assert.equal(execution.status, 'success', `execution ${execution.id} ${execution.status}`);
			return `${fresh.length} executions; ${showTally(n8n.perWorker(fresh.map((execution) => execution.id)))}`;
		},
	);

	await runQueuePollCheck({ api, sandbox, check, workerOf: n8n.workerOf });

	await check(
		'no process logs an unrecognized node type or a load error for the package',
		async () => {
			const problems = [];
			for (const [name, proc] of Object.entries(processes)) {
				for (const line of readFileSync(proc.logFile, 'utf8').split('\n')) {
					if (
						/Unrecognized node type|Failed to load|error loading|could not be loaded/i.test(line) ||
						(/kapitale/i.test(line) && /\b(warn|error)\b/i.test(line))
					) {
						problems.push(`${name}: ${line.trim()}`);
					}
				}
			}
			assert.deepEqual(problems, []);
			return `${Object.keys(processes).length} process logs clean`;
		},
	);
} catch (error) {
	failed = true;
	process.stderr.write(
		`\n✖ queue-mode stage stopped at "${currentStep}": ${error.stack ?? error}\n`,
	);
}
failed ||= results.some((entry) => !entry.ok);
if (failed) printLogTails();
await cleanup();
clearTimeout(stageTimer);
if (runDir && !failed) rmSync(runDir, { recursive: true, force: true });
else if (runDir) say(`logs and data kept in ${runDir} (the next run removes them)`);

const passed = results.filter((entry) => entry.ok).length;
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;
const parts = [
	timings.services && `Redis, PostgreSQL, sandbox ${secs(timings.services)}`,
	timings.import && `fixtures ${secs(timings.import)}`,
	timings.n8nStart && `${WORKERS + 2} n8n processes ${secs(timings.n8nStart)}`,
].filter(Boolean);
process.stdout.write(
	`\nqueue mode in n8n 2.41.1: ${((Date.now() - started) / 1000).toFixed(0)} s (${parts.join(', ')})\n${passed} passed, ${results.length - passed} failed\n`,
);
process.exit(failed ? 1 : 0);
