import type { IDataObject } from 'n8n-workflow';

import { mapWithConcurrency } from '../execution/concurrency';

/**
 * The API answered pages that cannot be the list it announced (records repeat, or the count
 * cannot reach its own total): it ignored the page size or the offset. Callers turn this into a
 * node error; a partial list is never returned as if it were complete.
 */
export class PagingMismatchError extends Error {
	constructor(
		message: string,
		readonly description: string,
	) {
		super(message);
	}
}

const PAGING_HINT =
	'The API seems to ignore the page size or offset that were sent, so the full list cannot be read reliably. Nothing was output; try a smaller Limit or contact the API vendor.';

export interface PageResult<T> {
	items: T[];
	totalPages: number;
	/** Records matching the filter, when the API says. */
	count?: number;
	raw: IDataObject;
}

/**
 * Page-numbered Return All: reads page 1 to learn `totalPages` and the page size the API really
 * used, then the remaining pages with bounded concurrency, in page order. The records received
 * must reach the API's own count (or the Limit); a page that only repeats records already read
 * means the API ignored `page`.
 */
export async function fetchPages<T>(
	fetchPage: (page: number, pageSize: number) => Promise<PageResult<T>>,
	options: { pageSize: number; limit?: number; concurrency: number; key: (item: T) => string },
): Promise<{ items: T[]; first: IDataObject; pagesRead: number }> {
	const first = await fetchPage(1, options.pageSize);
	const usedSize = Math.max(1, first.items.length);
	const wantedPages =
		options.limit === undefined ? first.totalPages : Math.ceil(options.limit / usedSize);
	const lastPage = Math.min(first.totalPages, Math.max(1, wantedPages));
	const rest = Array.from({ length: Math.max(0, lastPage - 1) }, (_, index) => index + 2);
	const settled = await mapWithConcurrency(
		rest,
		options.concurrency,
		async (page) => await fetchPage(page, options.pageSize),
	);
	const seen = new Set<string>();
	const items: T[] = [];
	const take = (page: T[], pageNumber: number) => {
		let fresh = 0;
		for (const item of page) {
			const key = options.key(item);
			if (seen.has(key)) continue;
			seen.add(key);
			items.push(item);
			fresh++;
		}
		// One or two repeats happen when records are created while paging; a page of only repeats does not.
		if (page.length > 0 && fresh === 0) {
			throw new PagingMismatchError(
				`Page ${pageNumber} of the list repeated records already read`,
				PAGING_HINT,
			);
		}
	};
	take(first.items, 1);
	settled.forEach((result, index) => {
		if (result.status === 'rejected') throw result.reason;
		if (result.status === 'fulfilled') take(result.value.items, index + 2);
	});
	const expected = Math.min(options.limit ?? Infinity, first.count ?? Infinity);
	// A record or two may move between pages while they are read; a whole page missing may not.
	if (Number.isFinite(expected) && items.length < expected - Math.min(2, usedSize - 1)) {
		throw new PagingMismatchError(
			`The list stopped at ${items.length} of ${expected} records`,
			PAGING_HINT,
		);
	}
	return {
		items: options.limit === undefined ? items : items.slice(0, options.limit),
		first: first.raw,
		pagesRead: 1 + rest.length,
	};
}

export interface Slice<T> {
	items: T[];
	/** Records from offset 0 that match the filter, when the API says. */
	total?: number;
}

/**
 * Offset Return All. The next offset is the previous one plus the records actually received, so a
 * server that caps the page size is still read completely. The end is `total` when the API gives
 * one, otherwise an empty page – never "a short page". Pages are requested 1, 2, 4, … up to
 * `concurrency` at a time while the API fills them; a page with records already read, or an
 * early empty page, is an error.
 */
export async function fetchByOffset<T>(
	fetchSlice: (offset: number, pageSize: number) => Promise<Slice<T>>,
	options: {
		startOffset: number;
		pageSize: number;
		limit?: number;
		concurrency: number;
		key: (item: T) => string;
		isCancelled?: () => boolean;
	},
): Promise<T[]> {
	const collected: T[] = [];
	const seen = new Set<string>();
	let offset = options.startOffset;
	let total: number | undefined;
	let parallel = 1;
	for (;;) {
		if (options.isCancelled?.()) throw new Error('The execution was cancelled');
		const wanted =
			Math.min(
				options.limit ?? Infinity,
				total === undefined ? Infinity : Math.max(0, total - options.startOffset),
			) - collected.length;
		if (wanted <= 0) break;
		const pages = Math.max(1, Math.min(parallel, Math.ceil(wanted / options.pageSize)));
		const offsets = Array.from({ length: pages }, (_, index) => offset + index * options.pageSize);
		const settled = await mapWithConcurrency(
			offsets,
			pages,
			async (start) => await fetchSlice(start, options.pageSize),
		);
		let ended = false;
		for (let index = 0; index < settled.length; index++) {
			const result = settled[index];
			if (result.status === 'rejected') throw result.reason;
			if (result.status !== 'fulfilled') break;
			const slice = result.value;
			if (slice.total !== undefined) total = slice.total;
			for (const item of slice.items) {
				const key = options.key(item);
				if (seen.has(key)) {
					throw new PagingMismatchError(
						`The records from offset ${offsets[index]} repeat records already read`,
						PAGING_HINT,
					);
				}
				seen.add(key);
				collected.push(item);
			}
			offset = offsets[index] + slice.items.length;
			if (slice.items.length === 0) {
				ended = true;
				const reachable =
					total === undefined ? undefined : Math.max(0, total - options.startOffset);
				if (
					reachable !== undefined &&
					collected.length < Math.min(reachable, options.limit ?? Infinity)
				) {
					throw new PagingMismatchError(
						`The list stopped at ${collected.length} of ${reachable} records`,
						PAGING_HINT,
					);
				}
				break;
			}
			// A short page is not the end: the later pages of this round started at the wrong offset.
			if (slice.items.length < options.pageSize) break;
		}
		if (ended) break;
		// Doubling: a long list soon reads `concurrency` pages at once; a short one of unknown
		// length asks for few pages past its end.
		const full = settled.every(
			(result) => result.status === 'fulfilled' && result.value.items.length === options.pageSize,
		);
		parallel = full ? Math.min(options.concurrency, parallel * 2) : 1;
	}
	if (total !== undefined && collected.length > Math.max(0, total - options.startOffset)) {
		throw new PagingMismatchError(
			`The list returned ${collected.length} records but says it has ${total - options.startOffset}`,
			PAGING_HINT,
		);
	}
	return options.limit === undefined ? collected : collected.slice(0, options.limit);
}
