import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { IDataObject } from 'n8n-workflow';

import { makeCpf } from '../../sandbox';
import { partner } from '../../sandbox/testing';
import { Engine, sandboxCredentialData } from '../harness/engine';
import { startPartner, type PartnerTestContext } from './helpers';

let t: PartnerTestContext;
beforeAll(async () => {
	t = await startPartner();
	// 130 customers: more than one page of 100, and well past the API's default page of 20.
	for (let i = 0; t.sandbox.counts().customers < 130; i++) {
		const cpf = makeCpf(String(610000000 + i));
		const created = await partner(t.sandbox, 'POST', '/partner-customer/insert', {
			partner_id: t.sandbox.credentials.partnerHashId,
			partner_user_id: t.sandbox.credentials.userHashId,
			person_type: '1',
			tax_id: cpf,
			name: `Cliente Paginado ${i}`,
			address_zipcode: '88904278',
			address_street: 'Rua A',
			address_number: '1',
			address_district: 'Centro',
			address_city_id: String(t.sandbox.fixtures.cityIds.araranguaSC),
			name_contact: 'Contato',
			email_contact: `c${i}@example.com`,
			phone_2: '48993397760',
			cpf_contact: cpf,
			mother_name: 'Mãe',
			birthday: '03/08/1992',
		});
		expect(created.json.success).toBe(true);
	}
});
afterAll(async () => await t.sandbox.close());
beforeEach(() => t.sandbox.clearLog());

const run = (parameters: Record<string, unknown>, engine = t.engine) =>
	engine.runNode({ type: 'partnerCustomer', parameters: parameters as IDataObject });

describe('PartnerCustomer Get Many: the documented GET body', () => {
	it('Return All reads every customer (by total), over several pages, with no repeats', async () => {
		const total = t.sandbox.counts().customers;
		const all = await run({
			resource: 'customer',
			operation: 'getMany',
			returnAll: true,
			options: { concurrency: 3 },
		});
		expect(all.error).toBeUndefined();
		expect(all.items).toHaveLength(total);
		expect(new Set(all.items.map((item) => item.json.id)).size).toBe(total);
		expect(
			t.partnerCalls().filter((call) => call.path === '/partner/partner-customer/all').length,
		).toBeGreaterThanOrEqual(2);
	});

	it('Limit, Offset and the name filter are honoured by a server that reads only the body', async () => {
		const limited = await run({
			resource: 'customer',
			operation: 'getMany',
			returnAll: false,
			limit: 50,
		});
		expect(limited.items).toHaveLength(50);
		const total = t.sandbox.counts().customers;
		const tail = await run({
			resource: 'customer',
			operation: 'getMany',
			returnAll: true,
			filters: { offset: total - 4 },
		});
		expect(tail.items).toHaveLength(4);
		const named = await run({
			resource: 'customer',
			operation: 'getMany',
			returnAll: true,
			filters: { name: 'Paginado 12' },
		});
		const names = named.items.map((item) => String(item.json.name));
		expect(names).toContain('Cliente Paginado 12');
		expect(names.every((name) => name.includes('Paginado 12'))).toBe(true);
		expect(names.length).toBeLessThan(20);
	});
});

describe('PartnerOperation Get Many: Return All over a list of unknown length', () => {
	it('reads every operation and asks for few pages past the end: the page window grows 1, 2, 4, …', async () => {
		const pageSize = 100;
		const have = t.sandbox.counts().operations;
		// 6½ pages: the API gives no total, so the end is found by an empty page.
		t.sandbox.seedOperations(6 * pageSize + 50 - have);
		const total = t.sandbox.counts().operations;
		const result = await t.engine.runNode({
			type: 'partnerOperation',
			parameters: { resource: 'operation', operation: 'getMany', returnAll: true },
		});
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(total);
		expect(new Set(result.items.map((item) => item.json.id ?? item.json.operation_id)).size).toBe(
			total,
		);
		const pages = t.partnerCalls().filter((call) => call.path === '/partner/partner-operation/all');
		// 1 + 2 + 4 pages reach the short 7th; one more to see the end. A fixed window of
		// Parallel Requests (20) pages would ask for 22.
		expect(pages.length).toBeLessThanOrEqual(8);
	});
});

