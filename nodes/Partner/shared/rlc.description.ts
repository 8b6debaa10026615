/**
 * The partner nodes' resource locators, one per resource (as n8n's Outlook v2 keeps them in
 * rlc.description.ts). An operation spreads one into its properties, sets its own description when
 * it needs one, and updateDisplayOptions adds where it shows.
 */
import type { INodeProperties } from 'n8n-workflow';

import { listMode, resourceLocator, textMode } from '../../shared/descriptions/locator';

/** A customer of the partner, searched by name or given by its ID. */
export const customerRLC: INodeProperties = resourceLocator(
	{
		displayName: 'Customer',
		name: 'customerId',
		description: 'The customer: search by name, or give its ID',
	},
	[
		listMode('searchCustomers', 'Type part of the name…'),
		textMode('By ID', 'id', 'e.g. 0pkgr4d6o3'),
	],
);

/** A credit operation (the loan), searched by its customer's name or given by its ID. */
export const creditOperationRLC: INodeProperties = resourceLocator(
	{
		displayName: 'Credit Operation',
		name: 'operationId',
		description: 'The credit operation: search by the customer’s name, or give its ID',
	},
	[
		listMode('searchOperations', 'Type part of the customer’s name…'),
		textMode('By ID', 'id', 'e.g. yzjd47d5kn'),
	],
);

// The partner's city list is too long to show before the user types.
const cityListMode = (searchListMethod: string) =>
	listMode(searchListMethod, 'Type part of the name…', true);

const cityNameMode = textMode('By Name', 'name', 'e.g. Araranguá - SC');

/**
 * A city for a credit operation: the API takes the city's name and state, so the list's values
 * are names ("Araranguá - SC").
 */
export const cityNameRLC: INodeProperties = resourceLocator(
	{
		displayName: 'City',
		name: 'city',
		description:
			'Pick the city from the list, or type it as "São Paulo - SP" (or "São Paulo" with the state below). It is checked against the partner’s city list before sending.',
	},
	[cityListMode('searchCityNames'), cityNameMode],
);

/** A city for a customer: the API takes its own city number, so the list's values are those. */
export const cityRLC: INodeProperties = resourceLocator(
	{
		displayName: 'City',
		name: 'city',
		description:
			'Pick the city from the list, type it as "Araranguá - SC" (or "Araranguá" with the state below), or give the partner’s city number (from City Search)',
	},
	[
		cityListMode('searchCityIds'),
		cityNameMode,
		textMode('By ID', 'id', 'e.g. 4330', {
			regex: '^\\d+$',
			errorMessage: 'The city ID is a number (the ID that City Search returns)',
		}),
	],
);

/** The bank of an account: from the list, by its COMPE code, or by the partner's bank number. */
export const bankRLC: INodeProperties = resourceLocator(
	{
		displayName: 'Bank',
		name: 'bank',
		description:
			'The bank of the account: pick it from the list, give its COMPE code (e.g. 237), or the partner’s bank ID (from Bank Search)',
		optional: true,
	},
	[
		listMode('searchBankIds', 'Type a name or code…'),
		textMode('By COMPE Code', 'code', 'e.g. 237'),
		textMode('By ID', 'id', 'e.g. 7'),
	],
);
