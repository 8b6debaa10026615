import {
	normalizeCep,
	normalizeCnpj,
	normalizeCpf,
	normalizePhone,
	normalizeTaxId,
	parseDisplayNumber,
	asciiUpperCase,
	parseMoney,
	parsePositiveInteger,
	parsePositiveQuantity,
	toBrazilianDate,
	toIsoDate,
	toText,
} from '../../nodes/shared/validation/brazil';
import { makeCnpj } from '../../sandbox';
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
		expect(toIsoDate(DateTime.fromISO('2025-02-26T23:00:00', { zone: 'America/Sao_Paulo' }))).toBe(
			'2025-02-26',
		);
		expect(toBrazilianDate('1992-08-03')).toBe('03/08/1992');
	});
	it.each([
		'31/02/2025',
		'2025-13-01',
		'',
		'2025/12/31',
		'32/01/2025',
		'2025-02-26 or maybe 2025-03-01',
		'2025-02-26Tgarbage',
		'0000-01-01',
		'01/01/0000',
		'2025-02-26T25:00',
	])('refuses %p', (input) => {
		expect(() => toIsoDate(input)).toThrow();
	});
	it('keeps the day written in an ISO date-time, whatever its offset', () => {
		expect(toIsoDate('2025-02-28T23:30-03:00')).toBe('2025-02-28');
		expect(toIsoDate('2025-02-28 23:30:00')).toBe('2025-02-28');
	});
	it('reads a JS Date in the given time zone, not in UTC', () => {
		const lateEvening = new Date('2025-02-28T23:30:00-03:00');
		expect(toIsoDate(lateEvening, { zone: 'America/Sao_Paulo' })).toBe('2025-02-28');
		expect(toIsoDate(lateEvening, { zone: 'UTC' })).toBe('2025-03-01');
	});
});

describe('integers, quantities, text, case folding', () => {
	it.each(['0x0C', '1e1', '0b11', '1,000', '1.5', '', ' ', '-3', 0, 1.5, 2 ** 60])(
		'refuses the count %p',
		(input) => expect(() => parsePositiveInteger(input)).toThrow(),
	);
	it('reads digits and Brazilian thousands groups as counts', () => {
		expect(parsePositiveInteger('12')).toBe(12);
		expect(parsePositiveInteger(' 12 ')).toBe(12);
		expect(parsePositiveInteger('1.000')).toBe(1000);
		expect(parsePositiveInteger(7)).toBe(7);
	});
	it('reads a quantity like an amount: "1.000" is one thousand, as money "1.000" is', () => {
		expect(parsePositiveQuantity('1.000')).toBe(parseMoney('1.000'));
		expect(parsePositiveQuantity('2,5')).toBe(2.5);
		expect(parsePositiveQuantity(2.375)).toBe(2.375);
		for (const bad of ['0x0C', '1e1', '0b11', '0', '1,000', {}])
			expect(() => parsePositiveQuantity(bad)).toThrow();
	});
	it('refuses objects and lists as text', () => {
		expect(() => toText({ a: 1 })).toThrow(/not an object/);
		expect(() => toText(['a'])).toThrow(/not a list/);
		expect(toText(12)).toBe('12');
	});
	it('folds only ASCII letters: ı and ſ never become CNPJ letters', () => {
		expect(asciiUpperCase('abcıſ')).toBe('ABCıſ');
		const withS = makeCnpj('12SAS3450001');
		expect(normalizeCnpj(withS.toLowerCase())).toBe(withS);
		expect(() => normalizeCnpj(withS.replace('S', 'ſ'))).toThrow(/not a CNPJ/);
		const withI = makeCnpj('12IBI3450001');
		expect(() => normalizeCnpj(withI.replace('I', 'ı'))).toThrow(/not a CNPJ/);
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
	it.each([
		'abc',
		'R$ 1.234,567',
		'',
		'1,234',
		'12.34.56',
		1000.005,
		1e300,
		'1000000000000',
		Infinity,
		{ amount: 1 },
	])('refuses %p', (input) => expect(() => parseMoney(input)).toThrow());
	it('keeps binary noise of two-decimal numbers', () => {
		expect(parseMoney(0.1 + 0.2)).toBe(0.3);
		expect(parseMoney(1000.1)).toBe(1000.1);
	});
	it('reads the partner display strings', () => {
		expect(parseDisplayNumber('R$ 5.788,80')).toBe(5788.8);
		expect(parseDisplayNumber('153,67%')).toBe(153.67);
		expect(parseDisplayNumber('-R$ 1.000,00')).toBe(-1000);
		expect(parseDisplayNumber('3290.0000')).toBe(3290);
		expect(parseDisplayNumber('0,07%')).toBe(0.07);
		expect(parseDisplayNumber(null)).toBeNull();
	});
	it('reads any amount written the Brazilian way as Number() reads its decimal text', () => {
		let seed = 7;
		const next = () => (seed = (seed * 48271) % 2147483647);
		for (let round = 0; round < 5000; round++) {
			const whole = String(next() % 10 ** (1 + (round % 10)));
			const decimals = String(next()).slice(0, round % 5);
			const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
			const text = `${round % 3 === 0 ? '-' : ''}R$ ${grouped}${decimals ? `,${decimals}` : ''}`;
			const decimal = `${round % 3 === 0 ? '-' : ''}${whole}${decimals ? `.${decimals}` : ''}`;
			expect([text, parseDisplayNumber(text)]).toEqual([text, Number(decimal)]);
		}
	});
	it.each([
		['1.234', 1234],
		['1.5', 1.5],
		['12', 12],
		['1234,5', 1234.5],
		['R$ 1.234.567,89', 1234567.89],
		['  R$ 12,00  ', 12],
		['r$ 1,00', 1],
		['R$ -5,00', -5],
		['1 234,56', 1234.56],
		['-0,07%', -0.07],
		['12.34.56', null],
		['abc', null],
		['R$', null],
		['000.123', 123],
		['0.07', 0.07],
		['1234.567', 1234.567],
		['1,', null],
		[',5', null],
		['1,2,3', null],
		['1.,5', null],
		['-R$ 0,00', -0],
		['1234567890123456,7', Number('1234567890123456.7')],
	])('reads %p as %p (fast path or general one alike)', (text, expected) => {
		expect(parseDisplayNumber(text)).toBe(expected);
	});
});
