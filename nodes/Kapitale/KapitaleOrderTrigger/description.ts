import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_MAX_BODY_KB } from './delivery';

const SETUP_NOTICE =
	'Kapitale sets up webhooks on request. Send the Kapitale team (1) the <b>Production URL</b> shown under ' +
	'"Webhook URLs" at the top of this panel and (2) the secret that proves a request comes from them (below). ' +
	'Then activate the workflow: only an active workflow receives events on the Production URL.';

const CREDENTIAL_NOTICE =
	'The secret is set in the <b>Kapitale API</b> credential, under <b>Webhook Authentication</b>. ' +
	'Tell Kapitale which kind it is and give them the secret: a bearer token, a user and password (basic), ' +
	'or a header name and value. The node’s docs page says how to fill in Kapitale’s form.';

export const properties: INodeProperties[] = [
	{
		displayName: SETUP_NOTICE,
		name: 'setupNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: CREDENTIAL_NOTICE,
		name: 'credentialNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Path',
		name: 'path',
		type: 'string',
		default: '',
		placeholder: 'e.g. kapitale-orders',
		description:
			"The last part of the webhook URL (…/webhook/&lt;path&gt;). Leave empty to use the node's unique webhook ID.",
	},
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		required: true,
		options: [
			{
				name: 'All Events',
				value: '*',
				description: 'Every event, including event types Kapitale adds in the future',
			},
			{
				name: 'Order Approved',
				value: 'order.approved',
				description: "The retail's credit was approved",
			},
			{ name: 'Order Created', value: 'order.created', description: 'A payment order was created' },
			{ name: 'Order Rejected', value: 'order.rejected', description: 'The order was rejected' },
		],
		default: ['*'],
		description:
			'Which order events start the workflow. Other events are acknowledged (200) and ignored.',
	},
	{
		displayName: 'Only for Industry IDs',
		name: 'destinationIds',
		type: 'string',
		default: '',
		placeholder: 'e.g. 0b6f2c1e-…',
		description:
			'Only events for these companies start the workflow: Kapitale’s ID of your industry (as in the events’ destination), several separated by commas. Empty accepts any.',
	},
	{
		displayName: 'Ignore Duplicates',
		name: 'deduplicate',
		type: 'boolean',
		default: true,
		description:
			'Whether a delivery with the same event, destination, order ID and status as one accepted within the window starts no second execution (Kapitale retries deliveries). Deliveries then need a data.order_id.',
	},
	{
		displayName: 'Duplicate Window (Minutes)',
		name: 'dedupWindowMinutes',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 10080 },
		default: 60,
		displayOptions: { show: { deduplicate: [true] } },
		description:
			'How long an accepted delivery is remembered (at most the newest 2,000 per trigger). Applies to the Production URL; the Test URL keeps its own memory.',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Include Headers',
				name: 'includeHeaders',
				type: 'boolean',
				default: false,
				description:
					'Whether to add the request headers to the item (Authorization, cookies and the custom auth header are redacted)',
			},
			{
				displayName: 'Max Body Size (KB)',
				name: 'maxBodyKb',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 16384 },
				default: DEFAULT_MAX_BODY_KB,
				description: 'Larger requests are refused with 413',
			},
			{
				displayName: 'Raw Body',
				name: 'rawBody',
				type: 'boolean',
				default: false,
				description:
					'Whether to output the event exactly as Kapitale sent it instead of one flat item with the order’s fields',
			},
		],
	},
];
