// The Partner Operation Trigger inside a real n8n: the example workflow (examples/
// partner-operation-authorised-poll.json, polling every minute, New Status = autorizado) is
// published before n8n starts. n8n's activation poll records the list; a status change in the
// sandbox gives exactly one execution at the next minute's poll; a change made while n8n is down
// gives exactly one execution after the restart, and the change before it is not emitted again.
// Called by scripts/e2e.mjs (reuses its n8n start and restart).
import assert from 'node:assert/strict';

import { n8nApi, nodeOutput, waitFor } from './lib/n8n-api.mjs';
import { n8nCli } from './n8n-local.mjs';
import { control } from './stack.mjs';

export const POLL_WORKFLOW_ID = 'kptPartnerPoll01';
const ROW_NODE = 'Build sheet row / ERP payload';

/** Publishes (activates) the polling example; n8n must not be running (CLI). */
export async function publishPollWorkflow({ cliOptions }) {
	await n8nCli(['publish:workflow', `--id=${POLL_WORKFLOW_ID}`], cliOptions);
}

/** List requests of the partner API the sandbox logged after `since` (a log seq). */
async function listPolls(sandbox, since) {
	const log = await control(sandbox, 'GET', `/log?service=partner&since=${since}`);
	return log.filter((entry) => entry.path.endsWith('/partner-operation/all'));
}

async function lastSeq(sandbox) {
	const log = await control(sandbox, 'GET', '/log');
	return log.length ? log[log.length - 1].seq : 0;
}

/**
 * @param {{ url: string, cookie: string, sandbox: object, check: Function,
 *   restart: (whileDown?: () => Promise<void>) => Promise<{url: string, cookie: string}> }} options
 */
export async function runPollChecks({ url, cookie, sandbox, check, restart }) {
	let api = n8nApi({ url, cookie });
	const executions = () => api.stableExecutions(POLL_WORKFLOW_ID, { stablePolls: 3 });
	const rowsOf = async (id) =>
		nodeOutput((await api.executionData(id)).data, ROW_NODE).map((item) => item.json);
	const info = await control(sandbox, 'GET', '/info');
	const bySlug = info.fixtures.operationIdsBySlug;
	const [first, second] = bySlug['em-analise'];

	await check(
		'polling trigger: activation records the list (no execution); a status change → exactly one execution at the next poll',
		async () => {
			await waitFor('the activation poll', async () => (await listPolls(sandbox, 0)).length > 0);
			assert.equal((await executions()).length, 0, 'the activation poll emitted something');
			const since = await lastSeq(sandbox);
			await control(sandbox, 'POST', `/operations/${first}/status`, { slug: 'autorizado' });
			// Filtered out by New Status = autorizado: recorded, not emitted.
			await control(sandbox, 'POST', `/operations/${bySlug.autorizado[0]}/status`, {
				slug: 'pago',
			});
			await waitFor(
				'an execution of the polling workflow',
				async () => (await api.executionsOf(POLL_WORKFLOW_ID)).length > 0,
				75_000,
			);
			const list = await executions();
			assert.equal(list.length, 1, 'exactly one execution');
			assert.equal(list[0].status, 'success');
			const rows = await rowsOf(list[0].id);
			assert.deepEqual(
				rows.map((row) => [row.operation_id, row.previous_status, row.status]),
				[[first, 'em-analise', 'autorizado']],
			);
			const polls = await listPolls(sandbox, since);
			return `execution ${list[0].id} after ${polls.length} list request(s) of the minute's poll`;
		},
	);

	await check(
		'polling trigger: a change while n8n is down → one execution after the restart; nothing emitted twice',
		async () => {
			({ url, cookie } = await restart(async () => {
				await control(sandbox, 'POST', `/operations/${second}/status`, { slug: 'autorizado' });
			}));
			api = n8nApi({ url, cookie });
			await waitFor(
				'the execution after the restart',
				async () => (await api.executionsOf(POLL_WORKFLOW_ID)).length > 1,
				75_000,
			);
			const list = await executions();
			assert.equal(list.length, 2, 'exactly one more execution');
			const rows = await rowsOf(list[0].id);
			assert.deepEqual(
				rows.map((row) => [row.operation_id, row.status]),
				[[second, 'autorizado']],
			);
			return `execution ${list[0].id}: ${second} → autorizado`;
		},
	);
	return { url, cookie };
}

/** The sandbox's list requests grouped into polls (a gap of more than 5 s starts a new poll). */
function pollRounds(requests) {
	const rounds = [];
	for (const request of requests) {
		const last = rounds[rounds.length - 1];
		if (last && request.startedAt - last.end <= 5_000) {
			last.requests++;
			last.end = Math.max(last.end, request.finishedAt || request.startedAt);
		} else
			rounds.push({
				start: request.startedAt,
				end: request.finishedAt || request.startedAt,
				requests: 1,
			});
	}
	return rounds;
}

/**
 * Queue mode (scripts/e2e-queue.mjs): the polling example is active on a main with workers. n8n
 * polls on main only: one poll per minute, whatever the number of workers; a status change gives
 * one execution (run by a worker).
 * @param {{ api: ReturnType<typeof n8nApi>, sandbox: object, check: Function, workerOf?: Function }} options
 */
export async function runQueuePollCheck({ api, sandbox, check, workerOf }) {
	await check(
		'polling trigger in queue mode: one poll per minute (on main, not one per worker); a change → one execution',
		async () => {
			const info = await control(sandbox, 'GET', '/info');
			const id = info.fixtures.operationIdsBySlug['aguardando-documentos'][0];
			const before = (await api.executionsOf(POLL_WORKFLOW_ID)).length;
			const since = await lastSeq(sandbox);
			await control(sandbox, 'POST', `/operations/${id}/status`, { slug: 'autorizado' });
			await waitFor(
				'an execution of the polling workflow',
				async () => (await api.executionsOf(POLL_WORKFLOW_ID)).length > before,
				75_000,
			);
			const list = await api.stableExecutions(POLL_WORKFLOW_ID, { stablePolls: 3 });
			assert.equal(list.length - before, 1, 'exactly one execution for the change');
			assert.equal(list[0].status, 'success');
			// The polls since the change: each one round of at most 3 list requests (one poller: a
			// poller per worker would double them at the same tick), and a minute apart.
			const rounds = pollRounds(await listPolls(sandbox, since));
			assert.ok(rounds.length >= 1, 'no poll seen');
			for (const round of rounds)
				assert.ok(
					round.requests <= 3,
					`a poll of ${round.requests} list requests (several pollers?)`,
				);
			for (let i = 1; i < rounds.length; i++)
				assert.ok(
					rounds[i].start - rounds[i - 1].start >= 50_000,
					`two polls ${Math.round((rounds[i].start - rounds[i - 1].start) / 1000)} s apart`,
				);
			return `${rounds.length} polls, ≥ 50 s apart (${rounds.map((r) => r.requests).join('/')} list requests each); execution ${list[0].id}${workerOf ? ` on ${workerOf(list[0].id)}` : ''}`;
		},
	);
}
