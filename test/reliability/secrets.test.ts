/**
 * Issue 9, secrets: every operation of every node runs, succeeding and failing (API errors,
 * refused credentials, expired tokens, faults, invalid input), with a recognisable client
 * secret, partner bearer token and the access tokens the runs obtained. None of them may appear
 * in any output item, error message, description, stack or anywhere in the run data.
 * The trigger's webhook secret must not appear in its output either.
 */
import type { IDataObject } from 'n8n-workflow';

import {
	Engine,
	sandboxCredentialData,
	type NodeRun,
	type RunNodeOptions,
} from '../harness/engine';
import { minimalPdf } from '../kapitale/helpers';
import { pfCustomer } from '../partner/helpers';
import { callWebhook, delivery } from '../trigger/fake';
import { recordFigures } from './figures';
import { exposedText, openSandbox, operationIds, type RunningSandbox } from './helpers';

const CLIENT_SECRET = 'CLIENT-SECRET-c0ffee-7e1f2a9d';
const BEARER = 'PARTNER-BEARER-badc0de-41b2c8f0';
const WRONG_SECRET = 'WRONG-CLIENT-SECRET-deadbeef-99';
const WRONG_BEARER = 'WRONG-PARTNER-BEARER-feedface-77';
const WEBHOOK_SECRET = 'WEBHOOK-SECRET-5eC12e7-abc123';

let sandbox: RunningSandbox;
const runs: Array<{ label: string; run: NodeRun }> = [];
const accessTokens = new Set<string>();

beforeAll(async () => {
	sandbox = await openSandbox({
		credentials: { clientSecret: CLIENT_SECRET, bearerToken: BEARER },
	});
});
afterAll(async () => await sandbox?.close());

function engines() {
	const good = sandboxCredentialData(sandbox);
	return {
		kapitale: new Engine({ credentials: { kapitale: good } }),
		partner: new Engine({
			credentials: { kapitale: sandboxCredentialData(sandbox, 'partner') },
		}),
		wrongClient: new Engine({ credentials: { kapitale: { ...good, clientSecret: WRONG_SECRET } } }),
		wrongBearer: new Engine({
			credentials: {
				kapitale: { ...sandboxCredentialData(sandbox, 'partner'), bearerToken: WRONG_BEARER },
			},
		}),
	};
}

async function run(engine: Engine, label: string, options: RunNodeOptions) {
	for (const continueOnFail of [false, true]) {
		const result = await engine.runNode({ ...options, continueOnFail });
		runs.push({ label: `${label}${continueOnFail ? ' (continue on fail)' : ''}`, run: result });
		const token = engine.credentialsHelper.stored('kapitale').accessToken;
		if (typeof token === 'string' && token) accessTokens.add(token);
	}
}

