/**
 * One poll of a polling trigger: read the whole list, compare it with the node's static data,
 * save the new state, emit the changes. Shared by the partner and Kapitale polling triggers.
 *
 * Faults: any failed request, a list that cannot be proven complete, or a page size the server
 * ignores throws before the state is touched. n8n records the error for the poll (an error
 * execution, and the error workflow if one is set), and the next poll compares against the same
 * saved state, so it emits what this one could not.
 */
import type {
	IDataObject,
	INodeExecutionData,
	INodeProperties,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { concurrencyOption } from '../descriptions/common';
import { DEFAULT_CONCURRENCY, MAX_CONCURRENCY } from '../execution/concurrency';
import { ensureNodeError } from '../transport';
import { PagingMismatchError } from '../transport/pagination';
import { detect, readState, saveState, type Change, type Observed } from './changes';

export interface ListRead {
	/** Every record of the list, oldest first. */
	records: IDataObject[];
	/** The page size the server honoured, when the list is read by offset. */
	pageSize: number | null;
}

export interface Watch {
	/** What the saved state belongs to; a different key (another event) starts from a baseline. */
	key: string;
	read(
		context: IPollFunctions,
		hint: { pageSize: number | null; count: number | null; concurrency: number },
	): Promise<ListRead>;
	observe(raw: IDataObject): Observed;
	/** The watched value a record has when it is created. */
	initial?: string;
	/** The output item of a change, or null when this trigger does not emit it (event, filter). */
	output(change: Change, seenAt: string): IDataObject | null;
	/** For Fetch Test Event: the records to show, newest first (a few). */
	sample(records: Observed[]): Observed[];
	/** The output item of a sample record. */
	sampleOutput(record: Observed, previous: string | null, seenAt: string): IDataObject;
	/** What to say when Fetch Test Event finds nothing to show. */
	emptyMessage: string;
}

export const pollOptions: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add option',
	default: {},
	options: [
		{
			...concurrencyOption,
			description:
				'How many list pages a poll reads at once. Lower it if the API answers with rate limiting (HTTP 429).',
		},
	],
};

function readConcurrency(context: IPollFunctions): number {
	const wanted =
		Math.floor(Number(context.getNodeParameter('options.concurrency', DEFAULT_CONCURRENCY))) ||
		DEFAULT_CONCURRENCY;
	return Math.min(MAX_CONCURRENCY, Math.max(1, wanted));
}

export async function runPoll(
	context: IPollFunctions,
	watch: Watch,
	now: () => Date = () => new Date(),
): Promise<INodeExecutionData[][] | null> {
	const data = context.getWorkflowStaticData('node');
	const state = readState(data, watch.key);
	// A view of the context per poll: the transport keeps its per-run facts (credential, token
	// state) by context object, and n8n reuses one poll context for every poll of an activation.
	const run = Object.create(context) as IPollFunctions;
	let read: ListRead;
	try {
		read = await watch.read(run, {
			pageSize: state?.pageSize ?? null,
			count: state?.count ?? null,
			concurrency: readConcurrency(context),
		});
	} catch (error) {
		if (error instanceof PagingMismatchError)
			throw new NodeOperationError(context.getNode(), error.message, {
				description: `${error.description} The saved state was kept: the next poll compares against it.`,
			});
		throw ensureNodeError(context.getNode(), error);
	}
	const seenAt = now().toISOString();
	const records = read.records.map((raw) => watch.observe(raw));

	if (context.getMode() === 'manual') {
		// Fetch Test Event: real records to map fields from; the saved state is not touched.
		const shown = watch.sample(records);
		if (shown.length === 0) throw new NodeOperationError(context.getNode(), watch.emptyMessage);
		return [
			shown.map((record) => ({
				json: watch.sampleOutput(
					record,
					state && Object.prototype.hasOwnProperty.call(state.values, record.id)
						? state.values[record.id]
						: null,
					seenAt,
				),
			})),
		];
	}

	const detection = detect(state, records, {
		key: watch.key,
		initial: watch.initial,
		seenAt,
		pageSize: read.pageSize,
	});
	saveState(data, detection.next);
	if (detection.baseline) return null;
	const items: INodeExecutionData[] = [];
	for (const change of detection.changes) {
		const json = watch.output(change, seenAt);
		if (json) items.push({ json });
	}
	return items.length ? [items] : null;
}
