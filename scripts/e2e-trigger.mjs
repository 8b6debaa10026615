// The Kapitale Trigger inside a real n8n: the example workflow (published, production URL, bearer
// secret from the Kapitale API credential) receives real deliveries over HTTP. Each check counts
// the executions n8n stored (REST API, polled until the count is stable) and asserts the status,
// Content-Type and body of every answer. Called by scripts/e2e.mjs; also reusable against another
// n8n set-up (queue mode) through runTriggerChecks().
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';

import { n8nApi, nodeOutput } from './lib/n8n-api.mjs';
import { control, EXAMPLE_IDS, subscribeWebhook, WEBHOOK_PATH, WEBHOOK_TOKEN } from './stack.mjs';

export const TRIGGER_WORKFLOW_ID = EXAMPLE_IDS['kapitale-order-approved-webhook.json'];
const DESTINATION = '0b6f2c1e-8f5d-4b8e-9a55-2c7e1f3b9d40';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function approved(orderId, extra = {}) {
	return {
		event_type: 'order.approved',
		destination_id: DESTINATION,
		data: {
			order_id: orderId,
			order_no: 1042,
			status: 'approved',
			requested_amount: 2500,
			...extra,
		},
	};
}

/** POSTs to the trigger's production URL; returns status, Content-Type and the body (parsed when JSON). */
async function post(webhookUrl, body, { token = WEBHOOK_TOKEN, headers = {} } = {}) {
	const response = await fetch(webhookUrl, {
		method: 'POST',
		headers: {
			'content-type': 'application/json',
			...(token ? { authorization: `Bearer ${token}` } : {}),
			...headers,
		},
		body: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
	});
	const text = await response.text();
	let json;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: response.status, type: response.headers.get('content-type') ?? '', text, json };
}

function assertJsonAnswer(answer, status, body, label) {
	assert.equal(
		answer.status,
		status,
		`${label}: HTTP ${answer.status} ${answer.text.slice(0, 200)}`,
	);
	assert.match(answer.type, /^application\/json/, `${label}: Content-Type ${answer.type}`);
	if (typeof body === 'function') body(answer.json);
	else assert.deepEqual(answer.json, body, `${label}: body ${answer.text.slice(0, 200)}`);
}

function assertShortRejection(answer, status, reason, label) {
	assertJsonAnswer(
		answer,
		status,
		(json) => {
			assert.equal(json?.received, false, `${label}: ${answer.text.slice(0, 200)}`);
			assert.match(json.error, reason, `${label}: reason "${json.error}"`);
		},
		label,
	);
	assert.ok(answer.text.length < 300, `${label}: answer is ${answer.text.length} bytes`);
	assert.doesNotMatch(answer.text, /\n\s+at |stack/i, `${label}: the answer carries a stack trace`);
}

/**
 * Runs the trigger checks. `check(name, fn)` records one named check (see e2e.mjs);
 * `restart()` (optional) restarts n8n on the same database and resolves with { url, cookie }.
 * `webhookBaseUrl` (optional): where production webhooks are served when that is not `url`
 * (queue mode: a webhook process; `url` is then the main process with the REST API).
 * @returns {Promise<Record<string, number>>} the measured figures
 */
