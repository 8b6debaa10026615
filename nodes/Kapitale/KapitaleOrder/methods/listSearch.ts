import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { apiRequest } from '../../../shared/transport';

const PAGE_SIZE = 100;

function label(order: IDataObject): string {
	const retail = (order.retail ?? {}) as IDataObject;
	return [
		order.order_no ?? order.id,
		retail.name ?? retail.cnpj ?? 'unknown retail',
		order.order_status ?? 'unknown status',
	].join(' – ');
}

function matches(order: IDataObject, filter: string): boolean {
	const retail = (order.retail ?? {}) as IDataObject;
	const bareFilter = filter.replace(/[.\-/\s]/g, '');
	const haystack = [order.order_no, order.id, retail.name, order.order_status].map((value) =>
		String(value ?? '').toLowerCase(),
	);
	return (
		haystack.some((value) => value.includes(filter)) ||
		(bareFilter.length > 0 &&
			String(retail.cnpj ?? '')
				.toLowerCase()
				.includes(bareFilter))
	);
}

/** Recent orders, newest first, as "order number – retail – status"; the typed text filters them. */
export async function searchOrders(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const page = Math.max(1, Number(paginationToken) || 1);
	const body = (await apiRequest.call(this, {
		service: 'kapitale',
		method: 'GET',
		path: '/order',
		qs: { page, limit: PAGE_SIZE },
	})) as { data?: IDataObject[]; totalPages?: number };
	const text = (filter ?? '').trim().toLowerCase();
	const orders = (body.data ?? []).filter((order) => !text || matches(order, text));
	return {
		results: orders.map((order) => ({ name: label(order), value: String(order.id) })),
		paginationToken: page < Number(body.totalPages ?? 0) ? String(page + 1) : undefined,
	};
}