describe("the GET-with-body request keeps the transport's failure handling", () => {
	afterEach(() => t.sandbox.setFaults([]));

	it('retries 503, 429 and a reset on a page, and still returns every customer once', async () => {
		const total = t.sandbox.counts().customers;
		t.sandbox.setFaults([
			{
				service: 'partner',
				method: 'GET',
				pathPrefix: '/partner-customer/all',
				errorRate: 0.3,
				errorStatus: 503,
				rateLimitRate: 0.2,
				retryAfterSeconds: 0,
				resetRate: 0.2,
				maxConsecutive: 1,
			},
		]);
		const all = await run({ resource: 'customer', operation: 'getMany', returnAll: true });
		expect(all.error).toBeUndefined();
		expect(all.items).toHaveLength(total);
		expect(new Set(all.items.map((item) => item.json.id)).size).toBe(total);
		const pages = t.sandbox
			.requestLog()
			.filter((call) => call.path === '/partner/partner-customer/all');
		expect(pages.some((call) => call.status >= 500 || call.status === 429 || call.fault)).toBe(
			true,
		);
	});

	it('surfaces an API refusal with the API message', async () => {
		t.sandbox.setFaults([
			{
				service: 'partner',
				method: 'GET',
				pathPrefix: '/partner-customer/all',
				errorRate: 1,
				errorStatus: 500,
			},
		]);
		const result = await run({
			resource: 'customer',
			operation: 'getMany',
			returnAll: false,
			limit: 5,
		});
		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.httpCode).toBe('500');
		expect(result.error?.message).toBe('Server Error');
		expect(result.error?.description).toMatch(/^GET \/partner-customer\/all/);
		// A 500 on a read is not retried (see retry.ts), on this path as on the others.
		expect(
			t.sandbox.requestLog().filter((call) => call.path === '/partner/partner-customer/all'),
		).toHaveLength(1);
	});
});

/** A partner/Kapitale server that ignores paging: always its first page of 20, with the real totals. */
async function ignoringServer(): Promise<{ server: Server; url: string }> {
	const records = Array.from({ length: 34 }, (_, index) => ({
		id: `rec${index}`,
		name: `Record ${index}`,
		created_at: 1652708353,
	}));
	const server = createServer((req, res) => {
		req.resume();
		req.on('end', () => {
			res.setHeader('content-type', 'application/json');
			const path = (req.url ?? '').split('?')[0];
			if (path.endsWith('/partner-customer/all'))
				res.end(
					JSON.stringify({ success: true, data: { total: '34', values: records.slice(0, 20) } }),
				);
			else if (path.endsWith('/partner-operation/all'))
				res.end(JSON.stringify({ success: true, data: records.slice(0, 20) }));
			else if (path.endsWith('/order'))
				res.end(
					JSON.stringify({
						data: records.slice(0, 10),
						page: 1,
						totalPages: 4,
						limit: 10,
						count: 34,
						pendingInvoices: 0,
					}),
				);
			else res.end(JSON.stringify({ success: false, message: 'no' }));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('a server that ignores the page size or offset: an error, never a partial list', () => {
	let fake: { server: Server; url: string };
	let engine: Engine;
	beforeAll(async () => {
		fake = await ignoringServer();
		engine = new Engine({
			credentials: {
				kapitale: {
					// Both parts; a stored Kapitale token, so no token request reaches the fake server.
					...sandboxCredentialData(t.sandbox),
					accessToken: 'stored-kapitale-token',
					partnerBaseUrl: fake.url,
					kapitaleBaseUrl: fake.url,
				},
			},
		});
	});
	afterAll(() => fake.server.close());

	it('Partner Customer Get Many (Return All and Limit 50)', async () => {
		for (const parameters of [{ returnAll: true }, { returnAll: false, limit: 50 }]) {
			const result = await run(
				{ resource: 'customer', operation: 'getMany', ...parameters },
				engine,
			);
			expect(result.items).toHaveLength(0);
			expect(result.error?.message).toBe('The records from offset 20 repeat records already read');
			expect(result.error?.description).toMatch(/ignore the page size or offset/);
		}
	});

	it('Partner Operation Get Many', async () => {
		const result = await engine.runNode({
			type: 'partnerOperation',
			parameters: { resource: 'operation', operation: 'getMany', returnAll: true },
		});
		expect(result.error?.message).toBe('The records from offset 20 repeat records already read');
	});

	it('Kapitale Order Get Many', async () => {
		const result = await engine.runNode({
			type: 'kapitaleOrder',
			parameters: { resource: 'order', operation: 'getAll', returnAll: true },
		});
		expect(result.error?.message).toBe('Page 2 of the list repeated records already read');
	});
});
