/** Partner lending API side (under /partner): customers, operations, documents, cities, banks. */
import { bankDisplayName, findCity, refData, searchBanks, searchCities } from './refdata';
import {
	CANCELABLE_OPERATION_STATUS_IDS,
	Customer,
	DOCUMENT_KEYS,
	DOCUMENT_TYPES,
	Operation,
	OPERATION_STATUSES,
	SandboxState,
} from './state';
import { json, parseJsonBody, SbRequest, SbResponse } from './types';
import {
	brl,
	digitsOnly,
	formatCnpj,
	formatCpf,
	formatNumberBR,
	hashIdFrom,
	isBrDate,
	isMobile,
	isPhone,
	isValidCnpj,
	isValidCpf,
	normalizePhone,
	percent,
	round2,
	Rng,
	sqlDateTime,
} from './util';

export interface PartnerCredentials {
	bearerToken: string;
	partnerHashId: string;
	userHashId: string;
}

export interface PartnerContext {
	state: SandboxState;
	creds: PartnerCredentials;
	rng: Rng;
	changed(): void;
}

type Errors = Record<string, string[]>;

export const DEFAULT_LIST_LIMIT = 20;
export const MAX_LIST_LIMIT = 500;
export const DEFAULT_MONTHLY_RATE = 5.4;

function ok(data: unknown, message = ''): SbResponse {
	return json(200, { success: true, data, message });
}
function fail(status: number, message: unknown): SbResponse {
	return json(status, { success: false, data: [], message });
}
function invalid(errors: Errors): SbResponse {
	return json(200, { success: false, message: errors, data: [] });
}

export function label(field: string): string {
	return field
		.split('_')
		.filter(Boolean)
		.map((w) => w.charAt(0).toUpperCase() + w.slice(1))
		.join(' ');
}
const blankMsg = (f: string) => `"${label(f)}" não pode ficar em branco.`;
const invalidMsg = (f: string) => `"${label(f)}" é inválido.`;
export const CITY_INVALID_MSG = 'A cidade informada não é válida.';

function add(errors: Errors, field: string, msg: string): void {
	(errors[field] ??= []).push(msg);
}
function isBlank(v: unknown): boolean {
	return (
		v === undefined ||
		v === null ||
		(typeof v === 'string' && v.trim() === '') ||
		(Array.isArray(v) && v.length === 0)
	);
}
function str(v: unknown): string {
	return v === undefined || v === null ? '' : String(v).trim();
}
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const TAX_CNPJ_RE = /^[0-9A-Z]{12}\d{2}$/;

// ---------------------------------------------------------------- finance
export interface OperationValues {
	iof: number;
	financed: number;
	installmentValue: number;
	total: number;
	cetAnnual: number; // percent
	nominal: number;
}

// The values depend on these four numbers only; a list read recomputes them for every operation.
const VALUES_CACHE = new Map<string, OperationValues>();

export function computeOperationValues(
	amount: number,
	installments: number,
	monthlyRatePct: number,
	personType: 1 | 2,
): OperationValues {
	const key = `${amount}|${installments}|${monthlyRatePct}|${personType}`;
	let cached = VALUES_CACHE.get(key);
	if (!cached) {
		cached = computeValues(amount, installments, monthlyRatePct, personType);
		if (VALUES_CACHE.size > 100_000) VALUES_CACHE.clear();
		VALUES_CACHE.set(key, cached);
	}
	return { ...cached };
}

function computeValues(
	amount: number,
	installments: number,
	monthlyRatePct: number,
	personType: 1 | 2,
): OperationValues {
	const i = monthlyRatePct / 100;
	const n = Math.max(1, Math.floor(installments));
	const pmtOf = (pv: number) => (i === 0 ? pv / n : (pv * i) / (1 - Math.pow(1 + i, -n)));
	// IOF: 0.38% flat + daily rate (PF 0.0082%, PJ 0.0041%) per day of each amortisation, capped at 365 days
	const daily = personType === 2 ? 0.000041 : 0.000082;
	let balance = amount;
	const basePmt = pmtOf(amount);
	let iof = amount * 0.0038;
	for (let k = 1; k <= n; k++) {
		const interest = balance * i;
		const amort = basePmt - interest;
		balance -= amort;
		iof += amort * daily * Math.min(30 * k, 365);
	}
	iof = round2(iof);
	const financed = amount + iof;
	const installmentValue = round2(pmtOf(financed));
	const total = round2(installmentValue * n);
	// CET: monthly IRR of (amount received, n × installment), annualised
	let lo = 0;
	let hi = 1;
	for (let it = 0; it < 100; it++) {
		const mid = (lo + hi) / 2;
		let pv = 0;
		for (let k = 1; k <= n; k++) pv += installmentValue / Math.pow(1 + mid, k);
		if (pv > amount) lo = mid;
		else hi = mid;
	}
	const cetAnnual = round2((Math.pow(1 + (lo + hi) / 2, 12) - 1) * 100);
	return { iof, financed: round2(financed), installmentValue, total, cetAnnual, nominal: amount };
}

