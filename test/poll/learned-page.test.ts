/**
 * Partner Operation › Get Many (and the polling triggers, which read the same way) against a
 * server that silently caps the page below what was asked: every record once, in order, the cap
 * learned from the first short page before any later offset is trusted, then pages in parallel.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { Engine } from '../harness/engine';
import { PolledTrigger } from './harness';

const RECORDS = Array.from({ length: 730 }, (_, index) => ({
	id: `op${String(index).padStart(4, '0')}`,
	status_slug: 'em-analise',
	created_at: 1760000000 + index,
}));

interface Seen {
	offset: number;
	limit: number;
	at: number;
	done?: number;
}

interface ServerRules {
	/** Pages are cut to this size silently. */
	cap?: number;
	/** A `limit` above this is refused with a 400, as a strict server might. */
	refuseAbove?: number;
	records?: typeof RECORDS;
}

async function cappingServer(
	capOrRules: number | ServerRules,
): Promise<{ server: Server; url: string; seen: Seen[] }> {
	const rules = typeof capOrRules === 'number' ? { cap: capOrRules } : capOrRules;
	const records = rules.records ?? RECORDS;
	const cap = rules.cap ?? Infinity;
	const seen: Seen[] = [];
	const server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const body = JSON.parse(Buffer.concat(chunks).toString() || '{}') as {
				limit: number;
				offset: number;
			};
			const entry: Seen = { offset: body.offset, limit: body.limit, at: Date.now() };
			seen.push(entry);
			// 30 ms per page, so that pages read together overlap.
			setTimeout(() => {
				entry.done = Date.now();
				res.setHeader('content-type', 'application/json');
				if (rules.refuseAbove !== undefined && body.limit > rules.refuseAbove) {
					res.statusCode = 400;
					res.end(
						JSON.stringify({
							success: false,
							message: { limit: [`O campo limit não pode ser superior a ${rules.refuseAbove}.`] },
						}),
					);
					return;
				}
				res.end(
					JSON.stringify({
						success: true,
						data: records.slice(body.offset, body.offset + Math.min(body.limit, cap)),
					}),
				);
			}, 30);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const engineFor = (url: string) =>
	new Engine({
		credentials: {
			kapitale: {
				authentication: 'bearerToken',
				environment: 'custom',
				bearerToken: 'token',
				partnerBaseUrl: url,
				kapitaleBaseUrl: url,
				partnerHashId: 'partner',
				userHashId: 'user',
			},
		},
	});

describe('a server that caps the page at 100 (asked 500), with no total', () => {
	let fake: Awaited<ReturnType<typeof cappingServer>>;
	beforeAll(async () => {
		fake = await cappingServer(100);
	});
	afterAll(() => fake.server.close());

	it('Get Many › Return All reads every record once, in order, and learns the cap before reading ahead', async () => {
		const result = await engineFor(fake.url).runNode({
			type: 'partnerOperation',
			parameters: {
				resource: 'operation',
				operation: 'getMany',
				returnAll: true,
				simplify: false,
			},
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.id)).toEqual(RECORDS.map((record) => record.id));
		// The first two pages one after the other (500 asked, 100 received twice: the cap), at
		// offsets that follow what was received; no offset was ever skipped.
		expect(fake.seen.slice(0, 2).map((s) => [s.offset, s.limit])).toEqual([
			[0, 500],
			[100, 500],
		]);
		expect(fake.seen[1].at).toBeGreaterThanOrEqual(fake.seen[0].done!);
		// Then pages of the learned size, several at once.
		const later = fake.seen.slice(2);
		expect(later.every((s) => s.limit === 100)).toBe(true);
		const offsets = new Set(fake.seen.map((s) => s.offset));
		for (let offset = 0; offset < RECORDS.length; offset += 100) expect(offsets).toContain(offset);
		expect(later.some((s) => later.some((o) => o !== s && o.at < s.done! && s.at < o.done!))).toBe(
			true,
		);
		// 730 records: 2 learning pages, 4, then 16 (2 useful), then the empty page at 730.
		expect(fake.seen.length).toBeLessThanOrEqual(2 + 4 + 16 + 1);
	});

	it('Limit 250 stops at 250 records', async () => {
		fake.seen.length = 0;
		const result = await engineFor(fake.url).runNode({
			type: 'partnerOperation',
			parameters: { resource: 'operation', operation: 'getMany', returnAll: false, limit: 250 },
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.id)).toEqual(
			RECORDS.slice(0, 250).map((record) => record.id),
		);
	});
});

/** The most requests that were in flight at the same moment. */
function peakInFlight(seen: Seen[]): number {
	return Math.max(...seen.map((s) => seen.filter((o) => o.at <= s.at && s.at < o.done!).length));
}

describe('a server that honours pages of 500 (10,000 records, no total)', () => {
	const MANY = Array.from({ length: 10_000 }, (_, index) => ({
		id: `op${String(index).padStart(5, '0')}`,
		status_slug: 'em-analise',
		created_at: 1760000000 + index,
	}));
	let fake: Awaited<ReturnType<typeof cappingServer>>;
	beforeAll(async () => {
		fake = await cappingServer({ records: MANY });
	});
	afterAll(() => fake.server.close());

	it('Return All reads 1, then 4, then 16 pages at once: 21 requests, the last one proving the end', async () => {
		const result = await engineFor(fake.url).runNode({
			type: 'partnerOperation',
			parameters: { resource: 'operation', operation: 'getMany', returnAll: true, simplify: false },
		});
		expect(result.error).toBeUndefined();
		expect(result.items.length).toBe(10_000);
		expect(new Set(result.items.map((item) => item.json.id)).size).toBe(10_000);
		expect(fake.seen.length).toBe(21);
		expect(fake.seen.every((s) => s.limit === 500)).toBe(true);
		// The window grows past 4 once every page of a round came back full.
		expect(peakInFlight(fake.seen)).toBe(16);
	});
});

describe('a server that refuses a limit above 100 with a 400', () => {
	let fake: Awaited<ReturnType<typeof cappingServer>>;
	beforeAll(async () => {
		fake = await cappingServer({ refuseAbove: 100 });
	});
	afterAll(() => fake.server.close());
	beforeEach(() => {
		fake.seen.length = 0;
	});

	it('Get Many › Return All falls back to pages of 100 and reads every record once', async () => {
		const result = await engineFor(fake.url).runNode({
			type: 'partnerOperation',
			parameters: { resource: 'operation', operation: 'getMany', returnAll: true, simplify: false },
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.id)).toEqual(RECORDS.map((record) => record.id));
		expect(fake.seen[0]).toMatchObject({ offset: 0, limit: 500 });
		expect(fake.seen.slice(1).every((s) => s.limit === 100)).toBe(true);
		// One refusal, then 8 pages of 100 (the last one short) and the empty page that ends it,
		// read 1, 4, then 4 at once (a short page makes the window small again).
		expect(fake.seen.filter((s) => s.limit === 500)).toHaveLength(1);
	});

	it('a Limit of 300 falls back too and stops at 300', async () => {
		const result = await engineFor(fake.url).runNode({
			type: 'partnerOperation',
			parameters: { resource: 'operation', operation: 'getMany', returnAll: false, limit: 300 },
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.id)).toEqual(
			RECORDS.slice(0, 300).map((record) => record.id),
		);
		expect(fake.seen[0].limit).toBe(300);
	});

	it('the Partner Operation Trigger learns the smaller page and keeps it for the next poll', async () => {
		const trigger = new PolledTrigger(engineFor(fake.url), 'partnerOperationTrigger', {
			event: 'operationCreated',
		});
		expect((await trigger.poll()).error).toBeUndefined();
		expect(trigger.nodeState()).toMatchObject({ count: RECORDS.length, pageSize: 100 });
		fake.seen.length = 0;
		const second = await trigger.poll();
		expect(second.error).toBeUndefined();
		expect(second.items).toBeNull();
		expect(fake.seen.every((s) => s.limit === 100)).toBe(true);
	});

	it('a server that refuses even pages of 50 fails with the API’s own message after the two fallbacks', async () => {
		const strict = await cappingServer({ refuseAbove: 10 });
		try {
			const result = await engineFor(strict.url).runNode({
				type: 'partnerOperation',
				parameters: { resource: 'operation', operation: 'getMany', returnAll: true },
			});
			expect(result.error?.message).toMatch(/limit não pode ser superior a 10/);
			// 500, then the two fallbacks, then nothing more.
			expect(strict.seen.map((s) => s.limit)).toEqual([500, 100, 50]);
		} finally {
			strict.server.close();
		}
	});
});
