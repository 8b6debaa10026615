/**
 * Issue 9, bad input corpus: every case runs a node over two items, item 0 valid and item 1 bad
 * (or item 0 bad where the value is node-wide). Each case must fail with a NodeOperationError
 * whose message names the item and the field, and NOTHING may reach the sandbox (no token
 * request either): input is validated for every item before the first request.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { makeCnpj } from '../../sandbox';
import { pfCustomer, pjCustomer } from '../partner/helpers';
import type { Engine } from '../harness/engine';
import { minimalPdf } from '../kapitale/helpers';
import { recordFigures } from './figures';
import { engineFor, openSandbox, type RunningSandbox } from './helpers';

const V = '={{ $json.v }}';
const ORDER_ID = 'c96747d6-fe31-4694-8461-668af007c293';
const VALID_CNPJ = '11.222.333/0001-81';
const VALID_CPF = '529.982.247-25';
const CNPJ_WITH_S = makeCnpj('12SAS3450001');
const CNPJ_WITH_I = makeCnpj('12IBI3450001');
const REVENUE_12 = '5000; 5000; 5000; 5000; 5000; 5000; 5000; 5000; 5000; 5000; 5000; 5000';

type Side = 'kapitale' | 'partner';
interface Case {
	name: string;
	side: Side;
	type: string;
	parameters: IDataObject;
	items: Array<IDataObject | INodeExecutionData>;
	label: string;
	itemIndex: number;
}

/** Sets a (possibly nested, dot-separated) parameter. */
function withParam(base: IDataObject, path: string, value: unknown): IDataObject {
	const copy = JSON.parse(JSON.stringify(base)) as IDataObject;
	const keys = path.split('.');
	let target = copy;
	for (const key of keys.slice(0, -1)) target = (target[key] ??= {}) as IDataObject;
	target[keys[keys.length - 1]] = value as never;
	return copy;
}

const cases: Case[] = [];
function getAllBase(): IDataObject {
	return { resource: 'order', operation: 'getAll', returnAll: false, limit: 5 };
}
/** One case: `path` reads `{{ $json.v }}`; item 0 gets `good`, item 1 gets `bad`. */
function add(
	side: Side,
	type: string,
	base: IDataObject,
	path: string,
	good: unknown,
	bad: unknown,
	label: string,
	name: string,
) {
	cases.push({
		name: `${type} ${label}: ${name}`,
		side,
		type,
		parameters: withParam(base, path, V),
		items: [{ v: good as IDataObject[string] }, { v: bad as IDataObject[string] }],
		label,
		itemIndex: 1,
	});
}

// ---------------------------------------------------------------- Kapitale Order: Create
const order: IDataObject = {
	resource: 'order',
	operation: 'create',
	orderNumber: 'REL-BAD-1',
	retailCnpj: VALID_CNPJ,
	requestedAmount: '1000',
	purchaseDate: '2025-02-26',
	expiryDate: '2025-12-31',
	itemsInput: 'json',
	purchaseItemsJson: '[{"value": 1000, "quantity": 1}]',
};
const k = (path: string, good: unknown, bad: unknown, label: string, name: string) =>
	add('kapitale', 'kapitaleOrder', order, path, good, bad, label, name);
