/**
 * The one way a node talks to either API: `apiRequest` (auth, retries, deadlines, errors) and
 * the paging helpers built on it. Nodes import from here, never from the modules inside.
 */
export { apiRequest, CREDENTIAL_TYPE, DEFAULT_TIMEOUT_MS, TRANSPORT_DEFAULTS } from './request';
export type { ApiContext, ApiRequest, Service } from './types';
export { ensureNodeError } from './errors';
