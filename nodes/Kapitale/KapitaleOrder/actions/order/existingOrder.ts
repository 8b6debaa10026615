import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { apiRequest } from '../../../../shared/transport';

/** Pages of 100 (the API's largest) read to find a retried order: the newest come first. */
const MAX_PAGES = 10;

/** Whether the API refused a create because the order number is taken (409 on order_number). */
export function isDuplicateOrderNumber(error: unknown): error is NodeApiError {
	return (
		error instanceof NodeApiError &&
		String(error.httpCode) === '409' &&
		/order_number|order number/i.test(error.message)
	);
}

/**
 * A tool call that is retried (the model did not see the first answer) sends the same order
 * again. Kapitale keeps order numbers unique per industry and answers 409; the order created by
 * the first call is found by number among the retail's orders and returned, marked
 * `alreadyExisted`. An order number used for another retail or amount stays an error: that is a
 * different order, and the model must choose another number.
 */
export async function findRetriedOrder(
	context: IExecuteFunctions,
	body: IDataObject,
	itemIndex: number,
): Promise<IDataObject> {
	const orderNumber = String(body.order_number);
	const retailCnpj = String(body.retail_cnpj);
	for (let page = 1; page <= MAX_PAGES; page++) {
		const list = (await apiRequest.call(context, {
			service: 'kapitale',
			method: 'GET',
			path: '/order',
			qs: { retail_cnpj: retailCnpj, page, limit: 100 },
			itemIndex,
		})) as { data?: IDataObject[]; totalPages?: number };
		const match = (list.data ?? []).find((order) => order.order_no === orderNumber);
		if (match) {
			const order = (await apiRequest.call(context, {
				service: 'kapitale',
				method: 'GET',
				path: `/order/${encodeURIComponent(String(match.id))}`,
				itemIndex,
			})) as IDataObject;
			const sameAmount =
				Math.abs(Number(order.requested_amount) - Number(body.requested_amount)) < 0.005;
			if (sameAmount) return { ...order, alreadyExisted: true };
			break;
		}
		if (!list.data?.length || page >= Number(list.totalPages ?? 1)) break;
	}
	throw new NodeOperationError(
		context.getNode(),
		`Order number ${orderNumber} is already used by another order (another retail or amount): nothing was created. Use a new order number.`,
		{ itemIndex },
	);
}
