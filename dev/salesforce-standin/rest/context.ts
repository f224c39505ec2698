import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { StandinUser } from '../types';
import type { Org } from '../org';
import type { WriteContext } from './schema';
import { methodNotAllowed, restError } from './errors';
import type { Reply } from '../http';

/** One authenticated REST request, as the resource handlers see it. */
export interface RestContext {
	org: Org;
	/** The request's headers (a Composite subrequest's: the top-level request's plus its httpHeaders). */
	req: { headers: IncomingHttpHeaders };
	res: Reply;
	url: URL;
	/** 'v62.0' */
	version: string;
	major: number;
	/** HEAD is answered like GET. */
	method: string;
	/** The path after the version, split on '/' and percent-decoded (so an encoded '/' stays inside its segment). */
	segments: string[];
	rawBody: string;
	user: StandinUser;
	userId: string;
	/** Headers every answer carries (Sforce-Limit-Info). */
	headers: Record<string, string>;
	/** The HTTP exchange itself, for handlers that stream bodies: read it through exchange(). */
	http?: { req: IncomingMessage; res: ServerResponse };
}

/**
 * The request and response of a top-level request, for the handlers that stream (file uploads and
 * downloads, Bulk API CSV). A Composite subrequest has none: its answer is captured, not sent
 * (its context carries a captured reply instead of the top-level response). "The sObject Blob
 * Retrieve resource isn't compatible with Composite API requests" (REST API Guide); the stand-in
 * refuses blob uploads there too (silent).
 */
export function exchange(context: RestContext): { req: IncomingMessage; res: ServerResponse } {
	if (!context.http || context.http.res !== context.res) {
		throw restError(
			400,
			'INVALID_API_INPUT',
			'Blob uploads and downloads are not available in Composite subrequests: send them as requests of their own',
		);
	}
	return context.http;
}

/** A REST write: the session's user, stamped now by the org's clock (to the second). */
export function writeContext(context: RestContext): WriteContext {
	return { userId: context.userId, now: context.org.clock.auditNow() };
}

/** The path after the version, split on '/' and percent-decoded; undefined when an escape is broken. */
export function resourceSegments(resource: string): string[] | undefined {
	try {
		return resource === ''
			? ['']
			: resource
					.replace(/\/$/, '')
					.split('/')
					.map((segment) => decodeURIComponent(segment));
	} catch {
		return undefined;
	}
}

export function allow(context: RestContext, ...methods: string[]): void {
	if (!methods.includes(context.method)) {
		const allowed = methods.includes('GET') ? [...methods, 'HEAD'] : methods;
		throw methodNotAllowed(context.method, allowed);
	}
}

/**
 * The JSON body. Salesforce answers 415 for another media type and JSON_PARSER_ERROR for an
 * empty or unparsable body (fact sheet §6: "415 Content-Type").
 */
export function jsonBody(context: RestContext): unknown {
	if (context.rawBody.trim() === '') {
		throw restError(
			400,
			'JSON_PARSER_ERROR',
			'The HTTP entity body is required, but this request has no entity body.',
		);
	}
	const mediaType = (context.req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
	if (mediaType !== 'application/json') {
		throw restError(
			415,
			'UNSUPPORTED_MEDIA_TYPE',
			`MediaType of '${mediaType || 'none'}' is not supported by this resource`,
		);
	}
	try {
		return JSON.parse(context.rawBody) as unknown;
	} catch (error) {
		throw restError(
			400,
			'JSON_PARSER_ERROR',
			`Unexpected character in the request body: ${(error as Error).message}`,
		);
	}
}

export function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A body that must be one JSON object (a record). */
export function objectBody(context: RestContext): Record<string, unknown> {
	const body = jsonBody(context);
	if (!isObject(body))
		throw restError(
			400,
			'JSON_PARSER_ERROR',
			`Cannot deserialize instance of SObject from ${Array.isArray(body) ? 'START_ARRAY' : 'VALUE_STRING'}`,
		);
	return body;
}
