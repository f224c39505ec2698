import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { StandinApp, StandinFault, StandinUser } from './types';
import type { Org } from './org';
import { findUser, tokenSignature } from './org';
import { newSessionId } from './ids';
import { JSON_CONTENT_TYPE, send, sendJson } from './http';
import { tokenResponseBody } from './token';

/**
 * Injected failures of the token endpoint: what a flaky network, a maintenance window or a
 * tampering proxy would do. None of them issues a real session or counts as a login; tests count
 * attempts with `tokenRequests()`.
 */

const MAINTENANCE_PAGE = `<!DOCTYPE html>
<html><head><title>Salesforce - Maintenance</title></head>
<body><h1>We're down for maintenance</h1>
<p>Salesforce is temporarily unavailable. Please try again later.</p></body></html>
`;

/**
 * A success-shaped body for the request's app and user, whose token is not a live session: it is
 * what a truncated or tampered answer would have carried.
 */
function unbackedSuccess(org: Org, fields: Record<string, string>): Record<string, string> {
	const app: StandinApp = org.apps.find(
		(candidate) => candidate.consumerKey === fields.client_id,
	) ??
		org.apps[0] ?? { consumerKey: 'unknown', consumerSecret: 'unknown' };
	const user: StandinUser = findUser(org.users, fields.username) ??
		findUser(org.users, app.clientCredentialsRunAs) ??
		org.users[0] ?? { username: 'unknown@standin.example', password: '' };
	return tokenResponseBody(
		org,
		app,
		user,
		newSessionId(org.orgId, org.label),
		undefined,
		fields.grant_type,
	);
}

/** A true TCP reset where the socket allows it (plain TCP); TLS sockets can only be destroyed. */
export function resetConnection(socket: Socket): void {
	try {
		socket.resetAndDestroy();
	} catch {
		socket.destroy();
	}
}

/** Answers the request as the fault dictates. `delay` is handled by the caller, which then answers normally. */
export function playFault(
	fault: Exclude<StandinFault, { kind: 'delay' }>,
	org: Org,
	fields: Record<string, string>,
	req: IncomingMessage,
	res: ServerResponse,
): void {
	switch (fault.kind) {
		case 'hang':
			// Never answer; close() destroys the socket so no handle outlives the stand-in.
			return;
		case 'reset':
			resetConnection(req.socket);
			return;
		case 'html':
			send(res, fault.status, MAINTENANCE_PAGE, { 'Content-Type': 'text/html;charset=UTF-8' });
			return;
		case 'truncated-json': {
			const full = JSON.stringify(unbackedSuccess(org, fields));
			// Cut inside the access token's value, with a Content-Length that matches: the client
			// receives the whole (broken) body and must fail on parsing, not on the transport.
			send(res, 200, full.slice(0, Math.floor(full.length / 3)), {
				'Content-Type': JSON_CONTENT_TYPE,
			});
			return;
		}
		case 'invalid-json':
			send(res, 200, "{'status': 'OK', token: <pending>}", { 'Content-Type': JSON_CONTENT_TYPE });
			return;
		case 'no-access-token': {
			const body = unbackedSuccess(org, fields);
			delete body.access_token;
			sendJson(res, 200, body);
			return;
		}
		case 'bad-signature': {
			const body = unbackedSuccess(org, fields);
			// A well-formed HMAC over the right message, keyed with the wrong secret.
			body.signature = tokenSignature('not the consumer secret', body.id, body.issued_at);
			sendJson(res, 200, body);
			return;
		}
		case 'redirect':
			send(res, fault.status, '', {
				Location: fault.location,
				'Content-Type': 'text/html;charset=UTF-8',
			});
			return;
		case 'error': {
			const body: Record<string, string> = { error: fault.error };
			if (fault.error_description !== undefined) body.error_description = fault.error_description;
			sendJson(res, fault.status, body);
			return;
		}
	}
}
