import type {
	IAuthenticate,
	ICredentialDataDecryptedObject,
	ICredentialType,
	IHttpRequestHelper,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import {
	DEFAULT_KAPITALE_SCOPES,
	SERVICE_FIELD,
	serviceOfRequest,
} from '../nodes/shared/transport/endpoints';
import { requestAccessToken } from '../nodes/shared/transport/token';

/**
 * One credential type for both APIs, and one credential may hold both parts: the Kapitale
 * client (OAuth2 client credentials) and the partner's static bearer token, each optional. A
 * node uses only its own API's part; the transport marks every request with its API (see
 * SERVICE_FIELD), and a node whose part is empty fails before sending anything
 * (nodes/shared/transport/session.ts). The Test is a node method (testedBy 'kapitaleApiTest',
 * nodes/shared/transport/credentialTest.ts): a declarative test sends one request, and a
 * credential with both parts needs one per part.
 */
export class KapitaleApi implements ICredentialType {
	name = 'kapitaleApi';

	displayName = 'Kapitale API';

	icon: Icon = { light: 'file:../icons/kapitale.svg', dark: 'file:../icons/kapitale.dark.svg' };

	documentationUrl =
		'https://github.com/kapitale-community/n8n-nodes-kapitale/blob/main/docs/credentials.md';

	properties: INodeProperties[] = [
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			options: [
				{
					name: 'Production',
					value: 'production',
					description: "The vendors' production APIs",
				},
				{
					name: 'Sandbox',
					value: 'sandbox',
					description: "The vendors' sandbox APIs (Kapitale gives its sandbox API URL on request)",
				},
				{
					name: 'Custom',
					value: 'custom',
					description: "Type each API's URLs, e.g. for the embedded sandbox of this package",
				},
			],
			default: 'production',
			description: 'Applies to both parts below. Make one credential per environment.',
		},
		{
			displayName:
				'Kapitale: for Kapitale Company, Kapitale Order and Kapitale Trigger. Leave empty if you use only the partner lending API.',
			name: 'kapitaleHeading',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			description: 'Issued by the Kapitale team (OAuth2 client credentials)',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Issued by the Kapitale team with the Client ID',
		},
		{
			displayName: 'Scopes',
			name: 'scopes',
			type: 'string',
			default: DEFAULT_KAPITALE_SCOPES,
			description:
				'Space-separated OAuth2 scopes. The default covers every Kapitale endpoint used by these nodes.',
		},
		{
			displayName: 'Kapitale Sandbox API URL',
			name: 'kapitaleSandboxUrl',
			type: 'string',
			default: '',
			placeholder: 'The URL the Kapitale team gave you',
			description:
				"Kapitale's sandbox API URL is not public: the Kapitale team gives it on request",
			displayOptions: { show: { environment: ['sandbox'] } },
		},
		{
			displayName: 'Token URL',
			name: 'tokenUrl',
			type: 'string',
			default: '',
			placeholder: 'e.g. http://127.0.0.1:4010/oauth2/token',
			displayOptions: { show: { environment: ['custom'] } },
		},
		{
			displayName: 'Kapitale API Base URL',
			name: 'kapitaleBaseUrl',
			type: 'string',
			default: '',
			placeholder: 'e.g. http://127.0.0.1:4010/kapitale',
			displayOptions: { show: { environment: ['custom'] } },
		},
		// Kapitale Trigger: webhook authentication (defined at the end of this file).
		...WEBHOOK_AUTH_PROPERTIES,
		{
			displayName:
				'Partner lending API (Credoro): for Partner Customer, Partner Operation, City Search and Bank Search. Leave empty if you use only Kapitale.',
			name: 'partnerHeading',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Partner Token',
			name: 'bearerToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'The bearer token issued by the partner lending API',
		},
		{
			displayName: 'Partner Hash ID',
			name: 'partnerHashId',
			type: 'string',
			default: '',
			description:
				'The partner ID issued by the lending partner for this environment (partnerHashId)',
		},
		{
			displayName: 'User Hash ID',
			name: 'userHashId',
			type: 'string',
			default: '',
			description: "The partner user's ID issued by the lending partner (partner_user_id)",
		},
		{
			displayName: 'Partner API Base URL',
			name: 'partnerBaseUrl',
			type: 'string',
			default: '',
			placeholder: 'e.g. http://127.0.0.1:4010/partner',
			displayOptions: { show: { environment: ['custom'] } },
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
	];

	/** Mints the Kapitale token, for Kapitale requests only and only when the client is filled. */
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		if (credentials[SERVICE_FIELD] === 'partner') return {};
		if (!String(credentials.clientId ?? '').trim() || !String(credentials.clientSecret ?? ''))
			return {};
		return { accessToken: await requestAccessToken(this, credentials) };
	}

	// A function, not a generic `={{ }}` expression: n8n evaluates a generic authenticate's expression
	// for every request (a full expression-sandbox round trip, ~9% of a node's CPU per item in
	// `npm run bench -- --profile`); this sets the same header without it. Each API gets its own
	// secret: the Kapitale token never goes to the partner, nor the partner token to Kapitale.
	authenticate: IAuthenticate = async (credentials, requestOptions) => {
		// n8n's legacy request path (the HTTP Request node's) names the address `uri`, not `url`.
		const address = requestOptions.url ?? (requestOptions as { uri?: string }).uri ?? '';
		const url = `${requestOptions.baseURL ?? ''}${address}`;
		const token =
			serviceOfRequest(credentials, url) === 'partner'
				? credentials.bearerToken
				: credentials.accessToken;
		requestOptions.headers = {
			...(requestOptions.headers ?? {}),
			Authorization: `Bearer ${String(token ?? '')}`,
		};
		return requestOptions;
	};
}

