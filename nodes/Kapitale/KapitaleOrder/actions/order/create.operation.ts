import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { ensureNodeError, apiRequest } from '../../../../shared/transport';
import {
	inputJson,
	inputModeField,
	readInputMode,
} from '../../../../shared/descriptions/inputMode';
import { readNodeParameter } from '../../../../shared/execution/parameters';
import { schemas } from '../../../../shared/validation/validate';
import {
	ORDER_INPUT_NAMES_HELP,
	buildOrderPayload,
	orderValuesFromInput,
	type CreatePayload,
	type OrderValues,
} from './orderBody';

const show = { resource: ['order'], operation: ['create'] };
const manual = { ...show, inputMode: ['manual'] };

export const description: INodeProperties[] = [
	inputModeField(
		show,
		'How the order’s fields are set. Automatically: each input item is one order, read by field name. Existing workflows keep mapping manually.',
	),
	{
		displayName: ORDER_INPUT_NAMES_HELP,
		name: 'autoMappingNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { ...show, inputMode: ['auto'] } },
	},
	{
		displayName: 'Order Number',
		name: 'orderNumber',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. ORD-2025-001',
		description:
			'Your own unique number for this order. Kapitale refuses a number already used, and enforces its own maximum length.',
		displayOptions: { show: manual },
	},
	{
		displayName: 'Retail CNPJ',
		name: 'retailCnpj',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 11.222.333/0001-81',
		description:
			'CNPJ of the buying retail, masked or plain, numeric or alphanumeric. It is checked before sending and sent without mask.',
		displayOptions: { show: manual },
	},
	{
		displayName: 'Requested Amount',
		name: 'requestedAmount',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 10000.50 or R$ 10.000,50',
		description:
			'Total amount of the order in BRL, greater than 1. Accepts numbers and Brazilian money text such as "R$ 1.234,56".',
		displayOptions: { show: manual },
	},
	{
		displayName: 'Purchase Date',
		name: 'purchaseDate',
		type: 'dateTime',
		required: true,
		default: '',
		description:
			'Date of the purchase. Accepts a date value, YYYY-MM-DD or DD/MM/YYYY; sent as YYYY-MM-DD.',
		displayOptions: { show: manual },
	},
	{
		displayName: 'Expiry Date',
		name: 'expiryDate',
		type: 'dateTime',
		required: true,
		default: '',
		description:
			'Due date of the payment. Accepts a date value, YYYY-MM-DD or DD/MM/YYYY; sent as YYYY-MM-DD.',
		displayOptions: { show: manual },
	},
	{
		displayName: 'Purchase Items Input',
		name: 'itemsInput',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Fields Below', value: 'fields', description: 'Type each purchase item' },
			{
				name: 'JSON',
				value: 'json',
				description: 'A JSON array of {value, quantity, description}, e.g. from a spreadsheet cell',
			},
		],
		default: 'fields',
		displayOptions: { show: manual },
	},
	{
		displayName: 'Purchase Items',
		name: 'purchaseItems',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add purchase item',
		default: {},
		description:
			'What was bought: at least one item, each with a unit value and a quantity greater than 0',
		displayOptions: { show: { ...manual, itemsInput: ['fields'] } },
		options: [
			{
				displayName: 'Item',
				name: 'item',
				values: [
					{
						displayName: 'Description',
						name: 'description',
						type: 'string',
						default: '',
						placeholder: 'e.g. Produto A',
					},
					{
						displayName: 'Unit Value',
						name: 'value',
						type: 'string',
						default: '',
						placeholder: 'e.g. 5000 or R$ 5.000,00',
						description: 'Price of one unit in BRL, greater than 0',
					},
					{
						displayName: 'Quantity',
						name: 'quantity',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: 1,
						description: 'How many units, greater than 0',
					},
				],
			},
		],
	},
	{
		displayName: 'Purchase Items (JSON)',
		name: 'purchaseItemsJson',
		type: 'json',
		default: '[\n  { "value": 5000, "quantity": 2, "description": "Produto A" }\n]',
		description:
			'A JSON array (or an expression giving one) of items with "value", "quantity" and an optional "description". Values may be text like "R$ 5.000,00".',
		displayOptions: { show: { ...manual, itemsInput: ['json'] } },
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add field',
		default: {},
		displayOptions: { show: manual },
		options: [
			{
				displayName: 'Retail Email',
				name: 'retailEmail',
				type: 'string',
				placeholder: 'name@email.com',
				default: '',
				description: 'Email of the retail’s contact. Checked when given.',
			},
			{
				displayName: 'Retail Phone',
				name: 'retailPhone',
				type: 'string',
				default: '',
				placeholder: 'e.g. (11) 98765-4321',
				description:
					'Phone with area code (10 or 11 digits, +55 optional). Checked when given and sent as digits.',
			},
			{
				displayName: 'Retail Representative',
				name: 'retailRepresentative',
				type: 'string',
				default: '',
				placeholder: 'e.g. João Silva',
				description: 'Name of the person who represents the retail',
			},
		],
	},
];

