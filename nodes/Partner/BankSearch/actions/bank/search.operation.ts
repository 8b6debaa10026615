import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { isExactBank, rankBanks, searchBanks, type BankMatch } from '../../../shared/banks';
import { keepMatches, readSearchChoices, searchOptionFields } from '../../../shared/search';
import { readNodeParameter } from '../../../../shared/execution/parameters';
import { fieldError } from '../../../../shared/validation/validate';

const properties: INodeProperties[] = [
	{
		displayName: 'Name or COMPE Code',
		name: 'query',
		type: 'string',
		default: '',
		placeholder: 'e.g. 237, Bradesco or BB',
		description: 'A bank name, abbreviation or COMPE code; empty lists the first banks',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['bank'], operation: ['search'] } },
	properties,
);

/** The search's own options, shown in the node's one Options collection with Parallel Requests. */
export const searchOptions = searchOptionFields({
	first: 'Whether to list the bank whose code (or name) is exactly the one searched first',
	only: 'Whether to return only the bank with exactly this COMPE code or name',
});

export async function prepare(this: IExecuteFunctions, itemIndex: number) {
	const query = String(readNodeParameter(this, 'query', itemIndex, '') ?? '').trim();
	if (query.length > 120)
		throw fieldError(
			this.getNode(),
			itemIndex,
			{ label: 'Name or COMPE Code', apiField: 'search' },
			'is too long',
		);
	const options = readNodeParameter(this, 'options', itemIndex, {}) as IDataObject;
	return { query, ...readSearchChoices(this, itemIndex, options) };
}

export async function execute(
	this: IExecuteFunctions,
	input: Awaited<ReturnType<typeof prepare>>,
	itemIndex: number,
) {
	const matches = await searchBanks.call(this, input.query, itemIndex);
	const isExact = (bank: BankMatch) => isExactBank(bank, input.query);
	const ranked = rankBanks(matches, input.query, { exactFirst: input.exactFirst });
	return keepMatches(ranked, input, isExact).map((bank) => ({
		id: bank.id,
		name: bank.label,
		code: bank.code,
		bankName: bank.name,
		exactMatch: input.query ? isExact(bank) : false,
	}));
}