it('no secret appears in any output, error, description, stack or run data', async () => {
	const e = engines();
	const orderId = sandbox.fixtures.orderIdsByStatus.pending_invoice[0];
	const approved = sandbox.fixtures.orderIdsByStatus.approved[0];
	const missing = '00000000-0000-4000-8000-000000000000';
	const order = (id: string) => ({ __rl: true, mode: 'id', value: id });
	const create = (orderNumber: string) => ({
		resource: 'order',
		operation: 'create',
		orderNumber,
		retailCnpj: sandbox.fixtures.registeredRetailCnpj,
		requestedAmount: '1000',
		purchaseDate: '2025-02-26',
		expiryDate: '2025-12-31',
		purchaseItems: { item: [{ value: '1000', quantity: 1 }] },
		options: { fillContact: true },
	});
	const kapitaleOps: Array<[string, IDataObject, IDataObject[]?]> = [
		[
			'company found',
			{ resource: 'company', operation: 'getByCnpj', cnpj: sandbox.fixtures.registeredRetailCnpj },
		],
		[
			'company not found',
			{ resource: 'company', operation: 'getByCnpj', cnpj: sandbox.fixtures.unknownCnpj },
		],
		['company invalid', { resource: 'company', operation: 'getByCnpj', cnpj: '123' }],
		['order get', { resource: 'order', operation: 'get', orderId: order(orderId) }],
		['order get 404', { resource: 'order', operation: 'get', orderId: order(missing) }],
		[
			'order get many',
			{ resource: 'order', operation: 'getAll', returnAll: true, simplify: false },
		],
		['order create', create(`SEC-${Date.now()}`)],
		['order create 409', create(sandbox.fixtures.orderNumbersInUse[0])],
		[
			'order set invoice 409',
			{
				resource: 'order',
				operation: 'setInvoice',
				orderId: order(approved),
				invoiceNumber: 'NF-SEC',
				binaryPropertyName: 'data',
			},
		],
		[
			'order cancel',
			{ resource: 'order', operation: 'cancel', orderId: order(approved), reason: 'test' },
		],
		[
			'order cancel again 409',
			{ resource: 'order', operation: 'cancel', orderId: order(approved), reason: 'test' },
		],
	];
	const pdfItem = {
		json: {},
		binary: {
			data: {
				data: minimalPdf().toString('base64'),
				mimeType: 'application/pdf',
				fileName: 'nf.pdf',
			},
		},
	};
	for (const [label, parameters] of kapitaleOps) {
		const type = parameters.resource === 'company' ? 'kapitaleCompany' : 'kapitaleOrder';
		const items = parameters.operation === 'setInvoice' ? [pdfItem] : [{}];
		await run(e.kapitale, `kapitale ${label}`, { type, parameters, items });
		await run(e.wrongClient, `kapitale ${label} with a wrong client secret`, {
			type,
			parameters,
			items,
		});
	}
	// Expired tokens and faults: the 401 path re-authenticates, the 500 path reports.
	sandbox.setFaults([
		{ service: 'kapitale', tokenExpiresAfterRequests: 1 },
		{ service: 'kapitale', pathPrefix: '/company', errorRate: 1, errorStatus: 500 },
	]);
	await run(e.kapitale, 'kapitale expired token', {
		type: 'kapitaleOrder',
		parameters: { resource: 'order', operation: 'get', orderId: order(orderId) },
		items: [{}, {}, {}],
	});
	await run(e.kapitale, 'kapitale 500', {
		type: 'kapitaleCompany',
		parameters: {
			resource: 'company',
			operation: 'getByCnpj',
			cnpj: sandbox.fixtures.registeredRetailCnpj,
		},
	});
	sandbox.setFaults([]);

	const opId = (await operationIds(sandbox))[0];
	const customerId = sandbox.fixtures.customerIds.PF;
	const partnerOps: Array<[string, string, IDataObject]> = [
		['customer create', 'partnerCustomer', pfCustomer({ taxId: '390.533.447-05' })],
		['customer create duplicate', 'partnerCustomer', pfCustomer({ taxId: '390.533.447-05' })],
		[
			'customer get',
			'partnerCustomer',
			{
				resource: 'customer',
				operation: 'get',
				customerId: { __rl: true, mode: 'id', value: customerId },
			},
		],
		[
			'customer get 404',
			'partnerCustomer',
			{
				resource: 'customer',
				operation: 'get',
				customerId: { __rl: true, mode: 'id', value: 'nope404' },
			},
		],
		[
			'customer get many',
			'partnerCustomer',
			{ resource: 'customer', operation: 'getMany', returnAll: true },
		],
		[
			'customer resend terms',
			'partnerCustomer',
			{
				resource: 'customer',
				operation: 'resendTermsEmail',
				customerId: { __rl: true, mode: 'id', value: customerId },
			},
		],
		[
			'customer update',
			'partnerCustomer',
			{
				resource: 'customer',
				operation: 'update',
				customerId: { __rl: true, mode: 'id', value: customerId },
				updateFields: { name: 'Novo Nome' },
			},
		],
		[
			'operation create',
			'partnerOperation',
			{
				resource: 'operation',
				operation: 'create',
				applicant: 'pf',
				amount: '1200',
				installments: 12,
				name: 'Joaquim',
				taxId: '529.982.247-25',
				contactEmail: 'j@example.com',
				mobilePhone: '(11) 92222-3333',
				city: { __rl: true, mode: 'name', value: 'Rio Branco - AC' },
			},
		],
		[
			'operation create bad city',
			'partnerOperation',
			{
				resource: 'operation',
				operation: 'create',
				applicant: 'pf',
				amount: '1200',
				installments: 12,
				name: 'Joaquim',
				taxId: '529.982.247-25',
				contactEmail: 'j@example.com',
				mobilePhone: '(11) 92222-3333',
				city: { __rl: true, mode: 'name', value: 'Atlantis - SC' },
			},
		],
		[
			'operation status',
			'partnerOperation',
			{
				resource: 'operation',
				operation: 'getStatus',
				operationId: { __rl: true, mode: 'id', value: opId },
			},
		],
		[
			'operation details',
			'partnerOperation',
			{
				resource: 'operation',
				operation: 'getDetails',
				operationId: { __rl: true, mode: 'id', value: opId },
			},
		],
		[
			'operation details 404',
			'partnerOperation',
			{
				resource: 'operation',
				operation: 'getDetails',
				operationId: { __rl: true, mode: 'id', value: 'nope404' },
			},
		],
		[
			'operation get many',
			'partnerOperation',
			{ resource: 'operation', operation: 'getMany', returnAll: true },
		],
		[
			'operation upload',
			'partnerOperation',
			{
				resource: 'operation',
				operation: 'uploadDocumentByLink',
				operationId: { __rl: true, mode: 'id', value: opId },
				documentType: 'proof-residence',
				link: 'https://files.example.com/p.pdf',
			},
		],
		['city search', 'citySearch', { resource: 'city', operation: 'search', query: 'Araranguá' }],
		['bank search', 'bankSearch', { resource: 'bank', operation: 'search', query: '237' }],
	];
	for (const [label, type, parameters] of partnerOps) {
		await run(e.partner, `partner ${label}`, { type, parameters });
		await run(e.wrongBearer, `partner ${label} with a wrong bearer token`, { type, parameters });
	}
	sandbox.setFaults([{ service: 'partner', errorRate: 1, errorStatus: 502 }]);
	await run(e.partner, 'partner 502', {
		type: 'bankSearch',
		parameters: { resource: 'bank', operation: 'search', query: '237' },
	});
	sandbox.setFaults([]);

	expect(accessTokens.size).toBeGreaterThan(1);
	// Each run did something: some succeeded, some failed.
	expect(
		runs.filter(
			({ run: r }) => !r.error && r.items.length > 0 && !r.items.some((item) => item.json.error),
		).length,
	).toBeGreaterThan(15);
	expect(
		runs.filter(({ run: r }) => r.error || r.items.some((item) => item.json.error)).length,
	).toBeGreaterThan(40);

	const secrets: Record<string, string> = {
		'client secret': CLIENT_SECRET,
		'wrong client secret': WRONG_SECRET,
		'partner bearer token': BEARER,
		'wrong partner bearer token': WRONG_BEARER,
		'Basic client:secret': Buffer.from(`${sandbox.credentials.clientId}:${CLIENT_SECRET}`).toString(
			'base64',
		),
		'client:secret URL-encoded': encodeURIComponent(
			`${sandbox.credentials.clientId}:${CLIENT_SECRET}`,
		),
		'client secret base64': Buffer.from(CLIENT_SECRET).toString('base64'),
		'partner bearer token base64': Buffer.from(BEARER).toString('base64'),
	};
	[...accessTokens].forEach((token, index) => {
		secrets[`access token ${index}`] = token;
		secrets[`access token ${index} signature`] = token.split('.')[2];
	});
	const leaks: string[] = [];
	for (const { label, run: r } of runs) {
		const text = exposedText(r);
		for (const [name, secret] of Object.entries(secrets))
			if (text.includes(secret)) leaks.push(`${label}: ${name}`);
	}
	recordFigures('secrets', {
		items: runs.length,
		lost: 0,
		duplicates: 0,
		faults: 0,
		ms: 0,
		secretsChecked: Object.keys(secrets).length,
		leaks: leaks.length,
	});
	expect(leaks).toEqual([]);
});

