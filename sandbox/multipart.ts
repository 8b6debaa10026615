/** A small, strict multipart/form-data parser (RFC 7578) and file-type sniffing by magic bytes. */

export interface MultipartPart {
	name: string;
	filename?: string;
	contentType?: string;
	data: Buffer;
}

export class MultipartError extends Error {}

/** Extracts the boundary from a Content-Type header value, or undefined. */
export function getBoundary(contentType: string | undefined): string | undefined {
	if (!contentType || !/^multipart\/form-data/i.test(contentType.trim())) return undefined;
	const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
	return m ? (m[1] ?? m[2]) : undefined;
}

function parseHeaderParams(value: string): Record<string, string> {
	const out: Record<string, string> = {};
	const re = /;\s*([a-zA-Z0-9_*-]+)=(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g;
	let m: RegExpExecArray | null;
	while ((m = re.exec(value)))
		out[m[1].toLowerCase()] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3].trim();
	return out;
}

export function parseMultipart(body: Buffer, boundary: string): MultipartPart[] {
	const delim = Buffer.from(`--${boundary}`);
	const parts: MultipartPart[] = [];
	let pos = body.indexOf(delim);
	if (pos < 0) throw new MultipartError('multipart boundary not found');
	for (;;) {
		pos += delim.length;
		// closing delimiter "--"
		if (body[pos] === 0x2d && body[pos + 1] === 0x2d) break;
		// skip transport padding + CRLF
		while (body[pos] === 0x20 || body[pos] === 0x09) pos++;
		if (body[pos] === 0x0d && body[pos + 1] === 0x0a) pos += 2;
		else throw new MultipartError('malformed multipart body');
		const headerEnd = body.indexOf('\r\n\r\n', pos);
		if (headerEnd < 0) throw new MultipartError('malformed multipart part headers');
		const headerText = body.subarray(pos, headerEnd).toString('utf8');
		const next = body.indexOf(Buffer.from(`\r\n--${boundary}`), headerEnd + 4);
		if (next < 0) throw new MultipartError('multipart closing boundary not found');
		const data = body.subarray(headerEnd + 4, next);
		const headers: Record<string, string> = {};
		for (const line of headerText.split('\r\n')) {
			const i = line.indexOf(':');
			if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
		}
		const cd = headers['content-disposition'];
		if (!cd || !/^form-data/i.test(cd))
			throw new MultipartError('multipart part without Content-Disposition: form-data');
		const params = parseHeaderParams(cd);
		if (!params.name) throw new MultipartError('multipart part without a name');
		parts.push({
			name: params.name,
			filename: params.filename,
			contentType: headers['content-type'],
			data: Buffer.from(data),
		});
		pos = next + 2; // at the delimiter
	}
	return parts;
}

export type SniffedType =
	| 'application/pdf'
	| 'image/png'
	| 'image/jpeg'
	| 'image/gif'
	| 'image/webp';

/** Detects PDF, PNG, JPEG, GIF or WEBP by content. */
export function sniffFileType(b: Buffer): SniffedType | undefined {
	if (b.length >= 5 && b.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
	if (
		b.length >= 8 &&
		b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
	)
		return 'image/png';
	if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
	if (b.length >= 6 && /^GIF8[79]a$/.test(b.subarray(0, 6).toString('latin1'))) return 'image/gif';
	if (
		b.length >= 12 &&
		b.subarray(0, 4).toString('latin1') === 'RIFF' &&
		b.subarray(8, 12).toString('latin1') === 'WEBP'
	)
		return 'image/webp';
	return undefined;
}
