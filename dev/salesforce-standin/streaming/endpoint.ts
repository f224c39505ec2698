import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Org } from '../org';
import { liveSessionUser, userIdOf } from '../org';
import type { StandinStreamingClient, StandinUser } from '../types';
import { bearerToken, send, sendJson } from '../http';
import { randomChars } from '../ids';
import type { BusEvent, EventBus } from './eventBus';
import type { BayeuxMessage, Reply } from './bayeux';
import {
	authenticationInvalid,
	COOKIE_NAME,
	cometdVersion,
	cookieValue,
	failure,
	FAULTS,
	handshakeDenied,
	MAX_REQUEST_BYTES,
	parseMessages,
	replyTo,
	unknownClient,
} from './bayeux';
import { BayeuxClient } from './clients';
import { resolveChannel } from './channels';
import type { DeliveryUsage, StreamingCounts, StreamingSettings } from './settings';

/**
 * The CometD endpoint, `POST <instance>/cometd/<version>` (Streaming API Developer Guide):
 * handshake, subscribe with the replay extension, long-polling connect, unsubscribe, disconnect.
 *
 * - Every request carries `Authorization: Bearer <session>`; "Streaming API regularly validates the
 *   OAuth token or session ID while the client is connected": a held connect whose session ends is
 *   answered 401::Authentication invalid with `reconnect: none` (Handling Streaming API Errors).
 * - The handshake sets the BAYEUX_BROWSER cookie; later messages without it are refused
 *   ("Client … has established a session, but no BAYEUX_BROWSER cookie present"); with another
 *   browser's cookie the client is unknown, as CometD binds a session to its browser.
 * - The first /meta/connect after a handshake is answered at once (CometD hands the client its
 *   advice); later ones are held until events arrive or the long-poll timeout (110 s) passes.
 *   A second connect of the same client answers the first; a connect of another client of the
 *   same browser while one is held is answered at once with `multiple-clients` advice, as CometD's
 *   one-long-poll-per-browser rule does ("You can have only one CometD connection in one browser").
 * - A client that does not come back within the reconnect timeout (40 s) after an answer is
 *   forgotten; its next message gets 403::Unknown client with `reconnect: handshake`.
 */

const MULTIPLE_CLIENTS_INTERVAL_MS = 2000;

interface Request {
	req: IncomingMessage;
	res: ServerResponse;
	major: number;
	token: string | undefined;
	user: StandinUser | undefined;
	browserId: string | undefined;
	replies: Reply[];
	/** Set-Cookie for a browser the handshake met for the first time. */
	headers: Record<string, string>;
	held: boolean;
}

export class CometdEndpoint {
	private readonly clients = new Map<string, BayeuxClient>();
	private sessionCheck: NodeJS.Timeout | undefined;
	private wakeScheduled = false;
	private readonly waking = new Set<BayeuxClient>();

	constructor(
		private readonly org: Org,
		private readonly bus: EventBus,
		private readonly isSelected: (objectName: string) => boolean,
		private readonly settings: StreamingSettings,
		private readonly counts: StreamingCounts,
		private readonly usage: DeliveryUsage,
	) {
		bus.onPublish((event) => this.published(event));
	}

	handle(req: IncomingMessage, res: ServerResponse, path: string, rawBody: string): void {
		if (req.method !== 'POST') {
			send(res, 405, '', { Allow: 'POST' });
			return;
		}
		if (Buffer.byteLength(rawBody) > MAX_REQUEST_BYTES) {
			send(res, 413, 'Maximum Request Size Exceeded', { 'Content-Type': 'text/plain;charset=UTF-8' });
			return;
		}
		const messages = parseMessages(rawBody);
		if (!messages) {
			send(res, 400, 'Bad Request: the body is not a JSON array of Bayeux messages', { 'Content-Type': 'text/plain;charset=UTF-8' });
			return;
		}
		const version = cometdVersion(path);
		if ('error' in version) {
			sendJson(res, 400, messages.map((message) => failure(message, version.error)));
			return;
		}
		const token = bearerToken(req);
		const request: Request = {
			req,
			res,
			major: version.major,
			token,
			user: token ? liveSessionUser(this.org, token) : undefined,
			browserId: cookieValue(req.headers.cookie, COOKIE_NAME),
			replies: [],
			headers: {},
			held: false,
		};
		for (const message of messages) this.dispatch(request, message);
		if (!request.held) sendJson(res, 200, request.replies, request.headers);
	}

