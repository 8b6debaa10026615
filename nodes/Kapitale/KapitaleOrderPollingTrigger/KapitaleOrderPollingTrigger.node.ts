import type {
	IDataObject,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';

import {
	pollEventField,
	pollingTriggerDescription,
	pollSimplifyField,
} from '../../shared/descriptions/node';
import type { Change, Observed } from '../../shared/polling/changes';
import { pollOptions, runPoll, type ListRead, type Watch } from '../../shared/polling/runPoll';
import { apiRequest, credentialTest } from '../../shared/transport';
import { fetchPages } from '../../shared/transport/pagination';
import { ORDER_STATUSES, simplifyOrder } from '../KapitaleOrder/actions/order/common';
import { MAX_PAGE_SIZE } from '../KapitaleOrder/actions/order/getAll.operation';

const PAYMENT_STATUSES = [
	{ name: 'Pending', value: 'pending' },
	{ name: 'Paid', value: 'paid' },
	{ name: 'Cancelled', value: 'cancelled' },
];

/** A new order is pending, and so is its payment. */
const INITIAL = 'pending/pending';

function split(value: string | null): { order: string | null; payment: string | null } {
	if (value === null) return { order: null, payment: null };
	const [order, payment] = value.split('/');
	return { order: order || null, payment: payment || null };
}

/** `GET /order`, every page (newest first), returned oldest first. */
async function readAllOrders(
	context: IPollFunctions,
	hint: { concurrency: number },
): Promise<ListRead> {
	const { items } = await fetchPages<IDataObject>(
		async (page, pageSize) => {
			const body = (await apiRequest.call(context, {
				service: 'kapitale',
				method: 'GET',
				path: '/order',
				qs: { page, limit: pageSize },
			})) as IDataObject;
			const count = Number(body.count);
			return {
				items: (Array.isArray(body.data) ? body.data : []) as IDataObject[],
				totalPages: Number(body.totalPages ?? 1) || 0,
				count: body.count !== undefined && Number.isFinite(count) ? count : undefined,
				raw: body,
			};
		},
		{
			pageSize: MAX_PAGE_SIZE,
			concurrency: hint.concurrency,
			key: (order) => String(order.id),
		},
	);
	return { records: items.reverse(), pageSize: null };
}

export function orderWatch(context: IPollFunctions): Watch {
	const event = context.getNodeParameter('event', 'orderStatusChanged') as string;
	const orderStatuses = (context.getNodeParameter('orderStatuses', []) as string[]) ?? [];
	const paymentStatuses = (context.getNodeParameter('paymentStatuses', []) as string[]) ?? [];
	const simplify = context.getNodeParameter('simplify', true) as boolean;
	const item = (
		name: string,
		observed: Observed,
		seenAt: string,
		previous: string | null,
	): IDataObject => {
		const before = split(previous);
		return {
			event: name,
			id: observed.id,
			seenAt,
			...(name === 'orderStatusChanged'
				? {
						previousOrderStatus: before.order,
						previousPaymentStatus: before.payment,
					}
				: {}),
			...(simplify ? simplifyOrder(observed.raw) : observed.raw),
		};
	};
	const matches = (value: string) => {
		const now = split(value);
		return (
			(!orderStatuses.length || orderStatuses.includes(now.order ?? '')) &&
			(!paymentStatuses.length || paymentStatuses.includes(now.payment ?? ''))
		);
	};
	return {
		key: `kapitale-orders:${event}`,
		read: readAllOrders,
		observe: (raw) => ({
			id: String(raw.id),
			value: `${String(raw.order_status ?? '')}/${String(raw.payment_status ?? '')}`,
			raw,
		}),
		initial: INITIAL,
		output: (change: Change, seenAt) => {
			if (event === 'orderCreated')
				return change.kind === 'created' ? item(event, change.record, seenAt, null) : null;
			if (change.kind !== 'changed' || !matches(change.record.value)) return null;
			return item(event, change.record, seenAt, change.previous);
		},
		sample: (records) => {
			const newest = [...records].reverse();
			const matching =
				event === 'orderStatusChanged' ? newest.filter((o) => matches(o.value)) : newest;
			return (matching.length ? matching : newest).slice(0, 1);
		},
		sampleOutput: (observed, previous, seenAt) => item(event, observed, seenAt, previous),
		emptyMessage:
			'Kapitale has no orders for this industry yet: create one (Kapitale Order › Create), then fetch again',
	};
}

export class KapitaleOrderPollingTrigger implements INodeType {
	description: INodeTypeDescription = {
		...pollingTriggerDescription('KapitaleOrderPollingTrigger'),
		displayName: 'Kapitale Order Polling Trigger',
		name: 'kapitaleOrderPollingTrigger',
		icon: {
			light: 'file:../../../icons/kapitale.svg',
			dark: 'file:../../../icons/kapitale.dark.svg',
		},
		subtitle:
			'={{ {"orderCreated": "Order created", "orderStatusChanged": "Status changed"}[$parameter["event"]] }}',
		description:
			'Starts the workflow when a Kapitale order is created or its order or payment status changes, by polling the orders list (no webhook to set up with Kapitale)',
		defaults: { name: 'Kapitale Order Polling Trigger' },
		credentials: [{ name: 'kapitaleApi', required: true, testedBy: 'kapitaleApiTest' }],
		properties: [
			{
				displayName:
					'Polls the orders list. If Kapitale already sends your webhooks, the Kapitale Order Trigger (in the node picker: Kapitale Order › Triggers) reacts at once instead.',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			pollEventField(
				[
					{
						name: 'Order Created',
						value: 'orderCreated',
						description: 'An order appeared in the list since the last poll',
					},
					{
						name: 'Order Status Changed',
						value: 'orderStatusChanged',
						description:
							'An order’s order status or payment status differs from the one seen at the last poll (previous and new in the output)',
					},
				],
				'orderStatusChanged',
			),
			{
				displayName: 'New Order Status',
				name: 'orderStatuses',
				type: 'multiOptions',
				options: ORDER_STATUSES.map(({ name, value }) => ({ name, value })),
				default: [],
				hint: 'Leave empty for any order status',
				description:
					'Only changes after which the order has one of these statuses. Empty means any.',
				displayOptions: { show: { event: ['orderStatusChanged'] } },
			},
			{
				displayName: 'New Payment Status',
				name: 'paymentStatuses',
				type: 'multiOptions',
				options: PAYMENT_STATUSES,
				default: [],
				hint: 'Leave empty for any payment status',
				description:
					'Only changes after which the payment has one of these statuses. Empty means any.',
				displayOptions: { show: { event: ['orderStatusChanged'] } },
			},
			pollSimplifyField('order'),
			pollOptions,
		],
	};

	methods = { credentialTest };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await runPoll(this, orderWatch(this));
	}
}
