import { RunningSandbox, startSandbox } from './index';
import {
	ALL_SCOPES,
	control,
	getToken,
	kapitale,
	multipartBody,
	TINY_PDF,
	TINY_PNG,
} from './testing';

let sb: RunningSandbox;
let token: string;

beforeAll(async () => {
	sb = await startSandbox({
		quiet: true,
		credentials: { clientSecret: 'recognisable-test-secret' },
	});
	token = await getToken(sb);
});
afterAll(() => sb.close());

function form(params: Record<string, string>, basic?: [string, string]) {
	const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded' };
	if (basic)
		headers.Authorization = 'Basic ' + Buffer.from(`${basic[0]}:${basic[1]}`).toString('base64');
	return fetch(sb.tokenUrl, {
		method: 'POST',
		headers,
		body: new URLSearchParams(params).toString(),
	});
}

const validOrder = (n: string) => ({
	order_number: n,
	expiry_date: '2026-12-31',
	requested_amount: 10000.5,
	retail_cnpj: sb.fixtures.registeredRetailCnpj,
	retail_representative: 'João Silva',
	retail_email: 'joao@empresa.com',
	retail_phone: '11999999999',
	purchase_date: '2026-11-01',
	purchase_items: [{ value: 5000, quantity: 2, description: 'Produto A' }],
});

describe('token endpoint', () => {
	test('Basic auth issues a signed JWT with industry claim and exp', async () => {
		const r = await form({ grant_type: 'client_credentials', scope: 'partner-can/orders.read' }, [
			sb.credentials.clientId,
			sb.credentials.clientSecret,
		]);
		expect(r.status).toBe(200);
		const body = (await r.json()) as any;
		expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
		const claims = JSON.parse(Buffer.from(body.access_token.split('.')[1], 'base64url').toString());
		expect(claims).toMatchObject({
			sub: sb.credentials.clientId,
			industry_cnpj: sb.credentials.industryCnpj,
			scope: 'partner-can/orders.read',
		});
		expect(claims.exp - claims.iat).toBe(3600);
		expect(typeof claims.jti).toBe('string');
	});

	test('body credentials work too', async () => {
		const r = await form({
			grant_type: 'client_credentials',
			scope: ALL_SCOPES,
			client_id: sb.credentials.clientId,
			client_secret: sb.credentials.clientSecret,
		});
		expect(r.status).toBe(200);
	});

	test('wrong client → 401 invalid_client', async () => {
		const r = await form({ grant_type: 'client_credentials', scope: 'partner-can/orders.read' }, [
			sb.credentials.clientId,
			'nope',
		]);
		expect(r.status).toBe(401);
		expect(await r.json()).toEqual({ error: 'invalid_client' });
		const r2 = await form({ grant_type: 'client_credentials', scope: 'partner-can/orders.read' });
		expect(r2.status).toBe(401);
	});

	test('missing or unknown scope → 400 invalid_scope', async () => {
		const c: [string, string] = [sb.credentials.clientId, sb.credentials.clientSecret];
		for (const scope of [undefined, 'partner-can/orders.read partner-can/everything']) {
			const r = await form({ grant_type: 'client_credentials', ...(scope ? { scope } : {}) }, c);
			expect(r.status).toBe(400);
			expect(await r.json()).toEqual({ error: 'invalid_scope' });
		}
	});

	test('other grant types and content types are refused', async () => {
		const r = await form({ grant_type: 'password', scope: 'partner-can/orders.read' }, [
			sb.credentials.clientId,
			sb.credentials.clientSecret,
		]);
		expect(r.status).toBe(400);
		expect(((await r.json()) as any).error).toBe('unsupported_grant_type');
		const r2 = await fetch(sb.tokenUrl, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: '{}',
		});
		expect(r2.status).toBe(400);
	});
});

