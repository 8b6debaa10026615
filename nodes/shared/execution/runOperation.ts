import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { DEFAULT_CONCURRENCY, MAX_CONCURRENCY, mapWithConcurrency } from './concurrency';
import { ensureNodeError } from '../transport';

export type OperationResult = IDataObject | IDataObject[] | INodeExecutionData[];

export interface OperationModule<Payload = unknown> {
	description: INodeProperties[];
	/** Validation and normalization of one item, without any request. Runs for every item first. */
	prepare?(this: IExecuteFunctions, itemIndex: number): Payload | Promise<Payload>;
	/**
	 * Read-only checks of one prepared item that need the API (city and bank look-ups, the current
	 * record of an update). Runs for every item after all prepares and before the first execute,
	 * so that a write never starts while a later item is still going to be refused.
	 */
	resolve?(this: IExecuteFunctions, payload: Payload, itemIndex: number): Promise<Payload>;
	/** The request(s) for one prepared item. */
	execute(this: IExecuteFunctions, payload: Payload, itemIndex: number): Promise<OperationResult>;
	/** Whether items may run in parallel; writes that depend on order set this to false. */
	parallel?: boolean;
}

export { DEFAULT_CONCURRENCY };

/** The node's "Parallel Requests" option, shared by item processing and paging. */
export function readConcurrency(context: IExecuteFunctions): number {
	const wanted =
		Math.floor(Number(context.getNodeParameter('options.concurrency', 0, DEFAULT_CONCURRENCY))) ||
		DEFAULT_CONCURRENCY;
	// The editor enforces the bounds; an expression does not.
	return Math.min(MAX_CONCURRENCY, Math.max(1, wanted));
}

function isExecutionData(value: unknown): value is INodeExecutionData {
	return (
		typeof value === 'object' &&
		value !== null &&
		'json' in value &&
		typeof (value as INodeExecutionData).json === 'object'
	);
}

function toExecutionData(result: OperationResult, itemIndex: number): INodeExecutionData[] {
	const list = Array.isArray(result) ? result : [result];
	return list.map((entry) =>
		isExecutionData(entry)
			? { ...entry, pairedItem: entry.pairedItem ?? { item: itemIndex } }
			: { json: entry as IDataObject, pairedItem: { item: itemIndex } },
	);
}

function asNodeError(
	context: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
): NodeApiError | NodeOperationError {
	const nodeError = ensureNodeError(context.getNode(), error, itemIndex);
	if (nodeError.context.itemIndex === undefined) nodeError.context.itemIndex = itemIndex;
	return nodeError;
}

function errorItem(
	error: NodeApiError | NodeOperationError,
	itemIndex: number,
): INodeExecutionData {
	const json: IDataObject = { error: error.message };
	if (error.description) json.description = error.description;
	if (error instanceof NodeApiError && error.httpCode) json.httpCode = error.httpCode;
	// No `error` property on the item: n8n-core replaces the json of such items with
	// `{ error: message }`, which would drop the description (e.g. "may have been processed").
	return { json, pairedItem: { item: itemIndex } };
}

function createdSummary(outputs: Array<INodeExecutionData[] | undefined>): string {
	const done = outputs
		.map((output, index) => ({
			index,
			ids: (output ?? []).map((entry) => entry.json.id).filter(Boolean),
		}))
		.filter((_, index) => outputs[index] !== undefined);
	if (done.length === 0) return '';
	const listed = done
		.slice(0, 20)
		.map(({ index, ids }) => (ids.length ? `${index} (${ids.join(', ')})` : String(index)))
		.join('; ');
	return ` Items already completed before the failure: ${listed}${done.length > 20 ? ` and ${done.length - 20} more` : ''}.`;
}

/**
 * Runs one operation over all input items: validates every item first, then sends the valid
 * ones with bounded concurrency. With "continue on fail" every input item yields exactly one
 * paired result or error; without it the first failure stops new requests and is thrown after
 * the in-flight ones finish, naming what was already done.
 */
