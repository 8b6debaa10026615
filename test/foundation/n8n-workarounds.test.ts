/**
 * The n8n behaviours that nodes/shared/n8nWorkarounds.ts relies on, probed in n8n-core itself.
 * Each test names the workaround it keeps honest: when one fails, n8n changed, and the workaround
 * must be revisited (or can go).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { Engine, PACKAGE_PREFIX, sandboxCredentialData } from '../harness/engine';

interface Seen {
	method: string;
	body: string;
}

/** A loopback server that records what reached it; `/hang` never answers. */
async function startRecorder() {
	const seen: Seen[] = [];
	const server = http.createServer((request, response) => {
		let body = '';
		request.on('data', (chunk) => (body += chunk));
		request.on('end', () => {
			seen.push({ method: request.method ?? '', body });
			if (request.url?.startsWith('/hang')) return;
			response.writeHead(200, { 'content-type': 'application/json' });
			response.end('{"ok":true}');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		seen,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

type Probe = (context: IExecuteFunctions, url: string) => Promise<IDataObject>;

/** A node whose execute() runs one probe against n8n's helpers and outputs what it saw. */
function probeNode(probe: Probe): INodeType {
	return {
		description: {
			displayName: 'Probe',
			name: 'probe',
			group: ['transform'],
			version: 1,
			description: 'Calls n8n helpers',
			defaults: { name: 'Probe' },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			credentials: [{ name: 'kapitaleApi', required: false }],
			properties: [{ displayName: 'URL', name: 'url', type: 'string', default: '' }],
		} as INodeTypeDescription,
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			const url = this.getNodeParameter('url', 0) as string;
			return [[{ json: await probe(this, url) }]];
		},
	};
}

/** A bearer credential pointing at the recorder: authentication adds a header and nothing else. */
function bearerCredential(url: string) {
	const secrets = {
		clientId: 'c',
		clientSecret: 's',
		bearerToken: 't',
		partnerHashId: 'p',
		userHashId: 'u',
	};
	const sandbox = {
		tokenUrl: `${url}/token`,
		kapitaleBaseUrl: url,
		partnerBaseUrl: url,
		credentials: secrets,
	};
	return sandboxCredentialData(sandbox, 'bearerToken');
}

async function runProbe(probe: Probe, url: string) {
	const engine = new Engine({
		credentials: { kapitale: bearerCredential(url) },
		extraNodeTypes: { [`${PACKAGE_PREFIX}.probe`]: probeNode(probe) },
	});
	return await engine.runNode({ type: 'probe', parameters: { url } });
}

describe('n8n behaviours the workarounds rely on (n8n-core 2.41)', () => {
	let recorder: Awaited<ReturnType<typeof startRecorder>>;
	beforeEach(async () => (recorder = await startRecorder()));
	afterEach(async () => await recorder.close());

	it('httpRequest drops the body of a GET (why sendGetWithBody exists)', async () => {
		const run = await runProbe(async (context, url) => {
			await context.helpers.httpRequest({
				method: 'GET',
				url: `${url}/get`,
				body: { limit: 5 },
				json: true,
			});
			return {};
		}, recorder.url);
		expect(run.error).toBeUndefined();
		expect(recorder.seen).toEqual([{ method: 'GET', body: '' }]);
	});

	it('the request path behind the paginated helper sends the body of a GET (what sendGetWithBody uses)', async () => {
		const run = await runProbe(async (context, url) => {
			// The paginated helper goes through this same request path, adding only authentication.
			await context.helpers.request({
				method: 'GET',
				uri: `${url}/get`,
				body: { limit: 5 },
				json: true,
			});
			return {};
		}, recorder.url);
		expect(run.error).toBeUndefined();
		expect(recorder.seen).toEqual([{ method: 'GET', body: '{"limit":5}' }]);
	});

	it('httpRequest aborts on the abortSignal it is given (the per-attempt deadline of withSignal)', async () => {
		const run = await runProbe(async (context, url) => {
			const started = Date.now();
			try {
				await context.helpers.httpRequest({
					method: 'GET',
					url: `${url}/hang`,
					abortSignal: AbortSignal.timeout(200),
				});
				return { outcome: 'answered' };
			} catch (error) {
				return {
					outcome: 'aborted',
					afterMs: Date.now() - started,
					code: (error as IDataObject).code as string,
				};
			}
		}, recorder.url);
		expect(run.error).toBeUndefined();
		expect(run.items[0].json.outcome).toBe('aborted');
		// Far below the 5 s this test may take: the signal, not a timeout of n8n's, ended the wait.
		expect(run.items[0].json.afterMs).toBeLessThan(4000);
	});

	it('httpRequestWithAuthentication replaces the abortSignal with the execution cancel signal of `this` (why withSignal makes a view of the context)', async () => {
		const run = await runProbe(async (context, url) => {
			const expired = AbortSignal.timeout(200);
			const view = Object.create(context, {
				getExecutionCancelSignal: { value: () => expired },
			}) as IExecuteFunctions;
			const started = Date.now();
			try {
				// No abortSignal of our own: only the view's cancel signal can end this wait.
				await context.helpers.httpRequestWithAuthentication.call(view, 'kapitaleApi', {
					method: 'GET',
					url: `${url}/hang`,
				});
				return { outcome: 'answered' };
			} catch (error) {
				return { outcome: 'aborted', afterMs: Date.now() - started, message: String(error) };
			}
		}, recorder.url);
		expect(run.error).toBeUndefined();
		expect(run.items[0].json).toMatchObject({ outcome: 'aborted' });
		// The request reached the server and then waited until the view's signal fired.
		expect(recorder.seen).toHaveLength(1);
		expect(run.items[0].json.afterMs).toBeGreaterThanOrEqual(150);
		expect(run.items[0].json.afterMs).toBeLessThan(4000);
	});
});
