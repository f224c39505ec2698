import type { ServerResponse } from 'node:http';
import type { StandinStreamingClient } from '../types';
import { sendJson } from '../http';
import type { BusEvent, EventBus } from './eventBus';
import type { ChannelTarget } from './channels';
import type { BayeuxMessage, Reply } from './bayeux';
import { unknownClient } from './bayeux';

/**
 * A CometD client as the server keeps it between requests: its subscriptions (each with how far
 * into its stream it has been delivered), whether a /meta/connect of it is being held, and the
 * reconnect timer that forgets it ("If the reconnection doesn't happen within 40 seconds, the
 * server expires the subscription" — Clients and Timeouts).
 */

export interface Subscription {
	channel: string;
	target: ChannelTarget;
	/** The replay id after which its events are still to be delivered. */
	cursor: number;
}

/** A /meta/connect the server is holding, with the replies of its request that wait for it. */
export interface HeldConnect {
	res: ServerResponse;
	message: BayeuxMessage;
	token: string;
	major: number;
	replies: Reply[];
	timer: NodeJS.Timeout;
}

/** Delivered event messages as the Streaming API sends them: `{channel, data: {schema, payload, event}}`. */
export type EventMessage = {
	channel: string;
	data: { schema: string; payload: Record<string, unknown>; event: Record<string, unknown> };
};

/** EventUuid reaches CometD clients of API version 52.0 and later (Platform Events Developer Guide, "EventUuid"). */
const EVENT_UUID_SINCE = 52;

export class BayeuxClient {
	readonly subscriptions = new Map<string, Subscription>();
	/** False until its first /meta/connect, which the server answers at once instead of holding. */
	connected = false;
	held: HeldConnect | undefined;
	private expiry: NodeJS.Timeout | undefined;

	constructor(
		readonly id: string,
		readonly browserId: string,
		readonly userId: string,
	) {}

	/** Starts (again) the time within which the client must come back. */
	expireAfter(ms: number, forget: () => void): void {
		this.stopExpiry();
		this.expiry = setTimeout(forget, ms);
		this.expiry.unref();
	}

	stopExpiry(): void {
		if (this.expiry) clearTimeout(this.expiry);
		this.expiry = undefined;
	}

	/** Ends the held connect's request: its earlier replies, then `messages`. */
	answer(messages: Reply[]): void {
		const held = this.held;
		if (!held) return;
		clearTimeout(held.timer);
		this.held = undefined;
		sendJson(held.res, 200, [...held.replies, ...messages]);
	}

	/** Whether any of its subscriptions wants this event. */
	wants(event: BusEvent): boolean {
		for (const subscription of this.subscriptions.values()) {
			if (
				subscription.target.stream === event.stream &&
				event.replayId > subscription.cursor &&
				subscription.target.accepts(event)
			)
				return true;
		}
		return false;
	}

	/**
	 * Up to `limit` undelivered events across its subscriptions, in publication order, marked
	 * delivered. An event two of its channels want comes once per channel, as in CometD.
	 */
	takeEvents(bus: EventBus, limit: number, major: number): EventMessage[] {
		const candidates: Array<{ subscription: Subscription; event: BusEvent }> = [];
		const scanned = new Map<Subscription, { last: number; complete: boolean }>();
		for (const subscription of this.subscriptions.values()) {
			let found = 0;
			let last = subscription.cursor;
			const events = bus.after(subscription.target.stream, subscription.cursor);
			for (const event of events) {
				if (found === limit) break;
				last = event.replayId;
				if (!subscription.target.accepts(event)) continue;
				candidates.push({ subscription, event });
				found++;
			}
			scanned.set(subscription, { last, complete: found < limit });
		}
		candidates.sort((a, b) => a.event.sequence - b.event.sequence);
		const taken = candidates.slice(0, limit);
		for (const [subscription, scan] of scanned) {
			const delivered = taken.filter((candidate) => candidate.subscription === subscription);
			const allTaken =
				delivered.length ===
				candidates.filter((candidate) => candidate.subscription === subscription).length;
			if (allTaken && scan.complete) subscription.cursor = scan.last;
			else if (delivered.length > 0)
				subscription.cursor = delivered[delivered.length - 1].event.replayId;
		}
		return taken.map(({ subscription, event }) => eventMessage(subscription.channel, event, major));
	}
}

function eventMessage(channel: string, event: BusEvent, major: number): EventMessage {
	const uuid =
		event.eventUuid !== undefined && major >= EVENT_UUID_SINCE
			? { EventUuid: event.eventUuid }
			: {};
	return {
		channel,
		data: {
			schema: event.schema,
			payload: event.payload,
			event: { ...uuid, replayId: event.replayId },
		},
	};
}

/** The clients the server knows, and the reconnect timeout that makes it forget them. */
export class ClientRegistry {
	private readonly clients = new Map<string, BayeuxClient>();

	constructor(private readonly reconnectTimeoutMs: number) {}

	get(id: string | undefined): BayeuxClient | undefined {
		return id === undefined ? undefined : this.clients.get(id);
	}

	all(): BayeuxClient[] {
		return [...this.clients.values()];
	}

	add(client: BayeuxClient): void {
		this.clients.set(client.id, client);
		this.awaitReturn(client);
	}

	/** After an answer: the client must be back within the reconnect timeout. */
	awaitReturn(client: BayeuxClient): void {
		if (this.clients.get(client.id) === client && !client.held)
			client.expireAfter(this.reconnectTimeoutMs, () => this.forget(client));
	}

	/** Forgets the client; a connect of it still held is answered with `reply` (by default: the client is unknown). */
	forget(client: BayeuxClient, reply: (held: BayeuxMessage) => Reply = unknownClient): void {
		client.stopExpiry();
		if (client.held) client.answer([reply(client.held.message)]);
		this.clients.delete(client.id);
	}

	/** Forgets every client without answering anyone (a restart drops the connections instead). */
	dropAll(): void {
		for (const client of this.clients.values()) {
			if (client.held) clearTimeout(client.held.timer);
			client.held = undefined;
			client.stopExpiry();
		}
		this.clients.clear();
	}

	describe(): StandinStreamingClient[] {
		return this.all().map((client) => ({
			clientId: client.id,
			channels: [...client.subscriptions.keys()],
			connectHeld: client.held !== undefined,
		}));
	}
}
