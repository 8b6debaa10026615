/** Create's automatic input mode: one input item's JSON → the plain values buildCustomerBody validates (no HTTP). */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { pickField } from '../../../../shared/descriptions/inputMode';
import { fieldError } from '../../../../shared/validation/validate';
import type { CustomerInput, PersonType } from './customerBody';
import { BANK_ACCOUNT_FIELDS, BANK_API_FIELDS, CUSTOMER_FIELDS } from './customerFields';

export const CUSTOMER_INPUT_NAMES_HELP =
	'Each input item is one customer, read by the API’s field names (tax_id, name, company_name, name_contact, email_contact, phone_2, cpf_contact, mother_name, birthday, address_zipcode, address_street, address_number, address_district, open_date, main_activity, revenue, phone_1, address_complement, notes) or the node’s (taxId, contactEmail, …); person_type (1 or PF, 2 or PJ; else Person Type below); the city as address_city_id or city ("Araranguá - SC", with state when the UF is missing); a bank account when bank_id or bank_code is given, with bank_agency, bank_agency_digit (default 0), bank_number, bank_digit, bank_account_type (default 1), bank_name, bank_document; partner_id and partner_user_id override the credential. Other fields are ignored.';

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
	const values: Record<string, unknown> = {};
	for (const field of CUSTOMER_FIELDS)
		values[field.name] = pickField(json, [field.apiField, field.name]);
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
