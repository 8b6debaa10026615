import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { apiRequest } from '../../../../shared/transport';
import { readParameter, schemas } from '../../../../shared/validation/validate';
import { orderLocator, readOrderId } from './common';

export const description: INodeProperties[] = [
	orderLocator(['cancel'], 'The order to cancel'),
	{
		displayName: 'Reason',
		name: 'reason',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. Order canceled at customer request',
		description:
			'Why the order is cancelled (at most 500 characters); Kapitale keeps it with the order',
		hint: 'Kapitale refuses to cancel an order that already has its invoice, is paid, rejected or cancelled',
		displayOptions: { show: { resource: ['order'], operation: ['cancel'] } },
	},
];

export async function prepare(this: IExecuteFunctions, itemIndex: number) {
	return {
		orderId: readOrderId(this, itemIndex),
		reason: readParameter(
			this,
			itemIndex,
			'reason',
			{ label: 'Reason', apiField: 'reason' },
			schemas.requiredText(500),
		),
	};
}

export async function execute(
	this: IExecuteFunctions,
	input: Awaited<ReturnType<typeof prepare>>,
	itemIndex: number,
) {
	return (await apiRequest.call(this, {
		service: 'kapitale',
		method: 'PATCH',
		path: `/order/cancel/${encodeURIComponent(input.orderId)}`,
		body: { reason: input.reason },
		itemIndex,
	})) as IDataObject;
}
