import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readRequiredId } from '../../../shared/descriptions';
import { readNodeParameter } from '../../../../shared/execution/parameters';
import { apiRequest } from '../../../../shared/transport';
import { fieldError, readParameter, schemas } from '../../../../shared/validation/validate';
import { OPERATION_FIELD, operationIdLocator } from './locator';

const show = { resource: ['operation'], operation: ['uploadDocumentByLink'] };

/** The document types the API documents for /operation-document/upload/link. */
export const DOCUMENT_TYPES = [
	'proof-residence',
	'social-contract',
	'rg-front',
	'rg-back',
	'cnh',
] as const;

const MIME_BY_EXTENSION: Record<string, string> = {
	pdf: 'application/pdf',
	png: 'image/png',
	jpg: 'image/jpeg',
	jpeg: 'image/jpeg',
	webp: 'image/webp',
	gif: 'image/gif',
	heic: 'image/heic',
	tif: 'image/tiff',
	tiff: 'image/tiff',
};

export const description: INodeProperties[] = [
	operationIdLocator(show),
	{
		displayName: 'Document Type',
		name: 'documentType',
		type: 'options',
		options: [
			{ name: 'Driver’s License (CNH)', value: 'cnh' },
			{ name: 'ID Card Back (RG)', value: 'rg-back' },
			{ name: 'ID Card Front (RG)', value: 'rg-front' },
			{ name: 'Proof of Residence', value: 'proof-residence' },
			{
				name: 'Social Contract',
				value: 'social-contract',
				description: 'Articles of association, for PJ customers',
			},
		],
		default: 'proof-residence',
		required: true,
		description: 'Sent as type',
		displayOptions: { show },
	},
	{
		displayName: 'Document Link',
		name: 'link',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'https://files.example.com/proof.pdf',
		description:
			'A public https:// URL the API downloads the file from. Sent as link (and path, as in the API’s example).',
		displayOptions: { show },
	},
	{
		displayName: 'MIME Type',
		name: 'mimeType',
		type: 'string',
		default: '',
		placeholder: 'application/pdf',
		description:
			'Optional; when empty it is taken from the link’s file extension if known. Sent as mimetype.',
		displayOptions: { show },
	},
];

export async function prepare(this: IExecuteFunctions, itemIndex: number) {
	const node = this.getNode();
	const operationId = readRequiredId(this, itemIndex, 'operationId', OPERATION_FIELD);
	const type = String(readNodeParameter(this, 'documentType', itemIndex, '') ?? '').trim();
	if (!(DOCUMENT_TYPES as readonly string[]).includes(type)) {
		throw fieldError(
			node,
			itemIndex,
			{ label: 'Document Type', apiField: 'type' },
			`"${type}" is not a document type: use one of ${DOCUMENT_TYPES.join(', ')}`,
		);
	}
	const link = readParameter(
		this,
		itemIndex,
		'link',
		{ label: 'Document Link', apiField: 'link' },
		schemas.httpsUrl,
	);
	let mimeType = String(readNodeParameter(this, 'mimeType', itemIndex, '') ?? '')
		.trim()
		.toLowerCase();
	if (mimeType && !/^[\w.+-]+\/[\w.+-]+$/.test(mimeType)) {
		throw fieldError(
			node,
			itemIndex,
			{ label: 'MIME Type', apiField: 'mimetype' },
			`"${mimeType}" is not a MIME type such as application/pdf`,
		);
	}
	if (!mimeType) {
		const extension = /\.([a-z0-9]+)$/i.exec(new URL(link).pathname)?.[1]?.toLowerCase();
		mimeType = (extension && MIME_BY_EXTENSION[extension]) || '';
	}
	return { operationId, type, link, mimeType };
}

export async function execute(
	this: IExecuteFunctions,
	input: Awaited<ReturnType<typeof prepare>>,
	itemIndex: number,
) {
	const body = {
		operation_id: input.operationId,
		type: input.type,
		link: input.link,
		path: input.link,
		...(input.mimeType ? { mimetype: input.mimeType } : {}),
	};
	const data = await apiRequest.call(this, {
		service: 'partner',
		method: 'POST',
		path: '/operation-document/upload/link',
		body,
		itemIndex,
	});
	return {
		operationId: input.operationId,
		documentType: input.type,
		link: input.link,
		mimeType: input.mimeType || null,
		uploaded: data === true || data === 'true' || data === undefined,
	};
}
