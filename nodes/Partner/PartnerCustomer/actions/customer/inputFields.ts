/** Create's automatic input mode: one input item's JSON → the plain values buildCustomerBody validates (no HTTP). */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { pickField, requireAutoFields } from '../../../../shared/descriptions/inputMode';
import { fieldError } from '../../../../shared/validation/validate';
import type { CustomerInput, PersonType } from './customerBody';
import { BANK_ACCOUNT_FIELDS, BANK_API_FIELDS, CUSTOMER_FIELDS } from './customerFields';

export const CUSTOMER_INPUT_NAMES_HELP =
	'Each input item is one customer. Its fields are read by these column names: <b>cpf</b> or <b>cnpj</b>, <b>name</b>, <b>email</b>, <b>mobile</b>, <b>mother_name</b>, <b>birthday</b>, <b>cep</b>, <b>street</b>, <b>number</b>, <b>district</b>, <b>city</b> ("Araranguá - SC", or with a <b>state</b> column); for PJ also company_name, contact_name, contact_cpf, open_date, main_activity, revenue; optional: phone, complement, notes; person_type (PF or PJ, else Person Type below); a bank account with bank_code, bank_agency, bank_number, bank_digit. The node’s own names (taxId, contactEmail, …) and the API’s (tax_id, email_contact, …) work too. Other columns are ignored.';

/** Plain column names a sign-up sheet uses, tried after the API's name and the node's. */
const COLUMN_ALIASES: Record<string, string[]> = {
	name: [],
	companyName: [],
	contactName: ['contact_name', 'name'],
	contactEmail: ['email'],
	mobilePhone: ['mobile', 'mobile_phone', 'celular'],
	contactCpf: ['contact_cpf', 'cpf'],
	motherName: [],
	birthDate: ['birth_date', 'birthdate'],
	postalCode: ['cep', 'zipcode', 'postal_code'],
	street: ['address'],
	streetNumber: ['number', 'street_number'],
	district: ['bairro'],
	openDate: ['opening_date'],
	mainActivity: [],
	phone: [],
	complement: [],
	notes: [],
};

// A company's row may hold the contact's cpf beside its cnpj: for PJ the tax ID is the cnpj column.
const namesOf = (field: { apiField: string; name: string }, personType: PersonType) => [
	field.apiField,
	field.name,
	...(field.name === 'taxId'
		? personType === 'pj'
			? ['cnpj', 'document']
			: ['cpf', 'document']
		: (COLUMN_ALIASES[field.name] ?? [])),
];

const PERSON_TYPES: Record<string, PersonType> = { '1': 'pf', pf: 'pf', '2': 'pj', pj: 'pj' };

function readPersonType(
	context: IExecuteFunctions,
	itemIndex: number,
	json: IDataObject,
	fallback: PersonType,
): PersonType {
	const raw = pickField(json, ['person_type', 'personType']);
	if (raw === undefined) return fallback;
	const personType = PERSON_TYPES[String(raw).trim().toLowerCase()];
	if (!personType)
		throw fieldError(
			context.getNode(),
			itemIndex,
			{ label: 'Person Type', apiField: 'person_type' },
			`"${String(raw)}" is not a person type: expected 1 or PF, 2 or PJ`,
		);
	return personType;
}

function readCity(json: IDataObject): NonNullable<CustomerInput['city']> {
	const state = pickField(json, ['state', 'address_state']);
	const id = pickField(json, ['address_city_id', 'cityId']);
	if (id !== undefined) return { mode: 'id', value: String(id).trim(), state };
	const city = String(pickField(json, ['city', 'address_city_name']) ?? '').trim();
	return { mode: /^\d+$/.test(city) ? 'id' : 'name', value: city, state };
}

function readBank(json: IDataObject): CustomerInput['bank'] {
	const id = pickField(json, ['bank_id', 'bankId']);
	const code = pickField(json, ['bank_code', 'bankCode']);
	const fields: Record<string, unknown> = {};
	let given = id !== undefined || code !== undefined;
	for (const field of BANK_ACCOUNT_FIELDS) {
		const value = pickField(json, [BANK_API_FIELDS[field.name], field.name]);
		if (value !== undefined) given = true;
		// The manual mode's initial values (branch digit 0, checking account) apply to a missing column too.
		fields[field.name] = value ?? field.default;
	}
	if (!given) return undefined;
	return id !== undefined
		? { mode: 'id', value: String(id).trim(), fields }
		: { mode: 'code', value: String(code ?? '').trim(), fields };
}

/** The values of one customer from its input item; partner IDs stay overrides (the credential's apply otherwise). */
export function customerInputFromJson(
	context: IExecuteFunctions,
	itemIndex: number,
	json: IDataObject,
	fallbackPersonType: PersonType,
) {
	const personType = readPersonType(context, itemIndex, json, fallbackPersonType);
	requireAutoFields(
		context.getNode(),
		itemIndex,
		json,
		CUSTOMER_FIELDS.filter(
			(field) => field.required === 'always' || (field.required === 'pj' && personType === 'pj'),
		).map((field) => ({ label: field.displayName, names: namesOf(field, personType) })),
	);
	const values: Record<string, unknown> = {};
	for (const field of CUSTOMER_FIELDS)
		values[field.name] = pickField(json, namesOf(field, personType));
	values.revenue = pickField(json, ['revenue']);
	return {
		personType,
		values,
		city: readCity(json),
		bank: readBank(json),
		overrides: {
			partnerId: pickField(json, ['partner_id', 'partnerId']),
			partnerUserId: pickField(json, ['partner_user_id', 'partnerUserId']),
		},
	};
}
