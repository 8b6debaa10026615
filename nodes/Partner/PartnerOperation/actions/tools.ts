import { toolDescriptionFields } from '../../../shared/execution/toolMode';

const OPERATION_ID =
	'an operation ID is 10 lowercase letters and digits such as p4w8z1c6db, from the "operationId" of Create credit operation or the "id" of a Get Many operations result';
const STATUSES =
	'statusSlug: em-analise (under analysis), aguardando-documentos (waiting for documents), autorizado (authorized), pago (paid out), cancelado (cancelled), reprovado (refused)';

/** What a model reads about each Partner Operation tool (the tool variant's default description). */
export const toolDescriptions = toolDescriptionFields('operation', {
	create: `Request credit (a credit operation) for a lending customer: the amount in BRL, the number of installments (1 to 48), what is bought. The applicant is an existing customer (its ID from Get Many customers) or a new one given by tax ID and data. Safe to retry: when the same applicant already has an open operation with the same amount and installments created in the last 24 hours, nothing new is created and that operation is returned with alreadyExisted: true. Returns operationId (keep it for Get status and Get details) and customerId.`,
	getStatus: `Get the status of one credit operation (${OPERATION_ID}). Returns found: false with a message when no operation has that ID. Otherwise operationId, status (its Portuguese name) and statusSlug: em-analise (under analysis), aguardando-documentos (waiting for documents), autorizado (authorized), pago (paid out), cancelado (cancelled), reprovado (refused).`,
	getDetails: `Get the details of one credit operation (${OPERATION_ID}): ${STATUSES}; the customer's data; amounts (requested, nominal, total, installment) and monthly interest; signatures and contract links. Returns found: false with a message when no operation has that ID.`,
	getMany: `List the partner's credit operations, oldest first. Optional filters: customer (part of the customer's name) and limit (how many at most). Each result: id (for Get status and Get details), customerId, customerName, ${STATUSES}, requestedAmount, installments, totalAmount, createdAt, hasAllDocuments. An empty list means no operation matches.`,
	uploadDocumentByLink: `Attach a document to a credit operation (${OPERATION_ID}) by an https link to the file.`,
});
