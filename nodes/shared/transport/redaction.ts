/**
 * The one cleaning step every error of the package passes through: secrets out (in every form a
 * server may echo them), long quoted input shortened. Runs only when an error is built.
 */

const REDACTED = '[redacted]';

/** Longest stretch of quoted user input an error message repeats. */
export const MAX_QUOTED_CHARS = 200;

/** Longest message or description an error carries (an API may echo a huge input back). */
export const MAX_MESSAGE_CHARS = 2_000;

function base64Forms(text: string): string[] {
	const standard = Buffer.from(text, 'utf8').toString('base64');
	const unpadded = standard.replace(/=+$/, '');
	return [standard, unpadded, unpadded.replace(/\+/g, '-').replace(/\//g, '_')];
}

function encodedForms(text: string): string[] {
	const json = JSON.stringify(text).slice(1, -1);
	return [encodeURIComponent(text), new URLSearchParams({ v: text }).toString().slice(2), json];
}

/**
 * Every form in which a server may echo a secret back: raw, base64 (also of the
 * `client_id:client_secret` pair of a Basic header, which does not contain the secret's own
 * base64), URL-encoded and JSON-escaped. Longest first, so that no form is left half replaced.
 */
export function secretForms(
	secrets: Iterable<unknown>,
	basicPairs: Array<[unknown, unknown]> = [],
): string[] {
	const forms = new Set<string>();
	// A derived form of under 4 characters (the unpadded base64 of a 1-character secret) would
	// match ordinary words; the secret itself is replaced whatever its length.
	const add = (text: string) => {
		forms.add(text);
		for (const form of [...base64Forms(text), ...encodedForms(text)])
			if (form.length >= 4) forms.add(form);
	};
	for (const secret of secrets) if (typeof secret === 'string' && secret !== '') add(secret);
	for (const [user, password] of basicPairs) {
		if (typeof password !== 'string' || password === '') continue;
		add(`${typeof user === 'string' ? user : ''}:${password}`);
	}
	return [...forms].sort((a, b) => b.length - a.length);
}

/** Shortens every quoted stretch longer than MAX_QUOTED_CHARS, then the whole text. */
export function clipText(text: string): string {
	let result = text;
	if (result.length > MAX_QUOTED_CHARS) {
		result = result.replace(/"([^"]*)"/g, (quoted: string, inner: string) =>
			inner.length > MAX_QUOTED_CHARS
				? `"${inner.slice(0, MAX_QUOTED_CHARS)}…" (${inner.length} characters)`
				: quoted,
		);
	}
	return result.length > MAX_MESSAGE_CHARS
		? `${result.slice(0, MAX_MESSAGE_CHARS)}… (${result.length} characters)`
		: result;
}

/** Secrets first (a clipped secret would no longer match), then the length caps. */
export function cleanText(text: string, forms: readonly string[]): string {
	let result = text;
	for (const form of forms) {
		if (result.includes(form)) result = result.split(form).join(REDACTED);
	}
	return clipText(result);
}
