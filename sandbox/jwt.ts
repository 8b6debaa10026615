/** Minimal HS256 JWT (sign / verify) for the sandbox token endpoint. */
import { createHmac, timingSafeEqual } from 'crypto';

function b64url(buf: Buffer | string): string {
	return Buffer.from(buf).toString('base64url');
}

export function signJwt(payload: Record<string, unknown>, secret: Buffer): string {
	const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
	const body = b64url(JSON.stringify(payload));
	const sig = createHmac('sha256', secret).update(`${header}.${body}`).digest('base64url');
	return `${header}.${body}.${sig}`;
}

/** Returns the payload when the signature is valid (expiry is NOT checked here), else undefined. */
export function verifyJwt(token: string, secret: Buffer): Record<string, any> | undefined {
	const parts = token.split('.');
	if (parts.length !== 3) return undefined;
	const [h, b, s] = parts;
	const expected = createHmac('sha256', secret).update(`${h}.${b}`).digest();
	let given: Buffer;
	try {
		given = Buffer.from(s, 'base64url');
	} catch {
		return undefined;
	}
	if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
	try {
		const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8'));
		if (header.alg !== 'HS256') return undefined;
		return JSON.parse(Buffer.from(b, 'base64url').toString('utf8'));
	} catch {
		return undefined;
	}
}
