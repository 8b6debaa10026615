import type {
	IDataObject,
	IDisplayOptions,
	IExecuteFunctions,
	INodeProperties,
} from 'n8n-workflow';
import { DateTime } from 'luxon';
import { NodeApiError, updateDisplayOptions } from 'n8n-workflow';
import { z } from 'zod';

import { parseCityInput, resolveCity, type CityInput } from '../../../shared/cities';
import {
	partnerIdOverrideField,
	readPartnerIds,
	readRequiredId,
	stateField,
} from '../../../shared/descriptions';
import { cityNameRLC, customerRLC } from '../../../shared/rlc.description';
import {
	parseRevenue,
	readRevenueInput,
	REVENUE_FORMATS,
	revenueAsObject,
	revenueFields,
} from '../../../shared/revenue';
import { readLocator, readNodeParameter } from '../../../../shared/execution/parameters';
import { apiRequest, ensureNodeError } from '../../../../shared/transport';
import { isToolMode } from '../../../../shared/execution/toolMode';
import {
	customerName,
	findCustomerByTaxId,
	findRetriedOperation,
} from '../../../shared/existingRecords';
import {
	fieldError,
	readParameter,
	schemas,
	validateField,
	type FieldRef,
} from '../../../../shared/validation/validate';

const applicant = (...values: string[]) => ({ applicant: values });

type Applicant = 'pf' | 'pj' | 'existingCustomer';

const CITY_FIELD: FieldRef = { label: 'City', apiField: 'city' };

const text = (
	displayName: string,
	name: string,
	description: string,
	showOn: IDisplayOptions['show'],
	extra: Partial<INodeProperties> = {},
): INodeProperties => ({
	displayName,
	name,
	type: 'string',
	default: '',
	required: true,
	description,
	displayOptions: { show: showOn },
	...extra,
});