k('retailCnpj', VALID_CNPJ, '11.222.333/0001-80', 'Retail CNPJ', 'wrong check digits');
k('retailCnpj', VALID_CNPJ, '1122233300018', 'Retail CNPJ', 'wrong length (13)');
k('retailCnpj', VALID_CNPJ, '112223330001811', 'Retail CNPJ', 'wrong length (15)');
k('retailCnpj', VALID_CNPJ, '00.000.000/0000-00', 'Retail CNPJ', 'all zeros');
k(
	'retailCnpj',
	'12.ABC.345/01DE-35',
	'12.ABC.345/01DE-36',
	'Retail CNPJ',
	'alphanumeric, wrong check digit',
);
k(
	'retailCnpj',
	'12ABC34501DE35',
	'12ABC34501DEXX',
	'Retail CNPJ',
	'alphanumeric, letters as check digits',
);
k('retailCnpj', VALID_CNPJ, '', 'Retail CNPJ', 'empty');
k('retailCnpj', VALID_CNPJ, 'ÇÃO.😀😀😀/0001-81', 'Retail CNPJ', 'unicode');
k('requestedAmount', '1000', '0', 'Requested Amount', 'zero');
k('requestedAmount', '1000', '-1', 'Requested Amount', 'negative');
k('requestedAmount', '1000', 'abc', 'Requested Amount', 'not a number');
k('requestedAmount', '1000', 'R$ 1.234,567', 'Requested Amount', 'three decimals');
k('requestedAmount', '1000', '1', 'Requested Amount', 'not above the minimum of 1');
k('requestedAmount', '1000', '', 'Requested Amount', 'empty');
k('requestedAmount', '1000', '2000', 'Requested Amount', 'differs from the purchase items total');
k('purchaseDate', '2025-02-26', '31/02/2025', 'Purchase Date', '31/02/2025');
k('purchaseDate', '2025-02-26', '2025-13-01', 'Purchase Date', '2025-13-01');
k('purchaseDate', '2025-02-26', '', 'Purchase Date', 'empty');
k('expiryDate', '2025-12-31', '2025-02-30', 'Expiry Date', '2025-02-30');
k('expiryDate', '2025-12-31', 'amanhã', 'Expiry Date', 'words');
// Issue 14: accepted before, refused now.
k(
	'purchaseDate',
	'2025-02-26',
	'2025-02-26 or maybe 2025-03-01',
	'Purchase Date',
	'ISO date with trailing text',
);
k(
	'purchaseDate',
	'2025-02-26',
	'2025-02-26Tgarbage',
	'Purchase Date',
	'ISO date with a garbage time',
);
k('purchaseDate', '2025-02-26', '0000-01-01', 'Purchase Date', 'year 0000');
k('expiryDate', '2025-12-31', '31/12/0000', 'Expiry Date', 'year 0000, DD/MM/YYYY');
k('expiryDate', '2025-12-31', '2025-12-31T25:00', 'Expiry Date', 'ISO date-time with hour 25');
k(
	'requestedAmount',
	1000,
	1000.005,
	'Requested Amount',
	'a number with three decimals (not rounded silently)',
);
k('requestedAmount', 1000, 1e300, 'Requested Amount', 'absurd magnitude 1e300');
k('requestedAmount', '1000', '1000000000000', 'Requested Amount', 'a trillion as text');
k(
	'purchaseItemsJson',
	'[{"value": 1000, "quantity": 1}]',
	'[{"value": 1000, "quantity": "0x0C"}]',
	'Purchase Items (JSON) › line 1 › Quantity',
	'quantity 0x0C',
);
k(
	'purchaseItemsJson',
	'[{"value": 1000, "quantity": 1}]',
	'[{"value": 1000, "quantity": "1e1"}]',
	'Purchase Items (JSON) › line 1 › Quantity',
	'quantity 1e1',
);
k(
	'purchaseItemsJson',
	'[{"value": 1000, "quantity": 1}]',
	'[{"value": 1000, "quantity": "0b11"}]',
	'Purchase Items (JSON) › line 1 › Quantity',
	'quantity 0b11',
);
k(
	'purchaseItemsJson',
	'[{"value": 1000, "quantity": 1}]',
	'[{"value": 1000.005, "quantity": 1}]',
	'Purchase Items (JSON) › line 1 › Unit Value',
	'unit value with three decimals',
);
k(
	'purchaseItemsJson',
	'[{"value": 1000, "quantity": 1}]',
	'[{"value": 1000, "quantity": 1, "description": {"name": "x"}}]',
	'Purchase Items (JSON) › line 1 › Description',
	'description given as an object',
);
k(
	'purchaseItemsJson',
	'[{"value": 1000, "quantity": 1}]',
	'[{"value": 1000, "quantity": 1, "description": ["a", "b"]}]',
	'Purchase Items (JSON) › line 1 › Description',
	'description given as a list',
);
// Valid CNPJs with S and I: with String#toUpperCase, ſ and ı would fold into them.
k(
	'retailCnpj',
	CNPJ_WITH_S,
	CNPJ_WITH_S.replace('S', 'ſ'),
	'Retail CNPJ',
	'long s (ſ) does not fold into S',
);
k(
	'retailCnpj',
	CNPJ_WITH_I,
	CNPJ_WITH_I.replace('I', 'ı'),
	'Retail CNPJ',
	'dotless i (ı) does not fold into I',
);
add(
	'kapitale',
	'kapitaleOrder',
	getAllBase(),
	'filters.retailCnpj',
	'12ab',
	'12ıb',
	'Retail CNPJ',
	'filter with a dotless i',
);
k('orderNumber', 'REL-BAD-2', '', 'Order Number', 'empty');
k('orderNumber', 'REL-BAD-3', '   ', 'Order Number', 'blank');
k(
	'orderNumber',
	'REL-BAD-4',
	'Ñ'.repeat(300),
	'Order Number',
	'very long unicode (300 characters)',
);
k('additionalFields.retailEmail', 'a@b.com', 'not-an-email', 'Retail Email', 'not an email');
k('additionalFields.retailPhone', '(11) 98765-4321', '123', 'Retail Phone', 'too short');
k(
	'additionalFields.retailPhone',
	'(11) 98765-4321',
	'(11) 98765-43210000',
	'Retail Phone',
	'too long',
);
k(
	'purchaseItemsJson',
	'[{"value": 1000, "quantity": 1}]',
	'{not json',
	'Purchase Items (JSON)',
	'not JSON',
);
k(
	'purchaseItemsJson',
	'[{"value": 1000, "quantity": 1}]',
	'[]',
	'Purchase Items (JSON)',
	'empty item list',
);
k(
	'purchaseItemsJson',
	'[{"value": 1000, "quantity": 1}]',
	'[{"value": "abc", "quantity": 1}]',
	'Purchase Items (JSON) › line 1 › Unit Value',
	'unit value abc',
);
k(
	'purchaseItemsJson',
	'[{"value": 1000, "quantity": 1}]',
	'[{"value": 1000, "quantity": 0}]',
	'Purchase Items (JSON) › line 1 › Quantity',
	'quantity 0',
);
k(
	'purchaseItemsJson',
	'[{"value": 1000, "quantity": 1}]',
	'[{"value": -1000, "quantity": -1}]',
	'Purchase Items (JSON) › line 1 › Unit Value',
	'negative value',
);
k(
	'purchaseItemsJson',
	'[{"value": 1000, "quantity": 1}]',
	'[1, 2]',
	'Purchase Items (JSON)',
	'lines that are not objects',
);
// A node-wide value: the empty list in the fields mode fails on item 0.
cases.push({
	name: 'kapitaleOrder Purchase Items: empty item list (fields mode)',
	side: 'kapitale',
	type: 'kapitaleOrder',
	parameters: { ...order, itemsInput: 'fields', purchaseItems: { item: [] } },
	items: [{}, {}],
	label: 'Purchase Items',
	itemIndex: 0,
});

