/** Kapitale side: OAuth2 token endpoint and the orders / company API (under /kapitale). */
import { createHash, randomUUID } from 'crypto';
import { signJwt, verifyJwt } from './jwt';
import { getBoundary, MultipartError, parseMultipart, sniffFileType } from './multipart';
import {
	CANCELLABLE_STATUSES,
	Industry,
	Order,
	ORDER_STATUSES,
	OrderStatus,
	orderForCreate,
	PurchaseItem,
	SandboxState,
} from './state';
import { json, parseJsonBody, SbRequest, SbResponse } from './types';
import { formatCnpj, isIsoDate, isPhone, isValidCnpj, normalizePhone, stripCnpjMask } from './util';

export const SCOPES = [
	'partner-can/cnpj.read',
	'partner-can/orders.create',
	'partner-can/orders.read',
	'partner-can/orders.sentnf',
	'partner-can/receivable.read',
] as const;

export const MAX_INVOICE_BYTES = 10 * 1024 * 1024;

export type OrderEvent =
	| 'order.created'
	| 'order.approved'
	| 'order.rejected'
	| 'order.invoice_sent'
	| 'order.cancelled'
	| 'order.paid';

export interface KapitaleContext {
	state: SandboxState;
	jwtSecret: Buffer;
	tokenTtlSeconds: number;
	/** Called for every authenticated request; returns true when a fault rule says the token is dead. */
	tokenExpiredByFault(claims: Record<string, any>, req: SbRequest): boolean;
	emitOrderEvent(order: Order, event: OrderEvent): void;
	changed(kind: 'orders' | 'other'): void;
	ordersVersion(): number;
}

function err(status: number, message: string, error?: string): SbResponse {
	const names: Record<number, string> = {
		400: 'Bad Request',
		401: 'Unauthorized',
		403: 'Forbidden',
		404: 'Not Found',
		405: 'Method Not Allowed',
		409: 'Conflict',
		413: 'Payload Too Large',
		415: 'Unsupported Media Type',
		422: 'Unprocessable Entity',
	};
	return json(status, { message, error: error ?? names[status] ?? 'Error' });
}

// ---------------------------------------------------------------- token
export function handleToken(ctx: KapitaleContext, req: SbRequest): SbResponse {
	if (req.method !== 'POST')
		return json(405, { error: 'invalid_request', error_description: 'Use POST' });
	const ct = String(req.headers['content-type'] ?? '');
	if (!/^application\/x-www-form-urlencoded/i.test(ct)) {
		return json(400, {
			error: 'invalid_request',
			error_description: 'Content-Type must be application/x-www-form-urlencoded',
		});
	}
	const form = new URLSearchParams(req.body.toString('utf8'));
	let clientId = form.get('client_id') ?? undefined;
	let clientSecret = form.get('client_secret') ?? undefined;
	const auth = req.headers.authorization;
	if (auth && /^Basic /i.test(auth)) {
		const decoded = Buffer.from(auth.slice(6).trim(), 'base64').toString('utf8');
		const i = decoded.indexOf(':');
		if (i < 0) return json(401, { error: 'invalid_client' });
		clientId = decodeURIComponent(decoded.slice(0, i));
		clientSecret = decodeURIComponent(decoded.slice(i + 1));
	}
	const industry = ctx.state.industries.find((x) => x.clientId === clientId);
	if (!industry || industry.clientSecret !== clientSecret)
		return json(401, { error: 'invalid_client' });
	const grant = form.get('grant_type');
	if (!grant)
		return json(400, { error: 'invalid_request', error_description: 'grant_type is required' });
	if (grant !== 'client_credentials') return json(400, { error: 'unsupported_grant_type' });
	const scopeParam = (form.get('scope') ?? '').trim();
	const scopes = scopeParam ? scopeParam.split(/\s+/) : [];
	if (!scopes.length || scopes.some((s) => !(SCOPES as readonly string[]).includes(s)))
		return json(400, { error: 'invalid_scope' });
	const iat = Math.floor(Date.now() / 1000);
	const claims = {
		sub: industry.clientId,
		client_id: industry.clientId,
		token_use: 'access',
		industry_cnpj: industry.cnpj,
		scope: [...new Set(scopes)].join(' '),
		iat,
		exp: iat + ctx.tokenTtlSeconds,
		jti: randomUUID(),
	};
	ctx.state.tokensIssued++;
	ctx.changed('other');
	return json(
		200,
		{
			access_token: signJwt(claims, ctx.jwtSecret),
			token_type: 'Bearer',
			expires_in: ctx.tokenTtlSeconds,
		},
		{ 'Cache-Control': 'no-store', Pragma: 'no-cache' },
	);
}

