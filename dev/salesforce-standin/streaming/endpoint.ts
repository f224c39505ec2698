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
import { BayeuxClient, ClientRegistry } from './clients';
import { resolveChannel } from './channels';
import type { DeliveryAllocation, StreamingCounts, StreamingSettings } from './settings';

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

/** CometD's multiSessionInterval: how long a second client of a busy browser waits before polling again. */
const MULTIPLE_CLIENTS_INTERVAL_MS = 2000;
const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

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
	private readonly clients: ClientRegistry;
	private sessionCheck: NodeJS.Timeout | undefined;
	private readonly waking = new Set<BayeuxClient>();

	constructor(
		private readonly org: Org,
		private readonly bus: EventBus,
		private readonly isSelected: (objectName: string) => boolean,
		private readonly settings: StreamingSettings,
		private readonly counts: StreamingCounts,
		private readonly allocation: DeliveryAllocation,
	) {
		this.clients = new ClientRegistry(settings.reconnectTimeoutMs);
		bus.onPublish((event) => this.published(event));
	}

	handle(req: IncomingMessage, res: ServerResponse, path: string, rawBody: string): void {
		if (req.method !== 'POST') return send(res, 405, '', { Allow: 'POST' });
		if (Buffer.byteLength(rawBody) > MAX_REQUEST_BYTES)
			return send(res, 413, 'Maximum Request Size Exceeded', {
				'Content-Type': 'text/plain;charset=UTF-8',
			});
		const messages = parseMessages(rawBody);
		if (!messages)
			return send(res, 400, 'Bad Request: the body is not a JSON array of Bayeux messages', {
				'Content-Type': 'text/plain;charset=UTF-8',
			});
		const version = cometdVersion(path);
		if ('error' in version)
			return sendJson(
				res,
				400,
				messages.map((message) => failure(message, version.error)),
			);

		const token = bearerToken(req);
		const user = token ? liveSessionUser(this.org, token) : undefined;
		const browserId = cookieValue(req.headers.cookie, COOKIE_NAME);
		const request: Request = {
			req,
			res,
			major: version.major,
			token,
			user,
			browserId,
			replies: [],
			headers: {},
			held: false,
		};
		for (const message of messages) this.dispatch(request, message);
		if (!request.held) sendJson(res, 200, request.replies, request.headers);
	}

	describeClients(): StandinStreamingClient[] {
		return this.clients.describe();
	}

	/** Every client is forgotten (as when the server times clients out); a held connect learns it at once. */
	forgetClients(): void {
		for (const client of this.clients.all()) this.clients.forget(client);
	}

	/** A server restart: every client is gone without a word (the caller drops the connections). */
	dropClients(): void {
		this.clients.dropAll();
		this.stopSessionCheck();
	}

	/** Answers every held connect whose session has ended with 401::Authentication invalid. */
	checkSessions(): void {
		for (const client of this.clients.all()) {
			if (client.held && !liveSessionUser(this.org, client.held.token))
				this.clients.forget(client, (held) => authenticationInvalid(held, client.id));
		}
		if (!this.clients.all().some((client) => client.held)) this.stopSessionCheck();
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
				return this.withClient(request, message, (client) =>
					this.connect(request, message, client),
				);
			case '/meta/subscribe':
				this.counts.subscribes++;
				return this.withClient(request, message, (client, user) =>
					this.subscribe(request, message, client, user),
				);
			case '/meta/unsubscribe':
				this.counts.unsubscribes++;
				return this.withClient(request, message, (client) =>
					this.unsubscribe(request, message, client),
				);
			case '/meta/disconnect':
				this.counts.disconnects++;
				return this.withClient(request, message, (client) =>
					this.disconnect(request, message, client),
				);
			default:
				request.replies.push(failure(message, FAULTS.publishDenied));
		}
	}

	private handshake(request: Request, message: BayeuxMessage): void {
		if (!request.token)
			return void request.replies.push(handshakeDenied(message, FAULTS.authenticationMissing));
		if (!request.user)
			return void request.replies.push(handshakeDenied(message, FAULTS.authenticationInvalid));
		if (!request.browserId) {
			request.browserId = randomChars(28, ID_ALPHABET);
			const secure = (request.req.socket as { encrypted?: boolean }).encrypted ? '; Secure' : '';
			request.headers['Set-Cookie'] =
				`${COOKIE_NAME}=${request.browserId}; Path=/; HttpOnly${secure}`;
		}
		const client = new BayeuxClient(
			randomChars(27, ID_ALPHABET),
			request.browserId,
			userIdOf(request.user),
		);
		this.clients.add(client);
		const ext = { replay: true, 'payload.format': true };
		request.replies.push(
			replyTo(message, {
				ext,
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
	private withClient(
		request: Request,
		message: BayeuxMessage,
		then: (client: BayeuxClient, user: StandinUser) => void,
	): void {
		const id = typeof message.clientId === 'string' ? message.clientId : undefined;
		const client = this.clients.get(id);
		if (!request.user) {
			if (client) this.clients.forget(client, (held) => authenticationInvalid(held, client.id));
			if (message.channel === '/meta/disconnect')
				return void request.replies.push(replyTo(message, { clientId: id, successful: true }));
			return void request.replies.push(authenticationInvalid(message, id));
		}
		if (id === undefined) return void request.replies.push(failure(message, FAULTS.noHandshake));
		if (!client) return void request.replies.push(unknownClient(message));
		if (!request.browserId)
			return void request.replies.push(
				failure(message, FAULTS.noCookie(client.id), { clientId: client.id }),
			);
		if (request.browserId !== client.browserId)
			return void request.replies.push(unknownClient(message));
		if (userIdOf(request.user) !== client.userId)
			return void request.replies.push(failure(message, FAULTS.otherUser, { clientId: client.id }));
		then(client, request.user);
		this.clients.awaitReturn(client);
	}

	private subscribe(
		request: Request,
		message: BayeuxMessage,
		client: BayeuxClient,
		user: StandinUser,
	): void {
		const { subscription } = message;
		const refuse = (error: string) =>
			request.replies.push(failure(message, error, { clientId: client.id, subscription }));
		if (this.allocation.exhausted) return void refuse(FAULTS.dailyEventLimit);
		const target = resolveChannel(
			{ objects: this.org.rest.store.objects, isSelected: this.isSelected, user },
			subscription,
		);
		if ('error' in target) return void refuse(target.error);
		const channel = subscription as string;
		const replay = replayOption(message, channel);
		const cursor = this.bus.startAfter(target.stream, replay);
		if (cursor === undefined) return void refuse(FAULTS.invalidReplayId(replay));
		client.subscriptions.set(channel, { channel, target, cursor });
		request.replies.push(
			replyTo(message, { clientId: client.id, subscription: channel, successful: true }),
		);
	}

	private unsubscribe(request: Request, message: BayeuxMessage, client: BayeuxClient): void {
		if (typeof message.subscription === 'string') client.subscriptions.delete(message.subscription);
		request.replies.push(
			replyTo(message, {
				clientId: client.id,
				subscription: message.subscription,
				successful: true,
			}),
		);
	}

	/** The held long poll ends at once; `reconnect: none` tells it not to come back. */
	private disconnect(request: Request, message: BayeuxMessage, client: BayeuxClient): void {
		this.clients.forget(client, (held) =>
			replyTo(held, {
				clientId: client.id,
				successful: true,
				advice: { reconnect: 'none', interval: 0 },
			}),
		);
		request.replies.push(replyTo(message, { clientId: client.id, successful: true }));
	}

	private connect(request: Request, message: BayeuxMessage, client: BayeuxClient): void {
		const fail = (error: string, advice?: Reply) =>
			request.replies.push(
				failure(message, error, { clientId: client.id, ...(advice ? { advice } : {}) }),
			);
		if (message.connectionType !== 'long-polling')
			return void fail(FAULTS.invalidConnectionType(message.connectionType));
		if (this.allocation.exhausted)
			return void fail(FAULTS.dailyEventLimit, { reconnect: 'none', interval: 0 });
		// One long poll per client: a newer connect ends the one held (CometD resumes it).
		if (client.held)
			client.answer([
				replyTo(client.held.message, {
					clientId: client.id,
					successful: true,
					advice: this.advice(),
				}),
			]);

		const events = this.take(client, request.major);
		const first = !client.connected;
		client.connected = true;
		const otherHeld = this.clients
			.all()
			.some((other) => other !== client && other.browserId === client.browserId && other.held);
		if (events.length === 0 && !first && !otherHeld) return this.hold(request, message, client);
		const advice = otherHeld
			? { ...this.advice(), 'multiple-clients': true, interval: MULTIPLE_CLIENTS_INTERVAL_MS }
			: this.advice();
		request.replies.push(
			...events,
			replyTo(message, { clientId: client.id, successful: true, advice }),
		);
	}

	private hold(request: Request, message: BayeuxMessage, client: BayeuxClient): void {
		client.stopExpiry();
		const timer = setTimeout(() => this.release(client), this.settings.longPollTimeoutMs);
		client.held = {
			res: request.res,
			message,
			token: request.token as string,
			major: request.major,
			replies: request.replies,
			timer,
		};
		request.held = true;
		for (const [name, value] of Object.entries({ 'Cache-Control': 'no-cache', ...request.headers }))
			request.res.setHeader(name, value);
		// The client gave up on the request (aborted it, or the connection dropped): stop holding.
		request.res.once('close', () => {
			if (client.held?.res !== request.res) return;
			clearTimeout(client.held.timer);
			client.held = undefined;
			this.clients.awaitReturn(client);
		});
		this.startSessionCheck();
	}

	/** Answers a held connect with what is waiting (or nothing, at the long-poll timeout). */
	private release(client: BayeuxClient): void {
		const held = client.held;
		if (!held) return;
		if (!liveSessionUser(this.org, held.token))
			return this.clients.forget(client, (message) => authenticationInvalid(message, client.id));
		client.answer([
			...this.take(client, held.major),
			replyTo(held.message, { clientId: client.id, successful: true, advice: this.advice() }),
		]);
		this.clients.awaitReturn(client);
	}

	private take(client: BayeuxClient, major: number): Reply[] {
		const events = client.takeEvents(
			this.bus,
			this.allocation.capacity(this.settings.maxEventsPerConnect),
			major,
		);
		this.allocation.delivered(events.length);
		return events;
	}

	/** A new event wakes the held connects that want it, once per tick (so a burst arrives together). */
	private published(event: BusEvent): void {
		const scheduled = this.waking.size > 0;
		for (const client of this.clients.all()) {
			if (client.held && client.wants(event)) this.waking.add(client);
		}
		if (scheduled || this.waking.size === 0) return;
		setImmediate(() => {
			const waking = [...this.waking];
			this.waking.clear();
			for (const client of waking) if (this.clients.get(client.id) === client) this.release(client);
		});
	}

	private advice(): Reply {
		return { interval: 0, timeout: this.settings.longPollTimeoutMs, reconnect: 'retry' };
	}

	private startSessionCheck(): void {
		if (this.sessionCheck) return;
		this.sessionCheck = setInterval(
			() => this.checkSessions(),
			this.settings.sessionCheckIntervalMs,
		);
		this.sessionCheck.unref();
	}

	private stopSessionCheck(): void {
		if (this.sessionCheck) clearInterval(this.sessionCheck);
		this.sessionCheck = undefined;
	}
}

/** The replay extension's `ext: {replay: {"<channel>": <replayId>}}`; no entry means -1 (new events only). */
function replayOption(message: BayeuxMessage, channel: string): unknown {
	const replay = (message.ext as { replay?: unknown } | undefined)?.replay;
	return typeof replay === 'object' && replay !== null && channel in replay
		? (replay as Record<string, unknown>)[channel]
		: -1;
}