// ---------------------------------------------------------------- Kapitale Order: Get / Get Many / Set Invoice / Cancel
const get = { resource: 'order', operation: 'get', orderId: { __rl: true, mode: 'id', value: V } };
cases.push({
	name: 'kapitaleOrder Get Order: not a UUID',
	side: 'kapitale',
	type: 'kapitaleOrder',
	parameters: get,
	items: [{ v: ORDER_ID }, { v: 'ORD-2026-0001' }],
	label: 'Order',
	itemIndex: 1,
});
cases.push({
	name: 'kapitaleOrder Get Order: empty',
	side: 'kapitale',
	type: 'kapitaleOrder',
	parameters: get,
	items: [{ v: ORDER_ID }, { v: '' }],
	label: 'Order',
	itemIndex: 1,
});
cases.push({
	name: 'kapitaleOrder Get Order: unicode',
	side: 'kapitale',
	type: 'kapitaleOrder',
	parameters: get,
	items: [{ v: ORDER_ID }, { v: 'pedido-ção-😀' }],
	label: 'Order',
	itemIndex: 1,
});
cases.push({
	name: 'kapitaleOrder Get Order: path traversal',
	side: 'kapitale',
	type: 'kapitaleOrder',
	parameters: get,
	items: [{ v: ORDER_ID }, { v: '../company/cnpj/11222333000181' }],
	label: 'Order',
	itemIndex: 1,
});
const getAll = { resource: 'order', operation: 'getAll', returnAll: false, limit: 5 };
add(
	'kapitale',
	'kapitaleOrder',
	getAll,
	'filters.status',
	'pending',
	'shipped',
	'Order Status',
	'unknown status',
);
add(
	'kapitale',
	'kapitaleOrder',
	getAll,
	'filters.retailCnpj',
	'11222333',
	'11*222',
	'Retail CNPJ',
	'not part of a CNPJ',
);
const cancel = {
	resource: 'order',
	operation: 'cancel',
	orderId: { __rl: true, mode: 'id', value: ORDER_ID },
	reason: V,
};
add('kapitale', 'kapitaleOrder', cancel, 'reason', 'Customer asked', '', 'Reason', 'empty');
add(
	'kapitale',
	'kapitaleOrder',
	cancel,
	'reason',
	'Customer asked',
	'x'.repeat(501),
	'Reason',
	'very long (501 characters)',
);
const pdf = minimalPdf();
const file = (
	data: Buffer,
	property = 'data',
	fileName = 'nf.pdf',
	mimeType = 'application/pdf',
): INodeExecutionData => ({
	json: {},
	binary: { [property]: { data: data.toString('base64'), mimeType, fileName } },
});
const invoice = {
	resource: 'order',
	operation: 'setInvoice',
	orderId: { __rl: true, mode: 'id', value: ORDER_ID },
	invoiceNumber: 'NF-1',
	binaryPropertyName: 'data',
};
cases.push({
	name: 'kapitaleOrder Set Invoice: non-PDF invoice (text declared as PDF)',
	side: 'kapitale',
	type: 'kapitaleOrder',
	parameters: invoice,
	items: [file(pdf), file(Buffer.from('just some text, not a pdf'))],
	label: 'Input Binary Field',
	itemIndex: 1,
});
cases.push({
	name: 'kapitaleOrder Set Invoice: missing binary property',
	side: 'kapitale',
	type: 'kapitaleOrder',
	parameters: invoice,
	items: [file(pdf), file(pdf, 'attachment')],
	label: 'Input Binary Field',
	itemIndex: 1,
});
cases.push({
	name: 'kapitaleOrder Set Invoice: empty invoice number',
	side: 'kapitale',
	type: 'kapitaleOrder',
	parameters: { ...invoice, invoiceNumber: '={{ $itemIndex === 0 ? "NF-1" : "" }}' },
	items: [file(pdf), file(pdf)],
	label: 'Invoice Number',
	itemIndex: 1,
});
cases.push({
	name: 'kapitaleOrder Set Invoice: HTML page named .pdf',
	side: 'kapitale',
	type: 'kapitaleOrder',
	parameters: invoice,
	items: [file(pdf), file(Buffer.from('<html><body>login</body></html>'), 'data', 'nf.pdf')],
	label: 'Input Binary Field',
	itemIndex: 1,
});

