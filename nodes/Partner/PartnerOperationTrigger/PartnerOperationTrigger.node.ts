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
import { readAllOperations } from '../shared/pollLists';
import { simplifyOperation } from '../shared/simplify';

/** The statuses the partner API documents for a credit operation (slug = what the list says). */
export const OPERATION_STATUS_OPTIONS = [
	{ name: 'Em Análise (Under Review)', value: 'em-analise' },
	{ name: 'Aguardando Documentos (Waiting for Documents)', value: 'aguardando-documentos' },
	{ name: 'Autorizado (Authorised)', value: 'autorizado' },
	{ name: 'Pago (Paid)', value: 'pago' },
	{ name: 'Cancelado (Cancelled)', value: 'cancelado' },
	{ name: 'Reprovado (Refused)', value: 'reprovado' },
];

/** New operations start "em análise" (the API's status 1). */
const INITIAL_STATUS = 'em-analise';

function statusOf(raw: IDataObject): string {
	return String(raw.status_slug ?? raw.status_id ?? '');
}

export function operationWatch(context: IPollFunctions): Watch {
	const event = context.getNodeParameter('event', 'operationStatusChanged') as string;
	const wanted = (context.getNodeParameter('newStatuses', []) as string[]) ?? [];
	const simplify = context.getNodeParameter('simplify', true) as boolean;
	const record = (raw: IDataObject) => (simplify ? simplifyOperation(raw) : raw);
	const item = (
		name: string,
		observed: Observed,
		seenAt: string,
		previous: string | null,
	): IDataObject => ({
		event: name,
		id: observed.id,
		seenAt,
		...(name === 'operationStatusChanged'
			? { previousStatus: previous, newStatus: observed.value }
			: {}),
		...record(observed.raw),
	});
	return {
		key: `partner-operations:${event}`,
		read: readAllOperations,
		observe: (raw) => ({ id: String(raw.id), value: statusOf(raw), raw }),
		initial: INITIAL_STATUS,
		output: (change: Change, seenAt) => {
			if (event === 'operationCreated')
				return change.kind === 'created' ? item(event, change.record, seenAt, null) : null;
			if (change.kind !== 'changed') return null;
			if (wanted.length && !wanted.includes(change.record.value)) return null;
			return item(event, change.record, seenAt, change.previous);
		},
		sample: (records) => {
			const newest = [...records].reverse();
			const matching =
				event === 'operationStatusChanged' && wanted.length
					? newest.filter((observed) => wanted.includes(observed.value))
					: newest;
			return (matching.length ? matching : newest).slice(0, 1);
		},
		sampleOutput: (observed, previous, seenAt) => item(event, observed, seenAt, previous),
		emptyMessage:
			'The partner API has no credit operations yet: create one (Partner Operation › Create), then fetch again',
	};
}

export class PartnerOperationTrigger implements INodeType {
	description: INodeTypeDescription = {
		...pollingTriggerDescription('PartnerOperationTrigger'),
		displayName: 'Partner Operation Trigger',
		name: 'partnerOperationTrigger',
		icon: PARTNER_ICON,
		subtitle:
			'={{ {"operationCreated": "Operation created", "operationStatusChanged": "Status changed"}[$parameter["event"]] }}',
		description:
			'Starts the workflow when a credit operation of the partner lending API is created or changes status (polls: the API sends no webhooks)',
		defaults: { name: 'Partner Operation Trigger' },
		credentials: [{ name: 'kapitaleApi', required: true, testedBy: 'kapitaleApiTest' }],
		properties: [
			pollEventField(
				[
					{
						name: 'Operation Created',
						value: 'operationCreated',
						description: 'A credit operation appeared in the list since the last poll',
					},
					{
						name: 'Operation Status Changed',
						value: 'operationStatusChanged',
						description:
							'A credit operation’s status differs from the one seen at the last poll (previous and new status in the output)',
					},
				],
				'operationStatusChanged',
			),
			{
				displayName: 'New Status',
				name: 'newStatuses',
				type: 'multiOptions',
				options: OPERATION_STATUS_OPTIONS,
				default: [],
				hint: 'Leave empty to trigger on every status change',
				description:
					'Only changes to one of these statuses, e.g. Autorizado. Empty means every change.',
				displayOptions: { show: { event: ['operationStatusChanged'] } },
			},
			pollSimplifyField('operation', 'amounts and rates as numbers, dates as ISO'),
			firstPollNotice('operations'),
			pollOptions,
		],
	};

	methods = { credentialTest };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await runPoll(this, operationWatch(this));
	}
}
