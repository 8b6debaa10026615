import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { nodeOptions } from '../../shared/descriptions/common';
import { actionNodeDescription } from '../../shared/descriptions/node';
import { credentialTest } from '../../shared/transport';
import { PARTNER_ICON } from '../shared/descriptions';
import { searchNodeFields } from '../shared/search';
import * as search from './actions/bank/search.operation';
import { router } from './actions/router';
import { toolDescriptions } from './actions/tools';

export class BankSearch implements INodeType {
	description: INodeTypeDescription = {
		...actionNodeDescription('BankSearch'),
		displayName: 'Bank Search',
		name: 'bankSearch',
		icon: PARTNER_ICON,
		subtitle: '={{"Search: " + $parameter["query"]}}',
		description:
			'Credoro lending API: find a bank by name or COMPE code, with the bank ID a customer’s bank account needs',
		defaults: { name: 'Bank Search' },
		usableAsTool: true,
		credentials: [{ name: 'kapitaleApi', required: true, testedBy: 'kapitaleApiTest' }],
		properties: [
			...searchNodeFields(
				{ name: 'Bank', value: 'bank' },
				{
					action: 'Search banks by name or COMPE code',
					description: 'One item per matching bank, with the ID a customer’s bank account needs',
				},
			),
			...search.description,
			nodeOptions(search.searchOptions),
			...toolDescriptions,
		],
	};

	methods = { credentialTest };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
