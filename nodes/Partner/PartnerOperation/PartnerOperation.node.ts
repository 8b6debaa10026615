import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { nodeOptions } from '../../shared/descriptions/common';
import { PARTNER_ICON } from '../shared/descriptions';
import { searchCityNames, searchCustomers, searchOperations } from '../shared/listSearch';
import * as operation from './actions/operation';
import { router } from './actions/router';

export class PartnerOperation implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Partner Operation',
		name: 'partnerOperation',
		icon: PARTNER_ICON,
		group: ['transform'],
		version: 1,
		subtitle:
			'={{ {"create": "Create operation", "getMany": "Get many operations", "getStatus": "Get operation status", "getDetails": "Get operation details", "uploadDocumentByLink": "Upload document by link"}[$parameter["operation"]] }}',
		description:
			'Create credit operations of the partner lending API, follow their status and upload documents',
		defaults: { name: 'Partner Operation' },
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
				options: [{ name: 'Operation', value: 'operation' }],
				default: 'operation',
			},
			...operation.description,
			nodeOptions(),
		],
	};

	methods = {
		listSearch: { searchCityNames, searchCustomers, searchOperations },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
