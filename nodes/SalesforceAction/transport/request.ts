/**
 * One REST request on the org's instance, through n8n: `httpRequestWithAuthentication` with the
 * credential, so n8n applies the session (the credential's `authenticate` sets the Bearer header
 * and the instance URL as base URL) and, when Salesforce answers 401, logs in once and sends the
 * request again — also in the middle of paging. The token never passes through this code.
 *
 * Every other answer comes back here (n8n is told to ignore HTTP errors except 401) and is
 * translated by the core: UNABLE_TO_LOCK_ROW and 503 are sent again twice (after 0.5 s, then 1 s),
 * the daily API limit never; the error says what is wrong and what to change, and never carries
 * the request (n8n's own error would hold the Bearer header).
 */
import { sleep } from 'n8n-workflow';
import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';
import { findSalesforceAuthError, toNodeError } from '../../n8n';
import {
	explainNoAnswer,
	explainRestError,
	fromStoredFields,
	parseLimitInfo,
	resolveApiPath,
	REST_API_VERSION,
	SalesforceRestError,
	SESSION_CHECK_PATH,
	type RequestParameters,
} from '../../salesforce';
import { CREDENTIAL_TYPE, type TransportContext } from './context';
import { forgetSession, markSessionAlive } from './liveSessions';

export type RestMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface RestRequest {
	method: RestMethod;
	/** Relative to /services/data/v62.0/, or any /services/… path of the instance (see resolveApiPath). */
	path: string;
	qs?: IDataObject;
	/** Sent as JSON. */
	body?: unknown;
	headers?: Record<string, string>;
	/** What the request does, lower case, for errors: "creating Account records". Default: the method and path. */
	what?: string;
	/** The node parameters the request was built from: errors name the one to change. */
	parameters?: RequestParameters;
}

export type ResponseHeaders = Record<string, string | string[] | undefined>;

export interface RestResponse<T = unknown> {
	status: number;
	/** Parsed JSON; '' for an answer without a body (204). */
	body: T;
	headers: ResponseHeaders;
}

/** Pauses before the retries of a locked record or an unavailable Salesforce. */
export const RETRY_DELAYS_MS: readonly number[] = [500, 1000];

/** Salesforce ends a call after 10 minutes (queries excepted); a little more than that. */
const REQUEST_TIMEOUT_MS = 630_000;

// ---------------------------------------------------------------------------------------------
// Accounting: requests sent, per execution, and the org's usage as Salesforce last reported it.

let requestsSent = 0;
const requestsByExecution = new Map<string, number>();
const MAX_EXECUTIONS_COUNTED = 100;
let lastUsage: { used: number; max: number } | undefined;

function executionIdOf(context: TransportContext): string | undefined {
	try {
		return (context as { getExecutionId?: () => string }).getExecutionId?.();
	} catch {
		return undefined;
	}
}

function countRequest(context: TransportContext): void {
	requestsSent++;
	const executionId = executionIdOf(context);
	if (executionId === undefined) return;
	requestsByExecution.set(executionId, (requestsByExecution.get(executionId) ?? 0) + 1);
	if (requestsByExecution.size > MAX_EXECUTIONS_COUNTED) requestsByExecution.delete(requestsByExecution.keys().next().value as string);
}

/** REST requests this process sent through the transport: for one execution, or all of them. (A 401 re-sent by n8n counts once.) */
export function restRequestsSent(executionId?: string): number {
	return executionId === undefined ? requestsSent : (requestsByExecution.get(executionId) ?? 0);
}

/** The org's API usage from the last Sforce-Limit-Info header seen (used/max in the last 24 h). */
export function lastApiUsage(): { used: number; max: number } | undefined {
	return lastUsage ? { ...lastUsage } : undefined;
}

// ---------------------------------------------------------------------------------------------
// Proving the session alive for Get Access Token, without a request of its own.

const lastMarked = new WeakMap<object, number>();
const MARK_EVERY_MS = 10_000;

