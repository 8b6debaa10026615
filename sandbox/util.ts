/** Small helpers shared by the sandbox: documents, PRNG, ids, formatting. */
import { randomUUID } from 'crypto';

// ---------- PRNG ----------
/** mulberry32: tiny deterministic PRNG returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

export type Rng = () => number;

export function randInt(rng: Rng, min: number, max: number): number {
	return min + Math.floor(rng() * (max - min + 1));
}

export function pick<T>(rng: Rng, arr: readonly T[]): T {
	return arr[Math.floor(rng() * arr.length)];
}

/** A v4-shaped uuid derived from the PRNG (deterministic seeds). */
export function uuidFrom(rng: Rng): string {
	const hex: string[] = [];
	for (let i = 0; i < 32; i++) hex.push(Math.floor(rng() * 16).toString(16));
	hex[12] = '4';
	hex[16] = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
	const h = hex.join('');
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function uuid(): string {
	return randomUUID();
}

const HASH_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
/** 10-char lowercase alphanumeric hash id, like "yzjd47d5kn". */
export function hashIdFrom(rng: Rng): string {
	let s = '';
	for (let i = 0; i < 10; i++) s += HASH_ALPHABET[Math.floor(rng() * HASH_ALPHABET.length)];
	return s;
}

// ---------- Documents ----------
function charValue(c: string): number {
	return c.charCodeAt(0) - 48;
}

function dv(values: number[], weights: number[]): number {
	let sum = 0;
	for (let i = 0; i < values.length; i++) sum += values[i] * weights[i];
	const r = sum % 11;
	return r < 2 ? 0 : 11 - r;
}

const W1 = [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];
const W2 = [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];

/** Check digits for a 12-char (alphanumeric) CNPJ base. */
export function cnpjCheckDigits(base12: string): string {
	const vals = base12.toUpperCase().split('').map(charValue);
	const d1 = dv(vals, W1);
	const d2 = dv([...vals, d1], W2);
	return `${d1}${d2}`;
}

/** Strips the mask characters . / - (never letters) and upper-cases. */
export function stripCnpjMask(v: string): string {
	return v.replace(/[./\-\s]/g, '').toUpperCase();
}

/** Validates an unmasked 14-char CNPJ (numeric or alphanumeric). */
export function isValidCnpj(v: string): boolean {
	if (!/^[0-9A-Z]{12}[0-9]{2}$/.test(v)) return false;
	if (/^(.)\1{13}$/.test(v)) return false;
	return cnpjCheckDigits(v.slice(0, 12)) === v.slice(12);
}

export function makeCnpj(base12: string): string {
	return base12 + cnpjCheckDigits(base12);
}

export function isValidCpf(v: string): boolean {
	if (!/^\d{11}$/.test(v)) return false;
	if (/^(\d)\1{10}$/.test(v)) return false;
	const d = v.split('').map(Number);
	const calc = (n: number) => {
		let s = 0;
		for (let i = 0; i < n; i++) s += d[i] * (n + 1 - i);
		const r = (s * 10) % 11;
		return r === 10 ? 0 : r;
	};
	return calc(9) === d[9] && calc(10) === d[10];
}

export function makeCpf(base9: string): string {
	const d = base9.split('').map(Number);
	const calc = (arr: number[]) => {
		let s = 0;
		const n = arr.length;
		for (let i = 0; i < n; i++) s += arr[i] * (n + 1 - i);
		const r = (s * 10) % 11;
		return r === 10 ? 0 : r;
	};
	const d1 = calc(d);
	const d2 = calc([...d, d1]);
	return base9 + d1 + d2;
}

export function randomCnpj(rng: Rng): string {
	let base = '';
	for (let i = 0; i < 8; i++) base += randInt(rng, 0, 9);
	return makeCnpj(base + '0001');
}

export function randomCpf(rng: Rng): string {
	let base = '';
	for (let i = 0; i < 9; i++) base += randInt(rng, 0, 9);
	const cpf = makeCpf(base);
	return isValidCpf(cpf) ? cpf : makeCpf('123456789');
}

export function formatCpf(v: string): string {
	return `${v.slice(0, 3)}.${v.slice(3, 6)}.${v.slice(6, 9)}-${v.slice(9)}`;
}

export function formatCnpj(v: string): string {
	return `${v.slice(0, 2)}.${v.slice(2, 5)}.${v.slice(5, 8)}/${v.slice(8, 12)}-${v.slice(12)}`;
}

// ---------- Phones ----------
export function digitsOnly(v: string): string {
	return v.replace(/\D/g, '');
}

/** Removes a leading +55 / 55 country code when the remainder has 10-11 digits. */
export function normalizePhone(v: string): string {
	let d = digitsOnly(v);
	if ((d.length === 12 || d.length === 13) && d.startsWith('55')) d = d.slice(2);
	return d;
}

export function isMobile(v: string): boolean {
	const d = normalizePhone(v);
	return /^[1-9][0-9]9\d{8}$/.test(d);
}

export function isPhone(v: string): boolean {
	const d = normalizePhone(v);
	return /^[1-9][0-9]\d{8,9}$/.test(d);
}

// ---------- Text ----------
/** Lower-case, accent-free, collapsed whitespace. */
export function fold(v: string): string {
	return v
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/\s+/g, ' ')
		.trim();
}

