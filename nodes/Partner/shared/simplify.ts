/**
 * Output conversions of the partner API's responses. With Simplify on, display strings become
 * numbers ("R$ 5.788,80" → 5788.8, "153,67%" → 153.67 in a field whose name carries the unit),
 * unix `created_at` becomes an ISO date-time and Portuguese keys become English. Pure functions.
 */
import type { IDataObject } from 'n8n-workflow';
import { DateTime } from 'luxon';

import { parseDisplayNumber } from '../../shared/validation/brazil';

/** "R$ 5.788,80" → 5788.8; "-R$ 1.234,50" → -1234.5; "3290.0000" → 3290; unparseable → null. */
export function money(value: unknown): number | null {
	return parseDisplayNumber(value);
}

/** "153,67%" → 153.67; "-0,07%" → -0.07. */
export function percentValue(value: unknown): number | null {
	return parseDisplayNumber(value);
}

/** Unix seconds → ISO date-time (UTC); anything else → null. */
export function unixToIso(value: unknown): string | null {
	if (value === null || value === undefined || value === '') return null;
	const seconds = Number(value);
	if (!Number.isFinite(seconds)) return null;
	return new Date(seconds * 1000).toISOString();
}

/**
 * The one time rule of the partner nodes: a date-time the API writes without a zone
 * ("2021-10-21 19:16:23", "21-10-2021 19:16:23") is Brasília time (America/Sao_Paulo), and every
 * date-time is output in UTC, like unix `created_at`, so that Get Many and Get Details agree.
 * "2021-10-21 19:16:23" → "2021-10-21T22:16:23.000Z".
 */
export function localDateTimeToIso(value: unknown): string | null {
	if (typeof value !== 'string' || !value.trim()) return null;
	const text = value.trim();
	const parsed = /^\d{2}-\d{2}-\d{4}/.test(text)
		? DateTime.fromFormat(text, 'dd-MM-yyyy HH:mm:ss', { zone: 'America/Sao_Paulo' })
		: DateTime.fromSQL(text, { zone: 'America/Sao_Paulo' });
	return parsed.isValid ? parsed.toUTC().toISO() : text;
}

export function personTypeName(value: unknown): string | null {
	const text = String(value ?? '').toUpperCase();
	if (text === '1' || text === 'PF') return 'PF';
	if (text === '2' || text === 'PJ') return 'PJ';
	return value === null || value === undefined ? null : String(value);
}

/** One entry of `POST /partner-operation/all`. */
export function simplifyOperation(raw: IDataObject): IDataObject {
	return {
		id: raw.id,
		customerId: raw.customer_id,
		customerName: raw.customer_name,
		personType: personTypeName(raw.person_type),
		description: raw.description,
		quantity: raw.quantity,
		installments: raw.installment,
		statusId: raw.status_id,
		status: raw.status_name,
		statusSlug: raw.status_slug,
		requestedAmount: money(raw.amount),
		netAmount: money(raw.valor_liquido),
		nominalAmount: money(raw.valor_nominal),
		iofAmount: money(raw.valor_iof),
		totalAmount: money(raw.total),
		cetAnnualPercent: percentValue(raw.cet_anual),
		interestMonthlyPercent: percentValue(raw.taxa_juros_mes),
		createdAt: unixToIso(raw.created_at),
		canBeCanceled: raw.can_be_canceled,
		canceledMessage: raw.canceled_message ?? null,
		hasAllDocuments: raw.have_all_documents,
		invoiceUploaded: raw.uploaded_nfe,
		shopProofUploaded: raw.shopProofUploaded,
		ccb: raw.ccb ?? null,
		signatures: raw.signatures ?? null,
	};
}

const DOCUMENT_LABELS: Record<string, string> = {
	carteira_de_habilitacao_cnh: 'documentDriverLicense',
	nota_fiscal: 'documentInvoice',
	verso_rg: 'documentIdBack',
	frente_rg: 'documentIdFront',
	boletos_operations: 'documentOperationBoletos',
	comprovante_de_compra: 'documentProofOfPurchase',
	boleto_da_compra: 'documentPurchaseBoleto',
	comprovante_residencia: 'documentProofOfResidence',
	contrato_social: 'documentSocialContract',
};