// ---------------------------------------------------------------- routing
export function handlePartner(ctx: PartnerContext, req: SbRequest): SbResponse {
	const auth = req.headers.authorization;
	const m = auth ? /^Bearer\s+(.+)$/i.exec(auth.trim()) : null;
	if (!m || m[1].trim() !== ctx.creds.bearerToken)
		return json(401, { success: false, message: 'Unauthenticated.' });
	const p = req.path.replace(/\/+$/, '') || '/';
	const hash = req.query.partnerHashId;
	if (hash !== undefined && hash !== ctx.creds.partnerHashId)
		return fail(403, 'Parceiro não autorizado.');

	const routes: Array<[string, RegExp, (mm: RegExpExecArray) => SbResponse]> = [
		['POST', /^\/partner-customer\/insert$/, () => withBody(req, (b) => insertCustomer(ctx, b))],
		[
			'PUT',
			/^\/partner-customer\/update\/([^/]+)$/,
			(mm) => withBody(req, (b) => updateCustomer(ctx, decodeURIComponent(mm[1]), b)),
		],
		[
			'PUT',
			/^\/partner-customer\/get\/([^/]+)$/,
			(mm) => getCustomer(ctx, decodeURIComponent(mm[1])),
		],
		[
			'GET',
			/^\/partner-customer\/all$/,
			() => requireHash(req, () => withBody(req, (b) => listCustomers(ctx, b))),
		],
		['GET', /^\/partner-customer\/resend-access-terms-email$/, () => resendTerms(ctx, req)],
		['POST', /^\/operation\/create$/, () => withBody(req, (b) => createOperation(ctx, b))],
		[
			'POST',
			/^\/partner-operation\/all$/,
			() => requireHash(req, () => withBody(req, (b) => listOperations(ctx, b))),
		],
		[
			'GET',
			/^\/operation\/status\/([^/]+)$/,
			(mm) => operationStatus(ctx, decodeURIComponent(mm[1])),
		],
		[
			'GET',
			/^\/operation\/details\/([^/]+)$/,
			(mm) => operationDetails(ctx, decodeURIComponent(mm[1])),
		],
		[
			'POST',
			/^\/operation-document\/upload\/link$/,
			() => withBody(req, (b) => uploadLink(ctx, b)),
		],
		['POST', /^\/city\/search$/, () => citySearch(req)],
		['GET', /^\/bank\/search$/, () => bankSearch(req)],
	];
	let pathMatched = false;
	for (const [method, re, fn] of routes) {
		const mm = re.exec(p);
		if (!mm) continue;
		pathMatched = true;
		if (method === req.method) return fn(mm);
	}
	if (pathMatched) return fail(405, 'Método não permitido.');
	return fail(404, 'Rota não encontrada.');
}

function requireHash(req: SbRequest, fn: () => SbResponse): SbResponse {
	if (isBlank(req.query.partnerHashId))
		return invalid({ partnerHashId: [blankMsg('partner_hash_id')] });
	return fn();
}

function withBody(req: SbRequest, fn: (body: Record<string, any>) => SbResponse): SbResponse {
	let body: any;
	try {
		body = parseJsonBody(req);
	} catch {
		return fail(400, 'JSON inválido.');
	}
	if (body === undefined) body = {};
	if (typeof body !== 'object' || Array.isArray(body) || body === null)
		return fail(400, 'O corpo da requisição deve ser um objeto JSON.');
	return fn(body);
}

/**
 * The list endpoints document limit, offset and filter as a JSON body (also on the GET of
 * /partner-customer/all); the query string carries only partnerHashId. Without a limit the
 * API answers its default page.
 */
function parseListParams(
	body: Record<string, any>,
): { limit: number; offset: number; filter: Record<string, any> } | Errors {
	const errors: Errors = {};
	const filter = body.filter ?? {};
	let limit = DEFAULT_LIST_LIMIT;
	let offset = 0;
	if (!isBlank(body.limit)) {
		const n = Number(body.limit);
		if (!Number.isInteger(n) || n < 1 || n > MAX_LIST_LIMIT)
			add(errors, 'limit', invalidMsg('limit'));
		else limit = n;
	}
	if (!isBlank(body.offset)) {
		const n = Number(body.offset);
		if (!Number.isInteger(n) || n < 0) add(errors, 'offset', invalidMsg('offset'));
		else offset = n;
	}
	if (Object.keys(errors).length) return errors;
	return {
		limit,
		offset,
		filter: typeof filter === 'object' && filter && !Array.isArray(filter) ? filter : {},
	};
}

