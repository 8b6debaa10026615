import type {
	IDataObject,
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import type { AuthMode, AuthSettings } from './auth';
import { challenge, isAuthorized } from './auth';
import { deliveryKey, seenRecently } from './dedup';
import {
	DEFAULT_MAX_BODY_KB,
	Rejection,
	buildItem,
	checkSize,
	destinationSelected,
	eventSelected,
	parseDelivery,
	parseDestinationIds,
	safeHeaders,
} from './delivery';
import { properties } from './description';

type JsonResponse = ReturnType<IWebhookFunctions['getResponseObject']>;

/** Answers directly (4xx) and tells n8n not to answer again or start an execution. */
function reply(res: JsonResponse, status: number, body: IDataObject, headers: Record<string, string> = {}): IWebhookResponseData {
	res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
	res.end(JSON.stringify(body));
	return { noWebhookResponse: true };
}

function authSettings(ctx: IWebhookFunctions): AuthSettings {
	const mode = ctx.getNodeParameter('authentication', 'bearer') as AuthMode;
	const settings: AuthSettings = { mode };
	if (mode === 'bearer') settings.bearerToken = String(ctx.getNodeParameter('bearerToken', ''));
	if (mode === 'basic') {
		settings.basicUser = String(ctx.getNodeParameter('basicUser', ''));
		settings.basicPassword = String(ctx.getNodeParameter('basicPassword', ''));
	}
	if (mode === 'header') {
		settings.headerName = String(ctx.getNodeParameter('headerName', ''));
		settings.headerValue = String(ctx.getNodeParameter('headerValue', ''));
	}
	return settings;
}

export class KapitaleTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Kapitale Trigger',
		name: 'kapitaleTrigger',
		icon: { light: 'file:../../icons/kapitale.svg', dark: 'file:../../icons/kapitale.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{($parameter["events"] || []).join(", ")}}',
		description: 'Starts the workflow when Kapitale sends an order event (created, approved, rejected)',
		eventTriggerDescription: 'Waiting for a Kapitale delivery on the Test URL',
		activationMessage: 'Kapitale deliveries to the Production URL now start this workflow.',
		defaults: { name: 'Kapitale Trigger' },
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
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: '={{$parameter["path"]}}',
				isFullPath: true,
			},
		],
		properties,
	};

	/** Kapitale registers webhook URLs by hand (by email), so there is nothing to create or delete remotely. */
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return false;
			},
			async create(this: IHookFunctions): Promise<boolean> {
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

		if (String(req.method ?? '').toUpperCase() !== 'POST') {
			return reply(res, 400, { received: false, error: 'Only POST is accepted' }, { Allow: 'POST' });
		}

		const auth = authSettings(this);
		if (!isAuthorized(headers, auth)) {
			const scheme = challenge(auth.mode);
			return reply(res, 401, { received: false, error: 'Unauthorized' }, scheme ? { 'WWW-Authenticate': scheme } : {});
		}

		const options = this.getNodeParameter('options', {}) as IDataObject;
		const maxBytes = Math.max(1, Number(options.maxBodyKb ?? DEFAULT_MAX_BODY_KB)) * 1024;
		const rawBody = (req as { rawBody?: unknown }).rawBody;
		const tooLarge = checkSize(headers, rawBody, maxBytes);
		if (tooLarge) return reply(res, tooLarge.status, { received: false, error: tooLarge.error });

		const delivery = parseDelivery(rawBody, this.getBodyData());
		if (delivery instanceof Rejection) return reply(res, delivery.status, { received: false, error: delivery.error });

		const events = this.getNodeParameter('events', ['*']) as string[];
		if (!eventSelected(delivery.event_type, events)) {
			return { webhookResponse: { received: true, ignored: 'event not selected' } };
		}

		const destinations = parseDestinationIds(this.getNodeParameter('destinationIds', ''));
		if (!destinationSelected(delivery.destination_id, destinations)) {
			return { webhookResponse: { received: true, ignored: 'destination not selected' } };
		}

		const now = Date.now();
		if (this.getNodeParameter('deduplicate', true) as boolean) {
			const windowMinutes = Math.max(1, Number(this.getNodeParameter('dedupWindowMinutes', 60)));
			const staticData = this.getWorkflowStaticData('node');
			if (seenRecently(staticData, deliveryKey(delivery), windowMinutes * 60_000, now)) {
				return { webhookResponse: { received: true, duplicate: true } };
			}
		}

		const item = buildItem(delivery, {
			raw: options.rawBody === true,
			receivedAt: new Date(now).toISOString(),
			headers: options.includeHeaders === true ? safeHeaders(headers, auth.mode === 'header' ? auth.headerName : undefined) : undefined,
		});

		return {
			webhookResponse: { received: true },
			workflowData: [this.helpers.returnJsonArray([item])],
		};
	}
}
