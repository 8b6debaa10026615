import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { formatCnpj } from '../../../../shared/validation/brazil';
import { readLocator } from '../../../../shared/execution/parameters';
import { fieldError } from '../../../../shared/validation/validate';

export const ORDER_STATUSES = [
	{ name: 'Pending', value: 'pending', description: 'Created, waiting for Kapitale’s approval' },
	{ name: 'Approved', value: 'approved', description: 'Approved by Kapitale' },
	{ name: 'Rejected', value: 'rejected', description: 'Refused by Kapitale' },
	{
		name: 'Pending Invoice',
		value: 'pending_invoice',
		description: 'Waiting for the invoice (Set Invoice)',
	},
	{
		name: 'Invoice Sent',
		value: 'invoice_sent',
		description: 'Invoice attached, waiting for payment',
	},
	{ name: 'Paid', value: 'paid', description: 'Paid to the industry' },
	{ name: 'Cancelled', value: 'cancelled', description: 'Cancelled by the industry' },
] as const;

/** Kapitale order ids are UUIDs; hyphens are optional when typed by hand. */
export const ORDER_ID_REGEX =
	'^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$';
const ORDER_ID_PATTERN = new RegExp(ORDER_ID_REGEX);

/**
 * The order picker shared by Get, Set Invoice and Cancel. The API has no web page per order, so
 * there is no "By URL" mode: pick from the list of recent orders or give the ID.
 */
export function orderLocator(operations: string[], description: string): INodeProperties {
	return {
		displayName: 'Order',
		name: 'orderId',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description,
		displayOptions: { show: { resource: ['order'], operation: operations } },
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select an order…',
				typeOptions: { searchListMethod: 'searchOrders', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 550e8400-e29b-41d4-a716-446655440000',
				validation: [
					{
						type: 'regex',
						properties: {
							regex: ORDER_ID_REGEX,
							errorMessage: 'Not a valid Kapitale order ID (a UUID)',
						},
					},
				],
			},
		],
	};
}

/** Reads and checks the order ID of one item (from the list, by ID, or from an expression). */
export function readOrderId(context: IExecuteFunctions, itemIndex: number): string {
	const { value } = readLocator(context, itemIndex, 'orderId');
	const field = { label: 'Order', apiField: 'id' };
	if (!value)
		throw fieldError(context.getNode(), itemIndex, field, 'is empty: pick an order or give its ID');
	if (!ORDER_ID_PATTERN.test(value)) {
		throw fieldError(
			context.getNode(),
			itemIndex,
			field,
			`"${value}" is not a Kapitale order ID (expected a UUID such as 550e8400-e29b-41d4-a716-446655440000)`,
		);
	}
	// The API matches the canonical form only: a UUID typed without hyphens gets them back.
	const hex = value.replace(/-/g, '').toLowerCase();
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * A flat order of the list that fits a spreadsheet row: only what `GET /order` carries (the spec's
 * list has no amounts or dates, and empty columns would look like data).
 */
export function simplifyOrder(order: IDataObject): IDataObject {
	const retail = (order.retail ?? {}) as IDataObject;
	const cnpj = typeof retail.cnpj === 'string' ? retail.cnpj : '';
	return {
		id: order.id,
		orderNumber: order.order_no ?? order.order_number ?? null,
		orderStatus: order.order_status ?? null,
		paymentStatus: order.payment_status ?? null,
		retailName: retail.name ?? null,
		retailCnpj: cnpj || null,
		retailCnpjFormatted: cnpj.length === 14 ? formatCnpj(cnpj) : cnpj || null,
	};
}
