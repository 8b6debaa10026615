/**
 * Brazilian identifiers and formats. Pure functions: every one returns the normalized value or
 * throws an `InputError` whose message is written for the person who typed the value.
 */
import { DateTime } from 'luxon';

export class InputError extends Error {}

const MASK_CHARACTERS = /[.\-/\s]/g;

/**
 * Upper-cases a-z only. String#toUpperCase also folds "ı" to "I" and "ſ" to "S", which would turn
 * text that is not a CNPJ into valid-looking CNPJ letters.
 */
export function asciiUpperCase(text: string): string {
	return text.replace(/[a-z]/g, (char) => String.fromCharCode(char.charCodeAt(0) - 32));
}

function charValue(char: string): number {
	return char.charCodeAt(0) - 48;
}

function mod11Digit(chars: string, weights: number[]): number {
	let sum = 0;
	for (let index = 0; index < weights.length; index++)
		sum += charValue(chars[index]) * weights[index];
	const remainder = sum % 11;
	return remainder < 2 ? 0 : 11 - remainder;
}

const CNPJ_DV1_WEIGHTS = [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];
const CNPJ_DV2_WEIGHTS = [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];

/** Normalizes a CNPJ, numeric or alphanumeric (since July 2026), to its 14 bare characters. */
export function normalizeCnpj(input: unknown): string {
	const raw = String(input ?? '').trim();
	if (!raw) throw new InputError('is empty: expected a CNPJ such as 12.ABC.345/01DE-35');
	const value = asciiUpperCase(raw.replace(MASK_CHARACTERS, ''));
	if (value.length !== 14) {
		throw new InputError(`"${raw}" is not a CNPJ: expected 14 characters, got ${value.length}`);
	}
	if (!/^[0-9A-Z]{12}[0-9]{2}$/.test(value)) {
		throw new InputError(
			`"${raw}" is not a CNPJ: the first 12 characters must be letters or digits and the last 2 digits`,
		);
	}
	if (/^(.)\1{13}$/.test(value)) throw new InputError(`"${raw}" is not a valid CNPJ`);
	const dv1 = mod11Digit(value, CNPJ_DV1_WEIGHTS);
	const dv2 = mod11Digit(value.slice(0, 12) + String(dv1), CNPJ_DV2_WEIGHTS);
	if (value.slice(12) !== `${dv1}${dv2}`) {
		throw new InputError(`"${raw}" is not a valid CNPJ: the check digits do not match`);
	}
	return value;
}

/** Normalizes a CPF to its 11 digits. */
export function normalizeCpf(input: unknown): string {
	const raw = String(input ?? '').trim();
	if (!raw) throw new InputError('is empty: expected a CPF such as 529.982.247-25');
	const value = raw.replace(MASK_CHARACTERS, '');
	if (!/^\d+$/.test(value)) throw new InputError(`"${raw}" is not a CPF: only digits are allowed`);
	if (value.length !== 11) {
		throw new InputError(`"${raw}" is not a CPF: expected 11 digits, got ${value.length}`);
	}
	if (/^(\d)\1{10}$/.test(value)) throw new InputError(`"${raw}" is not a valid CPF`);
	const digit = (length: number) => {
		let sum = 0;
		for (let index = 0; index < length; index++) sum += Number(value[index]) * (length + 1 - index);
		const remainder = (sum * 10) % 11;
		return remainder === 10 ? 0 : remainder;
	};
	if (digit(9) !== Number(value[9]) || digit(10) !== Number(value[10])) {
		throw new InputError(`"${raw}" is not a valid CPF: the check digits do not match`);
	}
	return value;
}

export type TaxIdKind = 'cpf' | 'cnpj';

/** Accepts a CPF or a CNPJ and tells which one it is by its length. */
export function normalizeTaxId(input: unknown): { kind: TaxIdKind; value: string } {
	const raw = String(input ?? '').trim();
	if (!raw) throw new InputError('is empty: expected a CPF or a CNPJ');
	const bare = raw.replace(MASK_CHARACTERS, '');
	if (bare.length === 11) return { kind: 'cpf', value: normalizeCpf(raw) };
	if (bare.length === 14) return { kind: 'cnpj', value: normalizeCnpj(raw) };
	throw new InputError(`"${raw}" is neither a CPF (11 digits) nor a CNPJ (14 characters)`);
}

