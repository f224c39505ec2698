/**
 * What a request to Salesforce and its answer may be, and how they become n8n's request options.
 * Kinds live in the options, not in copies of the send loop:
 * - body: JSON (a value), text (a CSV upload: the text and its content type), or a stream given as
 *   a factory — n8n cannot send a consumed stream again, so every attempt (after a 401, a lock, a
 *   503) builds a fresh one;
 * - answer: JSON (parsed; the default), text (a CSV result), or a stream (a file download), which
 *   n8n hands over unread.
 */
import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';
import type { RequestParameters } from '../salesforce';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/**
 * A Node.js Readable, as far as the client relies on it: axios sends anything with `pipe` as a
 * stream body, and an answer stream is read with `for await` and dropped with `destroy`.
 */
export interface ByteStream extends AsyncIterable<unknown> {
	pipe(...args: never[]): unknown;
	destroy(error?: Error): unknown;
}

export type RequestBody =
	| { json: unknown }
	| { text: string; contentType: string }
	/** Bytes already in memory (a file n8n keeps in memory); n8n can send them again. */
	| { bytes: Uint8Array; contentType: string }
	| { stream: () => ByteStream; contentType: string; contentLength?: number };

export type AnswerKind = 'json' | 'text' | 'stream';

export interface SalesforceRequest {
	method: HttpMethod;
	/**
	 * Relative to /services/data/v62.0/ (`sobjects/Account`), or any /services/… path of the
	 * instance, or the Streaming API's /cometd/<version>; never another host (see resolveApiPath).
	 */
	path: string;
	qs?: IDataObject;
	body?: RequestBody;
	/** Default 'json'. */
	answer?: AnswerKind;
	/** Added to (or replacing) Accept and the body's Content-Type. */
	headers?: Record<string, string>;
	/** Default: a little over Salesforce's own 10-minute limit on a call. */
	timeoutMs?: number;
	/**
	 * Stops the request: no further attempt or retry pause, and the pending attempt is given up. n8n
	 * passes it to the HTTP request in a poll, trigger or editor context; in a node's execution n8n
	 * sends the execution's own cancel signal instead, so the connection stops waiting but the socket
	 * lives until that signal or the timeout.
	 */
	signal?: AbortSignal;
	/** What the request does, lower case, for errors: "creating Account records". Default: the method and path. */
	what?: string;
	/** The node parameters the request was built from: errors name the one to change. */
	parameters?: RequestParameters;
	/**
	 * Sent even after the execution was cancelled: the clean-up of work the execution started (a
	 * Bulk job's abort). n8n gives every authenticated request of a node's execution the
	 * execution's cancel signal, which would stop this one before it left; `timeoutMs` bounds it.
	 */
	outlivesCancellation?: boolean;
	/**
	 * Every answer but a 401 is handed back as it came, whatever its status, and none is sent again:
	 * for an API whose answers carry their own errors and whose client keeps its own retry schedule
	 * (the Streaming API). A 401 still gets the one re-login; an answer that never came is a failure.
	 */
	everyStatus?: boolean;
}

export type ResponseHeaders = Record<string, string | string[] | undefined>;

/** What n8n's request helpers return with `returnFullResponse`. */
export interface N8nFullResponse {
	statusCode: number;
	headers?: Record<string, unknown>;
	body: unknown;
}

export interface SalesforceResponse<T = unknown> {
	status: number;
	/** JSON: parsed ('' for an answer without a body, e.g. 204); text: the text; stream: the unread stream. */
	body: T;
	/** Lower-case names. */
	headers: ResponseHeaders;
}

/** Salesforce ends a call after 10 minutes (queries excepted); a little more than that. */
export const REQUEST_TIMEOUT_MS = 630_000;

/** n8n's options for one attempt at `request` on the resolved `path` (a stream body is built afresh here). */
export function n8nOptionsFor(request: SalesforceRequest, path: string): IHttpRequestOptions {
	const answer = request.answer ?? 'json';
	const options: IHttpRequestOptions = {
		method: request.method,
		url: path,
		qs: request.qs,
		returnFullResponse: true,
		// Every answer but 401 comes back here; on a 401 n8n logs in once and sends the request again.
		ignoreHttpStatusErrors: { ignore: true, except: [401] },
		timeout: request.timeoutMs ?? REQUEST_TIMEOUT_MS,
	};
	const headers: Record<string, string> = {};
	if (answer === 'json') {
		options.json = true;
		headers.Accept = 'application/json';
	} else {
		options.encoding = answer;
	}
	const body = request.body;
	if (body && 'json' in body) {
		options.body = body.json as IHttpRequestOptions['body'];
	} else if (body && 'text' in body) {
		options.body = body.text;
		headers['Content-Type'] = body.contentType;
	} else if (body && 'bytes' in body) {
		options.body = Buffer.from(body.bytes.buffer, body.bytes.byteOffset, body.bytes.byteLength);
		headers['Content-Type'] = body.contentType;
	} else if (body && 'stream' in body) {
		options.body = body.stream() as unknown as IHttpRequestOptions['body'];
		headers['Content-Type'] = body.contentType;
		if (body.contentLength !== undefined) headers['Content-Length'] = String(body.contentLength);
		// n8n 2.41's redirect library keeps every chunk of a body it may have to send again until the
		// answer arrives: the whole file would end up in memory. Salesforce does not redirect its API.
		options.disableFollowRedirect = true;
		// n8n cannot resend a consumed stream after a 401: the loop logs in and builds a new one.
		options.ignoreHttpStatusErrors = true;
	}
	if (request.signal) options.abortSignal = request.signal;
	options.headers = { ...headers, ...request.headers };
	return options;
}

export function plainHeaders(headers: Record<string, unknown> | undefined): ResponseHeaders {
	const plain: ResponseHeaders = {};
	for (const [name, value] of Object.entries(headers ?? {})) {
		if (typeof value === 'string' || Array.isArray(value))
			plain[name.toLowerCase()] = value as string | string[];
		else if (typeof value === 'number') plain[name.toLowerCase()] = String(value);
	}
	return plain;
}

function isByteStream(value: unknown): value is ByteStream {
	return (
		typeof value === 'object' &&
		value !== null &&
		typeof (value as ByteStream).pipe === 'function' &&
		Symbol.asyncIterator in value
	);
}

/** Enough of an error answer to explain it; the rest of a long page is not read. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;

/** An error answer's body as Salesforce sent it: a stream (answer kind 'stream') is read to text, at most 64 KB. */
export async function readableErrorBody(body: unknown): Promise<unknown> {
	if (!isByteStream(body)) return body;
	const chunks: Buffer[] = [];
	let size = 0;
	try {
		for await (const chunk of body) {
			const bytes =
				typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array);
			chunks.push(bytes);
			size += bytes.length;
			if (size >= MAX_ERROR_BODY_BYTES) break;
		}
	} catch {
		// What arrived before the stream broke is all there is to explain.
	} finally {
		body.destroy();
	}
	return Buffer.concat(chunks).subarray(0, MAX_ERROR_BODY_BYTES).toString('utf8');
}
