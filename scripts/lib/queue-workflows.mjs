// Workflows and files the queue-mode stage creates in n8n beside the examples: production webhooks
// (served by the `n8n webhook` process) whose executions run on the workers.
import { createHash, randomUUID } from 'node:crypto';

export const INVOICE_PATH = 'kapitale-queue-invoice';
export const BURST_PATH = 'kapitale-queue-burst';
/** A registered retail of the sandbox (the first row of the "orders from sheet" example). */
export const BURST_CNPJ = '11.222.333/0001-81';

function webhookNode(name, path) {
	return {
		parameters: { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} },
		id: randomUUID(),
		name,
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2.1,
		position: [0, 0],
		webhookId: randomUUID(),
	};
}

function chain(trigger, node) {
	return {
		nodes: [trigger, { ...node, id: randomUUID(), position: [260, 0] }],
		connections: { [trigger.name]: { main: [[{ node: node.name, type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

/** POST a PDF (body = the file, `?orderId=&invoiceNumber=`) → Kapitale Order › Set Invoice. */
export function invoiceWorkflow(credential) {
	return {
		name: 'Queue mode: invoice upload',
		...chain(webhookNode('Invoice upload', INVOICE_PATH), {
			name: 'Set Invoice',
			type: 'n8n-nodes-kapitale.kapitaleOrder',
			typeVersion: 1,
			parameters: {
				resource: 'order',
				operation: 'setInvoice',
				orderId: { __rl: true, mode: 'id', value: '={{ $json.query.orderId }}' },
				invoiceNumber: '={{ $json.query.invoiceNumber }}',
				binaryPropertyName: 'data',
			},
			credentials: { kapitaleApi: credential },
		}),
	};
}

/** Any POST → Kapitale Company › Get by CNPJ: one authenticated Kapitale call per execution. */
export function burstWorkflow(credential) {
	return {
		name: 'Queue mode: token burst',
		...chain(webhookNode('Burst', BURST_PATH), {
			name: 'Look up retail',
			type: 'n8n-nodes-kapitale.kapitaleCompany',
			typeVersion: 1,
			parameters: {
				resource: 'company',
				operation: 'getByCnpj',
				cnpj: BURST_CNPJ,
				ifNotFound: 'emptyItem',
				options: {},
			},
			credentials: { kapitaleApi: credential },
		}),
	};
}

/**
 * A real, valid PDF (catalog, page, content stream, xref table with exact offsets) of about
 * `size` bytes. The binary comment line and the padding make it non-text, so a transfer that is
 * not byte-exact shows in the checksum.
 */
export function invoicePdf(size = 48 * 1024) {
	const padding = Array.from(
		{ length: Math.ceil(size / 64) },
		(_, i) => `% padding line ${String(i).padStart(6, '0')} ${'x'.repeat(38)}\n`,
	).join('');
	const stream = 'BT /F1 18 Tf 72 720 Td (Nota fiscal NF-QUEUE-1) Tj ET\n';
	const objects = [
		'<< /Type /Catalog /Pages 2 0 R >>',
		'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
		'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
		`<< /Length ${Buffer.byteLength(stream)} >>\nstream\n${stream}endstream`,
		'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
	];
	const parts = [
		Buffer.from('%PDF-1.4\n'),
		Buffer.from([0x25, 0xe2, 0xe3, 0xcf, 0xd3, 0x0a]),
		Buffer.from(padding),
	];
	let offset = parts.reduce((sum, part) => sum + part.length, 0);
	const offsets = [];
	objects.forEach((body, i) => {
		offsets.push(offset);
		const chunk = Buffer.from(`${i + 1} 0 obj\n${body}\nendobj\n`);
		parts.push(chunk);
		offset += chunk.length;
	});
	const xref = [
		'xref',
		`0 ${objects.length + 1}`,
		'0000000000 65535 f ',
		...offsets.map((at) => `${String(at).padStart(10, '0')} 00000 n `),
	].join('\n');
	parts.push(
		Buffer.from(
			`${xref}\ntrailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${offset}\n%%EOF\n`,
		),
	);
	const file = Buffer.concat(parts);
	return { file, sha256: createHash('sha256').update(file).digest('hex') };
}