function fold(v: string): string {
	return v
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.trim();
}

// ---------------------------------------------------------------- customers
function ownCustomer(ctx: PartnerContext, id: string): Customer | undefined {
	return ctx.state.customers.find((c) => c.id === id && c.partner_id === ctx.creds.partnerHashId);
}

const BANK_FIELDS = [
	'bank_id',
	'bank_agency',
	'bank_agency_digit',
	'bank_number',
	'bank_digit',
	'bank_account_type',
	'bank_name',
	'bank_document',
] as const;

/** Validates a customer payload: insert, and update (same fields and rules). */
function validateCustomer(
	ctx: PartnerContext,
	b: Record<string, any>,
	existingId?: string,
): {
	errors: Errors;
	value?: Omit<
		Customer,
		'id' | 'created_at' | 'updated_at' | 'term_accept' | 'terms_email_sent' | 'seq'
	>;
} {
	const errors: Errors = {};
	const required = [
		'partner_id',
		'person_type',
		'tax_id',
		'name',
		'address_zipcode',
		'address_street',
		'address_number',
		'address_district',
		'address_city_id',
		'name_contact',
		'email_contact',
		'phone_2',
		'cpf_contact',
		'mother_name',
		'birthday',
	];
	for (const f of required) if (isBlank(b[f])) add(errors, f, blankMsg(f));
	if (!isBlank(b.partner_id) && str(b.partner_id) !== ctx.creds.partnerHashId)
		add(errors, 'partner_id', invalidMsg('partner_id'));
	if (!isBlank(b.partner_user_id) && str(b.partner_user_id) !== ctx.creds.userHashId)
		add(errors, 'partner_user_id', invalidMsg('partner_user_id'));
	const pt = str(b.person_type);
	if (!isBlank(b.person_type) && pt !== '1' && pt !== '2')
		add(errors, 'person_type', invalidMsg('person_type'));
	const personType = pt === '2' ? 2 : 1;
	const taxId = str(b.tax_id);
	if (taxId) {
		if (personType === 1 ? !isValidCpf(taxId) : !(TAX_CNPJ_RE.test(taxId) && isValidCnpj(taxId)))
			add(errors, 'tax_id', invalidMsg('tax_id'));
		else if (
			ctx.state.customers.some(
				(c) =>
					c.partner_id === ctx.creds.partnerHashId && c.tax_id === taxId && c.id !== existingId,
			)
		) {
			add(errors, 'tax_id', `"${label('tax_id')}" já está cadastrado.`);
		}
	}
	if (personType === 2) {
		for (const f of ['company_name', 'open_date', 'main_activity', 'revenue'])
			if (isBlank(b[f])) add(errors, f, blankMsg(f));
	}
	if (!isBlank(b.open_date) && !isBrDate(str(b.open_date)))
		add(errors, 'open_date', invalidMsg('open_date'));
	if (!isBlank(b.birthday) && !isBrDate(str(b.birthday)))
		add(errors, 'birthday', invalidMsg('birthday'));
	let revenue: string[] = [];
	if (!isBlank(b.revenue)) {
		const r = Array.isArray(b.revenue)
			? b.revenue
			: typeof b.revenue === 'object'
				? Object.values(b.revenue)
				: null;
		if (!r || r.length !== 12 || r.some((x: unknown) => !/^\d+([.,]\d+)?$/.test(str(x))))
			add(errors, 'revenue', invalidMsg('revenue'));
		else revenue = r.map((x: unknown) => str(x));
	}
	const zip = digitsOnly(str(b.address_zipcode));
	if (!isBlank(b.address_zipcode) && (zip.length !== 8 || !/^[\d-]+$/.test(str(b.address_zipcode))))
		add(errors, 'address_zipcode', invalidMsg('address_zipcode'));
	const cityId = Number(str(b.address_city_id));
	const city = Number.isInteger(cityId) ? refData().cityById.get(cityId) : undefined;
	if (!isBlank(b.address_city_id) && !city)
		add(errors, 'address_city_id', invalidMsg('address_city_id'));
	if (
		city &&
		!isBlank(b.address_state_id) &&
		Number(str(b.address_state_id)) !== refData().stateByUf.get(city.uf)!.id
	)
		add(errors, 'address_state_id', invalidMsg('address_state_id'));
	if (!isBlank(b.email_contact) && !EMAIL_RE.test(str(b.email_contact)))
		add(errors, 'email_contact', invalidMsg('email_contact'));
	if (!isBlank(b.phone_1) && !isPhone(str(b.phone_1)))
		add(errors, 'phone_1', invalidMsg('phone_1'));
	if (!isBlank(b.phone_2) && !isMobile(str(b.phone_2)))
		add(errors, 'phone_2', invalidMsg('phone_2'));
	if (!isBlank(b.cpf_contact) && !isValidCpf(str(b.cpf_contact)))
		add(errors, 'cpf_contact', invalidMsg('cpf_contact'));
	const hasBank = BANK_FIELDS.some((f) => !isBlank(b[f]));
	if (hasBank) {
		for (const f of BANK_FIELDS) if (isBlank(b[f])) add(errors, f, blankMsg(f));
		if (!isBlank(b.bank_id) && !refData().bankById.get(Number(str(b.bank_id))))
			add(errors, 'bank_id', invalidMsg('bank_id'));
		if (!isBlank(b.bank_agency) && !/^\d{1,6}$/.test(str(b.bank_agency)))
			add(errors, 'bank_agency', invalidMsg('bank_agency'));
		if (!isBlank(b.bank_agency_digit) && !/^[0-9Xx]{1,2}$/.test(str(b.bank_agency_digit)))
			add(errors, 'bank_agency_digit', invalidMsg('bank_agency_digit'));
		if (!isBlank(b.bank_number) && !/^\d{1,20}$/.test(str(b.bank_number)))
			add(errors, 'bank_number', invalidMsg('bank_number'));
		if (!isBlank(b.bank_digit) && !/^[0-9Xx]{1,2}$/.test(str(b.bank_digit)))
			add(errors, 'bank_digit', invalidMsg('bank_digit'));
		if (!isBlank(b.bank_account_type) && !['1', '2'].includes(str(b.bank_account_type)))
			add(errors, 'bank_account_type', invalidMsg('bank_account_type'));
		const doc = str(b.bank_document);
		if (doc && !(isValidCpf(doc) || (TAX_CNPJ_RE.test(doc) && isValidCnpj(doc))))
			add(errors, 'bank_document', invalidMsg('bank_document'));
	}
	if (Object.keys(errors).length) return { errors };
	return {
		errors,
		value: {
			partner_id: ctx.creds.partnerHashId,
			partner_user_id: isBlank(b.partner_user_id) ? null : str(b.partner_user_id),
			person_type: personType,
			tax_id: taxId,
			name: str(b.name),
			company_name: str(b.company_name),
			address_zipcode: zip,
			address_street: str(b.address_street),
			address_number: str(b.address_number),
			address_complement: str(b.address_complement),
			address_district: str(b.address_district),
			address_city_id: city!.id,
			name_contact: str(b.name_contact),
			email_contact: str(b.email_contact),
			phone_1: normalizePhone(str(b.phone_1)),
			phone_2: normalizePhone(str(b.phone_2)),
			notes: str(b.notes),
			cpf_contact: str(b.cpf_contact),
			mother_name: str(b.mother_name),
			birthday: str(b.birthday) || null,
			open_date: str(b.open_date) || null,
			main_activity: str(b.main_activity),
			revenue: revenue.length ? revenue : Array.from({ length: 12 }, () => '001'),
			bank_id: hasBank ? Number(str(b.bank_id)) : null,
			bank_agency: hasBank ? str(b.bank_agency) : null,
			bank_agency_digit: hasBank ? str(b.bank_agency_digit) : null,
			bank_number: hasBank ? str(b.bank_number) : null,
			bank_digit: hasBank ? str(b.bank_digit) : null,
			bank_account_type: hasBank ? Number(str(b.bank_account_type)) : null,
			bank_name: hasBank ? str(b.bank_name) : null,
			bank_document: hasBank ? str(b.bank_document) : null,
		},
	};
}

