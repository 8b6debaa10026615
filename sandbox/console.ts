/**
 * The console page (sandbox/console/: plain HTML, CSS and JavaScript, nothing from a CDN) and the
 * loopback guard shared by the page and the control API. The control API has no authentication,
 * so it answers only a client on this machine that names this machine: a page of another site
 * open in the same browser (a cross-site form post, a DNS-rebound host name) is refused.
 */
import * as fs from 'fs';
import type * as http from 'http';
import * as path from 'path';

const CONSOLE_DIR = path.join(__dirname, 'console');

export const CONSOLE_FILES: Record<string, { file: string; type: string }> = {
	'/': { file: 'index.html', type: 'text/html; charset=utf-8' },
	'/console': { file: 'index.html', type: 'text/html; charset=utf-8' },
	'/console/': { file: 'index.html', type: 'text/html; charset=utf-8' },
	'/console/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
	'/console/style.css': { file: 'style.css', type: 'text/css; charset=utf-8' },
};

/** The file's bytes, read on each request (three small files): an edited page shows on reload. */
export function consoleFile(file: string): Buffer {
	return fs.readFileSync(path.join(CONSOLE_DIR, file));
}

/** The page never loads anything from elsewhere, and no other site may frame it. */
export const CONSOLE_HEADERS: Record<string, string> = {
	'Content-Security-Policy':
		"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
	'X-Content-Type-Options': 'nosniff',
	'Referrer-Policy': 'no-referrer',
	'Cache-Control': 'no-store',
};

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

function isLoopbackAddress(addr: string | undefined): boolean {
	if (!addr) return false;
	return addr === '::1' || addr.startsWith('127.') || addr.startsWith('::ffff:127.');
}

function hostName(hostHeader: string): string {
	if (hostHeader.startsWith('[')) return hostHeader.slice(0, hostHeader.indexOf(']') + 1);
	return hostHeader.split(':')[0];
}

/**
 * Why a console or control request is refused, or undefined when it may proceed: the client must
 * be on this machine, the Host header must name a loopback host, and a browser's Origin (sent with
 * every cross-site request) must be this same loopback host.
 */
export function loopbackRefusal(req: http.IncomingMessage): string | undefined {
	if (!isLoopbackAddress(req.socket.remoteAddress))
		return 'the console and the control API answer only on this machine (loopback)';
	const host = String(req.headers.host ?? '').toLowerCase();
	if (!LOOPBACK_NAMES.has(hostName(host)))
		return `the console and the control API answer only at 127.0.0.1 or localhost, not ${host || 'an empty Host'}`;
	const origin = req.headers.origin;
	if (origin !== undefined && origin !== 'null') {
		let o: URL;
		try {
			o = new URL(origin);
		} catch {
			return 'bad Origin header';
		}
		if (o.host.toLowerCase() !== host) return `requests from ${origin} are refused`;
	} else if (origin === 'null') return 'requests from an opaque origin are refused';
	return undefined;
}
