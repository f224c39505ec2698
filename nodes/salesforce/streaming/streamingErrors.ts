/**
 * What can stop a Streaming API subscription, and what the user should do about it.
 *
 * A `SalesforceStreamingError` is a `SalesforceRestError` (so the n8n glue turns it into a node error
 * like any other) whose MESSAGE already holds the fix: n8n 2.41 shows only the message of an error
 * that fails a trigger's activation, so a hint in the description alone would never be seen. The
 * description repeats the fix for the places that do show it (a failed execution's error view).
 * Salesforce's own words are quoted through `safeSalesforceText`, which removes any session id.
 */
import { SalesforceRestError, safeSalesforceText } from '../rest/restErrors';

export type StreamingFailure =
	/** A node parameter cannot name a channel; found before anything is sent. */
	| 'invalid-parameter'
	/** Salesforce has no such channel (or the object is not selected for Change Data Capture). */
	| 'channel-not-found'
	/** The API user may not subscribe to the channel. */
	| 'no-access'
	/** An org-wide Streaming API allocation is used up (clients at once, events a day, subscribers of a topic). */
	| 'limit'
	/** Salesforce refused the session, also a freshly obtained one. */
	| 'authentication'
	/** A stored replay id is older than Salesforce keeps events: the events in between are gone. */
	| 'window-lost'
	/** Anything else Salesforce answered that the package cannot act on. */
	| 'protocol';

export class SalesforceStreamingError extends SalesforceRestError {
	readonly failure: StreamingFailure;

	/** The channel subscribed to, when one was; e.g. `/data/AccountChangeEvent`. */
	readonly channel?: string;

	constructor(
		failure: StreamingFailure,
		problem: string,
		fix: string,
		details: { channel?: string; bayeuxError?: string; parameter?: string } = {},
	) {
		const code = details.bayeuxError
			? bayeuxCode(details.bayeuxError)
			: failure.toUpperCase().replace(/-/g, '_');
		super(code, `${problem.replace(/\.$/, '')}. ${fix}`, fix, { parameter: details.parameter });
		this.name = 'SalesforceStreamingError';
		this.failure = failure;
		if (details.channel) this.channel = details.channel;
	}
}

export function isSalesforceStreamingError(value: unknown): value is SalesforceStreamingError {
	return value instanceof SalesforceStreamingError;
}

/** `403::Unknown client` → `BAYEUX_403`: the error's code as the node error's code. */
function bayeuxCode(error: string): string {
	const status = /^(\d{3}):/.exec(error)?.[1];
	return status ? `BAYEUX_${status}` : 'BAYEUX_ERROR';
}

/** Salesforce's error text as it may appear in a message: redacted, one line, bounded. */
export function quoteSalesforce(text: string): string {
	return safeSalesforceText(text).replace(/\.$/, '');
}

/** A node parameter that cannot name a channel, with the fix in the message (it fails the activation). */
export function invalidChannelParameter(
	parameter: string,
	problem: string,
	fix: string,
): SalesforceStreamingError {
	return new SalesforceStreamingError('invalid-parameter', `${parameter}: ${problem}`, fix, {
		parameter,
	});
}