function newCustomerId(ctx: PartnerContext): string {
	for (;;) {
		const id = hashIdFrom(ctx.rng);
		if (
			!ctx.state.customers.some((c) => c.id === id) &&
			!ctx.state.operations.some((o) => o.id === id)
		)
			return id;
	}
}

function insertCustomer(ctx: PartnerContext, b: Record<string, any>): SbResponse {
	const { errors, value } = validateCustomer(ctx, b);
	if (!value) return invalid(errors);
	const now = Math.floor(Date.now() / 1000);
	ctx.state.counters.seq++;
	const c: Customer = {
		...value,
		id: newCustomerId(ctx),
		created_at: now,
		updated_at: now,
		term_accept: false,
		terms_email_sent: 1,
		seq: ctx.state.counters.seq,
	};
	ctx.state.customers.push(c);
	ctx.changed();
	return ok({ id: c.id }, 'Cliente cadastrado com sucesso.');
}

function updateCustomer(ctx: PartnerContext, id: string, b: Record<string, any>): SbResponse {
	const c = ownCustomer(ctx, id);
	if (!c) return fail(404, 'Cliente não encontrado.');
	// "os mesmos campos e regras da criação de clientes": the body alone must be a valid customer.
	const { errors, value } = validateCustomer(ctx, b, c.id);
	if (!value) return invalid(errors);
	Object.assign(c, value, { updated_at: Math.floor(Date.now() / 1000) });
	ctx.changed();
	return ok({ id: c.id }, 'Cliente atualizado com sucesso.');
}

