/** Reference data (municipalities, states, banks) loaded from the committed JSON files in sandbox/data. */
import * as fs from 'fs';
import * as path from 'path';
import { fold } from './util';

export interface City {
	id: number;
	ibge: number;
	name: string;
	uf: string;
	folded: string;
}
export interface State {
	id: number;
	ibgeCode: number;
	uf: string;
	name: string;
}
export interface Bank {
	id: number;
	compe: string;
	shortName: string;
	longName: string;
	abbreviations: string[];
	haystack: string;
}

const dataDir = path.join(__dirname, 'data');

function load<T>(file: string): T {
	return JSON.parse(fs.readFileSync(path.join(dataDir, file), 'utf8')) as T;
}

let cache: RefData | undefined;

export interface RefData {
	cities: City[];
	cityById: Map<number, City>;
	citiesByUf: Map<string, City[]>;
	states: State[];
	stateByUf: Map<string, State>;
	banks: Bank[];
	bankById: Map<number, Bank>;
}

export function refData(): RefData {
	if (cache) return cache;
	const cities = load<Array<[number, number, string, string]>>('municipalities.json').map(
		([id, ibge, name, uf]) => ({
			id,
			ibge,
			name,
			uf,
			folded: fold(name),
		}),
	);
	const states = load<Array<[number, number, string, string]>>('states.json').map(
		([id, ibgeCode, uf, name]) => ({ id, ibgeCode, uf, name }),
	);
	const banks = load<Array<[number, string, string, string, string[]]>>('banks.json').map(
		([id, compe, shortName, longName, abbreviations]) => ({
			id,
			compe,
			shortName,
			longName,
			abbreviations,
			haystack: fold([shortName, longName, ...abbreviations].join(' | ')),
		}),
	);
	const citiesByUf = new Map<string, City[]>();
	for (const c of cities) {
		const list = citiesByUf.get(c.uf) ?? [];
		list.push(c);
		citiesByUf.set(c.uf, list);
	}
	cache = {
		cities,
		cityById: new Map(cities.map((c) => [c.id, c])),
		citiesByUf,
		states,
		stateByUf: new Map(states.map((s) => [s.uf, s])),
		banks,
		bankById: new Map(banks.map((b) => [b.id, b])),
	};
	return cache;
}

export const CITY_SEARCH_LIMIT = 50;
export const BANK_SEARCH_LIMIT = 50;

/**
 * Accent- and case-insensitive substring search, in id order (as the vendor example), capped.
 * "City - UF" input is also understood (the UF then filters).
 */
export function searchCities(name: string): City[] {
	let q = fold(name);
	let uf: string | undefined;
	const m = /^(.*?)\s*-\s*([a-z]{2})$/.exec(q);
	if (m && refData().stateByUf.has(m[2].toUpperCase())) {
		q = m[1];
		uf = m[2].toUpperCase();
	}
	if (!q) return [];
	const out: City[] = [];
	for (const c of refData().cities) {
		if ((!uf || c.uf === uf) && c.folded.includes(q)) {
			out.push(c);
			if (out.length >= CITY_SEARCH_LIMIT) break;
		}
	}
	return out;
}

/** Finds the municipality of that name in that state (accent/case-insensitive), if any. */
export function findCity(name: string, uf: string): City | undefined {
	const list = refData().citiesByUf.get(uf.trim().toUpperCase());
	if (!list) return undefined;
	let q = fold(name);
	// accept "City - UF" as well
	const m = /^(.*) - ([a-z]{2})$/.exec(q);
	if (m && m[2] === uf.trim().toLowerCase()) q = m[1];
	return list.find((c) => c.folded === q);
}

/** Search by COMPE code (with or without leading zeros), name or abbreviation. */
export function searchBanks(search: string): Bank[] {
	const q = fold(search);
	const banks = refData().banks;
	if (!q) return banks.slice(0, BANK_SEARCH_LIMIT);
	if (/^\d{1,3}$/.test(q)) {
		const code = q.padStart(3, '0');
		const exact = banks.filter((b) => b.compe === code);
		const partial = banks.filter((b) => b.compe !== code && b.compe.includes(q));
		return [...exact, ...partial].slice(0, BANK_SEARCH_LIMIT);
	}
	const abbr = banks.filter((b) => b.abbreviations.some((a) => fold(a) === q));
	const rest = banks.filter((b) => !abbr.includes(b) && b.haystack.includes(q));
	return [...abbr, ...rest].slice(0, BANK_SEARCH_LIMIT);
}

export function bankDisplayName(b: Bank): string {
	return `${b.compe} - ${b.shortName}`;
}