export function normalizeCep(input: unknown): string {
	const raw = String(input ?? '').trim();
	const value = raw.replace(MASK_CHARACTERS, '');
	if (!/^\d{8}$/.test(value))
		throw new InputError(`"${raw}" is not a CEP: expected 8 digits such as 01310-100`);
	if (/^0{8}$/.test(value)) throw new InputError(`"${raw}" is not a valid CEP`);
	return value;
}

export function formatCep(cep: string): string {
	return `${cep.slice(0, 5)}-${cep.slice(5)}`;
}

export type PhoneKind = 'mobile' | 'landline' | 'any';

/** Returns area code + number (10 or 11 digits), without +55. */
export function normalizePhone(input: unknown, kind: PhoneKind = 'any'): string {
	const raw = String(input ?? '').trim();
	let value = raw.replace(/[\s().+\-/]/g, '');
	if (!/^\d+$/.test(value))
		throw new InputError(
			`"${raw}" is not a phone number: only digits, spaces, ( ) - + are allowed`,
		);
	if ((value.length === 12 || value.length === 13) && value.startsWith('55'))
		value = value.slice(2);
	if (value.length === 11 && value.startsWith('0')) value = value.slice(1);
	if (value.length !== 10 && value.length !== 11) {
		throw new InputError(
			`"${raw}" is not a phone number: expected area code + number (10 or 11 digits)`,
		);
	}
	if (/^(0|\d0)/.test(value)) throw new InputError(`"${raw}" has an invalid area code`);
	const isMobile = value.length === 11 && value[2] === '9';
	if (value.length === 11 && !isMobile) {
		throw new InputError(
			`"${raw}" is not a phone number: 11-digit numbers are mobiles and have a 9 after the area code`,
		);
	}
	if (kind === 'mobile' && !isMobile) {
		throw new InputError(
			`"${raw}" is not a mobile number: expected area code + 9 + 8 digits, e.g. 11987654321`,
		);
	}
	if (kind === 'landline' && isMobile)
		throw new InputError(`"${raw}" is a mobile number, a landline is expected`);
	return value;
}

