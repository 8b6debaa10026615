/** Field descriptions and readers shared by the partner nodes. */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readLocator } from '../../shared/execution/parameters';
import { CREDENTIAL_TYPE, requireCredentialPart } from '../../shared/transport';
import { fieldError, type FieldRef } from '../../shared/validation/validate';
import { STATE_OPTIONS } from './text';

export const PARTNER_ICON = {
	light: 'file:../../../icons/partner.svg',
	dark: 'file:../../../icons/partner.dark.svg',
} as const;

/** The state (UF) beside a city typed without " - UF". */
export const stateField: INodeProperties = {
	displayName: 'State (UF)',
	name: 'state',
	type: 'options',
	options: STATE_OPTIONS,
	default: '',
	description: 'Only needed when the city is typed by name without " - UF"',
};

/** Optional Partner ID for a node's additional fields; readPartnerIds falls back to the credential. */
export const partnerIdOverrideField: INodeProperties = {
	displayName: 'Partner ID',
	name: 'partnerId',
	type: 'string',
	default: '',
	description: 'Defaults to the credential’s Partner Hash ID',
};

/** Partner ID and Partner User ID for a customer's additional fields (Create and Update). */
export const partnerIdOverrideFields: INodeProperties[] = [
	partnerIdOverrideField,
	{
		displayName: 'Partner User ID',
		name: 'partnerUserId',
		type: 'string',
		default: '',
		description: 'Defaults to the credential’s User Hash ID',
	},
];

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
	// A credential without the partner part says so, rather than "Partner ID is empty".
	await requireCredentialPart(context, 'partner', itemIndex);
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
