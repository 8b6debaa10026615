import type { IDataObject } from 'n8n-workflow';

import {
	engineFor,
	expectNoError,
	kapitaleRequests,
	openSandbox,
	type RunningSandbox,
} from './helpers';

const lookup = (extra: IDataObject = {}): IDataObject => ({
	resource: 'company',
	operation: 'getByCnpj',
	cnpj: '={{ $json.cnpj }}',
	...extra,
});

const mask = (cnpj: string) =>
	`${cnpj.slice(0, 2)}.${cnpj.slice(2, 5)}.${cnpj.slice(5, 8)}/${cnpj.slice(8, 12)}-${cnpj.slice(12)}`;

describe('Kapitale Company: Get by CNPJ', () => {
	let sandbox: RunningSandbox;
	beforeAll(async () => (sandbox = await openSandbox()));
	afterAll(async () => await sandbox.close());
	beforeEach(() => sandbox.clearLog());

	it('tells Kapitale’s own records from bureau data, for masked, plain and alphanumeric CNPJs', async () => {
		const { registeredRetailCnpj, bureauRetailCnpj, alphanumericRetailCnpj } = sandbox.fixtures;
		const run = await engineFor(sandbox).runNode({
			type: 'kapitaleCompany',
			parameters: lookup(),
			items: [
				{ cnpj: mask(registeredRetailCnpj) },
				{ cnpj: bureauRetailCnpj },
				{ cnpj: mask(alphanumericRetailCnpj).toLowerCase() },
			],
		});
		expectNoError(run);
		expect(run.items).toHaveLength(3);
		expect(run.items[0].json).toMatchObject({
			cnpj: registeredRetailCnpj,
			cnpjFormatted: mask(registeredRetailCnpj),
			found: true,
			registered_retail: true,
			source: 'kapitale',
			needsChecking: false,
		});
		expect(run.items[0].json).toHaveProperty('retail_representative');
		expect(run.items[0].json).toHaveProperty('email');
		expect(run.items[1].json).toMatchObject({
			cnpj: bureauRetailCnpj,
			name: 'Nova Empresa Varejo LTDA',
			retail_representative: 'Maria Santos',
			registered_retail: false,
			source: 'bureau',
			needsChecking: true,
		});
		expect(run.items[2].json).toMatchObject({ cnpj: alphanumericRetailCnpj, found: true });
		expect(kapitaleRequests(sandbox, 'GET').map((entry) => entry.path)).toEqual(
			[registeredRetailCnpj, bureauRetailCnpj, alphanumericRetailCnpj].map(
				(cnpj) => `/kapitale/company/cnpj/${cnpj}`,
			),
		);
	});

	it('fails an unknown CNPJ by default, naming it', async () => {
		const unknown = sandbox.fixtures.unknownCnpj;
		const run = await engineFor(sandbox).runNode({
			type: 'kapitaleCompany',
			parameters: lookup(),
			items: [{ cnpj: unknown }],
		});
		expect(run.error?.name).toBe('NodeApiError');
		expect(run.error?.message).toBe(`No retail found for CNPJ ${mask(unknown)}`);
		expect(run.error?.description).toMatch(/If Not Found/);
	});

	it('returns a not-found item when asked, so a flow can create the retail next', async () => {
		const { unknownCnpj, registeredRetailCnpj } = sandbox.fixtures;
		const run = await engineFor(sandbox).runNode({
			type: 'kapitaleCompany',
			parameters: lookup({ ifNotFound: 'emptyItem' }),
			items: [{ cnpj: unknownCnpj }, { cnpj: registeredRetailCnpj }],
		});
		expectNoError(run);
		expect(run.items[0].json).toEqual({
			cnpj: unknownCnpj,
			cnpjFormatted: mask(unknownCnpj),
			found: false,
		});
		expect(run.items[1].json.found).toBe(true);
		expect(run.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	it.each([
		['a wrong check digit', '11.222.333/0001-82', /check digits do not match/],
		['too few characters', '1122233300018', /expected 14 characters, got 13/],
		['an empty value', '', /is empty/],
		['repeated digits', '00.000.000/0000-00', /not a valid CNPJ/],
	])('refuses %s before sending anything, naming item and field', async (_case, cnpj, detail) => {
		const run = await engineFor(sandbox).runNode({
			type: 'kapitaleCompany',
			parameters: lookup(),
			items: [{ cnpj: sandbox.fixtures.registeredRetailCnpj }, { cnpj }],
		});
		expect(run.error?.name).toBe('NodeOperationError');
		expect(run.error?.message).toMatch(/^Item 1, field "CNPJ": /);
		expect(run.error?.message).toMatch(detail);
		expect(sandbox.requestLog()).toEqual([]);
	});

	it('uses one token for many look-ups and keeps every item paired with continue on fail', async () => {
		const before = sandbox.counts().tokensIssued;
		const { registeredRetailCnpj, bureauRetailCnpj, unknownCnpj } = sandbox.fixtures;
		const cnpjs = Array.from(
			{ length: 30 },
			(_, index) => [registeredRetailCnpj, 'not-a-cnpj', bureauRetailCnpj, unknownCnpj][index % 4],
		);
		const run = await engineFor(sandbox).runNode({
			type: 'kapitaleCompany',
			parameters: lookup(),
			items: cnpjs.map((cnpj) => ({ cnpj })),
			continueOnFail: true,
		});
		expectNoError(run);
		expect(run.items).toHaveLength(30);
		expect(run.items.map((item) => item.pairedItem)).toEqual(cnpjs.map((_, item) => ({ item })));
		run.items.forEach((item, index) => {
			if (index % 4 === 1)
				expect(item.json.error).toMatch(new RegExp(`^Item ${index}, field "CNPJ"`));
			else if (index % 4 === 3) expect(item.json.error).toMatch(/^No retail found for CNPJ/);
			else expect(item.json.found).toBe(true);
		});
		expect(sandbox.counts().tokensIssued - before).toBe(1);
		expect(kapitaleRequests(sandbox, 'GET')).toHaveLength(
			cnpjs.filter((cnpj) => cnpj !== 'not-a-cnpj').length,
		);
	});
});