const properties: INodeProperties[] = [
	{
		displayName: 'Applicant',
		name: 'applicant',
		type: 'options',
		options: [
			{
				name: 'Individual (PF)',
				value: 'pf',
				description: 'Create the customer and the operation together for a person (CPF)',
			},
			{
				name: 'Company (PJ)',
				value: 'pj',
				description:
					'Create the customer and the operation together for a company (CNPJ), with 12-month revenue',
			},
			{
				name: 'Existing Customer',
				value: 'existingCustomer',
				description: 'Create a credit operation for a customer you already registered',
			},
		],
		default: 'pf',
		description: 'Who the credit operation is for',
	},
	{ ...customerRLC, displayOptions: { show: applicant('existingCustomer') } },
	text(
		'Amount',
		'amount',
		'The loan amount in reais, more than zero: R$ 1.200,50, 1.200,50 or 1200.50',
		{},
		{ placeholder: 'e.g. R$ 10.000,50' },
	),
	{
		displayName: 'Installments',
		name: 'installments',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 12,
		required: true,
		description: 'Number of monthly installments, a whole number greater than 0',
	},
	text('Name', 'name', 'The person’s name (PF) or the business name (PJ)', applicant('pf', 'pj')),
	// One field, two entries: the placeholder follows the applicant (n8n shows the one that matches).
	text('Tax ID (CPF/CNPJ)', 'taxId', 'The person’s CPF, with or without mask', applicant('pf'), {
		placeholder: 'e.g. 529.982.247-25',
	}),
	text(
		'Tax ID (CPF/CNPJ)',
		'taxId',
		'The company’s CNPJ, with or without mask; letters are allowed (CNPJs issued since July 2026)',
		applicant('pj'),
		{ placeholder: 'e.g. 11.222.333/0001-81' },
	),
	text('Contact Email', 'contactEmail', 'Email used to sign the contract', applicant('pf', 'pj'), {
		placeholder: 'e.g. name@email.com',
	}),
	text(
		'Mobile Phone',
		'mobilePhone',
		'A mobile number with area code (11 digits, 9 after the area code)',
		applicant('pf', 'pj'),
		{ placeholder: 'e.g. (11) 92222-3333' },
	),
	{ ...cityNameRLC, displayOptions: { show: applicant('pf', 'pj') } },
	{ ...stateField, displayOptions: { show: applicant('pf', 'pj') } },
	text('Company Legal Name', 'companyName', 'Razão social of the company', applicant('pj'), {
		required: false,
	}),
	text('Contact Name', 'contactName', 'Name of the person who signs the contract', applicant('pj')),
	text('Contact CPF', 'contactCpf', 'CPF of the person who signs the contract', applicant('pj'), {
		placeholder: 'e.g. 529.982.247-25',
	}),
	text(
		'Company Opening Date',
		'openDate',
		'When the company was opened: DD/MM/YYYY, YYYY-MM-DD or a date from an expression',
		applicant('pj'),
		{ placeholder: 'e.g. 10/12/2010' },
	),
	text('Main Activity', 'mainActivity', 'The company’s main activity', applicant('pj')),
	...revenueFields(applicant('pj'), REVENUE_FORMATS),
	text(
		'Product Description',
		'description',
		'What is being financed',
		applicant('existingCustomer'),
	),
	{
		displayName: 'Quantity',
		name: 'quantity',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 1,
		description: 'How many units of the product are financed',
		displayOptions: { show: applicant('existingCustomer') },
	},
	text(
		'Seller Email',
		'sellerEmail',
		'Email of the seller responsible',
		applicant('existingCustomer'),
		{ required: false, placeholder: 'e.g. seller@store.com' },
	),
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show: applicant('pf', 'pj') },
		options: [
			{
				displayName: 'Address Complement',
				name: 'addressComplement',
				type: 'string',
				default: '',
			},
			{
				displayName: 'Birth Date',
				name: 'birthDate',
				type: 'string',
				default: '',
				placeholder: 'e.g. 27/06/1952',
				description: 'DD/MM/YYYY, YYYY-MM-DD or a date from an expression',
			},
			{
				displayName: 'Contact CPF',
				name: 'contactCpf',
				type: 'string',
				default: '',
				description: 'For PF: CPF of who signs the contract when it is not the applicant',
			},
			{
				displayName: 'District',
				name: 'addressDistrict',
				type: 'string',
				default: '',
				description: 'Bairro',
			},
			{
				displayName: 'Other Phone',
				name: 'phone3',
				type: 'string',
				default: '',
				description: 'Landline or mobile with area code',
			},
			{
				displayName: 'Phone',
				name: 'phone1',
				type: 'string',
				default: '',
				description: 'Landline or mobile with area code',
			},
			{
				displayName: 'Postal Code (CEP)',
				name: 'postalCode',
				type: 'string',
				default: '',
				placeholder: 'e.g. 01234-567',
			},
			{
				displayName: 'Product Description',
				name: 'description',
				type: 'string',
				default: '',
			},
			{
				displayName: 'Street',
				name: 'addressStreet',
				type: 'string',
				default: '',
			},
			{
				displayName: 'Street Number',
				name: 'addressNumber',
				type: 'string',
				default: '',
			},
		],
	},
	{
		displayName: 'Additional Fields',
		name: 'existingAdditionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show: applicant('existingCustomer') },
		options: [partnerIdOverrideField],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['operation'], operation: ['create'] } },
	properties,
);

const revenueSchema = z.unknown().transform((value, context) => {
	try {
		return revenueAsObject(parseRevenue(value));
	} catch (error) {
		context.addIssue({ code: z.ZodIssueCode.custom, message: (error as Error).message });
		return z.NEVER;
	}
});

const citySchema = (state: unknown) =>
	z.unknown().transform((value, context): CityInput => {
		try {
			return parseCityInput(value, state);
		} catch (error) {
			context.addIssue({ code: z.ZodIssueCode.custom, message: (error as Error).message });
			return z.NEVER;
		}
	});

function isEmpty(value: unknown): boolean {
	return value === undefined || value === null || String(value).trim() === '';
}

