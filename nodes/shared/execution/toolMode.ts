/**
 * How an action behaves when n8n runs it as a tool of an AI agent or an MCP Server Trigger.
 *
 * n8n registers a `usableAsTool` node a second time as `<type>Tool` (packages/cli tool-generation:
 * convertNodeToAiTool) and runs that variant's `execute` once per tool call, with the model's
 * arguments as the only input item. n8n itself tells the two apart by the type name (the `@tool`
 * display option of n8n-workflow is `nodeType.name.endsWith('Tool')`); this module does the same.
 *
 * What changes for a model, and only for it:
 * - a look-up that finds nothing is an answer (`found: false` and what to do next), not an error;
 * - an error is one short sentence saying what to change, with the API's own message kept and the
 *   partner API's Portuguese glossed in English; no item numbers or editor settings.
 * Workflows run exactly as before.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

/** Whether this run is a tool call (the `…Tool` variant n8n generates for `usableAsTool` nodes). */
export function isToolMode(context: Pick<IExecuteFunctions, 'getNode'>): boolean {
	return context.getNode().type.endsWith('Tool');
}

/**
 * The tool description a model reads, one per operation. n8n's own automatic text is only
 * "<action> in <node>"; with a `toolDescription` property of our own n8n uses it instead (and the
 * workflow author can still edit it). Shown only in the tool variant (`@tool`).
 */
export function toolDescriptionFields(
	resource: string,
	texts: Record<string, string>,
): INodeProperties[] {
	return Object.entries(texts).map(([operation, text]) => ({
		displayName: 'Tool Description',
		name: 'toolDescription',
		type: 'string',
		default: text,
		typeOptions: { rows: 6 },
		description:
			'What the AI model reads about this tool: what it does, what its IDs look like and where to get them, what the result means',
		displayOptions: { show: { '@tool': [true], resource: [resource], operation: [operation] } },
	}));
}

/** What a 404 means for each resource, in both modes (the CNPJ only matters for companies). */
const NOT_FOUND_HINTS: Record<string, string> = {
	order:
		'No order with this ID for your industry: check the order ID (a UUID from Get Many orders or from Create).',
	company: 'No company with this CNPJ: check the CNPJ.',
	customer:
		'No customer with this ID for your partner account: check the customer ID (from Get Many customers or from Create).',
	operation:
		'No credit operation with this ID for your partner account: check the operation ID (from Get Many operations or from Create).',
};

const GENERIC_NOT_FOUND = /Not found: check the ID or CNPJ\.?/;

function is404(error: unknown): error is NodeApiError {
	return error instanceof NodeApiError && String(error.httpCode) === '404';
}

/** Replaces the transport's generic "check the ID or CNPJ" by what a 404 means for this resource. */
export function explainNotFound(error: unknown, resource: string): void {
	const hint = NOT_FOUND_HINTS[resource];
	if (!hint || !is404(error)) return;
	const description = error.description ?? '';
	if (GENERIC_NOT_FOUND.test(description))
		error.description = description.replace(GENERIC_NOT_FOUND, hint);
	else if (!description.includes(hint)) error.description = `${description} ${hint}`.trim();
}

/** The read operations whose 404 is an answer for a model. Writes keep the error. */
const LOOK_UPS: Record<string, Record<string, { key: string; next: string }>> = {
	order: {
		get: {
			key: 'orderId',
			next: 'No order has this ID. List orders (Get Many orders) to find the right ID.',
		},
	},
	company: {
		getByCnpj: {
			key: 'cnpj',
			next: 'No company has this CNPJ in Kapitale or the bureau. Check the CNPJ with the user.',
		},
	},
	customer: {
		get: {
			key: 'customerId',
			next: 'No customer has this ID. List customers (Get Many customers) to find the right ID.',
		},
	},
	operation: {
		getStatus: {
			key: 'operationId',
			next: 'No credit operation has this ID. List operations (Get Many operations) to find it.',
		},
		getDetails: {
			key: 'operationId',
			next: 'No credit operation has this ID. List operations (Get Many operations) to find it.',
		},
	},
};

