/**
 * What the requests of one run share: the credential's facts, the token gate, the one
 * re-authentication per token, and the tokens seen (for redaction).
 */
import type { ICredentialsDecrypted } from 'n8n-workflow';

import { resolveEndpoints, type Endpoints } from './endpoints';
import type { ApiContext, FullResponse, HttpFailure } from './types';
import { secretForms } from './redaction';

export const CREDENTIAL_TYPE = 'kapitaleApi';

export interface CredentialFacts {
	/**
	 * The run's one decrypted copy, handed to every request: n8n would otherwise read and decrypt
	 * the credential from its database for each one. A token that n8n's preAuthentication mints
	 * is assigned into this object, so the following requests send it.
	 */
	decrypted: ICredentialsDecrypted;
	endpoints: Endpoints;
	partnerHashId: string;
	clientId: string;
	clientSecret: string;
	secrets: string[];
	usesClientCredentials: boolean;
}

/** What the requests of one run (one execution context) share. */
export interface RunState {
	facts?: Promise<CredentialFacts>;
	/** The first Kapitale request of a run mints the token; the others wait so that they reuse it. */
	tokenGate?: Promise<unknown>;
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
	const pairs: Array<[string, string]> =
		facts.usesClientCredentials && facts.clientSecret ? [[facts.clientId, facts.clientSecret]] : [];
	return secretForms([...facts.secrets, ...state.seenTokens], pairs);
}

export async function loadCredentialFacts(
	context: ApiContext,
	state: RunState,
): Promise<CredentialFacts> {
	if (!state.facts) {
		const facts = context.getCredentials(CREDENTIAL_TYPE).then((credentials) => ({
			decrypted: {
				id: context.getNode().credentials?.[CREDENTIAL_TYPE]?.id ?? '',
				name: CREDENTIAL_TYPE,
				type: CREDENTIAL_TYPE,
				data: credentials,
			},
			endpoints: resolveEndpoints(credentials),
			partnerHashId: String(credentials.partnerHashId ?? '').trim(),
			clientId: String(credentials.clientId ?? ''),
			clientSecret: String(credentials.clientSecret ?? ''),
			secrets: [credentials.clientSecret, credentials.bearerToken, credentials.accessToken].filter(
				(value): value is string => typeof value === 'string' && value.length > 0,
			),
			usesClientCredentials: credentials.authentication !== 'bearerToken',
		}));
		state.facts = facts;
		facts.catch(() => (state.facts = undefined));
	}
	return await state.facts;
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
		return await sendAgain();
	}
	const refresh = sendRefreshing().then((outcome) => {
		// Settled before any waiter resumes, so that they see the verdict.
		if (outcome.failure?.status === 401 && !outcome.failure.token) state.refused = outcome.failure;
		if (!outcome.failure) state.tokenGeneration++;
		state.refresh = undefined;
		return outcome;
	});
	state.refresh = refresh;
	return await refresh;
}
