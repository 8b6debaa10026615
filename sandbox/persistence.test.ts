import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { startSandbox } from './index';
import { getToken, kapitale, partner } from './testing';

let dir: string;
beforeAll(() => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-state-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('state survives a restart with a data file; writes are atomic', async () => {
	const file = path.join(dir, 'state.json');
	const a = await startSandbox({ quiet: true, dataFile: file });
	expect(fs.existsSync(file)).toBe(true);
	const token = await getToken(a);
	const created = await kapitale(a, token, 'POST', '/order', {
		order_number: 'PERSIST-1',
		expiry_date: '2026-12-31',
		requested_amount: 123.45,
		retail_cnpj: a.fixtures.registeredRetailCnpj,
		purchase_date: '2026-11-01',
		purchase_items: [{ value: 123.45, quantity: 1 }],
	});
	const op = await partner(a, 'POST', '/operation/create', {
		amount: 900,
		installment: 3,
		customer_hashid: a.fixtures.customerIds.PF,
	});
	a.seedOrders(10);
	const counts = a.counts();
	await a.close();
	expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
	const onDisk = JSON.parse(fs.readFileSync(file, 'utf8'));
	expect(
		onDisk.orders.filter((o: any) => o.industry_cnpj === a.credentials.industryCnpj),
	).toHaveLength(counts.orders);
	expect(onDisk.operations).toHaveLength(counts.operations);

	const b = await startSandbox({ quiet: true, dataFile: file });
	try {
		expect(b.counts()).toEqual(counts);
		const t2 = await getToken(b); // new JWT secret per server: old tokens are not valid
		expect((await kapitale(b, token, 'GET', `/order/${created.json.id}`)).status).toBe(401);
		const g = await kapitale(b, t2, 'GET', `/order/${created.json.id}`);
		expect(g.json).toMatchObject({ order_no: 'PERSIST-1', paid_amount: 120.8 });
		expect(
			(await partner(b, 'GET', `/operation/status/${op.json.data.operation}`)).json.data.slug,
		).toBe('em-analise');
		b.reset();
		expect(
			JSON.parse(fs.readFileSync(file, 'utf8')).orders.some((o: any) => o.order_no === 'PERSIST-1'),
		).toBe(false);
	} finally {
		await b.close();
	}
});

test('a corrupt data file falls back to the seed', async () => {
	const file = path.join(dir, 'corrupt.json');
	fs.writeFileSync(file, '{not json');
	const s = await startSandbox({ quiet: true, dataFile: file });
	try {
		expect(s.counts().orders).toBeGreaterThan(0);
		expect(() => JSON.parse(fs.readFileSync(file, 'utf8'))).not.toThrow();
	} finally {
		await s.close();
	}
});

test('CLI: starts, prints the URLs and credentials, persists with --data, stops on SIGINT', async () => {
	const file = path.join(dir, 'cli.json');
	const tsx = path.join(__dirname, '..', 'node_modules', '.bin', 'tsx');
	const child = spawn(
		tsx,
		[path.join(__dirname, 'cli.ts'), '--port', '0', '--data', file, '--json', '--quiet'],
		{ stdio: ['ignore', 'pipe', 'pipe'] },
	);
	let out = '';
	const info = await new Promise<any>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`CLI did not start: ${out}`)), 20000);
		child.stdout.on('data', (d) => {
			out += d;
			const line = out.split('\n').find((l) => l.startsWith('{'));
			if (line) {
				clearTimeout(timer);
				resolve(JSON.parse(line));
			}
		});
		child.on('exit', (code) => reject(new Error(`CLI exited ${code}: ${out}`)));
	});
	expect(info.tokenUrl).toBe(`${info.baseUrl}/oauth2/token`);
	expect(info.credentials).toMatchObject({
		clientId: expect.any(String),
		clientSecret: expect.any(String),
		bearerToken: expect.any(String),
		partnerHashId: expect.any(String),
	});
	const counts = await (
		await fetch(`${info.baseUrl}/__sandbox/seed/orders`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ count: 3 }),
		})
	).json();
	const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
	child.kill('SIGINT');
	expect(await exit).toBe(0);
	const onDisk = JSON.parse(fs.readFileSync(file, 'utf8'));
	expect(
		onDisk.orders.filter((o: any) => o.industry_cnpj === info.credentials.industryCnpj),
	).toHaveLength((counts as any).orders);
}, 30000);
