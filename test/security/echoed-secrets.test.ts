/**
 * Issue 13: servers that echo what they received (the Basic header, the bearer token) into their
 * error answers. No form of any secret of the run may reach the error, the items or the run data,
 * with or without continue on fail; long echoed input is shortened.
 */
import { exposedText } from '../reliability/helpers';
import {
	bearerAt,
	clientCredentialsAt,
	engineWith,
	sendJson,
	startHostile,
	tokenAnswer,
	type Hostile,
} from './hostile';

const CLIENT_ID = 'client-echo';
const SECRET = 'ECHO-CLIENT-SECRET/+=?&x y';
const BEARER = 'ECHO-PARTNER-BEARER-9b3e';
const MINTED = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJlY2hvIn0.MINTED-SIGNATURE-3f9a';

let api: Hostile;
beforeEach(async () => (api = await startHostile()));
afterEach(async () => await api.close());

const kapitale = () => engineWith(clientCredentialsAt(api, CLIENT_ID, SECRET));
const partner = () => engineWith(bearerAt(api, BEARER, { partnerHashId: 'hash-1' }));

function forms(secret: string): Record<string, string> {
	return {
		raw: secret,
		base64: Buffer.from(secret).toString('base64'),
		'url-encoded': encodeURIComponent(secret),
		'form-encoded': new URLSearchParams({ v: secret }).toString().slice(2),
	};
}

function leaks(text: string, secrets: Record<string, string>): string[] {
	const found: string[] = [];
	for (const [name, secret] of Object.entries(secrets)) {
		for (const [form, value] of Object.entries(forms(secret)))
			if (text.includes(value)) found.push(`${name} (${form})`);
	}
	return found;
}

const SECRETS = {
	'client secret': SECRET,
	'client id:secret': `${CLIENT_ID}:${SECRET}`,
	'minted token': MINTED,
	'partner bearer': BEARER,
};
const lookup = {
	type: 'kapitaleCompany',
	parameters: { resource: 'company', operation: 'getByCnpj', cnpj: '11222333000181' },
};

describe.each([false, true])('continue on fail: %s', (continueOnFail) => {
	it('the token endpoint echoing the Basic header (raw, base64, URL-encoded) in its error', async () => {
		api.handle = (request, response) =>
			sendJson(response, 401, {
				error: 'invalid_client',
				error_description: `bad ${request.authorization} for ${encodeURIComponent(`${CLIENT_ID}:${SECRET}`)} secret=${SECRET} form=${new URLSearchParams({ v: SECRET }).toString()}`,
			});
		const run = await kapitale().runNode({ ...lookup, continueOnFail });
		const text = exposedText(run);
		expect(text).toContain('invalid_client');
		expect(text).toContain(`${api.url}/oauth2/token`);
		expect(leaks(text, SECRETS)).toEqual([]);
	});

	it('the API echoing the bearer token minted in the same run, in a 400 and a 401', async () => {
		api.handle = (request, response) => {
			if (request.path === '/oauth2/token') return tokenAnswer(response, MINTED);
			const status = request.path.includes('11222333000181') ? 400 : 401;
			sendJson(response, status, {
				message: `refused ${request.authorization} (${Buffer.from(String(request.authorization)).toString('base64')})`,
			});
		};
		const run = await kapitale().runNode({
			...lookup,
			parameters: { ...lookup.parameters, cnpj: '={{ $json.cnpj }}' },
			items: [{ cnpj: '11222333000181' }, { cnpj: '11444777000161' }],
			continueOnFail,
		});
		const text = exposedText(run);
		expect(text).toContain('refused');
		expect(leaks(text, SECRETS)).toEqual([]);
	});

	it('partner success:false echoing the bearer token, as a string and as a field map', async () => {
		let call = 0;
		api.handle = (request, response) => {
			call++;
			const message =
				call % 2
					? `token ${request.authorization} not allowed`
					: { search: [`invalid for ${request.authorization}`] };
			sendJson(response, 200, { success: false, message });
		};
		const engine = partner();
		for (let index = 0; index < 2; index++) {
			const run = await engine.runNode({
				type: 'bankSearch',
				parameters: { resource: 'bank', operation: 'search', query: '237' },
				continueOnFail,
			});
			const text = exposedText(run);
			expect(text).toMatch(/not allowed|invalid for/);
			expect(leaks(text, SECRETS)).toEqual([]);
		}
	});
});

it('a 1 MB CNPJ gives an error message of a readable length', async () => {
	const run = await kapitale().runNode({
		...lookup,
		parameters: { ...lookup.parameters, cnpj: '1'.repeat(1_000_000) },
	});
	expect(run.error?.message).toMatch(
		/^Item 0, field "CNPJ": "1{200}…" \(1000000 characters\) is not a CNPJ/,
	);
	expect(run.error!.message.length).toBeLessThan(400);
	expect(api.seen).toEqual([]);
});

it('an API error echoing a huge input is shortened too', async () => {
	api.handle = (request, response) => {
		if (request.path === '/oauth2/token') return tokenAnswer(response, MINTED);
		sendJson(response, 422, { message: `bad value "${'x'.repeat(500_000)}"` });
	};
	const run = await kapitale().runNode(lookup);
	expect(run.error?.message).toMatch(/^bad value "x{200}…" \(500000 characters\)$/);
});
