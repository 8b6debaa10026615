/** One order's body from plain values, whether read from node parameters or from the input item's JSON (no HTTP). */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { parsePositiveQuantity, toText } from '../../../../shared/validation/brazil';
import { pickField } from '../../../../shared/descriptions/inputMode';
import {
	fieldError,
	parseJsonField,
	schemas,
	validateField,
	type FieldRef,
} from '../../../../shared/validation/validate';

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

/** The order's fields by node field name, not yet validated. */
export interface OrderValues {
	orderNumber: unknown;
	expiryDate: unknown;
	requestedAmount: unknown;
	retailCnpj: unknown;
	purchaseDate: unknown;
	retailRepresentative?: unknown;
	retailEmail?: unknown;
	retailPhone?: unknown;
	/** Rows as given (an array, or JSON text/an object with "items" as the JSON input allows); `label` names the field in errors. */
	purchaseItems: { label: string; rows: unknown };
}

/** Input names accepted in automatic mode: the API's name first, then the node's. */
const INPUT_NAMES: Record<Exclude<keyof OrderValues, 'purchaseItems'>, string[]> = {
	orderNumber: ['order_number', 'orderNumber'],
	retailCnpj: ['retail_cnpj', 'retailCnpj'],
	requestedAmount: ['requested_amount', 'requestedAmount'],
	purchaseDate: ['purchase_date', 'purchaseDate'],
	expiryDate: ['expiry_date', 'expiryDate'],
	retailRepresentative: ['retail_representative', 'retailRepresentative'],
	retailEmail: ['retail_email', 'retailEmail'],
	retailPhone: ['retail_phone', 'retailPhone'],
};
const ITEM_LIST_NAMES = ['purchase_items', 'purchaseItems', 'items'];

export const ORDER_INPUT_NAMES_HELP =
	'Each input item is one order, read by these names (API name or node name): order_number, retail_cnpj, requested_amount, purchase_date, expiry_date, purchase_items (or items: an array or JSON text of {value, quantity, description}), and optionally retail_representative, retail_email, retail_phone. Other fields are ignored.';

export function orderValuesFromInput(json: IDataObject): OrderValues {
	const values = {} as OrderValues;
	for (const [name, aliases] of Object.entries(INPUT_NAMES))
		values[name as keyof typeof INPUT_NAMES] = pickField(json, aliases);
	values.purchaseItems = { label: 'Purchase Items', rows: pickField(json, ITEM_LIST_NAMES) ?? [] };
	return values;
}

