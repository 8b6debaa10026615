/** The types every transport module shares: what a request is, and what a failure is. */
import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	ILoadOptionsFunctions,
} from 'n8n-workflow';

import type { RetryPolicy } from './retry';
import type { TokenStepError } from './token';

export type ApiContext = IExecuteFunctions | ILoadOptionsFunctions;
export type Service = 'kapitale' | 'partner';

export interface ApiRequest {
	service: Service;
	method: IHttpRequestMethods;
	/** Path relative to the service's base URL, e.g. `/order`. */
	path: string;
	qs?: IDataObject;
	/** JSON (or multipart) body; sent with a GET too (see sendGetWithBody). */
	body?: IDataObject | IDataObject[] | FormData;
	/** Safe to send twice. Defaults to true for GET and false otherwise. */
	idempotent?: boolean;
	itemIndex?: number;
	/** Overall limit of one attempt, connection to last byte. */
	timeoutMs?: number;
	retry?: Partial<RetryPolicy>;
}

export interface HttpFailure {
	status?: number;
	code?: string;
	headers?: Record<string, unknown>;
	body?: unknown;
	/** The token step failed: the API request itself was never sent. */
	token?: TokenStepError;
	/** Not an HTTP failure at all (e.g. an invalid URL): its message, to be cleaned. */
	other?: string;
}

export interface FullResponse {
	body?: unknown;
	headers?: Record<string, unknown>;
	statusCode?: number;
}
