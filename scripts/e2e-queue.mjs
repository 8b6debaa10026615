// `npm run test:queue`: the package in n8n's queue mode, as users scale out. Redis and PostgreSQL
// (Debian's packages, throw-away instances on loopback), one `n8n start` main, two `n8n worker`s and
// one `n8n webhook` process, each with its own user folder (as on separate machines) and the package
// installed in it; binary data in the database. Checks that the examples, Set Invoice with a real
// file, a burst of OAuth2 runs and the Kapitale Trigger behave there, and that no process logs a
// load problem. Flags: --no-build (npm test has built already).
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { cleanStaleRuns, ensureServicePackages, makeRunDir, startPostgres, startRedis } from './lib/queue-services.mjs';
import { BURST_PATH, burstWorkflow, INVOICE_PATH, invoicePdf, invoiceWorkflow } from './lib/queue-workflows.mjs';
import { ensureN8n, ensureOwner, freePort, LOCAL_DIR, queueModeEnv, rest, startN8n, stopAll, tail } from './n8n-local.mjs';
import {
	buildPackage,
	control,
	CREDENTIAL_IDS,
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
const WORKER_CONCURRENCY = 5;
const BURST = 10;
const DELIVERIES = 20;
const STAGE_TIMEOUT_MS = 10 * 60_000;
const DESTINATION_ID = randomUUID();

const results = [];
const services = [];
const processes = {};
let sandbox;
let runDir;
let currentStep = 'setup';

async function check(name, body) {
	const started = Date.now();
	currentStep = name;
	try {
		const detail = await body();
		results.push({ name, ok: true, ms: Date.now() - started });
		say(`✔ ${name}${detail ? ` – ${detail}` : ''}`);
	} catch (error) {
		results.push({ name, ok: false, ms: Date.now() - started, error });
		say(`✖ ${name}: ${error.message}`);
	}
}

async function waitFor(description, probe, timeoutMs = 90_000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value) return value;
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${description}`);
		await sleep(400);
	}
}

// ------------------------------------------------------------------------------------------------
// n8n REST helpers (on the main process)

let cookie;
const main = () => processes.main;

async function api(method, urlPath, body) {
	const response = await rest({ url: main().url, path: urlPath, method, body, cookie });
	assert.ok(response.status >= 200 && response.status < 300, `${method} ${urlPath}: HTTP ${response.status} ${response.text.slice(0, 300)}`);
	return response.data;
}

async function executionsOf(workflowId) {
	const filter = encodeURIComponent(JSON.stringify({ workflowId }));
	const data = await api('GET', `/rest/executions?filter=${filter}&limit=100`);
	return data.results ?? data;
}

const FINISHED = new Set(['success', 'error', 'crashed', 'canceled']);

/** Waits until the workflow has `count` executions, all finished; returns them. */
async function settledExecutions(workflowId, count, description) {
	return await waitFor(`${count} finished executions of ${description}`, async () => {
		const list = await executionsOf(workflowId);
		return list.length >= count && list.every((execution) => FINISHED.has(execution.status)) ? list : undefined;
	});
}

let flatted;
async function executionData(id) {
	const execution = await api('GET', `/rest/executions/${id}`);
	flatted ??= createRequire(path.join(LOCAL_DIR, 'node_modules', 'n8n', 'package.json'))('flatted');
	return { execution, data: typeof execution.data === 'string' ? flatted.parse(execution.data) : execution.data };
}

function nodeOutput(data, nodeName) {
	const task = data.resultData.runData[nodeName]?.[0];
	assert.ok(task, `node "${nodeName}" did not run${data.resultData.error ? `: ${data.resultData.error.message}` : ''}`);
	return task.data?.main?.[0] ?? [];
}

async function createActiveWorkflow(workflow) {
	const created = await api('POST', '/rest/workflows', { ...workflow, active: false });
	await api('POST', `/rest/workflows/${created.id}/activate`, { versionId: created.versionId });
	return created.id;
}

// ------------------------------------------------------------------------------------------------
// Which process ran an execution: a worker logs "Worker started execution <id> (job <n>)".

const workerNames = () => Object.keys(processes).filter((name) => name.startsWith('worker'));

function workerOf(executionId) {
	const marker = `Worker started execution ${executionId} (`;
	const found = workerNames().filter((name) => readFileSync(processes[name].logFile, 'utf8').includes(marker));
	assert.equal(found.length, 1, `execution ${executionId} started on ${found.length ? found.join(' and ') : 'no worker'}`);
	return found[0];
}

function perWorker(executionIds) {
	const tally = Object.fromEntries(workerNames().map((name) => [name, 0]));
	for (const id of executionIds) tally[workerOf(id)]++;
	return tally;
}

const showTally = (tally) => Object.entries(tally).map(([name, n]) => `${name} ${n}`).join(', ');

async function runManually(file) {
	const workflow = JSON.parse(readFileSync(path.join(EXAMPLES_DIR, file), 'utf8'));
	const trigger = workflow.nodes.find((node) => node.type === 'n8n-nodes-base.manualTrigger');
	assert.ok(trigger, `${file} has a manual trigger`);
	const started = await api('POST', `/rest/workflows/${EXAMPLE_IDS[file]}/run`, { triggerToStartFrom: { name: trigger.name } });
	assert.ok(started.executionId, `the run was not started: ${JSON.stringify(started)}`);
	await waitFor(`execution ${started.executionId} of ${file}`, async () => {
		const list = await executionsOf(EXAMPLE_IDS[file]);
		return FINISHED.has(list.find((execution) => String(execution.id) === String(started.executionId))?.status);
	});
	const { execution, data } = await executionData(started.executionId);
	return { id: String(started.executionId), execution, data, worker: workerOf(started.executionId) };
}

/**
 * Waits until the webhook process serves a new production webhook: until then a GET answers
 * "not registered"; afterwards it names the method the path is registered for.
 */
async function waitForWebhook(webhookPath) {
	await waitFor(`the webhook process to serve /webhook/${webhookPath}`, async () => {
		const res = await fetch(`${processes.webhook.url}/webhook/${webhookPath}`);
		return /make a POST request/.test(await res.text());
	});
}

function postTo(target, urlPath, { body, headers = {} }) {
	return fetch(`${target.url}${urlPath}`, { method: 'POST', headers, body, signal: AbortSignal.timeout(60_000) }).catch((error) => {
		throw new Error(`POST ${target.label} ${urlPath}: ${error.message}`);
	});
}

// ------------------------------------------------------------------------------------------------
// Cleanup, also on Ctrl-C and on the stage timeout

let cleaning;
function cleanup() {
	cleaning ??= Promise.allSettled([stopAll(), sandbox?.stop()]).then(() => Promise.allSettled(services.map((service) => service.stop())));
	return cleaning;
}

function printLogTails() {
	for (const [name, proc] of Object.entries(processes)) {
		if (existsSync(proc.logFile)) process.stderr.write(`\n--- ${name} log tail (${proc.logFile}) ---\n${tail(proc.logFile, 40)}\n`);
	}
	for (const service of services) process.stderr.write(`\n--- ${service.name} log tail (${service.logFile}) ---\n${tail(service.logFile, 15)}\n`);
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
	say(`✖ the queue-mode stage did not finish within ${STAGE_TIMEOUT_MS / 60_000} min (at: ${currentStep})`);
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
	const [redis, postgres] = await Promise.all([startRedis({ runDir, ...binaries }), startPostgres({ runDir, ...binaries })]);
	services.push({ name: 'redis', ...redis }, { name: 'postgres', ...postgres });
	sandbox = await startSandboxProcess({ port: await freePort() });
	timings.services = Date.now() - t;

	const env = queueModeEnv({ redis, postgres, encryptionKey: randomBytes(24).toString('hex') });
	const folder = (name) => path.join(runDir, name);
	// Each process has its own user folder with the package installed in it, as on separate machines.
	const common = { customExtensions: null, communityPackage: true, env };
	const own = (name) => ({ userFolder: folder(name), logFile: path.join(runDir, `${name}.log`) });

	t = Date.now();
	await importFixtures({ sandbox, userFolder: folder('main'), cliOptions: common });
	timings.import = Date.now() - t;

	t = Date.now();
	currentStep = 'starting main, 2 workers and the webhook process';
	const starts = {
		// Production webhooks only on the webhook process, as n8n recommends for queue mode.
		main: startN8n({ ...common, ...own('main'), port: 0, env: { ...env, N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true' } }),
		'worker-1': startN8n({ ...common, ...own('worker-1'), command: 'worker', args: [`--concurrency=${WORKER_CONCURRENCY}`], port: 0 }),
		'worker-2': startN8n({ ...common, ...own('worker-2'), command: 'worker', args: [`--concurrency=${WORKER_CONCURRENCY}`], port: 0 }),
		webhook: startN8n({ ...common, ...own('webhook'), command: 'webhook', port: 0 }),
	};
	const outcomes = await Promise.allSettled(Object.values(starts));
	Object.keys(starts).forEach((name, i) => {
		if (outcomes[i].status === 'fulfilled') processes[name] = outcomes[i].value;
	});
	const startFailure = outcomes.find((outcome) => outcome.status === 'rejected');
	if (startFailure) throw startFailure.reason;
	timings.n8nStart = Date.now() - t;
	cookie = (await ensureOwner({ url: main().url })).cookie;

	await check('queue mode: main, 2 workers and a webhook process share Redis and PostgreSQL, binary data in the database', async () => {
		const settings = await api('GET', '/rest/settings');
		assert.equal(settings.executionMode, 'queue');
		assert.equal(settings.binaryDataMode, 'database');
		for (const name of workerNames()) assert.match(readFileSync(processes[name].logFile, 'utf8'), /n8n worker is now ready/i, `${name} is ready`);
		const types = await rest({ url: main().url, path: '/types/nodes.json', cookie });
		const names = new Set(types.data.map((type) => type.name));
		for (const node of ['kapitaleOrder', 'kapitaleCompany', 'kapitaleTrigger', 'partnerCustomer', 'partnerOperation', 'citySearch', 'bankSearch']) {
			assert.ok(names.has(`${PACKAGE}.${node}`), `${node} is loaded on main`);
		}
		return `executionMode ${settings.executionMode}, binaryDataMode ${settings.binaryDataMode}`;
	});

	let createdOrders = [];
	await check('example “orders from sheet” runs on a worker; the sandbox holds exactly the orders it reports', async () => {
		const before = await control(sandbox, 'GET', '/counts');
		const run = await runManually('kapitale-orders-from-sheet.json');
		assert.equal(run.execution.status, 'success', `execution ${run.id}: ${run.data.resultData.error?.message}`);
		const rows = nodeOutput(run.data, 'Spreadsheet rows');
		const orders = nodeOutput(run.data, 'Create order');
		assert.ok(rows.length >= 2);
		assert.equal(nodeOutput(run.data, 'Look up retail').length, rows.length, 'one look-up result per row');
		assert.equal(orders.length, rows.length, 'one create result per row');
		assert.equal(nodeOutput(run.data, 'Write ids back').length, rows.length, 'every row is written back');
		createdOrders = orders.filter((item) => /^[0-9a-f-]{36}$/.test(String(item.json.id ?? '')));
		assert.ok(createdOrders.length >= 1, 'at least one order was created');
		const after = await control(sandbox, 'GET', '/counts');
		assert.equal(after.orders - before.orders, createdOrders.length, 'sandbox orders = orders the workflow reports');
		return `execution ${run.id} on ${run.worker}: ${rows.length} rows → ${createdOrders.length} orders`;
	});

	await check('example “partner customer → operation → status” runs on a worker', async () => {
		const before = await control(sandbox, 'GET', '/counts');
		const run = await runManually('partner-customer-operation.json');
		assert.equal(run.execution.status, 'success', `execution ${run.id}: ${run.data.resultData.error?.message}`);
		assert.equal(nodeOutput(run.data, 'Create Customer').length, 1);
		assert.equal(nodeOutput(run.data, 'Create Operation').length, 1);
		assert.equal(nodeOutput(run.data, 'Get Operation Status').length, 1);
		const after = await control(sandbox, 'GET', '/counts');
		assert.equal(after.customers - before.customers, 1, 'one customer more in the sandbox');
		assert.equal(after.operations - before.operations, 1, 'one operation more in the sandbox');
		return `execution ${run.id} on ${run.worker}`;
	});

	const oauth = { id: CREDENTIAL_IDS.oauth, name: 'Kapitale Sandbox (OAuth2)' };
	await check('Set Invoice with a real PDF: received by the webhook process, stored in the database, uploaded by a worker', async () => {
		const info = await control(sandbox, 'GET', '/info');
		const orderId = createdOrders[0]?.json.id ?? info.fixtures.orderIdsByStatus.pending[0];
		await control(sandbox, 'POST', `/orders/${orderId}/pending-invoice`);
		const workflowId = await createActiveWorkflow(invoiceWorkflow(oauth));
		const pdf = invoicePdf();
		const invoiceNumber = `NF-QUEUE-${Date.now()}`;
		const query = `?orderId=${orderId}&invoiceNumber=${invoiceNumber}`;
		await waitForWebhook(INVOICE_PATH);
		const response = await postTo(processes.webhook, `/webhook/${INVOICE_PATH}${query}`, { body: pdf.file, headers: { 'content-type': 'application/pdf' } });
		assert.equal(response.status, 200, `webhook answered ${response.status}: ${await response.text()}`);
		const [execution] = await settledExecutions(workflowId, 1, 'the invoice workflow');
		const { data } = await executionData(execution.id);
		assert.equal(execution.status, 'success', `execution ${execution.id}: ${data.resultData.error?.message}`);
		const received = nodeOutput(data, 'Invoice upload')[0].binary?.data;
		assert.ok(received, 'the webhook node output a binary field "data"');
		assert.match(String(received.id), /^database:/, `binary data stored in the database (id ${received.id})`);
		const out = nodeOutput(data, 'Set Invoice');
		assert.equal(out.length, 1);
		assert.equal(out[0].json.order_status ?? out[0].json.orderStatus, 'invoice_sent');
		const order = await control(sandbox, 'GET', `/orders/${orderId}`);
		assert.equal(order.order_status, 'invoice_sent');
		assert.equal(order.invoice_number, invoiceNumber);
		assert.equal(order.invoice.sha256, pdf.sha256, 'the sandbox received the file byte for byte');
		assert.equal(order.invoice.size, pdf.file.length);
		assert.equal(order.invoice.mimetype, 'application/pdf');
		return `${pdf.file.length} bytes, sha256 matches; execution ${execution.id} on ${workerOf(execution.id)}`;
	});

	await check(`OAuth2 tokens for ${BURST} parallel runs across both workers, then ${BURST} more with the stored token`, async () => {
		const credential = await api('POST', '/rest/credentials', { ...sandboxCredentials(sandbox)[0], id: undefined, name: 'Kapitale Sandbox (OAuth2, burst)' });
		const workflowId = await createActiveWorkflow(burstWorkflow({ id: credential.id, name: credential.name }));
		const fire = async () => {
			const answers = await Promise.all(
				Array.from({ length: BURST }, () => postTo(processes.webhook, `/webhook/${BURST_PATH}`, { body: '{}', headers: { 'content-type': 'application/json' } })),
			);
			for (const answer of answers) assert.equal(answer.status, 200, `burst webhook answered ${answer.status}`);
		};
		await waitForWebhook(BURST_PATH);
		const t0 = await control(sandbox, 'GET', '/counts');
		await fire();
		const first = await settledExecutions(workflowId, BURST, 'the first burst');
		const t1 = await control(sandbox, 'GET', '/counts');
		await fire();
		const all = await settledExecutions(workflowId, 2 * BURST, 'the second burst');
		const t2 = await control(sandbox, 'GET', '/counts');
		for (const execution of all) assert.equal(execution.status, 'success', `execution ${execution.id} ${execution.status}`);
		const tally = perWorker(all.map((execution) => execution.id));
		for (const [name, n] of Object.entries(tally)) assert.ok(n > 0, `${name} ran none of the ${all.length} executions`);
		const cold = t1.tokensIssued - t0.tokensIssued;
		const warm = t2.tokensIssued - t1.tokensIssued;
		assert.ok(cold >= 1 && cold <= BURST, `first burst: ${cold} token requests (expected 1..${BURST}: at most one per execution)`);
		assert.equal(warm, 0, 'the second burst reuses the token stored in the database (no new token request)');
		timings.tokens = { burst: BURST, cold, warm, firstBurstExecutions: first.length };
		return `token requests: ${cold} for the first ${BURST} parallel runs (empty credential), ${warm} for the next ${BURST}; ${showTally(tally)}`;
	});

	const triggerWorkflow = EXAMPLE_IDS['kapitale-order-approved-webhook.json'];
	const deliver = (payload) =>
		postTo(processes.webhook, `/webhook/${WEBHOOK_PATH}`, {
			body: JSON.stringify(payload),
			headers: { 'content-type': 'application/json', authorization: `Bearer ${WEBHOOK_TOKEN}` },
		});
	const delivery = (orderId) => ({
		event_type: 'order.approved',
		destination_id: DESTINATION_ID,
		data: { order_id: orderId, order_no: 4242, status: 'approved', payment_status: 'pending', requested_amount: 1000, occurred_at: new Date().toISOString() },
	});

	await check(`Kapitale Trigger via the webhook process: ${DELIVERIES} identical deliveries in parallel start exactly 1 execution`, async () => {
		const before = (await executionsOf(triggerWorkflow)).length;
		const payload = delivery(randomUUID());
		const answers = await Promise.all(Array.from({ length: DELIVERIES }, () => deliver(payload)));
		const bodies = await Promise.all(answers.map((answer) => answer.json().catch(() => ({}))));
		answers.forEach((answer, i) => assert.equal(answer.status, 200, `delivery ${i}: HTTP ${answer.status} ${JSON.stringify(bodies[i])}`));
		// n8n answers an accepted delivery only after it created the execution, so once every answer
		// is in, the executions are all there.
		const settled = await settledExecutions(triggerWorkflow, before + 1, 'the trigger workflow');
		const fresh = settled.length - before;
		const duplicates = bodies.filter((body) => body.duplicate === true).length;
		assert.equal(fresh, 1, `${fresh} executions for ${DELIVERIES} identical deliveries (${duplicates} answered as duplicates)`);
		const newest = settled.reduce((a, b) => (Number(a.id) > Number(b.id) ? a : b));
		assert.equal(newest.status, 'success');
		return `1 execution (${newest.id} on ${workerOf(newest.id)}), ${duplicates} answered {"duplicate": true}`;
	});

	await check(`Kapitale Trigger via the webhook process: ${DELIVERIES} distinct deliveries in parallel start ${DELIVERIES} executions`, async () => {
		const before = await executionsOf(triggerWorkflow);
		const answers = await Promise.all(Array.from({ length: DELIVERIES }, () => deliver(delivery(randomUUID()))));
		for (const answer of answers) assert.equal(answer.status, 200, `HTTP ${answer.status}`);
		const bodies = await Promise.all(answers.map((answer) => answer.json().catch(() => ({}))));
		assert.equal(bodies.filter((body) => body.duplicate === true).length, 0, 'no distinct delivery is taken for a duplicate');
		const settled = await settledExecutions(triggerWorkflow, before.length + DELIVERIES, 'the trigger workflow');
		const known = new Set(before.map((execution) => execution.id));
		const fresh = settled.filter((execution) => !known.has(execution.id));
		assert.equal(fresh.length, DELIVERIES);
		for (const execution of fresh) assert.equal(execution.status, 'success', `execution ${execution.id} ${execution.status}`);
		return `${fresh.length} executions; ${showTally(perWorker(fresh.map((execution) => execution.id)))}`;
	});

	await check('no process logs an unrecognized node type or a load error for the package', async () => {
		const problems = [];
		for (const [name, proc] of Object.entries(processes)) {
			for (const line of readFileSync(proc.logFile, 'utf8').split('\n')) {
				if (/Unrecognized node type|Failed to load|error loading|could not be loaded/i.test(line) || (/kapitale/i.test(line) && /\b(warn|error)\b/i.test(line))) {
					problems.push(`${name}: ${line.trim()}`);
				}
			}
		}
		assert.deepEqual(problems, []);
		return `${Object.keys(processes).length} process logs clean`;
	});
} catch (error) {
	failed = true;
	process.stderr.write(`\n✖ queue-mode stage stopped at "${currentStep}": ${error.stack ?? error}\n`);
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
	timings.services && `services ${secs(timings.services)}`,
	timings.import && `fixtures ${secs(timings.import)}`,
	timings.n8nStart && `4 n8n processes ${secs(timings.n8nStart)}`,
].filter(Boolean);
process.stdout.write(`\nqueue mode in n8n 2.41.1: ${((Date.now() - started) / 1000).toFixed(0)} s (${parts.join(', ')})\n${passed} passed, ${results.length - passed} failed\n`);
process.exit(failed ? 1 : 0);
