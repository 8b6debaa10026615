import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { nodeOptions } from '../../shared/descriptions/common';
import { actionNodeDescription, resourceField } from '../../shared/descriptions/node';
import { credentialTest } from '../../shared/transport';
import * as company from './actions/company';
import { router } from './actions/router';
import { toolDescriptions } from './actions/tools';

export class KapitaleCompany implements INodeType {
	description: INodeTypeDescription = {
		...actionNodeDescription('KapitaleCompany'),
		displayName: 'Kapitale Company',
		name: 'kapitaleCompany',
		icon: {
			light: 'file:../../../icons/kapitale.svg',
			dark: 'file:../../../icons/kapitale.dark.svg',
		},
		// Not the CNPJ itself: it is usually an expression, and a subtitle that cannot be evaluated
		// on the canvas is not shown at all.
		subtitle: '={{$parameter["operation"] === "getByCnpj" ? "Get by CNPJ" : ""}}',
		description:
			'Kapitale: look up a retail company by CNPJ (name, contact, whether Kapitale knows it) before creating a payment order',
		defaults: { name: 'Kapitale Company' },
		usableAsTool: true,
		credentials: [{ name: 'kapitaleApi', required: true, testedBy: 'kapitaleApiTest' }],
		properties: [
			resourceField('Company', 'company'),
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