// ---------------------------------------------------------------- auth
interface Authed {
	industry: Industry;
	claims: Record<string, any>;
}

function authenticate(ctx: KapitaleContext, req: SbRequest, scope: string): Authed | SbResponse {
	const auth = req.headers.authorization;
	const m = auth ? /^Bearer\s+(\S+)$/i.exec(auth.trim()) : null;
	if (!m) return json(401, { message: 'Unauthorized' });
	const claims = verifyJwt(m[1], ctx.jwtSecret);
	if (!claims) return json(401, { message: 'Unauthorized' });
	if (typeof claims.exp !== 'number' || claims.exp <= Date.now() / 1000)
		return json(401, { message: 'The incoming token has expired' });
	if (ctx.tokenExpiredByFault(claims, req))
		return json(401, { message: 'The incoming token has expired' });
	const industry = ctx.state.industries.find((i) => i.cnpj === claims.industry_cnpj);
	if (!industry) return json(401, { message: 'Unauthorized' });
	const scopes = String(claims.scope ?? '').split(' ');
	if (!scopes.includes(scope))
		return json(403, { message: `Insufficient scope: ${scope} required` });
	return { industry, claims };
}

// ---------------------------------------------------------------- representation
export function orderToApi(o: Order): Record<string, unknown> {
	return {
		id: o.id,
		order_no: o.order_no,
		expiry_date: o.expiry_date,
		requested_amount: o.requested_amount,
		paid_amount: o.paid_amount,
		payment_status: o.payment_status,
		order_status: o.order_status,
		retail_fee: o.retail_fee,
		industry_fee: o.industry_fee,
		created_at: o.created_at,
		updated_at: o.updated_at,
		retail: { ...o.retail },
		retail_representative: o.retail_representative,
		retail_email: o.retail_email,
		retail_phone: o.retail_phone,
		purchase_date: o.purchase_date,
		purchase_items: o.purchase_items.map((i) => ({ ...i })),
		invoice_number: o.invoice_number,
		invoice: o.invoice ? { ...o.invoice } : null,
		cancel_reason: o.cancel_reason,
	};
}

/** The list carries what the spec's list example shows; amounts and dates only come with GET /order/{id}. */
function orderListItem(o: Order): Record<string, unknown> {
	return {
		id: o.id,
		order_no: o.order_no,
		order_status: o.order_status,
		payment_status: o.payment_status,
		retail: { name: o.retail.name, cnpj: o.retail.cnpj },
	};
}

// ---------------------------------------------------------------- routes
export function handleKapitale(ctx: KapitaleContext, req: SbRequest): SbResponse {
	const p = req.path.replace(/\/+$/, '') || '/';
	let m: RegExpExecArray | null;
	if ((m = /^\/company\/cnpj\/([^/]+)$/.exec(p))) {
		if (req.method !== 'GET') return err(405, 'Method Not Allowed');
		return withAuth(ctx, req, 'partner-can/cnpj.read', (a) =>
			getCompany(ctx, a, decodeURIComponent(m![1])),
		);
	}
	if (p === '/order') {
		if (req.method === 'POST')
			return withAuth(ctx, req, 'partner-can/orders.create', (a) => createOrder(ctx, a, req));
		if (req.method === 'GET')
			return withAuth(ctx, req, 'partner-can/orders.read', (a) => listOrders(ctx, a, req));
		return err(405, 'Method Not Allowed');
	}
	if ((m = /^\/order\/invoice\/([^/]+)$/.exec(p))) {
		if (req.method !== 'PATCH') return err(405, 'Method Not Allowed');
		return withAuth(ctx, req, 'partner-can/orders.sentnf', (a) =>
			attachInvoice(ctx, a, req, decodeURIComponent(m![1])),
		);
	}
	if ((m = /^\/order\/cancel\/([^/]+)$/.exec(p))) {
		if (req.method !== 'PATCH') return err(405, 'Method Not Allowed');
		return withAuth(ctx, req, 'partner-can/orders.read', (a) =>
			cancelOrder(ctx, a, req, decodeURIComponent(m![1])),
		);
	}
	if ((m = /^\/order\/([^/]+)$/.exec(p))) {
		if (req.method !== 'GET') return err(405, 'Method Not Allowed');
		return withAuth(ctx, req, 'partner-can/orders.read', (a) => {
			const o = findOrder(ctx, a, decodeURIComponent(m![1]));
			return o ? json(200, orderToApi(o)) : err(404, 'Order not found');
		});
	}
	return err(404, `Cannot ${req.method} ${p}`);
}

