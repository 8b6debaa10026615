// The editor's REST API of a running n8n, logged in: workflows, credentials, manual runs and
// executions, for the real-n8n stages.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { LOCAL_DIR, rest } from '../n8n-local.mjs';

export const FINISHED = new Set(['success', 'error', 'crashed', 'canceled']);

/** Polls `probe` until it returns something truthy; the error names what it waited for. */
export async function waitFor(description, probe, timeoutMs = 90_000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value) return value;
		if (Date.now() > deadline)
			throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${description}`);
		await sleep(400);
	}
}

/** The output items of a node's first run in an execution's run data. */
export function nodeOutput(data, nodeName) {
	const task = data.resultData.runData[nodeName]?.[0];
	assert.ok(
		task,
		`node "${nodeName}" did not run${data.resultData.error ? `: ${data.resultData.error.message}` : ''}`,
	);
	return task.data?.main?.[0] ?? [];
}

let flatted;
function parseRunData(value) {
	flatted ??= createRequire(path.join(LOCAL_DIR, 'node_modules', 'n8n', 'package.json'))('flatted');
	return typeof value === 'string' ? flatted.parse(value) : value;
}

/** @param {{url: string, cookie: string}} session */
export function n8nApi({ url, cookie }) {
	async function call(method, urlPath, body) {
		const response = await rest({ url, path: urlPath, method, body, cookie });
		assert.ok(
			response.status >= 200 && response.status < 300,
			`${method} ${urlPath}: HTTP ${response.status} ${response.text.slice(0, 300)}`,
		);
		return response.data;
	}

	/** Every execution of a workflow (newest first), paging through n8n's list. */
	async function executionsOf(workflowId) {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const all = [];
		for (let lastId; ; ) {
			const data = await call(
				'GET',
				`/rest/executions?filter=${filter}&limit=100${lastId ? `&lastId=${lastId}` : ''}`,
			);
			const page = data.results ?? data;
			all.push(...page);
			if (page.length < 100) return all;
			lastId = page.at(-1).id;
		}
	}

	/**
	 * The executions once n8n has settled: none running or queued, and the same count on
	 * `stablePolls` polls in a row. Executions start asynchronously after a webhook's answer, so
	 * a count taken right away, or at the first "enough", would miss late ones.
	 */
	async function stableExecutions(
		workflowId,
		{ stablePolls = 4, pollMs = 750, timeoutMs = 120_000 } = {},
	) {
		const deadline = Date.now() + timeoutMs;
		let last;
		let same = 0;
		for (;;) {
			const list = await executionsOf(workflowId);
			const busy = list.some(
				(execution) =>
					['new', 'running', 'waiting', 'unknown'].includes(execution.status) &&
					!execution.stoppedAt,
			);
			same = !busy && last !== undefined && list.length === last ? same + 1 : 0;
			last = list.length;
			if (same >= stablePolls) return list;
			if (Date.now() > deadline)
				throw new Error(`executions did not settle (${list.length}, busy: ${busy})`);
			await sleep(pollMs);
		}
	}

	/** Waits until the workflow has at least `count` executions, all finished; returns them. */
	async function settledExecutions(workflowId, count, description) {
		return await waitFor(`${count} finished executions of ${description}`, async () => {
			const list = await executionsOf(workflowId);
			return list.length >= count && list.every((execution) => FINISHED.has(execution.status))
				? list
				: undefined;
		});
	}

	async function executionData(id) {
		const execution = await call('GET', `/rest/executions/${id}`);
		return { execution, data: parseRunData(execution.data) };
	}

	/** Creates a workflow and publishes it (its production webhooks go live). */
	async function createActiveWorkflow(workflow) {
		const created = await call('POST', '/rest/workflows', { ...workflow, active: false });
		await call('POST', `/rest/workflows/${created.id}/activate`, { versionId: created.versionId });
		return created.id;
	}

	/** Runs a stored workflow as the editor's "Execute workflow" does, from its manual trigger. */
	async function runManually(workflowId, workflowFile) {
		const workflow = JSON.parse(readFileSync(workflowFile, 'utf8'));
		const trigger = workflow.nodes.find((node) => node.type === 'n8n-nodes-base.manualTrigger');
		assert.ok(trigger, `${path.basename(workflowFile)} has a manual trigger`);
		const started = await call('POST', `/rest/workflows/${workflowId}/run`, {
			triggerToStartFrom: { name: trigger.name },
		});
		assert.ok(started.executionId, `the run was not started: ${JSON.stringify(started)}`);
		const id = String(started.executionId);
		await waitFor(`execution ${id} of ${path.basename(workflowFile)}`, async () => {
			const list = await executionsOf(workflowId);
			return FINISHED.has(list.find((execution) => String(execution.id) === id)?.status);
		});
		return { id, ...(await executionData(id)) };
	}

	return {
		call,
		executionsOf,
		settledExecutions,
		stableExecutions,
		executionData,
		createActiveWorkflow,
		runManually,
	};
}
