/**
 * Parallel Requests when the node sets none. n8n spends 2–3.5 ms of CPU per request on its own
 * request path (a new TCP+TLS connection each time, axios), so one n8n process keeps its CPU busy
 * only when Parallel Requests × that CPU exceeds the API's latency; below that it waits. Measured
 * (`npm run bench`, 20 ms latency, 2026-12-02): ours ÷ n8n's HTTP Request node per item, run by
 * run, was 1.05–1.13× at 10, 0.90–0.97× at 16 and 0.84–0.88× at 20; that node itself peaked at
 * 17–22 requests in flight. Real APIs are farther away than 20 ms, which only raises the number
 * needed. The APIs document no rate limit, and a 429 is retried after its Retry-After, writes
 * included; Return All grows its page window from 1 up to this (pagination.ts).
 */
export const DEFAULT_CONCURRENCY = 20;

/** The most the option accepts. */
export const MAX_CONCURRENCY = 50;

/**
 * Runs `task` over `inputs` with at most `limit` in flight and returns results in input order.
 * `shouldContinue` is asked before each new task starts; once it says no, nothing new starts and
 * the tasks already running are awaited, so the caller always knows what was sent.
 */
export async function mapWithConcurrency<I, O>(
	inputs: readonly I[],
	limit: number,
	task: (input: I, position: number) => Promise<O>,
	shouldContinue: () => boolean = () => true,
): Promise<
	Array<
		| { status: 'fulfilled'; value: O }
		| { status: 'rejected'; reason: unknown }
		| { status: 'skipped' }
	>
> {
	const results: Array<
		| { status: 'fulfilled'; value: O }
		| { status: 'rejected'; reason: unknown }
		| { status: 'skipped' }
	> = inputs.map(() => ({ status: 'skipped' as const }));
	let next = 0;
	const worker = async () => {
		while (next < inputs.length && shouldContinue()) {
			const position = next++;
			try {
				results[position] = { status: 'fulfilled', value: await task(inputs[position], position) };
			} catch (reason) {
				results[position] = { status: 'rejected', reason };
			}
		}
	};
	const workers = Array.from({ length: Math.max(1, Math.min(limit, inputs.length)) }, worker);
	await Promise.all(workers);
	return results;
}
