import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readRequiredId } from '../../../shared/descriptions';
import { apiRequest } from '../../../../shared/transport';
import { OPERATION_FIELD, operationIdLocator } from './locator';

const show = { resource: ['operation'], operation: ['getStatus'] };

export const description: INodeProperties[] = [operationIdLocator(show)];

export async function prepare(this: IExecuteFunctions, itemIndex: number) {
	return { operationId: readRequiredId(this, itemIndex, 'operationId', OPERATION_FIELD) };
}

export async function execute(
	this: IExecuteFunctions,
	input: Awaited<ReturnType<typeof prepare>>,
	itemIndex: number,
) {
	const data = (await apiRequest.call(this, {
		service: 'partner',
		method: 'GET',
		path: `/operation/status/${encodeURIComponent(input.operationId)}`,
		itemIndex,
	})) as IDataObject;
	return {
		operationId: input.operationId,
		status: data?.status ?? null,
		statusSlug: data?.slug ?? null,
	};
}
