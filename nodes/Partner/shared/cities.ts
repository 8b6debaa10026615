/**
 * City look-ups over `POST /city/search?name=`, written once for the CitySearch node, the
 * list-search methods and the resolution of typed city names in PartnerCustomer/PartnerOperation.
 */
import type { IDataObject } from 'n8n-workflow';

import { fieldError, type FieldRef } from '../../shared/validation/validate';
import type { ApiContext } from '../../shared/transport';
import { apiRequest } from '../../shared/transport';
import { InputError } from '../../shared/validation/brazil';
import { editDistance, foldText, isUf } from './text';

export interface CityMatch {
	/** The partner API's own city id (address_city_id). */
	id: number;
	/** "Araranguá - SC", as the API writes it. */
	label: string;
	city: string;
	uf: string;
	/** IBGE municipality code (remote_id). */
	ibgeCode: number | null;
}

/** "Araranguá - SC" → { city: "Araranguá", uf: "SC" }; "Araranguá" → { city: "Araranguá" }. */
export function parseCityLabel(text: unknown): { city: string; uf?: string } {
	const raw = String(text ?? '')
		.trim()
		.replace(/\s+/g, ' ');
	const match = /^(.*?)\s*(?:-|–|\/|,)\s*([A-Za-z]{2})$/.exec(raw);
	if (match && isUf(match[2])) return { city: match[1].trim(), uf: match[2].toUpperCase() };
	return { city: raw };
}

export function toCityMatch(entry: IDataObject): CityMatch {
	const label = String(entry.name ?? '');
	const parsed = parseCityLabel(label);
	const ibge = Number(entry.remote_id);
	return {
		id: Number(entry.id),
		label,
		city: parsed.city,
		uf: parsed.uf ?? '',
		ibgeCode: Number.isFinite(ibge) && entry.remote_id !== null ? ibge : null,
	};
}

// Within one execution, the same city is searched once however many items name it.
const searchCache = new WeakMap<object, Map<string, Promise<CityMatch[]>>>();

/** Sends `POST /city/search?name=` (a read) and returns the matches as the API ranks them. */
export async function searchCities(
	this: ApiContext,
	name: string,
	itemIndex?: number,
): Promise<CityMatch[]> {
	const query = parseCityLabel(name).city;
	if (!query) return [];
	let cache = searchCache.get(this);
	if (!cache) searchCache.set(this, (cache = new Map()));
	const key = foldText(query);
	let pending = cache.get(key);
	if (!pending) {
		pending = apiRequest
			.call(this, {
				service: 'partner',
				method: 'POST',
				path: '/city/search',
				qs: { name: query },
				idempotent: true,
				itemIndex,
			})
			.then((data) => (Array.isArray(data) ? (data as IDataObject[]).map(toCityMatch) : []));
		cache.set(key, pending);
		pending.catch(() => cache!.delete(key));
	}
	return await pending;
}

export interface CityFilter {
	uf?: string;
	exactFirst?: boolean;
	limit?: number;
}

/** Filters by UF, puts exact (accent/case-insensitive) name matches first, then prefix matches. */
export function rankCities(
	matches: CityMatch[],
	query: string,
	filter: CityFilter = {},
): CityMatch[] {
	const wanted = parseCityLabel(query);
	const uf = (filter.uf || wanted.uf || '').toUpperCase();
	const folded = foldText(wanted.city);
	let list = uf ? matches.filter((match) => match.uf === uf) : [...matches];
	if (filter.exactFirst !== false) {
		const rank = (match: CityMatch) => {
			const name = foldText(match.city);
			return name === folded ? 0 : name.startsWith(folded) ? 1 : 2;
		};
		list = list
			.map((match, index) => ({ match, index }))
			.sort((a, b) => rank(a.match) - rank(b.match) || a.index - b.index)
			.map((entry) => entry.match);
	}
	return filter.limit ? list.slice(0, filter.limit) : list;
}

/** The closest municipalities to a name that did not match, best first. */
export async function suggestCities(
	this: ApiContext,
	name: string,
	uf: string | undefined,
	itemIndex?: number,
	count = 5,
): Promise<CityMatch[]> {
	const folded = foldText(name);
	const candidates = new Map<number, CityMatch>();
	const queries = [
		name,
		folded.slice(0, 5),
		folded.slice(0, 3),
		...folded.split(' ').filter((word) => word.length >= 4),
	];
	for (const query of queries) {
		if (!query || query.length < 2) continue;
		for (const match of await searchCities.call(this, query, itemIndex))
			candidates.set(match.id, match);
		if (candidates.size >= count * 4) break;
	}
	const score = (match: CityMatch) =>
		editDistance(foldText(match.city), folded) + (uf && match.uf !== uf ? 1 : 0);
	return [...candidates.values()]
		.sort((a, b) => score(a) - score(b) || a.id - b.id)
		.slice(0, count);
}

export interface CityInput {
	city: string;
	uf?: string;
}

/** Reads a typed city ("Araranguá - SC", or "Araranguá" with a separate state) without any request. */
export function parseCityInput(value: unknown, state: unknown): CityInput {
	const parsed = parseCityLabel(value);
	if (!parsed.city)
		throw new InputError(
			'is required: type a city such as "Araranguá - SC" or pick one from the list',
		);
	const stateText = String(state ?? '')
		.trim()
		.toUpperCase();
	if (stateText && !isUf(stateText))
		throw new InputError(`"${stateText}" is not a Brazilian state (UF) such as SC or SP`);
	if (stateText && parsed.uf && stateText !== parsed.uf) {
		throw new InputError(
			`"${String(value)}" is in ${parsed.uf} but the state field says ${stateText}`,
		);
	}
	return { city: parsed.city, uf: parsed.uf ?? (stateText || undefined) };
}

/**
 * Resolves a typed city to the municipality the partner API knows, or fails naming the item and
 * field and listing the closest matches.
 */
export async function resolveCity(
	this: ApiContext,
	input: CityInput,
	itemIndex: number,
	field: FieldRef,
): Promise<CityMatch> {
	const matches = await searchCities.call(this, input.city, itemIndex);
	const folded = foldText(input.city);
	const exact = matches.filter(
		(match) => foldText(match.city) === folded && (!input.uf || match.uf === input.uf),
	);
	if (exact.length === 1) return exact[0];
	const typed = input.uf ? `${input.city} - ${input.uf}` : input.city;
	if (exact.length > 1) {
		throw fieldError(
			this.getNode(),
			itemIndex,
			field,
			`"${typed}" exists in several states (${exact.map((match) => match.label).join(', ')}): add the state (UF)`,
		);
	}
	const suggestions = await suggestCities.call(this, input.city, input.uf, itemIndex);
	const list = suggestions.length
		? ` Closest matches: ${suggestions.map((match) => match.label).join('; ')}.`
		: ' No similar municipality was found.';
	throw fieldError(
		this.getNode(),
		itemIndex,
		field,
		`"${typed}" is not a municipality known to the partner API.${list}`,
	);
}
