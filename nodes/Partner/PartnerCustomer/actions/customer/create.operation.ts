import type {
	IDataObject,
	IDisplayOptions,
	IExecuteFunctions,
	INodeProperties,
} from 'n8n-workflow';

import { cityLocator, readPartnerIds, stateField } from '../../../shared/descriptions';
import {
	inputJson,
	inputModeField,
	readInputMode,
} from '../../../../shared/descriptions/inputMode';
import { readLocator, readNodeParameter } from '../../../../shared/execution/parameters';
import { apiRequest } from '../../../../shared/transport';
import { buildCustomerBody, resolveReferences, type PersonType } from './customerBody';
import { BANK_ACCOUNT_FIELDS, CUSTOMER_FIELDS, REVENUE_DESCRIPTION } from './customerFields';
import { CUSTOMER_INPUT_NAMES_HELP, customerInputFromJson } from './inputFields';

const show = { resource: ['customer'], operation: ['create'] };
const manual = { ...show, inputMode: ['manual'] };

export function bankLocator(name: string, showOn: IDisplayOptions['show']): INodeProperties {
	return {
		displayName: 'Bank',
		name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		description:
			'The bank of the account, picked from /bank/search, by COMPE code (e.g. 237) or by the API’s bank ID. Sent as bank_id.',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchBankIds', searchable: true },
			},
			{ displayName: 'By COMPE Code', name: 'code', type: 'string', placeholder: 'e.g. 237' },
			{ displayName: 'By ID', name: 'id', type: 'string', placeholder: 'e.g. 7' },
		],
		displayOptions: { show: showOn },
	};
}

export const personTypeField = (showOn: IDisplayOptions['show']): INodeProperties => ({
	displayName: 'Person Type',
	name: 'personType',
	type: 'options',
	options: [
		{ name: 'Individual (PF)', value: 'pf', description: 'Sent as person_type 1' },
		{ name: 'Company (PJ)', value: 'pj', description: 'Sent as person_type 2' },
	],
	default: 'pf',
	description: 'Whether the customer is a person (CPF) or a company (CNPJ). Sent as person_type.',
	displayOptions: { show: showOn },
});

export const description: INodeProperties[] = [
	inputModeField(
		show,
		'How the customer’s fields are set. Automatically: each input item is one customer, read by field name. Existing workflows keep mapping manually.',
	),
	{
		displayName: CUSTOMER_INPUT_NAMES_HELP,
		name: 'autoMappingNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { ...show, inputMode: ['auto'] } },
	},
	personTypeField(show),
	...CUSTOMER_FIELDS.filter((field) => field.required !== 'no').map(
		(field): INodeProperties => ({
			displayName: field.displayName,
			name: field.name,
			type: 'string',
			default: '',
			required: true,
			placeholder: field.placeholder,
			description: field.description,
			displayOptions: {
				show: field.required === 'pj' ? { ...manual, personType: ['pj'] } : manual,
			},
		}),
	),
	cityLocator({
		name: 'city',
		displayName: 'City',
		withId: true,
		show: manual,
		description:
			'The municipality: picked from the list, typed as "Araranguá - SC" (or "Araranguá" with the state below) and looked up in /city/search, or the API’s city ID. Sent as address_city_id.',
	}),
	stateField('state', manual, 'Only needed when the city is typed by name without " - UF"'),
	{
		displayName: 'Revenue Input',
		name: 'revenueInput',
		type: 'options',
		options: [
			{ name: 'List or JSON', value: 'text', description: 'One field with the 12 amounts' },
			{ name: 'Month by Month', value: 'months', description: 'Twelve entries, month 1 first' },
		],
		default: 'text',
		displayOptions: { show: { ...manual, personType: ['pj'] } },
	},
	{
		displayName: 'Revenue (Last 12 Months)',
		name: 'revenue',
		type: 'string',
		default: '',
		required: true,
		placeholder: '5000; 5200; 4800; 5100; 5300; 5000; 4900; 5500; 5600; 5000; 5100; 5200',
		description: REVENUE_DESCRIPTION,
		hint: 'Separate amounts with ";" when they use decimal commas, e.g. R$ 5.000,50; 5.200,00',
		displayOptions: { show: { ...manual, personType: ['pj'], revenueInput: ['text'] } },
	},
	{
		displayName: 'Revenue (Last 12 Months)',
		name: 'revenueMonths',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, maxAllowedFields: 12 },
		default: {},
		placeholder: 'Add Month',
		description: 'Exactly 12 entries, month 1 first. Sent as revenue, a list of 12 strings.',
		options: [
			{
				displayName: 'Month',
				name: 'months',
				values: [
					{
						displayName: 'Amount',
						name: 'amount',
						type: 'string',
						default: '',
						placeholder: '5000.00',
						description: 'Revenue of the month, e.g. 5000.00 or R$ 5.000,00',
					},
				],
			},
		],
		displayOptions: { show: { ...manual, personType: ['pj'], revenueInput: ['months'] } },
	},
	{
		displayName: 'Include Bank Account',
		name: 'includeBankAccount',
		type: 'boolean',
		default: false,
		description:
			'Whether to send a bank account (bank_* fields); needed when the partner’s configuration requires one',
		displayOptions: { show: manual },
	},
	bankLocator('bank', { ...manual, includeBankAccount: [true] }),
	...BANK_ACCOUNT_FIELDS.map((field) => ({
		...field,
		required: true,
		displayOptions: { show: { ...manual, includeBankAccount: [true] } },
	})),
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show: manual },
		options: [
			...CUSTOMER_FIELDS.filter((field) => field.required === 'no').map(
				(field): INodeProperties => ({
					displayName: field.displayName,
					name: field.name,
					type: 'string',
					default: '',
					placeholder: field.placeholder,
					description: field.description,
				}),
			),
			{
				displayName: 'Partner ID',
				name: 'partnerId',
				type: 'string',
				default: '',
				description: 'Defaults to the credential’s Partner Hash ID. Sent as partner_id.',
			},
			{
				displayName: 'Partner User ID',
				name: 'partnerUserId',
				type: 'string',
				default: '',
				description: 'Defaults to the credential’s User Hash ID. Sent as partner_user_id.',
			},
		],
	},
];

