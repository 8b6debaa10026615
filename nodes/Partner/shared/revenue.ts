/**
 * The 12-month revenue of a PJ applicant. Accepted as a fixed collection, a list ("1000; 2000; …"
 * or "1000, 2000, …"), a JSON array or a JSON object {"1": …, "12": …}; sent in the shape each
 * endpoint wants. Pure functions that throw InputError.
 */
import type { IDisplayOptions, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readNodeParameter } from '../../shared/execution/parameters';
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

/** The formats the revenue text field accepts, as its description names them. */
export const REVENUE_FORMATS =
	'12 monthly amounts, month 1 first: a list ("5000; 6000; …" or "5000, 6000, …"), a JSON array, or a JSON object {"1": …, "12": …}.';

/**
 * The three revenue parameters of a PJ applicant: a choice between one text field and twelve
 * month entries, then both of them, each shown only for its choice. `show` is where the whole group
 * appears; `description` is the text field's (the customer node says more about number formats).
 */
export function revenueFields(
	show: IDisplayOptions['show'],
	description: string,
): INodeProperties[] {
	return [
		{
			displayName: 'Revenue Input',
			name: 'revenueInput',
			type: 'options',
			options: [
				{ name: 'List or JSON', value: 'text', description: 'One field with the 12 amounts' },
				{ name: 'Month by Month', value: 'months', description: 'Twelve entries, month 1 first' },
			],
			default: 'text',
			displayOptions: { show },
		},
		{
			displayName: 'Revenue (Last 12 Months)',
			name: 'revenue',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. 5000; 5200; 4800; 5100; 5300; 5000; 4900; 5500; 5600; 5000; 5100; 5200',
			description,
			hint: 'Separate amounts with ";" when they use decimal commas, e.g. R$ 5.000,50; 5.200,00',
			displayOptions: { show: { ...show, revenueInput: ['text'] } },
		},
		{
			displayName: 'Revenue (Last 12 Months)',
			name: 'revenueMonths',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true, maxAllowedFields: REVENUE_MONTHS },
			default: {},
			placeholder: 'Add Month',
			description: 'Exactly 12 entries, month 1 first',
			options: [
				{
					displayName: 'Month',
					name: 'months',
					values: [
						{
							displayName: 'Amount',
							name: 'amount',
							type: 'string',
							default: '',
							placeholder: 'e.g. R$ 5.000,00',
							description: 'Revenue of the month in reais',
						},
					],
				},
			],
			displayOptions: { show: { ...show, revenueInput: ['months'] } },
		},
	];
}

/** The revenue as the user gave it (text or month entries), still unparsed: see parseRevenue. */
export function readRevenueInput(context: IExecuteFunctions, itemIndex: number): unknown {
	const revenueInput = readNodeParameter(context, 'revenueInput', itemIndex, 'text') as string;
	return revenueInput === 'months'
		? readNodeParameter(context, 'revenueMonths', itemIndex, {})
		: readNodeParameter(context, 'revenue', itemIndex, '');
}
