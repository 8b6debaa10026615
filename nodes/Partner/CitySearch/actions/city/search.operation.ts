import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { parseCityLabel, rankCities, searchCities } from '../../../shared/cities';
import { foldText, isUf, STATE_OPTIONS } from '../../../shared/text';
import { legacySearchOptions, readSearchOptions } from '../../../shared/searchOptions';
import { fieldError, readParameter, schemas } from '../../../../shared/validation/validate';

const show = { resource: ['city'], operation: ['search'] };

export const description: INodeProperties[] = [
	legacySearchOptions,
	{
		displayName: 'City Name',
		name: 'query',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. Araranguá, salvad or São Paulo - SP',
		description:
			'The name or part of it, accents optional. A trailing " - UF" filters by state. Sent as name.',
		displayOptions: { show },
	},
];

/** The search's own options, shown in the node's one Options collection with Parallel Requests. */
export const searchOptionFields: INodeProperties[] = [
	{
		displayName: 'Exact Match First',
		name: 'exactFirst',
		type: 'boolean',
		default: true,
		description:
			'Whether to list the city whose name is exactly the one searched first, then names that start with it',
	},
	{
		displayName: 'Exact Match Only',
		name: 'exactOnly',
		type: 'boolean',
		default: false,
		description:
			'Whether to return only cities whose name is exactly the one searched (accents and case ignored)',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
	},
	{
		displayName: 'State (UF)',
		name: 'state',
		type: 'options',
		options: STATE_OPTIONS,
		default: '',
		description: 'Only cities of this state',
	},
];

export async function prepare(this: IExecuteFunctions, itemIndex: number) {
	const query = readParameter(
		this,
		itemIndex,
		'query',
		{ label: 'City Name', apiField: 'name' },
		schemas.requiredText(120),
	);
	const options = readSearchOptions(this, itemIndex);
	const state = String(options.state ?? '')
		.trim()
		.toUpperCase();
	if (state && !isUf(state))
		throw fieldError(
			this.getNode(),
			itemIndex,
			{ label: 'State (UF)' },
			`"${state}" is not a Brazilian state (UF)`,
		);
	const limit = Number(options.limit ?? 50);
	if (!Number.isInteger(limit) || limit < 1)
		throw fieldError(
			this.getNode(),
			itemIndex,
			{ label: 'Limit' },
			'must be a whole number greater than 0',
		);
	return {
		query,
		state,
		limit,
		exactFirst: options.exactFirst !== false,
		exactOnly: options.exactOnly === true,
	};
}

export async function execute(
	this: IExecuteFunctions,
	input: Awaited<ReturnType<typeof prepare>>,
	itemIndex: number,
) {
	const matches = await searchCities.call(this, input.query, itemIndex);
	const wanted = foldText(parseCityLabel(input.query).city);
	let ranked = rankCities(matches, input.query, {
		uf: input.state || undefined,
		exactFirst: input.exactFirst,
	});
	if (input.exactOnly) ranked = ranked.filter((city) => foldText(city.city) === wanted);
	return ranked.slice(0, input.limit).map((city) => ({
		id: city.id,
		name: city.label,
		city: city.city,
		state: city.uf,
		ibgeCode: city.ibgeCode,
		exactMatch: foldText(city.city) === wanted,
	}));
}