function withAuth(
	ctx: KapitaleContext,
	req: SbRequest,
	scope: string,
	fn: (a: Authed) => SbResponse,
): SbResponse {
	const a = authenticate(ctx, req, scope);
	if ('status' in a) return a;
	return fn(a);
}

function findOrder(ctx: KapitaleContext, a: Authed, id: string): Order | undefined {
	return ctx.state.orders.find((o) => o.id === id && o.industry_cnpj === a.industry.cnpj);
}

function getCompany(ctx: KapitaleContext, _a: Authed, raw: string): SbResponse {
	if (!/^[0-9A-Z]{14}$/.test(raw))
		return err(
			400,
			'cnpj must contain 14 characters (numbers only, or the alphanumeric format), without mask',
		);
	if (!isValidCnpj(raw)) return err(400, 'cnpj is invalid (check digits do not match)');
	const r =
		ctx.state.retails.find((x) => x.cnpj === raw) ?? ctx.state.bureau.find((x) => x.cnpj === raw);
	if (!r) return err(404, 'Company not found');
	return json(200, {
		name: r.name,
		retail_representative: r.retail_representative,
		email: r.email,
		phone: r.phone,
		address: r.address,
		number: r.number,
		neighborhood: r.neighborhood,
		city: r.city,
		state: r.state,
		complement: r.complement,
		zip_code: r.zip_code,
		registered_retail: r.registered_retail,
	});
}

function validateCnpjField(field: string, v: unknown): string | undefined {
	if (v === undefined || v === null || v === '') return `${field} is required`;
	if (typeof v !== 'string') return `${field} must be a string`;
	if (/[./\-\s]/.test(v)) return `${field} must contain numbers only (14 characters, without mask)`;
	if (!/^[0-9A-Z]{14}$/.test(v))
		return `${field} must have 14 characters (numbers, or uppercase letters for alphanumeric CNPJ)`;
	if (!isValidCnpj(v)) return `${field} is invalid (check digits do not match)`;
	return undefined;
}

function createOrder(ctx: KapitaleContext, a: Authed, req: SbRequest): SbResponse {
	let body: any;
	try {
		body = parseJsonBody(req);
	} catch {
		return err(400, 'Request body must be valid JSON');
	}
	if (!body || typeof body !== 'object' || Array.isArray(body))
		return err(400, 'Request body must be a JSON object');
	const {
		order_number,
		expiry_date,
		requested_amount,
		retail_cnpj,
		retail_representative,
		retail_email,
		retail_phone,
		purchase_date,
		purchase_items,
	} = body;
	if (typeof order_number !== 'string' || !order_number.trim())
		return err(400, 'order_number is required');
	if (order_number.length > 60) return err(400, 'order_number must have at most 60 characters');
	if (expiry_date === undefined || expiry_date === null || expiry_date === '')
		return err(400, 'expiry_date is required');
	if (!isIsoDate(expiry_date))
		return err(400, 'expiry_date must be a valid date in YYYY-MM-DD format');
	if (requested_amount === undefined || requested_amount === null || requested_amount === '')
		return err(400, 'requested_amount is required');
	if (typeof requested_amount !== 'number' || !Number.isFinite(requested_amount))
		return err(400, 'requested_amount must be a number');
	if (!(requested_amount > 1)) return err(400, 'requested_amount must be greater than 1');
	const cnpjErr = validateCnpjField('retail_cnpj', retail_cnpj);
	if (cnpjErr) return err(400, cnpjErr);
	if (
		retail_representative !== undefined &&
		retail_representative !== null &&
		typeof retail_representative !== 'string'
	)
		return err(400, 'retail_representative must be a string');
	if (
		retail_email !== undefined &&
		retail_email !== null &&
		retail_email !== '' &&
		(typeof retail_email !== 'string' || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(retail_email))
	) {
		return err(400, 'retail_email must be a valid e-mail address');
	}
	if (
		retail_phone !== undefined &&
		retail_phone !== null &&
		retail_phone !== '' &&
		(typeof retail_phone !== 'string' || !isPhone(retail_phone))
	) {
		return err(400, 'retail_phone must be a phone number with area code (10 or 11 digits)');
	}
	if (purchase_date === undefined || purchase_date === null || purchase_date === '')
		return err(400, 'purchase_date is required');
	if (!isIsoDate(purchase_date))
		return err(400, 'purchase_date must be a valid date in YYYY-MM-DD format');
	if (!Array.isArray(purchase_items) || purchase_items.length === 0)
		return err(400, 'purchase_items must be a non-empty array');
	const items: PurchaseItem[] = [];
	for (let i = 0; i < purchase_items.length; i++) {
		const it = purchase_items[i];
		if (!it || typeof it !== 'object') return err(400, `purchase_items[${i}] must be an object`);
		if (typeof it.value !== 'number' || !(it.value > 0))
			return err(400, `purchase_items[${i}].value must be a positive number`);
		if (typeof it.quantity !== 'number' || !(it.quantity > 0))
			return err(400, `purchase_items[${i}].quantity must be a positive number`);
		if (
			it.description !== undefined &&
			it.description !== null &&
			typeof it.description !== 'string'
		)
			return err(400, `purchase_items[${i}].description must be a string`);
		items.push({
			value: it.value,
			quantity: it.quantity,
			...(it.description != null ? { description: it.description } : {}),
		});
	}
	const orderNo = order_number.trim();
	if (ctx.state.orders.some((o) => o.industry_cnpj === a.industry.cnpj && o.order_no === orderNo)) {
		return err(409, `order_number ${orderNo} already exists`);
	}
	const known =
		ctx.state.retails.find((r) => r.cnpj === retail_cnpj) ??
		ctx.state.bureau.find((r) => r.cnpj === retail_cnpj);
	const order = orderForCreate(
		randomUUID(),
		a.industry,
		{ name: known?.name ?? `Varejo ${formatCnpj(retail_cnpj)}`, cnpj: retail_cnpj },
		{
			order_no: orderNo,
			expiry_date,
			requested_amount,
			retail_representative: retail_representative ?? known?.retail_representative ?? null,
			retail_email: retail_email || known?.email || null,
			retail_phone: retail_phone ? normalizePhone(retail_phone) : (known?.phone ?? null),
			purchase_date,
			purchase_items: items,
		},
		Date.now(),
	);
	ctx.state.orders.push(order);
	ctx.changed('orders');
	ctx.emitOrderEvent(order, 'order.created');
	return json(201, orderToApi(order));
}