	describeClients(): StandinStreamingClient[] {
		return [...this.clients.values()].map((client) => ({ clientId: client.id, channels: [...client.subscriptions.keys()], connectHeld: client.held !== undefined }));
	}

	/** Every client is forgotten (as when the server times clients out); a held connect learns it at once. */
	forgetClients(): void {
		for (const client of [...this.clients.values()]) {
			if (client.held) this.answer(client, [unknownClient(client.held.message)], false);
			this.forget(client);
		}
	}

	/** A server restart: every client is gone without a word (the caller drops the connections). */
	dropClients(): void {
		for (const client of this.clients.values()) {
			if (client.held) clearTimeout(client.held.timer);
			client.held = undefined;
			client.stopExpiry();
		}
		this.clients.clear();
		this.stopSessionCheck();
	}

	/** Answers every held connect whose session has ended with 401::Authentication invalid. */
	checkSessions(): void {
		for (const client of [...this.clients.values()]) {
			const held = client.held;
			if (held && !liveSessionUser(this.org, held.token)) {
				this.answer(client, [authenticationInvalid(held.message, client.id)], false);
				this.forget(client);
			}
		}
	}

	close(): void {
		this.dropClients();
	}

	private dispatch(request: Request, message: BayeuxMessage): void {
		switch (message.channel) {
			case '/meta/handshake':
				this.counts.handshakes++;
				return this.handshake(request, message);
			case '/meta/connect':
				this.counts.connects++;
				return this.withClient(request, message, (client) => this.connect(request, message, client));
			case '/meta/subscribe':
				this.counts.subscribes++;
				return this.withClient(request, message, (client, user) => this.subscribe(request, message, client, user));
			case '/meta/unsubscribe':
				this.counts.unsubscribes++;
				return this.withClient(request, message, (client) => this.unsubscribe(request, message, client));
			case '/meta/disconnect':
				this.counts.disconnects++;
				return this.withClient(request, message, (client) => this.disconnect(request, message, client));
			default:
				request.replies.push(failure(message, FAULTS.publishDenied));
		}
	}

	private handshake(request: Request, message: BayeuxMessage): void {
		if (!request.token) return void request.replies.push(handshakeDenied(message, FAULTS.authenticationMissing));
		if (!request.user) return void request.replies.push(handshakeDenied(message, FAULTS.authenticationInvalid));
		if (!request.browserId) {
			request.browserId = randomChars(28, 'abcdefghijklmnopqrstuvwxyz0123456789');
			const secure = (request.req.socket as { encrypted?: boolean }).encrypted ? '; Secure' : '';
			request.headers['Set-Cookie'] = `${COOKIE_NAME}=${request.browserId}; Path=/; HttpOnly${secure}`;
		}
		const client = new BayeuxClient(randomChars(27, 'abcdefghijklmnopqrstuvwxyz0123456789'), request.browserId, userIdOf(request.user));
		this.clients.set(client.id, client);
		this.awaitReturn(client);
		request.replies.push(
			replyTo(message, {
				ext: { replay: true, 'payload.format': true },
				minimumVersion: '1.0',
				clientId: client.id,
				supportedConnectionTypes: ['long-polling'],
				advice: this.advice(),
				version: '1.0',
				successful: true,
			}),
		);
	}

