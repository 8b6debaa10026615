import type {
	IDataObject,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';

import {
	firstPollNotice,
	pollEventField,
	pollingTriggerDescription,
	pollSimplifyField,
} from '../../shared/descriptions/node';
import type { Change, Observed } from '../../shared/polling/changes';
import { credentialTest } from '../../shared/transport';
import { pollOptions, runPoll, type Watch } from '../../shared/polling/runPoll';
import { PARTNER_ICON } from '../shared/descriptions';
import { readAllCustomers } from '../shared/pollLists';
import { simplifyCustomerListItem } from '../shared/simplify';

function accepted(raw: IDataObject): string {
	return raw.term_accept === true || raw.term_accept === 1 || raw.term_accept === '1' ? '1' : '0';
}

export function customerWatch(context: IPollFunctions): Watch {
	const event = context.getNodeParameter('event', 'customerTermsAccepted') as string;
	const simplify = context.getNodeParameter('simplify', true) as boolean;
	const item = (name: string, observed: Observed, seenAt: string): IDataObject => ({
		event: name,
		id: observed.id,
		seenAt,
		...(simplify ? simplifyCustomerListItem(observed.raw) : observed.raw),
	});
	return {
		key: `partner-customers:${event}`,
		read: readAllCustomers,
		observe: (raw) => ({ id: String(raw.id), value: accepted(raw), raw }),
		// A customer starts without the terms accepted: one first seen with them accepted
		// accepted them between two polls.
		initial: '0',
		output: (change: Change, seenAt) => {
			if (event === 'customerCreated')
				return change.kind === 'created' ? item(event, change.record, seenAt) : null;
			// Terms accepted: false → true only (a later false is not an acceptance).
			if (change.kind !== 'changed' || change.record.value !== '1') return null;
			if (change.previous !== null && change.previous !== '0') return null;
			return item(event, change.record, seenAt);
		},
		sample: (records) => {
			const newest = [...records].reverse();
			const matching =
				event === 'customerTermsAccepted'
					? newest.filter((observed) => observed.value === '1')
					: newest;
			return (matching.length ? matching : newest).slice(0, 1);
		},
		sampleOutput: (observed, _previous, seenAt) => item(event, observed, seenAt),
		emptyMessage:
			'The partner API has no customers yet: create one (Partner Customer › Create), then fetch again',
	};
}

export class PartnerCustomerTrigger implements INodeType {
	description: INodeTypeDescription = {
		...pollingTriggerDescription('PartnerCustomerTrigger'),
		displayName: 'Partner Customer Trigger',
		name: 'partnerCustomerTrigger',
		icon: PARTNER_ICON,
		subtitle:
			'={{ {"customerCreated": "Customer created", "customerTermsAccepted": "Terms accepted"}[$parameter["event"]] }}',
		description:
			'Starts the workflow when a customer of the partner lending API is created or accepts the terms (polls: the API sends no webhooks)',
		defaults: { name: 'Partner Customer Trigger' },
		credentials: [{ name: 'kapitaleApi', required: true, testedBy: 'kapitaleApiTest' }],
		properties: [
			pollEventField(
				[
					{
						name: 'Customer Created',
						value: 'customerCreated',
						description: 'A customer appeared in the list since the last poll',
					},
					{
						name: 'Customer Accepted the Terms',
						value: 'customerTermsAccepted',
						description: 'A customer’s term_accept went from false to true',
					},
				],
				'customerTermsAccepted',
			),
			pollSimplifyField('customer'),
			firstPollNotice('customers'),
			pollOptions,
		],
	};

	methods = { credentialTest };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await runPoll(this, customerWatch(this));
	}
}
