/** English labels for the partner API's Portuguese-era field names, used in error messages. */
export const PARTNER_FIELD_LABELS: Record<string, string> = {
	partner_id: 'Partner ID',
	person_type: 'Person Type',
	tax_id: 'Tax ID (CPF/CNPJ)',
	cpf: 'CPF',
	cnpj: 'CNPJ',
	name: 'Name',
	company_name: 'Company Name',
	address_zipcode: 'Postal Code (CEP)',
	postal_code: 'Postal Code (CEP)',
	address_street: 'Street',
	address_number: 'Street Number',
	address_complement: 'Address Complement',
	address_district: 'District',
	address_city_id: 'City',
	address_state_id: 'State',
	city: 'City',
	state: 'State (UF)',
	name_contact: 'Contact Name',
	email_contact: 'Contact Email',
	phone_1: 'Phone',
	phone_2: 'Mobile Phone',
	phone1: 'Phone',
	phone2: 'Mobile Phone',
	phone3: 'Other Phone',
	notes: 'Notes',
	cpf_contact: 'Contact CPF',
	mother_name: "Mother's Name",
	birthday: 'Birth Date',
	birthdate: 'Birth Date',
	open_date: 'Company Opening Date',
	opendate: 'Company Opening Date',
	main_activity: 'Main Activity',
	revenue: 'Revenue (Last 12 Months)',
	amount: 'Amount',
	installment: 'Installments',
	quantity: 'Quantity',
	description: 'Product Description',
	seller_email: 'Seller Email',
	customer_hashid: 'Customer ID',
	operation_id: 'Operation ID',
	type: 'Document Type',
	link: 'Document Link',
	path: 'Document Link',
	mimetype: 'MIME Type',
	bank_id: 'Bank',
	bank_agency: 'Bank Branch',
	bank_agency_digit: 'Bank Branch Digit',
	bank_number: 'Account Number',
	bank_digit: 'Account Digit',
	bank_account_type: 'Account Type',
	bank_name: 'Account Holder Name',
	bank_document: 'Account Holder CPF/CNPJ',
	partner_user_id: 'Partner User ID',
	partnerHashId: 'Partner Hash ID',
	customerHashId: 'Customer ID',
	limit: 'Limit',
	offset: 'Offset',
	search: 'Search',
};

function textOf(value: unknown): string {
	return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

/** Turns `message` (a string, or a map of field → list of messages) into one readable line. */
export function describePartnerMessage(message: unknown): string | undefined {
	if (message === undefined || message === null || message === '') return undefined;
	if (typeof message === 'string') return message;
	if (Array.isArray(message))
		return message
			.map((entry) => describePartnerMessage(entry))
			.filter(Boolean)
			.join('; ');
	if (typeof message === 'object') {
		const parts = Object.entries(message as Record<string, unknown>).map(([field, value]) => {
			const label = PARTNER_FIELD_LABELS[field] ?? field;
			const texts = Array.isArray(value) ? value.map(textOf).join(' ') : textOf(value);
			return `${label} (${field}): ${texts}`;
		});
		return parts.join('; ');
	}
	return String(message);
}
