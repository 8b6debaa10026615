/**
 * Embedded sandbox: a stateful local HTTP simulator of the Kapitale orders API (OAuth2 + JWT) and
 * the partner lending API. See sandbox/README.md.
 */
import * as fs from 'fs';
import * as http from 'http';
import * as https from 'https';
import * as path from 'path';
import type { AddressInfo } from 'net';
import { performance } from 'perf_hooks';
import { randomBytes } from 'crypto';
import { CONSOLE_FILES, CONSOLE_HEADERS, consoleFile, loopbackRefusal } from './console';
import { FaultDecision, FaultEngine, FaultRule, validateFaults } from './faults';
import { handleKapitale, handleToken, KapitaleContext, orderToApi } from './kapitale';
import {
	customerActions,
	LIFECYCLE_OPERATION_STEP,
	LIFECYCLE_ORDER_STEP,
	LifecycleMove,
	LifecycleSettings,
	MAX_LIFECYCLE_MOVES_KEPT,
	mergeLifecycle,
	operationActions,
	operationSlug,
	ORDER_ACTIONS,
	orderActions,
	OPERATION_TRANSITIONS,
} from './lifecycle';
import { customerToApi, handlePartner, operationListItem, PartnerContext } from './partner';
import {
	bulkOperations,
	bulkOrders,
	Customer,
	Operation,
	Order,
	ORDER_STATUSES,
	OPERATION_STATUSES,
	OrderStatus,
	paymentStatusFor,
	SandboxFixtures,
	SandboxState,
	seedState,
} from './state';
import { SbRequest, SbResponse, Service } from './types';
import { makeCnpj, mulberry32 } from './util';
import { validateSubscription, WebhookDispatcher } from './webhooks';

export type { FaultRule } from './faults';
export { expectedFaultCount, faultRng } from './faults';
export type { SandboxFixtures } from './state';
export { ORDER_STATUSES, CANCELLABLE_STATUSES, OPERATION_STATUSES, DOCUMENT_TYPES } from './state';
export { isValidCnpj, isValidCpf, makeCnpj, makeCpf } from './util';

export interface SandboxOptions {
	port?: number;
	host?: string;
	tokenTtlSeconds?: number;
	dataFile?: string;
	seed?: number;
	latencyMs?: number;
	tls?: { key: string | Buffer; cert: string | Buffer };
	credentials?: Partial<SandboxCredentials>;
	webhookRetryDelaysMs?: number[];
	quiet?: boolean;
	/** The automatic lifecycle (off unless enabled; interval 60 s unless given). */
	lifecycle?: Partial<LifecycleSettings>;
}

export interface SandboxCredentials {
	clientId: string;
	clientSecret: string;
	bearerToken: string;
	partnerHashId: string;
	userHashId: string;
	industryCnpj: string;
}

export interface RequestLogEntry {
	seq: number;
	service: Service;
	method: string;
	path: string;
	query: Record<string, string>;
	status: number;
	startedAt: number;
	finishedAt: number;
	fault?: string;
	processed: boolean;
}

export interface SandboxCounts {
	orders: number;
	customers: number;
	operations: number;
	tokensIssued: number;
}

export interface RunningSandbox {
	baseUrl: string;
	tokenUrl: string;
	kapitaleBaseUrl: string;
	partnerBaseUrl: string;
	controlUrl: string;
	credentials: SandboxCredentials;
	fixtures: SandboxFixtures;
	requestLog(): RequestLogEntry[];
	clearLog(): void;
	reset(): void;
	setFaults(faults: FaultRule[]): void;
	counts(): SandboxCounts;
	seedOrders(n: number, opts?: { status?: string }): void;
	seedOperations(n: number): void;
	/** One automatic lifecycle step now (what the timer does every interval). */
	lifecycleStep(): LifecycleMove[];
	setLifecycle(settings: Partial<LifecycleSettings>): void;
	close(): Promise<void>;
}

export const DEFAULT_CREDENTIALS: SandboxCredentials = {
	clientId: 'sandbox-client-id',
	clientSecret: 'sandbox-client-secret',
	bearerToken: 'sandbox-partner-token',
	partnerHashId: 'sbxpartner',
	userHashId: 'sbxuser001',
	industryCnpj: makeCnpj('123456780001'),
};

export const DEFAULT_WEBHOOK_RETRY_DELAYS_MS = [1000, 5000, 30000];
const MAX_BODY_BYTES = 25 * 1024 * 1024;
/** Control bodies are small JSON objects; anything larger is a mistake, refused before parsing. */
export const MAX_CONTROL_BODY_BYTES = 64 * 1024;
/** How many entries GET /log returns at most when `limit` is given (the console's table). */
const MAX_LOG_PAGE = 1000;
const MAX_LOG_ENTRIES = 200_000;
const SAVE_DEBOUNCE_MS = 100;

/** Fixtures of a default sandbox (seed 1, default credentials). */
export const SANDBOX_FIXTURES: SandboxFixtures = seedState(1, DEFAULT_CREDENTIALS).fixtures;

/** The fixtures a sandbox started with this seed and these credentials will have. */
export function fixturesFor(
	seed = 1,
	credentials: Partial<SandboxCredentials> = {},
): SandboxFixtures {
	return seedState(seed, { ...DEFAULT_CREDENTIALS, ...credentials }).fixtures;
}

function now(): number {
	return performance.timeOrigin + performance.now();
}

function sleep(ms: number): Promise<void> {
	return new Promise((r) => setTimeout(r, ms));
}

