/**
 * The customer's fields, written once: Create shows them as node fields, Update as "Update Fields".
 * Each entry names the API field it is sent as.
 */
import type { INodeProperties } from 'n8n-workflow';

import { REVENUE_FORMATS } from '../../../shared/revenue';

export type CustomerFieldKind =
	| 'text'
	| 'taxId'
	| 'cpf'
	| 'cep'
	| 'phone'
	| 'mobile'
	| 'email'
	| 'date'
	| 'revenue';

export interface CustomerField {
	name: string;
	displayName: string;
	apiField: string;
	kind: CustomerFieldKind;
	/** Required on Create: always, only for PJ, or never (then it goes in Additional Fields). */
	required: 'always' | 'pj' | 'no';
	description?: string;
	placeholder?: string;
}

export const CUSTOMER_FIELDS: CustomerField[] = [
	{
		name: 'taxId',
		displayName: 'Tax ID (CPF/CNPJ)',
		apiField: 'tax_id',
		kind: 'taxId',
		required: 'always',
		placeholder: 'e.g. 836.802.749-71 or 11.222.333/0001-81',
		description: 'CPF for PF, CNPJ for PJ (letters allowed in a CNPJ), with or without mask',
	},
	{
		name: 'name',
		displayName: 'Name',
		apiField: 'name',
		kind: 'text',
		required: 'always',
		description: 'The person’s name (PF) or the business name (PJ)',
	},
	{
		name: 'companyName',
		displayName: 'Company Legal Name',
		apiField: 'company_name',
		kind: 'text',
		required: 'pj',
		description: 'Razão social of the company',
	},
	{
		name: 'contactName',
		displayName: 'Contact Name',
		apiField: 'name_contact',
		kind: 'text',
		required: 'always',
		description: 'Name of the person to contact',
	},
	{
		name: 'contactEmail',
		displayName: 'Contact Email',
		apiField: 'email_contact',
		kind: 'email',
		required: 'always',
		placeholder: 'e.g. name@email.com',
		description: 'Email of the contact, also used for the terms email',
	},
	{
		name: 'mobilePhone',
		displayName: 'Mobile Phone',
		apiField: 'phone_2',
		kind: 'mobile',
		required: 'always',
		placeholder: 'e.g. (48) 99339-7760',
		description: 'A mobile number with area code (11 digits, 9 after the area code)',
	},
	{
		name: 'contactCpf',
		displayName: 'Contact CPF',
		apiField: 'cpf_contact',
		kind: 'cpf',
		required: 'always',
		placeholder: 'e.g. 836.802.749-71',
		description: 'CPF of the person responsible',
	},
	{
		name: 'motherName',
		displayName: 'Mother’s Name',
		apiField: 'mother_name',
		kind: 'text',
		required: 'always',
		description: 'Mother’s name of the person responsible',
	},
	{
		name: 'birthDate',
		displayName: 'Birth Date',
		apiField: 'birthday',
		kind: 'date',
		required: 'always',
		placeholder: 'e.g. 03/08/1992',
		description:
			'Birth date of the person responsible: DD/MM/YYYY, YYYY-MM-DD or a date from an expression',
	},
	{
		name: 'postalCode',
		displayName: 'Postal Code (CEP)',
		apiField: 'address_zipcode',
		kind: 'cep',
		required: 'always',
		placeholder: 'e.g. 88904-278',
		description: 'CEP, 8 digits, with or without the dash',
	},
	{
		name: 'street',
		displayName: 'Street',
		apiField: 'address_street',
		kind: 'text',
		required: 'always',
	},
	{
		name: 'streetNumber',
		displayName: 'Street Number',
		apiField: 'address_number',
		kind: 'text',
		required: 'always',
	},
	{
		name: 'district',
		displayName: 'District',
		apiField: 'address_district',
		kind: 'text',
		required: 'always',
		description: 'Bairro',
	},
	{
		name: 'openDate',
		displayName: 'Company Opening Date',
		apiField: 'open_date',
		kind: 'date',
		required: 'pj',
		placeholder: 'e.g. 10/12/2010',
		description: 'When the company was opened: DD/MM/YYYY, YYYY-MM-DD or a date from an expression',
	},
	{
		name: 'mainActivity',
		displayName: 'Main Activity',
		apiField: 'main_activity',
		kind: 'text',
		required: 'pj',
		description: 'The company’s main activity',
	},
	{
		name: 'phone',
		displayName: 'Phone',
		apiField: 'phone_1',
		kind: 'phone',
		required: 'no',
		placeholder: 'e.g. (48) 3760-4183',
		description: 'Landline or mobile with area code',
	},
	{
		name: 'complement',
		displayName: 'Address Complement',
		apiField: 'address_complement',
		kind: 'text',
		required: 'no',
	},
	{
		name: 'notes',
		displayName: 'Notes',
		apiField: 'notes',
		kind: 'text',
		required: 'no',
	},
];

/** A customer field as an optional text parameter: Create's Additional Fields, Update's Update Fields. */
export function optionalCustomerField(field: CustomerField): INodeProperties {
	return {
		displayName: field.displayName,
		name: field.name,
		type: 'string',
		default: '',
		placeholder: field.placeholder,
		description: field.description,
	};
}

export const REVENUE_DESCRIPTION = `${REVENUE_FORMATS} Amounts may be written 1234.56 or R$ 1.234,56 (then separate them with ";").`;

/** The API field each bank-account field is sent as. */
export const BANK_API_FIELDS: Record<string, string> = {
	bankBranch: 'bank_agency',
	bankBranchDigit: 'bank_agency_digit',
	bankAccountNumber: 'bank_number',
	bankAccountDigit: 'bank_digit',
	bankAccountType: 'bank_account_type',
	bankAccountHolderName: 'bank_name',
	bankAccountHolderDocument: 'bank_document',
};

export const BANK_ACCOUNT_FIELDS: INodeProperties[] = [
	{
		displayName: 'Bank Branch',
		name: 'bankBranch',
		type: 'string',
		default: '',
		placeholder: 'e.g. 0737',
		description: 'Agency number, digits only',
	},
	{
		displayName: 'Bank Branch Digit',
		name: 'bankBranchDigit',
		type: 'string',
		default: '0',
		description: 'Agency check digit; 0 when the agency has none',
	},
	{
		displayName: 'Account Number',
		name: 'bankAccountNumber',
		type: 'string',
		default: '',
		placeholder: 'e.g. 62902',
		description: 'The account number, digits only',
	},
	{
		displayName: 'Account Digit',
		name: 'bankAccountDigit',
		type: 'string',
		default: '',
		placeholder: 'e.g. 2',
		description: 'Account check digit',
	},
	{
		displayName: 'Account Type',
		name: 'bankAccountType',
		type: 'options',
		options: [
			{ name: 'Checking', value: '1' },
			{ name: 'Savings', value: '2' },
		],
		default: '1',
	},
	{
		displayName: 'Account Holder Name',
		name: 'bankAccountHolderName',
		type: 'string',
		default: '',
	},
	{
		displayName: 'Account Holder CPF/CNPJ',
		name: 'bankAccountHolderDocument',
		type: 'string',
		default: '',
	},
];
