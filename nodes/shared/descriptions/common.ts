import type { IDisplayOptions, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { DEFAULT_CONCURRENCY, MAX_CONCURRENCY } from '../execution/concurrency';
import { readNodeParameter } from '../execution/parameters';

/** Return All + Limit, shown for the given resource/operation. */
export function returnAllOrLimit(show: IDisplayOptions['show'], maxLimit = 500): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
			displayOptions: { show },
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: maxLimit },
			default: 50,
			description: 'Max number of results to return',
			displayOptions: { show: { ...show, returnAll: [false] } },
		},
	];
}

export function simplifyField(show: IDisplayOptions['show'], what: string): INodeProperties {
	return {
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: true,
		description: `Whether to return a flat version of ${what} that fits a spreadsheet row instead of the raw API response`,
		displayOptions: { show },
	};
}

/** Reads Return All / Limit for one item; `undefined` means everything. */
export function readLimit(context: IExecuteFunctions, itemIndex: number): number | undefined {
	const returnAll = readNodeParameter(context, 'returnAll', itemIndex, false) as boolean;
	return returnAll ? undefined : (readNodeParameter(context, 'limit', itemIndex, 50) as number);
}

export const concurrencyOption: INodeProperties = {
	displayName: 'Parallel Requests',
	name: 'concurrency',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: MAX_CONCURRENCY },
	default: DEFAULT_CONCURRENCY,
	description:
		'How many requests this node sends at once, across items and pages. Lower it if the API answers with rate limiting (HTTP 429).',
};

/** The node-level Options collection: Parallel Requests plus any operation-specific options. */
export function nodeOptions(extra: INodeProperties[] = []): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [...extra, concurrencyOption],
	};
}
