/**
 * The 12-month revenue of a PJ applicant. Accepted as a fixed collection, a list ("1000; 2000; …"
 * or "1000, 2000, …"), a JSON array or a JSON object {"1": …, "12": …}; sent in the shape each
 * endpoint wants. Pure functions that throw InputError.
 */
import { InputError, parseMoney } from '../../shared/validation/brazil';

export const REVENUE_MONTHS = 12;

function amount(value: unknown, position: number): number {
	let parsed = Number.NaN;
	let problem: string | undefined;
	try {
		parsed = parseMoney(value);
	} catch (error) {
		problem = (error as Error).message;
	}
	if (problem !== undefined) throw new InputError(`month ${position}: ${problem}`);
	if (parsed < 0)
		throw new InputError(
			`month ${position}: revenue cannot be negative (${JSON.stringify(value)})`,
		);
	return parsed;
}

function fromObject(record: Record<string, unknown>): unknown[] {
	const keys = Object.keys(record);
	const expected = Array.from({ length: REVENUE_MONTHS }, (_, index) => String(index + 1));
	if (keys.length !== REVENUE_MONTHS || !expected.every((key) => key in record)) {
		throw new InputError(
			`must have the keys "1" to "12" exactly once each, got ${keys.length ? keys.map((key) => `"${key}"`).join(', ') : 'none'}`,
		);
	}
	return expected.map((key) => record[key]);
}

function splitList(text: string): string[] {
	const separator = /[;\n|]/.test(text) ? /[;\n|]/ : /,/;
	return text
		.split(separator)
		.map((part) => part.trim())
		.filter((part) => part !== '');
}

/** Returns the 12 monthly amounts, month 1 first. */
export function parseRevenue(input: unknown): number[] {
	let values: unknown[];
	if (Array.isArray(input)) values = input;
	else if (input && typeof input === 'object') {
		const record = input as Record<string, unknown>;
		// n8n fixed collection: { months: [{ amount }, …] }
		if (Array.isArray(record.months))
			values = (record.months as Array<Record<string, unknown>>).map((entry) => entry?.amount);
		else values = fromObject(record);
	} else {
		const text = String(input ?? '').trim();
		if (!text) throw new InputError('is empty: give the 12 monthly amounts');
		if (text.startsWith('[') || text.startsWith('{')) {
			let parsed: unknown;
			let problem: string | undefined;
			try {
				parsed = JSON.parse(text);
			} catch (error) {
				problem = (error as Error).message;
			}
			if (problem !== undefined) throw new InputError(`is not valid JSON (${problem})`);
			return parseRevenue(parsed);
		}
		values = splitList(text);
	}
	if (values.length !== REVENUE_MONTHS) {
		throw new InputError(`needs exactly ${REVENUE_MONTHS} monthly amounts, got ${values.length}`);
	}
	return values.map((value, index) => amount(value, index + 1));
}

function plain(value: number): string {
	return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

/** `/partner-customer/insert` and `/update`: a list of 12 strings. */
export function revenueAsList(values: number[]): string[] {
	return values.map(plain);
}

/** `/operation/create` (PJ): an object {"1": "…", …, "12": "…"}. */
export function revenueAsObject(values: number[]): Record<string, string> {
	return Object.fromEntries(values.map((value, index) => [String(index + 1), plain(value)]));
}
