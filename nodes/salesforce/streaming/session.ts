/**
 * A Streaming API subscription as a state machine: given each answer Salesforce gives (or the lack
 * of one), it says what to do next — send a handshake, subscribe, connect (long poll), wait first,
 * get a new session, or stop with an error — and queues the events received, in order, for the node.
 * It does no I/O and keeps no timer: the node's adapter sends, sleeps and emits.
 *
 * The rules, from the Bayeux 1.0 specification ("advice") and the Streaming API Developer Guide
 * ("How the Client Connects", "Handling Streaming API Errors", "Streaming API Error Codes"):
 * - one request at a time (one outstanding /meta/connect, as Bayeux requires), so a handshake can
 *   never race a subscription: each client id subscribes exactly once;
 * - `advice` is followed: `interval` before the next connect, `timeout` for how long a connect is
 *   held, `reconnect: handshake` → handshake, `none` → stop (a client "MUST NOT automatically retry");
 * - `403::Unknown client` (the server dropped the client: a network gap, 40 s without reconnecting
 *   after events, Hyperforce scaling) → handshake again and subscribe from the last event delivered;
 * - `401::Authentication invalid` (on /meta/connect, advice `none`) or a handshake denied for
 *   `401::…` (in `ext.sfdc.failureReason`), or HTTP 401 → one new session, then handshake; refused
 *   again before the connection is back → stop, never a second login;
 * - a network failure, a 5xx, `503::Server is too busy` → try again after a backoff that doubles
 *   from 1 s to 60 s and is the same every time (no jitter: tests can count on it); the first retry
 *   is immediate, unless Salesforce said it is busy (then 1 s). A connect that got no readable reply
 *   is not sent again but replaced by a new handshake and a subscription from the last event
 *   delivered: its lost answer may have carried events, which the server no longer holds for that
 *   client (seen with the stand-in: an answer written into a dropped connection), while replay does;
 *   once the new client is subscribed, the old one is disconnected, so the server never holds two
 *   subscriptions of the trigger.
 *   The streak only ends after two good connects in a row, so a server that accepts a connect and
 *   then forgets the client each time cannot make a tight loop;
 * - a subscription refused for its channel or the user's access → stop with what to change in Setup;
 *   for a stored replay id Salesforce no longer holds → report the lost window and take every event
 *   still retained.
 */
import {
	cometdPath,
	connectMessage,
	disconnectMessage,
	eventMessages,
	failureReason,
	findReply,
	handshakeMessage,
	offersLongPolling,
	parseAnswer,
	readAdvice,
	subscribeMessage,
	type Advice,
	type BayeuxMessage,
} from './bayeux';
import type { StreamingChannel } from './channels';
import { CookieJar } from './cookies';
import { isUnreadable, readEvent, type StreamEvent } from './events';
import {
	authenticationRefused,
	classifyTrouble,
	orgLimitReached,
	streamingStopped,
	subscriptionRefused,
	windowLost,
	type Trouble,
} from './explain';
import { activationTime, ReplayBook, type ReplayFrom, type StoredReplay } from './replay';
import { safeSalesforceText } from '../rest/restErrors';
import type { SalesforceStreamingError } from './streamingErrors';

export type BayeuxPurpose = 'handshake' | 'subscribe' | 'connect' | 'disconnect';

/** A POST to send: `body` as JSON to the instance URL + `path`, with `cookie` as the Cookie header when set. */
export interface BayeuxRequest {
	purpose: BayeuxPurpose;
	path: string;
	body: BayeuxMessage[];
	cookie?: string;
	/** Give up on the answer after this long (a connect is held up to advice.timeout). */
	timeoutMs: number;
}

export type StreamingAction =
	/** Wait `delayMs` (0: none), then send. */
	| { kind: 'send'; request: BayeuxRequest; delayMs: number }
	/** Get a new session through the credential (one login), then call `sessionRenewed()` or `renewalFailed()`. */
	| { kind: 'renewSession'; delayMs: number }
	/** Done: deactivated (no error), or nothing more can be done (the error says what to change). */
	| { kind: 'stop'; error?: Error };

