import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { nodeOptions } from '../../shared/descriptions/common';
import { actionNodeDescription, resourceField } from '../../shared/descriptions/node';
import { credentialTest } from '../../shared/transport';
import { PARTNER_ICON } from '../shared/descriptions';
import { searchBankIds, searchCityIds, searchCustomers } from '../shared/listSearch';
import * as customer from './actions/customer';
import { router } from './actions/router';
import { toolDescriptions } from './actions/tools';

export class PartnerCustomer implements INodeType {
	description: INodeTypeDescription = {
		...actionNodeDescription('PartnerCustomer'),
		displayName: 'Partner Customer',
		name: 'partnerCustomer',
		icon: PARTNER_ICON,
		subtitle:
			'={{ {"create": "Create customer", "update": "Update customer", "get": "Get customer", "getMany": "Get many customers", "resendTermsEmail": "Resend terms email"}[$parameter["operation"]] }}',
		description:
			'Credoro lending API: register, update and look up the people (CPF) and companies (CNPJ) who apply for credit',
		defaults: { name: 'Partner Customer' },
		usableAsTool: true,
		credentials: [{ name: 'kapitaleApi', required: true, testedBy: 'kapitaleApiTest' }],
		properties: [
			resourceField('Customer', 'customer'),
			...customer.description,
			nodeOptions(),
			...toolDescriptions,
		],
	};

	methods = {
		listSearch: { searchCityIds, searchBankIds, searchCustomers },
		credentialTest,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
