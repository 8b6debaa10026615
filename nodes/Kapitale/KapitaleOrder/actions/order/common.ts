import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { formatCnpj } from '../../../../shared/validation/brazil';
import { readLocator } from '../../../../shared/execution/parameters';
import { fieldError } from '../../../../shared/validation/validate';

export const ORDER_STATUSES = [
	{
		name: 'Awaiting Approval',
		value: 'pending',
		description: 'Created, waiting for Kapitale’s approval',
	},
	{ name: 'Approved', value: 'approved', description: 'Approved by Kapitale' },
	{ name: 'Rejected', value: 'rejected', description: 'Refused by Kapitale' },
	{
		name: 'Awaiting Invoice',
		value: 'pending_invoice',
		description: 'Approved; waiting for you to attach the invoice (Set Invoice)',
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