/** Remembers the stored session as alive; reads the credential at most every 10 s per context. */
async function markStoredSessionAlive(context: TransportContext): Promise<void> {
	const now = Date.now();
	const previous = lastMarked.get(context);
	if (previous !== undefined && now - previous < MARK_EVERY_MS) return;
	lastMarked.set(context, now);
	try {
		const stored = fromStoredFields(await context.getCredentials(CREDENTIAL_TYPE));
		if (stored) markSessionAlive(stored.accessToken, now);
	} catch {
		// Only an optimisation: Get Access Token then checks the session itself.
	}
}

async function forgetStoredSession(context: TransportContext): Promise<void> {
	lastMarked.delete(context);
	try {
		const stored = fromStoredFields(await context.getCredentials(CREDENTIAL_TYPE));
		if (stored) forgetSession(stored.accessToken);
	} catch {
		// Nothing remembered for it then.
	}
}

// ---------------------------------------------------------------------------------------------
// Sending

interface N8nFullResponse {
	statusCode: number;
	headers?: Record<string, unknown>;
	body: unknown;
}

interface ThrownHttpError {
	message?: string;
	code?: string;
	response?: { status?: number; data?: unknown; headers?: Record<string, unknown> };
	cause?: ThrownHttpError;
}

interface Answer {
	status: number;
	body: unknown;
	headers: ResponseHeaders;
	/** n8n threw it (after its own re-login and retry on a 401), rather than handing it back. */
	thrown: boolean;
}

function plainHeaders(headers: Record<string, unknown> | undefined): ResponseHeaders {
	const plain: ResponseHeaders = {};
	for (const [name, value] of Object.entries(headers ?? {})) {
		if (typeof value === 'string' || Array.isArray(value)) plain[name.toLowerCase()] = value as string | string[];
		else if (typeof value === 'number') plain[name.toLowerCase()] = String(value);
	}
	return plain;
}

/** The HTTP answer inside an error n8n threw, if there was one. */
function answerIn(error: unknown): { status: number; data: unknown; headers?: Record<string, unknown> } | undefined {
	let current = error as ThrownHttpError | undefined;
	for (let depth = 0; depth < 6 && current && typeof current === 'object'; depth++) {
		const status = current.response?.status;
		if (typeof status === 'number' && status > 0) return { status, data: current.response?.data, headers: current.response?.headers };
		current = current.cause;
	}
	return undefined;
}

function networkCodeIn(error: unknown): string | undefined {
	let current = error as ThrownHttpError | undefined;
	for (let depth = 0; depth < 6 && current && typeof current === 'object'; depth++) {
		if (typeof current.code === 'string' && /^E[A-Z_]+$/.test(current.code)) return current.code;
		current = current.cause;
	}
	return undefined;
}

/** What the request loop ends with: Salesforce's 2xx answer, or the failure as the core explains it. */
export type RestOutcome = { response: RestResponse; failure?: undefined } | { failure: SalesforceRestError; response?: undefined };

async function sendOnce(context: TransportContext, options: IHttpRequestOptions, what: string): Promise<Answer | SalesforceRestError> {
	countRequest(context);
	try {
		const response = (await context.helpers.httpRequestWithAuthentication.call(context, CREDENTIAL_TYPE, options)) as N8nFullResponse;
		return { status: response.statusCode, body: response.body, headers: plainHeaders(response.headers), thrown: false };
	} catch (error) {
		// The credential could not get a session (refused details, cool-down): its own error, untouched.
		const authError = findSalesforceAuthError(error);
		if (authError) throw toNodeError(context.getNode(), authError);
		const answer = answerIn(error);
		if (answer) return { status: answer.status, body: answer.data, headers: plainHeaders(answer.headers), thrown: true };
		return explainNoAnswer(what, networkCodeIn(error), await instanceUrlOf(context));
	}
}

/** The instance URL of the credential's session (where requests go), to name in "could not be reached". */
export async function instanceUrlOf(context: TransportContext): Promise<string | undefined> {
	try {
		return fromStoredFields(await context.getCredentials(CREDENTIAL_TYPE))?.instanceUrl;
	} catch {
		return undefined;
	}
}

