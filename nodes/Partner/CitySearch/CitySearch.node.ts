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
import * as search from './actions/city/search.operation';
import { router } from './actions/router';
import { toolDescriptions } from './actions/tools';

export class CitySearch implements INodeType {
	description: INodeTypeDescription = {
		...actionNodeDescription('CitySearch'),
		displayName: 'City Search',
		name: 'citySearch',
		icon: PARTNER_ICON,
		subtitle: '={{"Search: " + $parameter["query"]}}',
		description:
			'Credoro lending API: find a Brazilian city by name, with the city ID, "City - UF" name and IBGE code that customers and credit operations need',
		defaults: { name: 'City Search' },
		usableAsTool: true,
		credentials: [{ name: 'kapitaleApi', required: true, testedBy: 'kapitaleApiTest' }],
		properties: [
			...searchNodeFields(
				{ name: 'City', value: 'city' },
				{
					action: 'Search cities by name',
					description:
						'One item per matching city: its ID for a customer’s city, its name for a credit operation’s city and state',
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