describe('auth on Kapitale endpoints', () => {
	test('missing / garbage token → 401 Unauthorized', async () => {
		const r = await fetch(`${sb.kapitaleBaseUrl}/order`);
		expect(r.status).toBe(401);
		expect(await r.json()).toEqual({ message: 'Unauthorized' });
		expect((await kapitale(sb, 'abc.def.ghi', 'GET', '/order')).status).toBe(401);
	});

	test('token signed by another server → 401', async () => {
		const other = await startSandbox({ quiet: true });
		try {
			const t = await getToken(other);
			expect((await kapitale(sb, t, 'GET', '/order')).status).toBe(401);
		} finally {
			await other.close();
		}
	});

	test('expired token → 401 The incoming token has expired', async () => {
		const short = await startSandbox({ quiet: true, tokenTtlSeconds: 1 });
		try {
			const t = await getToken(short);
			expect((await kapitale(short, t, 'GET', '/order')).status).toBe(200);
			await new Promise((r) => setTimeout(r, 1100));
			const r = await kapitale(short, t, 'GET', '/order');
			expect(r.status).toBe(401);
			expect(r.json).toEqual({ message: 'The incoming token has expired' });
		} finally {
			await short.close();
		}
	});

	test('missing scope → 403 naming the scope', async () => {
		const t = await getToken(sb, 'partner-can/cnpj.read');
		const cases: Array<[string, string, string]> = [
			['GET', '/order', 'partner-can/orders.read'],
			['POST', '/order', 'partner-can/orders.create'],
			['GET', `/order/${sb.fixtures.orderIdsByStatus.pending[0]}`, 'partner-can/orders.read'],
			[
				'PATCH',
				`/order/cancel/${sb.fixtures.orderIdsByStatus.pending[0]}`,
				'partner-can/orders.read',
			],
			[
				'PATCH',
				`/order/invoice/${sb.fixtures.orderIdsByStatus.pending_invoice[0]}`,
				'partner-can/orders.sentnf',
			],
		];
		for (const [m, p, scope] of cases) {
			const r = await kapitale(sb, t, m, p, m === 'GET' ? undefined : {});
			expect(r.status).toBe(403);
			expect(r.json).toEqual({ message: `Insufficient scope: ${scope} required` });
		}
		const t2 = await getToken(sb, 'partner-can/orders.read');
		expect(
			(await kapitale(sb, t2, 'GET', `/company/cnpj/${sb.fixtures.registeredRetailCnpj}`)).status,
		).toBe(403);
	});
});

describe('GET /company/cnpj/{cnpj}', () => {
	test('registered retail', async () => {
		const r = await kapitale(sb, token, 'GET', `/company/cnpj/${sb.fixtures.registeredRetailCnpj}`);
		expect(r.status).toBe(200);
		expect(r.json.registered_retail).toBe(true);
		expect(Object.keys(r.json).sort()).toEqual(
			[
				'name',
				'retail_representative',
				'email',
				'phone',
				'address',
				'number',
				'neighborhood',
				'city',
				'state',
				'complement',
				'zip_code',
				'registered_retail',
			].sort(),
		);
	});
	test('bureau retail (registered_retail false)', async () => {
		const r = await kapitale(sb, token, 'GET', `/company/cnpj/${sb.fixtures.bureauRetailCnpj}`);
		expect(r.status).toBe(200);
		expect(r.json.registered_retail).toBe(false);
		expect(r.json.name).toBe('Nova Empresa Varejo LTDA');
	});
	test('alphanumeric CNPJ', async () => {
		const r = await kapitale(
			sb,
			token,
			'GET',
			`/company/cnpj/${sb.fixtures.alphanumericRetailCnpj}`,
		);
		expect(r.status).toBe(200);
	});
	test('unknown → 404, malformed → 400', async () => {
		expect(
			(await kapitale(sb, token, 'GET', `/company/cnpj/${sb.fixtures.unknownCnpj}`)).status,
		).toBe(404);
		for (const bad of [
			'11222333000182',
			'1122233300018',
			'11.222.333%2F0001-81',
			'00000000000000',
		]) {
			const r = await kapitale(sb, token, 'GET', `/company/cnpj/${bad}`);
			expect([400, 404]).toContain(r.status);
			if (bad !== '11.222.333%2F0001-81') expect(r.status).toBe(400);
		}
	});
});

