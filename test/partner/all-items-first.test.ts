import type { IDataObject } from 'n8n-workflow';

import { makeCpf } from '../../sandbox';
import { pfCustomer, startPartner, type PartnerTestContext } from './helpers';

let t: PartnerTestContext;
beforeAll(async () => (t = await startPartner()));
afterAll(async () => await t.sandbox.close());
beforeEach(() => t.sandbox.clearLog());

let serial = 700;
const newCpf = () => makeCpf(String(620000000 + serial++));
const writes = () =>
	t.partnerCalls().filter((call) => /insert|operation\/create|update/.test(call.path));

// Item 0 is valid; item 1 names a city the API does not know: only a look-up can tell.
const cityFromItem = { __rl: true, mode: 'name', value: '={{ $json.city }}' };
const items = [{ city: 'Araranguá - SC' }, { city: 'Cidadeinexistente - SC' }];

describe('multi-item writes check every item, look-ups included, before the first write', () => {
	it('Partner Customer Create: nothing is created when item 1 has an unknown city', async () => {
		const before = t.sandbox.counts().customers;
		const taxId = '={{ $itemIndex === 0 ? "' + newCpf() + '" : "' + newCpf() + '" }}';
		const result = await t.engine.runNode({
			type: 'partnerCustomer',
			parameters: pfCustomer({
				taxId,
				contactCpf: '83680274971',
				city: cityFromItem,
			}) as IDataObject,
			items,
		});
		expect(result.error?.message).toMatch(
			/^Item 1, field "City": "Cidadeinexistente - SC" is not a municipality known to the partner API/,
		);
		expect(result.error?.description).toContain(
			'No item was created or changed: all 2 items are checked, city and bank look-ups included, before the first write.',
		);
		expect(writes()).toHaveLength(0);
		expect(t.sandbox.counts().customers).toBe(before);
	});

	it('Partner Operation Create: nothing is created when item 1 has an unknown city', async () => {
		const before = t.sandbox.counts().operations;
		const result = await t.engine.runNode({
			type: 'partnerOperation',
			parameters: {
				resource: 'operation',
				operation: 'create',
				applicant: 'pf',
				amount: '1200',
				installments: 12,
				name: 'Joaquim Giovanni Murilo Moura',
				taxId: newCpf(),
				contactEmail: 'joaquim@example.com.br',
				mobilePhone: '+55 (11) 92222-3333',
				city: cityFromItem,
				additionalFields: { birthDate: '27/06/1952' },
			},
			items,
		});
		expect(result.error?.message).toMatch(/^Item 1, field "City"/);
		expect(result.error?.description).toContain('No item was created or changed');
		expect(writes()).toHaveLength(0);
		expect(t.sandbox.counts().operations).toBe(before);
	});

	it('with continue on fail, the valid item is still written and the other is reported, both paired', async () => {
		const result = await t.engine.runNode({
			type: 'partnerCustomer',
			parameters: pfCustomer({
				taxId: '={{ $itemIndex === 0 ? "' + newCpf() + '" : "' + newCpf() + '" }}',
				contactCpf: '83680274971',
				city: cityFromItem,
			}) as IDataObject,
			items,
			continueOnFail: true,
		});
		expect(result.items).toHaveLength(2);
		expect(result.items[0].json.id).toEqual(expect.any(String));
		expect(String(result.items[1].json.error)).toMatch(/^Item 1, field "City"/);
		expect(writes()).toHaveLength(1);
	});
});