/** Salesforce's answer to the last request, whatever its HTTP status. Header names in any case. */
export interface StreamingAnswer {
	status: number;
	body: unknown;
	headers?: Record<string, unknown>;
}

export type StreamingNotice =
	/** Report as a failed execution, before the events that follow it. */
	| { kind: 'windowLost'; error: SalesforceStreamingError }
	/** An event message that is none of the known kinds; for the log. */
	| { kind: 'unreadable'; channel: string; problem: string };

export interface StreamingSessionOptions {
	channel: StreamingChannel;
	/** The REST API version in use, e.g. `62.0`: the endpoint is `/cometd/62.0`. */
	apiVersion: string;
	/** What the trigger stored (static data) at its last emit; anything, it is checked. */
	stored: unknown;
	/** For the very first activation of this channel (nothing stored): new events only, or all retained. */
	replayFrom: ReplayFrom;
	/** n8n's clock, used only when Salesforce's answer has no Date header. */
	now: () => number;
}

/** The first retry is immediate, then 1 s, doubling to 60 s. */
export const BACKOFF_BASE_MS = 1_000;
export const BACKOFF_CAP_MS = 60_000;
/** An org-wide allocation used up while running: look again after this long. */
export const ORG_LIMIT_RETRY_MS = 5 * 60_000;
/** Salesforce holds a connect up to 110 s ("Clients and Timeouts"); wait that long plus this before giving up. */
const DEFAULT_CONNECT_HOLD_MS = 110_000;
const CONNECT_GRACE_MS = 30_000;
const REQUEST_TIMEOUT_MS = 30_000;
const DISCONNECT_TIMEOUT_MS = 10_000;
/** Good connects in a row that end a failure streak (a server may accept the first one at once, then drop the client). */
const CONNECTS_THAT_END_A_STREAK = 2;

/** How long to wait before the attempt after `failures` failures in a row. */
export function backoffMs(failures: number): number {
	if (failures <= 1) return 0;
	return Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (failures - 2));
}

function header(headers: Record<string, unknown> | undefined, name: string): unknown {
	if (!headers) return undefined;
	const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
	return key === undefined ? undefined : headers[key];
}

type Phase =
	| 'handshake'
	| 'subscribe'
	| 'farewell'
	| 'connect'
	| 'renewing'
	| 'stopping'
	| 'stopped';

export class StreamingSession {
	private readonly path: string;

	private readonly book: ReplayBook;

	private readonly cookies = new CookieJar();

	private readonly notices: StreamingNotice[] = [];

	private phase: Phase = 'handshake';

	private pending: BayeuxMessage | undefined;

	private clientId: string | undefined;

	/** A client given up after a lost answer, still subscribed on the server: told to go once the new one is subscribed. */
	private abandoned: { clientId: string; cookie?: string } | undefined;

	private advice: Advice = {};

	private messageCount = 0;

	/** Failures since the connection last worked (see CONNECTS_THAT_END_A_STREAK). */
	private failures = 0;

	private goodConnects = 0;

	/** A new session was obtained and the connection has not worked since: another 401 stops. */
	private renewed = false;

	/** A subscription has succeeded in this activation. */
	private established = false;

	constructor(private readonly options: StreamingSessionOptions) {
		this.path = cometdPath(options.apiVersion);
		this.book = new ReplayBook(options.channel, options.stored, options.replayFrom);
	}

	get channel(): StreamingChannel {
		return this.options.channel;
	}

	/** A subscription has succeeded: the activation worked (errors after it are reported, not thrown at activation). */
	get isEstablished(): boolean {
		return this.established;
	}

	/** Failures in a row, for the log. */
	get failureStreak(): number {
		return this.failures;
	}

	start(): StreamingAction {
		return this.handshake(0);
	}

