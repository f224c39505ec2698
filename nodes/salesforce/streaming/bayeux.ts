/**
 * Bayeux 1.0 messages as Salesforce's Streaming API speaks them: plain JSON over HTTP POSTs to
 * `<instance URL>/cometd/<API version>` (CometD's "Bayeux Protocol Specification 1.0", appendix of
 * the CometD reference; Streaming API Developer Guide, "How the Client Connects").
 *
 * A request body is an array of messages; so is an answer, which may carry event messages beside
 * the reply to the request (Bayeux: "A Bayeux server MAY send event messages for the client in the
 * same HTTP response"). Replies to /meta/ messages echo the request's `id`.
 */

export const BAYEUX_VERSION = '1.0';
/** The only connection type Salesforce offers ("Invalid connection type" otherwise). */
export const LONG_POLLING = 'long-polling';

export type MetaChannel =
	| '/meta/handshake'
	| '/meta/subscribe'
	| '/meta/connect'
	| '/meta/disconnect';

export interface BayeuxMessage {
	channel: string;
	id?: string;
	clientId?: string;
	successful?: boolean;
	error?: string;
	advice?: unknown;
	ext?: unknown;
	data?: unknown;
	[field: string]: unknown;
}

/**
 * Salesforce keeps replay for API 37.0 and later; the CometD endpoint refuses versions before it
 * ("Unsupported API version. Only API versions '37.0' and later are supported").
 */
const FIRST_VERSION_WITH_REPLAY = 37;

/** The CometD endpoint's path on the instance: `/cometd/62.0`. */
export function cometdPath(apiVersion: string): string {
	const major = /^(\d+)\.0$/.exec(apiVersion)?.[1];
	if (!major || Number(major) < FIRST_VERSION_WITH_REPLAY) {
		throw new RangeError(
			`cometdPath: the Streaming API needs an API version of ${FIRST_VERSION_WITH_REPLAY}.0 or later, not "${apiVersion}"`,
		);
	}
	return `/cometd/${apiVersion}`;
}

/**
 * The handshake. `ext.replay: true` asks for Salesforce's replay extension, as Salesforce's own
 * clients do (EMP Connector's ReplayExtension); the replay ids themselves go with the subscribe.
 */
export function handshakeMessage(id: string): BayeuxMessage {
	return {
		channel: '/meta/handshake',
		id,
		version: BAYEUX_VERSION,
		supportedConnectionTypes: [LONG_POLLING],
		ext: { replay: true },
	};
}

/**
 * A subscription from a point in the channel's stream: `-1` new events only, `-2` every event still
 * retained, or a replay id — then the events after that one (Streaming API Developer Guide, "Message
 * Durability"). The replay ids go in `ext.replay`, keyed by channel.
 */
export function subscribeMessage(
	id: string,
	clientId: string,
	channel: string,
	replayFrom: number,
): BayeuxMessage {
	return {
		channel: '/meta/subscribe',
		id,
		clientId,
		subscription: channel,
		ext: { replay: { [channel]: replayFrom } },
	};
}

/** The long poll: Salesforce holds it until events arrive or `advice.timeout` (110 s) passes. */
export function connectMessage(id: string, clientId: string): BayeuxMessage {
	return { channel: '/meta/connect', id, clientId, connectionType: LONG_POLLING };
}

