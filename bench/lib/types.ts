/** ours-ka: this package's node with n8n's per-request agents swapped for one keep-alive agent (diagnostic only). */
export type ClientName = 'ours' | 'http' | 'raw' | 'ours-ka';
export type WorkloadKind =
	| 'createOrders'
	| 'getOrders'
	| 'listOrders'
	| 'createCustomers'
	| 'listOperations'
	/** One poll of the Partner Operation Trigger (items[0].state: the node's saved static data). */
	| 'pollOperations';

export interface SandboxInfo {
	tokenUrl: string;
	kapitaleBaseUrl: string;
	partnerBaseUrl: string;
	credentials: {
		clientId: string;
		clientSecret: string;
		bearerToken: string;
		partnerHashId: string;
		userHashId: string;
	};
}

/** What the parent sends to a client child for one run. */
export interface RunRequest {
	type: 'run';
	kind: WorkloadKind;
	client: ClientName;
	sandbox: SandboxInfo;
	concurrency: number;
	/** Our node's Parallel Requests; undefined = the node's default. */
	parallel?: number;
	/** Our node's Input Mode on create workloads. */
	inputMode?: 'manual' | 'auto';
	/** Input items (per-item workloads) — for list workloads a single empty item. */
	items: Array<Record<string, unknown>>;
	/** For list workloads: stop after this many records (warm-up); undefined = Return All. */
	limit?: number;
	/** HTTP Request node batching. */
	batch?: { batchSize: number; batchInterval: number };
	/** Page size for list workloads (the API's largest page). */
	pageSize: number;
	warmup?: boolean;
	/** A token already stored in the credential (as on a long-running n8n): no token request in the run. */
	accessToken?: string;
}

export interface RunResult {
	type: 'result';
	ok: boolean;
	error?: string;
	wallMs: number;
	cpuUs: number;
	rssBaseMb: number;
	rssPeakMb: number;
	heapPeakMb: number;
	outputItems: number;
	sample?: unknown;
}

export interface ServerStats {
	requests: number;
	tokenRequests: number;
	non2xx: number;
	byPath: Record<string, number>;
	connections: number;
	/** Most TLS connections open at once during the run (for one-connection-per-request clients: their real concurrency). */
	openConnectionsPeak?: number;
	peakInFlight: number;
	meanInFlight: number;
}
