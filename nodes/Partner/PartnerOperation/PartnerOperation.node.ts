import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { nodeOptions } from '../../shared/descriptions/common';
import { credentialTest } from '../../shared/transport';
import { PARTNER_ICON } from '../shared/descriptions';
import { searchCityNames, searchCustomers, searchOperations } from '../shared/listSearch';
import * as operation from './actions/operation';
import { router } from './actions/router';
import { toolDescriptions } from './actions/tools';

export class PartnerOperation implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Partner Operation',
		name: 'partnerOperation',
		icon: PARTNER_ICON,
		group: ['transform'],
		documentationUrl:
			'https://github.com/kapitale-community/n8n-nodes-kapitale/blob/main/docs/nodes/PartnerOperation.md',
		version: 1,
		subtitle:
			'={{ {"create": "Create credit operation", "getMany": "Get many credit operations", "getStatus": "Get credit operation status", "getDetails": "Get credit operation details", "uploadDocumentByLink": "Upload document by link"}[$parameter["operation"]] }}',
		description:
			'Credoro lending API: request a loan (credit operation) for a person or company, follow its status and send its documents',
		defaults: { name: 'Partner Operation' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'kapitaleApi', required: true, testedBy: 'kapitaleApiTest' }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Credit Operation', value: 'operation' }],
				default: 'operation',
			},
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
