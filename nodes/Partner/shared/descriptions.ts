/** Field descriptions and readers shared by the partner nodes. */
import type { IDisplayOptions, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readLocator } from '../../shared/execution/parameters';
import { CREDENTIAL_TYPE } from '../../shared/transport';
import { fieldError, type FieldRef } from '../../shared/validation/validate';
import { STATE_OPTIONS } from './text';

export const PARTNER_ICON = {
	light: 'file:../../../icons/partner.svg',
	dark: 'file:../../../icons/partner.dark.svg',
} as const;

export const DOCS_BASE = 'https://github.com/kapitale-community/n8n-nodes-kapitale';

/** A city picked from the list, typed by name, or (for customers) given by the API's id. */
export function cityLocator(options: {
	name: string;
	displayName: string;
	description: string;
	show: IDisplayOptions['show'];
	withId: boolean;
	required?: boolean;
}): INodeProperties {
	const idMode = {
		displayName: 'By ID',
		name: 'id',
		type: 'string' as const,
		placeholder: 'e.g. 4330',
		validation: [
			{
				type: 'regex' as const,
				properties: {
					regex: '^\\d+$',
					errorMessage: 'The city ID is a number (the id of /city/search)',
				},
			},
		],
	};
	return {
		displayName: options.displayName,
		name: options.name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: options.required ?? true,
		description: options.description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Type part of the name…',
				typeOptions: {
					searchListMethod: options.withId ? 'searchCityIds' : 'searchCityNames',
					searchable: true,
					searchFilterRequired: true,
				},
			},
			{ displayName: 'By Name', name: 'name', type: 'string', placeholder: 'e.g. Araranguá - SC' },
			...(options.withId ? [idMode] : []),
		],
		displayOptions: { show: options.show },
	};
}

export function stateField(
	name: string,
	show: IDisplayOptions['show'],
	description: string,
): INodeProperties {
	return {
		displayName: 'State (UF)',
		name,
		type: 'options',
		options: STATE_OPTIONS,
		default: '',
		description,
		displayOptions: { show },
	};
}

export function idLocator(options: {
	name: string;
	displayName: string;
	description: string;
	show: IDisplayOptions['show'];
	searchListMethod: string;
	placeholder: string;
}): INodeProperties {
	return {
		displayName: options.displayName,
		name: options.name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: options.description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: options.searchListMethod, searchable: true },
			},
			{ displayName: 'By ID', name: 'id', type: 'string', placeholder: options.placeholder },
		],
		displayOptions: { show: options.show },
	};
}

/** A required ID from a resource locator; refuses an empty value and characters that cannot be an ID. */
export function readRequiredId(
	context: IExecuteFunctions,
	itemIndex: number,
	name: string,
	field: FieldRef,
): string {
	const { value } = readLocator(context, itemIndex, name);
	if (!value) throw fieldError(context.getNode(), itemIndex, field, 'is required');
	if (!/^[A-Za-z0-9_-]+$/.test(value))
		throw fieldError(
			context.getNode(),
			itemIndex,
			field,
			`"${value}" is not an ID: only letters, digits, - and _ are allowed`,
		);
	return value;
}

/** partner_id and partner_user_id: the override when given, else the credential's partnerHashId/userHashId. */
export async function readPartnerIds(
	context: IExecuteFunctions,
	itemIndex: number,
	overrides: { partnerId?: unknown; partnerUserId?: unknown },
): Promise<{ partnerId: string; partnerUserId: string }> {
	const credentials = await context.getCredentials(CREDENTIAL_TYPE);
	const partnerId =
		String(overrides.partnerId ?? '').trim() || String(credentials.partnerHashId ?? '').trim();
	const partnerUserId =
		String(overrides.partnerUserId ?? '').trim() || String(credentials.userHashId ?? '').trim();
	if (!partnerId) {
		throw fieldError(
			context.getNode(),
			itemIndex,
			{ label: 'Partner ID', apiField: 'partner_id' },
			'is empty: set Partner Hash ID in the credential or Partner ID in the node',
		);
	}
	return { partnerId, partnerUserId };
}

/** The customer: searched by name in the partner's customer list, or given by its hash ID. */
export const customerIdLocator = (showOn: IDisplayOptions['show']): INodeProperties =>
	idLocator({
		name: 'customerId',
		displayName: 'Customer',
		description: 'The customer, searched by name in /partner-customer/all, or its hash ID',
		searchListMethod: 'searchCustomers',
		placeholder: 'e.g. 0pkgr4d6o3',
		show: showOn,
	});
