import { RunningSandbox, startSandbox } from './index';
import { control, partner, rawRequest } from './testing';
import { makeCpf } from './util';

let sb: RunningSandbox;
beforeAll(async () => {
	sb = await startSandbox({ quiet: true });
});
afterAll(() => sb.close());

const H = () => `?partnerHashId=${sb.credentials.partnerHashId}`;

const pfCustomer = () => ({
	partner_id: sb.credentials.partnerHashId,
	person_type: '1',
	tax_id: '83680274971',
	cpf: '836.802.749-71',
	cnpj: '',
	name: 'Maya Márcia da Paz Teste',
	company_name: '',
	address_zipcode: '88904278',
	address_street: 'Rua Madre Tereza de Calcutá',
	address_number: '556',
	address_complement: '',
	address_district: 'Lagoão',
	address_city_id: '4330',
	address_city_name: 'Araranguá - SC',
	address_state_id: null,
	address_state_code: null,
	address_state_name: null,
	name_contact: 'Maya Márcia da Paz',
	email_contact: 'maya@example.com',
	phone_1: '4837604183',
	phone_2: '48993397760',
	notes: '',
	cpf_contact: '83680274971',
	mother_name: 'Laura Flávia',
	birthday: '03/08/1992',
	open_date: '',
	main_activity: '',
	revenue: ['001', '001', '001', '001', '001', '001', '001', '001', '001', '001', '001', '001'],
	revenue_avg: ',00',
	partner_user_id: sb.credentials.userHashId,
	bank_id: '1',
	bank_agency: '0737',
	bank_agency_digit: '0',
	bank_number: '62902',
	bank_digit: '2',
	bank_account_type: '1',
	bank_name: 'Maya Márcia da Paz',
	bank_document: '83680274971',
});

describe('partner auth', () => {
	test('wrong or missing bearer → 401 Unauthenticated.', async () => {
		const r = await partner(sb, 'GET', '/bank/search?search=237', undefined, 'wrong');
		expect(r.status).toBe(401);
		expect(r.json).toEqual({ success: false, message: 'Unauthenticated.' });
		const r2 = await rawRequest(`${sb.partnerBaseUrl}/bank/search?search=237`);
		expect(r2.status).toBe(401);
	});
	test('partnerHashId: required on lists, must match when present', async () => {
		const missing = await partner(sb, 'GET', '/partner-customer/all', {});
		expect(missing.status).toBe(200);
		expect(missing.json.success).toBe(false);
		const wrong = await partner(sb, 'POST', '/partner-operation/all?partnerHashId=zzzzzzzzzz', {});
		expect(wrong.status).toBe(403);
		expect(wrong.json.success).toBe(false);
		const wrong2 = await partner(
			sb,
			'PUT',
			`/partner-customer/get/${sb.fixtures.customerIds.PF}?partnerHashId=zzzzzzzzzz`,
		);
		expect(wrong2.status).toBe(403);
	});
	test('documented methods only (PUT for get, POST for operation list)', async () => {
		expect(
			(await partner(sb, 'GET', `/partner-customer/get/${sb.fixtures.customerIds.PF}`)).status,
		).toBe(405);
		expect((await partner(sb, 'GET', `/partner-operation/all${H()}`)).status).toBe(405);
		expect((await partner(sb, 'GET', '/city/search?name=x')).status).toBe(405);
		expect((await partner(sb, 'GET', '/nothing')).status).toBe(404);
	});
});

