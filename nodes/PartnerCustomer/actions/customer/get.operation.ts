import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { simplifyField } from '../../../shared/fields';
import { readRequiredId } from '../../../shared/partner/fields';
import { simplifyCustomer } from '../../../shared/partner/simplify';
import { readNodeParameter } from '../../../shared/parameters';
import { apiRequest } from '../../../shared/transport';
import { customerIdLocator } from './update.operation';

const show = { resource: ['customer'], operation: ['get'] };

export const description: INodeProperties[] = [
	customerIdLocator(show),
	simplifyField(show, 'the customer'),
];

export async function prepare(this: IExecuteFunctions, itemIndex: number) {
	return {
		customerId: readRequiredId(this, itemIndex, 'customerId', {
			label: 'Customer',
			apiField: 'customerHashId',
		}),
		simplify: readNodeParameter(this, 'simplify', itemIndex, true) as boolean,
	};
}

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

export async function execute(
	this: IExecuteFunctions,
	input: Awaited<ReturnType<typeof prepare>>,
	itemIndex: number,
) {
	const data = await readCustomer(this, input.customerId, itemIndex);
	return input.simplify ? simplifyCustomer(data) : data;
}
