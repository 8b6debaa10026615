import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { partnerIdOverrideFields, readPartnerIds, stateField } from '../../../shared/descriptions';
import { bankRLC, cityRLC } from '../../../shared/rlc.description';
import { readRevenueInput, revenueFields } from '../../../shared/revenue';
import {
	inputJson,
	inputModeField,
	readInputMode,
} from '../../../../shared/descriptions/inputMode';
import { readLocator, readNodeParameter } from '../../../../shared/execution/parameters';
import { apiRequest, ensureNodeError } from '../../../../shared/transport';
import { isToolMode } from '../../../../shared/execution/toolMode';
import { findCustomerByTaxId, isDuplicateTaxId } from '../../../shared/existingRecords';
import { buildCustomerBody, resolveReferences, type PersonType } from './customerBody';
import {
	BANK_ACCOUNT_FIELDS,
	CUSTOMER_FIELDS,
	optionalCustomerField,
	REVENUE_DESCRIPTION,
} from './customerFields';
import { CUSTOMER_INPUT_NAMES_HELP, customerInputFromJson } from './inputFields';

const manual = { inputMode: ['manual'] };

/** CPF or CNPJ: the label stays, the example follows the person type. */
const TAX_ID_EXAMPLES: Record<string, string> = {
	pf: 'e.g. 836.802.749-71',
	pj: 'e.g. 11.222.333/0001-81',
};

const personTypeField: INodeProperties = {
	displayName: 'Person Type',
	name: 'personType',
	type: 'options',
	options: [
		{ name: 'Individual (PF)', value: 'pf', description: 'A person, identified by CPF' },
		{ name: 'Company (PJ)', value: 'pj', description: 'A company, identified by CNPJ' },
	],
	default: 'pf',
	description: 'Whether the customer is a person (CPF) or a company (CNPJ)',
};

const properties: INodeProperties[] = [
	inputModeField(
		'How the customer’s fields are set. Automatically: each input item is one customer, read by column name.',
	),
	{
		displayName: CUSTOMER_INPUT_NAMES_HELP,
		name: 'autoMappingNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { inputMode: ['auto'] } },
	},
	personTypeField,
	...CUSTOMER_FIELDS.filter((field) => field.required !== 'no').flatMap(
		(field): INodeProperties[] => {
			const base: INodeProperties = {
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
			};
			if (field.name !== 'taxId') return [base];
			// Two entries of one parameter: n8n shows the one whose person type is chosen.
			return (['pf', 'pj'] as const).map((personType) => ({
				...base,
				placeholder: TAX_ID_EXAMPLES[personType],
				displayOptions: { show: { ...manual, personType: [personType] } },
			}));
		},
	),
	{ ...cityRLC, displayOptions: { show: manual } },
	{ ...stateField, displayOptions: { show: manual } },
	...revenueFields({ ...manual, personType: ['pj'] }, REVENUE_DESCRIPTION),
	{
		displayName: 'Include Bank Account',
		name: 'includeBankAccount',
		type: 'boolean',
		default: false,
		description:
			'Whether to add a bank account to the customer; needed when your Credoro set-up requires one',
		displayOptions: { show: manual },
	},
	{ ...bankRLC, displayOptions: { show: { ...manual, includeBankAccount: [true] } } },
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
			...CUSTOMER_FIELDS.filter((field) => field.required === 'no').map(optionalCustomerField),
			...partnerIdOverrideFields,
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['customer'], operation: ['create'] } },
	properties,
);

function readManualInput(context: IExecuteFunctions, itemIndex: number, personType: PersonType) {
	const additional = readNodeParameter(context, 'additionalFields', itemIndex, {}) as IDataObject;
	const values: Record<string, unknown> = { ...additional };
	for (const field of CUSTOMER_FIELDS) {
		if (field.required === 'no') continue;
		if (field.required === 'pj' && personType !== 'pj') continue;
		values[field.name] = readNodeParameter(context, field.name, itemIndex, '');
	}
	if (personType === 'pj') {
		values.revenue = readRevenueInput(context, itemIndex);
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

/**
 * A model retrying a create (it did not see the first answer) sends the same tax ID again; the
 * API refuses it as already registered. For a tool call the customer registered under that tax ID
 * and name is returned, marked `alreadyExisted`. Workflows keep the API's refusal.
 */
async function insertOrFind(
	context: IExecuteFunctions,
	body: IDataObject,
	itemIndex: number,
): Promise<{ id: unknown; alreadyExisted?: true }> {
	try {
		const data = (await apiRequest.call(context, {
			service: 'partner',
			method: 'POST',
			path: '/partner-customer/insert',
			body,
			itemIndex,
		})) as IDataObject;
		return { id: data?.id };
	} catch (error) {
		if (!isToolMode(context) || !isDuplicateTaxId(error))
			throw ensureNodeError(context.getNode(), error, itemIndex);
		const existing = await findCustomerByTaxId(
			context,
			String(body.name ?? ''),
			String(body.tax_id ?? ''),
			itemIndex,
		);
		if (!existing) throw ensureNodeError(context.getNode(), error, itemIndex);
		return { id: existing.id, alreadyExisted: true };
	}
}

export async function execute(this: IExecuteFunctions, input: Prepared, itemIndex: number) {
	const body = input.body;
	const data = await insertOrFind(this, body, itemIndex);
	return {
		...(data.alreadyExisted ? { alreadyExisted: true } : {}),
		id: data.id,
		personType: body.person_type === '2' ? 'PJ' : 'PF',
		taxId: body.tax_id,
		name: body.name,
		cityId: body.address_city_id,
		cityName: body.address_city_name ?? null,
		bankId: body.bank_id ?? null,
	} as IDataObject;
}
