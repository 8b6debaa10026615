import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { apiRequest } from '../../../../shared/transport';
import { orderLocator, readOrderId } from './common';

export const description: INodeProperties[] = [
	orderLocator(['get'], 'The order to read: pick one of the recent orders or give its ID'),
];

export async function prepare(this: IExecuteFunctions, itemIndex: number) {
	return { orderId: readOrderId(this, itemIndex) };
}

export async function execute(
	this: IExecuteFunctions,
	input: Awaited<ReturnType<typeof prepare>>,
	itemIndex: number,
) {
	return (await apiRequest.call(this, {
		service: 'kapitale',
		method: 'GET',
		path: `/order/${encodeURIComponent(input.orderId)}`,
		itemIndex,
	})) as IDataObject;
}