/**
 * n8n 1.x reads "ignore HTTP errors except 401" as "ignore them all", so a dead session comes back
 * as a 401 answer instead of making n8n log in. Then a session check without that option (n8n
 * logs in on its 401) and the request is sent once more.
 */
async function logInAgainThroughN8n(context: TransportContext): Promise<void> {
	await forgetStoredSession(context);
	try {
		await context.helpers.httpRequestWithAuthentication.call(context, CREDENTIAL_TYPE, { method: 'GET', url: SESSION_CHECK_PATH, json: true });
	} catch (error) {
		const authError = findSalesforceAuthError(error);
		if (authError) throw toNodeError(context.getNode(), authError);
		// Any other failure shows when the request is sent again.
	}
}

function describeRequest(method: string, path: string): string {
	const shown = path.split('?')[0];
	return `calling ${method} ${shown}`;
}

/**
 * The request loop shared by restRequest, the query and the batch writes: sends, retries what may
 * be retried, and returns the 2xx answer or the core's explanation of the failure. Refused input
 * and authentication failures are thrown as n8n errors.
 */
export async function sendRestRequest(context: TransportContext, request: RestRequest): Promise<RestOutcome> {
	let path: string;
	try {
		path = resolveApiPath(request.path, REST_API_VERSION);
	} catch (error) {
		throw toNodeError(context.getNode(), error);
	}
	const what = request.what ?? describeRequest(request.method, path);
	const options: IHttpRequestOptions = {
		method: request.method,
		url: path,
		qs: request.qs,
		body: request.body as IHttpRequestOptions['body'],
		headers: { Accept: 'application/json', ...request.headers },
		json: true,
		returnFullResponse: true,
		// Every answer but 401 comes back here; a 401 makes n8n log in once and send it again.
		ignoreHttpStatusErrors: { ignore: true, except: [401] },
		timeout: REQUEST_TIMEOUT_MS,
	};
	let loggedInAgain = false;
	for (let retry = 0; ; ) {
		const answer = await sendOnce(context, options, what);
		if (answer instanceof SalesforceRestError) return { failure: answer };
		const usage = parseLimitInfo(answer.headers['sforce-limit-info']);
		if (usage) lastUsage = usage;
		if (answer.status >= 200 && answer.status < 300) {
			await markStoredSessionAlive(context);
			return { response: { status: answer.status, body: answer.body, headers: answer.headers } };
		}
		if (answer.status === 401 && !answer.thrown && !loggedInAgain) {
			loggedInAgain = true;
			await logInAgainThroughN8n(context);
			continue;
		}
		// A 401 even after n8n's new login: never count that session as alive. Any other 4xx got
		// past authentication: the session works, whatever Salesforce said about the request.
		if (answer.status === 401) await forgetStoredSession(context);
		else if (answer.status < 500) await markStoredSessionAlive(context);
		const failure = explainRestError({ status: answer.status, body: answer.body, what, parameters: request.parameters });
		if (failure.retry && !failure.dailyLimit && retry < RETRY_DELAYS_MS.length) {
			await sleep(RETRY_DELAYS_MS[retry]);
			retry++;
			continue;
		}
		return { failure };
	}
}

/** The signature of restRequest, with a typed `call` so callers can name the body's type: restRequest.call<T>(this, …). */
export interface RestRequestFunction {
	<T = unknown>(this: TransportContext, request: RestRequest): Promise<RestResponse<T>>;
	call<T = unknown>(context: TransportContext, request: RestRequest): Promise<RestResponse<T>>;
}

/**
 * Sends one REST request on the org's instance and returns Salesforce's 2xx answer (status, parsed
 * body, headers). Any failure is thrown as an n8n error saying what is wrong and what to change.
 */
export const restRequest = async function restRequest(this: TransportContext, request: RestRequest): Promise<RestResponse> {
	const { response, failure } = await sendRestRequest(this, request);
	if (failure) throw toNodeError(this.getNode(), failure);
	return response;
} as RestRequestFunction;
