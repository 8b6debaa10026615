import type { IDataObject, IDisplayOptions, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readLimit, returnAllOrLimit, simplifyField } from '../fields';
import { fetchByOffset } from '../pagination';
import { readConcurrency } from '../router';

/** 100 is the page size known to be safe: the API documents no maximum, and a short page ends Return All. */
export const PARTNER_PAGE_SIZE = 100;

export interface NameFilter {
	/** Parameter name inside the Filters collection. */
	name: string;
	displayName: string;
	description: string;
}

/** Return All / Limit, a name filter, an offset and Simplify: the partner API's list endpoints. */
export function offsetListFields(show: IDisplayOptions['show'], filter: NameFilter, records: string, simplifyWhat: string): INodeProperties[] {
	return [
		...returnAllOrLimit(show),
		{
			displayName: 'Filters',
			name: 'filters',
			type: 'collection',
			placeholder: 'Add Filter',
			default: {},
			displayOptions: { show },
			options: [
				{ displayName: filter.displayName, name: filter.name, type: 'string', default: '', description: filter.description },
				{
					displayName: 'Offset',
					name: 'offset',
					type: 'number',
					typeOptions: { minValue: 0 },
					default: 0,
					description: `How many ${records} to skip first. Sent as offset.`,
				},
			],
		},
		simplifyField(show, simplifyWhat),
	];
}

export interface OffsetListInput {
	limit: number | undefined;
	filterText: string;
	offset: number;
	simplify: boolean;
}

export function readOffsetListInput(context: IExecuteFunctions, itemIndex: number, filterName: string): OffsetListInput {
	const filters = context.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	return {
		limit: readLimit(context, itemIndex),
		filterText: String(filters[filterName] ?? '').trim(),
		offset: Math.max(0, Math.floor(Number(filters.offset ?? 0)) || 0),
		simplify: context.getNodeParameter('simplify', itemIndex, true) as boolean,
	};
}

/** Reads the list from the user's offset on, several pages at once, until Limit or a short page. */
export async function readByOffset(
	context: IExecuteFunctions,
	input: OffsetListInput,
	fetchSlice: (offset: number, size: number) => Promise<{ items: IDataObject[]; total?: number }>,
): Promise<IDataObject[]> {
	const pageSize = input.limit === undefined ? PARTNER_PAGE_SIZE : Math.min(PARTNER_PAGE_SIZE, input.limit);
	return await fetchByOffset<IDataObject>(async (offset, size) => await fetchSlice(input.offset + offset, size), {
		pageSize,
		limit: input.limit,
		concurrency: readConcurrency(context),
		isCancelled: () => context.getExecutionCancelSignal()?.aborted === true,
	});
}