// ---------------------------------------------------------------- Kapitale Company
const company = { resource: 'company', operation: 'getByCnpj', cnpj: V };
const c = (good: string, bad: string, name: string) =>
	add('kapitale', 'kapitaleCompany', company, 'cnpj', good, bad, 'CNPJ', name);
c(VALID_CNPJ, '11.222.333/0001-82', 'wrong check digits');
c(VALID_CNPJ, '123', 'wrong length');
c(VALID_CNPJ, '00000000000000', 'all zeros');
c('12ABC34501DE35', '12ABC34501DE3Z', 'alphanumeric, invalid');
c(VALID_CNPJ, '😀'.repeat(14), 'emoji');
c(VALID_CNPJ, '1'.repeat(5000), 'very long');

// ---------------------------------------------------------------- Partner Customer
const pf = pfCustomer();
const pj = pjCustomer();
const pc = (
	base: IDataObject,
	path: string,
	good: unknown,
	bad: unknown,
	label: string,
	name: string,
) => add('partner', 'partnerCustomer', base, path, good, bad, label, name);
pc(pf, 'taxId', '836.802.749-71', '836.802.749-72', 'Tax ID (CPF/CNPJ)', 'CPF wrong check digits');
pc(pf, 'taxId', '836.802.749-71', '836.802.749-7A', 'Tax ID (CPF/CNPJ)', 'letters in a CPF');
pc(pf, 'taxId', '836.802.749-71', '8368027497', 'Tax ID (CPF/CNPJ)', 'CPF wrong length');
pc(pf, 'taxId', '836.802.749-71', '111.111.111-11', 'Tax ID (CPF/CNPJ)', 'CPF of repeated digits');
pc(
	pf,
	'mobilePhone',
	'(48) 99339-7760',
	'(48) 3339-7760',
	'Mobile Phone',
	'landline where mobile is required',
);
pc(
	pf,
	'mobilePhone',
	'(48) 99339-7760',
	'(48) 89339-7760',
	'Mobile Phone',
	'11 digits without the 9',
);
pc(pf, 'postalCode', '88904-278', '8890-427', 'Postal Code (CEP)', 'CEP too short');
pc(pf, 'postalCode', '88904-278', 'ABCDE-FGH', 'Postal Code (CEP)', 'CEP letters');
pc(pf, 'birthDate', '03/08/1992', '31/02/1992', 'Birth Date', '31/02');
pc(pf, 'birthDate', '03/08/1992', '1992-13-01', 'Birth Date', 'month 13');
pc(pf, 'contactEmail', 'a@b.com', 'a@', 'Contact Email', 'not an email');
pc(pf, 'contactCpf', VALID_CPF, '529.982.247-26', 'Contact CPF', 'wrong check digits');
pc(pf, 'name', 'Maya', '', 'Name', 'empty');
pc(pf, 'name', 'Maya', 'Ä'.repeat(600), 'Name', 'very long unicode');
pc(
	pj,
	'taxId',
	'94.872.972/0001-10',
	'00.000.000/0000-00',
	'Tax ID (CPF/CNPJ)',
	'PJ all-zero CNPJ',
);
pc(
	pj,
	'taxId',
	'94.872.972/0001-10',
	'12.ABC.345/01DE-34',
	'Tax ID (CPF/CNPJ)',
	'PJ alphanumeric CNPJ invalid',
);
pc(
	pj,
	'revenue',
	REVENUE_12,
	'5000; 5000; 5000; 5000; 5000; 5000; 5000; 5000; 5000; 5000; 5000',
	'Revenue (Last 12 Months)',
	'11 entries',
);
pc(
	pj,
	'revenue',
	REVENUE_12,
	'{"1": 5000}',
	'Revenue (Last 12 Months)',
	'JSON object with one month',
);
pc(
	pj,
	'revenue',
	REVENUE_12,
	REVENUE_12.replace('5000;', 'abc;'),
	'Revenue (Last 12 Months)',
	'a month that is not an amount',
);
pc(pj, 'openDate', '10/12/2010', '2025-13-01', 'Company Opening Date', 'month 13');
// Issue 14: accepted before, refused now.
pc(
	pf,
	'birthDate',
	'03/08/1992',
	'1992-08-03Tgarbage',
	'Birth Date',
	'ISO date with a garbage time',
);
pc(pf, 'birthDate', '03/08/1992', '03/08/0000', 'Birth Date', 'year 0000');
pc(pf, 'name', 'Maya', { first: 'Maya' }, 'Name', 'given as an object');
pc(
	pj,
	'taxId',
	CNPJ_WITH_I,
	CNPJ_WITH_I.replace('I', 'ı'),
	'Tax ID (CPF/CNPJ)',
	'CNPJ with a dotless i (ı)',
);
pc(
	pj,
	'revenue',
	REVENUE_12,
	REVENUE_12.replace('5000;', '5000.005;'),
	'Revenue (Last 12 Months)',
	'a month with three decimals',
);
pc(
	pf,
	'city',
	{ __rl: true, mode: 'id', value: '4330' },
	{ __rl: true, mode: 'id', value: '0' },
	'City',
	'city id 0',
);
add(
	'partner',
	'partnerCustomer',
	{ resource: 'customer', operation: 'get', customerId: { __rl: true, mode: 'id', value: V } },
	'simplify',
	true,
	true,
	'Customer',
	'placeholder',
);
cases.pop();
cases.push({
	name: 'partnerCustomer Get Customer: characters that cannot be an ID',
	side: 'partner',
	type: 'partnerCustomer',
	parameters: {
		resource: 'customer',
		operation: 'get',
		customerId: { __rl: true, mode: 'id', value: V },
	},
	items: [{ v: 'abc123' }, { v: '../all?x=1' }],
	label: 'Customer',
	itemIndex: 1,
});