	/** The answer to the request of the last `send` action. */
	answered(answer: StreamingAnswer): StreamingAction {
		if (this.phase === 'stopping' || this.phase === 'stopped') return this.stopped();
		const request = this.pending;
		if (!request)
			return this.stopped(
				streamingStopped('The Streaming API client got an answer it did not ask for'),
			);
		this.pending = undefined;
		// The old client's goodbye: whatever it says, and its cookies (its browser's), do not concern the new one.
		if (this.phase === 'farewell') return this.connect(0);
		this.cookies.remember(header(answer.headers, 'set-cookie'));

		const messages = parseAnswer(answer.body);
		const reply = messages ? findReply(messages, request) : undefined;
		for (const message of messages ? eventMessages(messages) : []) this.receive(message);
		if (!reply) return this.unreadableAnswer(answer);

		// "Advice received always supersedes any previous received advice" (Bayeux 1.0): replaced, not merged.
		const advice = readAdvice(reply);
		if (advice) this.advice = advice;
		switch (this.phase) {
			case 'handshake':
				return this.handshakeAnswered(reply, answer);
			case 'subscribe':
				return this.subscribeAnswered(reply);
			default:
				return this.connectAnswered(reply);
		}
	}

	/** No answer to the last request: the connection failed or timed out (the adapter logs why). */
	noAnswer(): StreamingAction {
		if (this.phase === 'stopping' || this.phase === 'stopped') return this.stopped();
		if (!this.pending)
			return this.stopped(
				streamingStopped('The Streaming API client lost an answer it did not wait for'),
			);
		this.pending = undefined;
		if (this.phase === 'farewell') return this.connect(0);
		// After a lost subscribe, whether the server registered it is unknown: a new client is sure to
		// hold one subscription. After a lost connect, its answer may have held events: replay brings them.
		this.abandonClient();
		return this.handshakeAfterFailure();
	}

	/** The credential gave a new session: handshake with it. */
	sessionRenewed(): StreamingAction {
		if (this.phase !== 'renewing') return this.stopped();
		return this.handshake(0);
	}

	/** No new session could be had: stop with the credential's error (never retried: it would burn logins). */
	renewalFailed(error: Error): StreamingAction {
		return this.stopped(error);
	}

	/** Deactivation: disconnect the client, if there is one (abort an outstanding connect first). */
	stop(): StreamingAction {
		if (this.phase === 'stopped') return { kind: 'stop' };
		const clientId = this.clientId;
		this.clientId = undefined;
		if (!clientId || this.phase === 'stopping') return this.stopped();
		this.phase = 'stopping';
		return {
			kind: 'send',
			request: this.request(
				'disconnect',
				disconnectMessage(this.nextId(), clientId),
				DISCONNECT_TIMEOUT_MS,
			),
			delayMs: 0,
		};
	}

	/** The next event to emit, in the order Salesforce delivered them; write `storedReplay()` to static data first. */
	takeEvent(): StreamEvent | undefined {
		return this.book.take();
	}

	/** n8n has the execution of the event: later subscriptions, and the stored replay, start after it. */
	delivered(event: StreamEvent): void {
		this.book.delivered(event);
	}

	/** Events received and not yet taken. */
	get queuedEvents(): number {
		return this.book.queued;
	}

	/** What to keep in static data: after the activation, and before each emit. */
	storedReplay(): StoredReplay | undefined {
		return this.book.storedReplay();
	}

	takeNotices(): StreamingNotice[] {
		return this.notices.splice(0);
	}

	// -------------------------------------------------------------------------------------------

	private handshakeAnswered(reply: BayeuxMessage, answer: StreamingAnswer): StreamingAction {
		if (reply.successful === true && typeof reply.clientId === 'string' && reply.clientId !== '') {
			if (!offersLongPolling(reply))
				return this.stopped(
					streamingStopped("Salesforce's Streaming API offers no long-polling connection"),
				);
			this.clientId = reply.clientId;
			// A new client starts from its own advice, not from what a denied handshake or a dropped client was told.
			this.advice = readAdvice(reply) ?? {};
			const date = header(answer.headers, 'date');
			this.book.activated(
				activationTime(typeof date === 'string' ? date : undefined, this.options.now()),
			);
			return this.subscribe(0);
		}
		const reason = failureReason(reply);
		const trouble = classifyTrouble(reply.error, reason);
		if (trouble === 'authentication') return this.renewSession(reply.error, reason);
		if (trouble === 'org-limit') return this.orgLimit(reply.error ?? reason);
		if (trouble === 'busy') return this.handshakeAfterFailure(BACKOFF_BASE_MS);
		if (this.advice.reconnect === 'none')
			return this.stopped(
				streamingStopped('Salesforce denied the Streaming API handshake', reply.error, reason),
			);
		return this.handshakeAfterFailure();
	}

