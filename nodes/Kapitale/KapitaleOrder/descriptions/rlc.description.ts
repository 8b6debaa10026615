/**
 * The order picker of Get, Set Invoice and Cancel, written once (as n8n's Outlook v2 keeps its
 * pickers in rlc.description.ts). The list shows the orders the operation can act on (see
 * methods/listSearch.ts). The API has no web page per order, so there is no "By URL" mode.
 */
import type { INodeProperties } from 'n8n-workflow';

import { listMode, resourceLocator, textMode } from '../../../shared/descriptions/locator';
import { ORDER_ID_REGEX } from '../actions/order/common';

export const orderRLC: INodeProperties = resourceLocator(
	{
		displayName: 'Order',
		name: 'orderId',
		description: 'The order: pick one of the recent orders, or give its ID',
	},
	[
		listMode('searchOrders', 'Select an order…'),
		textMode('By ID', 'id', 'e.g. 550e8400-e29b-41d4-a716-446655440000', {
			regex: ORDER_ID_REGEX,
			errorMessage: 'Not a Kapitale order ID (it looks like 550e8400-e29b-…)',
		}),
	],
);
