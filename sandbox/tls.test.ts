import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as https from 'https';
import * as os from 'os';
import * as path from 'path';
import { startSandbox } from './index';

function makeCert(): { key: Buffer; cert: Buffer } | undefined {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-tls-'));
	try {
		execFileSync(
			'openssl',
			[
				'req',
				'-x509',
				'-newkey',
				'rsa:2048',
				'-nodes',
				'-keyout',
				path.join(dir, 'k.pem'),
				'-out',
				path.join(dir, 'c.pem'),
				'-days',
				'1',
				'-subj',
				'/CN=127.0.0.1',
			],
			{ stdio: 'ignore' },
		);
		return {
			key: fs.readFileSync(path.join(dir, 'k.pem')),
			cert: fs.readFileSync(path.join(dir, 'c.pem')),
		};
	} catch {
		return undefined;
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

const tls = makeCert();
(tls ? test : test.skip)('serves HTTPS when tls is given', async () => {
	const sb = await startSandbox({ quiet: true, tls });
	try {
		expect(sb.baseUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
		const body = await new Promise<string>((resolve, reject) => {
			https
				.get(
					`${sb.partnerBaseUrl}/bank/search?search=341`,
					{
						headers: { Authorization: `Bearer ${sb.credentials.bearerToken}` },
						rejectUnauthorized: false,
					},
					(res) => {
						let s = '';
						res.on('data', (d) => (s += d));
						res.on('end', () => resolve(s));
					},
				)
				.on('error', reject);
		});
		expect(JSON.parse(body).data[0].name).toMatch(/^341 - /);
	} finally {
		await sb.close();
	}
});
