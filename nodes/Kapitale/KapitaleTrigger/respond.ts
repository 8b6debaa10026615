import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

type Response = ReturnType<IWebhookFunctions['getResponseObject']>;

/**
 * Writes the JSON answer itself and tells n8n not to answer again. Every answer goes this way,
 * accepted deliveries too, for two reasons found in n8n 2.41's webhook code:
 * - "onReceived" without `responseData` answers `200 text/html` with the body `firstEntryJson`;
 * - n8n saves the workflow's static data for a `noWebhookResponse` result before it starts the
 *   execution; when it answers itself, preparing the execution first re-wraps the same static
 *   data object and clears its "changed" flag, so the save is skipped and the dedup keys are lost.
 */
export function reply(
	res: Response,
	status: number,
	body: IDataObject,
	extra: Omit<IWebhookResponseData, 'noWebhookResponse' | 'webhookResponse'> = {},
	headers: Record<string, string> = {},
): IWebhookResponseData {
	res.writeHead(status, {
		'Content-Type': 'application/json; charset=utf-8',
		'Cache-Control': 'no-store',
		...headers,
	});
	res.end(JSON.stringify(body));
	return { ...extra, noWebhookResponse: true };
}
