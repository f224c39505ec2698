import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Org } from '../org';
import { liveSessionUser, userIdOf } from '../org';
import { bearerToken, sendJson } from '../http';
import type { RestContext } from './context';
import { allow, resourceSegments } from './context';
import { notFound, RestError } from './errors';
import { faultError } from './faults';
import { handleQuery } from './query';
import { handleSobjects } from './sobjects';
import { handleCollections } from './collections';
import { handleComposite } from './composite';
import { handleIngest } from './bulk/ingest';
import { handleQueryJobs } from './bulk/query';
import { versionMajor } from './versions';
import { restChangeOrigin } from './writeObserver';

import { blobField, isMultipart } from './files/upload';
import { MAX_BODY_BYTES } from '../http';

export { handleVersions } from './versions';
export { NOT_FOUND } from './errors';
export { RestState, userRow } from './state';

/**
 * /services/data/<version>/<resource>: authentication first, as Salesforce does (a dead session
 * answers 401 INVALID_SESSION_ID, which is what triggers re-authentication; a High Assurance
 * session 401 with a message re-authentication never fixes), then the daily allocation, then any
 * injected fault, then the resource.
 */

const SESSION_INVALID = [
	{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' },
];
const HIGH_ASSURANCE = [
	{
		message: 'This session is not valid for use with the REST API',
		errorCode: 'INVALID_SESSION_ID',
	},
];

function route(context: RestContext): void | Promise<void> {
	switch (context.segments[0]) {
		case '':
			allow(context, 'GET');
			sendJson(
				context.res,
				200,
				Object.fromEntries(
					['limits', 'query', 'queryAll', 'sobjects', 'composite', 'jobs'].map((name) => [
						name,
						`/services/data/${context.version}/${name}`,
					]),
				),
				context.headers,
			);
			return;
		case 'limits':
			allow(context, 'GET');
			sendJson(context.res, 200, context.org.rest.usage.limitsBody(), context.headers);
			return;
		case 'query':
			return handleQuery(context, false);
		case 'queryAll':
			return handleQuery(context, true);
		case 'sobjects':
			return handleSobjects(context);
		case 'composite':
			if (context.segments[1] === 'sobjects') return handleCollections(context);
			if (context.segments.length === 1) return handleComposite(context, route);
			throw notFound();
		case 'jobs':
			// Bulk API 2.0: ingest since v41.0, query since v47.0.
			if (context.segments[1] === 'ingest' && context.major >= 41) return handleIngest(context);
			if (context.segments[1] === 'query' && context.major >= 47) return handleQueryJobs(context);
			throw notFound();
		default:
			throw notFound();
	}
}

/** The resource path of a versioned REST request ('sobjects/ContentVersion'), or undefined. */
function resourceOf(pathname: string): string[] | undefined {
	const match = /^\/services\/data\/v\d+\.\d+\/(.*?)\/?$/.exec(pathname);
	return match ? match[1].split('/') : undefined;
}

/**
 * True for requests whose body the handler reads as a stream, so the server must not read it
 * first: multipart blob uploads (files/upload.ts) and Bulk API CSV uploads (bulk/ingest.ts).
 */
export function streamsRequestBody(org: Org, req: IncomingMessage, pathname: string): boolean {
	const segments = resourceOf(pathname);
	if (!segments) return false;
	const [resource, second, third, fourth] = segments;
	if (
		resource === 'sobjects' &&
		req.method === 'POST' &&
		third === undefined &&
		isMultipart(req.headers['content-type'])
	) {
		const object = second === undefined ? undefined : org.rest.store.object(second);
		return object !== undefined && blobField(object) !== undefined;
	}
	return (
		resource === 'jobs' &&
		second === 'ingest' &&
		fourth === 'batches' &&
		third !== undefined &&
		req.method === 'PUT'
	);
}

/** The largest body the server reads for a request: 1 MB, but a JSON blob upload may carry 50 MB. */
export function requestBodyLimit(org: Org, req: IncomingMessage, pathname: string): number {
	const [resource, second, third] = resourceOf(pathname) ?? [];
	const object =
		resource === 'sobjects' && second !== undefined && third === undefined
			? org.rest.store.object(second)
			: undefined;
	return req.method === 'POST' && object && blobField(object)
		? org.rest.blobLimits.jsonRequestBytes
		: MAX_BODY_BYTES;
}

export async function handleVersioned(
	org: Org,
	req: IncomingMessage,
	res: ServerResponse,
	url: URL,
	version: string,
	resource: string,
	rawBody: string,
): Promise<void> {
	const major = versionMajor(version);
	const segments = resourceSegments(resource);
	if (major === undefined || !segments) {
		sendJson(res, 404, [
			{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' },
		]);
		return;
	}
	const token = bearerToken(req);
	const user = token ? liveSessionUser(org, token) : undefined;
	if (!user) {
		sendJson(res, 401, SESSION_INVALID, { 'WWW-Authenticate': 'Token' });
		return;
	}
	if (user.highAssurance) {
		sendJson(res, 401, HIGH_ASSURANCE, { 'WWW-Authenticate': 'Token' });
		return;
	}
	const { usage, faults } = org.rest;
	const method = req.method === 'HEAD' ? 'GET' : (req.method ?? 'GET');
	try {
		usage.count();
		const context: RestContext = {
			org,
			req,
			res,
			url,
			version,
			major,
			method,
			segments,
			rawBody,
			user,
			userId: userIdOf(user),
			headers: usage.headers(),
			http: { req, res },
		};
		const fault = faults.take(method, url.pathname);
		if (fault) throw faultError(fault);
		await route(context);
	} catch (error) {
		if (!(error instanceof RestError)) throw error;
		sendJson(res, error.status, error.errors, { ...usage.headers(), ...error.headers });
	} finally {
		// Each request is one transaction: what it wrote (and did not roll back) is committed now.
		org.rest.observer.commit(restChangeOrigin(req.headers, major));
		if (faults.requestDone()) org.sessions.endAll();
	}
}