describe('customers', () => {
	let id: string;
	test('insert PF (the documented example) and get it back resolved', async () => {
		const r = await partner(sb, 'POST', '/partner-customer/insert', pfCustomer());
		expect(r.status).toBe(200);
		expect(r.json.success).toBe(true);
		id = r.json.data.id;
		expect(id).toMatch(/^[a-z0-9]{10}$/);
		const g = await partner(sb, 'PUT', `/partner-customer/get/${id}`);
		expect(g.json.success).toBe(true);
		expect(g.json.data).toMatchObject({
			id,
			person_type: 1,
			tax_id: '83680274971',
			address_city_id: 4330,
			address_city_name: 'Araranguá',
			address_state_id: 22,
			address_state_code: 'SC',
			address_state_name: 'Santa Catarina',
			bank_id: 1,
			bank_code_name: '001 - BCO DO BRASIL S.A.',
			partner_id: sb.credentials.partnerHashId,
			birthday: '03/08/1992',
		});
		expect(g.json.data.revenue).toHaveLength(12);
	});

	test('validation failures: HTTP 200, success false, per-field Portuguese messages', async () => {
		const r = await partner(sb, 'POST', '/partner-customer/insert', {
			...pfCustomer(),
			tax_id: '',
			name: '',
			phone_2: '4837604183',
			address_city_id: '999999',
			birthday: '1992-08-03',
		});
		expect(r.status).toBe(200);
		expect(r.json.success).toBe(false);
		expect(r.json.data).toEqual([]);
		expect(r.json.message.tax_id).toEqual(['"Tax Id" não pode ficar em branco.']);
		expect(r.json.message.name).toEqual(['"Name" não pode ficar em branco.']);
		expect(r.json.message.phone_2[0]).toContain('Phone 2');
		expect(r.json.message.address_city_id).toBeDefined();
		expect(r.json.message.birthday).toBeDefined();
	});

	test('PJ requires company_name, open_date, main_activity, revenue; bank fields validated', async () => {
		const r = await partner(sb, 'POST', '/partner-customer/insert', {
			...pfCustomer(),
			person_type: '2',
			tax_id: '94872972000110',
		});
		expect(r.json.success).toBe(false);
		expect(Object.keys(r.json.message)).toEqual(
			expect.arrayContaining(['company_name', 'open_date', 'main_activity']),
		);
		const bank = await partner(sb, 'POST', '/partner-customer/insert', {
			...pfCustomer(),
			tax_id: '52147032956',
			cpf_contact: '52147032956',
			bank_id: '99999',
			bank_account_type: '3',
		});
		expect(bank.json.success).toBe(false);
		expect(Object.keys(bank.json.message).sort()).toEqual(['bank_account_type', 'bank_id']);
		const pj = await partner(sb, 'POST', '/partner-customer/insert', {
			...pfCustomer(),
			person_type: '2',
			tax_id: '94872972000110',
			company_name: 'Luzia e Erick Locações de Automóveis Ltda',
			open_date: '10/12/2010',
			main_activity: 'Locação',
			revenue: Array(12).fill('5454'),
			bank_document: '94872972000110',
		});
		expect(pj.json).toMatchObject({ success: true });
	});

	test('duplicate tax_id rejected', async () => {
		const r = await partner(sb, 'POST', '/partner-customer/insert', pfCustomer());
		expect(r.json.success).toBe(false);
		expect(r.json.message.tax_id).toBeDefined();
	});

	test('update applies the create rules to the body: a partial body is refused, a full one replaces the customer', async () => {
		const partial = await partner(sb, 'PUT', `/partner-customer/update/${id}`, {
			name: 'Maya Atualizada',
		});
		expect(partial.json.success).toBe(false);
		expect(Object.keys(partial.json.message)).toEqual(
			expect.arrayContaining([
				'partner_id',
				'tax_id',
				'address_city_id',
				'birthday',
				'mother_name',
			]),
		);
		expect((await partner(sb, 'PUT', `/partner-customer/get/${id}`)).json.data.name).not.toBe(
			'Maya Atualizada',
		);
		const current = (await partner(sb, 'PUT', `/partner-customer/get/${id}`)).json.data;
		const r = await partner(sb, 'PUT', `/partner-customer/update/${id}`, {
			...pfCustomer(),
			tax_id: current.tax_id,
			cpf_contact: current.cpf_contact,
			name: 'Maya Atualizada',
			address_city_id: sb.fixtures.cityIds.saoPauloSP,
		});
		expect(r.json.success).toBe(true);
		const g = await partner(sb, 'PUT', `/partner-customer/get/${id}`);
		expect(g.json.data).toMatchObject({
			name: 'Maya Atualizada',
			address_city_name: 'São Paulo',
			address_state_code: 'SP',
		});
		const bad = await partner(sb, 'PUT', `/partner-customer/update/${id}`, {
			...pfCustomer(),
			tax_id: current.tax_id,
			phone_2: '1133334444',
		});
		expect(bad.json.success).toBe(false);
		expect(
			(await partner(sb, 'PUT', '/partner-customer/update/zzzzzzzzzz', { name: 'x' })).status,
		).toBe(404);
		expect((await partner(sb, 'PUT', '/partner-customer/get/zzzzzzzzzz')).json.success).toBe(false);
	});

	test('GET /partner-customer/all with a JSON body: total as string, offset/limit, name filter', async () => {
		const all = await partner(sb, 'GET', `/partner-customer/all${H()}`, { limit: 50, offset: 0 });
		expect(all.json.success).toBe(true);
		const total = Number(all.json.data.total);
		expect(typeof all.json.data.total).toBe('string');
		expect(all.json.data.values).toHaveLength(total);
		expect(all.json.data.values[0]).toEqual({
			id: expect.any(String),
			name: expect.any(String),
			tax_id: expect.stringMatching(
				/^\d{3}\.\d{3}\.\d{3}-\d{2}$|^\d{2}\.\d{3}\.\d{3}\/\d{4}-\d{2}$/,
			),
			created_at: expect.any(Number),
			term_accept: expect.any(Boolean),
			email_contact: expect.any(String),
			partner_term_accept_config: false,
		});
		const pages: string[] = [];
		for (let off = 0; off < total; off += 3) {
			const p = await partner(sb, 'GET', `/partner-customer/all${H()}`, { limit: 3, offset: off });
			expect(p.json.data.total).toBe(String(total));
			pages.push(...p.json.data.values.map((v: any) => v.id));
		}
		expect(new Set(pages).size).toBe(total);
		const f = await partner(sb, 'GET', `/partner-customer/all${H()}`, {
			limit: 50,
			offset: 0,
			filter: { filter: 'MAYA' },
		});
		expect(f.json.data.values.map((v: any) => v.name)).toEqual(
			expect.arrayContaining(['Maya Márcia da Paz', 'Maya Atualizada']),
		);
		expect(f.json.data.total).toBe(String(f.json.data.values.length));
	});

	test('GET /partner-customer/all reads paging only from the body: the query string is ignored, no limit means a page of 20', async () => {
		for (let i = 0; i < 20; i++) {
			const cpf = makeCpf(String(510000000 + i));
			expect(
				(
					await partner(sb, 'POST', '/partner-customer/insert', {
						...pfCustomer(),
						tax_id: cpf,
						cpf_contact: cpf,
						bank_document: cpf,
					})
				).json.success,
			).toBe(true);
		}
		const total = Number(
			(await partner(sb, 'GET', `/partner-customer/all${H()}`, { limit: 100 })).json.data.total,
		);
		expect(total).toBeGreaterThan(20);
		const noBody = await partner(sb, 'GET', `/partner-customer/all${H()}&limit=100&offset=3`);
		expect(noBody.json.data.values).toHaveLength(20);
		const firstPage = await partner(sb, 'GET', `/partner-customer/all${H()}`, {
			limit: 20,
			offset: 0,
		});
		expect(noBody.json.data.values.map((v: any) => v.id)).toEqual(
			firstPage.json.data.values.map((v: any) => v.id),
		);
		const ops = await partner(sb, 'POST', `/partner-operation/all${H()}&limit=1`, {});
		expect(ops.json.data.length).toBeGreaterThan(1);
	});

	test('resend access terms e-mail', async () => {
		const r = await partner(
			sb,
			'GET',
			`/partner-customer/resend-access-terms-email?customerHashId=${id}`,
		);
		expect(r.json).toMatchObject({ success: true, data: [] });
		expect(
			(
				await partner(
					sb,
					'GET',
					'/partner-customer/resend-access-terms-email?customerHashId=zzzzzzzzzz',
				)
			).json.success,
		).toBe(false);
	});
});

