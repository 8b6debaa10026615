import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as getDetails from './getDetails.operation';
import * as getMany from './getMany.operation';
import * as getStatus from './getStatus.operation';
import * as uploadDocumentByLink from './uploadDocumentByLink.operation';

export { create, getDetails, getMany, getStatus, uploadDocumentByLink };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['operation'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				action: 'Create a credit operation',
				description: 'Request a loan for a new PF or PJ applicant, or for an existing customer',
			},
			{
				name: 'Get Details',
				value: 'getDetails',
				action: 'Get the details of a credit operation',
				description: 'Customer, amounts, installments and documents sent',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				action: 'Get many credit operations',
				description: 'List operations, optionally filtered by customer name',
			},
			{
				name: 'Get Status',
				value: 'getStatus',
				action: 'Get the status of a credit operation',
				description: 'The status name and slug of one operation',
			},
			{
				name: 'Upload Document by Link',
				value: 'uploadDocumentByLink',
				action: 'Upload a document to a credit operation by link',
				description: 'Attach an ID, proof of residence or social contract from a public https URL',
			},
		],
		default: 'create',
	},
	...create.description,
	...getMany.description,
	...getStatus.description,
	...getDetails.description,
	...uploadDocumentByLink.description,
];