export async function prepare(this: IExecuteFunctions, itemIndex: number) {
	const node = this.getNode();
	const kind = readNodeParameter(this, 'applicant', itemIndex, 'pf') as Applicant;
	const read = <S extends z.ZodTypeAny>(
		name: string,
		ref: FieldRef,
		schema: S,
		fallback: unknown = '',
	) => readParameter(this, itemIndex, name, ref, schema, fallback);
	const body: IDataObject = {
		amount: read('amount', { label: 'Amount', apiField: 'amount' }, schemas.positiveMoney()),
		installment: read(
			'installments',
			{ label: 'Installments', apiField: 'installment' },
			schemas.positiveInteger,
		),
	};
	if (kind === 'existingCustomer') {
		const extra = readNodeParameter(this, 'existingAdditionalFields', itemIndex, {}) as IDataObject;
		const { partnerId } = await readPartnerIds(this, itemIndex, { partnerId: extra.partnerId });
		body.customer_hashid = readRequiredId(this, itemIndex, 'customerId', {
			label: 'Customer',
			apiField: 'customer_hashid',
		});
		body.partner_id = partnerId;
		body.description = read(
			'description',
			{ label: 'Product Description', apiField: 'description' },
			schemas.requiredText(500),
		);
		body.quantity = String(
			read('quantity', { label: 'Quantity', apiField: 'quantity' }, schemas.positiveInteger, 1),
		);
		const seller = readNodeParameter(this, 'sellerEmail', itemIndex, '');
		if (!isEmpty(seller))
			body.seller_email = validateField(
				node,
				itemIndex,
				{ label: 'Seller Email', apiField: 'seller_email' },
				schemas.email,
				seller,
			);
		return { body, city: undefined as CityInput | undefined };
	}

	const pj = kind === 'pj';
	body.person_type = pj ? 'PJ' : 'PF';
	body.name = read('name', { label: 'Name', apiField: 'name' }, schemas.requiredText(255));
	body.tax_id = read(
		'taxId',
		{ label: 'Tax ID (CPF/CNPJ)', apiField: 'tax_id' },
		pj ? schemas.cnpj : schemas.cpf,
	);
	body.email_contact = read(
		'contactEmail',
		{ label: 'Contact Email', apiField: 'email_contact' },
		schemas.email,
	);
	body.phone2 = read(
		'mobilePhone',
		{ label: 'Mobile Phone', apiField: 'phone2' },
		schemas.phone('mobile'),
	);
	const cityLocatorValue = readLocator(this, itemIndex, 'city');
	const city = validateField(
		node,
		itemIndex,
		CITY_FIELD,
		citySchema(readNodeParameter(this, 'state', itemIndex, '')),
		cityLocatorValue.value,
	);
	if (!city.uf)
		throw fieldError(
			node,
			itemIndex,
			{ label: 'State (UF)', apiField: 'state' },
			`is required: type the city as "${city.city} - UF" or pick the state`,
		);
	if (pj) {
		const companyName = String(readNodeParameter(this, 'companyName', itemIndex, '') ?? '').trim();
		if (companyName) body.company_name = companyName;
		body.name_contact = read(
			'contactName',
			{ label: 'Contact Name', apiField: 'name_contact' },
			schemas.requiredText(255),
		);
		body.cpf_contact = read(
			'contactCpf',
			{ label: 'Contact CPF', apiField: 'cpf_contact' },
			schemas.cpf,
		);
		body.opendate = read(
			'openDate',
			{ label: 'Company Opening Date', apiField: 'opendate' },
			schemas.brazilianDate(this.getTimezone()),
		);
		body.main_activity = read(
			'mainActivity',
			{ label: 'Main Activity', apiField: 'main_activity' },
			schemas.requiredText(255),
		);
		body.revenue = validateField(
			node,
			itemIndex,
			{ label: 'Revenue (Last 12 Months)', apiField: 'revenue' },
			revenueSchema,
			readRevenueInput(this, itemIndex),
		);
	}
	const extra = readNodeParameter(this, 'additionalFields', itemIndex, {}) as IDataObject;
	const optional: Array<[string, string, string, z.ZodTypeAny]> = [
		['phone1', 'Phone', 'phone1', schemas.phone('any')],
		['phone3', 'Other Phone', 'phone3', schemas.phone('any')],
		['birthDate', 'Birth Date', 'birthdate', schemas.brazilianDate(this.getTimezone())],
		['postalCode', 'Postal Code (CEP)', 'postal_code', schemas.cep],
		['addressStreet', 'Street', 'address_street', schemas.requiredText(255)],
		['addressNumber', 'Street Number', 'address_number', schemas.requiredText(50)],
		['addressComplement', 'Address Complement', 'address_complement', schemas.requiredText(255)],
		['addressDistrict', 'District', 'address_district', schemas.requiredText(255)],
		['description', 'Product Description', 'description', schemas.requiredText(500)],
		['contactCpf', 'Contact CPF', 'cpf_contact', schemas.cpf],
	];
	for (const [name, label, apiField, schema] of optional) {
		if (isEmpty(extra[name]) || (pj && name === 'contactCpf')) continue;
		body[apiField] = validateField(node, itemIndex, { label, apiField }, schema, extra[name]);
	}
	return { body, city };
}

