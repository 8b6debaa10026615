import type { INodeProperties } from 'n8n-workflow';

import * as getByCnpj from './getByCnpj.operation';

export { getByCnpj };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['company'] } },
		options: [
			{
				name: 'Get by CNPJ',
				value: 'getByCnpj',
				action: 'Get a retail company by CNPJ',
				description:
					'Look up a retail company by CNPJ: name, representative, email, phone and address, and whether Kapitale already knows it',
			},
		],
		default: 'getByCnpj',
	},
	...getByCnpj.description,
];
