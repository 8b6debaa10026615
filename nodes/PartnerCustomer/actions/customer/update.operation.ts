import type { IDataObject, IDisplayOptions, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { idLocator, readPartnerIds, readRequiredId } from '../../../shared/partner/fields';
import { STATE_OPTIONS } from '../../../shared/partner/text';
import { apiRequest } from '../../../shared/transport';
import { fieldError } from '../../../shared/validation';
import { buildCustomerBody, resolveReferences, type PersonType } from './body';
import { BANK_ACCOUNT_FIELDS, CUSTOMER_FIELDS, REVENUE_DESCRIPTION } from './fields';

const show = { resource: ['customer'], operation: ['update'] };

const byDisplayName = (properties: INodeProperties[]) => [...properties].sort((a, b) => a.displayName.localeCompare(b.displayName));

export const customerIdLocator = (showOn: IDisplayOptions['show']): INodeProperties =>
	idLocator({
		name: 'customerId',
		displayName: 'Customer',
		description: 'The customer, searched by name in /partner-customer/all, or its hash ID',
		searchListMethod: 'searchCustomers',
		placeholder: 'e.g. 0pkgr4d6o3',
		show: showOn,
	});

export const description: INodeProperties[] = [
	customerIdLocator(show),
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description: 'Only the fields added here are sent; the API keeps the others',
		displayOptions: { show },
		options: byDisplayName([
			{
				displayName: 'Person Type',
				name: 'personType',
				type: 'options',
				options: [
					{ name: 'Individual (PF)', value: 'pf' },
					{ name: 'Company (PJ)', value: 'pj' },
				],
				default: 'pf',
				description: 'Sent as person_type (1 PF, 2 PJ). When set, the Tax ID is checked as a CPF or a CNPJ accordingly.',
			},
			...CUSTOMER_FIELDS.map((field): INodeProperties => ({ displayName: field.displayName, name: field.name, type: 'string', default: '', placeholder: field.placeholder, description: field.description })),
			{ displayName: 'Revenue (Last 12 Months)', name: 'revenue', type: 'string', default: '', description: REVENUE_DESCRIPTION },
			{ displayName: 'City Name', name: 'cityName', type: 'string', default: '', placeholder: 'Araranguá - SC', description: 'Looked up in /city/search and sent as address_city_id' },
			{ displayName: 'City ID', name: 'cityId', type: 'string', default: '', placeholder: '4330', description: 'The API’s own city ID. Sent as address_city_id.' },
			{ displayName: 'State (UF)', name: 'state', type: 'options', options: STATE_OPTIONS, default: '', description: 'With a City Name typed without " - UF"' },
			{ displayName: 'Bank COMPE Code', name: 'bankCode', type: 'string', default: '', placeholder: '237', description: 'Looked up in /bank/search and sent as bank_id' },
			{ displayName: 'Bank ID', name: 'bankId', type: 'string', default: '', placeholder: '7', description: 'The API’s own bank ID. Sent as bank_id.' },
			...BANK_ACCOUNT_FIELDS.map((field) => ({ ...field, default: field.name === 'bankAccountType' ? '1' : '' })),
			{ displayName: 'Partner ID', name: 'partnerId', type: 'string', default: '', description: 'Defaults to the credential’s Partner Hash ID. Sent as partner_id.' },
			{ displayName: 'Partner User ID', name: 'partnerUserId', type: 'string', default: '', description: 'Defaults to the credential’s User Hash ID. Sent as partner_user_id.' },
		]),
	},
];

const BANK_NAMES = BANK_ACCOUNT_FIELDS.map((field) => field.name);

export async function prepare(this: IExecuteFunctions, itemIndex: number) {
	const customerId = readRequiredId(this, itemIndex, 'customerId', { label: 'Customer', apiField: 'customerHashId' });
	const fields = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
	const given = Object.keys(fields).filter((key) => !['partnerId', 'partnerUserId'].includes(key) && fields[key] !== '' && fields[key] !== undefined);
	if (given.length === 0) throw fieldError(this.getNode(), itemIndex, { label: 'Update Fields' }, 'add at least one field to update');
	if (fields.cityName && fields.cityId) throw fieldError(this.getNode(), itemIndex, { label: 'City Name', apiField: 'address_city_id' }, 'give either City Name or City ID, not both');
	if (fields.bankCode && fields.bankId) throw fieldError(this.getNode(), itemIndex, { label: 'Bank COMPE Code', apiField: 'bank_id' }, 'give either Bank COMPE Code or Bank ID, not both');
	const hasBank = ['bankCode', 'bankId', ...BANK_NAMES].some((key) => key in fields && fields[key] !== '');
	const bankFields: Record<string, unknown> = {};
	for (const name of BANK_NAMES) if (name in fields) bankFields[name] = fields[name];
	const ids = await readPartnerIds(this, itemIndex, { partnerId: fields.partnerId, partnerUserId: fields.partnerUserId });
	const payload = buildCustomerBody(this, itemIndex, {
		mode: 'update',
		personType: fields.personType as PersonType | undefined,
		values: fields,
		city: fields.cityName ? { mode: 'name', value: String(fields.cityName), state: fields.state } : fields.cityId ? { mode: 'id', value: String(fields.cityId) } : undefined,
		bank: hasBank ? { mode: fields.bankCode ? 'code' : 'id', value: String(fields.bankCode || fields.bankId || ''), fields: bankFields } : undefined,
		...ids,
	});
	return { customerId, ...payload };
}

export async function execute(this: IExecuteFunctions, input: Awaited<ReturnType<typeof prepare>>, itemIndex: number) {
	const body = await resolveReferences.call(this, input, itemIndex);
	const data = (await apiRequest.call(this, {
		service: 'partner',
		method: 'PUT',
		path: `/partner-customer/update/${encodeURIComponent(input.customerId)}`,
		body,
		itemIndex,
	})) as IDataObject;
	const sent = Object.keys(body).filter((key) => !['partner_id', 'partner_user_id'].includes(key));
	return { id: data?.id ?? input.customerId, updated: true, fieldsSent: sent } as IDataObject;
}