export async function runOperation(
	this: IExecuteFunctions,
	operation: OperationModule,
	concurrency = DEFAULT_CONCURRENCY,
): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const continueOnFail = this.continueOnFail();
	const outputs: Array<INodeExecutionData[] | undefined> = items.map(() => undefined);
	const payloads: unknown[] = [];
	const ready: number[] = [];

	const refusedBeforeWriting = (error: unknown, itemIndex: number) => {
		const nodeError = asNodeError(this, error, itemIndex);
		if (items.length > 1) {
			nodeError.description =
				`${nodeError.description ?? ''} No item was created or changed: all ${items.length} items are checked, city and bank look-ups included, before the first write.`.trim();
		}
		return nodeError;
	};
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			payloads[itemIndex] = operation.prepare
				? await operation.prepare.call(this, itemIndex)
				: undefined;
			ready.push(itemIndex);
		} catch (error) {
			if (!continueOnFail) throw refusedBeforeWriting(error, itemIndex);
			outputs[itemIndex] = [errorItem(asNodeError(this, error, itemIndex), itemIndex)];
		}
	}

	const cancelSignal = this.getExecutionCancelSignal();
	if (operation.resolve) {
		const resolve = operation.resolve;
		const resolved = await mapWithConcurrency(
			ready,
			Math.max(1, concurrency),
			async (itemIndex) => {
				payloads[itemIndex] = await resolve.call(this, payloads[itemIndex], itemIndex);
			},
		);
		const stillReady: number[] = [];
		resolved.forEach((result, position) => {
			const itemIndex = ready[position];
			if (result.status === 'fulfilled') stillReady.push(itemIndex);
			else if (result.status === 'rejected') {
				if (!continueOnFail) throw refusedBeforeWriting(result.reason, itemIndex);
				outputs[itemIndex] = [errorItem(asNodeError(this, result.reason, itemIndex), itemIndex)];
			}
		});
		ready.splice(0, ready.length, ...stillReady);
	}
	let firstFailure: { itemIndex: number; error: NodeApiError | NodeOperationError } | undefined;
	const limit = operation.parallel === false ? 1 : Math.max(1, concurrency);
	let stopRequested = false;
	const settled = await mapWithConcurrency(
		ready,
		limit,
		async (
			itemIndex,
		): Promise<{ ok: true; value: OperationResult } | { ok: false; error: unknown }> => {
			try {
				return {
					ok: true,
					value: await operation.execute.call(this, payloads[itemIndex], itemIndex),
				};
			} catch (error) {
				if (!continueOnFail) stopRequested = true;
				return { ok: false, error };
			}
		},
		() => !cancelSignal?.aborted && !stopRequested,
	);

	settled.forEach((result, position) => {
		const itemIndex = ready[position];
		if (result.status !== 'fulfilled') return;
		if (result.value.ok) outputs[itemIndex] = toExecutionData(result.value.value, itemIndex);
		else {
			const nodeError = asNodeError(this, result.value.error, itemIndex);
			if (continueOnFail) outputs[itemIndex] = [errorItem(nodeError, itemIndex)];
			else if (!firstFailure || itemIndex < firstFailure.itemIndex)
				firstFailure = { itemIndex, error: nodeError };
		}
	});
	if (firstFailure) {
		const summary = createdSummary(outputs);
		if (summary)
			firstFailure.error.description = `${firstFailure.error.description ?? ''}${summary}`.trim();
		throw firstFailure.error;
	}
	if (cancelSignal?.aborted)
		throw new NodeOperationError(this.getNode(), 'The execution was cancelled');
	return [outputs.flatMap((output) => output ?? [])];
}

export type OperationRegistry = Record<string, Record<string, OperationModule>>;

/** The node-level router: picks resource and operation, then runs it over all items. */
export async function routeOperation(
	this: IExecuteFunctions,
	registry: OperationRegistry,
): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operationName = this.getNodeParameter('operation', 0) as string;
	const operation = registry[resource]?.[operationName];
	if (!operation) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operationName}" of "${resource}" is not supported`,
		);
	}
	return await runOperation.call(this, operation, readConcurrency(this));
}
