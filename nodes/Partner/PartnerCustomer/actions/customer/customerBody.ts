/** Builds and validates the body of `/partner-customer/insert` and `/partner-customer/update/{id}` (no HTTP). */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { z } from 'zod';

import {
	asciiUpperCase,
	formatCnpj,
	formatCpf,
	InputError,
} from '../../../../shared/validation/brazil';
import { resolveBankCode } from '../../../shared/banks';
import { parseCityInput, resolveCity, type CityInput } from '../../../shared/cities';
import { parseRevenue, revenueAsList } from '../../../shared/revenue';
import {
	fieldError,
	schemas,
	validateField,
	type FieldRef,
} from '../../../../shared/validation/validate';
import { BANK_API_FIELDS, CUSTOMER_FIELDS, type CustomerField } from './customerFields';

export type PersonType = 'pf' | 'pj';

export interface CustomerPayload {
	body: IDataObject;
	/** A city typed by name, resolved to address_city_id before any item is written. */
	cityByName?: CityInput;
	/** A COMPE code, resolved to bank_id before any item is written. */
	bankCode?: string;
}

const CITY_FIELD: FieldRef = { label: 'City', apiField: 'address_city_id' };
const BANK_FIELD: FieldRef = { label: 'Bank', apiField: 'bank_id' };

function isEmpty(value: unknown): boolean {
	return (
		value === undefined ||
		value === null ||
		(typeof value === 'string' && value.trim() === '') ||
		(Array.isArray(value) && value.length === 0)
	);
}

const revenueSchema = z.unknown().transform((value, context) => {
	try {
		return revenueAsList(parseRevenue(value));
	} catch (error) {
		context.addIssue({ code: z.ZodIssueCode.custom, message: (error as Error).message });
		return z.NEVER;
	}
});

function schemaFor(
	field: CustomerField,
	personType: PersonType | undefined,
	zone: string,
): z.ZodTypeAny {
	switch (field.kind) {
		case 'taxId':
			return personType === 'pf'
				? schemas.cpf
				: personType === 'pj'
					? schemas.cnpj
					: schemas.taxId.transform((taxId) => taxId.value);
		case 'cpf':
			return schemas.cpf;
		case 'cep':
			return schemas.cep;
		case 'phone':
			return schemas.phone('any');
		case 'mobile':
			return schemas.phone('mobile');
		case 'email':
			return schemas.email;
		case 'date':
			return schemas.brazilianDate(zone);
		case 'revenue':
			return revenueSchema;
		default:
			return schemas.requiredText(500);
	}
}

const positiveId = z.unknown().transform((value, context) => {
	const text = String(value ?? '').trim();
	if (!/^\d+$/.test(text) || Number(text) <= 0) {
		context.addIssue({
			code: z.ZodIssueCode.custom,
			message: `"${text}" is not an ID: expected a positive whole number`,
		});
		return z.NEVER;
	}
	return Number(text);
});

export interface CustomerInput {
	mode: 'create' | 'update';
	personType?: PersonType;
	/** Field values by field name (see CUSTOMER_FIELDS), plus revenue. */
	values: Record<string, unknown>;
	city?: { mode: string; value: string; state?: unknown };
	bank?: { mode: string; value: string; fields: Record<string, unknown> };
	partnerId: string;
	partnerUserId: string;
}

