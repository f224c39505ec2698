import { LATEST_VERSION } from '../rest/versions';

/**
 * Bayeux 1.0 message shapes and the Streaming API's error texts. Errors travel inside HTTP 200
 * answers as `{successful: false, error: "<code>::<message>"}` (Streaming API Developer Guide,
 * "Streaming API Error Codes" and "Handling Streaming API Errors"); only a malformed request (no or
 * an unsupported API version in the URI, an oversized or unparsable body) is refused at the HTTP
 * level.
 */

export type BayeuxMessage = Record<string, unknown> & {
	channel?: unknown;
	id?: unknown;
	clientId?: unknown;
};
export type Reply = Record<string, unknown>;

export const OLDEST_STREAMING_VERSION = 37;
/** "The maximum size of the HTTP request post body that the server can accept from the client is 32,768 bytes." */
export const MAX_REQUEST_BYTES = 32768;
export const COOKIE_NAME = 'BAYEUX_BROWSER';

const URI_FORMAT = `URI format: '/cometd/${LATEST_VERSION}.0'`;

export const FAULTS = {
	versionMandatory: `400::API version in the URI is mandatory. ${URI_FORMAT}`,
	versionUnsupported: `400::Unsupported API version. Only API versions '${OLDEST_STREAMING_VERSION}.0' and later are supported. ${URI_FORMAT}`,
	channelNotSpecified: '400::Channel name not specified',
	leadingSlash: "400::Channel subscriptions must start with a leading '/'",
	noSuchChannel: (channel: string) =>
		`400::The channel you requested to subscribe to does not exist {${channel}}`,
	// Two spaces after "invalid.": as Salesforce sends it (quoted in forcedotcom/EMP-Connector issue #14).
	invalidReplayId: (replayId: unknown) =>
		`400::The replayId {${String(replayId)}} you provided was invalid.  Please provide a valid ID, -2 to replay all events, or -1 to replay only new events.`,
	noCookie: (clientId: string) =>
		`400::Client ${clientId} has established a session, but no ${COOKIE_NAME} cookie present`,
	otherUser: "400::Authenticated user id does not match the session's user id",
	invalidConnectionType: (type: unknown) => `400::Invalid connection type {${String(type)}}`,
	authenticationInvalid: '401::Authentication invalid',
	authenticationMissing: '401::Request requires authentication',
	handshakeDenied: '403::Handshake denied',
	noHandshake: '403::Client has not completed handshake',
	unknownClient: '403::Unknown client',
	restrictedChannel: '403::Restricted channel',
	changeEventsDenied: '403::User not allowed to subscribe CDC without View All Data permissions',
	dailyEventLimit: '403::Organization total events daily limit exceeded',
	// CometD's own answer to a publish its security policy refuses: CometD clients cannot publish events.
	publishDenied: '403::Publish denied',
} as const;

/** The fields every reply echoes from its request. */
export function replyTo(message: BayeuxMessage, fields: Reply): Reply {
	return {
		channel: message.channel,
		...(message.id !== undefined ? { id: message.id } : {}),
		...fields,
	};
}

export function failure(message: BayeuxMessage, error: string, extra: Reply = {}): Reply {
	return replyTo(message, { ...extra, error, successful: false });
}

/** The answer that sends a client back to the handshake (its state is gone). */
export function unknownClient(message: BayeuxMessage): Reply {
	return failure(message, FAULTS.unknownClient, {
		advice: { interval: 0, reconnect: 'handshake' },
	});
}

/** The session behind the request ended: the client must log in again (`reconnect: none`). */
export function authenticationInvalid(message: BayeuxMessage, clientId?: string): Reply {
	return failure(message, FAULTS.authenticationInvalid, {
		...(clientId ? { clientId } : {}),
		advice: { reconnect: 'none', interval: 0 },
	});
}

/** A refused handshake: the reason is nested in ext.sfdc.failureReason. */
export function handshakeDenied(message: BayeuxMessage, reason: string): Reply {
	return failure(message, FAULTS.handshakeDenied, {
		ext: { sfdc: { failureReason: reason }, replay: true, 'payload.format': true },
		advice: { reconnect: 'none' },
	});
}

/** The API version of `/cometd/<version>`, or the error for the URI. */
export function cometdVersion(path: string): { major: number } | { error: string } {
	const version = /^\/cometd\/?(.*?)\/?$/.exec(path)?.[1] ?? '';
	if (version === '') return { error: FAULTS.versionMandatory };
	const match = /^(\d+)\.0$/.exec(version);
	const major = match ? Number(match[1]) : NaN;
	if (!(major >= OLDEST_STREAMING_VERSION && major <= LATEST_VERSION))
		return { error: FAULTS.versionUnsupported };
	return { major };
}

/** The request's messages: a JSON array of them, or one message alone. */
export function parseMessages(body: string): BayeuxMessage[] | undefined {
	let parsed: unknown;
	try {
		parsed = JSON.parse(body);
	} catch {
		return undefined;
	}
	const list = Array.isArray(parsed) ? parsed : [parsed];
	return list.every(
		(message) => typeof message === 'object' && message !== null && !Array.isArray(message),
	)
		? (list as BayeuxMessage[])
		: undefined;
}

/** One cookie's value from a Cookie header. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
	for (const part of (header ?? '').split(';')) {
		const [key, ...value] = part.trim().split('=');
		if (key === name) return value.join('=');
	}
	return undefined;
}