export function disconnectMessage(id: string, clientId: string): BayeuxMessage {
	return { channel: '/meta/disconnect', id, clientId };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The messages of an answer body (raw JSON text or parsed): an array of messages, or one message
 * (Bayeux: a client "MUST accept either array of messages and MAY accept a single message").
 * Undefined when the body is no Bayeux answer at all (an HTML error page, garbage).
 */
export function parseAnswer(body: unknown): BayeuxMessage[] | undefined {
	let value = body;
	if (typeof body === 'string' || Buffer.isBuffer(body)) {
		try {
			value = JSON.parse(String(body));
		} catch {
			return undefined;
		}
	}
	const candidates = Array.isArray(value) ? value : [value];
	if (candidates.length === 0) return undefined;
	const messages: BayeuxMessage[] = [];
	for (const candidate of candidates) {
		if (!isPlainObject(candidate) || typeof candidate.channel !== 'string') return undefined;
		const message = { ...candidate } as BayeuxMessage;
		// Salesforce's examples show numeric ids ("id": 7); requests send strings.
		if (typeof candidate.id === 'number') message.id = String(candidate.id);
		messages.push(message);
	}
	return messages;
}

/** The reply to `request` among an answer's messages: same meta channel, same id when the reply has one. */
export function findReply(
	messages: readonly BayeuxMessage[],
	request: BayeuxMessage,
): BayeuxMessage | undefined {
	return messages.find(
		(message) =>
			message.channel === request.channel &&
			(message.id === undefined || message.id === request.id),
	);
}

/** Event messages: everything on a channel that is not the protocol's own. */
export function eventMessages(messages: readonly BayeuxMessage[]): BayeuxMessage[] {
	return messages.filter((message) => !message.channel.startsWith('/meta/'));
}

export type Reconnect = 'retry' | 'handshake' | 'none';

export interface Advice {
	reconnect?: Reconnect;
	/** Milliseconds to wait before the next /meta/connect; negative: do not retry. */
	interval?: number;
	/** Milliseconds the server holds a /meta/connect (Salesforce: 110,000). */
	timeout?: number;
}

/** A message's `advice`, keeping only well-formed fields ("Advice received always supersedes any previous"). */
export function readAdvice(message: BayeuxMessage): Advice | undefined {
	if (!isPlainObject(message.advice)) return undefined;
	const { reconnect, interval, timeout } = message.advice;
	const advice: Advice = {};
	if (reconnect === 'retry' || reconnect === 'handshake' || reconnect === 'none')
		advice.reconnect = reconnect;
	if (typeof interval === 'number' && Number.isFinite(interval)) advice.interval = interval;
	if (typeof timeout === 'number' && Number.isFinite(timeout) && timeout >= 0)
		advice.timeout = timeout;
	return advice;
}

export interface BayeuxError {
	/** The three-digit code (`403` of `403::Unknown client`); undefined when the text has none. */
	code?: number;
	/** What sits between the colons (`403:xj3s,/foo:Denied` → `['xj3s', '/foo']`); usually none from Salesforce. */
	args: string[];
	/** The text after the second colon: `Unknown client`. */
	text: string;
}

/**
 * `error` = code ":" args ":" message (Bayeux 1.0, "error"): `403::Unknown client`,
 * `400::The replayId {12} you provided was invalid. …`. The message may itself hold colons.
 */
export function parseBayeuxError(error: unknown): BayeuxError | undefined {
	if (typeof error !== 'string' || error.trim() === '') return undefined;
	const match = /^(\d{3}):([^:]*):([\s\S]*)$/.exec(error.trim());
	if (!match) return { args: [], text: error.trim() };
	return {
		code: Number(match[1]),
		args: match[2] === '' ? [] : match[2].split(','),
		text: match[3].trim(),
	};
}

/**
 * Why Salesforce denied a handshake: `ext.sfdc.failureReason` (`401::Authentication invalid`, the
 * per-server connection limit, `503::Server is too busy …`); the `error` then only says
 * `403::Handshake denied` (Streaming API Developer Guide, "Streaming API Error Codes").
 */
export function failureReason(message: BayeuxMessage): string | undefined {
	const sfdc = isPlainObject(message.ext) ? message.ext.sfdc : undefined;
	const reason = isPlainObject(sfdc) ? sfdc.failureReason : undefined;
	return typeof reason === 'string' && reason.trim() !== '' ? reason.trim() : undefined;
}

/** The handshake reply's connection types include long polling (Bayeux: else the handshake "MUST be unsuccessful"). */
export function offersLongPolling(reply: BayeuxMessage): boolean {
	const types = reply.supportedConnectionTypes;
	return !Array.isArray(types) || types.includes(LONG_POLLING);
}
