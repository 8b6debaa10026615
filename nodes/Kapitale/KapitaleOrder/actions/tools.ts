import { toolDescriptionFields } from '../../../shared/execution/toolMode';

const ORDER_ID =
	'an order ID is a UUID such as 550e8400-e29b-41d4-a716-446655440000, from the "id" of a Get Many orders or Create order result';
const STATUSES =
	'order_status: pending (waiting for Kapitale’s approval), approved, rejected, pending_invoice (approved and waiting for the industry’s invoice), invoice_sent (waiting for payment), paid, cancelled';

/** What a model reads about each Kapitale Order tool (the tool variant's default description). */
export const toolDescriptions = toolDescriptionFields('order', {
	create: `Create a Kapitale B2B payment order: your industry sells to a retail (the buyer, identified by its CNPJ) and Kapitale pays you. Needs your own order number, the retail CNPJ, the requested amount in BRL, purchase and expiry dates (YYYY-MM-DD) and the purchase items. Safe to retry: the order number is unique, so calling again with the same order number creates nothing new and returns the existing order with alreadyExisted: true. Returns the order with its id (a UUID, keep it for Get order and Cancel order) and order_status "pending".`,
	get: `Get one Kapitale payment order by its ID (${ORDER_ID}). Returns found: false with a message when no order has that ID. Otherwise the order: ${STATUSES}; payment_status; requested and approved amounts; the retail; purchase items; invoice.`,
	getAll: `List Kapitale payment orders, newest first. Optional filters: status (one or more of pending, approved, rejected, pending_invoice, invoice_sent, paid, cancelled, comma-separated), retailCnpj (the buyer's CNPJ or a part of it) and limit (how many orders at most). Each result is one order: id (for Get order and Cancel order), orderNumber, orderStatus, paymentStatus, retailName and retailCnpj. An empty list means no order matches.`,
	cancel: `Cancel one Kapitale payment order. Needs the explicit ID of the order (${ORDER_ID}); never guess it, look it up first. Also needs a reason (up to 500 characters). Only orders that are not yet invoiced, paid, rejected or cancelled can be cancelled; the API's refusal says why otherwise. Returns the cancelled order.`,
	setInvoice: `Attach the invoice (nota fiscal) number and file to an order in status pending_invoice. Needs the order ID (${ORDER_ID}) and a binary file: not usable without one.`,
});
