import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { simplifyField } from '../../../../shared/descriptions/common';
import { readRequiredId } from '../../../shared/descriptions';
import { simplifyOperationDetails } from '../../../shared/simplify';
import { readNodeParameter } from '../../../../shared/execution/parameters';
import { apiRequest } from '../../../../shared/transport';
import { OPERATION_FIELD, operationIdLocator } from './locator';

const show = { resource: ['operation'], operation: ['getDetails'] };

export const description: INodeProperties[] = [
	operationIdLocator(show),
	simplifyField(
		show,
		'the details (English field names, one row, documents as true/false columns)',
	),
];

export async function prepare(this: IExecuteFunctions, itemIndex: number) {
	return {
		operationId: readRequiredId(this, itemIndex, 'operationId', OPERATION_FIELD),
		simplify: readNodeParameter(this, 'simplify', itemIndex, true) as boolean,
	};
}

export async function execute(
	this: IExecuteFunctions,
	input: Awaited<ReturnType<typeof prepare>>,
	itemIndex: number,
) {
	const data = (await apiRequest.call(this, {
		service: 'partner',
		method: 'GET',
		path: `/operation/details/${encodeURIComponent(input.operationId)}`,
		itemIndex,
	})) as IDataObject;
	return input.simplify
		? simplifyOperationDetails(input.operationId, data ?? {})
		: { id: input.operationId, ...(data ?? {}) };
}
