// An n8n in queue mode on one machine: one main (`n8n start`), workers (`n8n worker`) and a webhook
// process (`n8n webhook`), each with its own user folder and log in the run folder, as on separate
// machines, and the package installed in each. Also: which worker ran an execution, and requests
// to the webhook process.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { startN8n, tail } from '../n8n-local.mjs';
import { waitFor } from './n8n-api.mjs';

/**
 * Starts the processes in parallel; throws the first start failure (with that process's log tail)
 * after the others have come up or failed, so stopAll() can end every one of them.
 * @param {{runDir: string, env: Record<string, string>, workers?: number, concurrency?: number}} options
 */
export async function startQueueCluster({ runDir, env, workers = 2, concurrency = 5 }) {
	const own = (name) => ({
		customExtensions: null,
		communityPackage: true,
		port: 0,
		userFolder: path.join(runDir, name),
		logFile: path.join(runDir, `${name}.log`),
		env,
	});
	const starts = {
		// Production webhooks only on the webhook process, as n8n recommends for queue mode.
		main: startN8n({
			...own('main'),
			env: { ...env, N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true' },
		}),
		webhook: startN8n({ ...own('webhook'), command: 'webhook' }),
	};
	for (let i = 1; i <= workers; i++) {
		starts[`worker-${i}`] = startN8n({
			...own(`worker-${i}`),
			command: 'worker',
			args: [`--concurrency=${concurrency}`],
		});
	}
	const processes = {};
	const outcomes = await Promise.allSettled(Object.values(starts));
	Object.keys(starts).forEach((name, i) => {
		if (outcomes[i].status === 'fulfilled') processes[name] = outcomes[i].value;
	});
	const failure = outcomes.find((outcome) => outcome.status === 'rejected');
	if (failure) {
		failure.reason.processes = processes;
		throw failure.reason;
	}
	return cluster(processes);
}

function cluster(processes) {
	const workerNames = Object.keys(processes).filter((name) => name.startsWith('worker'));

	/** The worker whose log says "Worker started execution <id> (job <n>)" – exactly one must. */
	function workerOf(executionId) {
		const marker = `Worker started execution ${executionId} (`;
		const found = workerNames.filter((name) =>
			readFileSync(processes[name].logFile, 'utf8').includes(marker),
		);
		assert.equal(
			found.length,
			1,
			`execution ${executionId} started on ${found.length ? found.join(' and ') : 'no worker'}`,
		);
		return found[0];
	}

	/** How many of the executions each worker ran, e.g. {"worker-1": 4, "worker-2": 6}. */
	function perWorker(executionIds) {
		const tally = Object.fromEntries(workerNames.map((name) => [name, 0]));
		for (const id of executionIds) tally[workerOf(id)]++;
		return tally;
	}

	function postToWebhook(urlPath, { body, headers = {} }) {
		const { url, label } = processes.webhook;
		return fetch(`${url}${urlPath}`, {
			method: 'POST',
			headers,
			body,
			signal: AbortSignal.timeout(60_000),
		}).catch((error) => {
			throw new Error(`POST ${label} ${urlPath}: ${error.message}`);
		});
	}

	/**
	 * Waits until the webhook process serves a newly published production webhook: before, a GET
	 * answers "not registered"; after, it names the method the path is registered for.
	 */
	async function waitForWebhook(webhookPath) {
		await waitFor(`the webhook process to serve /webhook/${webhookPath}`, async () => {
			const res = await fetch(`${processes.webhook.url}/webhook/${webhookPath}`, {
				signal: AbortSignal.timeout(10_000),
			});
			return /make a POST request/.test(await res.text());
		});
	}

	return {
		processes,
		main: processes.main,
		webhook: processes.webhook,
		workerNames,
		workerOf,
		perWorker,
		postToWebhook,
		waitForWebhook,
	};
}

/** The last lines of every process's log, for a failure report. */
export function logTails(processes, lines = 40) {
	return Object.entries(processes)
		.filter(([, proc]) => existsSync(proc.logFile))
		.map(
			([name, proc]) =>
				`\n--- ${name} log tail (${proc.logFile}) ---\n${tail(proc.logFile, lines)}\n`,
		)
		.join('');
}

export const showTally = (tally) =>
	Object.entries(tally)
		.map(([name, n]) => `${name} ${n}`)
		.join(', ');
