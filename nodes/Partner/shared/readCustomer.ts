import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { apiRequest } from '../../shared/transport';

/** One customer as the API holds it. The API documents this read as a PUT: safe to retry. */
export async function readCustomer(
	context: IExecuteFunctions,
	customerId: string,
	itemIndex: number,
): Promise<IDataObject> {
	return (await apiRequest.call(context, {
		service: 'partner',
		method: 'PUT',
		path: `/partner-customer/get/${encodeURIComponent(customerId)}`,
		idempotent: true,
		itemIndex,
	})) as IDataObject;
}
