import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import {
	LARGE_PAGE_SIZE,
	offsetListFields,
	readByOffset,
	readOffsetListInput,
	type OffsetListInput,
} from '../../../shared/offsetList';
import { simplifyOperation } from '../../../shared/simplify';
import { apiRequest } from '../../../../shared/transport';

export const description = updateDisplayOptions(
	{ show: { resource: ['operation'], operation: ['getMany'] } },
	offsetListFields(
		{
			name: 'customer',
			displayName: 'Customer Name',
			description: 'Part of the customer’s name',
		},
		'credit operations',
		'each credit operation (amounts and rates as numbers, dates as YYYY-MM-DD)',
	),
);

export async function prepare(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OffsetListInput> {
	return readOffsetListInput(this, itemIndex, 'customer');
}

export async function execute(this: IExecuteFunctions, input: OffsetListInput, itemIndex: number) {
	// The list has no total: a large page, the server's cap learned from the first short page
	// (pagination.ts › fetchByOffset), then up to Parallel Requests pages at once. Each page is
	// simplified as it arrives, while the other pages of its round are still on their way.
	return await readByOffset(
		this,
		input,
		itemIndex,
		async (offset, size) => {
			const data = await apiRequest.call(this, {
				service: 'partner',
				method: 'POST',
				path: '/partner-operation/all',
				body: { limit: size, offset, filter: { customer: input.filterText } },
				idempotent: true,
				itemIndex,
			});
			const records = (Array.isArray(data) ? data : []) as IDataObject[];
			return { items: input.simplify ? records.map(simplifyOperation) : records };
		},
		LARGE_PAGE_SIZE,
	);
}
