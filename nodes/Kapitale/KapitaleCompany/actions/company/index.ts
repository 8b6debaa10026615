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
					'Look up a retail (buyer) company by its CNPJ before creating a payment order. Returns name, representative, email, phone and address; "source" is "kapitale" for Kapitale’s own records or "bureau" for credit-bureau data that needs checking ("needsChecking": true).',
			},
		],
		default: 'getByCnpj',
	},
	...getByCnpj.description,
];
