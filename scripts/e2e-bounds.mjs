// Issue 20 inside a real, running n8n: one wrong number in one API answer must not take n8n down.
// A workflow started by a webhook runs Kapitale Order › Get Many, Return All, against a loopback
// API whose order list says `totalPages: 1000000000` with no data (before the fix this killed the
// n8n process: heap out of memory). The check asserts the clear error the run ends with and that
// n8n still answers afterwards; it also records what a sender receives for a 20 MB delivery to
// the Kapitale Trigger, which n8n's own body parser (N8N_PAYLOAD_SIZE_MAX) answers before the node
// runs. Called by scripts/e2e.mjs.
import assert from 'node:assert/strict';
import http from 'node:http';

import { rest } from './n8n-local.mjs';
import { n8nApi } from './lib/n8n-api.mjs';
import { EXAMPLE_IDS, WEBHOOK_PATH, WEBHOOK_TOKEN } from './stack.mjs';

const PATH = 'kapitale-bounds';

/** The misbehaving API: a token, then an order list of a billion empty pages. */
export async function startBoundsApi() {
	let orderRequests = 0;
	const server = http.createServer((request, response) => {
		request.resume();
		request.on('end', () => {
			response.writeHead(200, { 'content-type': 'application/json' });
			if (request.url.startsWith('/oauth2/token'))
				return response.end(
					JSON.stringify({ access_token: 'tok', token_type: 'Bearer', expires_in: 3600 }),
				);
			orderRequests++;
			response.end(JSON.stringify({ data: [], page: 1, totalPages: 1_000_000_000, limit: 100 }));
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${server.address().port}`;
	return {
		url,
		orderRequests: () => orderRequests,
		stop: () =>
			new Promise((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

export async function runBoundsCheck({ url, cookie, api }) {
	const n8n = n8nApi({ url, cookie });
	const credentials = [];
	try {
		return await boundsCheck({ url, n8n, api, credentials });
	} finally {
		// Later stages open new nodes in the editor: n8n must pre-select the sandbox credential there.
		for (const id of credentials)
			await n8n.call('DELETE', `/rest/credentials/${id}`).catch(() => {});
	}
}

async function boundsCheck({ url, n8n, api, credentials }) {
	const credential = await n8n.call('POST', '/rest/credentials', {
		name: 'e2e: misbehaving Kapitale API',
		type: 'kapitaleApi',
		data: {
			authentication: 'clientCredentials',
			environment: 'custom',
			clientId: 'bounds',
			clientSecret: 'bounds-secret',
			tokenUrl: `${api.url}/oauth2/token`,
			kapitaleBaseUrl: `${api.url}/kapitale`,
			partnerBaseUrl: `${api.url}/partner`,
		},
	});
	credentials.push(credential.id);
	const workflowId = await n8n.createActiveWorkflow({
		name: 'e2e: Get Many against totalPages 1e9',
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: 'bounds-webhook',
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: '7c0d9a4e-2b1f-4c3d-8e5a-6f7b8c9d0e1f',
				parameters: {
					httpMethod: 'POST',
					path: PATH,
					responseMode: 'lastNode',
					responseData: 'allEntries',
					options: {},
				},
			},
			{
				id: 'bounds-orders',
				name: 'Kapitale Order',
				type: 'n8n-nodes-kapitale.kapitaleOrder',
				typeVersion: 1,
				position: [220, 0],
				onError: 'continueRegularOutput',
				parameters: { resource: 'order', operation: 'getAll', returnAll: true },
				credentials: { kapitaleApi: { id: credential.id, name: credential.name } },
			},
		],
		connections: {
			Webhook: { main: [[{ node: 'Kapitale Order', type: 'main', index: 0 }]] },
		},
	});

	// n8n registers a published workflow's production webhook shortly after the activation call.
	let run;
	for (let tries = 0; tries < 40; tries++) {
		run = await rest({
			url,
			path: `/webhook/${PATH}`,
			method: 'POST',
			body: {},
			timeoutMs: 60_000,
		});
		if (run.status !== 404) break;
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	assert.equal(run.status, 200, `webhook run: HTTP ${run.status} ${run.text.slice(0, 300)}`);
	assert.match(
		run.text,
		/The API announced 1,000,000,000 pages but its first page is empty/,
		`the run's answer: ${run.text.slice(0, 300)}`,
	);
	assert.ok(api.orderRequests() <= 2, `${api.orderRequests()} order list requests`);
	const health = await rest({ url, path: '/healthz' });
	assert.equal(health.status, 200, `n8n after the run: /healthz HTTP ${health.status}`);

	// What a sender receives for a delivery larger than n8n's own body limit (16 MiB by default):
	// n8n's parser answers before the Kapitale Trigger runs. Recorded, and no execution may start.
	const triggerId = EXAMPLE_IDS['kapitale-order-approved-webhook.json'];
	const before = (await n8n.stableExecutions(triggerId)).length;
	const big = await fetch(`${url}/webhook/${WEBHOOK_PATH}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', authorization: `Bearer ${WEBHOOK_TOKEN}` },
		body: `{"event_type":"order.approved","pad":"${' '.repeat(20 * 1024 * 1024)}"}`,
	}).then(
		async (response) =>
			`HTTP ${response.status} ${(await response.text()).slice(0, 120).replace(/\s+/g, ' ')}`,
		(error) => `no answer (${error.cause?.code ?? error.message})`,
	);
	const after = (await n8n.stableExecutions(triggerId)).length;
	assert.equal(after, before, 'the 20 MB delivery started an execution');
	const healthAfter = await rest({ url, path: '/healthz' });
	assert.equal(
		healthAfter.status,
		200,
		`n8n after the 20 MB delivery: /healthz HTTP ${healthAfter.status}`,
	);
	return `Get Many ended with the page-count error after ${api.orderRequests()} request(s), workflow ${workflowId}; n8n up; a 20 MB delivery got: ${big}`;
}
