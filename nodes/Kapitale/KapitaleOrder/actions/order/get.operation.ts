import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { apiRequest } from '../../../../shared/transport';
import { orderRLC } from '../../descriptions/rlc.description';
import { readOrderId } from './common';

const properties: INodeProperties[] = [
	{ ...orderRLC, description: 'The order to read: pick one of the recent orders, or give its ID' },
];

export const description = updateDisplayOptions(
	{ show: { resource: ['order'], operation: ['get'] } },
	properties,
);

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
