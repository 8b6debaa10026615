import {
	normalizeCep,
	normalizeCnpj,
	normalizeCpf,
	normalizePhone,
	normalizeTaxId,
	parseDisplayNumber,
	parseMoney,
	toBrazilianDate,
	toIsoDate,
} from '../../nodes/shared/brazil';
import { DateTime } from 'luxon';

describe('CNPJ (numeric and alphanumeric)', () => {
	it.each([
		['12.ABC.345/01DE-35', '12ABC34501DE35'],
		['12abc34501de35', '12ABC34501DE35'],
		['11.222.333/0001-81', '11222333000181'],
		['11222333000181', '11222333000181'],
		[' 12 ABC 345 01DE 35 ', '12ABC34501DE35'],
	])('accepts %s', (input, expected) => expect(normalizeCnpj(input)).toBe(expected));

	it.each([
		['12.ABC.345/01DE-36', /check digits/],
		['11.222.333/0001-82', /check digits/],
		['00000000000000', /not a valid CNPJ/],
		['AAAAAAAAAAAAAA', /not a CNPJ|not a valid/],
		['12ABC34501DE3', /14 characters/],
		['12ABC34501DEA5', /last 2 digits/],
		['', /empty/],
		['00.000.000/0001-00', /check digits/],
	])('refuses %s', (input, message) => expect(() => normalizeCnpj(input)).toThrow(message));
});

describe('CPF, tax id, CEP, phones', () => {
	it('validates CPF check digits', () => {
		expect(normalizeCpf('529.982.247-25')).toBe('52998224725');
		expect(() => normalizeCpf('529.982.247-24')).toThrow(/check digits/);
		expect(() => normalizeCpf('111.111.111-11')).toThrow(/not a valid CPF/);
		expect(() => normalizeCpf('5299822472A')).toThrow(/only digits/);
	});
	it('tells CPF from CNPJ', () => {
		expect(normalizeTaxId('529.982.247-25')).toEqual({ kind: 'cpf', value: '52998224725' });
		expect(normalizeTaxId('12.ABC.345/01DE-35')).toEqual({ kind: 'cnpj', value: '12ABC34501DE35' });
		expect(() => normalizeTaxId('123')).toThrow(/neither/);
	});
	it('normalizes CEP', () => {
		expect(normalizeCep('01310-100')).toBe('01310100');
		expect(() => normalizeCep('0131-100')).toThrow(/8 digits/);
	});
	it('normalizes phones and requires a 9 for mobiles', () => {
		expect(normalizePhone('+55 (11) 98765-4321', 'mobile')).toBe('11987654321');
		expect(normalizePhone('(48) 3760-4183', 'landline')).toBe('4837604183');
		expect(() => normalizePhone('4837604183', 'mobile')).toThrow(/not a mobile/);
		expect(() => normalizePhone('11887654321')).toThrow(/9 after the area code/);
		expect(() => normalizePhone('123')).toThrow(/10 or 11 digits/);
	});
});

describe('dates', () => {
	it('converts Brazilian, ISO and Luxon dates', () => {
		expect(toIsoDate('31/12/2025')).toBe('2025-12-31');
		expect(toIsoDate('2025-12-31T10:00:00.000Z')).toBe('2025-12-31');
		expect(toIsoDate(DateTime.fromISO('2025-02-26T23:00:00', { zone: 'America/Sao_Paulo' }))).toBe('2025-02-26');
		expect(toBrazilianDate('1992-08-03')).toBe('03/08/1992');
	});
	it.each(['31/02/2025', '2025-13-01', '', '2025/12/31', '32/01/2025'])('refuses %p', (input) => {
		expect(() => toIsoDate(input)).toThrow();
	});
});

describe('money', () => {
	it.each([
		[1234.56, 1234.56],
		['1234.56', 1234.56],
		['R$ 1.234,56', 1234.56],
		['1.234,5', 1234.5],
		['R$1234', 1234],
		['1,234.56', 1234.56],
		['-R$ 5,00', -5],
	])('parses %p', (input, expected) => expect(parseMoney(input)).toBe(expected));
	it.each(['abc', 'R$ 1.234,567', '', '1,234', '12.34.56'])('refuses %p', (input) => expect(() => parseMoney(input)).toThrow());
	it('reads the partner display strings', () => {
		expect(parseDisplayNumber('R$ 5.788,80')).toBe(5788.8);
		expect(parseDisplayNumber('153,67%')).toBe(153.67);
		expect(parseDisplayNumber('-R$ 1.000,00')).toBe(-1000);
		expect(parseDisplayNumber('3290.0000')).toBe(3290);
		expect(parseDisplayNumber('0,07%')).toBe(0.07);
		expect(parseDisplayNumber(null)).toBeNull();
	});
});