/** `GET /operation/details/{id}`, flattened into one row. */
export function simplifyOperationDetails(id: string, raw: IDataObject): IDataObject {
	const customer = (raw.cliente ?? {}) as IDataObject;
	const values = (raw.dados_operacao ?? {}) as IDataObject;
	const documents = (raw.documentos_enviados ?? {}) as IDataObject;
	const result: IDataObject = {
		id,
		statusSlug: raw.status_operacao,
		createdAt: localDateTimeToIso(raw.data_criacao),
		customerName: customer.nome ?? null,
		customerEmail: customer.email ?? null,
		customerTaxId: customer.cpf_cnpj ?? null,
		customerAddress: customer.endereco ?? null,
		customerPhone: customer.fone ?? null,
		customerMobilePhone: customer.celular ?? null,
		customerBirthDate: customer.data_nascimento ?? null,
		customerMotherName: customer.nome_mae ?? null,
		customerOpenDate: customer.data_abertura ?? null,
		customerMainActivity: customer.atividade_principal ?? null,
		customerContactCpf: customer.cpf_contato ?? null,
		customerContactName: customer.nome_contato ?? null,
		customerCompanyName: customer.razao_social ?? null,
		requestedAmount: money(values.valor_solicitado),
		nominalAmount: money(values.valor_nominal),
		totalAmount: money(values.valor_total),
		interestMonthlyPercent: percentValue(values.taxa_juros_mensal),
		installments: values.parcelas ?? null,
		installmentAmount: money(values.valor_parcela),
		signaturesCollected: raw.assinaturas_coletadas ?? [],
		signContractUrls: raw.url_assinar_contrato ?? [],
		antifraudStatus: raw.status_antifraude ?? null,
		boletos: raw.boletos_gerados ?? null,
	};
	for (const [key, value] of Object.entries(documents))
		result[DOCUMENT_LABELS[key] ?? `document_${key}`] = value;
	return result;
}

/** One entry of `/partner-customer/all`. */
export function simplifyCustomerListItem(raw: IDataObject): IDataObject {
	return {
		id: raw.id,
		name: raw.name,
		taxId: raw.tax_id,
		emailContact: raw.email_contact,
		createdAt: unixToIso(raw.created_at),
		termsAccepted: raw.term_accept,
		partnerTermsAcceptConfig: raw.partner_term_accept_config,
	};
}

/** `PUT /partner-customer/get/{id}`. */
export function simplifyCustomer(raw: IDataObject): IDataObject {
	const revenue = Array.isArray(raw.revenue)
		? (raw.revenue as unknown[]).map((value) => money(value))
		: (raw.revenue ?? null);
	return {
		id: raw.id,
		personType: personTypeName(raw.person_type),
		taxId: raw.tax_id,
		name: raw.name,
		companyName: raw.company_name || null,
		contactName: raw.name_contact,
		contactEmail: raw.email_contact,
		contactCpf: raw.cpf_contact,
		phone: raw.phone_1 || null,
		mobilePhone: raw.phone_2 || null,
		motherName: raw.mother_name || null,
		birthDate: raw.birthday ?? null,
		openDate: raw.open_date ?? null,
		mainActivity: raw.main_activity || null,
		revenue,
		revenueTotal: Array.isArray(revenue)
			? (revenue as Array<number | null>).reduce<number>((sum, value) => sum + (value ?? 0), 0)
			: null,
		notes: raw.notes || null,
		postalCode: raw.address_zipcode,
		street: raw.address_street,
		streetNumber: raw.address_number,
		complement: raw.address_complement || null,
		district: raw.address_district,
		cityId: raw.address_city_id,
		city: raw.address_city_name,
		stateId: raw.address_state_id ?? null,
		state: raw.address_state_code ?? null,
		stateName: raw.address_state_name ?? null,
		partnerId: raw.partner_id,
		bankId: raw.bank_id ?? null,
		bank: raw.bank_code_name || null,
		bankBranch: raw.bank_agency ?? null,
		bankBranchDigit: raw.bank_agency_digit ?? null,
		bankAccountNumber: raw.bank_number ?? null,
		bankAccountDigit: raw.bank_digit ?? null,
		bankAccountType:
			raw.bank_account_type === 1 || raw.bank_account_type === '1'
				? 'checking'
				: raw.bank_account_type === 2 || raw.bank_account_type === '2'
					? 'savings'
					: (raw.bank_account_type ?? null),
		bankAccountHolderName: raw.bank_name ?? null,
		bankAccountHolderDocument: raw.bank_document ?? null,
	};
}
