import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readLimit, returnAllOrLimit, simplifyField } from '../../../shared/fields';
import { fetchByOffset } from '../../../shared/pagination';
import { simplifyOperation } from '../../../shared/partner/simplify';
import { readConcurrency } from '../../../shared/router';
import { apiRequest } from '../../../shared/transport';

const show = { resource: ['operation'], operation: ['getMany'] };
const PAGE_SIZE = 100;

export const description: INodeProperties[] = [
	...returnAllOrLimit(show),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: { show },
		options: [
			{ displayName: 'Customer Name', name: 'customer', type: 'string', default: '', description: 'Part of the customer’s name. Sent as filter.customer.' },
			{ displayName: 'Offset', name: 'offset', type: 'number', typeOptions: { minValue: 0 }, default: 0, description: 'How many operations to skip first. Sent as offset.' },
		],
	},
	simplifyField(show, 'each operation (amounts and rates as numbers, dates as ISO)'),
];

export async function prepare(this: IExecuteFunctions, itemIndex: number) {
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	return {
		limit: readLimit(this, itemIndex),
		customer: String(filters.customer ?? '').trim(),
		offset: Math.max(0, Math.floor(Number(filters.offset ?? 0)) || 0),
		simplify: this.getNodeParameter('simplify', itemIndex, true) as boolean,
	};
}

export async function execute(this: IExecuteFunctions, input: Awaited<ReturnType<typeof prepare>>, itemIndex: number) {
	const concurrency = readConcurrency(this);
	const pageSize = input.limit === undefined ? PAGE_SIZE : Math.min(PAGE_SIZE, input.limit);
	const values = await fetchByOffset<IDataObject>(
		async (offset, size) => {
			const data = await apiRequest.call(this, {
				service: 'partner',
				method: 'POST',
				path: '/partner-operation/all',
				body: { limit: size, offset: input.offset + offset, filter: { customer: input.customer } },
				idempotent: true,
				itemIndex,
			});
			return { items: (Array.isArray(data) ? data : []) as IDataObject[] };
		},
		{ pageSize, limit: input.limit, concurrency, isCancelled: () => this.getExecutionCancelSignal()?.aborted === true },
	);
	return input.simplify ? values.map(simplifyOperation) : values;
}
