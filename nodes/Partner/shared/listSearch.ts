/** List-search methods of the partner nodes, over the same searches the standalone nodes use. */
import type {
	IDataObject,
	ILoadOptionsFunctions,
	INodeListSearchResult,
	INodePropertyOptions,
} from 'n8n-workflow';

import { apiRequest } from '../../shared/transport';
import { rankBanks, searchBanks } from './banks';
import { rankCities, searchCities } from './cities';
import { BRAZILIAN_STATES } from './text';

const PAGE = 50;

/**
 * `GET /partner-customer/all` is documented with a JSON body {limit, offset, filter: {filter}};
 * the transport sends it. The same values also go in the query string: gateways in front of an
 * API may drop a GET body, and a server reading the query then still pages correctly (if it
 * reads neither, Return All notices and fails instead of returning the first page as the list).
 */
export function customerListParams(
	limit: number,
	offset: number,
	name: string,
): { qs: IDataObject; body: IDataObject } {
	const qs: IDataObject = { limit, offset };
	if (name) qs.filter = name;
	return { qs, body: { limit, offset, filter: { filter: name } } };
}

/** Cities, value = the API's city id (for address_city_id). */
export async function searchCityIds(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	if (!filter?.trim()) return { results: [] };
	const matches = rankCities(await searchCities.call(this, filter), filter);
	return { results: matches.map((city) => ({ name: city.label, value: String(city.id) })) };
}

/** Cities, value = "City - UF" (for the operation's city and state). */
export async function searchCityNames(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	if (!filter?.trim()) return { results: [] };
	const matches = rankCities(await searchCities.call(this, filter), filter);
	return { results: matches.map((city) => ({ name: city.label, value: city.label })) };
}

/** Banks by name, abbreviation or COMPE code; value = the API's bank id. */
export async function searchBankIds(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const matches = rankBanks(await searchBanks.call(this, filter ?? ''), filter ?? '');
	return { results: matches.map((bank) => ({ name: bank.label, value: String(bank.id) })) };
}

/** Customers by name (`GET /partner-customer/all`), paged by offset; value = customer hash id. */
export async function searchCustomers(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const offset = Number(paginationToken ?? 0) || 0;
	const data = (await apiRequest.call(this, {
		service: 'partner',
		method: 'GET',
		path: '/partner-customer/all',
		...customerListParams(PAGE, offset, filter?.trim() ?? ''),
	})) as IDataObject;
	const values = (Array.isArray(data?.values) ? data.values : []) as IDataObject[];
	const total = Number(data?.total ?? 0);
	return {
		results: values.map((customer) => ({
			name: `${String(customer.name)} – ${String(customer.tax_id ?? '')}`,
			value: String(customer.id),
		})),
		paginationToken:
			offset + values.length < total && values.length > 0
				? String(offset + values.length)
				: undefined,
	};
}

/** Operations filtered by customer name (`POST /partner-operation/all`): "customer – description – status". */
export async function searchOperations(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const offset = Number(paginationToken ?? 0) || 0;
	const data = await apiRequest.call(this, {
		service: 'partner',
		method: 'POST',
		path: '/partner-operation/all',
		body: { limit: PAGE, offset, filter: { customer: filter?.trim() ?? '' } },
		idempotent: true,
	});
	const values = (Array.isArray(data) ? data : []) as IDataObject[];
	return {
		results: values.map((operation) => ({
			name: [
				operation.customer_name,
				operation.description || `${String(operation.valor_liquido ?? '')}`,
				operation.status_name,
			]
				.filter((part) => part !== undefined && part !== null && part !== '')
				.map(String)
				.join(' – '),
			value: String(operation.id),
		})),
		// No total here: the next page starts after the records received, and only an empty page ends the list.
		paginationToken: values.length > 0 ? String(offset + values.length) : undefined,
	};
}

/** Load-options: the 27 states (UF). */
export async function getStates(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return BRAZILIAN_STATES.map((state) => ({
		name: `${state.uf} – ${state.name}`,
		value: state.uf,
	}));
}
