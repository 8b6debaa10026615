/**
 * Reading an answer with bounded memory. n8n's request helpers buffer a whole answer before
 * handing it over (axios' maxContentLength is Infinity in n8n 2.41 and cannot be set through
 * them), so a page of 250 MB or a 1 MB gzip bomb would be held, inflated, parsed and retried in
 * full. Every request therefore asks n8n for the answer as a stream (`encoding: 'stream'`; axios
 * still inflates gzip/deflate/br on the way) and reads it here: bytes are counted and the JSON
 * nesting is tracked chunk by chunk, and the stream is destroyed as soon as a cap is passed.
 */

/** The caps of one answer. Mutable so that tests can lower them; the values are documented in docs/limits.md. */
export const ANSWER_LIMITS = {
	/** Largest answer read, counted after decompression (a Kapitale page of 100 orders is ~100 KB). */
	maxBytes: 32 * 1024 * 1024,
	/** Largest answer of the token endpoint (a token answer is under 10 KB). */
	maxTokenBytes: 1024 * 1024,
	/**
	 * Bytes of an error answer kept for its message; the rest is not read. Generous: an API that
	 * echoes a long input in its message still gets that message shown (shortened).
	 */
	maxErrorBytes: 1024 * 1024,
	/** Deepest JSON nesting accepted; the APIs' answers are under 10 levels deep. */
	maxDepth: 64,
};

/** An answer past a cap: not retried (the same request would get the same answer). */
export class AnswerLimitError extends Error {
	constructor(
		readonly kind: 'size' | 'depth',
		readonly limit: number,
		/** Size: the Content-Length the server declared, when that is what passed the cap. */
		readonly declared?: number,
	) {
		super(
			kind === 'size'
				? `answer larger than ${limit} bytes`
				: `answer nested deeper than ${limit} levels`,
		);
		this.name = 'AnswerLimitError';
	}
}

export function isAnswerLimitError(error: unknown): error is AnswerLimitError {
	return error instanceof AnswerLimitError;
}

interface ByteStream {
	on(event: 'data', listener: (chunk: Uint8Array | string) => void): unknown;
	on(event: 'end' | 'close', listener: () => void): unknown;
	on(event: 'error', listener: (error: Error) => void): unknown;
	destroy(error?: Error): unknown;
	pause?: () => unknown;
	resume?: () => unknown;
}

export function isByteStream(value: unknown): value is ByteStream {
	return (
		typeof value === 'object' &&
		value !== null &&
		typeof (value as ByteStream).on === 'function' &&
		typeof (value as ByteStream).destroy === 'function' &&
		typeof (value as { pipe?: unknown }).pipe === 'function'
	);
}

/**
 * Tracks the nesting of `[`/`{` outside JSON strings across chunks. Bytes, not characters: the
 * bytes of `"`, `\`, brackets and braces never occur inside a multi-byte UTF-8 character.
 */
export class DepthTracker {
	private depth = 0;
	private inString = false;
	private escaped = false;

	constructor(private readonly max: number) {}

	/** False as soon as the nesting passes the maximum. */
	feed(bytes: Uint8Array): boolean {
		let { depth, inString, escaped } = this;
		const max = this.max;
		for (let i = 0; i < bytes.length; i++) {
			const c = bytes[i];
			if (inString) {
				if (escaped) escaped = false;
				else if (c === 0x5c) escaped = true;
				else if (c === 0x22) inString = false;
			} else if (c === 0x22) inString = true;
			else if (c === 0x7b || c === 0x5b) {
				if (++depth > max) return false;
			} else if (c === 0x7d || c === 0x5d) depth--;
		}
		this.depth = depth;
		this.inString = inString;
		this.escaped = escaped;
		return true;
	}
}

export interface ReadOptions {
	maxBytes: number;
	maxDepth: number;
	/** Ends the read (the attempt's deadline or the execution's cancel). */
	signal?: AbortSignal;
	/** Keep the first `maxBytes` instead of failing (error answers: only their message matters). */
	truncate?: boolean;
	/**
	 * On an early end, stop reading but leave the stream open (a webhook request that must still
	 * be answered); by default the stream is destroyed.
	 */
	keepOpen?: boolean;
}

