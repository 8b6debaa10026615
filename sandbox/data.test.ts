import { findCity, refData, searchBanks, searchCities } from './refdata';
import { cnpjCheckDigits, isValidCnpj, isValidCpf, isMobile, makeCpf } from './util';
import { computeOperationValues } from './partner';
import { SANDBOX_FIXTURES, fixturesFor } from './index';

describe('reference data files', () => {
	const rd = refData();

	test('all 5,570 municipalities with unique ids and IBGE codes', () => {
		expect(rd.cities).toHaveLength(5570);
		expect(new Set(rd.cities.map((c) => c.id)).size).toBe(5570);
		expect(new Set(rd.cities.map((c) => c.ibge)).size).toBe(5570);
		expect(rd.states).toHaveLength(27);
		for (const c of rd.cities) {
			expect(String(c.ibge)).toMatch(/^\d{7}$/);
			expect(rd.stateByUf.get(c.uf)!.ibgeCode).toBe(Math.floor(c.ibge / 100000));
		}
	});

	test.each([
		['São Paulo', 'SP', 3550308],
		['Salvador', 'BA', 2927408],
		['Araranguá', 'SC', 4201406],
		['Rio Branco', 'AC', 1200401],
		['Brasília', 'DF', 5300108],
	])('%s - %s has IBGE code %d', (name, uf, ibge) => {
		expect(findCity(name, uf)!.ibge).toBe(ibge);
	});

	test('API city ids differ from IBGE and reproduce the vendor examples', () => {
		expect(findCity('Araranguá', 'SC')!.id).toBe(4330);
		expect(findCity('Salvador', 'BA')!.id).toBe(2163);
		expect(findCity('Salvador das Missões', 'RS')!.id).toBe(4964);
		expect(rd.stateByUf.get('SC')!.id).toBe(22);
		expect(SANDBOX_FIXTURES.cityIds.araranguaSC).toBe(4330);
	});

	test('city search is accent- and case-insensitive, capped', () => {
		expect(searchCities('ARARANGUA').map((c) => c.name)).toContain('Araranguá');
		expect(searchCities('salvad').map((c) => `${c.name} - ${c.uf}`)).toEqual(
			expect.arrayContaining([
				'Salvador - BA',
				'Salvador das Missões - RS',
				'Salvador do Sul - RS',
				'São Salvador do Tocantins - TO',
			]),
		);
		expect(searchCities('sao').length).toBe(50);
		expect(searchCities('Rio Branco - AC').map((c) => c.ibge)).toEqual([1200401]);
		expect(findCity('sao paulo', 'sp')!.ibge).toBe(3550308);
		expect(findCity('São Paulo', 'RJ')).toBeUndefined();
	});

	test.each([
		['001', 'BCO DO BRASIL'],
		['237', 'BRADESCO'],
		['341', 'ITAÚ'],
		['104', 'CAIXA'],
	])('bank %s is %s', (code, name) => {
		const b = rd.banks.find((x) => x.compe === code)!;
		expect(b.shortName.toUpperCase()).toContain(name);
		expect(searchBanks(code)[0].compe).toBe(code);
	});

	test('bank search by name and abbreviation', () => {
		expect(rd.banks.length).toBeGreaterThan(300);
		expect(searchBanks('bradesco').map((b) => b.compe)).toContain('237');
		expect(searchBanks('itau')[0].compe).toBe('341');
		expect(searchBanks('CEF')[0].compe).toBe('104');
		expect(searchBanks('nubank')[0].compe).toBe('260');
		expect(searchBanks('1')[0].compe).toBe('001');
	});
});

describe('documents', () => {
	test('CNPJ check digits, numeric and alphanumeric', () => {
		expect(isValidCnpj('11222333000181')).toBe(true);
		expect(isValidCnpj('11222333000182')).toBe(false);
		expect(isValidCnpj('12ABC34501DE35')).toBe(true);
		expect(isValidCnpj('12ABC34501DE36')).toBe(false);
		expect(isValidCnpj('00000000000000')).toBe(false);
		expect(isValidCnpj('00000000000100')).toBe(false);
		expect(cnpjCheckDigits('12ABC34501DE')).toBe('35');
	});

	test('CPF check digits', () => {
		expect(isValidCpf('83680274971')).toBe(true);
		expect(isValidCpf('52147032956')).toBe(true);
		expect(isValidCpf('11111111111')).toBe(false);
		expect(isValidCpf(makeCpf('123456789'))).toBe(true);
	});

	test('mobile phones', () => {
		expect(isMobile('48993397760')).toBe(true);
		expect(isMobile('+55 (48) 99339-7760')).toBe(true);
		expect(isMobile('4837604183')).toBe(false);
	});

	test('fixtures use valid documents and are deterministic', () => {
		const f = SANDBOX_FIXTURES;
		for (const c of [
			f.registeredRetailCnpj,
			f.bureauRetailCnpj,
			f.alphanumericRetailCnpj,
			f.unknownCnpj,
			f.industryCnpj,
			...f.retailCnpjs,
		])
			expect(isValidCnpj(c)).toBe(true);
		expect(f.alphanumericRetailCnpj).toBe('12ABC34501DE35');
		expect(fixturesFor(1)).toEqual(f);
		for (const ids of Object.values(f.orderIdsByStatus)) expect(ids.length).toBeGreaterThan(0);
	});
});

describe('operation values', () => {
	test('installment follows the PMT formula on amount + IOF', () => {
		const v = computeOperationValues(1797, 12, 5.4, 1);
		const i = 0.054;
		const pmt = ((1797 + v.iof) * i) / (1 - Math.pow(1 + i, -12));
		expect(v.installmentValue).toBeCloseTo(pmt, 2);
		expect(v.total).toBeCloseTo(v.installmentValue * 12, 2);
		expect(v.iof).toBeGreaterThan(0);
		expect(v.cetAnnual).toBeGreaterThan(Math.pow(1.054, 12) * 100 - 100);
	});
});