describe('POST /order', () => {
	test('creates an order with the spec shape', async () => {
		const r = await kapitale(sb, token, 'POST', '/order', validOrder('T-CREATE-1'));
		expect(r.status).toBe(201);
		expect(r.json).toMatchObject({
			order_no: 'T-CREATE-1',
			expiry_date: '2026-12-31T00:00:00.000Z',
			requested_amount: 10000.5,
			paid_amount: 9785.49,
			payment_status: 'pending',
			order_status: 'pending',
			retail_fee: 0,
			industry_fee: 0.0215,
		});
		expect(r.json.id).toMatch(/^[0-9a-f-]{36}$/);
		expect(new Date(r.json.created_at).toISOString()).toBe(r.json.created_at);
		const g = await kapitale(sb, token, 'GET', `/order/${r.json.id}`);
		expect(g.status).toBe(200);
		expect(g.json.purchase_items).toEqual([{ value: 5000, quantity: 2, description: 'Produto A' }]);
	});

	test('alphanumeric retail CNPJ accepted', async () => {
		const r = await kapitale(sb, token, 'POST', '/order', {
			...validOrder('T-ALNUM'),
			retail_cnpj: '12ABC34501DE35',
		});
		expect(r.status).toBe(201);
	});

	test.each([
		['retail_cnpj', { retail_cnpj: '00.000.000/0001-00' }],
		['retail_cnpj', { retail_cnpj: '11.222.333/0001-81' }],
		['retail_cnpj', { retail_cnpj: '11222333000182' }],
		['retail_cnpj', { retail_cnpj: '12ABC34501DE36' }],
		['retail_cnpj', { retail_cnpj: undefined }],
		['requested_amount', { requested_amount: 1 }],
		['requested_amount', { requested_amount: '100' }],
		['expiry_date', { expiry_date: '31/12/2026' }],
		['expiry_date', { expiry_date: '2026-02-30' }],
		['purchase_date', { purchase_date: '2026-1-1' }],
		['purchase_items', { purchase_items: [] }],
		['purchase_items[0].value', { purchase_items: [{ value: 0, quantity: 1 }] }],
		['purchase_items[0].quantity', { purchase_items: [{ value: 10, quantity: -1 }] }],
		['order_number', { order_number: '' }],
		['retail_email', { retail_email: 'not-an-email' }],
	])('400 naming %s', async (field, patch) => {
		const r = await kapitale(sb, token, 'POST', '/order', {
			...validOrder(`T-BAD-${Math.random()}`),
			...patch,
		});
		expect(r.status).toBe(400);
		expect(r.json.message).toContain(field);
	});

	test('duplicate order_number → 409', async () => {
		expect((await kapitale(sb, token, 'POST', '/order', validOrder('T-DUP'))).status).toBe(201);
		const r = await kapitale(sb, token, 'POST', '/order', validOrder('T-DUP'));
		expect(r.status).toBe(409);
		expect(r.json.message).toContain('order_number');
	});

	test('invalid JSON → 400', async () => {
		const r = await fetch(`${sb.kapitaleBaseUrl}/order`, {
			method: 'POST',
			headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
			body: '{oops',
		});
		expect(r.status).toBe(400);
	});
});

