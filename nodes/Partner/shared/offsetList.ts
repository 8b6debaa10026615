import type {
	IDataObject,
	IDisplayOptions,
	IExecuteFunctions,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { readLimit, returnAllOrLimit, simplifyField } from '../../shared/descriptions/common';
import { ensureNodeError } from '../../shared/transport';
import { fetchByOffset, PagingMismatchError, type Slice } from '../../shared/transport/pagination';
import { readNodeParameter } from '../../shared/execution/parameters';
import { readConcurrency } from '../../shared/execution/runOperation';

/** The API documents no maximum page size; a server that caps it is still read completely (see fetchByOffset). */
export const PARTNER_PAGE_SIZE = 100;

export interface NameFilter {
	/** Parameter name inside the Filters collection. */
	name: string;
	displayName: string;
	description: string;
}

/** Return All / Limit, a name filter, an offset and Simplify: the partner API's list endpoints. */
export function offsetListFields(
	show: IDisplayOptions['show'],
	filter: NameFilter,
	records: string,
	simplifyWhat: string,
): INodeProperties[] {
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
				{
					displayName: filter.displayName,
					name: filter.name,
					type: 'string',
					default: '',
					description: filter.description,
				},
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

export function readOffsetListInput(
	context: IExecuteFunctions,
	itemIndex: number,
	filterName: string,
): OffsetListInput {
	const filters = readNodeParameter(context, 'filters', itemIndex, {}) as IDataObject;
	return {
		limit: readLimit(context, itemIndex),
		filterText: String(filters[filterName] ?? '').trim(),
		offset: Math.max(0, Math.floor(Number(filters.offset ?? 0)) || 0),
		simplify: readNodeParameter(context, 'simplify', itemIndex, true) as boolean,
	};
}

/**
 * Reads the list from the user's offset on, several pages at once, until Limit, the API's total
 * or an empty page. `fetchSlice` gets absolute offsets and returns the API's total from offset 0.
 */
export async function readByOffset(
	context: IExecuteFunctions,
	input: OffsetListInput,
	itemIndex: number,
	fetchSlice: (offset: number, size: number) => Promise<Slice<IDataObject>>,
): Promise<IDataObject[]> {
	const pageSize =
		input.limit === undefined ? PARTNER_PAGE_SIZE : Math.min(PARTNER_PAGE_SIZE, input.limit);
	try {
		return await fetchByOffset<IDataObject>(fetchSlice, {
			startOffset: input.offset,
			pageSize,
			limit: input.limit,
			concurrency: readConcurrency(context),
			key: (record) => String(record.id),
			isCancelled: () => context.getExecutionCancelSignal()?.aborted === true,
		});
	} catch (error) {
		if (error instanceof PagingMismatchError) {
			throw new NodeOperationError(context.getNode(), error.message, {
				itemIndex,
				description: error.description,
			});
		}
		throw ensureNodeError(context.getNode(), error, itemIndex);
	}
}
