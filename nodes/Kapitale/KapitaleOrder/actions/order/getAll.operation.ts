import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { asciiUpperCase } from '../../../../shared/validation/brazil';
import { readNodeParameter } from '../../../../shared/execution/parameters';
import { readConcurrency } from '../../../../shared/execution/runOperation';
import { readLimit, returnAllOrLimit, simplifyField } from '../../../../shared/descriptions/common';
import { fetchPages, PagingMismatchError } from '../../../../shared/transport/pagination';
import { apiRequest } from '../../../../shared/transport';
import { fieldError } from '../../../../shared/validation/validate';
import { ORDER_STATUSES, simplifyOrder } from './common';

const show = { resource: ['order'], operation: ['getAll'] };

/** The API's largest page. */
export const MAX_PAGE_SIZE = 100;

export const description: INodeProperties[] = [
	...returnAllOrLimit(show, 1000),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add filter',
		default: {},
		displayOptions: { show },
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
	simplifyField(show, 'each order'),
	{
		displayName: 'Output',
		name: 'output',
		type: 'options',
		options: [
			{
				name: 'Orders',
				value: 'orders',
				description: 'One item per order; each carries pendingInvoices',
			},
			{
				name: 'Summary Only',
				value: 'summary',
				description:
					'One item with the number of matching orders and of orders waiting for an invoice',
			},
		],
		default: 'orders',
		displayOptions: { show },
	},
];

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
		const bare = asciiUpperCase(cnpjText.replace(/[.\-/\s]/g, ''));
		if (!/^[0-9A-Z]{1,14}$/.test(bare)) {
			throw fieldError(
				this.getNode(),
				itemIndex,
				{ label: 'Retail CNPJ', apiField: 'retail_cnpj' },
				`"${cnpjText}" is not (part of) a CNPJ: use up to 14 letters or digits`,
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
	const { items, first } = await fetchPages(readPage, {
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
	// pendingInvoices is the API's count of the industry's orders waiting for an invoice; it is not an order:
	// it is copied onto every order so that it survives Simplify and reaches a spreadsheet row.
	const pendingInvoices = (first as OrderPage).pendingInvoices ?? null;
	return items.map((order) => ({
		...(input.simplify ? simplifyOrder(order) : order),
		pendingInvoices,
	}));
}
