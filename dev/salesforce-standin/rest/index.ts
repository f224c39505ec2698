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
import { versionMajor } from './versions';
import { restChangeOrigin } from './writeObserver';

export { handleVersions } from './versions';
export { NOT_FOUND } from './errors';
export { RestState, userRow } from './state';

/**
 * /services/data/<version>/<resource>: authentication first, as Salesforce does (a dead session
 * answers 401 INVALID_SESSION_ID, which is what triggers re-authentication; a High Assurance
 * session 401 with a message re-authentication never fixes), then the daily allocation, then any
 * injected fault, then the resource.
 */

const SESSION_INVALID = [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }];
const HIGH_ASSURANCE = [{ message: 'This session is not valid for use with the REST API', errorCode: 'INVALID_SESSION_ID' }];

function route(context: RestContext): void {
	switch (context.segments[0]) {
		case '':
			allow(context, 'GET');
			sendJson(
				context.res,
				200,
				Object.fromEntries(['limits', 'query', 'queryAll', 'sobjects', 'composite'].map((name) => [name, `/services/data/${context.version}/${name}`])),
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
		default:
			throw notFound();
	}
}

export function handleVersioned(
	org: Org,
	req: IncomingMessage,
	res: ServerResponse,
	url: URL,
	version: string,
	resource: string,
	rawBody: string,
): void {
	const major = versionMajor(version);
	const segments = resourceSegments(resource);
	if (major === undefined || !segments) {
		sendJson(res, 404, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
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
		const context: RestContext = { org, req, res, url, version, major, method, segments, rawBody, user, userId: userIdOf(user), headers: usage.headers() };
		const fault = faults.take(method, url.pathname);
		if (fault) throw faultError(fault);
		route(context);
	} catch (error) {
		if (!(error instanceof RestError)) throw error;
		sendJson(res, error.status, error.errors, { ...usage.headers(), ...error.headers });
	} finally {
		// Each request is one transaction: what it wrote (and did not roll back) is committed now.
		org.rest.observer.commit(restChangeOrigin(req.headers, major));
		if (faults.requestDone()) org.sessions.endAll();
	}
}