describe('GET /order', () => {
	let s: RunningSandbox;
	let t: string;
	beforeAll(async () => {
		s = await startSandbox({ quiet: true, seed: 7 });
		s.seedOrders(137);
		t = await getToken(s);
	});
	afterAll(() => s.close());

	test('pagination arithmetic: no duplicate, no gap, newest first', async () => {
		const total = s.counts().orders;
		const limit = 25;
		const seen: string[] = [];
		const first = await kapitale(s, t, 'GET', `/order?limit=${limit}`);
		expect(first.json).toMatchObject({
			page: 1,
			limit,
			count: total,
			totalPages: Math.ceil(total / limit),
		});
		for (let page = 1; page <= first.json.totalPages; page++) {
			const r = await kapitale(s, t, 'GET', `/order?limit=${limit}&page=${page}`);
			expect(r.status).toBe(200);
			expect(r.json.data.length).toBe(
				page < first.json.totalPages ? limit : total - limit * (page - 1),
			);
			seen.push(...r.json.data.map((o: any) => o.id));
		}
		expect(seen.length).toBe(total);
		expect(new Set(seen).size).toBe(total);
		const beyond = await kapitale(
			s,
			t,
			'GET',
			`/order?limit=${limit}&page=${first.json.totalPages + 1}`,
		);
		expect(beyond.json.data).toEqual([]);
		const all = await kapitale(s, t, 'GET', `/order?limit=100`);
		const created = all.json.data.map((o: any) => o.created_at);
		expect([...created].sort().reverse()).toEqual(created);
	});

	test('default limit 10, list item shape, pendingInvoices', async () => {
		const r = await kapitale(s, t, 'GET', '/order');
		expect(r.json.limit).toBe(10);
		expect(r.json.page).toBe(1);
		expect(r.json.data).toHaveLength(10);
		expect(r.json.data[0]).toEqual(
			expect.objectContaining({
				id: expect.any(String),
				order_no: expect.any(String),
				order_status: expect.any(String),
				payment_status: expect.any(String),
				retail: { name: expect.any(String), cnpj: expect.any(String) },
			}),
		);
		expect(r.json.pendingInvoices).toBe(s.fixtures.orderIdsByStatus.pending_invoice.length);
	});

	test('comma-separated status filter and partial retail_cnpj', async () => {
		const r = await kapitale(s, t, 'GET', '/order?status=pending_invoice,paid&limit=100');
		expect(r.json.count).toBe(
			s.fixtures.orderIdsByStatus.pending_invoice.length + s.fixtures.orderIdsByStatus.paid.length,
		);
		expect(new Set(r.json.data.map((o: any) => o.order_status))).toEqual(
			new Set(['pending_invoice', 'paid']),
		);
		const part = s.fixtures.registeredRetailCnpj.slice(0, 6);
		const r2 = await kapitale(s, t, 'GET', `/order?retail_cnpj=${part}&limit=100`);
		expect(r2.json.count).toBeGreaterThan(0);
		for (const o of r2.json.data) expect(o.retail.cnpj).toContain(part);
	});

	test('bad parameters → 400', async () => {
		for (const q of ['limit=101', 'limit=0', 'page=0', 'page=abc', 'status=unknown']) {
			expect((await kapitale(s, t, 'GET', `/order?${q}`)).status).toBe(400);
		}
	});

	test('GET /order/{id}: unknown or other industry → 404', async () => {
		expect(
			(await kapitale(s, t, 'GET', '/order/00000000-0000-4000-8000-000000000000')).status,
		).toBe(404);
		expect((await kapitale(s, t, 'GET', `/order/${s.fixtures.otherIndustry.orderId}`)).status).toBe(
			404,
		);
		const list = await kapitale(s, t, 'GET', '/order?limit=100');
		expect(list.json.data.map((o: any) => o.id)).not.toContain(s.fixtures.otherIndustry.orderId);
	});

	test('the other industry sees only its own orders', async () => {
		const r = await fetch(s.tokenUrl, {
			method: 'POST',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({
				grant_type: 'client_credentials',
				scope: 'partner-can/orders.read',
				client_id: s.fixtures.otherIndustry.clientId,
				client_secret: s.fixtures.otherIndustry.clientSecret,
			}).toString(),
		});
		const ot = ((await r.json()) as any).access_token;
		const l = await kapitale(s, ot, 'GET', '/order');
		expect(l.json.count).toBe(1);
		expect(
			(await kapitale(s, ot, 'GET', `/order/${s.fixtures.otherIndustry.orderId}`)).status,
		).toBe(200);
	});
});

