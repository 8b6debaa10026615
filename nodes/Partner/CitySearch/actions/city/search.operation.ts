import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { parseCityLabel, rankCities, searchCities, type CityMatch } from '../../../shared/cities';
import { foldText, isUf, STATE_OPTIONS } from '../../../shared/text';
import { keepMatches, readSearchChoices, searchOptionFields } from '../../../shared/search';
import { readNodeParameter } from '../../../../shared/execution/parameters';
import { fieldError, readParameter, schemas } from '../../../../shared/validation/validate';

const properties: INodeProperties[] = [
	{
		displayName: 'City Name',
		name: 'query',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. Araranguá, salvad or São Paulo - SP',
		description: 'The name or part of it, accents optional. A trailing " - UF" filters by state.',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['city'], operation: ['search'] } },
	properties,
);

/** The search's own options, shown in the node's one Options collection with Parallel Requests. */
export const searchOptions: INodeProperties[] = [
	...searchOptionFields({
		first:
			'Whether to list the city whose name is exactly the one searched first, then names that start with it',
		only: 'Whether to return only cities whose name is exactly the one searched (accents and case ignored)',
	}),
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
	const options = readNodeParameter(this, 'options', itemIndex, {}) as IDataObject;
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
	return { query, state, ...readSearchChoices(this, itemIndex, options) };
}

export async function execute(
	this: IExecuteFunctions,
	input: Awaited<ReturnType<typeof prepare>>,
	itemIndex: number,
) {
	const matches = await searchCities.call(this, input.query, itemIndex);
	const wanted = foldText(parseCityLabel(input.query).city);
	const isExact = (city: CityMatch) => foldText(city.city) === wanted;
	const ranked = rankCities(matches, input.query, {
		uf: input.state || undefined,
		exactFirst: input.exactFirst,
	});
	return keepMatches(ranked, input, isExact).map((city) => ({
		id: city.id,
		name: city.label,
		city: city.city,
		state: city.uf,
		ibgeCode: city.ibgeCode,
		exactMatch: foldText(city.city) === wanted,
	}));
}
