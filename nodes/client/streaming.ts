/**
 * The HTTP side of a Streaming API (CometD) subscription, for the core's StreamingSession
 * (../salesforce/streaming), which says what to send and reads what comes back. Each Bayeux request
 * is a POST to the instance's /cometd/<version> through the connection — the credential's session
 * applied by n8n, the one send loop — with:
 * - the BAYEUX_BROWSER cookie the session keeps (Salesforce refuses a client without it, and n8n's
 *   request helpers keep no cookies);
 * - every HTTP status handed back as it came, never sent again here: Bayeux answers carry their
 *   own errors, and the session keeps its own backoff;
 * - the abort signal, which ends a held long poll at once (deactivation).
 * Bayeux's `401::Authentication invalid` arrives inside an HTTP 200, where n8n never renews a
 * session: `renewStreamingSession` is the deliberate re-login (one login through the credential,
 * with its guard and cool-downs) the session asks for then.
 *
 * Change events carry only what changed; `readChangedRecords` reads the records as they are now
 * (the core's plan: Collections, 200 ids a request, every field the describe lists).
 */
import { findSalesforceAuthError } from '../n8n';
import {
	fieldsToFetch,
	planRecordFetches,
	readFetchedRecords,
	recordFetchRequest,
	type BayeuxRequest,
	type ChangeFacts,
	type SalesforceRecord,
	type StreamingAnswer,
} from '../salesforce';
import type { SalesforceConnection } from './connection';
import { describeObject } from './describe';
import { judgeSessionCheck } from './session';

export type BayeuxOutcome =
	/** Salesforce's answer, whatever its status (a 401 only after the connection's one re-login). */
	| { answer: StreamingAnswer }
	/** No answer came (connection refused or reset, timeout): the failure, for the log. */
	| { noAnswer: Error };

const WHAT: Record<BayeuxRequest['purpose'], string> = {
	handshake: 'the Streaming API handshake',
	subscribe: 'subscribing through the Streaming API',
	connect: 'the Streaming API long poll',
	disconnect: 'disconnecting from the Streaming API',
};

/** Sends one Bayeux request. Throws n8n's error when the signal aborts it or the credential cannot get a session. */
export async function postBayeux(
	connection: SalesforceConnection,
	request: BayeuxRequest,
	signal?: AbortSignal,
): Promise<BayeuxOutcome> {
	const { response, failure } = await connection.attempt({
		method: 'POST',
		path: request.path,
		body: { json: request.body },
		...(request.cookie ? { headers: { Cookie: request.cookie } } : {}),
		timeoutMs: request.timeoutMs,
		signal,
		everyStatus: true,
		what: WHAT[request.purpose],
	});
	if (response)
		return { answer: { status: response.status, body: response.body, headers: response.headers } };
	if (failure.httpStatus !== undefined) return { answer: { status: failure.httpStatus, body: '' } };
	return { noAnswer: failure };
}

export type Renewal =
	/** Salesforce accepts the credential's session now (a new one, or the stored one was fine for REST). */
	| { renewed: true }
	/** Salesforce could not be reached, or failed: nothing refused; ask again later. */
	| { unreachable: Error }
	/** A fresh session was refused, or the credential refused to log in (wrong details, cool-down): never asked again. */
	| { refused: Error };

/** A new session after Salesforce ended the one in use: the connection's re-login, judged for a subscription that waits. */
export async function renewStreamingSession(connection: SalesforceConnection): Promise<Renewal> {
	let failure: unknown;
	try {
		failure = await connection.renewSession();
	} catch (error) {
		const authError = findSalesforceAuthError(error);
		return authError?.isOutage
			? { unreachable: connection.nodeError(authError) }
			: { refused: connection.nodeError(error) };
	}
	if (failure === undefined) return { renewed: true };
	const judged = judgeSessionCheck(failure, await connection.instanceUrl());
	if (!judged) return { renewed: true };
	return judged.refused
		? { refused: connection.nodeError(judged.error) }
		: { unreachable: connection.nodeError(judged.error) };
}

/**
 * The current records the changes name, by id: one Collections request per object and 200 ids, the
 * object's fields from its describe (remembered a minute). Records deleted since are absent.
 * Failures are thrown as n8n errors.
 */
export async function readChangedRecords(
	connection: SalesforceConnection,
	changes: readonly ChangeFacts[],
	signal?: AbortSignal,
): Promise<Map<string, SalesforceRecord>> {
	const read = new Map<string, SalesforceRecord>();
	for (const fetch of planRecordFetches(changes)) {
		const fields = fieldsToFetch(await describeObject(connection, fetch.object));
		const { method, path, body } = recordFetchRequest(fetch, fields);
		const response = await connection.send({
			method,
			path,
			body: { json: body },
			signal,
			what: `reading the changed ${fetch.object} records`,
		});
		for (const [id, record] of readFetchedRecords(fetch, response.body)) read.set(id, record);
	}
	return read;
}
