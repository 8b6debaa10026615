// The environment variables of n8n processes: n8nEnv() for every process this project starts
// (server, worker, webhook, CLI; SQLite, loopback only, nothing phoning home) and queueModeEnv()
// for the settings all processes of a queue-mode n8n share (Redis, PostgreSQL, one key).
import path from 'node:path';

import {
	DEFAULT_CUSTOM_EXTENSIONS,
	DEFAULT_USER_FOLDER,
	EXIT_DELAY_PRELOAD,
	LOCAL_DIR,
} from './config.mjs';
import { pathWithNode24 } from './toolchain.mjs';

/**
 * The environment of every n8n process (server and CLI): Node 24 first on PATH, SQLite in the user
 * folder, loopback only, and everything that phones home switched off. Variables already in
 * process.env pass through unless set here; `env` overrides all of it (a value of undefined removes).
 * @param {{port?: number, userFolder?: string, customExtensions?: string|string[]|null,
 *   brokerPort?: number, devReload?: boolean, env?: Record<string, string|undefined>}} [options]
 */
export function n8nEnv({
	port = 5678,
	userFolder = DEFAULT_USER_FOLDER,
	customExtensions = DEFAULT_CUSTOM_EXTENSIONS,
	brokerPort,
	devReload = false,
	env = {},
} = {}) {
	const result = { ...process.env };
	// An outer `npm run` or a loader in NODE_OPTIONS must not reach n8n.
	for (const key of Object.keys(result))
		if (/^npm_/i.test(key) || key === 'NODE_OPTIONS') delete result[key];
	const extensions = [customExtensions]
		.flat()
		.filter(Boolean)
		.map((dir) => path.resolve(dir));
	Object.assign(result, {
		PATH: pathWithNode24(),
		// As n8n's own Docker image runs it (no stack traces in API answers, production caching).
		NODE_ENV: 'production',
		N8N_USER_FOLDER: path.resolve(userFolder),
		DB_TYPE: 'sqlite',
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		N8N_SECURE_COOKIE: 'false',
		// `localhost` resolves to 127.0.0.1 first inside n8n (it turns off happy eyeballs).
		NODEJS_PREFER_IPV4: 'true',
		GENERIC_TIMEZONE: 'UTC',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
		// Node's on-disk bytecode cache: later starts of n8n are a few seconds faster.
		NODE_COMPILE_CACHE: path.join(LOCAL_DIR, '.compile-cache'),
		// Works around a SIGSEGV at exit of `n8n execute` (isolated-vm teardown), see the file.
		NODE_OPTIONS: `--require ${JSON.stringify(EXIT_DELAY_PRELOAD)}`,
		N8N_LOG_OUTPUT: 'console',
		N8N_LOG_FORMAT: 'text',
		// Task runners (Code node) run in internal mode as children of n8n; the broker stays on loopback.
		N8N_RUNNERS_MODE: 'internal',
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		// Explicit values silence n8n's startup deprecation notices about changing defaults.
		N8N_RUNNERS_TASK_TIMEOUT: '300',
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		N8N_COMPRESSION_NODE_MAX_DECOMPRESSED_SIZE_BYTES: String(256 * 1024 * 1024),
		N8N_COMPRESSION_NODE_MAX_ZIP_ENTRIES: '1000',
		// Nothing phones home.
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_DYNAMIC_BANNERS_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_VERIFIED_PACKAGES_ENABLED: 'false',
		// No license cert, so nothing renews; the server URL points at a closed loopback port anyway.
		// (N8N_LICENSE_AUTO_RENEW_ENABLED=false would only add a warning to the log.)
		N8N_LICENSE_DETACH_FLOATING_ON_SHUTDOWN: 'false',
		N8N_LICENSE_SERVER_URL: 'http://127.0.0.1:9/v1',
		// The MCP-server registry module fetches a catalogue from n8n's API at startup.
		N8N_DISABLED_MODULES: 'mcp-registry',
		N8N_SENTRY_DSN: '',
		N8N_FRONTEND_SENTRY_DSN: '',
		EXTERNAL_HOOK_FILES: '',
	});
	if (brokerPort) result.N8N_RUNNERS_BROKER_PORT = String(brokerPort);
	if (extensions.length) result.N8N_CUSTOM_EXTENSIONS = extensions.join(';');
	else delete result.N8N_CUSTOM_EXTENSIONS;
	if (devReload) result.N8N_DEV_RELOAD = 'true';
	for (const [key, value] of Object.entries(env)) {
		if (value === undefined || value === null) delete result[key];
		else result[key] = String(value);
	}
	return result;
}

/**
 * The settings every process of an n8n in queue mode shares (main, workers, webhook processes and
 * CLI commands): Redis for the job queue, PostgreSQL, one encryption key, binary data in the
 * database (no process reads another's disk), manual runs executed by workers too.
 * @param {{redis: {host?: string, port: number}, postgres: {host?: string, port: number, user: string,
 *   database: string, password?: string}, encryptionKey: string}} services
 */
export function queueModeEnv({ redis, postgres, encryptionKey }) {
	return {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: redis.host ?? '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: postgres.host ?? '127.0.0.1',
		DB_POSTGRESDB_PORT: String(postgres.port),
		DB_POSTGRESDB_USER: postgres.user,
		DB_POSTGRESDB_PASSWORD: postgres.password ?? '',
		DB_POSTGRESDB_DATABASE: postgres.database,
		N8N_ENCRYPTION_KEY: encryptionKey,
		N8N_DEFAULT_BINARY_DATA_MODE: 'database',
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
	};
}