	/** The checks every message after the handshake passes, in the order the server makes them. */
	private withClient(request: Request, message: BayeuxMessage, then: (client: BayeuxClient, user: StandinUser) => void): void {
		const id = typeof message.clientId === 'string' ? message.clientId : undefined;
		const client = id === undefined ? undefined : this.clients.get(id);
		if (!request.user) {
			if (client) this.forget(client);
			if (message.channel === '/meta/disconnect') return void request.replies.push(replyTo(message, { clientId: id, successful: true }));
			return void request.replies.push(authenticationInvalid(message, id));
		}
		if (id === undefined) return void request.replies.push(failure(message, FAULTS.noHandshake));
		if (!client) return void request.replies.push(unknownClient(message));
		if (!request.browserId) return void request.replies.push(failure(message, FAULTS.noCookie(client.id), { clientId: client.id }));
		if (request.browserId !== client.browserId) return void request.replies.push(unknownClient(message));
		if (userIdOf(request.user) !== client.userId) return void request.replies.push(failure(message, FAULTS.otherUser, { clientId: client.id }));
		then(client, request.user);
		if (this.clients.has(client.id) && !client.held) this.awaitReturn(client);
	}

	private subscribe(request: Request, message: BayeuxMessage, client: BayeuxClient, user: StandinUser): void {
		const { subscription } = message;
		const refuse = (error: string) => request.replies.push(failure(message, error, { clientId: client.id, subscription }));
		if (this.allocationUsed()) return void refuse(FAULTS.dailyEventLimit);
		const target = resolveChannel({ objects: this.org.rest.store.objects, isSelected: this.isSelected, user }, subscription);
		if ('error' in target) return void refuse(target.error);
		const channel = subscription as string;
		const replay = replayFrom(message, channel);
		let cursor: number;
		if (replay === -1) cursor = this.bus.latestReplayId(target.stream);
		else if (replay === -2) cursor = -Infinity;
		else if (typeof replay === 'number' && Number.isInteger(replay) && this.bus.isRetained(target.stream, replay)) cursor = replay;
		else return void refuse(FAULTS.invalidReplayId(replay));
		client.subscriptions.set(channel, { channel, target, cursor });
		request.replies.push(replyTo(message, { clientId: client.id, subscription: channel, successful: true }));
	}

	private unsubscribe(request: Request, message: BayeuxMessage, client: BayeuxClient): void {
		if (typeof message.subscription === 'string') client.subscriptions.delete(message.subscription);
		request.replies.push(replyTo(message, { clientId: client.id, subscription: message.subscription, successful: true }));
	}

	private disconnect(request: Request, message: BayeuxMessage, client: BayeuxClient): void {
		// The held long poll ends at once; `reconnect: none` tells it not to come back.
		if (client.held) this.answer(client, [replyTo(client.held.message, { clientId: client.id, successful: true, advice: { reconnect: 'none', interval: 0 } })], false);
		this.forget(client);
		request.replies.push(replyTo(message, { clientId: client.id, successful: true }));
	}

	private connect(request: Request, message: BayeuxMessage, client: BayeuxClient): void {
		if (message.connectionType !== 'long-polling') return void request.replies.push(failure(message, FAULTS.invalidConnectionType(message.connectionType), { clientId: client.id }));
		if (this.allocationUsed()) {
			return void request.replies.push(failure(message, FAULTS.dailyEventLimit, { clientId: client.id, advice: { reconnect: 'none', interval: 0 } }));
		}
		// Only one long poll per client: a newer connect ends the one held (CometD resumes it).
		if (client.held) this.answer(client, [replyTo(client.held.message, { clientId: client.id, successful: true, advice: this.advice() })], false);

		const events = client.takeEvents(this.bus, this.deliverable(), request.major);
		const first = !client.connected;
		client.connected = true;
		const otherHeld = [...this.clients.values()].some((other) => other !== client && other.browserId === client.browserId && other.held);
		if (events.length > 0 || first || otherHeld) {
			this.delivered(events.length);
			const advice = otherHeld ? { ...this.advice(), 'multiple-clients': true, interval: MULTIPLE_CLIENTS_INTERVAL_MS } : this.advice();
			request.replies.push(...events, replyTo(message, { clientId: client.id, successful: true, advice }));
			return;
		}
		this.hold(request, message, client);
	}