describe('operations', () => {
	const pf = {
		name: 'Joaquim Giovanni Murilo Moura',
		person_type: 'PF',
		tax_id: '52998224725',
		birthdate: '27/06/1952',
		phone1: '1122223333',
		phone2: '11922223333',
		phone3: '1122223333',
		email_contact: 'joaquim@example.com',
		postal_code: '01234567',
		address_street: 'Rua Raimundo Ferreira',
		address_complement: '',
		address_number: '521',
		address_district: 'Conjunto Universitário',
		city: 'Rio Branco',
		state: 'AC',
		amount: 1200,
		installment: 12,
	};
	const pj = {
		name: 'Erick Locações de Automóveis',
		company_name: 'Luzia e Erick Locações de Automóveis Ltda',
		person_type: 'PJ',
		tax_id: '11444777000161',
		phone1: '1122223333',
		phone2: '11922223333',
		postal_code: '01234567',
		address_street: 'Praça Vidal Antônio de Castro',
		address_complement: 'casa',
		address_number: '682',
		address_district: 'Lapa',
		city: 'sao paulo',
		state: 'SP',
		name_contact: 'Alexandre Vieira',
		cpf_contact: '66978847380',
		email_contact: 'alexandre@example.com',
		opendate: '10/12/2010',
		main_activity: 'Atividade principal',
		amount: 1000.0,
		installment: 4,
		revenue: Object.fromEntries(
			Array.from({ length: 12 }, (_, i) => [String(i + 1), i === 0 ? '2522' : '5454']),
		),
	};
	let opId: string;

	test('create PF', async () => {
		const r = await partner(sb, 'POST', '/operation/create', pf);
		expect(r.json.success).toBe(true);
		expect(r.json.data.operation).toMatch(/^[a-z0-9]{10}$/);
		expect(r.json.data.customer).toMatch(/^[a-z0-9]{10}$/);
		opId = r.json.data.operation;
		const st = await partner(sb, 'GET', `/operation/status/${opId}`);
		expect(st.json).toMatchObject({
			success: true,
			data: { status: 'Em análise', slug: 'em-analise' },
		});
	});

	test('create PJ with 12-month revenue object (city accent/case-insensitive)', async () => {
		const r = await partner(sb, 'POST', '/operation/create', pj);
		expect(r.json.success).toBe(true);
		const bad = await partner(sb, 'POST', '/operation/create', {
			...pj,
			tax_id: '11222333000181',
			revenue: { '1': '10' },
		});
		expect(bad.json.success).toBe(false);
		expect(bad.json.message.revenue).toBeDefined();
	});

	test('create with customer_hashid only', async () => {
		const r = await partner(sb, 'POST', '/operation/create', {
			amount: 2390,
			quantity: '1',
			partner_id: 20,
			description: 'Descrição do Produto',
			installment: '15',
			seller_email: 'seller@example.com',
			customer_hashid: sb.fixtures.customerIds.PJ,
		});
		expect(r.json).toMatchObject({ success: true, data: { customer: sb.fixtures.customerIds.PJ } });
		const bad = await partner(sb, 'POST', '/operation/create', {
			amount: 10,
			installment: 2,
			customer_hashid: 'zzzzzzzzzz',
		});
		expect(bad.json.success).toBe(false);
		expect(bad.json.message.customer_hashid).toBeDefined();
	});

	test('validation: blanks, landline phone2, unknown city', async () => {
		const r = await partner(sb, 'POST', '/operation/create', {});
		expect(r.status).toBe(200);
		expect(r.json.success).toBe(false);
		expect(r.json.message.tax_id).toEqual(['"Tax Id" não pode ficar em branco.']);
		expect(r.json.message.person_type).toEqual(['"Person Type" não pode ficar em branco.']);
		const phone = await partner(sb, 'POST', '/operation/create', { ...pf, phone2: '1122223333' });
		expect(phone.json.message.phone2).toBeDefined();
		const city = await partner(sb, 'POST', '/operation/create', {
			...pf,
			city: 'Rio Branco',
			state: 'SP',
		});
		expect(city.json).toEqual({
			success: false,
			message: { city: ['A cidade informada não é válida.'] },
			data: [],
		});
		const city2 = await partner(sb, 'POST', '/operation/create', { ...pf, city: 'Gotham' });
		expect(city2.json.message.city).toEqual(['A cidade informada não é válida.']);
	});

	test('details shape', async () => {
		const r = await partner(sb, 'GET', `/operation/details/${opId}`);
		expect(r.json.success).toBe(true);
		const d = r.json.data;
		expect(d.status_operacao).toBe('em-analise');
		expect(d.data_criacao).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
		expect(d.cliente).toMatchObject({
			nome: pf.name,
			cpf_cnpj: pf.tax_id,
			celular: '11922223333',
			data_nascimento: '27/06/1952',
		});
		expect(d.cliente.endereco).toContain('Rio Branco/AC');
		expect(d.dados_operacao).toMatchObject({
			valor_solicitado: 1200,
			taxa_juros_mensal: 5.4,
			parcelas: 12,
		});
		expect(d.dados_operacao.valor_total).toBeCloseTo(d.dados_operacao.valor_parcela * 12, 2);
		expect(Object.keys(d.documentos_enviados).sort()).toEqual(
			[
				'carteira_de_habilitacao_cnh',
				'nota_fiscal',
				'verso_rg',
				'boletos_operations',
				'frente_rg',
				'comprovante_de_compra',
				'boleto_da_compra',
				'comprovante_residencia',
				'contrato_social',
			].sort(),
		);
		expect((await partner(sb, 'GET', '/operation/details/zzzzzzzzzz')).json.success).toBe(false);
	});

	test('upload link: documented types, https only, recorded on documentos_enviados', async () => {
		const ok = await partner(sb, 'POST', '/operation-document/upload/link', {
			operation_id: opId,
			type: 'cnh',
			link: 'https://www.example-url.com/images/img-xpto.png',
			mimetype: 'image/png',
		});
		expect(ok.json).toEqual({ success: true, data: true, message: '' });
		const alias = await partner(sb, 'POST', '/operation-document/upload/link', {
			operation_id: opId,
			type: 'proof-residence',
			path: 'https://www.example-url.com/c.pdf',
		});
		expect(alias.json.success).toBe(true);
		const http = await partner(sb, 'POST', '/operation-document/upload/link', {
			operation_id: opId,
			type: 'rg-front',
			link: 'http://insecure.example.com/x.png',
		});
		expect(http.json.success).toBe(false);
		expect(http.json.message.link).toBeDefined();
		const type = await partner(sb, 'POST', '/operation-document/upload/link', {
			operation_id: opId,
			type: 'selfie',
			link: 'https://x.example.com/a.png',
		});
		expect(type.json.message.type).toBeDefined();
		const d = await partner(sb, 'GET', `/operation/details/${opId}`);
		expect(d.json.data.documentos_enviados).toMatchObject({
			carteira_de_habilitacao_cnh: true,
			comprovante_residencia: true,
			frente_rg: false,
		});
	});

	test('POST /partner-operation/all: array, display strings, customer filter, offset paging', async () => {
		const r = await partner(sb, 'POST', `/partner-operation/all${H()}`, { limit: 50, offset: 0 });
		expect(r.json.success).toBe(true);
		expect(Array.isArray(r.json.data)).toBe(true);
		const item = r.json.data.find((o: any) => o.id === opId);
		expect(item).toMatchObject({
			amount: '1200.0000',
			status_id: 1,
			status_slug: 'em-analise',
			status_name: 'Em análise',
			taxa_juros_mes: '5,40%',
			customer_name: pf.name,
			have_all_documents: true,
		});
		expect(item.total).toMatch(/^R\$ \d{1,3}(\.\d{3})*,\d{2}$/);
		expect(item.valor_iof).toMatch(/^R\$ /);
		expect(item.cet_anual).toMatch(/^\d{1,3}(\.\d{3})*,\d{2}%$/);
		expect(typeof item.created_at).toBe('number');
		const f = await partner(sb, 'POST', `/partner-operation/all${H()}`, {
			filter: { customer: 'joaquim' },
		});
		expect(f.json.data.map((o: any) => o.id)).toEqual([opId]);
		const all = r.json.data.length;
		const seen: string[] = [];
		for (let off = 0; ; off += 4) {
			const p = await partner(sb, 'POST', `/partner-operation/all${H()}`, {
				limit: 4,
				offset: off,
			});
			seen.push(...p.json.data.map((o: any) => o.id));
			if (p.json.data.length < 4) break;
		}
		expect(new Set(seen).size).toBe(all);
	});

	test('operation status changes through the control API', async () => {
		const r = await control(sb, 'POST', `/operations/${opId}/status`, { slug: 'autorizado' });
		expect(r.status).toBe(200);
		expect((await partner(sb, 'GET', `/operation/status/${opId}`)).json.data).toEqual({
			status: 'Autorizado',
			slug: 'autorizado',
		});
		await control(sb, 'POST', `/operations/${opId}/status`, { slug: 'cancelado' });
		const l = await partner(sb, 'POST', `/partner-operation/all${H()}`, {
			filter: { customer: 'joaquim' },
		});
		expect(l.json.data[0]).toMatchObject({
			status_id: 5,
			status_name: 'Cancelado',
			can_be_canceled: false,
		});
		expect((await control(sb, 'POST', `/operations/${opId}/status`, { slug: 'nope' })).status).toBe(
			400,
		);
	});

	test('seeded operations exist in several statuses', () => {
		const slugs = Object.entries(sb.fixtures.operationIdsBySlug).filter(
			([, ids]) => ids.length > 0,
		);
		expect(slugs.length).toBeGreaterThanOrEqual(5);
	});
});

