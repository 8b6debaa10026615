/**
 * The two partner lists a polling trigger reads whole: operations (no total: the end is an empty
 * page) and customers (with a total). Both by offset with the large page and the learned cap of
 * fetchByOffset; the page size learned and the list's length at the last poll come back as hints,
 * so a poll of an unchanged list reads all its pages in one round.
 */
import type { IDataObject, IPollFunctions } from 'n8n-workflow';

import { apiRequest } from '../../shared/transport';
import { readByOffsetDetailed } from '../../shared/transport/pagination';
import type { ListRead } from '../../shared/polling/runPoll';
import { customerListParams } from './listSearch';
import { LARGE_PAGE_FALLBACK, LARGE_PAGE_SIZE } from './offsetList';

interface Hint {
	pageSize: number | null;
	count: number | null;
	concurrency: number;
}

async function readAll(
	hint: Hint,
	fetchSlice: (offset: number, size: number) => Promise<{ items: IDataObject[]; total?: number }>,
): Promise<ListRead> {
	const read = await readByOffsetDetailed<IDataObject>(fetchSlice, {
		startOffset: 0,
		pageSize: LARGE_PAGE_SIZE,
		concurrency: hint.concurrency,
		key: (record) => String(record.id),
		knownPageSize: hint.pageSize ?? undefined,
		expectedTotal: hint.count ?? undefined,
		pageSizeFallback: LARGE_PAGE_FALLBACK,
	});
	return { records: read.items, pageSize: read.pageSize };
}

/** `POST /partner-operation/all`, insertion order (oldest first). */
export async function readAllOperations(context: IPollFunctions, hint: Hint): Promise<ListRead> {
	return await readAll(hint, async (offset, size) => {
		const data = await apiRequest.call(context, {
			service: 'partner',
			method: 'POST',
			path: '/partner-operation/all',
			body: { limit: size, offset, filter: { customer: '' } },
			idempotent: true,
		});
		return { items: (Array.isArray(data) ? data : []) as IDataObject[] };
	});
}

/** `GET /partner-customer/all`, insertion order (oldest first), with a total. */
export async function readAllCustomers(context: IPollFunctions, hint: Hint): Promise<ListRead> {
	return await readAll(hint, async (offset, size) => {
		const data = (await apiRequest.call(context, {
			service: 'partner',
			method: 'GET',
			path: '/partner-customer/all',
			...customerListParams(size, offset, ''),
		})) as IDataObject;
		const total = Number(data?.total);
		return {
			items: (Array.isArray(data?.values) ? data.values : []) as IDataObject[],
			total: Number.isFinite(total) ? total : undefined,
		};
	});
}
