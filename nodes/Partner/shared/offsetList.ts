import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { readLimit, returnAllOrLimit, simplifyField } from '../../shared/descriptions/common';
import { ensureNodeError } from '../../shared/transport';
import { fetchByOffset, PagingMismatchError, type Slice } from '../../shared/transport/pagination';
import { readNodeParameter } from '../../shared/execution/parameters';
import { readConcurrency } from '../../shared/execution/runOperation';

/** The page Partner Customer › Get Many asks for (unchanged; its list gives a total). */
export const PARTNER_PAGE_SIZE = 100;

/**
 * The large page Partner Operation › Get Many and the polling triggers ask for. The API documents
 * no maximum (its example asks for 50); the sandbox honours up to 500. A server that caps the page
 * lower is still read completely: fetchByOffset learns the cap from the first short page before it
 * trusts any later offset.
 */
export const LARGE_PAGE_SIZE = 500;

/**
 * What a read falls back to when a server refuses the large page outright (a 400, 413 or 422 on
 * `limit` instead of a shorter page): the size these nodes used before, then the spec's example.
 */
export const LARGE_PAGE_FALLBACK = {
	sizes: [PARTNER_PAGE_SIZE, 50],
	refuses: (error: unknown): boolean => {
		const status = Number((error as { httpCode?: unknown } | undefined)?.httpCode);
		return status === 400 || status === 413 || status === 422;
	},
};

export interface NameFilter {
	/** Parameter name inside the Filters collection. */
	name: string;
	displayName: string;
	description: string;
}

/** Return All / Limit, a name filter, an offset and Simplify: the partner API's list endpoints. */
export function offsetListFields(
	filter: NameFilter,
	records: string,
	simplifyWhat: string,
): INodeProperties[] {
	return [
		...returnAllOrLimit(),
		{
			displayName: 'Filters',
			name: 'filters',
			type: 'collection',
			placeholder: 'Add Filter',
			default: {},
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
					description: `How many ${records} to skip first`,
				},
			],
		},
		simplifyField(simplifyWhat),
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
	largestPage = PARTNER_PAGE_SIZE,
): Promise<IDataObject[]> {
	const pageSize = input.limit === undefined ? largestPage : Math.min(largestPage, input.limit);
	try {
		return await fetchByOffset<IDataObject>(fetchSlice, {
			startOffset: input.offset,
			pageSize,
			limit: input.limit,
			concurrency: readConcurrency(context),
			key: (record) => String(record.id),
			isCancelled: () => context.getExecutionCancelSignal()?.aborted === true,
			pageSizeFallback: pageSize > PARTNER_PAGE_SIZE ? LARGE_PAGE_FALLBACK : undefined,
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
