/**
 * What City Search and Bank Search share: the Exact Match First / Exact Match Only / Limit options,
 * how they are read and checked, and how the ranked matches are cut down to them.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { resourceField } from '../../shared/descriptions/node';
import { fieldError } from '../../shared/validation/validate';

/** Resource and Operation of a search node: one resource, one Search operation. */
export function searchNodeFields(
	resource: { name: string; value: string },
	search: { action: string; description: string },
): INodeProperties[] {
	return [
		resourceField(resource.name, resource.value),
		{
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { resource: [resource.value] } },
			options: [{ name: 'Search', value: 'search', ...search }],
			default: 'search',
		},
	];
}

/** The options every search has; each node says in its own words what counts as exact. */
export function searchOptionFields(exactMatch: { first: string; only: string }): INodeProperties[] {
	return [
		{
			displayName: 'Exact Match First',
			name: 'exactFirst',
			type: 'boolean',
			default: true,
			description: exactMatch.first,
		},
		{
			displayName: 'Exact Match Only',
			name: 'exactOnly',
			type: 'boolean',
			default: false,
			description: exactMatch.only,
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
		},
	];
}

export interface SearchChoices {
	limit: number;
	exactFirst: boolean;
	exactOnly: boolean;
}

/** Limit and the exact-match choices from the item's Options; a Limit below 1 is refused. */
export function readSearchChoices(
	context: IExecuteFunctions,
	itemIndex: number,
	options: IDataObject,
): SearchChoices {
	const limit = Number(options.limit ?? 50);
	if (!Number.isInteger(limit) || limit < 1)
		throw fieldError(
			context.getNode(),
			itemIndex,
			{ label: 'Limit' },
			'must be a whole number greater than 0',
		);
	return { limit, exactFirst: options.exactFirst !== false, exactOnly: options.exactOnly === true };
}

/** The ranked matches to output: only the exact ones when asked, then at most Limit. */
export function keepMatches<Match>(
	ranked: Match[],
	choices: SearchChoices,
	isExact: (match: Match) => boolean,
): Match[] {
	return (choices.exactOnly ? ranked.filter(isExact) : ranked).slice(0, choices.limit);
}
