import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readConcurrency } from '../../../shared/router';
import { readLimit, returnAllOrLimit, simplifyField } from '../../../shared/fields';
import { fetchByOffset } from '../../../shared/pagination';
import { customerListParams } from '../../../shared/partner/methods';
import { simplifyCustomerListItem } from '../../../shared/partner/simplify';
import { apiRequest } from '../../../shared/transport';

const show = { resource: ['customer'], operation: ['getMany'] };
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
			{ displayName: 'Name', name: 'name', type: 'string', default: '', description: 'Part of the customer’s name. Sent as filter.filter.' },
			{ displayName: 'Offset', name: 'offset', type: 'number', typeOptions: { minValue: 0 }, default: 0, description: 'How many customers to skip first. Sent as offset.' },
		],
	},
	simplifyField(show, 'each customer'),
];

export async function prepare(this: IExecuteFunctions, itemIndex: number) {
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	return {
		limit: readLimit(this, itemIndex),
		name: String(filters.name ?? '').trim(),
		offset: Math.max(0, Math.floor(Number(filters.offset ?? 0)) || 0),
		simplify: this.getNodeParameter('simplify', itemIndex, true) as boolean,
	};
}

export async function execute(this: IExecuteFunctions, input: Awaited<ReturnType<typeof prepare>>, itemIndex: number) {
	const concurrency = readConcurrency(this);
	const pageSize = input.limit === undefined ? PAGE_SIZE : Math.min(PAGE_SIZE, input.limit);
	const values = await fetchByOffset<IDataObject>(
		async (offset, size) => {
			const data = (await apiRequest.call(this, {
				service: 'partner',
				method: 'GET',
				path: '/partner-customer/all',
				...customerListParams(size, input.offset + offset, input.name),
				itemIndex,
			})) as IDataObject;
			const total = Number(data?.total);
			return {
				items: (Array.isArray(data?.values) ? data.values : []) as IDataObject[],
				total: Number.isFinite(total) ? Math.max(0, total - input.offset) : undefined,
			};
		},
		{ pageSize, limit: input.limit, concurrency, isCancelled: () => this.getExecutionCancelSignal()?.aborted === true },
	);
	return input.simplify ? values.map(simplifyCustomerListItem) : values;
}
