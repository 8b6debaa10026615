// A workflow saved with Kapitale Trigger version 1 (secret in the node's own parameters, before the
// secret moved to the credential) inside a real n8n: imported and published with n8n's CLI before
// n8n starts, it must still accept its own secret, refuse others, and start one execution per
// delivery. Called by scripts/e2e.mjs.
import assert from 'node:assert/strict';

import { n8nApi } from './lib/n8n-api.mjs';
import { importWorkflow } from './stack.mjs';

const WORKFLOW_ID = 'kptE2eTriggerV1';
const PATH = 'kapitale-orders-v1';
const SECRET = 'v1-secret-in-the-node';

function workflow() {
	return {
		id: WORKFLOW_ID,
		name: 'e2e: Kapitale Trigger v1 (secret in the node)',
		active: false,
		settings: { executionOrder: 'v1' },
		connections: {},
		nodes: [
			{
				id: 'e2e-trigger-v1',
				name: 'Kapitale Trigger',
				type: 'n8n-nodes-kapitale.kapitaleOrderTrigger',
				typeVersion: 1,
				position: [0, 0],
				webhookId: '5b1f0c2e-6d3a-4e8b-9f47-1a2b3c4d5e6f',
				parameters: {
					path: PATH,
					authentication: 'bearer',
					bearerToken: SECRET,
					events: ['order.approved'],
					deduplicate: true,
					options: {},
				},
			},
		],
	};
}

/** Imports and publishes the v1 workflow; n8n must not be running yet. */
export async function importLegacyTrigger({ cliOptions }) {
	await importWorkflow(workflow(), { cliOptions, publish: true });
}

async function deliver(url, token, orderId) {
	const response = await fetch(`${url}/webhook/${PATH}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
		body: JSON.stringify({
			event_type: 'order.approved',
			destination_id: 'v1',
			data: { order_id: orderId, status: 'approved' },
		}),
	});
	return { status: response.status, body: await response.text() };
}

export async function runLegacyTriggerCheck({ url, cookie }) {
	const api = n8nApi({ url, cookie });
	const before = (await api.stableExecutions(WORKFLOW_ID)).length;
	const refused = await deliver(url, 'not-the-secret', 'v1-order-refused');
	assert.equal(
		refused.status,
		401,
		`wrong secret: HTTP ${refused.status} ${refused.body.slice(0, 200)}`,
	);
	const first = await deliver(url, SECRET, 'v1-order-1');
	assert.equal(first.status, 200, `own secret: HTTP ${first.status} ${first.body.slice(0, 200)}`);
	const again = await deliver(url, SECRET, 'v1-order-1');
	assert.equal(again.status, 200, `repeat: HTTP ${again.status} ${again.body.slice(0, 200)}`);
	assert.equal(
		JSON.parse(again.body).duplicate,
		true,
		`repeat is a duplicate: ${again.body.slice(0, 200)}`,
	);
	const executions = await api.stableExecutions(WORKFLOW_ID);
	assert.equal(
		executions.length - before,
		1,
		'one execution: the refused delivery and the duplicate start none',
	);
	assert.equal(executions[0]?.status ?? 'success', 'success');
	return 'own secret → 200 and 1 execution, wrong secret → 401, repeat → duplicate';
}
