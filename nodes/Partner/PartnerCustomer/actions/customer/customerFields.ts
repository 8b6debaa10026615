/**
 * The customer's fields, written once: Create shows them as node fields, Update as "Update Fields".
 * Each entry names the API field it is sent as.
 */
import type { INodeProperties } from 'n8n-workflow';

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
	description: string;
	placeholder?: string;
}

export const CUSTOMER_FIELDS: CustomerField[] = [
	{
		name: 'taxId',
		displayName: 'Tax ID (CPF/CNPJ)',
		apiField: 'tax_id',
		kind: 'taxId',
		required: 'always',
		placeholder: '836.802.749-71',
		description:
			'CPF for PF, CNPJ (numeric or alphanumeric) for PJ; masks are removed. Sent as tax_id.',
	},
	{
		name: 'name',
		displayName: 'Name',
		apiField: 'name',
		kind: 'text',
		required: 'always',
		description: 'The person’s name (PF) or the business name (PJ). Sent as name.',
	},
	{
		name: 'companyName',
		displayName: 'Company Legal Name',
		apiField: 'company_name',
		kind: 'text',
		required: 'pj',
		description: 'Razão social of the company. Sent as company_name.',
	},
	{
		name: 'contactName',
		displayName: 'Contact Name',
		apiField: 'name_contact',
		kind: 'text',
		required: 'always',
		description: 'Name of the person to contact. Sent as name_contact.',
	},
	{
		name: 'contactEmail',
		displayName: 'Contact Email',
		apiField: 'email_contact',
		kind: 'email',
		required: 'always',
		placeholder: 'name@email.com',
		description: 'Email of the contact, also used for the terms email. Sent as email_contact.',
	},
	{
		name: 'mobilePhone',
		displayName: 'Mobile Phone',
		apiField: 'phone_2',
		kind: 'mobile',
		required: 'always',
		placeholder: '48993397760',
		description:
			'A mobile number with area code (11 digits, 9 after the area code). Sent as phone_2.',
	},
	{
		name: 'contactCpf',
		displayName: 'Contact CPF',
		apiField: 'cpf_contact',
		kind: 'cpf',
		required: 'always',
		placeholder: '836.802.749-71',
		description: 'CPF of the person responsible. Sent as cpf_contact.',
	},
	{
		name: 'motherName',
		displayName: 'Mother’s Name',
		apiField: 'mother_name',
		kind: 'text',
		required: 'always',
		description: 'Mother’s name of the person responsible. Sent as mother_name.',
	},
	{
		name: 'birthDate',
		displayName: 'Birth Date',
		apiField: 'birthday',
		kind: 'date',
		required: 'always',
		placeholder: '03/08/1992',
		description:
			'Birth date of the person responsible: DD/MM/YYYY, YYYY-MM-DD or a date. Sent as birthday (DD/MM/YYYY).',
	},
	{
		name: 'postalCode',
		displayName: 'Postal Code (CEP)',
		apiField: 'address_zipcode',
		kind: 'cep',
		required: 'always',
		placeholder: '88904-278',
		description: 'CEP, 8 digits, with or without the dash. Sent as address_zipcode.',
	},
	{
		name: 'street',
		displayName: 'Street',
		apiField: 'address_street',
		kind: 'text',
		required: 'always',
		description: 'Sent as address_street',
	},
	{
		name: 'streetNumber',
		displayName: 'Street Number',
		apiField: 'address_number',
		kind: 'text',
		required: 'always',
		description: 'Sent as address_number',
	},
	{
		name: 'district',
		displayName: 'District',
		apiField: 'address_district',
		kind: 'text',
		required: 'always',
		description: 'Bairro. Sent as address_district.',
	},
	{
		name: 'openDate',
		displayName: 'Company Opening Date',
		apiField: 'open_date',
		kind: 'date',
		required: 'pj',
		placeholder: '10/12/2010',
		description: 'Date the company was founded. Sent as open_date (DD/MM/YYYY).',
	},
	{
		name: 'mainActivity',
		displayName: 'Main Activity',
		apiField: 'main_activity',
		kind: 'text',
		required: 'pj',
		description: 'The company’s main activity. Sent as main_activity.',
	},
	{
		name: 'phone',
		displayName: 'Phone',
		apiField: 'phone_1',
		kind: 'phone',
		required: 'no',
		placeholder: '4837604183',
		description: 'Landline or mobile with area code. Sent as phone_1.',
	},
	{
		name: 'complement',
		displayName: 'Address Complement',
		apiField: 'address_complement',
		kind: 'text',
		required: 'no',
		description: 'Sent as address_complement',
	},
	{
		name: 'notes',
		displayName: 'Notes',
		apiField: 'notes',
		kind: 'text',
		required: 'no',
		description: 'Sent as notes',
	},
];

export const REVENUE_DESCRIPTION =
	'12 monthly amounts, month 1 first: a list ("5000; 6000; …" or "5000, 6000, …"), a JSON array, or a JSON object {"1": …, "12": …}. Amounts may be written 1234.56 or R$ 1.234,56 (then separate them with ";"). Sent as revenue, a list of 12 strings.';

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
		placeholder: '0737',
		description: 'Agency number, digits only. Sent as bank_agency.',
	},
	{
		displayName: 'Bank Branch Digit',
		name: 'bankBranchDigit',
		type: 'string',
		default: '0',
		description: 'Agency check digit; "0" when the agency has none. Sent as bank_agency_digit.',
	},
	{
		displayName: 'Account Number',
		name: 'bankAccountNumber',
		type: 'string',
		default: '',
		placeholder: '62902',
		description: 'Digits only. Sent as bank_number.',
	},
	{
		displayName: 'Account Digit',
		name: 'bankAccountDigit',
		type: 'string',
		default: '',
		placeholder: '2',
		description: 'Account check digit. Sent as bank_digit.',
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
		description: 'Sent as bank_account_type (1 checking, 2 savings)',
	},
	{
		displayName: 'Account Holder Name',
		name: 'bankAccountHolderName',
		type: 'string',
		default: '',
		description: 'Sent as bank_name',
	},
	{
		displayName: 'Account Holder CPF/CNPJ',
		name: 'bankAccountHolderDocument',
		type: 'string',
		default: '',
		description: 'Sent as bank_document (digits only)',
	},
];
