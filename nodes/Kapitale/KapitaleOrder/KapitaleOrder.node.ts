import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { nodeOptions } from '../../shared/descriptions/common';
import { actionNodeDescription, resourceField } from '../../shared/descriptions/node';
import { credentialTest } from '../../shared/transport';
import * as order from './actions/order';
import { router } from './actions/router';
import { toolDescriptions } from './actions/tools';
import { searchOrders } from './methods/listSearch';

export class KapitaleOrder implements INodeType {
	description: INodeTypeDescription = {
		...actionNodeDescription('KapitaleOrder'),
		displayName: 'Kapitale Order',
		name: 'kapitaleOrder',
		icon: {
			light: 'file:../../../icons/kapitale.svg',
			dark: 'file:../../../icons/kapitale.dark.svg',
		},
		subtitle:
			'={{ {"create": "Create order", "get": "Get order", "getAll": "Get many orders", "setInvoice": "Set invoice of order", "cancel": "Cancel order"}[$parameter["operation"]] }}',
		description:
			'Kapitale B2B credit: create payment orders for your retail buyers (by CNPJ), follow them, attach the invoice (nota fiscal) and cancel',
		defaults: { name: 'Kapitale Order' },
		usableAsTool: true,
		credentials: [{ name: 'kapitaleApi', required: true, testedBy: 'kapitaleApiTest' }],
		properties: [
			resourceField('Order', 'order'),
			...order.description,
			nodeOptions(order.create.optionFields),
			...toolDescriptions,
		],
	};

	methods = {
		listSearch: { searchOrders },
		credentialTest,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
