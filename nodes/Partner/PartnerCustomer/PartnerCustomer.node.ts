import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { nodeOptions } from '../../shared/descriptions/common';
import { PARTNER_ICON } from '../shared/descriptions';
import { searchBankIds, searchCityIds, searchCustomers } from '../shared/listSearch';
import * as customer from './actions/customer';
import { router } from './actions/router';

export class PartnerCustomer implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Partner Customer',
		name: 'partnerCustomer',
		icon: PARTNER_ICON,
		group: ['transform'],
		version: 1,
		subtitle:
			'={{ {"create": "Create customer", "update": "Update customer", "get": "Get customer", "getMany": "Get many customers", "resendTermsEmail": "Resend terms email"}[$parameter["operation"]] }}',
		description: 'Create, update and look up customers of the partner lending API (PF and PJ)',
		defaults: { name: 'Partner Customer' },
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
				options: [{ name: 'Customer', value: 'customer' }],
				default: 'customer',
			},
			...customer.description,
			nodeOptions(),
		],
	};

	methods = {
		listSearch: { searchCityIds, searchBankIds, searchCustomers },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
