import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { nodeOptions } from '../../shared/descriptions/common';
import { PARTNER_ICON } from '../shared/descriptions';
import * as search from './actions/city/search.operation';
import { router } from './actions/router';

export class CitySearch implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'City Search',
		name: 'citySearch',
		icon: PARTNER_ICON,
		group: ['transform'],
		version: 1,
		subtitle: '={{"Search: " + $parameter["query"]}}',
		description:
			'Find Brazilian municipalities as the partner lending API knows them: its city ID, "City - UF" name and IBGE code',
		defaults: { name: 'City Search' },
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
				options: [{ name: 'City', value: 'city' }],
				default: 'city',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['city'] } },
				options: [
					{
						name: 'Search',
						value: 'search',
						action: 'Search cities by name',
						description:
							'One item per matching municipality: ID for address_city_id, name for an operation’s city and state',
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