type Prepared = Awaited<ReturnType<typeof prepare>>;

/** The city look-up of every item, before the first operation is created. */
export async function resolve(
	this: IExecuteFunctions,
	input: Prepared,
	itemIndex: number,
): Promise<Prepared> {
	if (!input.city) return input;
	// The API refuses a city that is not written as in /city/search: check it and send its own spelling.
	const city = await resolveCity.call(this, input.city, itemIndex, CITY_FIELD);
	return { body: { ...input.body, city: city.city, state: city.uf }, city: undefined };
}

/**
 * A tool call that a model retries (it did not see the first answer) finds the operation the
 * first call created instead of requesting credit twice: same applicant, amount and installments,
 * still open, created within the last 24 hours. Workflows send every item as before.
 */
async function retriedOperation(
	context: IExecuteFunctions,
	body: IDataObject,
	itemIndex: number,
): Promise<IDataObject | undefined> {
	let customer: { id: string; name: string } | undefined;
	if (body.customer_hashid) {
		const id = String(body.customer_hashid);
		try {
			customer = { id, name: await customerName(context, id, itemIndex) };
		} catch (error) {
			// An unknown customer has no operation to find: the create itself gets the API's refusal.
			if (error instanceof NodeApiError && String(error.httpCode) === '404') return undefined;
			throw ensureNodeError(context.getNode(), error, itemIndex);
		}
	} else {
		const found = await findCustomerByTaxId(
			context,
			String(body.name ?? ''),
			String(body.tax_id ?? ''),
			itemIndex,
		);
		if (found) customer = { id: String(found.id), name: String(found.name ?? body.name ?? '') };
	}
	if (!customer) return undefined;
	const now = Math.floor(DateTime.now().toSeconds());
	const existing = await findRetriedOperation(context, customer, body, itemIndex, now);
	if (!existing) return undefined;
	return {
		id: existing.id,
		operationId: existing.id,
		customerId: existing.customer_id,
		personType: body.person_type ?? null,
		amount: body.amount,
		installments: body.installment,
		city: body.city ?? null,
		state: body.state ?? null,
		status: existing.status_name ?? null,
		statusSlug: existing.status_slug ?? null,
		alreadyExisted: true,
	};
}

export async function execute(this: IExecuteFunctions, input: Prepared, itemIndex: number) {
	const body = { ...input.body };
	if (isToolMode(this)) {
		const existing = await retriedOperation(this, body, itemIndex);
		if (existing) return existing;
	}
	const data = (await apiRequest.call(this, {
		service: 'partner',
		method: 'POST',
		path: '/operation/create',
		body,
		itemIndex,
	})) as IDataObject;
	return {
		id: data?.operation,
		operationId: data?.operation,
		customerId: data?.customer,
		personType: body.person_type ?? null,
		amount: body.amount,
		installments: body.installment,
		city: body.city ?? null,
		state: body.state ?? null,
	} as IDataObject;
}
