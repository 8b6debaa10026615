import type {
	IAuthenticate,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { DEFAULT_KAPITALE_SCOPES } from '../nodes/shared/transport/endpoints';
import { requestAccessToken } from '../nodes/shared/transport/token';

// n8n's Test shows only the status text of a refusal ("Bad Request"); these say what it means.
// A refused token request shows the token endpoint's own error and description.
const TEST_RULES: ICredentialTestRequest['rules'] = [
	{
		type: 'responseCode',
		properties: {
			value: 400,
			message:
				'The API refused the test request (HTTP 400 Bad Request): check the base URL of this environment',
		},
	},
	{
		type: 'responseCode',
		properties: {
			value: 401,
			message:
				'The API refused the credential (HTTP 401 Unauthorized): check the token or client, and that it belongs to this environment',
		},
	},
	{
		type: 'responseCode',
		properties: {
			value: 403,
			message:
				'The credential lacks permission (HTTP 403 Forbidden): for Kapitale, the scope partner-can/orders.read is needed to test it',
		},
	},
	{
		type: 'responseCode',
		properties: {
			value: 404,
			message:
				'The test endpoint was not found (HTTP 404 Not Found): check the base URL of this environment',
		},
	},
];

export class KapitaleApi implements ICredentialType {
	name = 'kapitaleApi';

	displayName = 'Kapitale API';

	icon: Icon = { light: 'file:../icons/kapitale.svg', dark: 'file:../icons/kapitale.dark.svg' };

	documentationUrl = 'https://github.com/kapitale-community/n8n-nodes-kapitale#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'options',
			options: [
				{
					name: 'OAuth2 Client Credentials',
					value: 'clientCredentials',
					description: 'Kapitale API: client ID and secret exchanged for a one-hour JWT',
				},
				{
					name: 'Bearer Token',
					value: 'bearerToken',
					description: 'Partner lending API: a static token issued by the vendor',
				},
			],
			default: 'clientCredentials',
		},
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			options: [
				{ name: 'Production', value: 'production' },
				{ name: 'Sandbox', value: 'sandbox' },
				{
					name: 'Custom',
					value: 'custom',
					description: 'Type every URL yourself, e.g. for the embedded sandbox of this package',
				},
			],
			default: 'production',
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			displayOptions: { show: { authentication: ['clientCredentials'] } },
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: { show: { authentication: ['clientCredentials'] } },
		},
		{
			displayName: 'Scopes',
			name: 'scopes',
			type: 'string',
			default: DEFAULT_KAPITALE_SCOPES,
			description:
				'Space-separated OAuth2 scopes. The default covers every Kapitale endpoint used by these nodes.',
			displayOptions: { show: { authentication: ['clientCredentials'] } },
		},
		{
			displayName: 'Token',
			name: 'bearerToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: { show: { authentication: ['bearerToken'] } },
		},
		{
			displayName: 'Token URL',
			name: 'tokenUrl',
			type: 'string',
			default: '',
			placeholder: 'http://127.0.0.1:4010/oauth2/token',
			required: true,
			displayOptions: { show: { environment: ['custom'], authentication: ['clientCredentials'] } },
		},
		{
			displayName: 'Kapitale API Base URL',
			name: 'kapitaleBaseUrl',
			type: 'string',
			default: '',
			placeholder: 'http://127.0.0.1:4010/kapitale',
			description:
				'Required for Custom. In Sandbox, Kapitale gives this URL on request: it is not public.',
			displayOptions: { show: { environment: ['sandbox', 'custom'] } },
		},
		{
			displayName: 'Partner API Base URL',
			name: 'partnerBaseUrl',
			type: 'string',
			default: '',
			placeholder: 'http://127.0.0.1:4010/partner',
			displayOptions: { show: { environment: ['custom'] } },
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
		// Kapitale Trigger: webhook authentication (defined at the end of this file).
		...WEBHOOK_AUTH_PROPERTIES,
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		if (credentials.authentication !== 'clientCredentials') return {};
		return { accessToken: await requestAccessToken(this, credentials) };
	}

	// A function, not a generic `={{ }}` expression: n8n evaluates a generic authenticate's expression
	// for every request (a full expression-sandbox round trip, ~9% of a node's CPU per item in
	// `npm run bench -- --profile`); this sets the same header without it.
	authenticate: IAuthenticate = async (credentials, requestOptions) => {
		const token =
			credentials.authentication === 'bearerToken'
				? credentials.bearerToken
				: credentials.accessToken;
		requestOptions.headers = {
			...(requestOptions.headers ?? {}),
			Authorization: `Bearer ${String(token ?? '')}`,
		};
		return requestOptions;
	};

	// Only what each endpoint documents: Kapitale's order list takes `limit`, the partner's bank
	// search takes `search`.
	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{$credentials.authentication === "bearerToken" ? ($credentials.environment === "production" ? "https://api2.credoro.com.br" : $credentials.environment === "sandbox" ? "https://api.sandbox.credoro.com.br" : $credentials.partnerBaseUrl) : ($credentials.environment === "production" ? "https://api.kapitale.com.br" : $credentials.kapitaleBaseUrl)}}',
			url: '={{$credentials.authentication === "bearerToken" ? "/bank/search?search=001" : "/order?limit=1"}}',
			disableFollowRedirect: true,
			sendCredentialsOnCrossOriginRedirect: false,
		},
		rules: TEST_RULES,
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
				description: 'Kapitale sends Authorization: Bearer <token> (auth_type bearer)',
			},
			{
				name: 'Basic Auth',
				value: 'basic',
				description: 'Kapitale sends Authorization: Basic … (auth_type basic)',
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
			'A long random secret. Give Kapitale auth_type "bearer" and this value as auth_token.',
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
		description: 'Give Kapitale auth_type "basic" and the Base64 of user:password as auth_token',
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
