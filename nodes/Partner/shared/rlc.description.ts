/**
 * The partner nodes' resource locators, one per resource (as n8n's Outlook v2 keeps them in
 * rlc.description.ts). An operation spreads one into its properties, sets its own description when
 * it needs one, and updateDisplayOptions adds where it shows.
 */
import type { INodeProperties } from 'n8n-workflow';

/** A customer of the partner, searched by name or given by its ID. */
export const customerRLC: INodeProperties = {
	displayName: 'Customer',
	name: 'customerId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The customer: search by name, or give its ID',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Type part of the name…',
			typeOptions: { searchListMethod: 'searchCustomers', searchable: true },
		},
		{ displayName: 'By ID', name: 'id', type: 'string', placeholder: 'e.g. 0pkgr4d6o3' },
	],
};

/** A credit operation (the loan), searched by its customer's name or given by its ID. */
export const creditOperationRLC: INodeProperties = {
	displayName: 'Credit Operation',
	name: 'operationId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The credit operation: search by the customer’s name, or give its ID',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Type part of the customer’s name…',
			typeOptions: { searchListMethod: 'searchOperations', searchable: true },
		},
		{ displayName: 'By ID', name: 'id', type: 'string', placeholder: 'e.g. yzjd47d5kn' },
	],
};

const cityListMode = (searchListMethod: string) => ({
	displayName: 'From List',
	name: 'list',
	type: 'list' as const,
	placeholder: 'Type part of the name…',
	typeOptions: { searchListMethod, searchable: true, searchFilterRequired: true },
});

const cityNameMode = {
	displayName: 'By Name',
	name: 'name',
	type: 'string' as const,
	placeholder: 'e.g. Araranguá - SC',
};

/**
 * A city for a credit operation: the API takes the city's name and state, so the list's values
 * are names ("Araranguá - SC").
 */
export const cityNameRLC: INodeProperties = {
	displayName: 'City',
	name: 'city',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description:
		'Pick the city from the list, or type it as "São Paulo - SP" (or "São Paulo" with the state below). It is checked against the partner’s city list before sending.',
	modes: [cityListMode('searchCityNames'), cityNameMode],
};

/** A city for a customer: the API takes its own city number, so the list's values are those. */
export const cityRLC: INodeProperties = {
	displayName: 'City',
	name: 'city',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description:
		'Pick the city from the list, type it as "Araranguá - SC" (or "Araranguá" with the state below), or give the partner’s city number (from City Search)',
	modes: [
		cityListMode('searchCityIds'),
		cityNameMode,
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 4330',
			validation: [
				{
					type: 'regex',
					properties: {
						regex: '^\\d+$',
						errorMessage: 'The city ID is a number (the ID that City Search returns)',
					},
				},
			],
		},
	],
};

/** The bank of an account: from the list, by its COMPE code, or by the partner's bank number. */
export const bankRLC: INodeProperties = {
	displayName: 'Bank',
	name: 'bank',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	description:
		'The bank of the account: pick it from the list, give its COMPE code (e.g. 237), or the partner’s bank ID (from Bank Search)',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Type a name or code…',
			typeOptions: { searchListMethod: 'searchBankIds', searchable: true },
		},
		{ displayName: 'By COMPE Code', name: 'code', type: 'string', placeholder: 'e.g. 237' },
		{ displayName: 'By ID', name: 'id', type: 'string', placeholder: 'e.g. 7' },
	],
};