export function customerToApi(c: Customer): Record<string, unknown> {
	const city = refData().cityById.get(c.address_city_id);
	const st = city ? refData().stateByUf.get(city.uf) : undefined;
	const bank = c.bank_id ? refData().bankById.get(c.bank_id) : undefined;
	return {
		id: c.id,
		name: c.name,
		notes: c.notes,
		tax_id: c.tax_id,
		bank_id: c.bank_id,
		phone_1: c.phone_1,
		phone_2: c.phone_2,
		revenue: [...c.revenue],
		birthday: c.birthday,
		bank_name: c.bank_name,
		open_date: c.open_date,
		bank_digit: c.bank_digit,
		partner_id: c.partner_id,
		bank_agency: c.bank_agency,
		bank_number: c.bank_number,
		cpf_contact: c.cpf_contact,
		mother_name: c.mother_name,
		person_type: c.person_type,
		company_name: c.company_name,
		name_contact: c.name_contact,
		bank_document: c.bank_document,
		email_contact: c.email_contact,
		main_activity: c.main_activity,
		address_number: c.address_number,
		address_street: c.address_street,
		bank_code_name: bank ? bankDisplayName(bank) : '',
		address_city_id: c.address_city_id,
		address_zipcode: c.address_zipcode,
		address_district: c.address_district,
		address_state_id: st ? st.id : null,
		address_city_name: city ? city.name : null,
		bank_account_type: c.bank_account_type,
		bank_agency_digit: c.bank_agency_digit,
		address_complement: c.address_complement,
		address_state_code: st ? st.uf : null,
		address_state_name: st ? st.name : null,
	};
}

function getCustomer(ctx: PartnerContext, id: string): SbResponse {
	const c = ownCustomer(ctx, id);
	if (!c) return fail(404, 'Cliente não encontrado.');
	return ok(customerToApi(c));
}

function listCustomers(ctx: PartnerContext, b: Record<string, any>): SbResponse {
	const params = parseListParams(b);
	if (!('limit' in params) || typeof params.limit !== 'number') return invalid(params as Errors);
	const { limit, offset, filter } = params as {
		limit: number;
		offset: number;
		filter: Record<string, any>;
	};
	const q = fold(str(filter.filter ?? ''));
	const all = ctx.state.customers
		.filter((c) => c.partner_id === ctx.creds.partnerHashId)
		.filter((c) => !q || fold(c.name).includes(q) || fold(c.company_name).includes(q))
		.sort((x, y) => x.seq - y.seq);
	const values = all.slice(offset, offset + limit).map((c) => ({
		id: c.id,
		name: c.name,
		tax_id: c.person_type === 1 ? formatCpf(c.tax_id) : formatCnpj(c.tax_id),
		created_at: c.created_at,
		term_accept: c.term_accept,
		email_contact: c.email_contact,
		partner_term_accept_config: false,
	}));
	return ok({ total: String(all.length), values });
}

function resendTerms(ctx: PartnerContext, req: SbRequest): SbResponse {
	const id = req.query.customerHashId;
	if (isBlank(id)) return invalid({ customerHashId: [blankMsg('customer_hash_id')] });
	const c = ownCustomer(ctx, id);
	if (!c) return fail(404, 'Cliente não encontrado.');
	c.terms_email_sent++;
	ctx.changed();
	return ok([], 'E-mail de termos de aceite reenviado.');
}

// ---------------------------------------------------------------- operations
function statusOf(op: Operation) {
	return OPERATION_STATUSES.find((s) => s.id === op.status_id) ?? OPERATION_STATUSES[0];
}

function sentDocs(op: Operation): Record<string, boolean> {
	const out: Record<string, boolean> = {};
	for (const k of DOCUMENT_KEYS) out[k] = false;
	for (const d of op.documents) out[DOCUMENT_TYPES[d.type]] = true;
	return out;
}

function haveAllDocuments(op: Operation, c: Customer | undefined): boolean {
	const d = sentDocs(op);
	const identity = (d.frente_rg && d.verso_rg) || d.carteira_de_habilitacao_cnh;
	const base = identity && d.comprovante_residencia;
	return c?.person_type === 2 ? base && d.contrato_social : base;
}

function opValues(
	ctx: PartnerContext,
	op: Operation,
): { v: OperationValues; c: Customer | undefined } {
	const c = ctx.state.customers.find((x) => x.id === op.customer_id);
	return {
		v: computeOperationValues(op.amount, op.installment, op.monthly_rate, c?.person_type ?? 1),
		c,
	};
}

