import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import {
	offsetListFields,
	readByOffset,
	readOffsetListInput,
	type OffsetListInput,
} from '../../../shared/offsetList';
import { simplifyOperation } from '../../../shared/simplify';
import { apiRequest } from '../../../../shared/transport';

const show = { resource: ['operation'], operation: ['getMany'] };

export const description: INodeProperties[] = offsetListFields(
	show,
	{
		name: 'customer',
		displayName: 'Customer Name',
		description: 'Part of the customer’s name. Sent as filter.customer.',
	},
	'operations',
	'each operation (amounts and rates as numbers, dates as ISO)',
);

export async function prepare(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OffsetListInput> {
	return readOffsetListInput(this, itemIndex, 'customer');
}

export async function execute(this: IExecuteFunctions, input: OffsetListInput, itemIndex: number) {
	const values = await readByOffset(this, input, itemIndex, async (offset, size) => {
		const data = await apiRequest.call(this, {
			service: 'partner',
			method: 'POST',
			path: '/partner-operation/all',
			body: { limit: size, offset, filter: { customer: input.filterText } },
			idempotent: true,
			itemIndex,
		});
		return { items: (Array.isArray(data) ? data : []) as IDataObject[] };
	});
	return input.simplify ? values.map(simplifyOperation) : values;
}