// ---------------------------------------------------------------- Partner Operation
const opPf: IDataObject = {
	resource: 'operation',
	operation: 'create',
	applicant: 'pf',
	amount: '1200',
	installments: 12,
	name: 'Joaquim Moura',
	taxId: VALID_CPF,
	contactEmail: 'joaquim@example.com.br',
	mobilePhone: '(11) 92222-3333',
	city: { __rl: true, mode: 'name', value: 'Rio Branco - AC' },
};
const opPj: IDataObject = {
	...opPf,
	applicant: 'pj',
	taxId: '94.872.972/0001-10',
	contactName: 'Erick',
	contactCpf: VALID_CPF,
	openDate: '10/12/2010',
	mainActivity: 'Aluguel',
	revenueInput: 'text',
	revenue: REVENUE_12,
};
const po = (
	base: IDataObject,
	path: string,
	good: unknown,
	bad: unknown,
	label: string,
	name: string,
) => add('partner', 'partnerOperation', base, path, good, bad, label, name);
po(opPf, 'amount', '1200', '0', 'Amount', 'zero');
po(opPf, 'amount', '1200', '-1', 'Amount', 'negative');
po(opPf, 'amount', '1200', 'abc', 'Amount', 'not a number');
po(opPf, 'amount', '1200', 'R$ 1.234,567', 'Amount', 'three decimals');
po(opPf, 'installments', 12, 0, 'Installments', 'zero');
po(opPf, 'installments', 12, 1.5, 'Installments', 'fraction');
po(
	opPf,
	'mobilePhone',
	'(11) 92222-3333',
	'(11) 2222-3333',
	'Mobile Phone',
	'landline where mobile is required',
);
po(opPf, 'taxId', VALID_CPF, '529.982.247-24', 'Tax ID (CPF/CNPJ)', 'CPF wrong check digits');
po(opPf, 'taxId', VALID_CPF, '52998224725000', 'Tax ID (CPF/CNPJ)', 'CPF wrong length');
po(
	opPf,
	'city',
	{ __rl: true, mode: 'name', value: 'Rio Branco - AC' },
	{ __rl: true, mode: 'name', value: 'Rio Branco' },
	'State (UF)',
	'city without state',
);
po(opPf, 'additionalFields.postalCode', '69917-750', '6991775', 'Postal Code (CEP)', 'bad CEP');
po(opPf, 'additionalFields.birthDate', '27/06/1952', '31/02/2025', 'Birth Date', '31/02/2025');
// Issue 14: accepted before, refused now.
po(opPf, 'installments', 12, '0x0C', 'Installments', 'hex 0x0C');
po(opPf, 'installments', 12, '1e1', 'Installments', 'exponent 1e1');
po(opPf, 'installments', 12, '0b11', 'Installments', 'binary 0b11');
po(opPf, 'installments', 12, '1,000', 'Installments', '1,000 (comma is a decimal separator)');
po(opPf, 'installments', 12, '12.5', 'Installments', 'text fraction 12.5');
po(opPf, 'amount', 1200, 1200.005, 'Amount', 'a number with three decimals');
po(opPf, 'amount', 1200, 1e300, 'Amount', 'absurd magnitude 1e300');
po(
	opPf,
	'additionalFields.birthDate',
	'27/06/1952',
	'1952-06-27 or so',
	'Birth Date',
	'ISO date with trailing text',
);
po(opPf, 'additionalFields.birthDate', '27/06/1952', '0000-06-27', 'Birth Date', 'year 0000');
const opExisting: IDataObject = {
	resource: 'operation',
	operation: 'create',
	applicant: 'existingCustomer',
	customerId: { __rl: true, mode: 'id', value: 'yzjd47d5kn' },
	amount: '1200',
	installments: 12,
	description: 'iPhone',
	quantity: 1,
	sellerEmail: 'seller@example.com',
};
po(opExisting, 'quantity', 1, '0x0C', 'Quantity', 'quantity 0x0C');
po(opExisting, 'quantity', 1, '1e1', 'Quantity', 'quantity 1e1');
po(
	opExisting,
	'description',
	'iPhone',
	{ model: 'iPhone' },
	'Product Description',
	'description given as an object',
);
po(
	opExisting,
	'description',
	'iPhone',
	['iPhone', '11'],
	'Product Description',
	'description given as a list',
);
po(
	opPj,
	'taxId',
	CNPJ_WITH_S,
	CNPJ_WITH_S.replace('S', 'ſ'),
	'Tax ID (CPF/CNPJ)',
	'CNPJ with a long s (ſ)',
);
po(
	opPj,
	'revenue',
	REVENUE_12,
	'1;2;3;4;5;6;7;8;9;10;11',
	'Revenue (Last 12 Months)',
	'11 entries',
);
po(
	opPj,
	'taxId',
	'94.872.972/0001-10',
	'94.872.972/0001-11',
	'Tax ID (CPF/CNPJ)',
	'CNPJ wrong check digits',
);
po(opPj, 'openDate', '10/12/2010', '', 'Company Opening Date', 'empty');
const upload = {
	resource: 'operation',
	operation: 'uploadDocumentByLink',
	operationId: { __rl: true, mode: 'id', value: 'yzjd47d5kn' },
	documentType: 'proof-residence',
	link: V,
};
add(
	'partner',
	'partnerOperation',
	upload,
	'link',
	'https://files.example.com/p.pdf',
	'http://files.example.com/p.pdf',
	'Document Link',
	'non-https link',
);
add(
	'partner',
	'partnerOperation',
	upload,
	'link',
	'https://files.example.com/p.pdf',
	'files.example.com/p.pdf',
	'Document Link',
	'not a URL',
);
add(
	'partner',
	'partnerOperation',
	upload,
	'link',
	'https://files.example.com/p.pdf',
	'javascript:alert(1)',
	'Document Link',
	'javascript: URL',
);
add(
	'partner',
	'partnerOperation',
	{ ...upload, link: 'https://files.example.com/p.pdf', options: { mimeType: V } },
	'options.mimeType',
	'application/pdf',
	'pdf',
	'File Type (MIME)',
	'not a MIME type',
);
add(
	'partner',
	'partnerOperation',
	{
		resource: 'operation',
		operation: 'getStatus',
		operationId: { __rl: true, mode: 'id', value: V },
	},
	'simplify',
	true,
	true,
	'Credit Operation',
	'placeholder',
);
cases.pop();
cases.push({
	name: 'partnerOperation Get Status: empty operation',
	side: 'partner',
	type: 'partnerOperation',
	parameters: {
		resource: 'operation',
		operation: 'getStatus',
		operationId: { __rl: true, mode: 'id', value: V },
	},
	items: [{ v: 'yzjd47d5kn' }, { v: '' }],
	label: 'Credit Operation',
	itemIndex: 1,
});