export function operationListItem(ctx: PartnerContext, op: Operation): Record<string, unknown> {
	const { v, c } = opValues(ctx, op);
	const st = statusOf(op);
	const dead = st.slug === 'cancelado' || st.slug === 'reprovado';
	return {
		id: op.id,
		ccb: null,
		total: brl(v.total),
		amount: op.amount.toFixed(4),
		quantity: op.quantity,
		cet_anual: percent(v.cetAnnual),
		status_id: st.id,
		valor_iof: brl(v.iof),
		created_at: op.created_at,
		signatures: null,
		customer_id: op.customer_id,
		description: op.description,
		installment: op.installment,
		person_type: c?.person_type ?? 1,
		status_name: st.name,
		status_slug: st.slug,
		uploaded_nfe: false,
		customer_name: c?.name ?? '',
		valor_liquido: brl(op.amount),
		valor_nominal: brl(dead ? 0 : v.nominal),
		taxa_juros_mes: percent(op.monthly_rate),
		can_be_canceled: CANCELABLE_OPERATION_STATUS_IDS.includes(st.id),
		canceled_message: op.canceled_message,
		shopProofUploaded: false,
		have_all_documents: haveAllDocuments(op, c),
	};
}

function ownOperation(ctx: PartnerContext, id: string): Operation | undefined {
	return ctx.state.operations.find((o) => o.id === id && o.partner_id === ctx.creds.partnerHashId);
}

function listOperations(ctx: PartnerContext, b: Record<string, any>): SbResponse {
	const params = parseListParams(b);
	if (!('limit' in params) || typeof params.limit !== 'number') return invalid(params as Errors);
	const { limit, offset, filter } = params as {
		limit: number;
		offset: number;
		filter: Record<string, any>;
	};
	const q = fold(str(filter.customer ?? ''));
	const byId = new Map(ctx.state.customers.map((c) => [c.id, c]));
	const all = ctx.state.operations
		.filter((o) => o.partner_id === ctx.creds.partnerHashId)
		.filter((o) => {
			if (!q) return true;
			const c = byId.get(o.customer_id);
			return !!c && (fold(c.name).includes(q) || fold(c.company_name).includes(q));
		})
		.sort((x, y) => x.seq - y.seq);
	return ok(all.slice(offset, offset + limit).map((o) => operationListItem(ctx, o)));
}

function operationStatus(ctx: PartnerContext, id: string): SbResponse {
	const op = ownOperation(ctx, id);
	if (!op) return fail(404, 'Operação não encontrada.');
	const st = statusOf(op);
	return ok({ status: st.name, slug: st.slug });
}

function operationDetails(ctx: PartnerContext, id: string): SbResponse {
	const op = ownOperation(ctx, id);
	if (!op) return fail(404, 'Operação não encontrada.');
	const { v, c } = opValues(ctx, op);
	const city = c ? refData().cityById.get(c.address_city_id) : undefined;
	const endereco = c
		? `${c.address_street}, ${c.address_number || 'SN'}${c.address_complement ? ' ' + c.address_complement : ''} ${c.address_district} - ${c.address_zipcode} - ${city ? `${city.name}/${city.uf}` : ''}`
		: '';
	return ok({
		status_operacao: statusOf(op).slug,
		// Wall-clock Brasília time (UTC−3, no daylight saving since 2019), the same instant as created_at.
		data_criacao: sqlDateTime(op.created_at * 1000 - 3 * 3600 * 1000),
		cliente: c
			? {
					nome: c.name,
					email: c.email_contact,
					cpf_cnpj: c.tax_id,
					endereco,
					fone: c.phone_1,
					celular: c.phone_2,
					data_nascimento: c.birthday,
					nome_mae: c.mother_name,
					data_abertura: c.open_date,
					atividade_principal: c.main_activity || null,
					cpf_contato: c.cpf_contact,
					nome_contato: c.name_contact,
					razao_social: c.company_name,
				}
			: null,
		dados_operacao: {
			valor_solicitado: op.amount,
			valor_nominal: v.nominal,
			valor_total: v.total,
			taxa_juros_mensal: op.monthly_rate,
			parcelas: op.installment,
			valor_parcela: v.installmentValue,
		},
		assinaturas_coletadas: [],
		url_assinar_contrato: [],
		documentos_enviados: sentDocs(op),
		status_antifraude: null,
		boletos_gerados: null,
	});
}

function num(v: unknown): number {
	if (typeof v === 'number') return v;
	const s = str(v);
	if (!s) return NaN;
	// accept "1000.00", "1000,00", "1.000,00"
	if (/^\d{1,3}(\.\d{3})+(,\d+)?$/.test(s)) return Number(s.replace(/\./g, '').replace(',', '.'));
	return Number(s.replace(',', '.'));
}

