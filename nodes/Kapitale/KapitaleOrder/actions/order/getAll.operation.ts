import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { asciiUpperCase } from '../../../../shared/validation/brazil';
import { readNodeParameter } from '../../../../shared/execution/parameters';
import { readConcurrency } from '../../../../shared/execution/runOperation';
import { readLimit, returnAllOrLimit, simplifyField } from '../../../../shared/descriptions/common';
import { fetchPages, PagingMismatchError } from '../../../../shared/transport/pagination';
import { apiRequest } from '../../../../shared/transport';
import { fieldError } from '../../../../shared/validation/validate';
import { ORDER_STATUSES, simplifyOrder } from './common';

/** The API's largest page. */
export const MAX_PAGE_SIZE = 100;

const properties: INodeProperties[] = [
	...returnAllOrLimit(1000),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add filter',
		default: {},
		options: [
			{
				displayName: 'Order Status',
				name: 'status',
				type: 'multiOptions',
				options: ORDER_STATUSES.map(({ name, value, description }) => ({
					name,
					value,
					description,
				})),
				default: [],
				description: 'Only orders in one of these statuses. Empty means every status.',
			},
			{
				displayName: 'Retail CNPJ',
				name: 'retailCnpj',
				type: 'string',
				default: '',
				placeholder: 'e.g. 11222333 or 11.222.333/0001-81',
				description:
					'Only orders of retails whose CNPJ contains this text (mask characters are ignored)',
			},
		],
	},
	simplifyField('each order'),
	{
		displayName: 'Output',
		name: 'output',
		type: 'options',
		options: [
			{
				name: 'Orders',
				value: 'orders',
				description: 'One item per order',
			},
			{
				name: 'Summary Only',
				value: 'summary',
				description:
					'One item with the number of matching orders and of all your orders awaiting an invoice',
			},
		],
		default: 'orders',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['order'], operation: ['getAll'] } },
	properties,
);

/** A masked CNPJ; a filter is a part of it: mask characters only where the mask has them. */
const CNPJ_MASK = '##.###.###/####-##';

/**
 * True when the text is (part of) a CNPJ, bare or masked. Mask characters are ignored only in
 * their places: `a/../../admin` is not a CNPJ, and is refused rather than sent as `AADMIN`.
 */
function isCnpjShape(text: string): boolean {
	const shape = text.replace(/[0-9A-Za-z]/g, '#');
	return /^#{1,14}$/.test(shape) || CNPJ_MASK.includes(shape);
}

export interface GetAllPayload {
	qs: IDataObject;
	limit?: number;
	simplify: boolean;
	summary: boolean;
}

export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<GetAllPayload> {
	const filters = readNodeParameter(this, 'filters', itemIndex, {}) as IDataObject;
	const qs: IDataObject = {};
	// A list from the UI, or "pending,approved" from an expression or an AI agent.
	const statuses = (
		Array.isArray(filters.status) ? filters.status : String(filters.status ?? '').split(',')
	)
		.map((status) => String(status).trim())
		.filter(Boolean);
	const known = new Set<string>(ORDER_STATUSES.map((status) => status.value));
	const unknown = statuses.find((status) => !known.has(status));
	if (unknown !== undefined) {
		throw fieldError(
			this.getNode(),
			itemIndex,
			{ label: 'Order Status', apiField: 'status' },
			`"${unknown}" is not a status: use ${[...known].join(', ')}`,
		);
	}
	if (statuses.length) qs.status = statuses.join(',');
	const cnpjText = String(filters.retailCnpj ?? '').trim();
	if (cnpjText) {
		const bare = asciiUpperCase(cnpjText.replace(/[.\-/]/g, ''));
		if (!/^[0-9A-Z]{1,14}$/.test(bare) || !isCnpjShape(cnpjText)) {
			throw fieldError(
				this.getNode(),
				itemIndex,
				{ label: 'Retail CNPJ', apiField: 'retail_cnpj' },
				`"${cnpjText}" is not (part of) a CNPJ: use up to 14 letters or digits, with . / - only where a CNPJ has them (e.g. 11.222.333 or 0001-81)`,
			);
		}
		qs.retail_cnpj = bare;
	}
	const output = readNodeParameter(this, 'output', itemIndex, 'orders') as string;
	return {
		qs,
		limit: readLimit(this, itemIndex),
		simplify: readNodeParameter(this, 'simplify', itemIndex, true) as boolean,
		summary: output === 'summary',
	};
}

interface OrderPage extends IDataObject {
	data?: IDataObject[];
	page?: number;
	totalPages?: number;
	count?: number;
	pendingInvoices?: number;
}

export async function execute(this: IExecuteFunctions, input: GetAllPayload, itemIndex: number) {
	const readPage = async (page: number, pageSize: number) => {
		const body = (await apiRequest.call(this, {
			service: 'kapitale',
			method: 'GET',
			path: '/order',
			qs: { ...input.qs, page, limit: pageSize },
			itemIndex,
		})) as OrderPage;
		const count = Number(body.count);
		return {
			items: Array.isArray(body.data) ? body.data : [],
			totalPages: Number(body.totalPages ?? 1) || 0,
			count: body.count !== undefined && Number.isFinite(count) ? count : undefined,
			raw: body,
		};
	};

	if (input.summary) {
		const { raw } = await readPage(1, 1);
		return {
			count: raw.count ?? null,
			pendingInvoices: raw.pendingInvoices ?? null,
			statusFilter: (input.qs.status as string | undefined) ?? null,
			retailCnpjFilter: (input.qs.retail_cnpj as string | undefined) ?? null,
		};
	}

	const concurrency = readConcurrency(this);
	const pageSize =
		input.limit === undefined ? MAX_PAGE_SIZE : Math.min(MAX_PAGE_SIZE, Math.max(1, input.limit));
	const { items } = await fetchPages(readPage, {
		pageSize,
		limit: input.limit,
		concurrency,
		key: (order) => String(order.id),
	}).catch((error: unknown) => {
		if (error instanceof PagingMismatchError)
			throw new NodeOperationError(this.getNode(), error.message, {
				itemIndex,
				description: error.description,
			});
		throw error;
	});
	// The page's pendingInvoices counts all of the industry's orders awaiting an invoice, not this
	// order's: on an order row it reads as a per-order figure, so it stays in Summary Only.
	return items.map((order) => (input.simplify ? simplifyOrder(order) : order));
}