	private subscribeAnswered(reply: BayeuxMessage): StreamingAction {
		if (reply.successful === true) {
			this.established = true;
			return this.abandoned ? this.farewell() : this.connect(0);
		}
		const trouble = classifyTrouble(reply.error);
		switch (trouble) {
			case 'replay-invalid': {
				const lost = this.book.replayRefused();
				if (!lost)
					return this.stopped(
						streamingStopped(`Salesforce refused to replay ${this.channel.path}`, reply.error),
					);
				this.notices.push({
					kind: 'windowLost',
					error: windowLost(this.channel, lost, reply.error),
				});
				return this.subscribe(0);
			}
			case 'authentication':
				return this.renewSession(reply.error);
			case 'unknown-client':
				return this.handshakeAfterFailure();
			case 'busy':
				return this.handshakeAfterFailure(BACKOFF_BASE_MS);
			case 'org-limit':
				return this.orgLimit(reply.error);
			case 'no-cookie':
				return this.stopped(noCookie(reply.error));
			default:
				return this.stopped(subscriptionRefused(this.channel, trouble, reply.error));
		}
	}

	private connectAnswered(reply: BayeuxMessage): StreamingAction {
		if (reply.successful === true) {
			this.goodConnects++;
			if (this.goodConnects >= CONNECTS_THAT_END_A_STREAK) {
				this.failures = 0;
				this.renewed = false;
			}
			const interval = this.advice.interval ?? 0;
			if (interval < 0)
				return this.stopped(
					streamingStopped('Salesforce advised not to reconnect to the Streaming API'),
				);
			return this.connect(interval);
		}
		const trouble: Trouble = classifyTrouble(reply.error);
		if (trouble === 'authentication') return this.renewSession(reply.error);
		if (trouble === 'no-cookie') return this.stopped(noCookie(reply.error));
		if (trouble === 'org-limit') return this.orgLimit(reply.error);
		if (this.advice.reconnect === 'handshake' || trouble === 'unknown-client')
			return this.handshakeAfterFailure();
		if (this.advice.reconnect === 'none')
			return this.stopped(
				streamingStopped('Salesforce ended the Streaming API connection', reply.error),
			);
		return this.retryConnect(trouble === 'busy' ? BACKOFF_BASE_MS : 0);
	}

	/** An answer that holds no reply to the request: an HTTP error page, garbage, or a reply lost. */
	private unreadableAnswer(answer: StreamingAnswer): StreamingAction {
		const { status } = answer;
		if (status === 401) return this.renewSession(undefined, 'HTTP 401');
		const busy = status === 429 || status >= 500;
		if (!busy && status !== 408 && !(status >= 200 && status < 300)) {
			const text = typeof answer.body === 'string' ? answer.body : '';
			const said = text.trim() !== '' ? `: "${safeSalesforceText(text).slice(0, 200)}"` : '';
			return this.stopped(
				streamingStopped(`The Streaming API endpoint ${this.path} answered HTTP ${status}${said}`),
			);
		}
		// No reply read: whatever it held (events too) is lost to this client; a new one replays it.
		this.abandonClient();
		return this.handshakeAfterFailure(busy ? BACKOFF_BASE_MS : 0);
	}

	private receive(message: BayeuxMessage): void {
		const event = readEvent(message);
		if (isUnreadable(event))
			this.notices.push({ kind: 'unreadable', channel: event.channel, problem: event.problem });
		else this.book.receive(event);
	}

	// -------------------------------------------------------------------------------------------
	// Next steps

	private failed(): number {
		this.failures++;
		this.goodConnects = 0;
		return backoffMs(this.failures);
	}

	/** After a failure: handshake afresh, after the backoff (at least `minimumMs`: Salesforce said it is busy). */
	private handshakeAfterFailure(minimumMs = 0): StreamingAction {
		return this.handshake(Math.max(this.failed(), minimumMs));
	}

