// n8n's REST API (the editor's internal API under /rest, and /healthz): rest() for one JSON
// request, the owner account set-up on a fresh user folder, login (the n8n-auth session cookie),
// and the dev-mode reload of custom nodes.
import { DEFAULT_OWNER } from './config.mjs';
import { say } from './log.mjs';

/**
 * One HTTP request to n8n. Bodies are JSON.
 * @param {{url: string, path: string, method?: string, body?: unknown, cookie?: string,
 *   headers?: Record<string,string>, timeoutMs?: number}} request
 * @returns {Promise<{status: number, data: any, text: string, headers: Headers, cookies: string[]}>}
 *   data: the parsed JSON body, unwrapped from n8n's {data: ...} envelope when there is one.
 */
export async function rest({
	url,
	path: urlPath,
	method = 'GET',
	body,
	cookie,
	headers = {},
	timeoutMs = 30_000,
}) {
	const controller = new AbortController();
	const timer = setTimeout(() => controller.abort(), timeoutMs);
	try {
		const res = await fetch(new URL(urlPath, url), {
			method,
			headers: {
				accept: 'application/json',
				...(body === undefined ? {} : { 'content-type': 'application/json' }),
				...(cookie ? { cookie } : {}),
				...headers,
			},
			body: body === undefined ? undefined : JSON.stringify(body),
			signal: controller.signal,
			redirect: 'manual',
		});
		const text = await res.text();
		let data;
		try {
			data = JSON.parse(text);
			if (
				data &&
				typeof data === 'object' &&
				!Array.isArray(data) &&
				'data' in data &&
				Object.keys(data).length === 1
			)
				data = data.data;
		} catch {
			data = undefined;
		}
		return {
			status: res.status,
			data,
			text,
			headers: res.headers,
			cookies: res.headers.getSetCookie(),
		};
	} finally {
		clearTimeout(timer);
	}
}

/** The n8n-auth cookie ("n8n-auth=...") among a response's Set-Cookie headers, if any. */
function authCookie(cookies) {
	return cookies.map((c) => c.split(';')[0]).find((c) => c.startsWith('n8n-auth='));
}

/**
 * Logs in and returns the session cookie ("n8n-auth=...") to send as the Cookie header of REST calls.
 * @param {{url: string, email?: string, password?: string}} options
 * @returns {Promise<string>}
 */
export async function login({
	url,
	email = DEFAULT_OWNER.email,
	password = DEFAULT_OWNER.password,
}) {
	const res = await rest({
		url,
		path: '/rest/login',
		method: 'POST',
		body: { emailOrLdapLoginId: email, password },
	});
	const cookie = authCookie(res.cookies);
	if (res.status !== 200 || !cookie) {
		throw new Error(
			`login as ${email} failed: ${res.status} ${res.data?.message ?? res.text.slice(0, 300)}`,
		);
	}
	return cookie;
}

/**
 * Sets up n8n's owner account (POST /rest/owner/setup) unless one exists, then logs in.
 * An existing owner with other credentials is an error (reset it with `n8nCli(['user-management:reset'])`).
 * @param {{url: string, email?: string, password?: string, firstName?: string, lastName?: string}} options
 * @returns {Promise<{email: string, password: string, firstName: string, lastName: string, created: boolean, cookie: string}>}
 */
export async function ensureOwner({ url, ...owner }) {
	const { email, password, firstName, lastName } = { ...DEFAULT_OWNER, ...owner };
	const settings = await rest({ url, path: '/rest/settings' });
	if (settings.status !== 200)
		throw new Error(
			`GET /rest/settings answered ${settings.status}: ${settings.text.slice(0, 300)}`,
		);
	let created = false;
	if (settings.data?.userManagement?.showSetupOnFirstLoad) {
		const res = await rest({
			url,
			path: '/rest/owner/setup',
			method: 'POST',
			body: { email, firstName, lastName, password },
		});
		if (res.status !== 200)
			throw new Error(
				`owner setup failed: ${res.status} ${res.data?.message ?? res.text.slice(0, 300)}`,
			);
		created = true;
		say(`owner account created: ${email}`);
	}
	let cookie;
	try {
		cookie = await login({ url, email, password });
	} catch (err) {
		if (created) throw err;
		throw new Error(
			`n8n already has an owner, and ${email} cannot log in with the given password (${err.message}). ` +
				`Stop n8n, run \`node scripts/n8n-local.mjs reset-owner --user-folder <folder>\`, and start it again.`,
		);
	}
	return { email, password, firstName, lastName, created, cookie };
}

/**
 * Asks a running n8n (started with devReload) to reload the nodes of its custom-extension
 * directories (N8N_CUSTOM_EXTENSIONS) now: POST /rest/dev/reload.
 * @returns {Promise<string[]>} the reloaded loaders
 */
export async function reloadCustomNodes(url) {
	const res = await rest({ url, path: '/rest/dev/reload', method: 'POST' });
	if (res.status !== 200)
		throw new Error(
			`POST /rest/dev/reload answered ${res.status} (was n8n started with devReload?)`,
		);
	return res.data?.reloaded ?? [];
}
