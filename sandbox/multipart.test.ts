import { getBoundary, MultipartError, parseMultipart, sniffFileType } from './multipart';
import { multipartBody, TINY_PDF, TINY_PNG } from './testing';

describe('multipart parser', () => {
	test('boundary from Content-Type (plain and quoted)', () => {
		expect(getBoundary('multipart/form-data; boundary=abc123')).toBe('abc123');
		expect(getBoundary('multipart/form-data; charset=utf-8; boundary="a b;c"')).toBe('a b;c');
		expect(getBoundary('application/json')).toBeUndefined();
		expect(getBoundary(undefined)).toBeUndefined();
	});

	test('fields and binary files round-trip byte for byte', () => {
		const bin = Buffer.from([0, 13, 10, 45, 45, 255, 0, 13, 10]);
		const { body, contentType } = multipartBody([
			{ name: 'invoice_number', value: 'NF-1' },
			{
				name: 'invoice',
				filename: 'a "quoted"; name.pdf'.replace(/"/g, '\\"'),
				contentType: 'application/pdf',
				data: bin,
			},
		]);
		const parts = parseMultipart(body, getBoundary(contentType)!);
		expect(parts).toHaveLength(2);
		expect(parts[0]).toMatchObject({ name: 'invoice_number', filename: undefined });
		expect(parts[0].data.toString()).toBe('NF-1');
		expect(parts[1].filename).toBe('a "quoted"; name.pdf');
		expect(parts[1].contentType).toBe('application/pdf');
		expect(parts[1].data.equals(bin)).toBe(true);
	});

	test('malformed bodies throw MultipartError', () => {
		expect(() => parseMultipart(Buffer.from('nothing here'), 'xyz')).toThrow(MultipartError);
		expect(() =>
			parseMultipart(
				Buffer.from('--xyz\r\nContent-Disposition: form-data; name="a"\r\n\r\nvalue-without-end'),
				'xyz',
			),
		).toThrow(MultipartError);
		expect(() =>
			parseMultipart(Buffer.from('--xyz\r\nX-Other: 1\r\n\r\nv\r\n--xyz--'), 'xyz'),
		).toThrow(MultipartError);
	});
});

describe('magic bytes', () => {
	test.each([
		['application/pdf', TINY_PDF],
		['image/png', TINY_PNG],
		['image/jpeg', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46])],
		['image/gif', Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1')],
		[
			'image/webp',
			Buffer.concat([Buffer.from('RIFF'), Buffer.from([0x24, 0, 0, 0]), Buffer.from('WEBPVP8 ')]),
		],
	])('%s detected', (type, data) => {
		expect(sniffFileType(data)).toBe(type);
	});
	test.each([
		['text', Buffer.from('hello, not a pdf')],
		['empty', Buffer.alloc(0)],
		['html', Buffer.from('<html>%PDF-</html>')],
		['zip', Buffer.from('PK\x03\x04', 'latin1')],
	])('%s rejected', (_n, data) => {
		expect(sniffFileType(data)).toBeUndefined();
	});
});
