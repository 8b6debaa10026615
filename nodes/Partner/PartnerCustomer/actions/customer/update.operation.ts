import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { ensureNodeError, apiRequest } from '../../../../shared/transport';
import {
	partnerIdOverrideFields,
	readPartnerIds,
	readRequiredId,
} from '../../../shared/descriptions';
import { customerRLC } from '../../../shared/rlc.description';
import { STATE_OPTIONS } from '../../../shared/text';
import { readNodeParameter } from '../../../../shared/execution/parameters';
import { fieldError } from '../../../../shared/validation/validate';
import { buildCustomerBody, resolveReferences, type PersonType } from './customerBody';
import { readCustomer } from '../../../shared/readCustomer';
import {
	BANK_ACCOUNT_FIELDS,
	BANK_API_FIELDS,
	CUSTOMER_FIELDS,
	optionalCustomerField,
	REVENUE_DESCRIPTION,
} from './customerFields';

const byDisplayName = (properties: INodeProperties[]) =>
	[...properties].sort((a, b) => a.displayName.localeCompare(b.displayName));

const properties: INodeProperties[] = [
	customerRLC,
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description:
			'The fields to change. Credoro checks an update like a new customer, so the node reads the current customer, puts these fields over it and sends the whole customer.',
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
				description: 'When set, the Tax ID is checked as a CPF (PF) or a CNPJ (PJ)',
			},
			...CUSTOMER_FIELDS.map(optionalCustomerField),
			{
				displayName: 'Revenue (Last 12 Months)',
				name: 'revenue',
				type: 'string',
				default: '',
				description: REVENUE_DESCRIPTION,
			},
			{
				displayName: 'City Name',
				name: 'cityName',
				type: 'string',
				default: '',
				placeholder: 'e.g. Araranguá - SC',
				description: 'The city as "Araranguá - SC"; looked up in the partner’s city list',
			},
			{
				displayName: 'City ID',
				name: 'cityId',
				type: 'string',
				default: '',
				placeholder: 'e.g. 4330',
				description: 'The partner’s city number, as City Search returns it',
			},
			{
				displayName: 'State (UF)',
				name: 'state',
				type: 'options',
				options: STATE_OPTIONS,
				default: '',
				description: 'With a City Name typed without " - UF"',
			},
			{
				displayName: 'Bank COMPE Code',
				name: 'bankCode',
				type: 'string',
				default: '',
				placeholder: 'e.g. 237',
				description: 'The bank’s COMPE code; looked up in the partner’s bank list',
			},
			{
				displayName: 'Bank ID',
				name: 'bankId',
				type: 'string',
				default: '',
				placeholder: 'e.g. 7',
				description: 'The partner’s bank number, as Bank Search returns it',
			},
			...BANK_ACCOUNT_FIELDS.map((field) => ({
				...field,
				default: field.name === 'bankAccountType' ? '1' : '',
			})),
			...partnerIdOverrideFields,
		]),
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['customer'], operation: ['update'] } },
	properties,
);

const BANK_NAMES = BANK_ACCOUNT_FIELDS.map((field) => field.name);

const given = (value: unknown) => value !== '' && value !== undefined && value !== null;

