import type { IBinaryData, IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readNodeParameter } from '../../../../shared/execution/parameters';
import { apiRequest } from '../../../../shared/transport';
import { fieldError, readParameter, schemas } from '../../../../shared/validation/validate';
import { orderLocator, readOrderId } from './common';

const show = { resource: ['order'], operation: ['setInvoice'] };

export const description: INodeProperties[] = [
	{
		displayName:
			'The order must have the status <b>pending_invoice</b>. Kapitale refuses an invoice for an order in any other status, and an invoice number already used by another order.',
		name: 'pendingInvoiceNotice',
		type: 'notice',
		default: '',
		displayOptions: { show },
	},
	orderLocator(
		['setInvoice'],
		'The order that receives the invoice; it must be in status pending_invoice',
	),
	{
		displayName: 'Invoice Number',
		name: 'invoiceNumber',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. NF-000123',
		description: 'Number of the invoice (nota fiscal); it must be unique across your orders',
		displayOptions: { show },
	},
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		required: true,
		default: 'data',
		placeholder: 'e.g. data',
		hint: 'The name of the input binary field holding the invoice file: a PDF or an image (PNG, JPEG, GIF, WEBP)',
		description: 'The file is checked by its content before it is sent',
		displayOptions: { show },
	},
];

const SIGNATURES: Array<{ mimeType: string; extension: string; test: (bytes: Buffer) => boolean }> =
	[
		{
			mimeType: 'application/pdf',
			extension: 'pdf',
			test: (b) => b.length >= 5 && b.subarray(0, 5).toString('latin1') === '%PDF-',
		},
		{
			mimeType: 'image/png',
			extension: 'png',
			test: (b) =>
				b.length >= 8 &&
				b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
		},
		{
			mimeType: 'image/jpeg',
			extension: 'jpg',
			test: (b) => b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
		},
		{
			mimeType: 'image/gif',
			extension: 'gif',
			test: (b) => b.length >= 6 && /^GIF8[79]a$/.test(b.subarray(0, 6).toString('latin1')),
		},
		{
			mimeType: 'image/webp',
			extension: 'webp',
			test: (b) =>
				b.length >= 12 &&
				b.subarray(0, 4).toString('latin1') === 'RIFF' &&
				b.subarray(8, 12).toString('latin1') === 'WEBP',
		},
	];

/** The invoice's type by its first bytes (the declared MIME type and file name are not trusted). */
export function sniffInvoiceType(
	bytes: Buffer,
): { mimeType: string; extension: string } | undefined {
	return SIGNATURES.find((signature) => signature.test(bytes));
}

export interface SetInvoicePayload {
	orderId: string;
	invoiceNumber: string;
	/** The binary field; the file itself is read only when this item is sent. */
	propertyName: string;
	fileName: string;
	mimeType: string;
}

const HEADER_BYTES = 16;

/**
 * The first bytes of a binary, without reading the file: decoded from the start of the base64
 * of an in-memory binary, or one small chunk of a stored one.
 */
async function readHeader(context: IExecuteFunctions, binary: IBinaryData): Promise<Buffer> {
	if (!binary.id) return Buffer.from(String(binary.data ?? '').slice(0, 24), 'base64');
	const stream = await context.helpers.getBinaryStream(binary.id, HEADER_BYTES);
	for await (const chunk of stream) {
		stream.destroy();
		return Buffer.from(chunk as Buffer).subarray(0, HEADER_BYTES);
	}
	return Buffer.alloc(0);
}

/**
 * Checks every item's invoice by reference (binary field, size, type by its first bytes) before
 * anything is sent. The whole file is read in execute(), so at most Parallel Requests files are
 * in memory at once, whatever the number of items.
 */
export async function prepare(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<SetInvoicePayload> {
	const node = this.getNode();
	const orderId = readOrderId(this, itemIndex);
	const invoiceNumber = readParameter(
		this,
		itemIndex,
		'invoiceNumber',
		{ label: 'Invoice Number', apiField: 'invoice_number' },
		schemas.requiredText(100),
	);
	const propertyName = String(
		readNodeParameter(this, 'binaryPropertyName', itemIndex, 'data') ?? '',
	).trim();
	const field = { label: 'Input Binary Field', apiField: 'invoice' };
	if (!propertyName)
		throw fieldError(
			node,
			itemIndex,
			field,
			'is empty: give the name of the binary field with the invoice file',
		);

	// The status is known when the item comes from a Get / Get Many of the same order.
	const json = this.getInputData()[itemIndex]?.json ?? {};
	const knownStatus = json.order_status ?? json.orderStatus;
	const itemOrderId = String(json.id ?? json.orderId ?? '').toLowerCase();
	if (
		typeof knownStatus === 'string' &&
		knownStatus &&
		knownStatus !== 'pending_invoice' &&
		(!itemOrderId || itemOrderId === orderId)
	) {
		throw fieldError(
			node,
			itemIndex,
			{ label: 'Order', apiField: 'order_status' },
			`order ${orderId} has status "${knownStatus}": an invoice can only be set while the order is "pending_invoice"`,
		);
	}

	const binary = this.getInputData()[itemIndex]?.binary?.[propertyName];
	if (!binary) {
		const available = Object.keys(this.getInputData()[itemIndex]?.binary ?? {});
		const hint = available.length
			? `the item has ${available.map((name) => `"${name}"`).join(', ')}`
			: 'the item has no binary data';
		throw fieldError(
			node,
			itemIndex,
			field,
			`the input item has no binary field "${propertyName}" (${hint})`,
		);
	}
	const header = await readHeader(this, binary);
	if (binary.bytes === 0 || !header.length)
		throw fieldError(node, itemIndex, field, `the file in "${propertyName}" is empty`);
	const type = sniffInvoiceType(header);
	if (!type) {
		const declared = binary.mimeType ? ` (declared as ${binary.mimeType})` : '';
		throw fieldError(
			node,
			itemIndex,
			field,
			`the file "${binary.fileName ?? propertyName}"${declared} is not a PDF or an image (PNG, JPEG, GIF, WEBP) by its content`,
		);
	}
	const baseName =
		(binary.fileName ?? '').trim() ||
		`invoice-${invoiceNumber.replace(/[^\w.-]+/g, '_')}.${type.extension}`;
	return { orderId, invoiceNumber, propertyName, fileName: baseName, mimeType: type.mimeType };
}

export async function execute(
	this: IExecuteFunctions,
	input: SetInvoicePayload,
	itemIndex: number,
) {
	const file = await this.helpers.getBinaryDataBuffer(itemIndex, input.propertyName);
	const form = new FormData();
	form.append('invoice_number', input.invoiceNumber);
	form.append(
		'invoice',
		new Blob([new Uint8Array(file)], { type: input.mimeType }),
		input.fileName,
	);
	return (await apiRequest.call(this, {
		service: 'kapitale',
		method: 'PATCH',
		path: `/order/invoice/${encodeURIComponent(input.orderId)}`,
		body: form,
		itemIndex,
	})) as IDataObject;
}
