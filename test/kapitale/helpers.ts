import { randomUUID } from 'node:crypto';

import { LoadOptionsContext } from 'n8n-core';
import type {
	IDataObject,
	ILoadOptionsFunctions,
	INode,
	INodeExecutionData,
	INodeTypes,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { startSandbox, type RunningSandbox, type SandboxOptions } from '../../sandbox';
import { Engine, PACKAGE_PREFIX, sandboxCredentialData, type NodeRun } from '../harness/engine';
import { allNodeTypes } from '../harness/nodes';

export type { RunningSandbox };

export async function openSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
	return await startSandbox({ quiet: true, host: '127.0.0.1', ...options });
}

/** A fresh engine: its own credential store, so its first Kapitale request mints a new token. */
export function engineFor(sandbox: RunningSandbox): Engine {
	return new Engine({ credentials: { kapitale: sandboxCredentialData(sandbox) } });
}

/** Requests the node sent (token + Kapitale + partner), without the test's own control calls. */
export function apiLog(sandbox: RunningSandbox) {
	return sandbox.requestLog();
}

export function kapitaleRequests(
	sandbox: RunningSandbox,
	method?: string,
	pathStart = '/kapitale',
) {
	return sandbox
		.requestLog()
		.filter(
			(entry) =>
				entry.service === 'kapitale' &&
				(!method || entry.method === method) &&
				entry.path.startsWith(pathStart),
		);
}

/** A minimal but well-formed one-page PDF (header, catalog, pages, page, xref with real offsets, trailer). */
export function minimalPdf(text = 'NF-e test'): Buffer {
	const objects = [
		'<< /Type /Catalog /Pages 2 0 R >>',
		'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
		'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
		null,
		'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
	];
	const stream = `BT /F1 12 Tf 20 50 Td (${text}) Tj ET`;
	objects[3] = `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`;
	let pdf = '%PDF-1.4\n';
	const offsets: number[] = [];
	objects.forEach((body, index) => {
		offsets.push(Buffer.byteLength(pdf, 'latin1'));
		pdf += `${index + 1} 0 obj\n${body}\nendobj\n`;
	});
	const xref = Buffer.byteLength(pdf, 'latin1');
	pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
	for (const offset of offsets) pdf += `${String(offset).padStart(10, '0')} 00000 n \n`;
	pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
	return Buffer.from(pdf, 'latin1');
}

export function binaryItem(
	json: IDataObject,
	file: Buffer,
	fileName: string,
	mimeType: string,
	property = 'data',
): INodeExecutionData {
	return { json, binary: { [property]: { data: file.toString('base64'), mimeType, fileName } } };
}

export async function control(
	sandbox: RunningSandbox,
	path: string,
	body?: unknown,
): Promise<{ status: number; json: IDataObject }> {
	const response = await fetch(`${sandbox.controlUrl}${path}`, {
		method: 'POST',
		headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	return { status: response.status, json: text ? (JSON.parse(text) as IDataObject) : {} };
}

export function expectNoError(run: NodeRun): void {
	if (run.error)
		throw new Error(`Unexpected error: ${run.error.message} ${run.error.description ?? ''}`);
}

let counter = 0;
/** An order number no other test uses. */
export function uniqueOrderNumber(prefix = 'T'): string {
	counter++;
	return `${prefix}-${Date.now().toString(36)}-${process.pid}-${counter}`;
}

/**
 * A real n8n-core LoadOptionsContext for a node of the package, wired to the engine's credential
 * store, so list-search methods run as they do when the editor opens a resource locator.
 */
export function loadOptionsContext(
	engine: Engine,
	type: string,
	parameters: IDataObject,
	path: string,
): ILoadOptionsFunctions {
	const node: INode = {
		id: randomUUID(),
		name: 'Under Test',
		type: `${PACKAGE_PREFIX}.${type}`,
		typeVersion: 1,
		position: [0, 0],
		parameters: parameters as INode['parameters'],
		credentials: { kapitaleApi: { id: 'kapitale', name: 'Kapitale' } },
	};
	const types = allNodeTypes();
	const nodeTypes = {
		getByName: (name: string) => types[name.replace(`${PACKAGE_PREFIX}.`, '')],
		getByNameAndVersion: (name: string) => types[name.replace(`${PACKAGE_PREFIX}.`, '')],
		getKnownTypes: () => ({}),
	} as unknown as INodeTypes;
	const workflow = new Workflow({
		id: randomUUID(),
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes,
		settings: {},
	});
	const additionalData = {
		credentialsHelper: engine.credentialsHelper,
		executionId: undefined,
		restApiUrl: 'http://127.0.0.1/rest',
		instanceBaseUrl: 'http://127.0.0.1/',
		webhookBaseUrl: 'http://127.0.0.1/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1/webhook-test',
		formWaitingBaseUrl: 'http://127.0.0.1/form-waiting',
		variables: {},
		userId: 'harness-user',
		// The editor sends the panel's current values with every list search.
		currentNodeParameters: parameters,
	} as unknown as IWorkflowExecuteAdditionalData;
	return new LoadOptionsContext(workflow, node, additionalData, path);
}