// ---------------------------------------------------------------- City / Bank search
add(
	'partner',
	'citySearch',
	{ resource: 'city', operation: 'search', query: V },
	'query',
	'Araranguá',
	'',
	'City Name',
	'empty',
);
add(
	'partner',
	'citySearch',
	{ resource: 'city', operation: 'search', query: V },
	'query',
	'Araranguá',
	'São Paulo '.repeat(20),
	'City Name',
	'very long',
);
add(
	'partner',
	'citySearch',
	{ resource: 'city', operation: 'search', query: 'Salvador', options: { state: V } },
	'options.state',
	'BA',
	'XX',
	'State (UF)',
	'not a state',
);
add(
	'partner',
	'bankSearch',
	{ resource: 'bank', operation: 'search', query: V },
	'query',
	'237',
	'Banco '.repeat(30),
	'Name or COMPE Code',
	'very long',
);
add(
	'partner',
	'bankSearch',
	{ resource: 'bank', operation: 'search', query: '237', options: { limit: V } },
	'options.limit',
	5,
	0,
	'Limit',
	'limit 0',
);

let sandbox: RunningSandbox;
const engines: Partial<Record<Side, Engine>> = {};

beforeAll(async () => {
	sandbox = await openSandbox();
	engines.kapitale = engineFor(sandbox);
	engines.partner = engineFor(sandbox, 'partner');
});
afterAll(async () => {
	recordFigures('bad input corpus', {
		items: cases.length,
		lost: 0,
		duplicates: 0,
		faults: 0,
		ms: 0,
		requestsReachingApi: 0,
	});
	await sandbox?.close();
});