export async function runTriggerChecks({
	url,
	cookie,
	sandbox,
	check,
	restart,
	webhookBaseUrl,
	workflowId = TRIGGER_WORKFLOW_ID,
}) {
	const webhookUrl = () => `${webhookBaseUrl ?? url}/webhook/${WEBHOOK_PATH}`;
	const run = randomUUID().slice(0, 8);
	const figures = {};
	let api = n8nApi({ url, cookie });
	const settled = () => api.stableExecutions(workflowId);
	const count = async () => (await settled()).length;
	const triggerItem = async (id) =>
		nodeOutput((await api.executionData(id)).data, 'Kapitale Trigger')[0].json;

	if (sandbox) {
		await check(
			'trigger: the sandbox approves an order → exactly one successful execution',
			async () => {
				const before = await count();
				await subscribeWebhook(sandbox, webhookBaseUrl ?? url);
				const info = await control(sandbox, 'GET', '/info');
				const orderId = info.fixtures.orderIdsByStatus.pending[0];
				await control(sandbox, 'POST', `/orders/${orderId}/approve`);
				let deliveries;
				for (let i = 0; i < 120 && !deliveries; i++) {
					const list = await control(sandbox, 'GET', `/webhooks/deliveries?orderId=${orderId}`);
					if (
						list.some(
							(delivery) =>
								delivery.eventType === 'order.approved' && delivery.state === 'delivered',
						)
					)
						deliveries = list;
					else await sleep(500);
				}
				assert.ok(deliveries, 'the sandbox delivered order.approved');
				const executions = await settled();
				assert.equal(executions.length - before, 1, 'exactly one execution');
				assert.equal(executions[0].status, 'success');
				const approvedDeliveries = deliveries.filter(
					(delivery) => delivery.eventType === 'order.approved',
				);
				assert.equal(approvedDeliveries.length, 1);
				assert.equal(approvedDeliveries[0].attempts.length, 1, 'delivered on the first attempt');
				const item = await triggerItem(executions[0].id);
				assert.equal(item.order_id, orderId);
				assert.equal(item.status, 'approved');
				return `execution ${executions[0].id}: ${item.event_type} ${item.order_no}`;
			},
		);
	}

	await check(
		'trigger: 1 delivery → 200 application/json {"received":true}, exactly 1 execution',
		async () => {
			const before = await count();
			const answer = await post(webhookUrl(), approved(`${run}-single`));
			assertJsonAnswer(answer, 200, { received: true }, 'accepted');
			assert.equal((await count()) - before, 1);
			return answer.type;
		},
	);

	await check(
		'trigger: 2 sequential identical deliveries (1.5 s apart) → 1 execution, the second answered as duplicate',
		async () => {
			const before = await count();
			const first = await post(webhookUrl(), approved(`${run}-twice`));
			assertJsonAnswer(first, 200, { received: true }, 'first');
			await sleep(1500);
			const second = await post(webhookUrl(), approved(`${run}-twice`, { occurred_at: 'a retry' }));
			assertJsonAnswer(second, 200, { received: true, duplicate: true }, 'second');
			assert.equal((await count()) - before, 1);
			return 'accepted, duplicate';
		},
	);

	await check(
		'trigger: 20 identical deliveries in parallel → exactly 1 execution, 19 answered as duplicates',
		async () => {
			const before = await count();
			const answers = await Promise.all(
				Array.from({ length: 20 }, () => post(webhookUrl(), approved(`${run}-burst`))),
			);
			for (const answer of answers) assert.match(answer.type, /^application\/json/);
			assert.deepEqual(
				answers.map((answer) => answer.status),
				Array(20).fill(200),
			);
			const accepted = answers.filter(
				(answer) => answer.json?.received === true && !answer.json.duplicate,
			);
			const duplicates = answers.filter((answer) => answer.json?.duplicate === true);
			assert.equal(accepted.length, 1, 'one answer is the accepted delivery');
			assert.equal(duplicates.length, 19);
			const executions = await count();
			figures.parallelIdentical = executions - before;
			assert.equal(executions - before, 1);
			return '1 execution';
		},
	);

	await check(
		'trigger: 20 distinct deliveries in parallel → exactly 20 executions, each order once',
		async () => {
			const before = await settled();
			const ids = Array.from({ length: 20 }, (_, index) => `${run}-distinct-${index}`);
			const answers = await Promise.all(ids.map((id) => post(webhookUrl(), approved(id))));
			for (const answer of answers) assertJsonAnswer(answer, 200, { received: true }, 'distinct');
			const after = await settled();
			const known = new Set(before.map((execution) => execution.id));
			const fresh = after.filter((execution) => !known.has(execution.id));
			assert.equal(fresh.length, 20);
			const orderIds = [];
			for (const execution of fresh) orderIds.push((await triggerItem(execution.id)).order_id);
			assert.deepEqual(orderIds.sort(), [...ids].sort());
			return '20 executions, 20 different order ids';
		},
	);

	await check(
		'trigger: an event the node does not select → 200 {"received":true,"ignored":…}, no execution',
		async () => {
			const before = await count();
			const answer = await post(webhookUrl(), {
				...approved(`${run}-created`),
				event_type: 'order.created',
			});
			assertJsonAnswer(answer, 200, { received: true, ignored: 'event not selected' }, 'ignored');
			assert.equal((await count()) - before, 0);
			return 'ignored';
		},
	);

	await check(
		'trigger: bad bodies → 4xx JSON with a short reason, no stack trace, no execution',
		async () => {
			const before = await count();
			const deep = `{"event_type":"order.approved","data":${'['.repeat(10_000)}${']'.repeat(10_000)}}`;
			const cases = [
				['nested 10,000 levels, no order_id', deep, 400, /nested/],
				['order_id is an object', approved({ a: 1 }), 400, /order_id/],
				['order_id is an array', approved([1, 2]), 400, /order_id/],
				['order_id is a boolean', approved(true), 400, /order_id/],
				[
					'no order_id',
					{
						event_type: 'order.approved',
						destination_id: DESTINATION,
						data: { status: 'approved' },
					},
					400,
					/order_id/,
				],
				[
					'byte-order mark',
					Buffer.concat([
						Buffer.from([0xef, 0xbb, 0xbf]),
						Buffer.from(JSON.stringify(approved(`${run}-bom`))),
					]),
					400,
					/byte-order mark/,
				],
				['a JSON array', JSON.stringify([approved(`${run}-array`)]), 400, /JSON object/],
				['no event_type', { data: { order_id: `${run}-x` } }, 400, /event_type/],
				['2 MB', approved(`${run}-big`, { note: 'x'.repeat(2 * 1024 * 1024) }), 413, /too large/],
			];
			for (const [label, body, status, reason] of cases)
				assertShortRejection(await post(webhookUrl(), body), status, reason, label);
			// Not JSON at all: n8n's own body parser answers before the node runs.
			const garbage = await post(webhookUrl(), '{"event_type": ');
			assert.ok(
				garbage.status >= 400 && garbage.status < 500,
				`invalid JSON: HTTP ${garbage.status}`,
			);
			assert.doesNotMatch(garbage.text, /\n\s+at /, 'invalid JSON: stack trace in the answer');
			const wrongToken = await post(webhookUrl(), approved(`${run}-forged`), {
				token: `not-${WEBHOOK_TOKEN}`,
			});
			assertShortRejection(wrongToken, 401, /Unauthorized/, 'wrong token');
			assert.equal((await count()) - before, 0, 'no execution');
			return `${cases.length + 2} bodies; invalid JSON → n8n's ${garbage.status} ${garbage.text.slice(0, 120)}`;
		},
	);

	await check(
		'trigger: accepted keys are saved in the workflow’s static data (n8n persists them)',
		async () => {
			const workflow = await api.call('GET', `/rest/workflows/${workflowId}`);
			const seen = workflow.staticData?.['node:Kapitale Trigger']?.kapitaleDedup?.seen ?? {};
			figures.storedKeys = Object.keys(seen).length;
			// single + twice + burst + 20 distinct (+ the sandbox's delivery when it ran)
			assert.ok(figures.storedKeys >= 23, `only ${figures.storedKeys} keys stored`);
			return `${figures.storedKeys} keys`;
		},
	);

	if (restart) {
		await check(
			'trigger: after an n8n restart, a repeated delivery is still a duplicate; a new one runs',
			async () => {
				({ url, cookie } = await restart());
				api = n8nApi({ url, cookie });
				const before = await count();
				const again = await post(webhookUrl(), approved(`${run}-single`));
				assertJsonAnswer(again, 200, { received: true, duplicate: true }, 'repeat after restart');
				const parallel = await Promise.all(
					Array.from({ length: 5 }, (_, index) =>
						post(webhookUrl(), approved(`${run}-distinct-${index}`)),
					),
				);
				for (const answer of parallel)
					assertJsonAnswer(answer, 200, { received: true, duplicate: true }, 'distinct repeat');
				const fresh = await post(webhookUrl(), approved(`${run}-after-restart`));
				assertJsonAnswer(fresh, 200, { received: true }, 'new after restart');
				assert.equal((await count()) - before, 1);
				return 'duplicates remembered across the restart';
			},
		);
	}
	return figures;
}