it('the trigger never puts the webhook secret in its output (bearer, basic, custom header; headers included)', async () => {
	const configs: IDataObject[] = [
		{ authentication: 'bearer', bearerToken: WEBHOOK_SECRET },
		{ authentication: 'basic', basicUser: 'kapitale', basicPassword: WEBHOOK_SECRET },
		{ authentication: 'header', headerName: 'X-Kapitale-Secret', headerValue: WEBHOOK_SECRET },
	];
	const authHeaders = [
		{ authorization: `Bearer ${WEBHOOK_SECRET}` },
		{ authorization: `Basic ${Buffer.from(`kapitale:${WEBHOOK_SECRET}`).toString('base64')}` },
		{ 'x-kapitale-secret': WEBHOOK_SECRET },
	];
	let outputs = 0;
	for (const [index, config] of configs.entries()) {
		for (const options of [{}, { includeHeaders: true }, { includeHeaders: true, rawBody: true }]) {
			for (const headers of [authHeaders[index], { authorization: `Bearer ${WEBHOOK_SECRET}x` }]) {
				const out = await callWebhook(
					{ ...config, deduplicate: false, options },
					{ rawBody: delivery(), headers },
				);
				const text = JSON.stringify({
					body: out.body,
					items: out.items,
					headers: out.responseHeaders,
					result: out.result,
				});
				expect(text).not.toContain(WEBHOOK_SECRET);
				expect(text).not.toContain(Buffer.from(`kapitale:${WEBHOOK_SECRET}`).toString('base64'));
				if (out.items) outputs++;
			}
		}
	}
	expect(outputs).toBe(9);
});