const BR_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
/** A date, optionally with a time of day and a zone; nothing else may follow. */
const ISO_DATE =
	/^(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

export interface DateOptions {
	/** The zone in which a JS Date (an instant) is read as a calendar date: the instance's time zone. */
	zone?: string;
}

/**
 * Accepts DD/MM/YYYY, ISO dates and date-times, JS Dates and Luxon DateTimes; returns a calendar
 * date. An ISO date-time gives the date written in it (its time and offset do not move the day);
 * a JS Date is read in `options.zone`; a Luxon DateTime in its own zone.
 */
export function parseCalendarDate(input: unknown, options: DateOptions = {}): DateTime {
	if (input instanceof Date) {
		if (Number.isNaN(input.getTime())) throw new InputError('is not a valid date');
		const local = DateTime.fromJSDate(input, { zone: options.zone ?? 'utc' });
		if (!local.isValid) throw new InputError('is not a valid date');
		return checkedDate(String(input), local.year, local.month, local.day);
	}
	if (DateTime.isDateTime(input)) {
		if (!input.isValid) throw new InputError('is not a valid date');
		return checkedDate(input.toISO() ?? '', input.year, input.month, input.day);
	}
	if (input !== null && typeof input === 'object')
		throw new InputError('is not a date: expected text such as 31/12/2025 or 2025-12-31');
	const raw = String(input ?? '').trim();
	if (!raw) throw new InputError('is empty: expected a date such as 31/12/2025 or 2025-12-31');
	const br = BR_DATE.exec(raw);
	const iso = ISO_DATE.exec(raw);
	if (br) return checkedDate(raw, Number(br[3]), Number(br[2]), Number(br[1]));
	if (iso) {
		if (raw.length > 10 && !DateTime.fromISO(raw.replace(' ', 'T'), { setZone: true }).isValid) {
			throw new InputError(`"${raw}" is not a date: the time after the date is not a valid time`);
		}
		return checkedDate(raw, Number(iso[1]), Number(iso[2]), Number(iso[3]));
	}
	throw new InputError(
		`"${raw}" is not a date: use DD/MM/YYYY or YYYY-MM-DD (nothing else after it but an ISO time)`,
	);
}

function checkedDate(raw: string, year: number, month: number, day: number): DateTime {
	if (year < 1000)
		throw new InputError(`"${raw}" is not a date: the year must have four digits from 1000 on`);
	const date = DateTime.utc(year, month, day);
	if (!date.isValid || date.day !== day || date.month !== month) {
		throw new InputError(`"${raw}" is not a real calendar date`);
	}
	return date;
}

export function toIsoDate(input: unknown, options?: DateOptions): string {
	return parseCalendarDate(input, options).toFormat('yyyy-MM-dd');
}

export function toBrazilianDate(input: unknown, options?: DateOptions): string {
	return parseCalendarDate(input, options).toFormat('dd/MM/yyyy');
}

/** Larger amounts are typing or formula errors, not orders: 999.999.999.999,99 is the most accepted. */
export const MAX_AMOUNT = 1e12;

/**
 * A number written like an amount (Brazilian rule: a comma is the decimal separator; a dot followed
 * by groups of three digits separates thousands, so "1.000" is one thousand), with at most 2
 * decimals. Returns the number without its sign handling; `raw` is for messages.
 */
function parseDecimalText(text: string, raw: string, what: string): number {
	let normalized: string;
	if (/^\d{1,3}(\.\d{3})*(,\d{1,2})?$/.test(text) || /^\d+(,\d{1,2})?$/.test(text)) {
		normalized = text.replace(/\./g, '').replace(',', '.');
	} else if (/^\d+(\.\d{1,2})?$/.test(text) || /^\d{1,3}(,\d{3})+\.\d{1,2}$/.test(text)) {
		normalized = text.replace(/,/g, '');
	} else {
		throw new InputError(`"${raw}" is not ${what}: use 1234.56 or 1.234,56 (at most 2 decimals)`);
	}
	return Number(normalized);
}

/**
 * Money as a number: accepts numbers, "1234.56", "1.234,56", "R$ 1.234,56", "-R$ 5,00".
 * A comma is the decimal separator when present; dots are then thousands separators. More than
 * 2 decimals is refused (as text and as a number: nothing is rounded silently), and so is an
 * amount of a trillion or more.
 */
export function parseMoney(input: unknown): number {
	if (typeof input === 'number') {
		if (!Number.isFinite(input)) throw new InputError(`"${input}" is not an amount`);
		if (Math.abs(input) >= MAX_AMOUNT)
			throw new InputError(`${input} is not a plausible amount: at most 999999999999.99`);
		const cents = input * 100;
		if (Math.abs(cents - Math.round(cents)) > 1e-6)
			throw new InputError(`${input} has more than 2 decimals: round it first`);
		return Math.round(cents) / 100;
	}
	if (input !== null && typeof input === 'object')
		throw new InputError('is not an amount: expected a number or text such as R$ 1.234,56');
	const raw = String(input ?? '').trim();
	if (!raw) throw new InputError('is empty: expected an amount such as 1234.56 or R$ 1.234,56');
	let text = raw.replace(/^(-?)\s*R\$\s*/i, '$1').replace(/\s/g, '');
	const negative = text.startsWith('-');
	if (negative) text = text.slice(1);
	const value = parseDecimalText(text, raw, 'an amount');
	if (!Number.isFinite(value)) throw new InputError(`"${raw}" is not an amount`);
	if (value >= MAX_AMOUNT)
		throw new InputError(`"${raw}" is not a plausible amount: at most 999999999999.99`);
	return negative ? -value : value;
}

/**
 * A count (installments, quantities of the partner API): a JS integer, or digits with optional
 * Brazilian thousands dots ("1.000" is 1000, as for money). "0x0C", "1e1", "0b11", "1.5" and
 * "1,000" are refused: Number() would read the first three as numbers.
 */
export function parsePositiveInteger(input: unknown): number {
	if (typeof input === 'number') {
		if (!Number.isSafeInteger(input) || input <= 0)
			throw new InputError(`${input} must be a whole number greater than 0`);
		return input;
	}
	const raw = typeof input === 'string' ? input.trim() : '';
	if (!/^(\d+|\d{1,3}(\.\d{3})+)$/.test(raw)) {
		throw new InputError(
			`${JSON.stringify(input ?? '')} must be a whole number greater than 0, written with digits only (e.g. 12)`,
		);
	}
	const value = Number(raw.replace(/\./g, ''));
	if (!Number.isSafeInteger(value) || value <= 0)
		throw new InputError(`"${raw}" must be a whole number greater than 0`);
	return value;
}

/**
 * A quantity that may have decimals (Kapitale purchase items): a number, or text written like an
 * amount ("2,5", "1.000" = one thousand). At most 2 decimals; no hex, exponent or binary forms.
 */
export function parsePositiveQuantity(input: unknown): number {
	if (typeof input === 'number') {
		if (!Number.isFinite(input) || input <= 0 || input >= MAX_AMOUNT)
			throw new InputError(`${input} must be a number greater than 0`);
		return input;
	}
	if (input !== null && typeof input === 'object')
		throw new InputError('must be a number greater than 0, not an object or a list');
	const raw = String(input ?? '').trim();
	if (!raw) throw new InputError('is empty: expected a quantity greater than 0');
	const value = parseDecimalText(raw, raw, 'a quantity');
	if (!Number.isFinite(value) || value <= 0 || value >= MAX_AMOUNT)
		throw new InputError(`"${raw}" must be a number greater than 0`);
	return value;
}

/** Text of a field: strings, numbers and booleans are text; an object or a list is refused (no "[object Object]"). */
export function toText(input: unknown): string {
	if (
		input !== null &&
		typeof input === 'object' &&
		!(input instanceof Date) &&
		!DateTime.isDateTime(input)
	) {
		throw new InputError(`must be text, not ${Array.isArray(input) ? 'a list' : 'an object'}`);
	}
	return String(input ?? '').trim();
}

/**
 * The shapes the partner API writes ("R$ 1.234,56", "-R$ 1.000,00", "153,67%", "12"), read in one
 * pass without building strings: a Return All over 10,000 operations reads 70,000 of them, and
 * the general path (trim, four replaces, up to three tests) was the largest cost of its
 * simplified output. The digits are gathered as one integer and divided by a power of ten: both
 * are exact below 2^53, so the quotient is the correctly rounded value, the same as Number() of the
 * decimal text. Anything else (spaces, "1.5", more than 15 digits) answers undefined.
 */
const POWERS_OF_TEN = [
	1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
];

function readCommonDisplayNumber(text: string): number | undefined {
	const length = text.length;
	let index = 0;
	let sign = 1;
	if (text.charCodeAt(index) === 45 /* - */) {
		sign = -1;
		index++;
	}
	if (text.startsWith('R$ ', index)) index += 3;
	let digits = 0;
	let mantissa = 0;
	let groupLength = 0;
	let grouped = false;
	let decimals = -1;
	for (; index < length; index++) {
		const code = text.charCodeAt(index);
		if (code >= 48 && code <= 57) {
			mantissa = mantissa * 10 + (code - 48);
			digits++;
			groupLength++;
			if (decimals >= 0) decimals++;
		} else if (code === 46 /* . */ && decimals < 0) {
			// A thousands dot: after 1–3 digits first, then after groups of exactly 3.
			if (grouped ? groupLength !== 3 : groupLength < 1 || groupLength > 3) return undefined;
			grouped = true;
			groupLength = 0;
		} else if (code === 44 /* , */ && decimals < 0 && groupLength > 0) {
			if (grouped && groupLength !== 3) return undefined;
			decimals = 0;
		} else break;
	}
	if (index < length && !(index === length - 1 && text.charCodeAt(index) === 37) /* % */)
		return undefined;
	if (digits === 0 || digits > 15 || decimals === 0) return undefined;
	if (decimals < 0 && grouped && groupLength !== 3) return undefined;
	return decimals > 0 ? (sign * mantissa) / POWERS_OF_TEN[decimals] : sign * mantissa;
}

/** Display strings of the partner API ("R$ 5.788,80", "153,67%", "3290.0000") to numbers. */
export function parseDisplayNumber(input: unknown): number | null {
	if (input === null || input === undefined || input === '') return null;
	if (typeof input === 'number') return input;
	if (typeof input === 'string') {
		const common = readCommonDisplayNumber(input);
		if (common !== undefined) return common;
	}
	const text = String(input)
		.trim()
		.replace(/^(-?)\s*R\$\s*/i, '$1')
		.replace(/%$/, '')
		.replace(/\s/g, '');
	if (/^-?\d{1,3}(\.\d{3})*(,\d+)?$/.test(text) || /^-?\d+,\d+$/.test(text)) {
		return Number(text.replace(/\./g, '').replace(',', '.'));
	}
	if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
	return null;
}

export function formatCnpj(cnpj: string): string {
	return `${cnpj.slice(0, 2)}.${cnpj.slice(2, 5)}.${cnpj.slice(5, 8)}/${cnpj.slice(8, 12)}-${cnpj.slice(12)}`;
}

export function formatCpf(cpf: string): string {
	return `${cpf.slice(0, 3)}.${cpf.slice(3, 6)}.${cpf.slice(6, 9)}-${cpf.slice(9)}`;
}
