import { LoadOptionsContext } from 'n8n-core';
import type {
	IDataObject,
	ILoadOptionsFunctions,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { parseCityLabel, rankCities, toCityMatch } from '../../nodes/Partner/shared/cities';
import { bankCoreName, normalizeBankCode, toBankMatch } from '../../nodes/Partner/shared/banks';
import { parseRevenue, revenueAsList, revenueAsObject } from '../../nodes/Partner/shared/revenue';
import {
	localDateTimeToIso,
	money,
	percentValue,
	simplifyOperation,
	unixToIso,
} from '../../nodes/Partner/shared/simplify';
import { editDistance, foldText } from '../../nodes/Partner/shared/text';
import { startPartner, type PartnerTestContext } from './helpers';

describe('display conversions (Simplify)', () => {
	it.each([
		['R$ 5.788,80', 5788.8],
		['R$ 1.234.567,89', 1234567.89],
		['-R$ 1.234,50', -1234.5],
		['R$ -89,59', -89.59],
		['R$ 0,00', 0],
		['3290.0000', 3290],
		['-12,5', -12.5],
		[1797, 1797],
	])('money %p → %p', (input, expected) => expect(money(input)).toBe(expected));

	it.each([
		['153,67%', 153.67],
		['0,07%', 0.07],
		['-2,50%', -2.5],
		['1.234,5%', 1234.5],
		[5.4, 5.4],
	])('percent %p → %p', (input, expected) => expect(percentValue(input)).toBe(expected));

	it('leaves unparseable and empty values as null', () => {
		expect(money('n/a')).toBeNull();
		expect(money(null)).toBeNull();
		expect(percentValue('')).toBeNull();
	});

	it('converts unix seconds and Brasília date-times to ISO', () => {
		expect(unixToIso(1660238117)).toBe('2022-08-11T17:15:17.000Z');
		expect(unixToIso(null)).toBeNull();
		expect(localDateTimeToIso('2021-10-21 19:16:23')).toBe('2021-10-21T22:16:23.000Z');
		expect(localDateTimeToIso('29-10-2021 00:00:00')).toBe('2021-10-29T03:00:00.000Z');
	});

	it('simplifies the documented list entry, with the unit in the field name', () => {
		const out = simplifyOperation({
			id: 'op1',
			total: 'R$ 5.788,80',
			amount: '3290.0000',
			cet_anual: '153,67%',
			valor_iof: 'R$ 89,59',
			created_at: 1660238117,
			valor_liquido: 'R$ 3.290,00',
			valor_nominal: 'R$ 0,00',
			taxa_juros_mes: '0,07%',
			person_type: 1,
			status_name: 'Cancelado',
			status_slug: 'cancelado',
		} as IDataObject);
		expect(out).toMatchObject({
			totalAmount: 5788.8,
			requestedAmount: 3290,
			cetAnnualPercent: 153.67,
			iofAmount: 89.59,
			netAmount: 3290,
			nominalAmount: 0,
			interestMonthlyPercent: 0.07,
			createdAt: '2022-08-11T17:15:17.000Z',
			personType: 'PF',
			status: 'Cancelado',
			statusSlug: 'cancelado',
		});
	});
});

describe('revenue input', () => {
	const twelve = Array.from({ length: 12 }, (_, index) => 1000 + index);
	it('accepts a comma list, a semicolon list with Brazilian amounts, a JSON array, a JSON object and a fixed collection', () => {
		expect(parseRevenue(twelve.join(', '))).toEqual(twelve);
		expect(
			parseRevenue(
				'R$ 1.000,50; 2.000; 3000; 4000; 5000; 6000; 7000; 8000; 9000; 10000; 11000; 12.000,99',
			),
		).toEqual([1000.5, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 10000, 11000, 12000.99]);
		expect(parseRevenue(JSON.stringify(twelve))).toEqual(twelve);
		expect(
			parseRevenue(
				JSON.stringify(
					Object.fromEntries(
						twelve.map((value, index) => [String(12 - index), String(twelve[11 - index])]),
					),
				),
			),
		).toEqual(twelve);
		expect(parseRevenue({ months: twelve.map((amount) => ({ amount })) })).toEqual(twelve);
	});
	it('refuses wrong counts, negative and non-numeric months, naming the month', () => {
		expect(() => parseRevenue('1,2,3')).toThrow('needs exactly 12 monthly amounts, got 3');
		expect(() => parseRevenue([...twelve.slice(0, 11), -5])).toThrow(
			'month 12: revenue cannot be negative (-5)',
		);
		expect(() => parseRevenue([...twelve.slice(0, 3), 'abc', ...twelve.slice(4)])).toThrow(
			/^month 4: "abc" is not an amount/,
		);
		expect(() => parseRevenue('{"1": 1}')).toThrow(/keys "1" to "12"/);
		expect(() => parseRevenue('[1, 2')).toThrow(/is not valid JSON/);
	});
	it('shapes it per endpoint', () => {
		expect(revenueAsList([1, 2.5, ...Array(10).fill(0)])).toEqual([
			'1',
			'2.50',
			...Array(10).fill('0'),
		]);
		expect(revenueAsObject(twelve)).toEqual(
			Object.fromEntries(twelve.map((value, index) => [String(index + 1), String(value)])),
		);
	});
});

describe('city and bank text helpers', () => {
	it('parses "City - UF" labels and ranks exact matches first within a state', () => {
		expect(parseCityLabel('Araranguá - SC')).toEqual({ city: 'Araranguá', uf: 'SC' });
		expect(parseCityLabel('São Paulo/sp')).toEqual({ city: 'São Paulo', uf: 'SP' });
		expect(parseCityLabel('Embu-Guaçu')).toEqual({ city: 'Embu-Guaçu' });
		const matches = [
			{ id: 435, name: 'São Salvador do Tocantins - TO', remote_id: 1720259 },
			{ id: 4964, name: 'Salvador das Missões - RS', remote_id: 4316477 },
			{ id: 2163, name: 'Salvador - BA', remote_id: 2927408 },
		].map(toCityMatch);
		expect(rankCities(matches, 'salvador').map((city) => city.id)).toEqual([2163, 4964, 435]);
		expect(rankCities(matches, 'salvador', { uf: 'RS' }).map((city) => city.id)).toEqual([4964]);
		expect(rankCities(matches, 'salvador', { exactFirst: false }).map((city) => city.id)).toEqual([
			435, 4964, 2163,
		]);
		expect(foldText('  SÃO   Paulo ')).toBe('sao paulo');
		expect(editDistance('rio brano', 'rio branco')).toBe(1);
	});
	it('reads bank labels and COMPE codes', () => {
		expect(toBankMatch({ id: 7, name: '237 - BRADESCO' })).toEqual({
			id: 7,
			label: '237 - BRADESCO',
			code: '237',
			name: 'BRADESCO',
		});
		expect(normalizeBankCode('1')).toBe('001');
		expect(normalizeBankCode('Itaú')).toBeUndefined();
		expect(bankCoreName('BCO BRADESCO S.A.')).toBe('bradesco');
		expect(bankCoreName('Banco do Brasil S/A')).toBe('do brasil s/a');
	});
});

describe('CitySearch and BankSearch nodes, and the list-search methods', () => {
	let t: PartnerTestContext;
	beforeAll(async () => (t = await startPartner()));
	afterAll(async () => await t.sandbox.close());
	beforeEach(() => t.sandbox.clearLog());

	it('CitySearch returns one item per match, exact match first, with state filter and limit', async () => {
		const result = await t.engine.runNode({
			type: 'citySearch',
			parameters: { resource: 'city', operation: 'search', query: 'salvad' },
		});
		expect(result.error).toBeUndefined();
		expect(result.items.length).toBeGreaterThanOrEqual(4);
		expect(result.items.map((item) => item.json.name)).toEqual(
			expect.arrayContaining(['Salvador - BA', 'São Salvador do Tocantins - TO']),
		);
		const exact = await t.engine.runNode({
			type: 'citySearch',
			parameters: { resource: 'city', operation: 'search', query: 'Salvador' },
		});
		expect(exact.items[0].json).toEqual({
			id: t.sandbox.fixtures.cityIds.salvadorBA,
			name: 'Salvador - BA',
			city: 'Salvador',
			state: 'BA',
			ibgeCode: 2927408,
			exactMatch: true,
		});
		const filtered = await t.engine.runNode({
			type: 'citySearch',
			parameters: {
				resource: 'city',
				operation: 'search',
				query: 'salvador',
				options: { state: 'RS', limit: 1 },
			},
		});
		expect(filtered.items).toHaveLength(1);
		expect(filtered.items[0].json.state).toBe('RS');
		// A workflow saved before the one Options collection keeps its filter.
		const saved = await t.engine.runNode({
			type: 'citySearch',
			parameters: {
				resource: 'city',
				operation: 'search',
				query: 'salvador',
				searchOptions: { state: 'RS', limit: 1 },
			},
		});
		expect(saved.items.map((item) => item.json.state)).toEqual(['RS']);
		const only = await t.engine.runNode({
			type: 'citySearch',
			parameters: {
				resource: 'city',
				operation: 'search',
				query: 'sao paulo - SP',
				options: { exactOnly: true },
			},
		});
		expect(only.items.map((item) => item.json.name)).toEqual(['São Paulo - SP']);
		expect(
			t
				.partnerCalls()
				.every((call) => call.method === 'POST' && call.path === '/partner/city/search'),
		).toBe(true);
	});

	it('CitySearch pairs results with their input item and refuses an empty name before sending', async () => {
		const result = await t.engine.runNode({
			type: 'citySearch',
			parameters: {
				resource: 'city',
				operation: 'search',
				query: '={{ $json.q }}',
				options: { exactOnly: true },
			},
			items: [{ q: 'Araranguá' }, { q: '' }, { q: 'Rio Branco - AC' }],
			continueOnFail: true,
		});
		expect(
			result.items.map((item) => [
				(item.pairedItem as { item: number }).item,
				item.json.name ?? item.json.error,
			]),
		).toEqual([
			[0, 'Araranguá - SC'],
			[1, 'Item 1, field "City Name": is required'],
			[2, 'Rio Branco - AC'],
		]);
	});

	it('BankSearch finds by COMPE code (exact first) and by name', async () => {
		const byCode = await t.engine.runNode({
			type: 'bankSearch',
			parameters: { resource: 'bank', operation: 'search', query: '237' },
		});
		expect(byCode.items[0].json).toMatchObject({
			id: t.sandbox.fixtures.bankIds.bradesco,
			code: '237',
			exactMatch: true,
		});
		const byName = await t.engine.runNode({
			type: 'bankSearch',
			parameters: {
				resource: 'bank',
				operation: 'search',
				query: 'bradesco',
				options: { limit: 3 },
			},
		});
		expect(byName.items.length).toBeGreaterThan(0);
		expect(byName.items.length).toBeLessThanOrEqual(3);
		expect(byName.items[0].json).toMatchObject({
			name: '237 - BCO BRADESCO S.A.',
			exactMatch: true,
		});
		const only = await t.engine.runNode({
			type: 'bankSearch',
			parameters: {
				resource: 'bank',
				operation: 'search',
				query: '1',
				options: { exactOnly: true },
			},
		});
		expect(only.items.map((item) => item.json.code)).toEqual(['001']);
		expect(t.partnerCalls()[0]).toMatchObject({
			method: 'GET',
			path: '/partner/bank/search',
			query: { search: '237' },
		});
	});

	// listSearch runs outside an execution: a minimal load-options context whose HTTP helper is fetch.
	it('City Search and Bank Search each show one Options collection, holding the search options and Parallel Requests', async () => {
		const { CitySearch } = await import('../../nodes/Partner/CitySearch/CitySearch.node');
		const { BankSearch } = await import('../../nodes/Partner/BankSearch/BankSearch.node');
		for (const node of [new CitySearch(), new BankSearch()]) {
			const titled = node.description.properties.filter(
				(property) => property.displayName === 'Options',
			);
			expect(titled).toHaveLength(1);
			expect(
				((titled[0].options ?? []) as Array<{ name: string }>).map((option) => option.name),
			).toEqual(expect.arrayContaining(['exactOnly', 'limit', 'concurrency']));
		}
	});

	it('list-search methods of the action nodes use the same searches', async () => {
		const { PartnerCustomer } = await import(
			'../../nodes/Partner/PartnerCustomer/PartnerCustomer.node'
		);
		const { PartnerOperation } = await import(
			'../../nodes/Partner/PartnerOperation/PartnerOperation.node'
		);
		// n8n-core's own load-options context: its request helpers drop a GET body exactly as in n8n.
		const node = {
			id: 'n',
			name: 'Under Test',
			type: 'n8n-nodes-kapitale.partnerCustomer',
			typeVersion: 1,
			position: [0, 0] as [number, number],
			parameters: {},
			credentials: { kapitaleApi: { id: 'kapitale', name: 'Kapitale' } },
		};
		const workflow = new Workflow({
			nodes: [node],
			connections: {},
			active: false,
			nodeTypes: {
				getByName: () => new PartnerCustomer(),
				getByNameAndVersion: () => new PartnerCustomer(),
				getKnownTypes: () => ({}),
			} as never,
		});
		const additionalData = {
			credentialsHelper: t.engine.credentialsHelper,
			restApiUrl: 'http://127.0.0.1/rest',
			instanceBaseUrl: 'http://127.0.0.1/',
			webhookBaseUrl: 'http://127.0.0.1/webhook',
			webhookTestBaseUrl: 'http://127.0.0.1/webhook-test',
			webhookWaitingBaseUrl: 'http://127.0.0.1/webhook-waiting',
			formWaitingBaseUrl: 'http://127.0.0.1/form-waiting',
			variables: {},
			userId: 'u',
		} as unknown as IWorkflowExecuteAdditionalData;
		const context = new LoadOptionsContext(
			workflow,
			node,
			additionalData,
			'parameters.customerId',
		) as unknown as ILoadOptionsFunctions;
		const customer = new PartnerCustomer();
		const operation = new PartnerOperation();
		const cities = await customer.methods.listSearch.searchCityIds.call(context, 'ararangua');
		expect(cities.results[0]).toEqual({
			name: 'Araranguá - SC',
			value: String(t.sandbox.fixtures.cityIds.araranguaSC),
		});
		expect((await customer.methods.listSearch.searchCityIds.call(context, '')).results).toEqual([]);
		const names = await operation.methods.listSearch.searchCityNames.call(context, 'rio branco');
		expect(names.results[0]).toEqual({ name: 'Rio Branco - AC', value: 'Rio Branco - AC' });
		const banks = await customer.methods.listSearch.searchBankIds.call(context, '341');
		expect(banks.results[0]).toEqual({
			name: expect.stringMatching(/^341 - /),
			value: String(t.sandbox.fixtures.bankIds.itau),
		});
		const customers = await customer.methods.listSearch.searchCustomers.call(context, 'silvana');
		expect(customers.results.length).toBeGreaterThan(0);
		expect(customers.results.every((entry) => /silvana/i.test(entry.name))).toBe(true);
		const operations = await operation.methods.listSearch.searchOperations.call(context, '');
		expect(operations.results[0].name.split(' – ')).toHaveLength(3);
	});
});
