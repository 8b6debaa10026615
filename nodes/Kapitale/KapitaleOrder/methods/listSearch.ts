import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { apiRequest } from '../../../shared/transport';

const PAGE_SIZE = 100;
/** Pages the list offers while scrolling (10,000 orders); typing a filter narrows it instead. */
const MAX_SEARCH_PAGES = 100;

/**
 * The statuses an operation's picker lists, sent as the API's status filter. The orders API takes
 * an invoice only in pending_invoice; the sandbox (the spec is silent) cancels pending, approved
 * and pending_invoice orders, matching the node's hint. Get lists every order.
 */
export const LISTED_STATUSES: Record<string, string[] | undefined> = {
	setInvoice: ['pending_invoice'],
	cancel: ['pending', 'approved', 'pending_invoice'],
};

/** Status labels as the panels say them (the API's values stay in the output). */
const STATUS_LABELS: Record<string, string> = {
	pending: 'awaiting approval',
	approved: 'approved',
	rejected: 'rejected',
	pending_invoice: 'awaiting invoice',
	invoice_sent: 'invoice sent',
	paid: 'paid',
	cancelled: 'cancelled',
};

function label(order: IDataObject): string {
	const retail = (order.retail ?? {}) as IDataObject;
	return [
		order.order_no ?? order.id,
		STATUS_LABELS[String(order.order_status)] ?? order.order_status ?? 'unknown status',
		retail.name ?? retail.cnpj ?? 'unknown retail',
	].join(' – ');
}

function matches(order: IDataObject, filter: string): boolean {
	const retail = (order.retail ?? {}) as IDataObject;
	const bareFilter = filter.replace(/[.\-/\s]/g, '');
	const status = String(order.order_status ?? '');
	const haystack = [order.order_no, order.id, retail.name, status, STATUS_LABELS[status]].map(
		(value) => String(value ?? '').toLowerCase(),
	);
	return (
		haystack.some((value) => value.includes(filter)) ||
		(bareFilter.length > 0 &&
			String(retail.cnpj ?? '')
				.toLowerCase()
				.includes(bareFilter))
	);
}

/**
 * Recent orders, newest first, as "order number – status – retail" (a long retail name is cut
 * off at the end, the status stays readable); the typed text filters them.
 * Set Invoice and Cancel list only the orders they can act on (LISTED_STATUSES).
 */
export async function searchOrders(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const page = Math.max(1, Number(paginationToken) || 1);
	const statuses = LISTED_STATUSES[String(this.getCurrentNodeParameter('operation') ?? '')];
	const body = (await apiRequest.call(this, {
		service: 'kapitale',
		method: 'GET',
		path: '/order',
		qs: { page, limit: PAGE_SIZE, ...(statuses ? { status: statuses.join(',') } : {}) },
	})) as { data?: IDataObject[]; totalPages?: number };
	const text = (filter ?? '').trim().toLowerCase();
	const received = Array.isArray(body.data) ? body.data : [];
	const orders = received.filter((order) => !text || matches(order, text));
	return {
		results: orders.map((order) => ({ name: label(order), value: String(order.id) })),
		// The API's page count is only a claim: an empty page ends the list, and so does the cap.
		paginationToken:
			received.length > 0 && page < Number(body.totalPages ?? 0) && page < MAX_SEARCH_PAGES
				? String(page + 1)
				: undefined,
	};
}
