import type {
	IDataObject,
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import type { AuthSettings, RequestHeaders } from './auth';
import { authFromCredential, challenge, headerValue, isAuthorized, missingSecret } from './auth';
import { claimDelivery, deliveryKey } from './dedup';
import {
	DEFAULT_MAX_BODY_KB,
	Rejection,
	buildItem,
	checkSize,
	deliveryIdentity,
	destinationSelected,
	eventSelected,
	isBytes,
	parseDelivery,
	parseDestinationIds,
	safeHeaders,
} from './delivery';
import { properties } from './description';
import { isAnswerLimitError, isByteStream, readBytes } from '../../shared/transport/answer';
import { nodeDocumentationUrl } from '../../shared/descriptions/node';
import { credentialTest } from '../../shared/transport';
import { reply } from './respond';

const CREDENTIAL = 'kapitaleApi';

async function authSettings(ctx: IWebhookFunctions): Promise<AuthSettings> {
	try {
		return authFromCredential(await ctx.getCredentials(CREDENTIAL));
	} catch {
		// No credential selected: refuse everyone rather than accept everyone.
		return { mode: 'bearer', bearerToken: '' };
	}
}

const tooLarge = (maxBytes: number) =>
	new Rejection(413, `Payload too large (limit ${maxBytes} bytes)`);

/**
 * The bytes of the body. n8n parses JSON, form and text bodies itself (up to its own
 * N8N_PAYLOAD_SIZE_MAX, 16 MiB by default) and leaves other content types unread; those are read
 * here, stopping at Max Body Size, so an oversized delivery costs at most that much memory and
 * gets a short 413. A compressed body is left to n8n's reader, whose failure is answered short too.
 */
async function rawBodyOf(
	req: ReturnType<IWebhookFunctions['getRequestObject']>,
	headers: RequestHeaders,
	maxBytes: number,
): Promise<unknown> {
	const request = req as unknown as {
		rawBody?: unknown;
		body?: unknown;
		readRawBody?: () => Promise<void>;
	};
	if (request.rawBody !== undefined || request.body !== undefined) return request.rawBody;
	const encoding = String(headerValue(headers, 'content-encoding') ?? '')
		.trim()
		.toLowerCase();
	if ((encoding === '' || encoding === 'identity') && isByteStream(req)) {
		try {
			return await readBytes(req, {
				maxBytes,
				maxDepth: Number.MAX_SAFE_INTEGER,
				keepOpen: true,
			});
		} catch (error) {
			return isAnswerLimitError(error)
				? tooLarge(maxBytes)
				: new Rejection(400, 'The body could not be read');
		}
	}
	if (typeof request.readRawBody === 'function') {
		try {
			await request.readRawBody();
		} catch (error) {
			const status = (error as { status?: unknown; statusCode?: unknown }).status;
			return status === 413 ? tooLarge(maxBytes) : new Rejection(400, 'The body could not be read');
		}
	}
	return request.rawBody;
}

export class KapitaleOrderTrigger implements INodeType {
	description: INodeTypeDescription = {
		// "Kapitale Order Trigger" / kapitaleOrderTrigger: n8n's node picker pairs a trigger with the
		// node whose type name is the trigger's without "Trigger" (kapitaleOrder), as Airtable's.
		displayName: 'Kapitale Order Trigger',
		name: 'kapitaleOrderTrigger',
		icon: {
			light: 'file:../../../icons/kapitale.svg',
			dark: 'file:../../../icons/kapitale.dark.svg',
		},
		group: ['trigger'],
		documentationUrl: nodeDocumentationUrl('KapitaleOrderTrigger'),
		// 2, not 1: version 1 (secrets in node parameters) was never published; the number stays so
		// workflows saved with typeVersion 2 keep loading.
		version: 2,
		subtitle: '={{($parameter["events"] || []).join(", ")}}',
		description:
			'Kapitale B2B credit: create payment orders, attach invoices, cancel; start a workflow when an order is created, approved or rejected',
		eventTriggerDescription: 'Waiting for a Kapitale delivery on the Test URL',
		activationMessage: 'Kapitale deliveries to the Production URL now start this workflow.',
		defaults: { name: 'Kapitale Order Trigger' },
		triggerPanel: {
			header: '',
			executionsHelp: {
				inactive:
					'Kapitale sends order events to the URL you registered with them. <b>While building</b>, register the Test URL, click "Listen for test event" and trigger an event (for example approve an order in the Kapitale sandbox). <b>In production</b>, register the Production URL and activate the workflow.',
				active:
					'The workflow is active: Kapitale deliveries to the Production URL start executions, listed under Executions.',
			},
			activationHint:
				'Once you have finished building the workflow, activate it so deliveries to the Production URL start it.',
		},
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: CREDENTIAL,
				required: true,
				testedBy: 'kapitaleApiTest',
			},
		],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				// Every answer is written by webhook() itself (see respond.ts); this only names n8n's default.
				responseMode: 'onReceived',
				path: '={{$parameter["path"]}}',
				isFullPath: true,
			},
		],
		properties,
	};

	methods = { credentialTest };

	/** Kapitale registers webhook URLs by hand (by email), so there is nothing to create or delete remotely. */
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return false;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				// Refuse to activate with a credential that would answer every delivery with 401.
				const missing = missingSecret(authFromCredential(await this.getCredentials(CREDENTIAL)));
				if (missing) {
					throw new NodeOperationError(
						this.getNode(),
						`The Kapitale API credential has no ${missing}: set it under Webhook Authentication (or choose None)`,
					);
				}
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const req = this.getRequestObject();
		const res = this.getResponseObject();
		const headers = this.getHeaderData();
		const refuse = (rejection: Rejection, extraHeaders: Record<string, string> = {}) =>
			reply(res, rejection.status, { received: false, error: rejection.error }, {}, extraHeaders);

		if (String(req.method ?? '').toUpperCase() !== 'POST') {
			return refuse(new Rejection(405, 'Only POST is accepted'), { Allow: 'POST' });
		}

		const auth = await authSettings(this);
		if (!isAuthorized(headers, auth)) {
			const scheme = challenge(auth.mode);
			return refuse(
				new Rejection(401, 'Unauthorized'),
				scheme ? { 'WWW-Authenticate': scheme } : {},
			);
		}

		const options = this.getNodeParameter('options', {}) as IDataObject;
		const maxBytes = Math.max(1, Number(options.maxBodyKb ?? DEFAULT_MAX_BODY_KB)) * 1024;
		const declaredTooLarge = checkSize(headers, undefined, maxBytes);
		if (declaredTooLarge) return refuse(declaredTooLarge);
		const rawBody = await rawBodyOf(req, headers, maxBytes);
		// An unread rest of the body is not drained: the connection is closed after the answer.
		if (rawBody instanceof Rejection) return refuse(rawBody, { Connection: 'close' });
		const oversized = checkSize(headers, rawBody, maxBytes);
		if (oversized) return refuse(oversized);

		const delivery = parseDelivery(rawBody, isBytes(rawBody) ? undefined : this.getBodyData());
		if (delivery instanceof Rejection) return refuse(delivery);

		const events = this.getNodeParameter('events', ['*']) as string[];
		if (!eventSelected(delivery.event_type, events)) {
			return reply(res, 200, { received: true, ignored: 'event not selected' });
		}

		const destinations = parseDestinationIds(this.getNodeParameter('destinationIds', ''));
		if (!destinationSelected(delivery.destination_id, destinations)) {
			return reply(res, 200, { received: true, ignored: 'destination not selected' });
		}

		const now = Date.now();
		if (this.getNodeParameter('deduplicate', true) as boolean) {
			const identity = deliveryIdentity(delivery);
			if (!identity) {
				return refuse(
					new Rejection(400, '"data.order_id" is missing; it is needed to recognise duplicates'),
				);
			}
			const windowMinutes = Math.min(
				10080,
				Math.max(1, Number(this.getNodeParameter('dedupWindowMinutes', 60)) || 60),
			);
			const node = this.getNode();
			const scope = {
				workflowId: String(this.getWorkflow().id ?? ''),
				nodeId: node.id ?? node.name,
				mode: this.getMode(),
			};
			const first = claimDelivery(
				this.getWorkflowStaticData('node'),
				scope,
				deliveryKey(identity),
				windowMinutes * 60_000,
				now,
			);
			if (!first) return reply(res, 200, { received: true, duplicate: true });
		}

		const item = buildItem(delivery, {
			raw: options.rawBody === true,
			receivedAt: new Date(now).toISOString(),
			headers:
				options.includeHeaders === true
					? safeHeaders(headers, auth.mode === 'header' ? auth.headerName : undefined)
					: undefined,
		});
		return reply(
			res,
			200,
			{ received: true },
			{ workflowData: [this.helpers.returnJsonArray([item])] },
		);
	}
}
