import type { IDataObject } from 'n8n-workflow';

import { mapWithConcurrency } from './concurrency';

export interface PageResult<T> {
	items: T[];
	totalPages: number;
	raw: IDataObject;
}

/**
 * Page-numbered Return All: reads page 1 to learn `totalPages`, then the remaining pages with
 * bounded concurrency, and returns the items in page order. With a limit, only the pages that
 * can contribute are read.
 */
export async function fetchPages<T>(
	fetchPage: (page: number, pageSize: number) => Promise<PageResult<T>>,
	options: { pageSize: number; limit?: number; concurrency: number; dedupeKey?: (item: T) => string },
): Promise<{ items: T[]; first: IDataObject; pagesRead: number }> {
	const first = await fetchPage(1, options.pageSize);
	const wantedPages = options.limit === undefined ? first.totalPages : Math.ceil(options.limit / options.pageSize);
	const lastPage = Math.min(first.totalPages, Math.max(1, wantedPages));
	const rest = Array.from({ length: Math.max(0, lastPage - 1) }, (_, index) => index + 2);
	const settled = await mapWithConcurrency(rest, options.concurrency, async (page) => await fetchPage(page, options.pageSize));
	const pages: T[][] = [first.items];
	for (const result of settled) {
		if (result.status === 'rejected') throw result.reason;
		if (result.status === 'fulfilled') pages.push(result.value.items);
	}
	let items = pages.flat();
	if (options.dedupeKey) {
		// Orders created while paging shift later pages by one: drop repeats rather than emit them twice.
		const seen = new Set<string>();
		items = items.filter((item) => {
			const key = options.dedupeKey!(item);
			if (seen.has(key)) return false;
			seen.add(key);
			return true;
		});
	}
	if (options.limit !== undefined) items = items.slice(0, options.limit);
	return { items, first: first.raw, pagesRead: 1 + rest.length };
}

/**
 * Offset-based Return All for APIs that give no total: reads `pageSize` records at a time until a
 * short page. `concurrency` pages are requested ahead at once; the first short page ends it.
 */
export async function fetchByOffset<T>(
	fetchSlice: (offset: number, pageSize: number) => Promise<{ items: T[]; total?: number }>,
	options: { pageSize: number; limit?: number; concurrency: number; isCancelled?: () => boolean },
): Promise<T[]> {
	const collected: T[] = [];
	let offset = 0;
	let total: number | undefined;
	for (;;) {
		if (options.isCancelled?.()) throw new Error('The execution was cancelled');
		const remaining = options.limit === undefined ? Infinity : options.limit - collected.length;
		if (remaining <= 0) break;
		const knownRemaining = total === undefined ? Infinity : total - offset;
		if (knownRemaining <= 0) break;
		const slices = Math.max(1, Math.min(options.concurrency, Math.ceil(Math.min(remaining, knownRemaining) / options.pageSize)));
		const offsets = Array.from({ length: total === undefined && collected.length === 0 ? 1 : slices }, (_, index) => offset + index * options.pageSize);
		const settled = await mapWithConcurrency(offsets, offsets.length, async (start) => await fetchSlice(start, options.pageSize));
		let short = false;
		for (const result of settled) {
			if (result.status === 'rejected') throw result.reason;
			if (result.status !== 'fulfilled' || short) continue;
			if (result.value.total !== undefined) total = result.value.total;
			collected.push(...result.value.items);
			if (result.value.items.length < options.pageSize) short = true;
		}
		offset += offsets.length * options.pageSize;
		if (short) break;
	}
	return options.limit === undefined ? collected : collected.slice(0, options.limit);
}