function readManualInput(context: IExecuteFunctions, itemIndex: number, personType: PersonType) {
	const additional = readNodeParameter(context, 'additionalFields', itemIndex, {}) as IDataObject;
	const values: Record<string, unknown> = { ...additional };
	for (const field of CUSTOMER_FIELDS) {
		if (field.required === 'no') continue;
		if (field.required === 'pj' && personType !== 'pj') continue;
		values[field.name] = readNodeParameter(context, field.name, itemIndex, '');
	}
	if (personType === 'pj') {
		const revenueInput = readNodeParameter(context, 'revenueInput', itemIndex, 'text') as string;
		values.revenue =
			revenueInput === 'months'
				? readNodeParameter(context, 'revenueMonths', itemIndex, {})
				: readNodeParameter(context, 'revenue', itemIndex, '');
	}
	const city = {
		...readLocator(context, itemIndex, 'city'),
		state: readNodeParameter(context, 'state', itemIndex, ''),
	};
	let bank;
	if (readNodeParameter(context, 'includeBankAccount', itemIndex, false) as boolean) {
		const fields: Record<string, unknown> = {};
		for (const field of BANK_ACCOUNT_FIELDS)
			fields[field.name] = readNodeParameter(context, field.name, itemIndex, field.default);
		bank = { ...readLocator(context, itemIndex, 'bank'), fields };
	}
	return {
		personType,
		values,
		city,
		bank,
		overrides: { partnerId: additional.partnerId, partnerUserId: additional.partnerUserId },
	};
}

export async function prepare(this: IExecuteFunctions, itemIndex: number) {
	const personType = readNodeParameter(this, 'personType', itemIndex, 'pf') as PersonType;
	const input =
		readInputMode(this, itemIndex) === 'auto'
			? customerInputFromJson(this, itemIndex, inputJson(this, itemIndex), personType)
			: readManualInput(this, itemIndex, personType);
	const ids = await readPartnerIds(this, itemIndex, input.overrides);
	return buildCustomerBody(this, itemIndex, {
		mode: 'create',
		personType: input.personType,
		values: input.values,
		city: input.city,
		bank: input.bank,
		...ids,
	});
}

type Prepared = Awaited<ReturnType<typeof prepare>>;

/** City and bank look-ups of every item, before the first customer is created. */
export async function resolve(
	this: IExecuteFunctions,
	input: Prepared,
	itemIndex: number,
): Promise<Prepared> {
	return {
		...input,
		body: await resolveReferences.call(this, input, itemIndex),
		cityByName: undefined,
		bankCode: undefined,
	};
}

export async function execute(this: IExecuteFunctions, input: Prepared, itemIndex: number) {
	const body = input.body;
	const data = (await apiRequest.call(this, {
		service: 'partner',
		method: 'POST',
		path: '/partner-customer/insert',
		body,
		itemIndex,
	})) as IDataObject;
	return {
		id: data?.id,
		personType: body.person_type === '2' ? 'PJ' : 'PF',
		taxId: body.tax_id,
		name: body.name,
		cityId: body.address_city_id,
		cityName: body.address_city_name ?? null,
		bankId: body.bank_id ?? null,
	} as IDataObject;
}
