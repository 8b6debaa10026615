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

/**
 * The most records one Return All reads from a page-numbered list. The numbers an API announces
 * (`totalPages`, `count`) are claims: a read is bounded by them, and they by this cap, so no
 * answer can make a run read (or hold) without end. Documented in docs/limits.md.
 */
export const MAX_RETURN_ALL_RECORDS = 100_000;

const CAP_HINT = `Return All reads at most ${MAX_RETURN_ALL_RECORDS.toLocaleString('en-US')} records. Narrow the list with filters or set a Limit. Nothing was output.`;

export interface PageResult<T> {
	items: T[];
	totalPages: number;
	/** Records matching the filter, when the API says. */
	count?: number;
	raw: IDataObject;
}

function plural(n: number, word: string): string {
	return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * Page-numbered Return All. Page 1 tells the page size the API really used and what it claims
 * (`totalPages`, `count`); the claims only bound the read, nothing is sized from them. The
 * following pages are read in order, 1, 2, 4, … up to `concurrency` at a time, and every page is
 * checked as it arrives: a page of only repeats, an empty page before the announced end, or
 * more records than the cap end the read at once. The records received must reach the API's own
 * count (or the Limit); a partial list is never returned as if it were complete.
 */
export async function fetchPages<T>(
	fetchPage: (page: number, pageSize: number) => Promise<PageResult<T>>,
	options: {
		pageSize: number;
		limit?: number;
		concurrency: number;
		key: (item: T) => string;
		maxRecords?: number;
	},
): Promise<{ items: T[]; first: IDataObject; pagesRead: number }> {
	const maxRecords = options.maxRecords ?? MAX_RETURN_ALL_RECORDS;
	const first = await fetchPage(1, options.pageSize);
	const perPage = first.items.length;
	const totalPages =
		Number.isFinite(first.totalPages) && first.totalPages > 0 ? Math.floor(first.totalPages) : 1;
	const count =
		first.count !== undefined && Number.isFinite(first.count) && first.count >= 0
			? Math.floor(first.count)
			: undefined;
	const claim = count !== undefined ? plural(count, 'record') : `${plural(totalPages, 'page')}`;

	if (perPage === 0) {
		if (totalPages > 1 || (count ?? 0) > 0)
			throw new PagingMismatchError(
				`The API announced ${claim} but its first page is empty`,
				PAGING_HINT,
			);
		return { items: [], first: first.raw, pagesRead: 1 };
	}

	// What the API claims, bounded by what the user asked for and by the cap.
	const claimedRecords = count ?? totalPages * perPage;
	if (options.limit === undefined && claimedRecords > maxRecords) {
		throw new PagingMismatchError(
			`The API announced ${claim}${count === undefined ? ` of up to ${perPage} records` : ''}, more than Return All reads`,
			CAP_HINT,
		);
	}
	const wanted = Math.min(options.limit ?? maxRecords, claimedRecords);
	const lastPage = Math.min(totalPages, Math.max(1, Math.ceil(wanted / perPage)));

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

	let next = 2;
	let window = 1;
	let pagesRead = 1;
	let emptyPage: number | undefined;
	while (next <= lastPage && emptyPage === undefined && items.length < wanted) {
		const wave: number[] = [];
		for (let page = next; page <= lastPage && wave.length < window; page++) wave.push(page);
		const settled = await mapWithConcurrency(
			wave,
			wave.length,
			async (page) => await fetchPage(page, options.pageSize),
		);
		pagesRead += wave.length;
		for (let index = 0; index < settled.length; index++) {
			const result = settled[index];
			if (result.status === 'rejected') throw result.reason;
			if (result.status !== 'fulfilled') continue;
			if (result.value.items.length === 0) {
				// The list ended before the page count it announced: stop, then judge by the count.
				emptyPage = wave[index];
				break;
			}
			take(result.value.items, wave[index]);
			if (items.length > maxRecords && options.limit === undefined)
				throw new PagingMismatchError(
					`The list went on past ${plural(maxRecords, 'record')} (page ${wave[index]})`,
					CAP_HINT,
				);
		}
		next += wave.length;
		window = Math.min(Math.max(1, options.concurrency), window * 2);
	}

	if (emptyPage !== undefined && count === undefined && items.length < wanted) {
		throw new PagingMismatchError(
			`Page ${emptyPage} of the ${plural(totalPages, 'page')} the API announced is empty (after ${plural(items.length, 'record')})`,
			PAGING_HINT,
		);
	}
	const expected = Math.min(options.limit ?? Infinity, count ?? Infinity);
	// A record or two may move between pages while they are read; a whole page missing may not.
	if (Number.isFinite(expected) && items.length < expected - Math.min(2, perPage - 1)) {
		throw new PagingMismatchError(
			`The list stopped at ${items.length} of ${expected} records`,
			PAGING_HINT,
		);
	}
	return {
		items: options.limit === undefined ? items : items.slice(0, options.limit),
		first: first.raw,
		pagesRead,
	};
}

export interface Slice<T> {
	items: T[];
	/** Records from offset 0 that match the filter, when the API says. */
	total?: number;
}

export interface OffsetReadOptions<T> {
	startOffset: number;
	/** The page asked for: the largest the caller hopes the server honours. */
	pageSize: number;
	limit?: number;
	concurrency: number;
	key: (item: T) => string;
	isCancelled?: () => boolean;
	/**
	 * A page size this server was already seen to honour (a poll keeps it between runs). The first
	 * round then reads in parallel at once instead of learning it again from one page.
	 */
	knownPageSize?: number;
	/** Records the list had last time (a poll's previous count): how many pages the first round reads. */
	expectedTotal?: number;
	/**
	 * When a server refuses the page size asked for (`refuses`, for example a 400 "limit
	 * inválido") the read goes on with the next smaller of `sizes` (largest first): the API
	 * documents no maximum, so a large page is a guess that a stricter server may reject rather
	 * than cap.
	 */
	pageSizeFallback?: { sizes: readonly number[]; refuses: (error: unknown) => boolean };
}

export interface OffsetReadResult<T> {
	items: T[];
	/** The page size the server honoured (the asked size, or its cap once learned). */
	pageSize: number;
	requests: number;
}

/** The next fallback size below the refused one, when the refusal is about the page size. */
function smallerPageSize<T>(
	options: OffsetReadOptions<T>,
	asked: number,
	error: unknown,
): number | undefined {
	const fallback = options.pageSizeFallback;
	if (!fallback?.refuses(error)) return undefined;
	return fallback.sizes.find((size) => size < asked);
}

/**
 * Offset Return All. The next offset is always the previous one plus the records actually
 * received, so no record is skipped whatever the server does with the page size.
 *
 * The page size is learned safely: a large page is asked for; a page that comes back shorter is
 * either the end of the list or the server's cap, and which one is found out before any page
 * beyond it is trusted: by `total` when the API gives one, otherwise by the next page (empty: the
 * end; the same short length again: the cap, which becomes the page size). Until the size is known
 * one page is read at a time; once it is, the window grows 1, 4, 16, … up to `concurrency` pages
 * while they come back full. A page of records already read, or an empty page before the API's
 * total, is an error: a partial list is never returned as if it were complete.
 */
export async function fetchByOffset<T>(
	fetchSlice: (offset: number, pageSize: number) => Promise<Slice<T>>,
	options: OffsetReadOptions<T>,
): Promise<T[]> {
	return (await readByOffsetDetailed(fetchSlice, options)).items;
}

export async function readByOffsetDetailed<T>(
	fetchSlice: (offset: number, pageSize: number) => Promise<Slice<T>>,
	options: OffsetReadOptions<T>,
): Promise<OffsetReadResult<T>> {
	const collected: T[] = [];
	const seen = new Set<string>();
	let offset = options.startOffset;
	let total: number | undefined;
	// The page size pages are laid out by; "confirmed" once a page of that size came back full.
	let stride = Math.max(1, options.knownPageSize ?? options.pageSize);
	let confirmed = options.knownPageSize !== undefined;
	let lastShort: number | undefined;
	let requests = 0;
	// A poll knows the list's length last time: the first round reads its pages and, at that very
	// offset, the page that proves the end, so an unchanged list takes one round trip.
	let endHint =
		confirmed && options.expectedTotal !== undefined && options.expectedTotal > offset
			? options.expectedTotal
			: undefined;
	let parallel = endHint !== undefined ? Math.max(1, Math.ceil((endHint - offset) / stride)) : 1;
	for (;;) {
		if (options.isCancelled?.()) throw new Error('The execution was cancelled');
		const wanted =
			Math.min(
				options.limit ?? Infinity,
				total === undefined ? Infinity : Math.max(0, total - options.startOffset),
			) - collected.length;
		if (wanted <= 0) break;
		const pages = confirmed ? Math.max(1, Math.min(parallel, Math.ceil(wanted / stride))) : 1;
		const offsets = Array.from({ length: pages }, (_, index) => offset + index * stride);
		if (endHint !== undefined && options.limit === undefined && !offsets.includes(endHint))
			offsets.push(endHint);
		endHint = undefined;
		// A Limit below one page asks for only what it needs.
		const ask = Math.min(stride, Number.isFinite(wanted) ? wanted : stride);
		const asks = offsets.map(() => (offsets.length === 1 ? ask : stride));
		requests += offsets.length;
		const settled = await mapWithConcurrency(
			offsets,
			options.concurrency,
			async (start, position) => await fetchSlice(start, asks[position]),
		);
		let ended = false;
		let full = true;
		for (let index = 0; index < settled.length; index++) {
			const result = settled[index];
			if (result.status === 'rejected') {
				const smaller = smallerPageSize(options, asks[index], result.reason);
				if (smaller === undefined) throw result.reason;
				// Read again from this page's offset with the smaller size, learnt as before: one
				// page at a time until that size is confirmed.
				stride = smaller;
				confirmed = false;
				lastShort = undefined;
				full = false;
				break;
			}
			if (result.status !== 'fulfilled') break;
			const slice = result.value;
			const asked = asks[index];
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
			const received = slice.items.length;
			offset = offsets[index] + received;
			if (received === 0) {
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
			// The next page of the round is usable only if it starts where this one ended.
			const last = index === settled.length - 1;
			const contiguous = offsets[index + 1] === offset;
			if (received >= asked) {
				if (asked === stride) {
					confirmed = true;
					lastShort = undefined;
				}
				if (contiguous || last) continue;
				full = false;
				break;
			}
			// Shorter than asked: the end of the list, or the server's cap. Later pages of this round
			// were laid out by the wrong size, so they are dropped and read again from `offset`.
			full = false;
			if (total !== undefined && offset < total) {
				// The API says there is more: this was its cap.
				stride = received;
				confirmed = true;
			} else if (total === undefined && lastShort === received) {
				// The same short length twice in a row, and the list went on: the cap.
				stride = received;
				confirmed = true;
				lastShort = undefined;
			} else {
				lastShort = received;
				confirmed = false;
			}
			// A page at exactly the next offset (the poll's end page) still answers "end or more".
			if (contiguous) continue;
			break;
		}
		if (ended) break;
		// Growing ×4: 10,000 records at 500 a page take 1 + 4 + 16 pages (three round trips);
		// a short list of unknown length asks for few pages past its end.
		parallel = full ? Math.min(options.concurrency, Math.max(parallel, 1) * 4) : 1;
		if (!full && confirmed) parallel = 4;
	}
	if (total !== undefined && collected.length > Math.max(0, total - options.startOffset)) {
		throw new PagingMismatchError(
			`The list returned ${collected.length} records but says it has ${total - options.startOffset}`,
			PAGING_HINT,
		);
	}
	return {
		items: options.limit === undefined ? collected : collected.slice(0, options.limit),
		pageSize: stride,
		requests,
	};
}
