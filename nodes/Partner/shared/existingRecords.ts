/**
 * Finding what an earlier, unanswered call already created, so that a model retrying a partner
 * create (it did not see the first answer) creates nothing twice. Used only for tool calls.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { apiRequest } from '../../shared/transport';
import { customerListParams } from './listSearch';
import { readCustomer } from './readCustomer';

/** Records read per search: a retried create looks among the latest few hundred. */
const PAGE = 100;
const MAX_PAGES = 5;

/** How long an open operation of the same applicant, amount and installments counts as a retry. */
export const RETRY_WINDOW_SECONDS = 24 * 3600;

const bare = (value: unknown) =>
	String(value ?? '')
		.replace(/[^0-9A-Za-z]/g, '')
		.toUpperCase();

/** The partner API refused an insert because the tax ID is already a customer of this partner. */
export function isDuplicateTaxId(error: unknown): boolean {
	return error instanceof NodeApiError && /\(tax_id\):[^;]*já está cadastrad/i.test(error.message);
}

/** The customer of this partner with this tax ID, searched by name (the API filters by name only). */
export async function findCustomerByTaxId(
	context: IExecuteFunctions,
	name: string,
	taxId: string,
	itemIndex: number,
): Promise<IDataObject | undefined> {
	const wanted = bare(taxId);
	for (let page = 0; page < MAX_PAGES; page++) {
		const data = (await apiRequest.call(context, {
			service: 'partner',
			method: 'GET',
			path: '/partner-customer/all',
			...customerListParams(PAGE, page * PAGE, name),
			itemIndex,
		})) as IDataObject;
		const values = (Array.isArray(data?.values) ? data.values : []) as IDataObject[];
		const match = values.find((customer) => bare(customer.tax_id) === wanted);
		if (match) return match;
		if (values.length < PAGE) return undefined;
	}
	return undefined;
}

/**
 * An open operation (not cancelled, refused or paid) of this customer with the same amount and
 * installments, created within RETRY_WINDOW_SECONDS: what a retried create already made.
 */
export async function findRetriedOperation(
	context: IExecuteFunctions,
	customer: { id: string; name: string },
	body: IDataObject,
	itemIndex: number,
	nowSeconds: number,
): Promise<IDataObject | undefined> {
	for (let page = 0; page < MAX_PAGES; page++) {
		const data = await apiRequest.call(context, {
			service: 'partner',
			method: 'POST',
			path: '/partner-operation/all',
			body: { limit: PAGE, offset: page * PAGE, filter: { customer: customer.name } },
			idempotent: true,
			itemIndex,
		});
		const values = (Array.isArray(data) ? data : []) as IDataObject[];
		const match = values.find(
			(operation) =>
				String(operation.customer_id) === customer.id &&
				Math.abs(Number(operation.amount) - Number(body.amount)) < 0.005 &&
				Number(operation.installment) === Number(body.installment) &&
				!['cancelado', 'reprovado', 'pago'].includes(String(operation.status_slug)) &&
				nowSeconds - Number(operation.created_at) < RETRY_WINDOW_SECONDS,
		);
		if (match) return match;
		if (values.length < PAGE) return undefined;
	}
	return undefined;
}

/** The name of a customer given by ID (the operation list filters by customer name). */
export async function customerName(
	context: IExecuteFunctions,
	customerId: string,
	itemIndex: number,
): Promise<string> {
	const data = await readCustomer(context, customerId, itemIndex);
	return String(data?.name ?? '');
}
