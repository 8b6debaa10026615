/**
 * What the requests of one run share: the credential's facts, the token gate, the one
 * re-authentication per token, and the tokens seen (for redaction).
 */
import type { ICredentialDataDecryptedObject, ICredentialsDecrypted } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	holdsSecretsOf,
	listed,
	missingFields,
	resolveEndpoints,
	SERVICE_FIELD,
	type CredentialService,
	type Endpoints,
} from './endpoints';
import type { ApiContext, FullResponse, HttpFailure } from './types';
import { secretForms } from './redaction';

export const CREDENTIAL_TYPE = 'kapitaleApi';

export interface CredentialFacts {
	/**
	 * The run's decrypted copy, one view per API, handed to every request: n8n would otherwise
	 * read and decrypt the credential from its database for each one. Each view is marked with
	 * its API (SERVICE_FIELD), so the credential's hooks use that API's part. A token that n8n's
	 * preAuthentication mints is assigned into the Kapitale view, so the following requests
	 * send it. (n8n persists only the hook's output, never the view.)
	 */
	decrypted: Record<CredentialService, ICredentialsDecrypted>;
	/** The plain data, for the check that the node's part is filled. */
	data: ICredentialDataDecryptedObject;
	/** The credential's name as the node holds it, for errors. */
	name: string;
	endpoints: Endpoints;
	partnerHashId: string;
	clientId: string;
	clientSecret: string;
	secrets: string[];
}

/** What the requests of one run (one execution context) share. */
export interface RunState {
	facts?: Promise<CredentialFacts>;
	/**
	 * The first Kapitale request of a run leads the token step; the others wait for this gate,
	 * released once a request got past the token step or the step failed for good.
	 */
	tokenGate?: Promise<void>;
	/** The token step failed for good in this run: every Kapitale request fails with it, unsent. */
	tokenFailure?: HttpFailure;
	/** Raised each time a re-authentication got a token the API accepted. */
	tokenGeneration: number;
	/** The one re-authentication in flight; other requests refused meanwhile wait for it. */
	refresh?: Promise<unknown>;
	/** A freshly minted token was refused too: the remaining requests fail without being sent. */
	refused?: HttpFailure;
	/** Tokens seen in failed requests: an error of this run may echo any of them. */
	seenTokens: Set<string>;
}

const runs = new WeakMap<object, RunState>();

export function runState(context: ApiContext): RunState {
	let state = runs.get(context);
	if (!state) {
		state = { tokenGeneration: 0, seenTokens: new Set() };
		runs.set(context, state);
	}
	return state;
}

/** Every form of every secret the run knows, for the redaction of an error. */
export function runSecretForms(facts: CredentialFacts, state: RunState): string[] {
	const pairs: Array<[string, string]> = facts.clientSecret
		? [[facts.clientId, facts.clientSecret]]
		: [];
	return secretForms([...facts.secrets, ...state.seenTokens], pairs);
}

export async function loadCredentialFacts(
	context: ApiContext,
	state: RunState,
): Promise<CredentialFacts> {
	if (!state.facts) {
		const selected = context.getNode().credentials?.[CREDENTIAL_TYPE];
		const view = (data: ICredentialDataDecryptedObject, service: CredentialService) => ({
			id: selected?.id ?? '',
			name: CREDENTIAL_TYPE,
			type: CREDENTIAL_TYPE,
			data: { ...data, [SERVICE_FIELD]: service },
		});
		const facts = context.getCredentials(CREDENTIAL_TYPE).then((credentials) => ({
			decrypted: {
				kapitale: view(credentials, 'kapitale'),
				// No Kapitale secrets in the partner view: a partner request never mints a token.
				partner: view(
					{ ...credentials, clientId: '', clientSecret: '', accessToken: '' },
					'partner',
				),
			},
			data: credentials,
			name: selected?.name ?? '',
			endpoints: resolveEndpoints(credentials),
			partnerHashId: String(credentials.partnerHashId ?? '').trim(),
			clientId: String(credentials.clientId ?? ''),
			clientSecret: String(credentials.clientSecret ?? ''),
			secrets: [credentials.clientSecret, credentials.bearerToken, credentials.accessToken].filter(
				(value): value is string => typeof value === 'string' && value.length > 0,
			),
		}));
		state.facts = facts;
		facts.catch(() => (state.facts = undefined));
	}
	return await state.facts;
}