export async function prepare(this: IExecuteFunctions, itemIndex: number) {
	const customerId = readRequiredId(this, itemIndex, 'customerId', {
		label: 'Customer',
		apiField: 'customerHashId',
	});
	const fields = readNodeParameter(this, 'updateFields', itemIndex, {}) as IDataObject;
	const named = Object.keys(fields).filter(
		(key) => !['partnerId', 'partnerUserId'].includes(key) && given(fields[key]),
	);
	if (named.length === 0)
		throw fieldError(
			this.getNode(),
			itemIndex,
			{ label: 'Update Fields' },
			'add at least one field to update',
		);
	if (fields.cityName && fields.cityId)
		throw fieldError(
			this.getNode(),
			itemIndex,
			{ label: 'City Name', apiField: 'address_city_id' },
			'give either City Name or City ID, not both',
		);
	if (fields.bankCode && fields.bankId)
		throw fieldError(
			this.getNode(),
			itemIndex,
			{ label: 'Bank COMPE Code', apiField: 'bank_id' },
			'give either Bank COMPE Code or Bank ID, not both',
		);
	const hasBank = ['bankCode', 'bankId', ...BANK_NAMES].some(
		(key) => key in fields && given(fields[key]),
	);
	const bankFields: Record<string, unknown> = {};
	for (const name of BANK_NAMES) if (name in fields) bankFields[name] = fields[name];
	const ids = await readPartnerIds(this, itemIndex, {
		partnerId: fields.partnerId,
		partnerUserId: fields.partnerUserId,
	});
	// The given fields alone first: a bad value is refused before the current customer is read.
	const changes = buildCustomerBody(this, itemIndex, {
		mode: 'update',
		personType: fields.personType as PersonType | undefined,
		values: fields,
		city: fields.cityName
			? { mode: 'name', value: String(fields.cityName), state: fields.state }
			: fields.cityId
				? { mode: 'id', value: String(fields.cityId) }
				: undefined,
		bank: hasBank
			? {
					mode: fields.bankCode ? 'code' : 'id',
					value: String(fields.bankCode || fields.bankId || ''),
					fields: bankFields,
				}
			: undefined,
		...ids,
	});
	const changed = Object.keys(changes.body).filter(
		(key) => !['partner_id', 'partner_user_id', 'cpf', 'cnpj'].includes(key),
	);
	if (changes.cityByName) changed.push('address_city_id');
	if (changes.bankCode) changed.push('bank_id');
	return { customerId, fields, hasBank, ids, changed, body: {} as IDataObject };
}

type Prepared = Awaited<ReturnType<typeof prepare>>;

/** The current customer in the node's field names, as Create would take it. */
function currentValues(current: IDataObject): Record<string, unknown> {
	const values: Record<string, unknown> = {};
	for (const field of CUSTOMER_FIELDS) values[field.name] = current[field.apiField];
	values.revenue = current.revenue;
	return values;
}

/**
 * Reads the current customer, puts the given fields over it and validates the result with the
 * create rules, before any item is written. The API's update takes "the same fields and rules as
 * create": a partial body would be refused or would blank the fields left out.
 */
export async function resolve(
	this: IExecuteFunctions,
	input: Prepared,
	itemIndex: number,
): Promise<Prepared> {
	const current = await readCustomer(this, input.customerId, itemIndex);
	const { fields } = input;
	const values = currentValues(current ?? {});
	for (const [name, value] of Object.entries(fields)) if (given(value)) values[name] = value;
	const personType =
		(fields.personType as PersonType | undefined) ??
		(String(current?.person_type) === '2' ? 'pj' : 'pf');
	const city = fields.cityName
		? { mode: 'name', value: String(fields.cityName), state: fields.state }
		: { mode: 'id', value: String(fields.cityId || current?.address_city_id || '') };
	let bank;
	if (input.hasBank || given(current?.bank_id)) {
		const bankFields: Record<string, unknown> = {};
		for (const name of BANK_NAMES)
			bankFields[name] = given(fields[name]) ? fields[name] : current?.[BANK_API_FIELDS[name]];
		bank = fields.bankCode
			? { mode: 'code', value: String(fields.bankCode), fields: bankFields }
			: { mode: 'id', value: String(fields.bankId || current?.bank_id || ''), fields: bankFields };
	}
	let payload;
	try {
		payload = buildCustomerBody(this, itemIndex, {
			mode: 'create',
			personType,
			values,
			city,
			bank,
			...input.ids,
		});
	} catch (error) {
		const nodeError = ensureNodeError(this.getNode(), error, itemIndex);
		nodeError.description =
			`${nodeError.description ?? ''} The customer is sent whole (the API applies the create rules to an update): fields not in Update Fields come from the current customer, so add this one to Update Fields.`.trim();
		throw nodeError;
	}
	return { ...input, body: await resolveReferences.call(this, payload, itemIndex) };
}

export async function execute(this: IExecuteFunctions, input: Prepared, itemIndex: number) {
	const { body } = input;
	await apiRequest.call(this, {
		service: 'partner',
		method: 'PUT',
		path: `/partner-customer/update/${encodeURIComponent(input.customerId)}`,
		body,
		itemIndex,
	});
	const sent = Object.keys(body).filter((key) => !['partner_id', 'partner_user_id'].includes(key));
	return {
		id: input.customerId,
		updated: true,
		fieldsChanged: input.changed,
		fieldsSent: sent,
	} as IDataObject;
}