/** Reads a stream into one Buffer within the caps; the stream is destroyed on any early end. */
export async function readBytes(stream: ByteStream, options: ReadOptions): Promise<Buffer> {
	const depth = new DepthTracker(options.maxDepth);
	const chunks: Buffer[] = [];
	let total = 0;
	let deep = false;
	return await new Promise<Buffer>((resolve, reject) => {
		let settled = false;
		const finish = (error?: Error) => {
			if (settled) return;
			settled = true;
			options.signal?.removeEventListener('abort', onAbort);
			if (error) {
				if (options.keepOpen) stream.pause?.();
				else stream.destroy();
				reject(error);
			} else resolve(Buffer.concat(chunks, total));
		};
		const onAbort = () =>
			finish(Object.assign(new Error('The request was aborted'), { code: 'ERR_CANCELED' }));
		if (options.signal?.aborted) return onAbort();
		options.signal?.addEventListener('abort', onAbort, { once: true });
		stream.on('data', (chunk) => {
			if (settled) return;
			const bytes =
				typeof chunk === 'string'
					? Buffer.from(chunk)
					: Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
			if (total + bytes.length > options.maxBytes) {
				if (!options.truncate) return finish(new AnswerLimitError('size', options.maxBytes));
				const room = options.maxBytes - total;
				chunks.push(Buffer.from(bytes.subarray(0, room)));
				total += room;
				settled = true;
				options.signal?.removeEventListener('abort', onAbort);
				stream.destroy();
				resolve(Buffer.concat(chunks, total));
				return;
			}
			if (!deep && !depth.feed(bytes)) {
				// An error answer is kept as text (never parsed); a success answer is refused.
				if (!options.truncate) return finish(new AnswerLimitError('depth', options.maxDepth));
				deep = true;
			}
			chunks.push(bytes);
			total += bytes.length;
		});
		// A stream paused before (a webhook request) does not flow by a 'data' listener alone.
		stream.resume?.();
		stream.on('end', () => finish());
		stream.on('error', (error) => finish(error));
		// A stream destroyed by the other side without 'end' or 'error' (aborted request).
		stream.on('close', () =>
			finish(Object.assign(new Error('The answer broke off'), { code: 'ERR_BAD_RESPONSE_BODY' })),
		);
	});
}

/**
 * The text as axios would have returned it with `json: true`: parsed JSON when it is JSON, the
 * text itself otherwise, `''` when empty. Call only on bytes whose depth was checked.
 */
export function decodeJson(bytes: Buffer): unknown {
	let text = bytes.toString('utf8');
	if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
	if (text.trim() === '') return '';
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return text;
	}
}

/** Reads a successful answer within the caps and decodes it; any other body passes through. */
export async function readAnswer(
	body: unknown,
	headers: Record<string, unknown> | undefined,
	options: { maxBytes: number; signal?: AbortSignal },
): Promise<unknown> {
	if (!isByteStream(body)) return body;
	// The declared size of the bytes on the wire: refused before anything is read.
	const declared = Number(headers?.['content-length']);
	if (Number.isFinite(declared) && declared > options.maxBytes) {
		body.destroy();
		throw new AnswerLimitError('size', options.maxBytes, declared);
	}
	const bytes = await readBytes(body, {
		maxBytes: options.maxBytes,
		maxDepth: ANSWER_LIMITS.maxDepth,
		signal: options.signal,
	});
	return decodeJson(bytes);
}

/** An error answer: its first bytes, as JSON when they are shallow JSON, else as text. */
export async function readErrorAnswer(body: unknown, signal?: AbortSignal): Promise<unknown> {
	if (!isByteStream(body)) return body;
	let bytes: Buffer;
	try {
		bytes = await readBytes(body, {
			maxBytes: ANSWER_LIMITS.maxErrorBytes,
			maxDepth: ANSWER_LIMITS.maxDepth,
			signal,
			truncate: true,
		});
	} catch {
		return undefined;
	}
	const shallow = new DepthTracker(ANSWER_LIMITS.maxDepth).feed(bytes);
	return shallow ? decodeJson(bytes) : bytes.toString('utf8');
}

/**
 * Replaces the stream bodies in an error's chain (n8n wraps axios' error; with a streamed
 * request, `response.data` is the unread answer) by their first bytes, so the failure can be
 * read as before and the connection is released.
 */
export async function settleErrorBodies(error: unknown, signal?: AbortSignal): Promise<void> {
	for (
		let current = error, depth = 0;
		current && typeof current === 'object' && depth < 4;
		current = (current as { cause?: unknown }).cause, depth++
	) {
		const response = (current as { response?: { data?: unknown } }).response;
		if (response && typeof response === 'object' && isByteStream(response.data)) {
			response.data = await readErrorAnswer(response.data, signal);
		}
	}
}