function createOperation(ctx: PartnerContext, b: Record<string, any>): SbResponse {
	const errors: Errors = {};
	const amount = num(b.amount);
	if (isBlank(b.amount)) add(errors, 'amount', blankMsg('amount'));
	else if (!Number.isFinite(amount) || amount <= 0) add(errors, 'amount', invalidMsg('amount'));
	const installment = num(b.installment);
	if (isBlank(b.installment)) add(errors, 'installment', blankMsg('installment'));
	else if (!Number.isInteger(installment) || installment < 1 || installment > 48)
		add(errors, 'installment', invalidMsg('installment'));
	let quantity = 1;
	if (!isBlank(b.quantity)) {
		quantity = num(b.quantity);
		if (!Number.isInteger(quantity) || quantity < 1)
			add(errors, 'quantity', invalidMsg('quantity'));
	}
	if (!isBlank(b.seller_email) && !EMAIL_RE.test(str(b.seller_email)))
		add(errors, 'seller_email', invalidMsg('seller_email'));

	let customer: Customer | undefined;
	let newCustomer: Customer | undefined;
	if (!isBlank(b.customer_hashid)) {
		customer = ownCustomer(ctx, str(b.customer_hashid));
		if (!customer) add(errors, 'customer_hashid', invalidMsg('customer_hashid'));
	} else {
		const pt = str(b.person_type).toUpperCase();
		const required = ['tax_id', 'person_type', 'email_contact', 'name', 'phone2', 'city', 'state'];
		if (pt === 'PJ')
			required.push('cpf_contact', 'name_contact', 'opendate', 'main_activity', 'revenue');
		for (const f of required) if (isBlank(b[f])) add(errors, f, blankMsg(f));
		if (!isBlank(b.person_type) && pt !== 'PF' && pt !== 'PJ')
			add(errors, 'person_type', invalidMsg('person_type'));
		const taxId =
			digitsOnly(str(b.tax_id)) === str(b.tax_id)
				? str(b.tax_id)
				: str(b.tax_id)
						.replace(/[./\-\s]/g, '')
						.toUpperCase();
		if (
			taxId &&
			(pt === 'PJ' ? !(TAX_CNPJ_RE.test(taxId) && isValidCnpj(taxId)) : !isValidCpf(taxId))
		)
			add(errors, 'tax_id', invalidMsg('tax_id'));
		if (!isBlank(b.cpf_contact) && !isValidCpf(digitsOnly(str(b.cpf_contact))))
			add(errors, 'cpf_contact', invalidMsg('cpf_contact'));
		if (!isBlank(b.email_contact) && !EMAIL_RE.test(str(b.email_contact)))
			add(errors, 'email_contact', invalidMsg('email_contact'));
		if (!isBlank(b.phone2) && !isMobile(str(b.phone2))) add(errors, 'phone2', invalidMsg('phone2'));
		for (const f of ['phone1', 'phone3'])
			if (!isBlank(b[f]) && !isPhone(str(b[f]))) add(errors, f, invalidMsg(f));
		if (!isBlank(b.birthdate) && !isBrDate(str(b.birthdate)))
			add(errors, 'birthdate', invalidMsg('birthdate'));
		if (!isBlank(b.opendate) && !isBrDate(str(b.opendate)))
			add(errors, 'opendate', invalidMsg('opendate'));
		if (!isBlank(b.postal_code) && digitsOnly(str(b.postal_code)).length !== 8)
			add(errors, 'postal_code', invalidMsg('postal_code'));
		let revenue: string[] = [];
		if (pt === 'PJ' && !isBlank(b.revenue)) {
			const r = b.revenue;
			let vals: unknown[] | null = null;
			if (Array.isArray(r)) vals = r;
			else if (r && typeof r === 'object') {
				const keys = Object.keys(r);
				const expected = Array.from({ length: 12 }, (_, k) => String(k + 1));
				vals =
					keys.length === 12 && expected.every((k) => k in r) ? expected.map((k) => r[k]) : null;
			}
			if (!vals || vals.length !== 12 || vals.some((x) => !Number.isFinite(num(x)) || num(x) < 0))
				add(errors, 'revenue', invalidMsg('revenue'));
			else revenue = vals.map((x) => String(num(x)));
		}
		const uf = str(b.state).toUpperCase();
		if (!isBlank(b.state) && !refData().stateByUf.has(uf))
			add(errors, 'state', invalidMsg('state'));
		const city =
			!isBlank(b.city) && refData().stateByUf.has(uf) ? findCity(str(b.city), uf) : undefined;
		if (!isBlank(b.city) && !isBlank(b.state) && !city) add(errors, 'city', CITY_INVALID_MSG);
		if (!Object.keys(errors).length) {
			customer = ctx.state.customers.find(
				(c) => c.partner_id === ctx.creds.partnerHashId && c.tax_id === taxId,
			);
			if (!customer) {
				const now = Math.floor(Date.now() / 1000);
				const personType = pt === 'PJ' ? 2 : 1;
				ctx.state.counters.seq++;
				newCustomer = {
					id: newCustomerId(ctx),
					partner_id: ctx.creds.partnerHashId,
					partner_user_id: ctx.creds.userHashId,
					person_type: personType,
					tax_id: taxId,
					name: str(b.name),
					company_name: str(b.company_name),
					address_zipcode: digitsOnly(str(b.postal_code)),
					address_street: str(b.address_street),
					address_number: str(b.address_number),
					address_complement: str(b.address_complement),
					address_district: str(b.address_district),
					address_city_id: city!.id,
					name_contact: str(b.name_contact) || str(b.name),
					email_contact: str(b.email_contact),
					phone_1: normalizePhone(str(b.phone1)),
					phone_2: normalizePhone(str(b.phone2)),
					notes: '',
					cpf_contact: digitsOnly(str(b.cpf_contact)) || (personType === 1 ? taxId : ''),
					mother_name: str(b.mother_name),
					birthday: str(b.birthdate) || null,
					open_date: str(b.opendate) || null,
					main_activity: str(b.main_activity),
					revenue: revenue.length ? revenue : Array.from({ length: 12 }, () => '001'),
					bank_id: null,
					bank_agency: null,
					bank_agency_digit: null,
					bank_number: null,
					bank_digit: null,
					bank_account_type: null,
					bank_name: null,
					bank_document: null,
					created_at: now,
					updated_at: now,
					term_accept: false,
					terms_email_sent: 1,
					seq: ctx.state.counters.seq,
				};
				customer = newCustomer;
			}
		}
	}
	if (Object.keys(errors).length || !customer) return invalid(errors);
	if (newCustomer) ctx.state.customers.push(newCustomer);
	const now = Math.floor(Date.now() / 1000);
	ctx.state.counters.seq++;
	const op: Operation = {
		id: newCustomerId(ctx),
		partner_id: ctx.creds.partnerHashId,
		customer_id: customer.id,
		amount: round2(amount),
		quantity,
		description: str(b.description),
		installment,
		seller_email: str(b.seller_email) || null,
		status_id: 1,
		monthly_rate: DEFAULT_MONTHLY_RATE,
		created_at: now,
		updated_at: now,
		canceled_message: null,
		documents: [],
		seq: ctx.state.counters.seq,
	};
	ctx.state.operations.push(op);
	ctx.changed();
	return ok({ operation: op.id, customer: customer.id }, 'Operação criada com sucesso.');
}

