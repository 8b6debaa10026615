/** Bank look-ups over `GET /bank/search?search=`, shared by BankSearch, list search and PartnerCustomer. */
import type { IDataObject } from 'n8n-workflow';

import { fieldError, type FieldRef } from '../../shared/validation/validate';
import type { ApiContext } from '../../shared/transport';
import { apiRequest } from '../../shared/transport';
import { foldText } from './text';

export interface BankMatch {
	/** The partner API's own bank id (bank_id). */
	id: number;
	/** "237 - BRADESCO", as the API writes it. */
	label: string;
	/** COMPE code, three digits. */
	code: string;
	name: string;
}

export function toBankMatch(entry: IDataObject): BankMatch {
	const label = String(entry.name ?? '');
	const match = /^\s*(\d{1,3})\s*-\s*(.*)$/.exec(label);
	return {
		id: Number(entry.id),
		label,
		code: match ? match[1].padStart(3, '0') : '',
		name: match ? match[2].trim() : label.trim(),
	};
}

/** Sends `GET /bank/search?search=` and returns the matches as the API ranks them. */
export async function searchBanks(
	this: ApiContext,
	search: string,
	itemIndex?: number,
): Promise<BankMatch[]> {
	const data = await apiRequest.call(this, {
		service: 'partner',
		method: 'GET',
		path: '/bank/search',
		qs: { search: search.trim() },
		itemIndex,
	});
	return Array.isArray(data) ? (data as IDataObject[]).map(toBankMatch) : [];
}

/** A COMPE code ("237", "1", "001") as three digits, or undefined when the text is not a code. */
export function normalizeBankCode(value: unknown): string | undefined {
	const text = String(value ?? '').trim();
	return /^\d{1,3}$/.test(text) ? text.padStart(3, '0') : undefined;
}

/** The name without "BCO"/"BANCO" and "S.A.", folded: "BCO BRADESCO S.A." → "bradesco". */
export function bankCoreName(name: string): string {
	return foldText(name)
		.replace(/^(bco|banco)\.?\s+/, '')
		.replace(/[\s,]+s\.?\s?a\.?$/, '')
		.trim();
}

/** Whether a bank is exactly the one searched: same COMPE code, or same name. */
export function isExactBank(bank: BankMatch, query: string): boolean {
	const code = normalizeBankCode(query);
	if (code) return bank.code === code;
	const folded = foldText(query);
	return (
		folded !== '' &&
		(foldText(bank.name) === folded || bankCoreName(bank.name) === bankCoreName(query))
	);
}

/** Exact code or exact name matches first (when asked), then the API's order. */
export function rankBanks(
	matches: BankMatch[],
	query: string,
	options: { exactFirst?: boolean; limit?: number } = {},
): BankMatch[] {
	let list = [...matches];
	if (options.exactFirst !== false) {
		const folded = bankCoreName(query);
		const rank = (bank: BankMatch) =>
			isExactBank(bank, query) ? 0 : bankCoreName(bank.name).startsWith(folded) ? 1 : 2;
		list = list
			.map((bank, index) => ({ bank, index }))
			.sort((a, b) => rank(a.bank) - rank(b.bank) || a.index - b.index)
			.map((entry) => entry.bank);
	}
	return options.limit ? list.slice(0, options.limit) : list;
}

// One look-up per code per execution.
const codeCache = new WeakMap<object, Map<string, Promise<BankMatch[]>>>();

/** Resolves a COMPE code to the bank's API id, or fails naming the item and field. */
export async function resolveBankCode(
	this: ApiContext,
	code: string,
	itemIndex: number,
	field: FieldRef,
): Promise<BankMatch> {
	let cache = codeCache.get(this);
	if (!cache) codeCache.set(this, (cache = new Map()));
	let pending = cache.get(code);
	if (!pending) {
		pending = searchBanks.call(this, code, itemIndex);
		cache.set(code, pending);
		pending.catch(() => cache!.delete(code));
	}
	const matches = await pending;
	const bank = matches.find((match) => match.code === code);
	if (bank) return bank;
	const near = matches.slice(0, 5).map((match) => match.label);
	throw fieldError(
		this.getNode(),
		itemIndex,
		field,
		`no bank has the COMPE code ${code}${near.length ? `. Similar: ${near.join('; ')}` : ''}`,
	);
}