let sortCache:
	| { state: SandboxState; version: number; industry: string; list: Order[] }
	| undefined;

function sortedOrders(ctx: KapitaleContext, industry: string): Order[] {
	const v = ctx.ordersVersion();
	if (
		sortCache &&
		sortCache.state === ctx.state &&
		sortCache.version === v &&
		sortCache.industry === industry
	)
		return sortCache.list;
	const list = ctx.state.orders.filter((o) => o.industry_cnpj === industry);
	list.sort((x, y) =>
		x.created_at < y.created_at
			? 1
			: x.created_at > y.created_at
				? -1
				: x.id < y.id
					? -1
					: x.id > y.id
						? 1
						: 0,
	);
	sortCache = { state: ctx.state, version: v, industry, list };
	return list;
}

function parsePositiveInt(v: string | undefined): number | undefined | null {
	if (v === undefined || v === '') return undefined;
	if (!/^\d+$/.test(v)) return null;
	const n = Number(v);
	return n >= 1 ? n : null;
}

function listOrders(ctx: KapitaleContext, a: Authed, req: SbRequest): SbResponse {
	const page = parsePositiveInt(req.query.page);
	if (page === null) return err(400, 'page must be a positive integer');
	const limit = parsePositiveInt(req.query.limit);
	if (limit === null || (limit !== undefined && limit > 100))
		return err(400, 'limit must be an integer between 1 and 100');
	const pg = page ?? 1;
	const lim = limit ?? 10;
	let statuses: OrderStatus[] | undefined;
	if (req.query.status) {
		const parts = req.query.status
			.split(',')
			.map((s) => s.trim())
			.filter(Boolean);
		const bad = parts.find((s) => !(ORDER_STATUSES as readonly string[]).includes(s));
		if (bad)
			return err(
				400,
				`status must be a comma-separated list of: ${ORDER_STATUSES.join(', ')} (got "${bad}")`,
			);
		statuses = parts as OrderStatus[];
	}
	const cnpjFilter = req.query.retail_cnpj ? stripCnpjMask(req.query.retail_cnpj) : '';
	const all = sortedOrders(ctx, a.industry.cnpj);
	let pendingInvoices = 0;
	for (const o of all) if (o.order_status === 'pending_invoice') pendingInvoices++;
	const filtered = all.filter(
		(o) =>
			(!statuses || statuses.includes(o.order_status)) &&
			(!cnpjFilter || o.retail.cnpj.includes(cnpjFilter)),
	);
	const count = filtered.length;
	const totalPages = Math.ceil(count / lim);
	const data = filtered.slice((pg - 1) * lim, pg * lim).map(orderListItem);
	return json(200, { data, page: pg, totalPages, limit: lim, count, pendingInvoices });
}