/** Validates every field of one item and returns the body; throws a NodeOperationError naming item and field. */
export function buildCustomerBody(
	context: IExecuteFunctions,
	itemIndex: number,
	input: CustomerInput,
): CustomerPayload {
	const node = context.getNode();
	const check = <S extends z.ZodTypeAny>(ref: FieldRef, schema: S, value: unknown) =>
		validateField(node, itemIndex, ref, schema, value);
	const body: IDataObject = { partner_id: input.partnerId };
	if (input.partnerUserId) body.partner_user_id = input.partnerUserId;
	const personType = input.personType;
	const zone = context.getTimezone();
	if (personType) body.person_type = personType === 'pj' ? '2' : '1';

	const fields: CustomerField[] = [
		...CUSTOMER_FIELDS,
		{
			name: 'revenue',
			displayName: 'Revenue (Last 12 Months)',
			apiField: 'revenue',
			kind: 'revenue',
			required: 'pj',
			description: '',
		},
	];
	for (const field of fields) {
		const value = input.values[field.name];
		const required =
			input.mode === 'create' &&
			(field.required === 'always' || (field.required === 'pj' && personType === 'pj'));
		const ref = { label: field.displayName, apiField: field.apiField };
		if (isEmpty(value)) {
			if (required)
				throw fieldError(
					node,
					itemIndex,
					ref,
					personType === 'pj' && field.required === 'pj'
						? 'is required for a PJ (company) customer'
						: 'is required',
				);
			continue;
		}
		// PJ-only fields of a PF customer are not sent (the node hides them for PF).
		if (input.mode === 'create' && field.required === 'pj' && personType !== 'pj') continue;
		body[field.apiField] = check(ref, schemaFor(field, personType, zone), value);
	}
	if (body.tax_id && personType) {
		const taxId = String(body.tax_id);
		body.cpf = personType === 'pf' ? formatCpf(taxId) : '';
		body.cnpj = personType === 'pj' ? formatCnpj(taxId) : '';
	}

	const payload: CustomerPayload = { body };
	const city = input.city;
	if (city && !isEmpty(city.value)) {
		if (city.mode === 'name') {
			payload.cityByName = check(
				CITY_FIELD,
				z.unknown().transform((value, zc) => {
					try {
						return parseCityInput(value, city.state);
					} catch (error) {
						zc.addIssue({ code: z.ZodIssueCode.custom, message: (error as InputError).message });
						return z.NEVER;
					}
				}),
				city.value,
			);
		} else {
			body.address_city_id = check(CITY_FIELD, positiveId, city.value);
		}
		if (input.mode === 'create') body.address_state_id = null;
	} else if (input.mode === 'create') {
		throw fieldError(
			node,
			itemIndex,
			CITY_FIELD,
			'is required: pick a city or type one such as "Araranguá - SC"',
		);
	}

	const bank = input.bank;
	if (bank) {
		const bankFields = bank.fields;
		const needAll = input.mode === 'create';
		if (isEmpty(bank.value)) {
			if (needAll)
				throw fieldError(
					node,
					itemIndex,
					BANK_FIELD,
					'is required when a bank account is included',
				);
		} else if (bank.mode === 'code') {
			const code = String(bank.value).trim();
			if (!/^\d{1,3}$/.test(code))
				throw fieldError(
					node,
					itemIndex,
					BANK_FIELD,
					`"${code}" is not a COMPE code: expected 1 to 3 digits such as 237`,
				);
			payload.bankCode = code.padStart(3, '0');
		} else {
			body.bank_id = check(BANK_FIELD, positiveId, bank.value);
		}
		const rules: Array<[string, string, string, RegExp, string]> = [
			[
				'bankBranch',
				'Bank Branch',
				BANK_API_FIELDS.bankBranch,
				/^\d{1,6}$/,
				'expected up to 6 digits',
			],
			[
				'bankBranchDigit',
				'Bank Branch Digit',
				BANK_API_FIELDS.bankBranchDigit,
				/^[0-9Xx]{1,2}$/,
				'expected 1 or 2 digits (or X); use 0 when there is none',
			],
			[
				'bankAccountNumber',
				'Account Number',
				BANK_API_FIELDS.bankAccountNumber,
				/^\d{1,20}$/,
				'expected digits only',
			],
			[
				'bankAccountDigit',
				'Account Digit',
				BANK_API_FIELDS.bankAccountDigit,
				/^[0-9Xx]{1,2}$/,
				'expected 1 or 2 digits (or X)',
			],
			[
				'bankAccountType',
				'Account Type',
				BANK_API_FIELDS.bankAccountType,
				/^[12]$/,
				'expected 1 (checking) or 2 (savings)',
			],
			[
				'bankAccountHolderName',
				'Account Holder Name',
				BANK_API_FIELDS.bankAccountHolderName,
				/\S/,
				'is required',
			],
		];
		for (const [name, label, apiField, pattern, hint] of rules) {
			const raw = bankFields[name];
			if (isEmpty(raw)) {
				if (needAll)
					throw fieldError(
						node,
						itemIndex,
						{ label, apiField },
						'is required when a bank account is included',
					);
				continue;
			}
			const isName = name === 'bankAccountHolderName';
			const text = isName
				? String(raw).trim()
				: asciiUpperCase(
						String(raw)
							.trim()
							.replace(/[.\s-]/g, ''),
					);
			if (!pattern.test(text))
				throw fieldError(node, itemIndex, { label, apiField }, `"${String(raw)}": ${hint}`);
			body[apiField] = text;
		}
		const holderDocument = bankFields.bankAccountHolderDocument;
		if (isEmpty(holderDocument)) {
			if (needAll)
				throw fieldError(
					node,
					itemIndex,
					{ label: 'Account Holder CPF/CNPJ', apiField: BANK_API_FIELDS.bankAccountHolderDocument },
					'is required when a bank account is included',
				);
		} else {
			body.bank_document = check(
				{ label: 'Account Holder CPF/CNPJ', apiField: BANK_API_FIELDS.bankAccountHolderDocument },
				schemas.taxId.transform((taxId) => taxId.value),
				holderDocument,
			);
		}
	}
	return payload;
}

/** Resolves the typed city and the bank code (the only requests before the write). */
export async function resolveReferences(
	this: IExecuteFunctions,
	payload: CustomerPayload,
	itemIndex: number,
): Promise<IDataObject> {
	const body = { ...payload.body };
	if (payload.cityByName) {
		const city = await resolveCity.call(this, payload.cityByName, itemIndex, CITY_FIELD);
		body.address_city_id = city.id;
		body.address_city_name = city.label;
	}
	if (payload.bankCode)
		body.bank_id = (await resolveBankCode.call(this, payload.bankCode, itemIndex, BANK_FIELD)).id;
	return body;
}
