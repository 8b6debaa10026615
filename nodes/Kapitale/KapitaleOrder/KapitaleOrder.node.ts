import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { nodeOptions } from '../../shared/descriptions/common';
import * as order from './actions/order';
import { router } from './actions/router';
import { searchOrders } from './methods/listSearch';

export class KapitaleOrder implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Kapitale Order',
		name: 'kapitaleOrder',
		icon: {
			light: 'file:../../../icons/kapitale.svg',
			dark: 'file:../../../icons/kapitale.dark.svg',
		},
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Create, read, invoice and cancel Kapitale B2B payment orders between your industry and its retail buyers',
		defaults: { name: 'Kapitale Order' },
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
				options: [{ name: 'Order', value: 'order' }],
				default: 'order',
			},
			...order.description,
			nodeOptions(order.create.optionFields),
		],
	};

	methods = {
		listSearch: { searchOrders },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