/** For a tool call of a look-up that found nothing: the answer a model can act on. */
export function missAnswer(
	resource: string,
	operation: string,
	payload: unknown,
	error: unknown,
): IDataObject | undefined {
	const lookUp = LOOK_UPS[resource]?.[operation];
	if (!lookUp || !is404(error)) return undefined;
	const value = (payload as IDataObject | undefined)?.[lookUp.key];
	return { found: false, [lookUp.key]: (value as string) ?? null, message: lookUp.next };
}

/**
 * English glosses of the partner API's Portuguese messages, so a model (or a person) that reads
 * no Portuguese knows what to change. The original text is always kept next to the gloss.
 */
const PORTUGUESE_GLOSSES: Array<[RegExp, string]> = [
	[/não pode ficar em branco\.?/gi, 'cannot be blank.'],
	[/já está cadastrad[oa]\.?/gi, 'is already registered.'],
	[/A cidade informada não é válida\.?/gi, 'The city given is not valid.'],
	[/é inválid[oa]\.?/gi, 'is invalid.'],
	[/Valores aceitos:/gi, 'Accepted values:'],
	[/Cliente não encontrado\.?/gi, 'Customer not found.'],
	[/Operação não encontrada\.?/gi, 'Operation not found.'],
	[/Parceiro não autorizado\.?/gi, 'Partner not authorized.'],
	[/Método não permitido\.?/gi, 'Method not allowed.'],
	[/Rota não encontrada\.?/gi, 'Route not found.'],
	[/O corpo da requisição deve ser um objeto JSON\.?/gi, 'The request body must be a JSON object.'],
	[/Cliente cadastrado com sucesso\.?/gi, 'Customer registered.'],
	[/Operação criada com sucesso\.?/gi, 'Operation created.'],
];

/** "…" já está cadastrado. → "…" já está cadastrado. (English: "…" is already registered.) */
export function glossPortuguese(text: string): string {
	let glossed = text;
	for (const [pattern, english] of PORTUGUESE_GLOSSES) glossed = glossed.replace(pattern, english);
	return glossed === text ? text : `${text} (English: ${glossed})`;
}

const ITEM_FIELD_PREFIX = /^Item \d+, field "([^"]+)": /;

function sentence(text: string): string {
	const trimmed = text.trim();
	return /[.!?]\)?$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/**
 * One short sentence for the model: what was refused and what to change, the API's message kept.
 * No item numbers, no editor settings ("Continue On Fail", "If Not Found"), no secrets (the
 * transport already cleaned the API's message).
 */
export function toolError(
	context: Pick<IExecuteFunctions, 'getNode'>,
	error: NodeApiError | NodeOperationError,
): NodeOperationError {
	const node = context.getNode();
	let message: string;
	if (error instanceof NodeApiError) {
		const apiMessage = glossPortuguese(error.message);
		const status = error.httpCode ? `HTTP ${error.httpCode}` : undefined;
		const advice = apiAdvice(error);
		message = [
			sentence(status ? `The API refused the call (${status}): ${apiMessage}` : apiMessage),
			advice,
		]
			.filter(Boolean)
			.join(' ');
	} else {
		const field = ITEM_FIELD_PREFIX.exec(error.message);
		const detail = error.message.replace(ITEM_FIELD_PREFIX, '');
		message = field
			? `${sentence(`Invalid "${field[1]}": ${detail}`)} Fix this argument and call the tool again; nothing was sent.`
			: sentence(detail);
	}
	// No description: n8n appends it to the message it returns to the model ("Details: …").
	return new NodeOperationError(node, message, { description: '' });
}

function apiAdvice(error: NodeApiError): string {
	const description = error.description ?? '';
	const status = Number(error.httpCode);
	if (/may or may not have been processed/.test(description))
		return 'It may have been carried out: look it up before trying again.';
	if (status === 401 || status === 403)
		return 'The credential of this tool was refused: the workflow owner must fix it; retrying will not help.';
	if (status === 404) {
		const hint = Object.values(NOT_FOUND_HINTS).find((text) => description.includes(text));
		return hint ?? 'Check the ID.';
	}
	if (status === 409) return 'It conflicts with an existing record: look that record up instead.';
	if (status === 429 || status === 503) return 'The API is busy: try again in a minute.';
	if (status >= 500) return 'The API failed: try again later.';
	if (status >= 400 || /"success": false/.test(description))
		return 'Change the arguments as the message says and call the tool again.';
	return '';
}