async function patchInvoice(id: string, parts: Parameters<typeof multipartBody>[0], tok = token) {
	const { body, contentType } = multipartBody(parts);
	const r = await fetch(`${sb.kapitaleBaseUrl}/order/invoice/${id}`, {
		method: 'PATCH',
		headers: { Authorization: `Bearer ${tok}`, 'Content-Type': contentType },
		body,
	});
	return { status: r.status, json: (await r.json()) as any };
}

describe('PATCH /order/invoice/{id}', () => {
	test('real PDF accepted → invoice_sent', async () => {
		const id = sb.fixtures.orderIdsByStatus.pending_invoice[0];
		const r = await patchInvoice(id, [
			{ name: 'invoice_number', value: 'NF-T-0001' },
			{ name: 'invoice', filename: 'nf.pdf', contentType: 'application/pdf', data: TINY_PDF },
		]);
		expect(r.status).toBe(200);
		expect(r.json).toMatchObject({
			order_status: 'invoice_sent',
			invoice_number: 'NF-T-0001',
			invoice: { mimetype: 'application/pdf', size: TINY_PDF.length, filename: 'nf.pdf' },
		});
		expect((await kapitale(sb, token, 'GET', `/order/${id}`)).json.order_status).toBe(
			'invoice_sent',
		);
	});

	test('PNG image accepted even with a misleading content type', async () => {
		const r = await patchInvoice(sb.fixtures.orderIdsByStatus.pending_invoice[1], [
			{ name: 'invoice_number', value: 'NF-T-0002' },
			{
				name: 'invoice',
				filename: 'scan.bin',
				contentType: 'application/octet-stream',
				data: TINY_PNG,
			},
		]);
		expect(r.status).toBe(200);
		expect(r.json.invoice.mimetype).toBe('image/png');
	});

	test('a text file named .pdf is rejected (magic bytes)', async () => {
		const r = await patchInvoice(sb.fixtures.orderIdsByStatus.pending_invoice[2], [
			{ name: 'invoice_number', value: 'NF-T-0003' },
			{
				name: 'invoice',
				filename: 'nf.pdf',
				contentType: 'application/pdf',
				data: Buffer.from('this is not a pdf'),
			},
		]);
		expect(r.status).toBe(400);
		expect(r.json.message).toMatch(/PDF or an image/);
	});

	test('duplicate invoice number → 409; missing fields → 400; wrong status → 409', async () => {
		const dup = await patchInvoice(sb.fixtures.orderIdsByStatus.pending_invoice[3], [
			{ name: 'invoice_number', value: 'NF-T-0001' },
			{ name: 'invoice', filename: 'nf.pdf', data: TINY_PDF },
		]);
		expect(dup.status).toBe(409);
		expect(dup.json.message).toContain('invoice_number');
		const noNum = await patchInvoice(sb.fixtures.orderIdsByStatus.pending_invoice[3], [
			{ name: 'invoice', filename: 'nf.pdf', data: TINY_PDF },
		]);
		expect(noNum.status).toBe(400);
		expect(noNum.json.message).toContain('invoice_number');
		const noFile = await patchInvoice(sb.fixtures.orderIdsByStatus.pending_invoice[3], [
			{ name: 'invoice_number', value: 'NF-X' },
		]);
		expect(noFile.status).toBe(400);
		expect(noFile.json.message).toContain('invoice');
		const wrong = await patchInvoice(sb.fixtures.orderIdsByStatus.approved[0], [
			{ name: 'invoice_number', value: 'NF-T-0009' },
			{ name: 'invoice', filename: 'nf.pdf', data: TINY_PDF },
		]);
		expect(wrong.status).toBe(409);
		expect(wrong.json.message).toContain('pending_invoice');
		const missing = await patchInvoice('00000000-0000-4000-8000-000000000000', [
			{ name: 'invoice_number', value: 'x' },
		]);
		expect(missing.status).toBe(404);
	});

	test('JSON instead of multipart → 415', async () => {
		const r = await kapitale(
			sb,
			token,
			'PATCH',
			`/order/invoice/${sb.fixtures.orderIdsByStatus.pending_invoice[4]}`,
			{ invoice_number: 'x' },
		);
		expect(r.status).toBe(415);
	});
});

