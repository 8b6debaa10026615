import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { parsePositiveQuantity, toText } from '../../../shared/brazil';
import { ensureNodeError } from '../../../shared/errors';
import { apiRequest } from '../../../shared/transport';
import { fieldError, parseJsonField, readParameter, schemas, validateField, type FieldRef } from '../../../shared/validation';

const show = { resource: ['order'], operation: ['create'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Order Number',
		name: 'orderNumber',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. ORD-2025-001',
		description: 'Your own unique number for this order. Kapitale refuses a number already used, and enforces its own maximum length.',
		displayOptions: { show },
	},
	{
		displayName: 'Retail CNPJ',
		name: 'retailCnpj',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 11.222.333/0001-81',
		description: 'CNPJ of the buying retail, masked or plain, numeric or alphanumeric. It is checked before sending and sent without mask.',
		displayOptions: { show },
	},
	{
		displayName: 'Requested Amount',
		name: 'requestedAmount',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 10000.50 or R$ 10.000,50',
		description: 'Total amount of the order in BRL, greater than 1. Accepts numbers and Brazilian money text such as "R$ 1.234,56".',
		displayOptions: { show },
	},
	{
		displayName: 'Purchase Date',
		name: 'purchaseDate',
		type: 'dateTime',
		required: true,
		default: '',
		description: 'Date of the purchase. Accepts a date value, YYYY-MM-DD or DD/MM/YYYY; sent as YYYY-MM-DD.',
		displayOptions: { show },
	},
	{
		displayName: 'Expiry Date',
		name: 'expiryDate',
		type: 'dateTime',
		required: true,
		default: '',
		description: 'Due date of the payment. Accepts a date value, YYYY-MM-DD or DD/MM/YYYY; sent as YYYY-MM-DD.',
		displayOptions: { show },
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
		displayOptions: { show },
	},
	{
		displayName: 'Purchase Items',
		name: 'purchaseItems',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add purchase item',
		default: {},
		description: 'What was bought: at least one item, each with a unit value and a quantity greater than 0',
		displayOptions: { show: { ...show, itemsInput: ['fields'] } },
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
		displayOptions: { show: { ...show, itemsInput: ['json'] } },
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add field',
		default: {},
		displayOptions: { show },
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
				description: 'Phone with area code (10 or 11 digits, +55 optional). Checked when given and sent as digits.',
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
				description: 'Refuse the item before sending when the items’ total differs from the requested amount',
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

interface PurchaseItem extends IDataObject {
	value: number;
	quantity: number;
	description?: string;
}

export interface CreatePayload {
	body: IDataObject & {
		retail_cnpj: string;
		requested_amount: number;
		purchase_items: PurchaseItem[];
	};
	fillContact: boolean;
	warnings: string[];
}

function pick(record: IDataObject, names: string[]): unknown {
	for (const name of names) if (record[name] !== undefined && record[name] !== null && record[name] !== '') return record[name];
	return undefined;
}

function readPurchaseItems(context: IExecuteFunctions, itemIndex: number): PurchaseItem[] {
	const node = context.getNode();
	const mode = context.getNodeParameter('itemsInput', itemIndex, 'fields') as string;
	let rows: unknown;
	let label: string;
	if (mode === 'json') {
		label = 'Purchase Items (JSON)';
		rows = parseJsonField(node, itemIndex, { label, apiField: 'purchase_items' }, context.getNodeParameter('purchaseItemsJson', itemIndex, '[]'));
		if (rows && typeof rows === 'object' && !Array.isArray(rows) && Array.isArray((rows as IDataObject).items)) {
			rows = (rows as IDataObject).items;
		}
		if (rows !== undefined && !Array.isArray(rows)) rows = [rows];
	} else {
		label = 'Purchase Items';
		rows = (context.getNodeParameter('purchaseItems.item', itemIndex, []) as IDataObject[]) ?? [];
	}
	const list = (rows ?? []) as unknown[];
	if (list.length === 0) {
		throw fieldError(node, itemIndex, { label, apiField: 'purchase_items' }, 'is empty: add at least one purchase item');
	}
	return list.map((row, position) => {
		const line = position + 1;
		const ref = (name: string, apiName: string): FieldRef => ({
			label: `${label} › line ${line} › ${name}`,
			apiField: `purchase_items[${position}].${apiName}`,
		});
		if (!row || typeof row !== 'object' || Array.isArray(row)) {
			throw fieldError(node, itemIndex, { label: `${label} › line ${line}`, apiField: `purchase_items[${position}]` }, 'must be an object with "value" and "quantity"');
		}
		const record = row as IDataObject;
		const value = validateField(node, itemIndex, ref('Unit Value', 'value'), schemas.positiveMoney(0), pick(record, ['value', 'unitValue', 'unit_value', 'price', 'valor']));
		let quantity: number;
		try {
			quantity = parsePositiveQuantity(pick(record, ['quantity', 'qty', 'quantidade']));
		} catch (error) {
			throw fieldError(node, itemIndex, ref('Quantity', 'quantity'), (error as Error).message);
		}
		const text = pick(record, ['description', 'name', 'descricao']);
		const item: PurchaseItem = { value, quantity };
		if (text !== undefined) {
			try {
				item.description = toText(text);
			} catch (error) {
				throw fieldError(node, itemIndex, ref('Description', 'description'), (error as Error).message);
			}
		}
		return item;
	});
}

function cents(amount: number): number {
	return Math.round(amount * 100);
}

function formatBrl(amount: number): string {
	return `R$ ${(cents(amount) / 100).toLocaleString('pt-BR', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<CreatePayload> {
	const node = this.getNode();
	const body: IDataObject = {
		order_number: readParameter(this, itemIndex, 'orderNumber', { label: 'Order Number', apiField: 'order_number' }, schemas.requiredText(255)),
		expiry_date: readParameter(this, itemIndex, 'expiryDate', { label: 'Expiry Date', apiField: 'expiry_date' }, schemas.isoDate(this.getTimezone())),
		requested_amount: readParameter(this, itemIndex, 'requestedAmount', { label: 'Requested Amount', apiField: 'requested_amount' }, schemas.positiveMoney(1)),
		retail_cnpj: readParameter(this, itemIndex, 'retailCnpj', { label: 'Retail CNPJ', apiField: 'retail_cnpj' }, schemas.cnpj),
		purchase_date: readParameter(this, itemIndex, 'purchaseDate', { label: 'Purchase Date', apiField: 'purchase_date' }, schemas.isoDate(this.getTimezone())),
	};
	const additional = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	if (additional.retailRepresentative !== undefined && String(additional.retailRepresentative).trim() !== '') {
		body.retail_representative = validateField(node, itemIndex, { label: 'Retail Representative', apiField: 'retail_representative' }, schemas.requiredText(255), additional.retailRepresentative);
	}
	if (String(additional.retailEmail ?? '').trim()) {
		body.retail_email = validateField(node, itemIndex, { label: 'Retail Email', apiField: 'retail_email' }, schemas.email, additional.retailEmail);
	}
	if (String(additional.retailPhone ?? '').trim()) {
		body.retail_phone = validateField(node, itemIndex, { label: 'Retail Phone', apiField: 'retail_phone' }, schemas.phone('any'), additional.retailPhone);
	}
	const purchaseItems = readPurchaseItems(this, itemIndex);
	body.purchase_items = purchaseItems;

	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const check = String(options.itemsTotalCheck ?? 'error');
	const warnings: string[] = [];
	if (check !== 'off') {
		const itemsTotal = purchaseItems.reduce((sum, item) => sum + cents(item.value * item.quantity), 0) / 100;
		const requested = body.requested_amount as number;
		if (Math.abs(cents(itemsTotal) - cents(requested)) > 1) {
			const detail = `the purchase items add up to ${formatBrl(itemsTotal)} but the requested amount is ${formatBrl(requested)}`;
			if (check === 'error') {
				throw fieldError(node, itemIndex, { label: 'Requested Amount', apiField: 'requested_amount' }, `${detail} (set "Items Total Check" to "Warn" or "Off" to send it anyway)`);
			}
			warnings.push(`Items total differs: ${detail}`);
		}
	}
	return {
		body: body as CreatePayload['body'],
		fillContact: options.fillContact === true,
		warnings,
	};
}

// One look-up per distinct CNPJ and execution, shared by all items of the run.
const lookups = new WeakMap<object, Map<string, Promise<IDataObject | undefined>>>();

async function lookUpRetail(context: IExecuteFunctions, cnpj: string, itemIndex: number): Promise<IDataObject | undefined> {
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

export async function execute(this: IExecuteFunctions, input: CreatePayload, itemIndex: number): Promise<INodeExecutionData> {
	const body: IDataObject = { ...input.body };
	const filled: string[] = [];
	if (input.fillContact && (!body.retail_representative || !body.retail_email || !body.retail_phone)) {
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
			const safely = (schema: { safeParse: (value: unknown) => { success: boolean; data?: unknown } }) => (value: unknown) => {
				const result = schema.safeParse(value);
				return result.success ? result.data : undefined;
			};
			fill('retail_representative', 'retail_representative', (value) => String(value).trim() || undefined);
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
			this.addExecutionHints({ message: `Item ${itemIndex}: ${input.warnings.join('; ')}`, location: 'outputPane' });
		}
		return { json, pairedItem: { item: itemIndex } };
	} catch (error) {
		throw ensureNodeError(this.getNode(), error, itemIndex);
	}
}