	private hold(request: Request, message: BayeuxMessage, client: BayeuxClient): void {
		client.stopExpiry();
		const timer = setTimeout(() => this.release(client), this.settings.longPollTimeoutMs);
		client.held = { res: request.res, message, token: request.token as string, major: request.major, replies: request.replies, timer };
		request.held = true;
		const headers = request.headers;
		client.held.res.setHeader('Cache-Control', 'no-cache');
		for (const [name, value] of Object.entries(headers)) client.held.res.setHeader(name, value);
		// The client gave up on the request (aborted it, or the connection dropped): stop holding.
		request.res.once('close', () => {
			if (client.held?.res !== request.res) return;
			clearTimeout(client.held.timer);
			client.held = undefined;
			if (this.clients.has(client.id)) this.awaitReturn(client);
		});
		this.startSessionCheck();
	}

	/** Answers a held connect with what is waiting (or nothing, at the long-poll timeout). */
	private release(client: BayeuxClient): void {
		const held = client.held;
		if (!held) return;
		if (!liveSessionUser(this.org, held.token)) {
			this.answer(client, [authenticationInvalid(held.message, client.id)], false);
			this.forget(client);
			return;
		}
		const events = client.takeEvents(this.bus, this.deliverable(), held.major);
		this.delivered(events.length);
		this.answer(client, [...events, replyTo(held.message, { clientId: client.id, successful: true, advice: this.advice() })], true);
	}

	/** Sends the held request's answer: its earlier replies, then `messages`. */
	private answer(client: BayeuxClient, messages: Reply[], expectReturn: boolean): void {
		const held = client.held;
		if (!held) return;
		clearTimeout(held.timer);
		client.held = undefined;
		sendJson(held.res, 200, [...held.replies, ...messages]);
		if (expectReturn) this.awaitReturn(client);
		if (![...this.clients.values()].some((other) => other.held)) this.stopSessionCheck();
	}

	/** A new event wakes the held connects that want it, once per tick (so a burst arrives together). */
	private published(event: BusEvent): void {
		for (const client of this.clients.values()) {
			if (client.held && client.wants(event)) this.waking.add(client);
		}
		if (this.waking.size === 0 || this.wakeScheduled) return;
		this.wakeScheduled = true;
		setImmediate(() => {
			this.wakeScheduled = false;
			const waking = [...this.waking];
			this.waking.clear();
			for (const client of waking) if (this.clients.get(client.id) === client) this.release(client);
		});
	}

	private awaitReturn(client: BayeuxClient): void {
		client.expireAfter(this.settings.reconnectTimeoutMs, () => this.forget(client));
	}

	private forget(client: BayeuxClient): void {
		client.stopExpiry();
		if (client.held) clearTimeout(client.held.timer);
		this.clients.delete(client.id);
	}

	private advice(): Reply {
		return { interval: 0, timeout: this.settings.longPollTimeoutMs, reconnect: 'retry' };
	}

	private allocationUsed(): boolean {
		return this.usage.max !== undefined && this.usage.used >= this.usage.max;
	}

	/** How many events the next answer may carry. */
	private deliverable(): number {
		const left = this.usage.max === undefined ? Infinity : this.usage.max - this.usage.used;
		return Math.max(0, Math.min(this.settings.maxEventsPerConnect, left));
	}

	private delivered(count: number): void {
		this.counts.deliveredEvents += count;
		this.usage.used += count;
	}

	private startSessionCheck(): void {
		if (this.sessionCheck) return;
		this.sessionCheck = setInterval(() => this.checkSessions(), this.settings.sessionCheckIntervalMs);
		this.sessionCheck.unref();
	}

	private stopSessionCheck(): void {
		if (this.sessionCheck) clearInterval(this.sessionCheck);
		this.sessionCheck = undefined;
	}
}

/** The replay extension's `ext: {replay: {"<channel>": <replayId>}}`; no entry means -1 (new events only). */
function replayFrom(message: BayeuxMessage, channel: string): unknown {
	const ext = message.ext as { replay?: Record<string, unknown> } | undefined;
	const replay = ext?.replay;
	return replay && typeof replay === 'object' && channel in replay ? replay[channel] : -1;
}