describe('PATCH /order/cancel/{id}', () => {
	test('cancels from a cancellable state', async () => {
		const id = sb.fixtures.orderIdsByStatus.pending[1];
		const r = await kapitale(sb, token, 'PATCH', `/order/cancel/${id}`, {
			reason: 'Order canceled at customer request',
		});
		expect(r.status).toBe(200);
		expect(r.json).toMatchObject({
			order_status: 'cancelled',
			payment_status: 'cancelled',
			cancel_reason: 'Order canceled at customer request',
		});
		const again = await kapitale(sb, token, 'PATCH', `/order/cancel/${id}`, { reason: 'again' });
		expect(again.status).toBe(409);
	});
	test('reason required; paid orders cannot be cancelled', async () => {
		expect(
			(
				await kapitale(
					sb,
					token,
					'PATCH',
					`/order/cancel/${sb.fixtures.orderIdsByStatus.approved[1]}`,
					{},
				)
			).status,
		).toBe(400);
		const r = await kapitale(
			sb,
			token,
			'PATCH',
			`/order/cancel/${sb.fixtures.orderIdsByStatus.paid[0]}`,
			{ reason: 'x' },
		);
		expect(r.status).toBe(409);
		expect(r.json.message).toContain('paid');
	});
});

describe('control API lifecycle is visible through the public API', () => {
	test('approve → pending-invoice → invoice → pay', async () => {
		const created = await kapitale(sb, token, 'POST', '/order', validOrder('T-LIFE'));
		const id = created.json.id;
		expect((await control(sb, 'POST', `/orders/${id}/approve`)).status).toBe(200);
		expect((await kapitale(sb, token, 'GET', `/order/${id}`)).json.order_status).toBe('approved');
		expect((await control(sb, 'POST', `/orders/${id}/approve`)).status).toBe(409);
		expect((await control(sb, 'POST', `/orders/${id}/pending-invoice`)).status).toBe(200);
		const inv = await patchInvoice(id, [
			{ name: 'invoice_number', value: 'NF-LIFE' },
			{ name: 'invoice', filename: 'nf.pdf', data: TINY_PDF },
		]);
		expect(inv.status).toBe(200);
		expect((await control(sb, 'POST', `/orders/${id}/pay`)).status).toBe(200);
		const g = await kapitale(sb, token, 'GET', `/order/${id}`);
		expect(g.json).toMatchObject({ order_status: 'paid', payment_status: 'paid' });
	});
	test('reject', async () => {
		const created = await kapitale(sb, token, 'POST', '/order', validOrder('T-REJ'));
		expect(
			(await control(sb, 'POST', `/orders/${created.json.id}/reject`, { reason: 'no' })).status,
		).toBe(200);
		expect((await kapitale(sb, token, 'GET', `/order/${created.json.id}`)).json).toMatchObject({
			order_status: 'rejected',
			payment_status: 'cancelled',
		});
	});
	test('info, counts, seed', async () => {
		const info = await control(sb, 'GET', '/info');
		expect(info.json.credentials.clientSecret).toBe('recognisable-test-secret');
		expect(info.json.tokenUrl).toBe(sb.tokenUrl);
		const before = (await control(sb, 'GET', '/counts')).json.orders;
		await control(sb, 'POST', '/seed/orders', { count: 5, status: 'approved' });
		expect((await control(sb, 'GET', '/counts')).json.orders).toBe(before + 5);
		expect(sb.counts().tokensIssued).toBeGreaterThan(0);
	});
});
