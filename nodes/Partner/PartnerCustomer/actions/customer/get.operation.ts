import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { simplifyField } from '../../../../shared/descriptions/common';
import { readRequiredId } from '../../../shared/descriptions';
import { customerRLC } from '../../../shared/rlc.description';
import { simplifyCustomer } from '../../../shared/simplify';
import { readNodeParameter } from '../../../../shared/execution/parameters';
import { readCustomer } from '../../../shared/readCustomer';

const properties: INodeProperties[] = [customerRLC, simplifyField('the customer')];

export const description = updateDisplayOptions(
	{ show: { resource: ['customer'], operation: ['get'] } },
	properties,
);

export async function prepare(this: IExecuteFunctions, itemIndex: number) {
	return {
		customerId: readRequiredId(this, itemIndex, 'customerId', {
			label: 'Customer',
			apiField: 'customerHashId',
		}),
		simplify: readNodeParameter(this, 'simplify', itemIndex, true) as boolean,
	};
}

export async function execute(
	this: IExecuteFunctions,
	input: Awaited<ReturnType<typeof prepare>>,
	itemIndex: number,
) {
	const data = await readCustomer(this, input.customerId, itemIndex);
	return input.simplify ? simplifyCustomer(data) : data;
}
