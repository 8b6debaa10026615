import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { customerListParams } from '../../../shared/listSearch';
import {
	offsetListFields,
	readByOffset,
	readOffsetListInput,
	type OffsetListInput,
} from '../../../shared/offsetList';
import { simplifyCustomerListItem } from '../../../shared/simplify';
import { apiRequest } from '../../../../shared/transport';

const show = { resource: ['customer'], operation: ['getMany'] };

export const description: INodeProperties[] = offsetListFields(
	show,
	{
		name: 'name',
		displayName: 'Name',
		description: 'Part of the customer’s name. Sent as filter.filter.',
	},
	'customers',
	'each customer',
);

export async function prepare(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OffsetListInput> {
	return readOffsetListInput(this, itemIndex, 'name');
}

export async function execute(this: IExecuteFunctions, input: OffsetListInput, itemIndex: number) {
	const values = await readByOffset(this, input, itemIndex, async (offset, size) => {
		const data = (await apiRequest.call(this, {
			service: 'partner',
			method: 'GET',
			path: '/partner-customer/all',
			...customerListParams(size, offset, input.filterText),
			itemIndex,
		})) as IDataObject;
		const total = Number(data?.total);
		return {
			items: (Array.isArray(data?.values) ? data.values : []) as IDataObject[],
			total: Number.isFinite(total) ? total : undefined,
		};
	});
	return input.simplify ? values.map(simplifyCustomerListItem) : values;
}