describe('look-ups', () => {
	test('POST /city/search?name=', async () => {
		const r = await partner(sb, 'POST', '/city/search?name=salvad');
		expect(r.json.success).toBe(true);
		expect(r.json.data).toEqual(
			expect.arrayContaining([
				{ id: 2163, name: 'Salvador - BA', remote_id: 2927408 },
				{ id: 4964, name: 'Salvador das Missões - RS', remote_id: 4316477 },
				{ id: 4965, name: 'Salvador do Sul - RS', remote_id: 4316501 },
			]),
		);
		const acc = await partner(sb, 'POST', `/city/search?name=${encodeURIComponent('ARARANGUÁ')}`);
		expect(acc.json.data).toEqual([{ id: 4330, name: 'Araranguá - SC', remote_id: 4201406 }]);
		expect((await partner(sb, 'POST', '/city/search?name=a')).json.data.length).toBe(50);
		expect((await partner(sb, 'POST', '/city/search')).json.success).toBe(false);
	});
	test('GET /bank/search?search=', async () => {
		const r = await partner(sb, 'GET', '/bank/search?search=237');
		expect(r.json.data[0]).toEqual({
			id: sb.fixtures.bankIds.bradesco,
			name: '237 - BCO BRADESCO S.A.',
		});
		expect((await partner(sb, 'GET', '/bank/search?search=itau')).json.data[0].name).toMatch(
			/^341 - /,
		);
		expect((await partner(sb, 'GET', '/bank/search?search=CEF')).json.data[0].name).toMatch(
			/^104 - /,
		);
		expect(
			(await partner(sb, 'GET', '/bank/search?search=banco%20do%20brasil')).json.data[0].name,
		).toMatch(/^001 - /);
	});
});