/** Create's entries in the node's Options collection. */
export const optionFields: INodeProperties[] = [
	{
		displayName: 'Fill Retail Contact From CNPJ Look-Up',
		name: 'fillContact',
		type: 'boolean',
		default: false,
		description:
			'Whether to look the retail up by CNPJ (one request per distinct CNPJ) and fill representative, email and phone that were left empty',
		displayOptions: { show: { '/operation': ['create'] } },
	},
	{
		displayName: 'Items Total Check',
		name: 'itemsTotalCheck',
		type: 'options',
		options: [
			{
				name: 'Error',
				value: 'error',
				description:
					'Refuse the item before sending when the items’ total differs from the requested amount',
			},
			{
				name: 'Warn',
				value: 'warn',
				description: 'Send the order and add a "warnings" field to the output',
			},
			{ name: 'Off', value: 'off', description: 'Do not compare' },
		],
		default: 'error',
		description:
			'What to do when the sum of value × quantity of the purchase items differs from the requested amount by more than R$ 0,01',
		displayOptions: { show: { '/operation': ['create'] } },
	},
];

function readManualValues(context: IExecuteFunctions, itemIndex: number): OrderValues {
	const additional = readNodeParameter(context, 'additionalFields', itemIndex, {}) as IDataObject;
	const json = readNodeParameter(context, 'itemsInput', itemIndex, 'fields') === 'json';
	return {
		orderNumber: readNodeParameter(context, 'orderNumber', itemIndex, ''),
		expiryDate: readNodeParameter(context, 'expiryDate', itemIndex, ''),
		requestedAmount: readNodeParameter(context, 'requestedAmount', itemIndex, ''),
		retailCnpj: readNodeParameter(context, 'retailCnpj', itemIndex, ''),
		purchaseDate: readNodeParameter(context, 'purchaseDate', itemIndex, ''),
		retailRepresentative: additional.retailRepresentative,
		retailEmail: additional.retailEmail,
		retailPhone: additional.retailPhone,
		purchaseItems: json
			? {
					label: 'Purchase Items (JSON)',
					rows: readNodeParameter(context, 'purchaseItemsJson', itemIndex, '[]'),
				}
			: {
					label: 'Purchase Items',
					rows: readNodeParameter(context, 'purchaseItems.item', itemIndex, []) ?? [],
				},
	};
}

export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<CreatePayload> {
	const values =
		readInputMode(this, itemIndex) === 'auto'
			? orderValuesFromInput(inputJson(this, itemIndex))
			: readManualValues(this, itemIndex);
	return buildOrderPayload(
		this,
		itemIndex,
		values,
		readNodeParameter(this, 'options', itemIndex, {}) as IDataObject,
	);
}

// One look-up per distinct CNPJ and execution, shared by all items of the run.
const lookups = new WeakMap<object, Map<string, Promise<IDataObject | undefined>>>();

async function lookUpRetail(
	context: IExecuteFunctions,
	cnpj: string,
	itemIndex: number,
): Promise<IDataObject | undefined> {
	let cache = lookups.get(context);
	if (!cache) lookups.set(context, (cache = new Map()));
	let pending = cache.get(cnpj);
	if (!pending) {
		pending = (async () => {
			try {
				return (await apiRequest.call(context, {
					service: 'kapitale',
					method: 'GET',
					path: `/company/cnpj/${encodeURIComponent(cnpj)}`,
					itemIndex,
				})) as IDataObject;
			} catch (error) {
				// An unknown retail simply has nothing to fill in; Kapitale still accepts the order.
				if (error instanceof NodeApiError && error.httpCode === '404') return undefined;
				throw ensureNodeError(context.getNode(), error, itemIndex);
			}
		})();
		cache.set(cnpj, pending);
		pending.catch(() => cache.delete(cnpj));
	}
	return await pending;
}

export async function execute(
	this: IExecuteFunctions,
	input: CreatePayload,
	itemIndex: number,
): Promise<INodeExecutionData> {
	const body: IDataObject = { ...input.body };
	const filled: string[] = [];
	if (
		input.fillContact &&
		(!body.retail_representative || !body.retail_email || !body.retail_phone)
	) {
		const retail = await lookUpRetail(this, input.body.retail_cnpj, itemIndex);
		if (retail) {
			// Bureau data may be incomplete or malformed: a value that does not pass our checks is left out.
			const fill = (target: string, source: string, normalize: (value: unknown) => unknown) => {
				if (body[target] || !retail[source]) return;
				const parsed = normalize(retail[source]);
				if (parsed === undefined) return;
				body[target] = parsed as string;
				filled.push(target);
			};
			const safely =
				(schema: { safeParse: (value: unknown) => { success: boolean; data?: unknown } }) =>
				(value: unknown) => {
					const result = schema.safeParse(value);
					return result.success ? result.data : undefined;
				};
			fill(
				'retail_representative',
				'retail_representative',
				(value) => String(value).trim() || undefined,
			);
			fill('retail_email', 'email', safely(schemas.email));
			fill('retail_phone', 'phone', safely(schemas.phone('any')));
		}
	}
	try {
		const order = (await apiRequest.call(this, {
			service: 'kapitale',
			method: 'POST',
			path: '/order',
			body,
			itemIndex,
		})) as IDataObject;
		const json: IDataObject = { ...order };
		if (filled.length) json.filledFromCnpjLookup = filled;
		if (input.warnings.length) {
			json.warnings = input.warnings;
			this.addExecutionHints({
				message: `Item ${itemIndex}: ${input.warnings.join('; ')}`,
				location: 'outputPane',
			});
		}
		return { json, pairedItem: { item: itemIndex } };
	} catch (error) {
		throw ensureNodeError(this.getNode(), error, itemIndex);
	}
}