function attachInvoice(ctx: KapitaleContext, a: Authed, req: SbRequest, id: string): SbResponse {
	const order = findOrder(ctx, a, id);
	if (!order) return err(404, 'Order not found');
	const boundary = getBoundary(req.headers['content-type']);
	if (!boundary) return err(415, 'Content-Type must be multipart/form-data with a boundary');
	if (req.body.length > MAX_INVOICE_BYTES + 64 * 1024)
		return err(413, `invoice file must be at most ${MAX_INVOICE_BYTES} bytes`);
	let parts;
	try {
		parts = parseMultipart(req.body, boundary);
	} catch (e) {
		return err(400, e instanceof MultipartError ? e.message : 'malformed multipart body');
	}
	const numberPart = parts.find((p) => p.name === 'invoice_number' && p.filename === undefined);
	const invoiceNumber = numberPart?.data.toString('utf8').trim();
	if (!invoiceNumber) return err(400, 'invoice_number is required');
	const file = parts.find((p) => p.name === 'invoice');
	if (!file || file.filename === undefined)
		return err(400, 'invoice file is required (multipart field "invoice")');
	if (!file.data.length) return err(400, 'invoice file is empty');
	if (file.data.length > MAX_INVOICE_BYTES)
		return err(413, `invoice file must be at most ${MAX_INVOICE_BYTES} bytes`);
	const type = sniffFileType(file.data);
	if (!type)
		return err(
			400,
			'invoice must be a PDF or an image (PNG, JPEG, GIF or WEBP); the file content is not',
		);
	if (order.order_status !== 'pending_invoice')
		return err(
			409,
			`Order must have status pending_invoice to receive an invoice (current status: ${order.order_status})`,
		);
	if (
		ctx.state.orders.some(
			(o) => o.industry_cnpj === a.industry.cnpj && o.invoice_number === invoiceNumber,
		)
	) {
		return err(409, `invoice_number ${invoiceNumber} is already used by another order`);
	}
	const now = new Date().toISOString();
	order.invoice_number = invoiceNumber;
	order.invoice = {
		filename: file.filename || 'invoice',
		mimetype: type,
		size: file.data.length,
		sha256: createHash('sha256').update(file.data).digest('hex'),
		uploaded_at: now,
	};
	order.order_status = 'invoice_sent';
	order.updated_at = now;
	ctx.changed('other');
	ctx.emitOrderEvent(order, 'order.invoice_sent');
	return json(200, orderToApi(order));
}

function cancelOrder(ctx: KapitaleContext, a: Authed, req: SbRequest, id: string): SbResponse {
	let body: any;
	try {
		body = parseJsonBody(req);
	} catch {
		return err(400, 'Request body must be valid JSON');
	}
	const order = findOrder(ctx, a, id);
	if (!order) return err(404, 'Order not found');
	const reason = body && typeof body === 'object' ? body.reason : undefined;
	if (typeof reason !== 'string' || !reason.trim()) return err(400, 'reason is required');
	if (reason.length > 500) return err(400, 'reason must have at most 500 characters');
	if (!CANCELLABLE_STATUSES.includes(order.order_status)) {
		return err(
			409,
			`Order cannot be cancelled in status ${order.order_status} (cancellable: ${CANCELLABLE_STATUSES.join(', ')})`,
		);
	}
	order.order_status = 'cancelled';
	order.payment_status = 'cancelled';
	order.cancel_reason = reason.trim();
	order.updated_at = new Date().toISOString();
	ctx.changed('other');
	ctx.emitOrderEvent(order, 'order.cancelled');
	return json(200, orderToApi(order));
}

/** Control-API transitions. Returns an error message when not allowed. */
export const TRANSITIONS: Record<
	string,
	{ from: OrderStatus[]; to: OrderStatus; event?: OrderEvent }
> = {
	approve: { from: ['pending'], to: 'approved', event: 'order.approved' },
	reject: { from: ['pending', 'approved'], to: 'rejected', event: 'order.rejected' },
	'pending-invoice': { from: ['pending', 'approved'], to: 'pending_invoice' },
	pay: { from: ['approved', 'pending_invoice', 'invoice_sent'], to: 'paid', event: 'order.paid' },
};
