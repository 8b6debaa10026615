// The sandbox console in Chromium, against the n8n the e2e stage already runs (issue 23): a user
// approves a pending order and the published Kapitale Trigger workflow runs; moves a credit
// operation and Partner Operation › Get Status reads the new status; switches a fault on and the
// node retries (the console's request log shows the 503 and the retry); switches the automatic
// lifecycle on and sees a move; resets the data and sees the seed back. Every action goes through
// the page's buttons, every check reads what n8n or the partner API answers.
//
//   runConsoleChecks({ url, cookie, sandbox, check, screenshotsDir })   (from scripts/e2e.mjs)
//   node scripts/e2e-console.mjs <n8n url> <sandbox url>                (against `npm start`)
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { CHROMIUM_ARGS, DEFAULT_SCREENSHOTS_DIR, ensureChromium } from './e2e-browser.mjs';
import { n8nApi, nodeOutput, waitFor } from './lib/n8n-api.mjs';
import { control, SANDBOX_CREDENTIAL, subscribeWebhook } from './stack.mjs';
import { TRIGGER_WORKFLOW_ID } from './e2e-trigger.mjs';

const TIMEOUT = 30_000;

/** A two-node workflow: manual trigger → Partner Operation › Get Status of one operation. */
function getStatusWorkflow(operationId) {
	return {
		name: `Console e2e: status of ${operationId}`,
		nodes: [
			{
				parameters: {},
				id: 'c0a5e2e0-0000-4000-8000-000000000001',
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
			},
			{
				parameters: {
					resource: 'operation',
					operation: 'getStatus',
					operationId: { __rl: true, mode: 'id', value: operationId },
				},
				id: 'c0a5e2e0-0000-4000-8000-000000000002',
				name: 'Get Status',
				type: 'n8n-nodes-kapitale.partnerOperation',
				typeVersion: 1,
				position: [220, 0],
				credentials: {
					kapitaleApi: { id: SANDBOX_CREDENTIAL.id, name: SANDBOX_CREDENTIAL.name },
				},
			},
		],
		connections: { Start: { main: [[{ node: 'Get Status', type: 'main', index: 0 }]] } },
		settings: {},
	};
}

/**
 * @param {{ url: string, cookie: string, sandbox: { baseUrl: string, controlUrl: string },
 *   check: (name: string, fn: () => Promise<string | void>) => Promise<void>, screenshotsDir?: string }} options
 */
