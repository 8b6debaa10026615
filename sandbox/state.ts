/** The sandbox's state model, its deterministic seed data and the fixtures derived from it. */
import { refData } from './refdata';
import {
	formatCnpj,
	hashIdFrom,
	isoDate,
	makeCnpj,
	makeCpf,
	mulberry32,
	pick,
	randInt,
	randomCnpj,
	randomCpf,
	round2,
	Rng,
	uuidFrom,
} from './util';

export const ORDER_STATUSES = [
	'pending',
	'approved',
	'rejected',
	'pending_invoice',
	'invoice_sent',
	'paid',
	'cancelled',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
export const CANCELLABLE_STATUSES: readonly OrderStatus[] = [
	'pending',
	'approved',
	'pending_invoice',
];
export type PaymentStatus = 'pending' | 'paid' | 'cancelled';

export function paymentStatusFor(s: OrderStatus): PaymentStatus {
	if (s === 'paid') return 'paid';
	if (s === 'rejected' || s === 'cancelled') return 'cancelled';
	return 'pending';
}

export const INDUSTRY_FEE = 0.0215;
export const RETAIL_FEE = 0;

export interface Retail {
	cnpj: string;
	name: string;
	retail_representative: string;
	email: string;
	phone: string;
	address: string;
	number: string;
	neighborhood: string;
	city: string;
	state: string;
	complement: string;
	zip_code: string;
	registered_retail: boolean;
}

export interface PurchaseItem {
	value: number;
	quantity: number;
	description?: string;
}

export interface InvoiceFile {
	filename: string;
	mimetype: string;
	size: number;
	sha256: string;
	uploaded_at: string;
}

export interface Order {
	id: string;
	industry_cnpj: string;
	order_no: string;
	expiry_date: string;
	requested_amount: number;
	paid_amount: number;
	payment_status: PaymentStatus;
	order_status: OrderStatus;
	retail_fee: number;
	industry_fee: number;
	created_at: string;
	updated_at: string;
	retail: { name: string; cnpj: string };
	retail_representative: string | null;
	retail_email: string | null;
	retail_phone: string | null;
	purchase_date: string;
	purchase_items: PurchaseItem[];
	invoice_number: string | null;
	invoice: InvoiceFile | null;
	cancel_reason: string | null;
	reject_reason: string | null;
}

export interface Industry {
	uuid: string;
	cnpj: string;
	name: string;
	clientId: string;
	clientSecret: string;
}

export interface Customer {
	id: string;
	partner_id: string;
	partner_user_id: string | null;
	person_type: 1 | 2;
	tax_id: string;
	name: string;
	company_name: string;
	address_zipcode: string;
	address_street: string;
	address_number: string;
	address_complement: string;
	address_district: string;
	address_city_id: number;
	name_contact: string;
	email_contact: string;
	phone_1: string;
	phone_2: string;
	notes: string;
	cpf_contact: string;
	mother_name: string;
	birthday: string | null;
	open_date: string | null;
	main_activity: string;
	revenue: string[];
	bank_id: number | null;
	bank_agency: string | null;
	bank_agency_digit: string | null;
	bank_number: string | null;
	bank_digit: string | null;
	bank_account_type: number | null;
	bank_name: string | null;
	bank_document: string | null;
	created_at: number; // unix seconds
	updated_at: number;
	term_accept: boolean;
	terms_email_sent: number;
	seq: number;
}

export const DOCUMENT_TYPES: Record<string, string> = {
	'proof-residence': 'comprovante_residencia',
	'social-contract': 'contrato_social',
	'rg-front': 'frente_rg',
	'rg-back': 'verso_rg',
	cnh: 'carteira_de_habilitacao_cnh',
};

export const DOCUMENT_KEYS = [
	'carteira_de_habilitacao_cnh',
	'nota_fiscal',
	'verso_rg',
	'boletos_operations',
	'frente_rg',
	'comprovante_de_compra',
	'boleto_da_compra',
	'comprovante_residencia',
	'contrato_social',
] as const;

export interface UploadedDocument {
	type: string;
	link: string;
	mimetype: string | null;
	uploaded_at: number;
}

export const OPERATION_STATUSES: Array<{ id: number; slug: string; name: string }> = [
	{ id: 1, slug: 'em-analise', name: 'Em análise' },
	{ id: 2, slug: 'aguardando-documentos', name: 'Aguardando documentos' },
	{ id: 3, slug: 'autorizado', name: 'Autorizado' },
	{ id: 4, slug: 'pago', name: 'Pago' },
	{ id: 5, slug: 'cancelado', name: 'Cancelado' },
	{ id: 6, slug: 'reprovado', name: 'Reprovado' },
];
export const CANCELABLE_OPERATION_STATUS_IDS = [1, 2, 3];

export interface Operation {
	id: string;
	partner_id: string;
	customer_id: string;
	amount: number;
	quantity: number;
	description: string;
	installment: number;
	seller_email: string | null;
	status_id: number;
	monthly_rate: number; // percent, e.g. 5.4
	created_at: number; // unix seconds
	updated_at: number;
	canceled_message: string | null;
	documents: UploadedDocument[];
	seq: number;
}

export interface WebhookSubscription {
	id: string;
	url: string;
	authType: 'none' | 'bearer' | 'basic';
	authToken?: string;
	headers: Record<string, string>;
	events?: string[];
	created_at: string;
}

export interface WebhookAttempt {
	attempt: number;
	status?: number;
	error?: string;
	at: string;
	durationMs: number;
}

export interface WebhookDelivery {
	id: string;
	subscriptionId: string;
	eventType: string;
	orderId: string;
	payload: unknown;
	state: 'pending' | 'delivered' | 'failed';
	attempts: WebhookAttempt[];
	nextAttemptAt?: string;
	/** The delivery this one re-sends (the console's "resend"). */
	resendOf?: string;
}

export interface SandboxFixtures {
	industryUuid: string;
	industryCnpj: string;
	registeredRetailCnpj: string;
	bureauRetailCnpj: string;
	alphanumericRetailCnpj: string;
	unknownCnpj: string;
	malformedCnpj: string;
	retailCnpjs: string[];
	orderIdsByStatus: Record<OrderStatus, string[]>;
	orderNumbersInUse: string[];
	invoiceNumbersInUse: string[];
	otherIndustry: {
		clientId: string;
		clientSecret: string;
		industryCnpj: string;
		industryUuid: string;
		orderId: string;
	};
	customerIds: { PF: string; PJ: string };
	customerIdsAll: string[];
	operationIdsBySlug: Record<string, string[]>;
	cityIds: { araranguaSC: number; saoPauloSP: number; salvadorBA: number; rioBrancoAC: number };
	bankIds: { bancoDoBrasil: number; bradesco: number; itau: number; caixa: number };
}

export interface SandboxState {
	version: 1;
	seed: number;
	industries: Industry[];
	retails: Retail[];
	bureau: Retail[];
	orders: Order[];
	customers: Customer[];
	operations: Operation[];
	webhooks: WebhookSubscription[];
	deliveries: WebhookDelivery[];
	tokensIssued: number;
	counters: { seq: number; bulk: number };
	fixtures: SandboxFixtures;
}

export interface SeedCredentials {
	clientId: string;
	clientSecret: string;
	partnerHashId: string;
	userHashId: string;
	industryCnpj: string;
}

/** Seeded timestamps are anchored on a fixed instant so every run with the same seed is identical. */
export const SEED_ANCHOR_MS = Date.UTC(2026, 9, 1, 12, 0, 0);
const DAY = 86_400_000;

const FIRST = [
	'João',
	'Maria',
	'Ana',
	'Carlos',
	'Fernanda',
	'Paulo',
	'Juliana',
	'Ricardo',
	'Patrícia',
	'Marcos',
	'Luciana',
	'Rafael',
	'Camila',
	'Bruno',
	'Aline',
];
const LAST = [
	'Silva',
	'Santos',
	'Oliveira',
	'Souza',
	'Pereira',
	'Costa',
	'Rodrigues',
	'Almeida',
	'Nascimento',
	'Lima',
	'Araújo',
	'Ferreira',
	'Carvalho',
	'Gomes',
	'Ribeiro',
];
const PRODUCTS = [
	'Cimento CP-II 50kg',
	'Tinta acrílica 18L',
	'Piso cerâmico 60x60',
	'Argamassa AC-III',
	'Vergalhão CA-50 10mm',
	'Telha fibrocimento',
	'Caixa d’água 1000L',
	'Porcelanato 80x80',
	'Fio elétrico 2,5mm',
	'Tubo PVC 100mm',
];

function personName(rng: Rng): string {
	return `${pick(rng, FIRST)} ${pick(rng, LAST)} ${pick(rng, LAST)}`;
}

function emailFor(name: string, domain: string): string {
	const local = name
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.split(' ')
		.slice(0, 2)
		.join('.');
	return `${local}@${domain}`;
}

export function orderForCreate(
	id: string,
	industry: Industry,
	retail: { name: string; cnpj: string },
	fields: {
		order_no: string;
		expiry_date: string;
		requested_amount: number;
		retail_representative: string | null;
		retail_email: string | null;
		retail_phone: string | null;
		purchase_date: string;
		purchase_items: PurchaseItem[];
	},
	createdAtMs: number,
): Order {
	const created = new Date(createdAtMs).toISOString();
	return {
		id,
		industry_cnpj: industry.cnpj,
		order_no: fields.order_no,
		expiry_date: `${fields.expiry_date}T00:00:00.000Z`,
		requested_amount: fields.requested_amount,
		paid_amount: round2(fields.requested_amount * (1 - INDUSTRY_FEE)),
		payment_status: 'pending',
		order_status: 'pending',
		retail_fee: RETAIL_FEE,
		industry_fee: INDUSTRY_FEE,
		created_at: created,
		updated_at: created,
		retail,
		retail_representative: fields.retail_representative,
		retail_email: fields.retail_email,
		retail_phone: fields.retail_phone,
		purchase_date: fields.purchase_date,
		purchase_items: fields.purchase_items,
		invoice_number: null,
		invoice: null,
		cancel_reason: null,
		reject_reason: null,
	};
}

function makeRetail(
	rng: Rng,
	cnpj: string,
	name: string,
	registered: boolean,
	cityIdx: number,
): Retail {
	const cities: Array<[string, string, string, string]> = [
		['São Paulo', 'SP', '01310-100', 'Bela Vista'],
		['Curitiba', 'PR', '80010-000', 'Centro'],
		['Belo Horizonte', 'MG', '30130-000', 'Centro'],
		['Porto Alegre', 'RS', '90010-000', 'Centro Histórico'],
		['Salvador', 'BA', '40020-000', 'Comércio'],
		['Florianópolis', 'SC', '88010-000', 'Centro'],
		['Recife', 'PE', '50030-000', 'Boa Vista'],
	];
	const [city, uf, cep, hood] = cities[cityIdx % cities.length];
	const rep = personName(rng);
	const domain =
		name
			.toLowerCase()
			.split(' ')[0]
			.normalize('NFD')
			.replace(/[\u0300-\u036f]/g, '') + '.com.br';
	return {
		cnpj,
		name,
		retail_representative: rep,
		email: `contato@${domain}`,
		phone: `${pick(rng, ['11', '41', '31', '51', '71', '48', '81'])}9${randInt(rng, 10000000, 99999999)}`,
		address: pick(rng, [
			'Rua das Flores',
			'Avenida Paulista',
			'Rua XV de Novembro',
			'Avenida Brasil',
			'Rua Sete de Setembro',
		]),
		number: String(randInt(rng, 10, 2500)),
		neighborhood: hood,
		city,
		state: uf,
		complement: rng() < 0.5 ? `Sala ${randInt(rng, 1, 99)}` : '',
		zip_code: cep,
		registered_retail: registered,
	};
}

export interface SeedResult {
	state: SandboxState;
}

/** Builds the seeded state. Same seed + same credentials → identical state. */
export function seedState(seed: number, creds: SeedCredentials): SandboxState {
	const rng = mulberry32(seed * 7919 + 17);
	const industryUuid = uuidFrom(rng);
	const industry: Industry = {
		uuid: industryUuid,
		cnpj: creds.industryCnpj,
		name: 'Indústria Sandbox de Materiais S.A.',
		clientId: creds.clientId,
		clientSecret: creds.clientSecret,
	};
	const otherCnpj = makeCnpj('334445550001');
	const other: Industry = {
		uuid: uuidFrom(rng),
		cnpj: otherCnpj,
		name: 'Outra Indústria Ltda',
		clientId: 'sandbox-other-industry',
		clientSecret: 'sandbox-other-secret',
	};

	const retailNames = [
		'Empresa Varejo LTDA',
		'Casa do Construtor Comércio LTDA',
		'Mercado Bom Preço LTDA',
		'Ferragens Aliança EIRELI',
		'Loja Central Materiais LTDA',
		'Distribuidora Norte Sul LTDA',
	];
	const retailCnpjs = [
		makeCnpj('112223330001'),
		makeCnpj('987654320001'),
		makeCnpj('456789010001'),
		makeCnpj('234567890001'),
		makeCnpj('345678900001'),
	];
	const retails: Retail[] = retailCnpjs.map((c, i) => makeRetail(rng, c, retailNames[i], true, i));
	const alnum = '12ABC34501DE35';
	retails.push(makeRetail(rng, alnum, retailNames[5], true, 5));
	const bureauCnpj = makeCnpj('567890120001');
	const bureau: Retail[] = [
		{
			...makeRetail(rng, bureauCnpj, 'Nova Empresa Varejo LTDA', false, 0),
			retail_representative: 'Maria Santos',
			email: 'contato@novaempresa.com.br',
			phone: '11976543210',
			address: 'Avenida Paulista',
			number: '1000',
			complement: '',
			zip_code: '01310-100',
			neighborhood: 'Bela Vista',
		},
		makeRetail(rng, makeCnpj('678901230001'), 'Comercial Horizonte LTDA', false, 3),
	];

	const state: SandboxState = {
		version: 1,
		seed,
		industries: [industry, other],
		retails,
		bureau,
		orders: [],
		customers: [],
		operations: [],
		webhooks: [],
		deliveries: [],
		tokensIssued: 0,
		counters: { seq: 0, bulk: 0 },
		fixtures: undefined as unknown as SandboxFixtures,
	};

	// ---- orders: every status, several per status, spread over retails
	const orderIdsByStatus = Object.fromEntries(
		ORDER_STATUSES.map((s) => [s, [] as string[]]),
	) as Record<OrderStatus, string[]>;
	const perStatus: Record<OrderStatus, number> = {
		pending: 6,
		approved: 5,
		rejected: 3,
		pending_invoice: 5,
		invoice_sent: 3,
		paid: 4,
		cancelled: 3,
	};
	let n = 0;
	const invoiceNumbers: string[] = [];
	for (const status of ORDER_STATUSES) {
		for (let k = 0; k < perStatus[status]; k++) {
			n++;
			const retail = retails[n % retails.length];
			const created = SEED_ANCHOR_MS - n * 7 * 3_600_000 - randInt(rng, 0, 3_599) * 1000;
			const items: PurchaseItem[] = [];
			const nItems = randInt(rng, 1, 3);
			for (let j = 0; j < nItems; j++)
				items.push({
					value: randInt(rng, 50, 5000),
					quantity: randInt(rng, 1, 20),
					description: pick(rng, PRODUCTS),
				});
			const amount = items.reduce((a, it) => a + it.value * it.quantity, 0);
			const order = orderForCreate(
				uuidFrom(rng),
				industry,
				{ name: retail.name, cnpj: retail.cnpj },
				{
					order_no: `ORD-2026-${String(n).padStart(4, '0')}`,
					expiry_date: isoDate(created + randInt(rng, 30, 90) * DAY),
					requested_amount: amount,
					retail_representative: retail.retail_representative,
					retail_email: retail.email,
					retail_phone: retail.phone,
					purchase_date: isoDate(created),
					purchase_items: items,
				},
				created,
			);
			order.order_status = status;
			order.payment_status = paymentStatusFor(status);
			if (status === 'invoice_sent' || status === 'paid') {
				order.invoice_number = `NF-${100000 + n}`;
				invoiceNumbers.push(order.invoice_number);
				order.invoice = {
					filename: `nf-${100000 + n}.pdf`,
					mimetype: 'application/pdf',
					size: 1024,
					sha256: '0'.repeat(64),
					uploaded_at: new Date(created + DAY).toISOString(),
				};
			}
			if (status === 'cancelled') order.cancel_reason = 'Pedido cancelado a pedido do cliente';
			if (status === 'rejected') order.reject_reason = 'Limite de crédito insuficiente';
			if (status !== 'pending') order.updated_at = new Date(created + DAY).toISOString();
			state.orders.push(order);
			orderIdsByStatus[status].push(order.id);
		}
	}
	// one order for the other industry (isolation tests)
	const otherOrder = orderForCreate(
		uuidFrom(rng),
		other,
		{ name: retails[0].name, cnpj: retails[0].cnpj },
		{
			order_no: 'OTHER-0001',
			expiry_date: '2026-12-31',
			requested_amount: 5000,
			retail_representative: null,
			retail_email: null,
			retail_phone: null,
			purchase_date: '2026-09-01',
			purchase_items: [{ value: 5000, quantity: 1, description: 'Outro' }],
		},
		SEED_ANCHOR_MS - DAY,
	);
	state.orders.push(otherOrder);

	// ---- customers: PF and PJ
	const rd = refData();
	const cityByName = (name: string, uf: string) =>
		rd.cities.find((c) => c.name === name && c.uf === uf)!;
	const customerSpecs: Array<{
		pt: 1 | 2;
		name: string;
		company?: string;
		city: [string, string];
		bank: boolean;
	}> = [
		{ pt: 1, name: 'Maya Márcia da Paz', city: ['Araranguá', 'SC'], bank: true },
		{
			pt: 2,
			name: 'Erick Locações de Automóveis',
			company: 'Luzia e Erick Locações de Automóveis Ltda',
			city: ['São Paulo', 'SP'],
			bank: true,
		},
		{ pt: 1, name: 'Silvana Letícia Isabelle Moraes', city: ['Rio Branco', 'AC'], bank: false },
		{
			pt: 2,
			name: 'Padaria Pão Quente',
			company: 'Padaria Pão Quente Ltda',
			city: ['Salvador', 'BA'],
			bank: false,
		},
		{ pt: 1, name: 'Heitor Moraes do Prado', city: ['Curitiba', 'PR'], bank: true },
		{
			pt: 2,
			name: 'Oficina Mecânica Veloz',
			company: 'Veloz Serviços Automotivos Ltda',
			city: ['Belo Horizonte', 'MG'],
			bank: false,
		},
	];
	for (let i = 0; i < customerSpecs.length; i++) {
		const s = customerSpecs[i];
		const city = cityByName(s.city[0], s.city[1]);
		const cpf = randomCpf(rng);
		const taxId = s.pt === 1 ? cpf : randomCnpj(rng);
		const contact = s.pt === 1 ? s.name : personName(rng);
		const created = Math.floor((SEED_ANCHOR_MS - (customerSpecs.length - i) * 5 * DAY) / 1000);
		const bankId = s.bank ? pick(rng, [1, 58, 117, 181]) : null;
		state.counters.seq++;
		state.customers.push({
			id: hashIdFrom(rng),
			partner_id: creds.partnerHashId,
			partner_user_id: creds.userHashId,
			person_type: s.pt,
			tax_id: taxId,
			name: s.name,
			company_name: s.company ?? '',
			address_zipcode: String(randInt(rng, 10000000, 99999999)),
			address_street: pick(rng, [
				'Rua Madre Tereza de Calcutá',
				'Rua 20 de Abril',
				'Avenida Getúlio Vargas',
				'Rua Raimundo Ferreira',
			]),
			address_number: String(randInt(rng, 1, 999)),
			address_complement: '',
			address_district: 'Centro',
			address_city_id: city.id,
			name_contact: contact,
			email_contact: emailFor(contact, 'example.com'),
			phone_1: `${randInt(rng, 11, 99)}3${randInt(rng, 1000000, 9999999)}`,
			phone_2: `${randInt(rng, 11, 99)}9${randInt(rng, 10000000, 99999999)}`,
			notes: '',
			cpf_contact: cpf,
			mother_name: `${pick(
				rng,
				FIRST.filter(
					(f) => !['João', 'Carlos', 'Paulo', 'Ricardo', 'Marcos', 'Rafael', 'Bruno'].includes(f),
				),
			)} ${pick(rng, LAST)}`,
			birthday: `${String(randInt(rng, 1, 28)).padStart(2, '0')}/${String(randInt(rng, 1, 12)).padStart(2, '0')}/${randInt(rng, 1960, 2000)}`,
			open_date:
				s.pt === 2
					? `${String(randInt(rng, 1, 28)).padStart(2, '0')}/${String(randInt(rng, 1, 12)).padStart(2, '0')}/${randInt(rng, 1995, 2020)}`
					: null,
			main_activity: s.pt === 2 ? 'Comércio varejista' : '',
			revenue: Array.from({ length: 12 }, () =>
				s.pt === 2 ? String(randInt(rng, 20000, 90000)) : '001',
			),
			bank_id: bankId,
			bank_agency: s.bank ? String(randInt(rng, 1000, 9999)) : null,
			bank_agency_digit: s.bank ? '0' : null,
			bank_number: s.bank ? String(randInt(rng, 10000, 999999)) : null,
			bank_digit: s.bank ? String(randInt(rng, 0, 9)) : null,
			bank_account_type: s.bank ? 1 : null,
			bank_name: s.bank ? (s.company ?? s.name) : null,
			bank_document: s.bank ? taxId : null,
			created_at: created,
			updated_at: created,
			term_accept: i % 2 === 0,
			terms_email_sent: 0,
			seq: state.counters.seq,
		});
	}

	// ---- operations: several statuses
	const operationIdsBySlug: Record<string, string[]> = Object.fromEntries(
		OPERATION_STATUSES.map((s) => [s.slug, [] as string[]]),
	);
	const opPlan = [1, 1, 2, 3, 3, 4, 5, 6, 1, 2];
	for (let i = 0; i < opPlan.length; i++) {
		const customer = state.customers[i % state.customers.length];
		const created = Math.floor((SEED_ANCHOR_MS - (opPlan.length - i) * 2 * DAY) / 1000);
		state.counters.seq++;
		const op: Operation = {
			id: hashIdFrom(rng),
			partner_id: creds.partnerHashId,
			customer_id: customer.id,
			amount: pick(rng, [1200, 1797, 2390, 3290, 5000, 10000]),
			quantity: 1,
			description: pick(rng, [
				'iPhone 11 64gb seminovo',
				'Notebook Dell Inspiron',
				'Geladeira Frost Free',
				'Capital de giro',
				'Máquina de costura industrial',
			]),
			installment: pick(rng, [4, 6, 10, 12, 15, 18]),
			seller_email: 'vendas@lojaparceira.com.br',
			status_id: opPlan[i],
			monthly_rate: 5.4,
			created_at: created,
			updated_at: created,
			canceled_message: opPlan[i] === 5 ? 'Bloqueio automático' : null,
			documents: [],
			seq: state.counters.seq,
		};
		if (opPlan[i] >= 3 && opPlan[i] <= 4) {
			op.documents.push({
				type: 'rg-front',
				link: 'https://files.example.com/docs/rg-front.png',
				mimetype: 'image/png',
				uploaded_at: created + 3600,
			});
			op.documents.push({
				type: 'proof-residence',
				link: 'https://files.example.com/docs/comprovante.pdf',
				mimetype: 'application/pdf',
				uploaded_at: created + 3600,
			});
		}
		state.operations.push(op);
		operationIdsBySlug[OPERATION_STATUSES.find((s) => s.id === op.status_id)!.slug].push(op.id);
	}

	const bankByCompe = (c: string) => rd.banks.find((b) => b.compe === c)!.id;
	state.fixtures = {
		industryUuid,
		industryCnpj: creds.industryCnpj,
		registeredRetailCnpj: retailCnpjs[0],
		bureauRetailCnpj: bureauCnpj,
		alphanumericRetailCnpj: alnum,
		unknownCnpj: makeCnpj('999888770001'),
		malformedCnpj: '1122233300018',
		retailCnpjs: retails.map((r) => r.cnpj),
		orderIdsByStatus,
		orderNumbersInUse: state.orders
			.filter((o) => o.industry_cnpj === industry.cnpj)
			.map((o) => o.order_no),
		invoiceNumbersInUse: invoiceNumbers,
		otherIndustry: {
			clientId: other.clientId,
			clientSecret: other.clientSecret,
			industryCnpj: other.cnpj,
			industryUuid: other.uuid,
			orderId: otherOrder.id,
		},
		customerIds: { PF: state.customers[0].id, PJ: state.customers[1].id },
		customerIdsAll: state.customers.map((c) => c.id),
		operationIdsBySlug,
		cityIds: {
			araranguaSC: cityByName('Araranguá', 'SC').id,
			saoPauloSP: cityByName('São Paulo', 'SP').id,
			salvadorBA: cityByName('Salvador', 'BA').id,
			rioBrancoAC: cityByName('Rio Branco', 'AC').id,
		},
		bankIds: {
			bancoDoBrasil: bankByCompe('001'),
			bradesco: bankByCompe('237'),
			itau: bankByCompe('341'),
			caixa: bankByCompe('104'),
		},
	};
	return state;
}

/** Bulk orders (bench): deterministic ids and timestamps, spread over the retails. */
export function bulkOrders(
	state: SandboxState,
	industry: Industry,
	n: number,
	status: OrderStatus = 'pending',
): void {
	const rng = mulberry32(state.seed * 104729 + state.counters.bulk * 13 + 5);
	state.counters.bulk++;
	const base = Date.now();
	for (let i = 0; i < n; i++) {
		const retail = state.retails[i % state.retails.length];
		const amount = randInt(rng, 200, 50000);
		const created = base - i * 1000;
		const id = uuidFrom(rng);
		const order = orderForCreate(
			id,
			industry,
			{ name: retail.name, cnpj: retail.cnpj },
			{
				order_no: `BULK-${state.counters.bulk}-${String(i + 1).padStart(6, '0')}`,
				expiry_date: isoDate(created + 60 * DAY),
				requested_amount: amount,
				retail_representative: retail.retail_representative,
				retail_email: retail.email,
				retail_phone: retail.phone,
				purchase_date: isoDate(created),
				purchase_items: [{ value: amount, quantity: 1, description: pick(rng, PRODUCTS) }],
			},
			created,
		);
		order.order_status = status;
		order.payment_status = paymentStatusFor(status);
		if (status === 'invoice_sent' || status === 'paid')
			order.invoice_number = `BULK-NF-${state.counters.bulk}-${i + 1}`;
		state.orders.push(order);
	}
}

export function bulkOperations(state: SandboxState, partnerHashId: string, n: number): void {
	const rng = mulberry32(state.seed * 15485863 + state.counters.bulk * 17 + 3);
	state.counters.bulk++;
	const now = Math.floor(Date.now() / 1000);
	for (let i = 0; i < n; i++) {
		const customer = state.customers[i % state.customers.length];
		state.counters.seq++;
		state.operations.push({
			id: hashIdFrom(rng),
			partner_id: partnerHashId,
			customer_id: customer.id,
			amount: randInt(rng, 500, 20000),
			quantity: 1,
			description: `Operação em lote ${i + 1}`,
			installment: pick(rng, [3, 6, 12, 18, 24]),
			seller_email: null,
			status_id: pick(rng, [1, 2, 3, 4, 5, 6]),
			monthly_rate: 5.4,
			created_at: now,
			updated_at: now,
			canceled_message: null,
			documents: [],
			seq: state.counters.seq,
		});
	}
}

export { formatCnpj, makeCpf };