const API_NAMES: Record<CredentialService, string> = {
	kapitale: 'Kapitale',
	partner: 'partner lending API',
};

/**
 * The error of a node whose API part the chosen credential leaves empty, or undefined when the
 * part is complete. One credential may hold either part or both, and n8n pre-selects any
 * credential of the type for a new node: this says which credential lacks what, before anything
 * is sent.
 */
export function missingPartMessage(
	nodeName: string,
	credentialName: string,
	data: ICredentialDataDecryptedObject,
	service: CredentialService,
): { message: string; description: string } | undefined {
	const missing = missingFields(data, service);
	if (!missing.length) return undefined;
	const needed =
		service === 'kapitale' ? `the Kapitale ${listed(missing)}` : `the ${listed(missing)}`;
	const other: CredentialService = service === 'kapitale' ? 'partner' : 'kapitale';
	const credential = credentialName ? `credential '${credentialName}'` : 'the selected credential';
	let holds: string;
	if (holdsSecretsOf(data, service))
		holds = `${credential} leaves ${missing.length > 1 ? 'them' : 'it'} empty`;
	else if (holdsSecretsOf(data, other))
		holds = `${credential} holds only the ${other === 'partner' ? 'partner token' : 'Kapitale client ID and secret'}`;
	else holds = `${credential} holds neither API's secrets`;
	return {
		message: `${nodeName} needs ${needed}; ${holds}`,
		description: `Fill the ${API_NAMES[service]} part of ${credential} (one credential can hold both APIs' secrets), or pick a credential that has it. Nothing was sent.`,
	};
}

/** Throws the missing-part error (NodeOperationError, before any request) when it applies. */
export function requirePart(
	context: ApiContext,
	facts: CredentialFacts,
	service: CredentialService,
	itemIndex?: number,
): void {
	const node = context.getNode();
	const problem = missingPartMessage(node.name, facts.name, facts.data, service);
	if (problem) throw new NodeOperationError(node, problem.message, { ...problem, itemIndex });
}

/** The check for code that reads the credential itself (e.g. the partner IDs) before any request. */
export async function requireCredentialPart(
	context: ApiContext,
	service: CredentialService,
	itemIndex?: number,
): Promise<void> {
	requirePart(context, await loadCredentialFacts(context, runState(context)), service, itemIndex);
}

export type Outcome =
	| { response: FullResponse; failure?: undefined }
	| { response?: undefined; failure: HttpFailure };

/**
 * At most one re-authentication per token and run. The first request refused with the current
 * token asks n8n to mint a new one; requests refused meanwhile wait for it and are sent once
 * more; requests refused with a token that was already replaced are just sent again. Once a
 * new token is refused too, nothing more is sent (see `refused`).
 */
export async function reauthenticate(
	state: RunState,
	sentWithGeneration: number,
	sendRefreshing: () => Promise<Outcome>,
	sendAgain: () => Promise<Outcome>,
): Promise<Outcome> {
	if (state.refused) return { failure: state.refused };
	if (state.tokenGeneration > sentWithGeneration) return await sendAgain();
	if (state.refresh) {
		await state.refresh;
		if (state.refused) return { failure: state.refused };
		if (state.tokenFailure) return { failure: state.tokenFailure };
		return await sendAgain();
	}
	const refresh = sendRefreshing().then((outcome) => {
		// Settled before any waiter resumes, so that they see the verdict.
		if (outcome.failure?.status === 401 && !outcome.failure.token) state.refused = outcome.failure;
		// The renewal's token fetch used its whole deadline: no other request starts one.
		if (outcome.failure?.token && outcome.failure.code === 'ETIMEDOUT')
			state.tokenFailure = outcome.failure;
		if (!outcome.failure) state.tokenGeneration++;
		state.refresh = undefined;
		return outcome;
	});
	state.refresh = refresh;
	return await refresh;
}
