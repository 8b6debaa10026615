/**
 * Collects the figures each reliability test measured and, when RELIABILITY_FIGURES names a
 * file, appends them there as JSON lines (used to write docs/readme/reliability.md).
 */
import { appendFileSync } from 'node:fs';

export interface Figures {
	items: number;
	lost: number;
	duplicates: number;
	faults: number;
	faultsByLabel?: Record<string, number>;
	retries?: number;
	ms: number;
	[key: string]: unknown;
}

export function recordFigures(name: string, figures: Figures): void {
	const file = process.env.RELIABILITY_FIGURES;
	if (file) appendFileSync(file, `${JSON.stringify({ name, ...figures })}\n`);
}
