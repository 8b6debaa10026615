import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { nodeOptions } from '../../shared/descriptions/common';
import { PARTNER_ICON } from '../shared/descriptions';
import * as search from './actions/bank/search.operation';
import { router } from './actions/router';

export class BankSearch implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Bank Search',
		name: 'bankSearch',
		icon: PARTNER_ICON,
		group: ['transform'],
		version: 1,
		subtitle: '={{"Search: " + $parameter["query"]}}',
		description:
			'Find banks as the partner lending API knows them: its bank ID and "COMPE - NAME" label',
		defaults: { name: 'Bank Search' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'kapitaleApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Bank', value: 'bank' }],
				default: 'bank',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['bank'] } },
				options: [
					{
						name: 'Search',
						value: 'search',
						action: 'Search banks by name or COMPE code',
						description: 'One item per matching bank, with the ID to send as bank_id',
					},
				],
				default: 'search',
			},
			...search.description,
			nodeOptions(search.searchOptionFields),
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