function uploadLink(ctx: PartnerContext, b: Record<string, any>): SbResponse {
	const errors: Errors = {};
	const link = b.link ?? b.path;
	for (const f of ['operation_id', 'type']) if (isBlank(b[f])) add(errors, f, blankMsg(f));
	if (isBlank(link)) add(errors, 'link', blankMsg('link'));
	const op = isBlank(b.operation_id) ? undefined : ownOperation(ctx, str(b.operation_id));
	if (!isBlank(b.operation_id) && !op) add(errors, 'operation_id', invalidMsg('operation_id'));
	const type = str(b.type);
	if (type && !(type in DOCUMENT_TYPES))
		add(
			errors,
			'type',
			`"Type" é inválido. Valores aceitos: ${Object.keys(DOCUMENT_TYPES).join(', ')}.`,
		);
	if (!isBlank(link)) {
		let u: URL | undefined;
		try {
			u = new URL(str(link));
		} catch {
			u = undefined;
		}
		if (!u || u.protocol !== 'https:' || !u.hostname)
			add(errors, 'link', '"Link" deve ser uma URL https válida.');
	}
	if (!isBlank(b.mimetype) && !/^[\w.+-]+\/[\w.+-]+$/.test(str(b.mimetype)))
		add(errors, 'mimetype', invalidMsg('mimetype'));
	if (Object.keys(errors).length || !op) return invalid(errors);
	op.documents = op.documents.filter((d) => d.type !== type);
	op.documents.push({
		type,
		link: str(link),
		mimetype: str(b.mimetype) || null,
		uploaded_at: Math.floor(Date.now() / 1000),
	});
	op.updated_at = Math.floor(Date.now() / 1000);
	ctx.changed();
	return ok(true);
}

// ---------------------------------------------------------------- look-ups
function citySearch(req: SbRequest): SbResponse {
	const name = req.query.name;
	if (isBlank(name)) return invalid({ name: [blankMsg('name')] });
	return ok(
		searchCities(name).map((c) => ({ id: c.id, name: `${c.name} - ${c.uf}`, remote_id: c.ibge })),
	);
}

function bankSearch(req: SbRequest): SbResponse {
	const q = req.query.search ?? '';
	const list = q.trim() ? searchBanks(q) : refData().banks;
	return ok(list.map((b) => ({ id: b.id, name: bankDisplayName(b) })));
}

export { formatNumberBR };