export async function runConsoleChecks({
	url,
	cookie,
	sandbox,
	check,
	screenshotsDir = DEFAULT_SCREENSHOTS_DIR,
}) {
	const { chromium } = await import('playwright-core');
	const executablePath = await ensureChromium();
	const api = n8nApi({ url, cookie });
	const work = mkdtempSync(path.join(tmpdir(), 'kapitale-console-'));
	if (screenshotsDir) mkdirSync(screenshotsDir, { recursive: true });
	const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
	const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
	page.setDefaultTimeout(TIMEOUT);
	const pageErrors = [];
	page.on('pageerror', (error) => pageErrors.push(error.message));
	const shot = async (name) => {
		if (screenshotsDir)
			await page.screenshot({ path: path.join(screenshotsDir, `console-${name}.png`) });
	};
	const openTab = async (name) => {
		await page.click(`#tabs button[data-tab="${name}"]`);
		await page.locator(`#tab-${name}`).waitFor({ state: 'visible' });
	};
	const row = (body, id) => page.locator(`#${body}-body tr[data-id="${id}"]`);

	/** Runs Get Status of one operation in n8n: a workflow created through the editor's REST API. */
	const created = [];
	const readStatus = async (operationId) => {
		const file = path.join(work, `get-status-${created.length}.json`);
		writeFileSync(file, JSON.stringify(getStatusWorkflow(operationId)));
		const { id } = await api.call('POST', '/rest/workflows', getStatusWorkflow(operationId));
		created.push(id);
		const run = await api.runManually(id, file);
		assert.equal(
			run.execution.status,
			'success',
			`Get Status run ${run.id}: ${run.execution.status}`,
		);
		return nodeOutput(run.data, 'Get Status')[0].json;
	};

	try {
		await check('console: opens at the sandbox’s root URL with the seeded data', async () => {
			await page.goto(`${sandbox.baseUrl}/`);
			await page.locator('body[data-loaded="true"]').waitFor();
			const counts = await page.locator('#counts').innerText();
			assert.match(counts, /\d+ orders/);
			await shot('overview');
			return counts.replace(/\s+/g, ' ');
		});

		await check(
			'console: Approve on a pending order → the published Kapitale Trigger workflow runs once (Resend: still once)',
			async () => {
				await subscribeWebhook(sandbox, url);
				const known = new Set((await api.stableExecutions(TRIGGER_WORKFLOW_ID)).map((e) => e.id));
				// A new pending order through the console's "Add" form: one the trigger never saw.
				await openTab('overview');
				await page.fill('#seed-count', '1');
				await page.selectOption('#seed-kind', 'orders');
				await page.selectOption('#seed-status', 'pending');
				await page.click('#seed-form button[type="submit"]');
				await page.locator('#flash.ok', { hasText: 'Added 1 orders' }).waitFor();
				await openTab('orders');
				await page.selectOption('#orders-status', 'pending');
				const first = page.locator('#orders-body tr[data-id]').first();
				await first.waitFor();
				const orderId = await first.getAttribute('data-id');
				const orderNo = await first.getAttribute('data-order-no');
				await first.locator('button[data-action="approve"]').click();
				await page.locator('#flash.ok', { hasText: `Order ${orderNo}: approved` }).waitFor();
				// the row left the "pending" filter; with every status it shows approved
				await page.selectOption('#orders-status', '');
				await page.fill('#orders-search', orderNo);
				await waitFor(
					'the row to show approved',
					async () =>
						(await row('orders', orderId).locator('[data-field="order_status"]').innerText()) ===
						'approved',
					TIMEOUT,
				);
				await shot('orders');
				// The executions that ran for this order (the automatic lifecycle may run others meanwhile).
				const runsFor = async (list) => {
					const runs = [];
					for (const e of list) {
						if (known.has(e.id) || !['success', 'error', 'crashed'].includes(e.status)) continue;
						const item = nodeOutput((await api.executionData(e.id)).data, 'Kapitale Trigger')[0]
							.json;
						if (item.order_id === orderId) runs.push({ ...e, item });
					}
					return runs;
				};
				const [execution] = await waitFor(
					`an execution of the trigger workflow for ${orderNo}`,
					async () => {
						const runs = await runsFor(await api.executionsOf(TRIGGER_WORKFLOW_ID));
						return runs.length ? runs : undefined;
					},
					60_000,
				);
				assert.equal(execution.status, 'success');
				assert.equal(execution.item.event_type, 'order.approved');
				await openTab('webhooks');
				await page
					.locator('#deliveries-body tr', { hasText: orderNo })
					.locator('[data-field="state"]', { hasText: 'delivered' })
					.first()
					.waitFor();
				await shot('webhooks');
				// Resend: the same body again; the trigger knows it (de-duplication), no second run.
				await page
					.locator('#deliveries-body tr', { hasText: orderNo })
					.filter({ hasText: 'order.approved' })
					.first()
					.locator('button[data-resend]')
					.click();
				await page.locator('#flash.ok', { hasText: 'sent again' }).waitFor();
				await page
					.locator('#deliveries-body tr', { hasText: '(resent)' })
					.filter({ hasText: orderNo })
					.locator('[data-field="state"]', { hasText: 'delivered' })
					.first()
					.waitFor();
				const runs = await runsFor(await api.stableExecutions(TRIGGER_WORKFLOW_ID));
				assert.equal(runs.length, 1, `executions for ${orderNo} after the resend`);
				return `${orderNo} → execution ${execution.id} (${execution.item.event_type}); resent → delivered, no second execution`;
			},
		);

		let operationId;
		await check(
			'console: an operation moved to Autorizado → Partner Operation › Get Status reads Autorizado',
			async () => {
				// A seeded operation still under analysis, so that Reset below brings it back.
				const seeded = (await control(sandbox, 'GET', '/info')).fixtures.operationIdsBySlug[
					'em-analise'
				];
				const { items } = await control(sandbox, 'GET', '/operations?status=em-analise&limit=500');
				operationId = items.find((item) => seeded.includes(item.id))?.id;
				if (!operationId) {
					// the automatic lifecycle (npm start) moved them all on: put one back (test set-up)
					operationId = seeded[0];
					await control(sandbox, 'POST', `/operations/${operationId}/status`, {
						slug: 'em-analise',
						force: true,
					});
				}
				const before = await readStatus(operationId);
				assert.equal(before.statusSlug, 'em-analise');
				await openTab('operations');
				await page.fill('#operations-search', operationId);
				const r = row('operations', operationId);
				await r.waitFor();
				// only the moves the state machine allows are offered
				const offered = await r
					.locator('button[data-action]')
					.evaluateAll((buttons) => buttons.map((button) => button.dataset.action));
				assert.deepEqual(offered, [
					'aguardando-documentos',
					'autorizado',
					'reprovado',
					'cancelado',
				]);
				await r.locator('button[data-action="autorizado"]').click();
				await waitFor(
					'the row to show Autorizado',
					async () => (await r.locator('[data-field="status"]').innerText()) === 'Autorizado',
					TIMEOUT,
				);
				const offeredAfter = await r
					.locator('button[data-action]')
					.evaluateAll((buttons) => buttons.map((button) => button.dataset.action));
				assert.deepEqual(offeredAfter, ['pago', 'cancelado']);
				await shot('operations');
				const after = await readStatus(operationId);
				assert.deepEqual(after, { operationId, status: 'Autorizado', statusSlug: 'autorizado' });
				return `${operationId}: em-analise → ${after.statusSlug}`;
			},
		);

		await check(
			'console: a fault switched on (503 once) → the node retries: two requests, one item',
			async () => {
				await control(sandbox, 'DELETE', '/log');
				await openTab('faults');
				await page.selectOption('#fault-service', 'partner');
				await page.selectOption('#fault-kind', 'fail-once');
				await page.click('[data-testid="fault-add"]');
				await page.locator('#faults-body tr[data-index="0"]').waitFor();
				assert.match(await page.locator('#faults-body').innerText(), /Partner lending API/);
				const status = await readStatus(operationId);
				assert.equal(status.statusSlug, 'autorizado', 'the item arrives despite the fault');
				await openTab('requests');
				await page.selectOption('#requests-service', 'partner');
				const statusPath = `/partner/operation/status/${operationId}`;
				const rows = page.locator('#requests-body tr', { hasText: statusPath });
				await waitFor('two requests in the console’s log', async () => (await rows.count()) >= 2);
				// newest first: the retry answered 200 after the injected 503
				const texts = (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' '));
				assert.equal(texts.length, 2, `requests for ${statusPath}: ${texts.join(' | ')}`);
				assert.match(texts[1], /503.*error-503/);
				assert.match(texts[0], / 200 /);
				await shot('requests');
				await openTab('faults');
				await page.click('#faults-clear');
				await page.locator('#faults-body td.empty').waitFor();
				return texts.reverse().join(' → ');
			},
		);

		await check(
			'console: the automatic lifecycle switched on moves a record, then off',
			async () => {
				await openTab('overview');
				await page.check('#lifecycle-enabled');
				await page.fill('#lifecycle-interval', '1');
				await page.click('#lifecycle-form button[type="submit"]');
				await page.locator('#lifecycle-badge', { hasText: 'on · every 1 s' }).waitFor();
				const move = page.locator('#lifecycle-moves li b').first();
				await move.waitFor();
				await page.uncheck('#lifecycle-enabled');
				await page.click('#lifecycle-form button[type="submit"]');
				await page.locator('#lifecycle-badge', { hasText: 'off' }).waitFor();
				const lifecycle = await control(sandbox, 'GET', '/lifecycle');
				assert.equal(lifecycle.enabled, false);
				assert.ok(lifecycle.moves.length > 0);
				const m = lifecycle.moves.at(-1);
				return `${m.kind} ${m.label}: ${m.from} → ${m.to}`;
			},
		);

		await check('console: Reset → the seed is back (orders, operations, no faults)', async () => {
			await control(sandbox, 'PUT', '/faults', [{ service: 'kapitale', latencyMs: 1 }]);
			await openTab('overview');
			await page.click('#reset');
			await page.locator('#flash.ok', { hasText: 'reset to the seed' }).waitFor();
			await page.locator('#counts', { hasText: '29 orders' }).waitFor();
			await openTab('orders');
			await page.selectOption('#orders-status', '');
			await page.fill('#orders-search', '');
			await page.locator('#orders-body tr[data-order-no="ORD-2026-0001"]').waitFor();
			const status = await page
				.locator('#orders-body tr[data-order-no="ORD-2026-0001"] [data-field="order_status"]')
				.innerText();
			assert.equal(status, 'pending');
			const op = await control(sandbox, 'GET', `/operations/${operationId}`);
			assert.equal(
				op.status_slug,
				'em-analise',
				'the moved operation is back to its seeded status',
			);
			assert.deepEqual(await control(sandbox, 'GET', '/faults'), []);
			const subscriptions = await control(sandbox, 'GET', '/webhooks');
			assert.ok(subscriptions.length >= 1, 'the webhook subscription survives the reset');
			assert.deepEqual(pageErrors, [], 'the page threw');
			return `${(await page.locator('#counts').innerText()).replace(/\s+/g, ' ')}; ORD-2026-0001 pending`;
		});
	} catch (error) {
		if (screenshotsDir)
			await page
				.screenshot({ path: path.join(screenshotsDir, 'failure-console.png') })
				.catch(() => {});
		throw error;
	} finally {
		for (const id of created) {
			await api.call('POST', `/rest/workflows/${id}/archive`).catch(() => {});
			await api.call('DELETE', `/rest/workflows/${id}`).catch(() => {});
		}
		await browser.close();
		rmSync(work, { recursive: true, force: true });
	}
}

// Against a running `npm start`: node scripts/e2e-console.mjs http://127.0.0.1:5678 http://127.0.0.1:4010
if (process.argv[1] === fileURLToPath(import.meta.url)) {
	const { ensureOwner } = await import('./n8n-local.mjs');
	const { checkRecorder } = await import('./lib/checks.mjs');
	const [n8nUrl = 'http://127.0.0.1:5678', sandboxUrl = 'http://127.0.0.1:4010'] =
		process.argv.slice(2);
	const { cookie } = await ensureOwner({ url: n8nUrl });
	const { check, results } = checkRecorder({ stopOnFailure: true });
	try {
		await runConsoleChecks({
			url: n8nUrl,
			cookie,
			sandbox: { baseUrl: sandboxUrl, controlUrl: `${sandboxUrl}/__sandbox` },
			check,
		});
	} finally {
		process.stdout.write(`${results.filter((r) => r.ok).length}/${results.length} passed\n`);
	}
}
