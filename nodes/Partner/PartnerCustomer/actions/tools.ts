import { toolDescriptionFields } from '../../../shared/execution/toolMode';

const CUSTOMER_ID =
	'a customer ID is 10 lowercase letters and digits such as k3x9q2m7pa, from the "id" of a Get Many customers or Create customer result';

/** What a model reads about each Partner Customer tool (the tool variant's default description). */
export const toolDescriptions = toolDescriptionFields('customer', {
	create: `Register a lending customer (an individual with a CPF, or a company with a CNPJ) with the partner lending API, before a credit operation. Needs the person's or company's data: tax ID, name, email, mobile phone, birth date (DD/MM/YYYY), mother's name, address with CEP and city. Safe to retry: the tax ID is unique per partner, so calling again for the same CPF/CNPJ registers nothing new and returns the existing customer with alreadyExisted: true. Returns id (${CUSTOMER_ID.replace('a customer ID is ', '')}).`,
	get: `Get one lending customer by its ID (${CUSTOMER_ID}). Returns found: false with a message when no customer has that ID. Otherwise the customer's registration: personType (PF person, PJ company), taxId, name, contact, address, bank account.`,
	getMany: `List the partner's lending customers, oldest first. Optional filters: name (part of the customer's or company's name) and limit (how many at most). Each result: id (for Get customer and Create credit operation), name, taxId (CPF or CNPJ), emailContact, createdAt, termsAccepted (whether the customer accepted the partner's terms; credit moves on only after). An empty list means no customer matches.`,
	update: `Replace the registration data of a lending customer (${CUSTOMER_ID}).`,
	resendTermsEmail: `Send the terms-of-acceptance email to a lending customer again (${CUSTOMER_ID}). Each call sends one more email.`,
});