	/** After a failure: the same client connects again, after the backoff and at least advice.interval. */
	private retryConnect(minimumMs = 0): StreamingAction {
		return this.connect(Math.max(this.failed(), minimumMs, this.advice.interval ?? 0));
	}

	/** The client is given up while the server may still hold its subscription (see `farewell`). */
	private abandonClient(): void {
		if (!this.clientId || (this.phase !== 'connect' && this.phase !== 'subscribe')) return;
		this.abandoned = { clientId: this.clientId, cookie: this.cookies.header() };
	}

	/**
	 * The new client is subscribed: the one given up is disconnected (with its own cookie), so the
	 * server never holds two subscriptions of this trigger for the 40 s it would keep the old one.
	 * Best effort: its answer, or none, leads to the new client's first connect.
	 */
	private farewell(): StreamingAction {
		const { clientId, cookie } = this.abandoned as { clientId: string; cookie?: string };
		this.abandoned = undefined;
		this.phase = 'farewell';
		const message = disconnectMessage(this.nextId(), clientId);
		this.pending = message;
		return {
			kind: 'send',
			request: {
				purpose: 'disconnect',
				path: this.path,
				body: [message],
				...(cookie ? { cookie } : {}),
				timeoutMs: DISCONNECT_TIMEOUT_MS,
			},
			delayMs: 0,
		};
	}

	private handshake(delayMs: number): StreamingAction {
		this.phase = 'handshake';
		this.clientId = undefined;
		this.cookies.clear();
		return this.send('handshake', handshakeMessage(this.nextId()), REQUEST_TIMEOUT_MS, delayMs);
	}

	private subscribe(delayMs: number): StreamingAction {
		this.phase = 'subscribe';
		const message = subscribeMessage(
			this.nextId(),
			this.clientId as string,
			this.channel.path,
			this.book.subscribeFrom(),
		);
		return this.send('subscribe', message, REQUEST_TIMEOUT_MS, delayMs);
	}

	private connect(delayMs: number): StreamingAction {
		this.phase = 'connect';
		const hold = this.advice.timeout ?? DEFAULT_CONNECT_HOLD_MS;
		return this.send(
			'connect',
			connectMessage(this.nextId(), this.clientId as string),
			hold + CONNECT_GRACE_MS,
			delayMs,
		);
	}

	private renewSession(error?: string, reason?: string): StreamingAction {
		if (this.renewed) return this.stopped(authenticationRefused(error, reason));
		this.renewed = true;
		this.goodConnects = 0;
		this.phase = 'renewing';
		this.clientId = undefined;
		return { kind: 'renewSession', delayMs: 0 };
	}

	/** Refused at activation: say so. Once running: look again later (the allocation frees up). */
	private orgLimit(error: string | undefined): StreamingAction {
		if (!this.established) return this.stopped(orgLimitReached(error, this.channel));
		this.failed();
		return this.handshake(ORG_LIMIT_RETRY_MS);
	}

	private stopped(error?: Error): StreamingAction {
		this.phase = 'stopped';
		this.pending = undefined;
		this.clientId = undefined;
		return error ? { kind: 'stop', error } : { kind: 'stop' };
	}

	private send(
		purpose: BayeuxPurpose,
		message: BayeuxMessage,
		timeoutMs: number,
		delayMs: number,
	): StreamingAction {
		return { kind: 'send', request: this.request(purpose, message, timeoutMs), delayMs };
	}

	private request(
		purpose: BayeuxPurpose,
		message: BayeuxMessage,
		timeoutMs: number,
	): BayeuxRequest {
		this.pending = message;
		const cookie = this.cookies.header();
		return { purpose, path: this.path, body: [message], ...(cookie ? { cookie } : {}), timeoutMs };
	}

	private nextId(): string {
		this.messageCount++;
		return String(this.messageCount);
	}
}

/** Salesforce did not get the BAYEUX_BROWSER cookie back: the adapter's cookie handling is broken. */
function noCookie(error: string | undefined): SalesforceStreamingError {
	return streamingStopped(
		'The Streaming API connection lost its session cookie (BAYEUX_BROWSER); this is a defect of the trigger, please report it',
		error,
	);
}