// ---------------------------------------------------------------------------------------------
// Kapitale Trigger: how Kapitale's webhook deliveries prove where they come from. Only the
// trigger reads these fields; the action nodes ignore them. Kept here, in the credential, so the
// secret is encrypted by n8n and never part of the workflow's JSON.
const WEBHOOK_AUTH_PROPERTIES: INodeProperties[] = [
	{
		displayName: 'Webhook Authentication',
		name: 'webhookAuthentication',
		type: 'options',
		options: [
			{
				name: 'Bearer Token',
				value: 'bearer',
				description: 'Kapitale sends the Webhook Token as a bearer token',
			},
			{
				name: 'Basic Auth',
				value: 'basic',
				description: 'Kapitale sends the Webhook User and Password (Basic authentication)',
			},
			{
				name: 'Custom Header',
				value: 'header',
				description: 'Kapitale sends one of its custom headers with a secret value',
			},
			{
				name: 'None',
				value: 'none',
				description: 'The trigger accepts every request (not recommended)',
			},
		],
		default: 'bearer',
		description:
			'Used only by the Kapitale Trigger: how its webhook requests are checked. Wrong or missing secrets get 401.',
	},
	{
		displayName: 'Webhook Token',
		name: 'webhookToken',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		description:
			"A long random secret you choose. Give it to the Kapitale team as the webhook's bearer token.",
		displayOptions: { show: { webhookAuthentication: ['bearer'] } },
	},
	{
		displayName: 'Webhook User',
		name: 'webhookUser',
		type: 'string',
		default: '',
		displayOptions: { show: { webhookAuthentication: ['basic'] } },
	},
	{
		displayName: 'Webhook Password',
		name: 'webhookPassword',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		description:
			'Give the Kapitale team this user and password for the webhook (Basic authentication)',
		displayOptions: { show: { webhookAuthentication: ['basic'] } },
	},
	{
		displayName: 'Webhook Header Name',
		name: 'webhookHeaderName',
		type: 'string',
		default: 'X-Kapitale-Secret',
		displayOptions: { show: { webhookAuthentication: ['header'] } },
	},
	{
		displayName: 'Webhook Header Value',
		name: 'webhookHeaderValue',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		description:
			'A long random secret; give Kapitale this header as one of the webhook custom headers',
		displayOptions: { show: { webhookAuthentication: ['header'] } },
	},
];
