/**
 * Parallel Requests when the node sets none. n8n spends ~2 ms of CPU per request on its own
 * request path (a new TCP+TLS connection each time), so one n8n process saturates at 8–10 requests
 * in flight on a fast API (bench: 1,000 creates at 20 ms latency take 5.8 s at 5, 4.0 s at 10,
 * no clear gain at 15 or 20); on slower links 10 is twice the throughput of 5. The APIs document
 * no rate limit, and a 429 is retried after its Retry-After, writes included.
 */
export const DEFAULT_CONCURRENCY = 10;

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
): Promise<Array<{ status: 'fulfilled'; value: O } | { status: 'rejected'; reason: unknown } | { status: 'skipped' }>> {
	const results: Array<{ status: 'fulfilled'; value: O } | { status: 'rejected'; reason: unknown } | { status: 'skipped' }> =
		inputs.map(() => ({ status: 'skipped' as const }));
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
