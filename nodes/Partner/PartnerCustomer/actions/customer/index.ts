import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as resendTermsEmail from './resendTermsEmail.operation';
import * as update from './update.operation';

export { create, get, getMany, resendTermsEmail, update };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['customer'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				action: 'Create a lending customer',
				description:
					'Register a PF or PJ customer with address, contact, revenue (PJ) and optional bank account',
			},
			{
				name: 'Get',
				value: 'get',
				action: 'Get a lending customer',
				description: 'Get one customer by hash ID',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				action: 'Get many lending customers',
				description: 'List customers, optionally filtered by name',
			},
			{
				name: 'Resend Terms Email',
				value: 'resendTermsEmail',
				action: 'Resend the terms email to a customer',
				description: 'Send the acceptance-terms email to the customer again',
			},
			{
				name: 'Update',
				value: 'update',
				action: 'Update a lending customer',
				description: 'Change some fields of a customer',
			},
		],
		default: 'create',
	},
	...create.description,
	...update.description,
	...get.description,
	...getMany.description,
	...resendTermsEmail.description,
];
