/**
 * Partner Operation › Get Many (and the polling triggers, which read the same way) against a
 * server that silently caps the page below what was asked: every record once, in order, the cap
 * learned from the first short page before any later offset is trusted, then pages in parallel.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { Engine } from '../harness/engine';

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

async function cappingServer(cap: number): Promise<{ server: Server; url: string; seen: Seen[] }> {
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
				res.end(
					JSON.stringify({
						success: true,
						data: RECORDS.slice(body.offset, body.offset + Math.min(body.limit, cap)),
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