// ---------- Numbers & dates ----------
export function round2(n: number): number {
	return Math.round((n + Number.EPSILON) * 100) / 100;
}

/** 5788.8 → "5.788,80" */
export function formatNumberBR(n: number, decimals = 2): string {
	const neg = n < 0;
	const fixed = Math.abs(n).toFixed(decimals);
	const [int, frac] = fixed.split('.');
	const withDots = int.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
	return `${neg ? '-' : ''}${withDots}${frac !== undefined ? ',' + frac : ''}`;
}

/**
 * Formatted amounts, remembered: a list page of 500 operations formats 3,500 of them, and the
 * bench reads the same 10,000 operations again and again. Without this the sandbox's own
 * formatting was a large part of a page's server time, which every client of the bench waits for.
 */
const FORMAT_MEMO_SIZE = 100_000;
const brlMemo = new Map<number, string>();
const percentMemo = new Map<number, string>();

function remembered(memo: Map<number, string>, n: number, format: (n: number) => string): string {
	let text = memo.get(n);
	if (text === undefined) {
		if (memo.size >= FORMAT_MEMO_SIZE) memo.clear();
		text = format(n);
		memo.set(n, text);
	}
	return text;
}

export function brl(n: number): string {
	return remembered(brlMemo, n, (value) => `R$ ${formatNumberBR(value)}`);
}

export function percent(n: number): string {
	return remembered(percentMemo, n, (value) => `${formatNumberBR(value)}%`);
}

/** YYYY-MM-DD that is a real calendar date. */
export function isIsoDate(v: unknown): v is string {
	if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
	const d = new Date(`${v}T00:00:00.000Z`);
	return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}

/** DD/MM/YYYY that is a real calendar date. */
export function isBrDate(v: unknown): v is string {
	if (typeof v !== 'string' || !/^\d{2}\/\d{2}\/\d{4}$/.test(v)) return false;
	const [dd, mm, yyyy] = v.split('/');
	return isIsoDate(`${yyyy}-${mm}-${dd}`);
}

export function pad2(n: number): string {
	return String(n).padStart(2, '0');
}

/** "YYYY-MM-DD HH:MM:SS" (UTC) */
export function sqlDateTime(ms: number): string {
	const d = new Date(ms);
	return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
}

/** "DD/MM/YYYY" (UTC) */
export function brDate(ms: number): string {
	const d = new Date(ms);
	return `${pad2(d.getUTCDate())}/${pad2(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`;
}

export function isoDate(ms: number): string {
	return new Date(ms).toISOString().slice(0, 10);
}
