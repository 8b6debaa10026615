import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { nodeOptions } from '../../shared/descriptions/common';
import { credentialTest } from '../../shared/transport';
import * as company from './actions/company';
import { router } from './actions/router';
import { toolDescriptions } from './actions/tools';

export class KapitaleCompany implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Kapitale Company',
		name: 'kapitaleCompany',
		icon: {
			light: 'file:../../../icons/kapitale.svg',
			dark: 'file:../../../icons/kapitale.dark.svg',
		},
		group: ['transform'],
		documentationUrl:
			'https://github.com/kapitale-community/n8n-nodes-kapitale/blob/main/docs/nodes/KapitaleCompany.md',
		version: 1,
		// Not the CNPJ itself: it is usually an expression, and a subtitle that cannot be evaluated
		// on the canvas is not shown at all.
		subtitle: '={{$parameter["operation"] === "getByCnpj" ? "Get by CNPJ" : ""}}',
		description:
			'Kapitale: look up a retail company by CNPJ (name, contact, whether Kapitale knows it) before creating a payment order',
		defaults: { name: 'Kapitale Company' },
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
				options: [{ name: 'Company', value: 'company' }],
				default: 'company',
			},
			...company.description,
			nodeOptions(),
			...toolDescriptions,
		],
	};

	methods = { credentialTest };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