function readPurchaseItems(
	context: IExecuteFunctions,
	itemIndex: number,
	input: OrderValues['purchaseItems'],
): PurchaseItem[] {
	const node = context.getNode();
	const label = input.label;
	let rows = parseJsonField(node, itemIndex, { label, apiField: 'purchase_items' }, input.rows);
	if (
		rows &&
		typeof rows === 'object' &&
		!Array.isArray(rows) &&
		Array.isArray((rows as IDataObject).items)
	) {
		rows = (rows as IDataObject).items;
	}
	if (rows !== undefined && !Array.isArray(rows)) rows = [rows];
	const list = (rows ?? []) as unknown[];
	if (list.length === 0) {
		throw fieldError(
			node,
			itemIndex,
			{ label, apiField: 'purchase_items' },
			'is empty: add at least one purchase item',
		);
	}
	return list.map((row, position) => {
		const line = position + 1;
		const ref = (name: string, apiName: string): FieldRef => ({
			label: `${label} › line ${line} › ${name}`,
			apiField: `purchase_items[${position}].${apiName}`,
		});
		if (!row || typeof row !== 'object' || Array.isArray(row)) {
			throw fieldError(
				node,
				itemIndex,
				{ label: `${label} › line ${line}`, apiField: `purchase_items[${position}]` },
				'must be an object with "value" and "quantity"',
			);
		}
		const record = row as IDataObject;
		const value = validateField(
			node,
			itemIndex,
			ref('Unit Value', 'value'),
			schemas.positiveMoney(0),
			pickField(record, ['value', 'unitValue', 'unit_value', 'price', 'valor']),
		);
		let quantity: number;
		try {
			quantity = parsePositiveQuantity(pickField(record, ['quantity', 'qty', 'quantidade']));
		} catch (error) {
			throw fieldError(node, itemIndex, ref('Quantity', 'quantity'), (error as Error).message);
		}
		const text = pickField(record, ['description', 'name', 'descricao']);
		const item: PurchaseItem = { value, quantity };
		if (text !== undefined) {
			try {
				item.description = toText(text);
			} catch (error) {
				throw fieldError(
					node,
					itemIndex,
					ref('Description', 'description'),
					(error as Error).message,
				);
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

const isGiven = (value: unknown) =>
	value !== undefined && value !== null && String(value).trim() !== '';

/** Validates every field of one order (item-and-field errors) and returns the body to send. */
export function buildOrderPayload(
	context: IExecuteFunctions,
	itemIndex: number,
	values: OrderValues,
	options: IDataObject,
): CreatePayload {
	// getNode() copies the whole node: only an error needs it.
	const check = (ref: FieldRef, schema: Parameters<typeof validateField>[3], value: unknown) => {
		const result = schema.safeParse(value);
		return result.success
			? result.data
			: validateField(context.getNode(), itemIndex, ref, schema, value);
	};
	const zone = context.getTimezone();
	const body: IDataObject = {
		order_number: check(
			{ label: 'Order Number', apiField: 'order_number' },
			schemas.requiredText(255),
			values.orderNumber,
		),
		expiry_date: check(
			{ label: 'Expiry Date', apiField: 'expiry_date' },
			schemas.isoDate(zone),
			values.expiryDate,
		),
		requested_amount: check(
			{ label: 'Requested Amount', apiField: 'requested_amount' },
			schemas.positiveMoney(1),
			values.requestedAmount,
		),
		retail_cnpj: check(
			{ label: 'Retail CNPJ', apiField: 'retail_cnpj' },
			schemas.cnpj,
			values.retailCnpj,
		),
		purchase_date: check(
			{ label: 'Purchase Date', apiField: 'purchase_date' },
			schemas.isoDate(zone),
			values.purchaseDate,
		),
	};
	if (isGiven(values.retailRepresentative)) {
		body.retail_representative = check(
			{ label: 'Retail Representative', apiField: 'retail_representative' },
			schemas.requiredText(255),
			values.retailRepresentative,
		);
	}
	if (isGiven(values.retailEmail))
		body.retail_email = check(
			{ label: 'Retail Email', apiField: 'retail_email' },
			schemas.email,
			values.retailEmail,
		);
	if (isGiven(values.retailPhone))
		body.retail_phone = check(
			{ label: 'Retail Phone', apiField: 'retail_phone' },
			schemas.phone('any'),
			values.retailPhone,
		);
	const purchaseItems = readPurchaseItems(context, itemIndex, values.purchaseItems);
	body.purchase_items = purchaseItems;

	const totalCheck = String(options.itemsTotalCheck ?? 'error');
	const warnings: string[] = [];
	if (totalCheck !== 'off') {
		const itemsTotal =
			purchaseItems.reduce((sum, item) => sum + cents(item.value * item.quantity), 0) / 100;
		const requested = body.requested_amount as number;
		if (Math.abs(cents(itemsTotal) - cents(requested)) > 1) {
			const detail = `the purchase items add up to ${formatBrl(itemsTotal)} but the requested amount is ${formatBrl(requested)}`;
			if (totalCheck === 'error') {
				throw fieldError(
					context.getNode(),
					itemIndex,
					{ label: 'Requested Amount', apiField: 'requested_amount' },
					`${detail} (set "Items Total Check" to "Warn" or "Off" to send it anyway)`,
				);
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
