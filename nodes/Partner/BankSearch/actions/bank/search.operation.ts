import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { isExactBank, rankBanks, searchBanks, type BankMatch } from '../../../shared/banks';
import { legacySearchOptions, readSearchOptions } from '../../../shared/searchOptions';
import { readNodeParameter } from '../../../../shared/execution/parameters';
import { fieldError } from '../../../../shared/validation/validate';

const show = { resource: ['bank'], operation: ['search'] };

export const description: INodeProperties[] = [
	legacySearchOptions,
	{
		displayName: 'Name or COMPE Code',
		name: 'query',
		type: 'string',
		default: '',
		placeholder: 'e.g. 237, Bradesco or BB',
		description:
			'A bank name, abbreviation or COMPE code; empty lists the first banks. Sent as search.',
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
		description: 'Whether to list the bank whose code (or name) is exactly the one searched first',
	},
	{
		displayName: 'Exact Match Only',
		name: 'exactOnly',
		type: 'boolean',
		default: false,
		description: 'Whether to return only the bank with exactly this COMPE code or name',
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

export async function prepare(this: IExecuteFunctions, itemIndex: number) {
	const query = String(readNodeParameter(this, 'query', itemIndex, '') ?? '').trim();
	if (query.length > 120)
		throw fieldError(
			this.getNode(),
			itemIndex,
			{ label: 'Name or COMPE Code', apiField: 'search' },
			'is too long',
		);
	const options = readSearchOptions(this, itemIndex);
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
	const matches = await searchBanks.call(this, input.query, itemIndex);
	const isExact = (bank: BankMatch) => isExactBank(bank, input.query);
	let ranked = rankBanks(matches, input.query, { exactFirst: input.exactFirst });
	if (input.exactOnly) ranked = ranked.filter(isExact);
	return ranked.slice(0, input.limit).map((bank) => ({
		id: bank.id,
		name: bank.label,
		code: bank.code,
		bankName: bank.name,
		exactMatch: input.query ? isExact(bank) : false,
	}));
}
