// Named checks of the real-n8n stages: each prints ✔/✖ with its detail and is recorded for the
// stage's summary line.
import { say } from '../stack.mjs';

/**
 * @param {{ stopOnFailure: boolean, onStart?: (name: string) => void }} options
 *   stopOnFailure: a failed check throws (the stage ends); otherwise the next check runs.
 */
export function checkRecorder({ stopOnFailure, onStart }) {
	const results = [];
	async function check(name, body) {
		const started = Date.now();
		onStart?.(name);
		try {
			const detail = await body();
			results.push({ name, ok: true, ms: Date.now() - started });
			say(`✔ ${name}${detail ? ` – ${detail}` : ''}`);
		} catch (error) {
			results.push({ name, ok: false, ms: Date.now() - started, error });
			say(`✖ ${name}: ${error.message}`);
			if (stopOnFailure) throw error;
		}
	}
	return { check, results };
}
