import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { formatCnpj } from '../../../../shared/validation/brazil';
import { ensureNodeError, apiRequest } from '../../../../shared/transport';
import { readNodeParameter } from '../../../../shared/execution/parameters';
import { readParameter, schemas } from '../../../../shared/validation/validate';

export const description: INodeProperties[] = [
	{
		displayName: 'CNPJ',
		name: 'cnpj',
		type: 'string',
		required: true,
		default: '',
		placeholder: '12.ABC.345/01DE-35',
		description:
			'The retail company’s CNPJ, masked or plain, numeric or alphanumeric. It is checked before the request is sent.',
		hint: 'Letters are allowed: CNPJs issued since July 2026 can be alphanumeric',
		displayOptions: { show: { resource: ['company'], operation: ['getByCnpj'] } },
	},
	{
		displayName: 'If Not Found',
		name: 'ifNotFound',
		type: 'options',
		options: [
			{ name: 'Error', value: 'error', description: 'Fail the item, naming the CNPJ' },
			{
				name: 'Return a Not-Found Item',
				value: 'emptyItem',
				description:
					'Output { cnpj, found: false } so the workflow can branch on "found" (e.g. look up, create if missing)',
			},
		],
		default: 'error',
		displayOptions: { show: { resource: ['company'], operation: ['getByCnpj'] } },
	},
];

interface RetailLookup extends IDataObject {
	registered_retail?: boolean;
}

export async function prepare(this: IExecuteFunctions, itemIndex: number) {
	return {
		cnpj: readParameter(this, itemIndex, 'cnpj', { label: 'CNPJ', apiField: 'cnpj' }, schemas.cnpj),
		ifNotFound: readNodeParameter(this, 'ifNotFound', itemIndex, 'error') as string,
	};
}

export async function execute(
	this: IExecuteFunctions,
	input: Awaited<ReturnType<typeof prepare>>,
	itemIndex: number,
) {
	try {
		const retail = (await apiRequest.call(this, {
			service: 'kapitale',
			method: 'GET',
			path: `/company/cnpj/${encodeURIComponent(input.cnpj)}`,
			itemIndex,
		})) as RetailLookup;
		const registered = retail.registered_retail === true;
		return {
			cnpj: input.cnpj,
			cnpjFormatted: formatCnpj(input.cnpj),
			found: true,
			...retail,
			source: registered ? 'kapitale' : 'bureau',
			needsChecking: !registered,
		};
	} catch (error) {
		if (error instanceof NodeApiError && error.httpCode === '404') {
			if (input.ifNotFound === 'emptyItem')
				return { cnpj: input.cnpj, cnpjFormatted: formatCnpj(input.cnpj), found: false };
			throw new NodeApiError(
				this.getNode(),
				{ message: 'not found', httpCode: '404' },
				{
					message: `No retail found for CNPJ ${formatCnpj(input.cnpj)}`,
					description:
						'Set "If Not Found" to "Return a Not-Found Item" to handle new retails in the workflow.',
					httpCode: '404',
					itemIndex,
				},
			);
		}
		throw ensureNodeError(this.getNode(), error, itemIndex);
	}
}
