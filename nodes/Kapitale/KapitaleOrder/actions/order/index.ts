import type { INodeProperties } from 'n8n-workflow';

import * as cancel from './cancel.operation';
import * as create from './create.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as setInvoice from './setInvoice.operation';

export { cancel, create, get, getAll, setInvoice };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['order'] } },
		options: [
			{
				name: 'Cancel',
				value: 'cancel',
				action: 'Cancel an order',
				description:
					'Cancel a payment order by its ID, with a reason. Works for orders not yet invoiced, paid, rejected or cancelled.',
			},
			{
				name: 'Create',
				value: 'create',
				action: 'Create an order',
				description:
					'Create a B2B payment order for a retail (buyer) CNPJ with order number, requested amount in BRL, purchase and expiry dates and purchase items; returns the new order with its ID and status "pending"',
			},
			{
				name: 'Get',
				value: 'get',
				action: 'Get an order',
				description:
					'Get one payment order by its ID: status, payment status, amounts, retail, items and invoice',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many orders',
				description:
					'List payment orders, newest first, optionally filtered by status (e.g. pending_invoice) or retail CNPJ; also tells how many orders wait for an invoice',
			},
			{
				name: 'Set Invoice',
				value: 'setInvoice',
				action: 'Set the invoice of an order',
				description:
					'Attach the invoice (nota fiscal) number and file (PDF or image from a binary field) to an order in status pending_invoice',
			},
		],
		default: 'create',
	},
	...create.description,
	...get.description,
	...getAll.description,
	...setInvoice.description,
	...cancel.description,
];