class HttpError extends Error {
	constructor(
		public status: number,
		message: string,
	) {
		super(message);
	}
}

function readBody(
	req: http.IncomingMessage,
	maxBytes = MAX_BODY_BYTES,
	drain = false,
): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		let over = false;
		req.on('data', (c: Buffer) => {
			if (over) return;
			size += c.length;
			if (size > maxBytes) {
				over = true;
				chunks.length = 0;
				reject(new HttpError(413, `Request body too large (at most ${maxBytes} bytes)`));
				// The control API answers with a JSON 413: it reads the rest away instead of cutting the
				// connection, so the client sees the answer rather than a reset.
				if (!drain) req.destroy();
				return;
			}
			chunks.push(c);
		});
		req.on('end', () => resolve(Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

const HTML_502 = `<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;

class Sandbox {
	state!: SandboxState;
	readonly creds: SandboxCredentials;
	readonly faults: FaultEngine;
	readonly seed: number;
	private log: RequestLogEntry[] = [];
	private seq = 0;
	private jwtSecret = randomBytes(32);
	private dirty = false;
	private saveTimer?: NodeJS.Timeout;
	private lastSaveMs = 0;
	private ordersVer = 0;
	private partnerRng;
	readonly webhooks: WebhookDispatcher;
	server!: http.Server;
	baseUrl = '';
	closed = false;
	lifecycle: LifecycleSettings;
	private lifecycleTimer?: NodeJS.Timeout;
	private lifecycleNext?: number;
	private lifecycleMoves: LifecycleMove[] = [];

	constructor(private opts: SandboxOptions) {
		this.seed = opts.seed ?? 1;
		this.creds = { ...DEFAULT_CREDENTIALS, ...(opts.credentials ?? {}) };
		this.faults = new FaultEngine(this.seed);
		this.partnerRng = mulberry32(((this.seed * 2654435761) ^ Date.now()) >>> 0);
		this.webhooks = new WebhookDispatcher(
			() => this.state,
			opts.webhookRetryDelaysMs ?? DEFAULT_WEBHOOK_RETRY_DELAYS_MS,
			() => this.changed(),
			(m) => this.warn(m),
		);
		this.load();
		this.lifecycle = { enabled: false, intervalSeconds: 60, ...(opts.lifecycle ?? {}) };
	}

	warn(msg: string): void {
		if (!this.opts.quiet) console.warn(`[sandbox] ${msg}`);
	}

	// ------------------------------------------------------------ state & persistence
	private load(): void {
		const file = this.opts.dataFile;
		if (file && fs.existsSync(file)) {
			try {
				const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as SandboxState;
				if (parsed.version !== 1)
					throw new Error(`unsupported state version ${String(parsed.version)}`);
				if (
					parsed.industries?.[0]?.cnpj !== this.creds.industryCnpj ||
					parsed.fixtures?.industryCnpj !== this.creds.industryCnpj
				) {
					throw new Error('state file belongs to other credentials');
				}
				parsed.industries[0].clientId = this.creds.clientId;
				parsed.industries[0].clientSecret = this.creds.clientSecret;
				this.state = parsed;
				return;
			} catch (e) {
				this.warn(`could not use ${file} (${(e as Error).message}); starting from the seed`);
			}
		}
		this.state = seedState(this.seed, this.creds);
		if (file) this.saveNow();
	}

	changed(kind: 'orders' | 'other' = 'other'): void {
		if (kind === 'orders') this.ordersVer++;
		if (!this.opts.dataFile) return;
		this.dirty = true;
		if (!this.saveTimer) {
			this.saveTimer = setTimeout(
				() => {
					this.saveTimer = undefined;
					this.saveNow();
				},
				Math.max(SAVE_DEBOUNCE_MS, this.lastSaveMs * 10),
			);
		}
	}

	/** Atomic write: temporary file in the same folder, then rename. */
	saveNow(): void {
		const file = this.opts.dataFile;
		if (!file) return;
		if (this.saveTimer) {
			clearTimeout(this.saveTimer);
			this.saveTimer = undefined;
		}
		const dir = path.dirname(path.resolve(file));
		fs.mkdirSync(dir, { recursive: true });
		const started = Date.now();
		const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
		fs.writeFileSync(tmp, JSON.stringify(this.state));
		fs.renameSync(tmp, file);
		this.dirty = false;
		// big states (bench) are written less often so that saving never dominates the event loop
		this.lastSaveMs = Date.now() - started;
	}

	flush(): void {
		if (this.dirty || this.saveTimer) this.saveNow();
	}

	/**
	 * Back to the seed; faults and the request log cleared. Webhook subscriptions are kept unless
	 * asked otherwise: they point at the user's n8n, which a reset of the data does not move.
	 */
	reset(keepWebhooks = true): void {
		this.webhooks.clearTimers();
		const subscriptions = keepWebhooks ? this.state.webhooks : [];
		const bulk = this.state.counters.bulk;
		this.state = seedState(this.seed, this.creds);
		this.state.webhooks = subscriptions;
		// Records added after a reset get ids never used before it: a receiver that remembers the
		// events it saw (the Kapitale Trigger's de-duplication) sees them as new.
		this.state.counters.bulk = bulk;
		this.lifecycleMoves = [];
		this.faults.set([]);
		this.log = [];
		this.ordersVer++;
		if (this.opts.dataFile) this.saveNow();
	}

	counts(): SandboxCounts {
		const industry = this.state.industries[0].cnpj;
		return {
			orders: this.state.orders.filter((o) => o.industry_cnpj === industry).length,
			customers: this.state.customers.length,
			operations: this.state.operations.length,
			tokensIssued: this.state.tokensIssued,
		};
	}

	seedOrders(n: number, status?: string): void {
		if (!Number.isInteger(n) || n < 0 || n > 1_000_000)
			throw new HttpError(400, 'count must be an integer between 0 and 1000000');
		if (status !== undefined && !(ORDER_STATUSES as readonly string[]).includes(status))
			throw new HttpError(400, `status must be one of ${ORDER_STATUSES.join(', ')}`);
		bulkOrders(this.state, this.state.industries[0], n, (status ?? 'pending') as OrderStatus);
		this.changed('orders');
	}

	seedOperations(n: number): void {
		if (!Number.isInteger(n) || n < 0 || n > 1_000_000)
			throw new HttpError(400, 'count must be an integer between 0 and 1000000');
		bulkOperations(this.state, this.creds.partnerHashId, n);
		this.changed();
	}

	requestLog(): RequestLogEntry[] {
		return this.log.map((e) => ({ ...e, query: { ...e.query } }));
	}

	clearLog(): void {
		this.log = [];
	}

	// ------------------------------------------------------------ contexts
	kapitaleCtx(): KapitaleContext {
		return {
			state: this.state,
			jwtSecret: this.jwtSecret,
			tokenTtlSeconds: this.opts.tokenTtlSeconds ?? 3600,
			tokenExpiredByFault: (claims, req) =>
				this.faults.tokenExpired(
					'kapitale',
					req.method,
					req.path,
					String(claims.jti),
					Number(claims.iat),
				),
			emitOrderEvent: (order, ev) => this.webhooks.emit(order, ev),
			changed: (k) => this.changed(k),
			ordersVersion: () => this.ordersVer,
		};
	}

	partnerCtx(): PartnerContext {
		return {
			state: this.state,
			creds: this.creds,
			rng: this.partnerRng,
			changed: () => this.changed(),
		};
	}

	info(): Record<string, unknown> {
		return {
			baseUrl: this.baseUrl,
			tokenUrl: `${this.baseUrl}/oauth2/token`,
			kapitaleBaseUrl: `${this.baseUrl}/kapitale`,
			partnerBaseUrl: `${this.baseUrl}/partner`,
			controlUrl: `${this.baseUrl}/__sandbox`,
			credentials: { ...this.creds },
			scopes: [
				'partner-can/cnpj.read',
				'partner-can/orders.create',
				'partner-can/orders.read',
				'partner-can/orders.sentnf',
				'partner-can/receivable.read',
			],
			fixtures: this.state.fixtures,
		};
	}

	// ------------------------------------------------------------ HTTP
	async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', 'http://sandbox.local');
		const method = (req.method ?? 'GET').toUpperCase();
		const query: Record<string, string> = {};
		for (const [k, v] of url.searchParams) query[k] = v;
		let pathname = url.pathname;
		try {
			pathname = decodeURI(url.pathname);
		} catch {
			/* keep raw */
		}

		const isControl = url.pathname === '/__sandbox' || url.pathname.startsWith('/__sandbox/');
		const page = CONSOLE_FILES[url.pathname];
		const wantsPage =
			page &&
			(method === 'GET' || method === 'HEAD') &&
			(url.pathname !== '/' || /text\/html/.test(String(req.headers.accept ?? '')));
		if (isControl || wantsPage) {
			const refusal = loopbackRefusal(req);
			if (refusal) {
				req.resume();
				return this.send(res, { status: 403, body: { message: refusal } });
			}
		}
		if (wantsPage) {
			req.resume();
			return this.send(res, {
				status: 200,
				headers: { 'Content-Type': page.type, ...CONSOLE_HEADERS },
				body: method === 'HEAD' ? undefined : consoleFile(page.file),
			});
		}
		if (isControl) {
			let body: Buffer;
			try {
				body = await readBody(req, MAX_CONTROL_BODY_BYTES, true);
			} catch (e) {
				return this.send(res, {
					status: e instanceof HttpError ? e.status : 400,
					headers: { Connection: 'close' },
					body: { message: (e as Error).message },
				});
			}
			let out: SbResponse;
			try {
				out = this.control(method, url.pathname.slice('/__sandbox'.length) || '/', query, body);
			} catch (e) {
				out = {
					status: e instanceof HttpError ? e.status : 500,
					body: { message: (e as Error).message },
				};
			}
			return this.send(res, out);
		}

		let service: Service | undefined;
		let rel = pathname;
		if (url.pathname === '/oauth2/token') service = 'token';
		else if (url.pathname.startsWith('/kapitale/') || url.pathname === '/kapitale') {
			service = 'kapitale';
			rel = url.pathname.slice('/kapitale'.length) || '/';
		} else if (url.pathname.startsWith('/partner/') || url.pathname === '/partner') {
			service = 'partner';
			rel = url.pathname.slice('/partner'.length) || '/';
		}
		if (!service) {
			if (url.pathname === '/' && method === 'GET')
				return this.send(res, {
					status: 200,
					body: { name: 'kapitale-sandbox', ...this.info(), fixtures: undefined },
				});
			return this.send(res, { status: 404, body: { message: `Cannot ${method} ${url.pathname}` } });
		}

		const entry: RequestLogEntry = {
			seq: ++this.seq,
			service,
			method,
			path: url.pathname,
			query,
			status: 0,
			startedAt: now(),
			finishedAt: 0,
			processed: false,
		};
		this.log.push(entry);
		if (this.log.length > MAX_LOG_ENTRIES) this.log.splice(0, this.log.length - MAX_LOG_ENTRIES);

		let body: Buffer;
		try {
			body = await readBody(req);
		} catch (e) {
			entry.status = e instanceof HttpError ? e.status : 400;
			entry.finishedAt = now();
			return this.send(res, { status: entry.status, body: { message: (e as Error).message } });
		}
		const requestKey = `${method} ${req.url} ${body.length}:${body.subarray(0, 512).toString('base64')}`;
		const decision: FaultDecision = this.faults.decide(
			service,
			method,
			service === 'token' ? '/oauth2/token' : rel,
			requestKey,
		);
		const delay = (this.opts.latencyMs ?? 0) + decision.latencyMs;
		if (delay > 0) await sleep(delay);
		if (res.destroyed) return;

		const finish = (status: number, fault?: string) => {
			entry.status = status;
			entry.finishedAt = now();
			if (fault) entry.fault = fault;
		};

		if (decision.before) {
			const b = decision.before;
			if (b.kind === 'reset') {
				finish(0, 'reset-before');
				req.socket.destroy();
				return;
			}
			if (b.kind === 'html') {
				finish(502, 'html-502');
				return this.send(res, {
					status: 502,
					headers: { 'Content-Type': 'text/html' },
					body: HTML_502,
				});
			}
			if (b.kind === 'rateLimit') {
				finish(429, 'rate-limit');
				return this.send(res, {
					status: 429,
					headers: { 'Retry-After': String(b.retryAfter) },
					body:
						service === 'partner'
							? { success: false, message: 'Too Many Attempts.', data: [] }
							: { message: 'Too Many Requests' },
				});
			}
			finish(503, 'error-503');
			return this.send(res, {
				status: 503,
				body:
					service === 'partner'
						? { success: false, message: 'Service Unavailable', data: [] }
						: { message: 'Service Unavailable' },
			});
		}

		const sreq: SbRequest = {
			method,
			path: service === 'token' ? '/oauth2/token' : rel,
			query,
			headers: req.headers,
			body,
		};
		let out: SbResponse;
		try {
			if (service === 'token') out = handleToken(this.kapitaleCtx(), sreq);
			else if (service === 'kapitale') out = handleKapitale(this.kapitaleCtx(), sreq);
			else out = handlePartner(this.partnerCtx(), sreq);
		} catch (e) {
			this.warn(`handler error: ${(e as Error).stack}`);
			out = { status: 500, body: { message: 'Internal Server Error' } };
		}
		entry.processed = true;

		if (decision.after) {
			const a = decision.after;
			if (a.kind === 'error') {
				finish(a.status, `error-${a.status}`);
				return this.send(
					res,
					{
						status: a.status,
						body:
							service === 'partner'
								? { success: false, message: 'Server Error', data: [] }
								: { message: 'Internal Server Error' },
					},
					decision.slowBodyMs,
				);
			}
			if (a.kind === 'reset') {
				finish(0, 'reset-after');
				req.socket.destroy();
				return;
			}
			finish(out.status, 'truncate');
			const buf = this.serialize(out);
			res.writeHead(out.status, { ...buf.headers, 'Content-Length': String(buf.data.length) });
			res.write(buf.data.subarray(0, Math.max(1, Math.floor(buf.data.length / 2))), () => {
				setTimeout(() => res.destroy(), 5);
			});
			return;
		}
		finish(
			out.status,
			decision.slowBodyMs ? 'slow-body' : decision.latencyMs ? 'latency' : undefined,
		);
		return this.send(res, out, decision.slowBodyMs);
	}

	private serialize(out: SbResponse): { headers: Record<string, string>; data: Buffer } {
		let data: Buffer;
		const headers: Record<string, string> = { ...(out.headers ?? {}) };
		if (Buffer.isBuffer(out.body)) data = out.body;
		else if (typeof out.body === 'string') {
			data = Buffer.from(out.body);
			headers['Content-Type'] ??= 'text/plain; charset=utf-8';
		} else if (out.body === undefined) data = Buffer.alloc(0);
		else {
			data = Buffer.from(JSON.stringify(out.body));
			headers['Content-Type'] ??= 'application/json; charset=utf-8';
		}
		return { headers, data };
	}

	private send(res: http.ServerResponse, out: SbResponse, slowBodyMs = 0): void {
		if (res.destroyed || res.headersSent) return;
		const { headers, data } = this.serialize(out);
		res.writeHead(out.status, { ...headers, 'Content-Length': String(data.length) });
		if (!slowBodyMs || data.length < 2) {
			res.end(data);
			return;
		}
		const chunks = Math.min(10, data.length);
		const size = Math.ceil(data.length / chunks);
		let i = 0;
		const step = () => {
			if (res.destroyed) return;
			const part = data.subarray(i * size, (i + 1) * size);
			i++;
			if (i >= chunks || i * size >= data.length) {
				res.end(part);
				return;
			}
			res.write(part);
			setTimeout(step, slowBodyMs / chunks);
		};
		step();
	}

	// ------------------------------------------------------------ control API
	control(method: string, p: string, query: Record<string, string>, raw: Buffer): SbResponse {
		let body: any;
		if (raw.length && raw.toString('utf8').trim()) {
			try {
				body = JSON.parse(raw.toString('utf8'));
			} catch (e) {
				throw new HttpError(400, `the body is not valid JSON (${(e as Error).message})`);
			}
		}
		const route = `${method} ${p.replace(/\/+$/, '') || '/'}`;
		let m: RegExpExecArray | null;
		switch (route) {
			case 'GET /':
			case 'GET /info':
				return { status: 200, body: this.info() };
			case 'GET /health':
				return { status: 200, body: { ok: true } };
			case 'GET /log': {
				let log = this.requestLog();
				if (query.service) log = log.filter((e) => e.service === query.service);
				if (query.since) log = log.filter((e) => e.seq > Number(query.since));
				if (query.limit !== undefined) {
					const n = Number(query.limit);
					if (!Number.isInteger(n) || n < 1 || n > MAX_LOG_PAGE)
						throw new HttpError(400, `limit must be an integer between 1 and ${MAX_LOG_PAGE}`);
					log = log.slice(-n);
				}
				return { status: 200, body: log.map((e) => ({ ...e, query: maskQuery(e.query) })) };
			}
			case 'DELETE /log':
				this.clearLog();
				return { status: 204 };
			case 'POST /reset':
				if (
					body !== undefined &&
					(typeof body !== 'object' || body === null || Array.isArray(body))
				)
					throw new HttpError(
						400,
						'body must be empty or a JSON object like {"keepWebhooks": false}',
					);
				if (body?.keepWebhooks !== undefined && typeof body.keepWebhooks !== 'boolean')
					throw new HttpError(400, 'keepWebhooks must be true or false');
				this.reset(body?.keepWebhooks ?? true);
				return { status: 200, body: { ok: true, counts: this.counts() } };
			case 'GET /orders':
				return { status: 200, body: this.listOrders(query) };
			case 'GET /customers':
				return { status: 200, body: this.listCustomers(query) };
			case 'GET /operations':
				return { status: 200, body: this.listOperations(query) };
			case 'GET /lifecycle':
				return { status: 200, body: this.lifecycleInfo() };
			case 'PUT /lifecycle':
			case 'POST /lifecycle': {
				const next = mergeLifecycle(this.lifecycle, body);
				if (typeof next === 'string') throw new HttpError(400, next);
				this.setLifecycle(next);
				return { status: 200, body: this.lifecycleInfo() };
			}
			case 'POST /lifecycle/step':
				return { status: 200, body: { moves: this.lifecycleStep() } };
			case 'GET /transitions':
				return {
					status: 200,
					body: {
						orders: Object.fromEntries(
							Object.entries(ORDER_ACTIONS).map(([k, a]) => [
								k,
								{ from: a.from, to: a.to, event: a.event ?? null, label: a.label },
							]),
						),
						operations: OPERATION_TRANSITIONS,
						operationStatuses: OPERATION_STATUSES,
						customers: { 'accept-terms': { from: false, to: true } },
					},
				};
			case 'GET /faults':
				return { status: 200, body: this.faults.get() };
			case 'PUT /faults':
			case 'POST /faults': {
				const rules = Array.isArray(body) ? body : (body?.rules ?? body?.faults);
				try {
					this.faults.set(validateFaults(rules));
				} catch (e) {
					throw new HttpError(400, (e as Error).message);
				}
				return { status: 200, body: this.faults.get() };
			}
			case 'DELETE /faults':
				this.faults.set([]);
				return { status: 200, body: [] };
			case 'GET /counts':
				return { status: 200, body: this.counts() };
			case 'POST /seed/orders':
				if (body?.count === undefined) throw new HttpError(400, 'count is required');
				this.seedOrders(Number(body?.count), body?.status);
				return { status: 200, body: this.counts() };
			case 'POST /seed/operations':
				if (body?.count === undefined) throw new HttpError(400, 'count is required');
				this.seedOperations(Number(body?.count));
				return { status: 200, body: this.counts() };
			case 'GET /webhooks':
				// The secret is shown masked: the console lists it, and a screen is not a vault.
				return {
					status: 200,
					body: this.state.webhooks.map((w) =>
						w.authToken === undefined ? w : { ...w, authToken: maskSecret(w.authToken) },
					),
				};
			case 'POST /webhooks': {
				const sub = validateSubscription(body);
				if (typeof sub === 'string') throw new HttpError(400, sub);
				this.state.webhooks.push(sub);
				this.changed();
				return { status: 201, body: sub };
			}
			case 'GET /webhooks/deliveries': {
				let list = this.state.deliveries;
				if (query.subscriptionId)
					list = list.filter((d) => d.subscriptionId === query.subscriptionId);
				if (query.orderId) list = list.filter((d) => d.orderId === query.orderId);
				if (query.limit !== undefined) {
					const n = Number(query.limit);
					if (!Number.isInteger(n) || n < 1 || n > MAX_LOG_PAGE)
						throw new HttpError(400, `limit must be an integer between 1 and ${MAX_LOG_PAGE}`);
					list = list.slice(-n);
				}
				return { status: 200, body: list };
			}
		}
		if ((m = /^DELETE \/webhooks\/([^/]+)$/.exec(route))) {
			const i = this.state.webhooks.findIndex((w) => w.id === m![1]);
			if (i < 0) throw new HttpError(404, `subscription ${m[1]} not found`);
			this.state.webhooks.splice(i, 1);
			this.changed();
			return { status: 204 };
		}
		if ((m = /^GET \/orders\/([^/]+)$/.exec(route))) {
			const o = this.findOrder(m[1]);
			return {
				status: 200,
				body: { ...orderToApi(o), industry_cnpj: o.industry_cnpj, actions: orderActions(o) },
			};
		}
		if ((m = /^POST \/orders\/([^/]+)\/([^/]+)$/.exec(route))) {
			const o = this.orderAction(m[1], m[2], body);
			return { status: 200, body: { ...orderToApi(o), actions: orderActions(o) } };
		}
		if ((m = /^GET \/operations\/([^/]+)$/.exec(route))) {
			const op = this.findOperation(m[1]);
			return {
				status: 200,
				body: {
					...operationListItem(this.partnerCtx(), op),
					documents: op.documents,
					actions: operationActions(op),
				},
			};
		}
		if ((m = /^POST \/operations\/([^/]+)\/status$/.exec(route))) {
			const op = this.operationStatus(m[1], body);
			const st = OPERATION_STATUSES.find((s) => s.id === op.status_id)!;
			return {
				status: 200,
				body: {
					id: op.id,
					status_id: st.id,
					status_slug: st.slug,
					status_name: st.name,
					actions: operationActions(op),
				},
			};
		}
		if ((m = /^GET \/customers\/([^/]+)$/.exec(route))) {
			const c = this.findCustomer(m[1]);
			return {
				status: 200,
				body: { ...customerToApi(c), term_accept: c.term_accept, actions: customerActions(c) },
			};
		}
		if ((m = /^POST \/customers\/([^/]+)\/accept-terms$/.exec(route))) {
			const c = this.acceptTerms(m[1]);
			return {
				status: 200,
				body: { ...customerToApi(c), term_accept: c.term_accept, actions: customerActions(c) },
			};
		}
		if ((m = /^POST \/webhooks\/deliveries\/([^/]+)\/resend$/.exec(route))) {
			const d = this.state.deliveries.find((x) => x.id === m![1]);
			if (!d) throw new HttpError(404, `delivery ${m[1]} not found`);
			const sub = this.state.webhooks.find((w) => w.id === d.subscriptionId);
			if (!sub)
				throw new HttpError(
					409,
					`the subscription of delivery ${d.id} was removed; add it again to resend`,
				);
			return { status: 202, body: this.webhooks.resend(sub, d) };
		}
		throw new HttpError(404, `unknown control route ${route}`);
	}

	// ------------------------------------------------------------ moves (buttons and lifecycle)
	private findOrder(id: string): Order {
		const o = this.state.orders.find((x) => x.id === id);
		if (!o) throw new HttpError(404, `order ${id} not found`);
		return o;
	}

	private findOperation(id: string): Operation {
		const op = this.state.operations.find((x) => x.id === id);
		if (!op) throw new HttpError(404, `operation ${id} not found`);
		return op;
	}

	private findCustomer(id: string): Customer {
		const c = this.state.customers.find((x) => x.id === id);
		if (!c) throw new HttpError(404, `customer ${id} not found`);
		return c;
	}

	/** An order action; the same effects (status, reason, webhook event) as the real back office. */
	orderAction(id: string, action: string, body: any): Order {
		const a = ORDER_ACTIONS[action];
		if (!a)
			throw new HttpError(
				404,
				`unknown order action ${action} (one of ${Object.keys(ORDER_ACTIONS).join(', ')})`,
			);
		const o = this.findOrder(id);
		const reason = body?.reason;
		if (reason !== undefined && (typeof reason !== 'string' || reason.length > 500))
			throw new HttpError(400, 'reason must be a string of at most 500 characters');
		if (!a.from.includes(o.order_status))
			throw new HttpError(
				409,
				`cannot ${action} order ${o.order_no}: it is ${o.order_status} (allowed from: ${a.from.join(', ')})`,
			);
		o.order_status = a.to;
		o.payment_status = paymentStatusFor(a.to);
		o.updated_at = new Date().toISOString();
		if (action === 'reject')
			o.reject_reason = reason?.trim() || 'Reprovado pela análise de crédito';
		if (action === 'cancel') o.cancel_reason = reason?.trim() || 'Cancelado no sandbox';
		this.changed();
		if (a.event) this.webhooks.emit(o, a.event);
		return o;
	}

	/** Moves an operation to `slug` (or `status_id`) when the state machine allows it (or `force`). */
	operationStatus(id: string, body: any): Operation {
		if (body !== undefined && (typeof body !== 'object' || body === null || Array.isArray(body)))
			throw new HttpError(400, 'body must be a JSON object like {"slug": "autorizado"}');
		const op = this.findOperation(id);
		const st = OPERATION_STATUSES.find(
			(s) => s.slug === body?.slug || s.id === Number(body?.status_id ?? body?.statusId),
		);
		if (!st)
			throw new HttpError(
				400,
				`slug must be one of ${OPERATION_STATUSES.map((s) => s.slug).join(', ')}`,
			);
		if (body?.message !== undefined && typeof body.message !== 'string')
			throw new HttpError(400, 'message must be a string');
		const from = operationSlug(op);
		if (body?.force !== true && !operationActions(op).includes(st.slug))
			throw new HttpError(
				409,
				from === st.slug
					? `operation ${op.id} is already ${from}`
					: `cannot move operation ${op.id} from ${from} to ${st.slug} (allowed: ${operationActions(op).join(', ') || 'none, it is final'}; send "force": true to set any status)`,
			);
		op.status_id = st.id;
		op.updated_at = Math.floor(Date.now() / 1000);
		if (st.slug === 'cancelado')
			op.canceled_message = body?.message ?? op.canceled_message ?? 'Cancelado pelo sandbox';
		this.changed();
		return op;
	}

	acceptTerms(id: string): Customer {
		const c = this.findCustomer(id);
		if (c.term_accept) throw new HttpError(409, `customer ${c.name} already accepted the terms`);
		c.term_accept = true;
		c.updated_at = Math.floor(Date.now() / 1000);
		this.changed();
		return c;
	}

	// ------------------------------------------------------------ automatic lifecycle
	lifecycleInfo(): Record<string, unknown> {
		return {
			...this.lifecycle,
			nextStepAt: this.lifecycleNext ? new Date(this.lifecycleNext).toISOString() : null,
			moves: [...this.lifecycleMoves].reverse(),
		};
	}

	setLifecycle(settings: LifecycleSettings): void {
		this.lifecycle = { ...settings };
		this.scheduleLifecycle();
	}

	private scheduleLifecycle(): void {
		if (this.lifecycleTimer) clearTimeout(this.lifecycleTimer);
		this.lifecycleTimer = undefined;
		this.lifecycleNext = undefined;
		if (!this.lifecycle.enabled || this.closed) return;
		const ms = this.lifecycle.intervalSeconds * 1000;
		this.lifecycleNext = Date.now() + ms;
		this.lifecycleTimer = setTimeout(() => {
			try {
				this.lifecycleStep();
			} catch (e) {
				this.warn(`lifecycle step failed: ${(e as Error).message}`);
			}
			this.scheduleLifecycle();
		}, ms);
		this.lifecycleTimer.unref();
	}

	/**
	 * One automatic step: the order, the operation and the customer that waited longest each move one
	 * step along the happy path, through the same code as the console's buttons.
	 */
	lifecycleStep(): LifecycleMove[] {
		const moves: LifecycleMove[] = [];
		const at = new Date().toISOString();
		const industry = this.state.industries[0].cnpj;
		const order = this.state.orders
			.filter((o) => o.industry_cnpj === industry && LIFECYCLE_ORDER_STEP[o.order_status])
			.sort((a, b) => a.updated_at.localeCompare(b.updated_at) || a.id.localeCompare(b.id))[0];
		if (order) {
			const from = order.order_status;
			const action = LIFECYCLE_ORDER_STEP[from]!;
			this.orderAction(order.id, action, undefined);
			moves.push({
				kind: 'order',
				id: order.id,
				label: order.order_no,
				from,
				to: order.order_status,
				at,
			});
		}
		const op = this.state.operations
			.filter((o) => LIFECYCLE_OPERATION_STEP[operationSlug(o)])
			.sort((a, b) => a.updated_at - b.updated_at || a.seq - b.seq)[0];
		if (op) {
			const from = operationSlug(op);
			this.operationStatus(op.id, { slug: LIFECYCLE_OPERATION_STEP[from] });
			const customer = this.state.customers.find((c) => c.id === op.customer_id);
			moves.push({
				kind: 'operation',
				id: op.id,
				label: `${op.id}${customer ? ` (${customer.name})` : ''}`,
				from,
				to: operationSlug(op),
				at,
			});
		}
		const customer = this.state.customers
			.filter((c) => !c.term_accept)
			.sort((a, b) => a.updated_at - b.updated_at || a.seq - b.seq)[0];
		if (customer) {
			this.acceptTerms(customer.id);
			moves.push({
				kind: 'customer',
				id: customer.id,
				label: customer.name,
				from: 'terms not accepted',
				to: 'terms accepted',
				at,
			});
		}
		this.lifecycleMoves.push(...moves);
		if (this.lifecycleMoves.length > MAX_LIFECYCLE_MOVES_KEPT)
			this.lifecycleMoves.splice(0, this.lifecycleMoves.length - MAX_LIFECYCLE_MOVES_KEPT);
		return moves;
	}

	// ------------------------------------------------------------ lists for the console
	listOrders(query: Record<string, string>): { total: number; items: unknown[] } {
		const { limit, offset } = pageParams(query);
		const industry = this.state.industries[0].cnpj;
		if (query.status && !(ORDER_STATUSES as readonly string[]).includes(query.status))
			throw new HttpError(400, `status must be one of ${ORDER_STATUSES.join(', ')}`);
		const needle = normalize(query.search ?? '');
		const list = this.state.orders
			.filter((o) => o.industry_cnpj === industry)
			.filter((o) => !query.status || o.order_status === query.status)
			.filter(
				(o) =>
					!needle ||
					normalize(
						`${o.order_no} ${o.id} ${o.retail.name} ${o.retail.cnpj} ${o.order_status} ${o.payment_status}`,
					).includes(needle),
			)
			.sort((a, b) => b.created_at.localeCompare(a.created_at) || b.id.localeCompare(a.id));
		return {
			total: list.length,
			items: list.slice(offset, offset + limit).map((o) => ({
				id: o.id,
				order_no: o.order_no,
				retail: o.retail,
				requested_amount: o.requested_amount,
				order_status: o.order_status,
				payment_status: o.payment_status,
				created_at: o.created_at,
				updated_at: o.updated_at,
				actions: orderActions(o),
			})),
		};
	}

	listCustomers(query: Record<string, string>): { total: number; items: unknown[] } {
		const { limit, offset } = pageParams(query);
		const needle = normalize(query.search ?? '');
		const list = this.state.customers
			.filter(
				(c) =>
					!needle ||
					normalize(
						`${c.id} ${c.name} ${c.company_name} ${c.tax_id} ${c.email_contact} ${c.term_accept ? 'accepted' : 'not accepted'}`,
					).includes(needle),
			)
			.sort((a, b) => b.created_at - a.created_at || b.seq - a.seq);
		return {
			total: list.length,
			items: list.slice(offset, offset + limit).map((c) => ({
				id: c.id,
				name: c.name,
				company_name: c.company_name,
				person_type: c.person_type === 2 ? 'PJ' : 'PF',
				tax_id: c.tax_id,
				term_accept: c.term_accept,
				created_at: c.created_at,
				updated_at: c.updated_at,
				actions: customerActions(c),
			})),
		};
	}

	listOperations(query: Record<string, string>): { total: number; items: unknown[] } {
		const { limit, offset } = pageParams(query);
		if (query.status && !OPERATION_STATUSES.some((s) => s.slug === query.status))
			throw new HttpError(
				400,
				`status must be one of ${OPERATION_STATUSES.map((s) => s.slug).join(', ')}`,
			);
		const needle = normalize(query.search ?? '');
		const names = new Map(this.state.customers.map((c) => [c.id, c.name]));
		const list = this.state.operations
			.filter((o) => !query.status || operationSlug(o) === query.status)
			.filter(
				(o) =>
					!needle ||
					normalize(
						`${o.id} ${names.get(o.customer_id) ?? ''} ${o.description} ${operationSlug(o)} ${OPERATION_STATUSES.find((s) => s.id === o.status_id)?.name ?? ''}`,
					).includes(needle),
			)
			.sort((a, b) => b.created_at - a.created_at || b.seq - a.seq);
		return {
			total: list.length,
			items: list.slice(offset, offset + limit).map((o) => {
				const st = OPERATION_STATUSES.find((s) => s.id === o.status_id)!;
				return {
					id: o.id,
					customer_id: o.customer_id,
					customer_name: names.get(o.customer_id) ?? '',
					description: o.description,
					amount: o.amount,
					installment: o.installment,
					status_id: st.id,
					status_slug: st.slug,
					status_name: st.name,
					created_at: o.created_at,
					updated_at: o.updated_at,
					actions: operationActions(o),
				};
			}),
		};
	}
}

function normalize(s: string): string {
	return s
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.trim();
}

function pageParams(query: Record<string, string>): { limit: number; offset: number } {
	const limit = query.limit === undefined ? 50 : Number(query.limit);
	const offset = query.offset === undefined ? 0 : Number(query.offset);
	if (!Number.isInteger(limit) || limit < 1 || limit > 500)
		throw new HttpError(400, 'limit must be an integer between 1 and 500');
	if (!Number.isInteger(offset) || offset < 0)
		throw new HttpError(400, 'offset must be a non-negative integer');
	return { limit, offset };
}

/** Query values that may carry a credential are shown masked in the request log. */
const SECRET_QUERY = /secret|token|password|passwd|authorization|api[-_]?key|signature/i;

export function maskQuery(query: Record<string, string>): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [k, v] of Object.entries(query)) out[k] = SECRET_QUERY.test(k) ? maskSecret(v) : v;
	return out;
}

export function maskSecret(v: string | undefined): string {
	if (!v) return '';
	return v.length <= 8 ? '••••' : `••••${v.slice(-4)}`;
}

export async function startSandbox(opts: SandboxOptions = {}): Promise<RunningSandbox> {
	const sb = new Sandbox(opts);
	const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
		sb.onRequest(req, res).catch((e) => {
			sb.warn(`unhandled: ${(e as Error).stack}`);
			if (!res.headersSent && !res.destroyed) {
				res.writeHead(500, { 'Content-Type': 'application/json' });
				res.end(JSON.stringify({ message: 'Internal Server Error' }));
			}
		});
	};
	const server: http.Server = opts.tls
		? https.createServer({ key: opts.tls.key, cert: opts.tls.cert }, handler)
		: http.createServer(handler);
	server.keepAliveTimeout = 5000;
	sb.server = server;
	const host = opts.host ?? '127.0.0.1';
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(opts.port ?? 0, host, () => {
			server.off('error', reject);
			resolve();
		});
	});
	const addr = server.address() as AddressInfo;
	const hostForUrl = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
	sb.baseUrl = `${opts.tls ? 'https' : 'http'}://${hostForUrl}:${addr.port}`;
	sb.setLifecycle(sb.lifecycle);
	let closed = false;
	const running: RunningSandbox = {
		baseUrl: sb.baseUrl,
		tokenUrl: `${sb.baseUrl}/oauth2/token`,
		kapitaleBaseUrl: `${sb.baseUrl}/kapitale`,
		partnerBaseUrl: `${sb.baseUrl}/partner`,
		controlUrl: `${sb.baseUrl}/__sandbox`,
		credentials: { ...sb.creds },
		get fixtures() {
			return sb.state.fixtures;
		},
		requestLog: () => sb.requestLog(),
		clearLog: () => sb.clearLog(),
		reset: () => sb.reset(),
		setFaults: (f) => sb.faults.set(f),
		counts: () => sb.counts(),
		seedOrders: (n, o) => sb.seedOrders(n, o?.status),
		seedOperations: (n) => sb.seedOperations(n),
		lifecycleStep: () => sb.lifecycleStep(),
		setLifecycle: (settings) => sb.setLifecycle({ ...sb.lifecycle, ...settings }),
		close: async () => {
			if (closed) return;
			closed = true;
			sb.closed = true;
			sb.setLifecycle({ ...sb.lifecycle, enabled: false });
			sb.webhooks.close();
			sb.flush();
			await new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			});
		},
	};
	return running;
}