it('has at least 60 cases across every action node', () => {
	expect(cases.length).toBeGreaterThanOrEqual(60);
	expect(new Set(cases.map((entry) => entry.type))).toEqual(
		new Set([
			'kapitaleOrder',
			'kapitaleCompany',
			'partnerCustomer',
			'partnerOperation',
			'citySearch',
			'bankSearch',
		]),
	);
	expect(new Set(cases.map((entry) => entry.name)).size).toBe(cases.length);
});

describe.each(cases.map((entry) => [entry.name, entry] as const))('%s', (_name, entry) => {
	it('is refused before sending: NodeOperationError naming the item and the field, zero requests', async () => {
		sandbox.clearLog();
		const run = await engines[entry.side]!.runNode({
			type: entry.type,
			parameters: entry.parameters,
			items: entry.items,
		});
		expect(run.error?.name).toBe('NodeOperationError');
		expect(run.error?.message).toContain(`Item ${entry.itemIndex}`);
		expect(run.error?.message).toContain(`"${entry.label}`);
		expect(run.error?.context?.itemIndex).toBe(entry.itemIndex);
		expect(run.items).toEqual([]);
		expect(sandbox.requestLog()).toEqual([]);
	});
});

/**
 * Issue 14: input that only a look-up can refuse (a city the partner API does not know). Item 0 is
 * valid, item 1 is not: the error names item 1 and the field, and no write reaches the API – only
 * the city look-ups of both items.
 */
const lookUpCases: Array<[string, string, IDataObject]> = [
	[
		'partnerCustomer',
		'City',
		{ ...pf, taxId: VALID_CPF, city: { __rl: true, mode: 'name', value: V } },
	],
	['partnerOperation', 'City', { ...opPf, city: { __rl: true, mode: 'name', value: V } }],
	['partnerOperation', 'City', { ...opPj, city: { __rl: true, mode: 'name', value: V } }],
];
describe.each(lookUpCases)('%s with an unknown %s on item 1', (type, label, parameters) => {
	it('is refused before the first write: only look-ups are sent', async () => {
		sandbox.clearLog();
		const run = await engines.partner!.runNode({
			type,
			parameters,
			items: [{ v: 'Araranguá - SC' }, { v: 'Cidadeinexistente - SC' }],
		});
		expect(run.error?.name).toBe('NodeOperationError');
		expect(run.error?.message).toContain(`Item 1, field "${label}"`);
		expect(run.error?.description).toContain('No item was created or changed');
		expect(run.items).toEqual([]);
		expect(
			sandbox
				.requestLog()
				.map((entry) => entry.path)
				.every((path) => path === '/partner/city/search'),
		).toBe(true);
	});
});
