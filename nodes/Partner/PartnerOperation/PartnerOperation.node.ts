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
import { searchCityNames, searchCustomers, searchOperations } from '../shared/listSearch';
import * as operation from './actions/operation';
import { router } from './actions/router';
import { toolDescriptions } from './actions/tools';

export class PartnerOperation implements INodeType {
	description: INodeTypeDescription = {
		...actionNodeDescription('PartnerOperation'),
		displayName: 'Partner Operation',
		name: 'partnerOperation',
		icon: PARTNER_ICON,
		subtitle:
			'={{ {"create": "Create credit operation", "getMany": "Get many credit operations", "getStatus": "Get credit operation status", "getDetails": "Get credit operation details", "uploadDocumentByLink": "Upload document by link"}[$parameter["operation"]] }}',
		description:
			'Credoro lending API: request a loan (credit operation) for a person or company, follow its status and send its documents',
		defaults: { name: 'Partner Operation' },
		usableAsTool: true,
		credentials: [{ name: 'kapitaleApi', required: true, testedBy: 'kapitaleApiTest' }],
		properties: [
			resourceField('Credit Operation', 'operation'),
			...operation.description,
			nodeOptions(operation.uploadDocumentByLink.optionFields),
			...toolDescriptions,
		],
	};

	methods = {
		listSearch: { searchCityNames, searchCustomers, searchOperations },
		credentialTest,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
