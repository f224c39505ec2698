/**
 * Where a subscription starts, which received events go to the workflow, and what to remember so
 * that none is lost and none runs twice across reconnects and n8n restarts.
 *
 * Salesforce keeps events for replay (72 hours; PushTopic events 24) and a subscription names where
 * to start: `-1` new events only, `-2` all retained, or a replay id — the events after it ("Message
 * Durability"). Replay ids are opaque: never computed on, only stored and compared for equality.
 *
 * What n8n does shapes the rules (seen in n8n 2.41): a trigger's static data is saved at each
 * `emit()` — before that event's execution exists — and after activation, never at deactivation.
 * So the stored replay id is that of the last event whose execution n8n already has: written before
 * emitting the next one, it can never name an event n8n did not get. After a restart the last
 * emitted event may come again; the node passes `deliveryKey` as n8n's deduplication key, and
 * n8n ≥ 2.x refuses a second execution with it.
 *
 * "Replay From: new" before any event has arrived has no replay id to resume from, and `-1` after
 * a restart would skip what was published meanwhile. So the activation stores `since` — Salesforce's
 * clock (the handshake answer's Date header) less a margin — and any later subscription without a
 * replay id asks for `-2` and drops the events that happened before `since`. Limits: events from up
 * to the margin before the activation can be delivered that way; a restart longer than the retention
 * loses the oldest events without a report (there is no replay id for Salesforce to refuse); each
 * such re-read counts the retained events it skips against the org's daily delivery allocation.
 */
import { createHash } from 'crypto';
import type { StreamingChannel } from './channels';
import type { StreamEvent } from './events';

export type ReplayFrom = 'new' | 'allRetained';

/** New events only. */
export const REPLAY_NEW = -1;
/** Every event Salesforce still holds. */
export const REPLAY_ALL_RETAINED = -2;

/** What the trigger keeps in n8n's static data (plain JSON). */
export interface StoredReplay {
	channel: string;
	/** The last event n8n has the execution of: the next subscription starts after it. */
	replayId?: number;
	/** When that event happened (ISO), to name the window a too-old replay id lost. */
	occurredAt?: string;
	/** Replay From "new", no event yet: events from this moment on (ISO, Salesforce's clock less a margin). */
	since?: string;
}

/** Salesforce's Date header has whole seconds and its servers' clocks differ a little: start this much earlier. */
export const SERVER_CLOCK_MARGIN_MS = 2_000;
/** Without Salesforce's time, n8n's own clock may be minutes off. */
export const LOCAL_CLOCK_MARGIN_MS = 5 * 60_000;

/** The moment a "new" activation starts from: the handshake answer's Date, else n8n's clock, less a margin. */
export function activationTime(serverDate: string | undefined, localNow: number): number {
	const server = serverDate === undefined ? Number.NaN : Date.parse(serverDate);
	return Number.isNaN(server) ? localNow - LOCAL_CLOCK_MARGIN_MS : server - SERVER_CLOCK_MARGIN_MS;
}

function isIsoDate(value: unknown): value is string {
	return typeof value === 'string' && !Number.isNaN(Date.parse(value));
}

/**
 * The stored replay of this channel, or undefined: none stored, another channel's (the user chose
 * another source: it starts afresh), or not of this shape (then too it starts afresh, from the
 * Replay From parameter).
 */
export function readStoredReplay(value: unknown, channel: string): StoredReplay | undefined {
	if (typeof value !== 'object' || value === null) return undefined;
	const stored = value as Record<string, unknown>;
	if (stored.channel !== channel) return undefined;
	const result: StoredReplay = { channel };
	if (stored.replayId !== undefined) {
		if (
			typeof stored.replayId !== 'number' ||
			!Number.isSafeInteger(stored.replayId) ||
			stored.replayId < 0
		)
			return undefined;
		result.replayId = stored.replayId;
		if (isIsoDate(stored.occurredAt)) result.occurredAt = stored.occurredAt;
	} else if (stored.since !== undefined) {
		if (!isIsoDate(stored.since)) return undefined;
		result.since = stored.since;
	}
	return result;
}

/**
 * n8n's deduplication key for an event's execution: the same event (channel, replay id) in the same
 * trigger (`scope`: workflow and node, so two workflows on one channel each get it) is run once.
 * n8n keeps it in a 255-character column: the channel and scope go in as a hash.
 */
export function deliveryKey(scope: string, channel: string, replayId: number): string {
	const digest = createHash('sha256').update(`${scope}\n${channel}`).digest('hex').slice(0, 32);
	return `salesforce-event:${digest}:${replayId}`;
}

/** Replay ids of events handed to n8n in this process, to drop one Salesforce sends again after a reconnect. */
const REMEMBERED_HANDOVERS = 10_000;
/** Taken events are cut off the queue once this many and at least half of it. */
const COMPACT_AFTER = 1_024;

export interface LostWindow {
	/** The stored replay id Salesforce no longer holds. */
	replayId: number;
	/** When that event happened, if known. */
	occurredAt?: string;
}

/** What became of a received event. */
export type Admission = 'queued' | 'duplicate' | 'beforeActivation';

/**
 * One channel's delivery bookkeeping for one activation: the stored replay, the received events not
 * yet taken by the node (in order), those taken but not yet delivered, the replay ids taken lately.
 */
export class ReplayBook {
	private stored: StoredReplay | undefined;

	/** "new", nothing stored: the first subscription asks for new events only. */
	private freshNew: boolean;

	/** While set, events before it are dropped: a subscription from -2 standing in for "new". */
	private dropBefore: number | undefined;

	/** What the current subscription asked for. */
	private subscribedFrom: number | undefined;

	/** Received, not yet taken: `queue[head…]` (an index, not shift(): a burst of thousands stays linear). */
	private queue: StreamEvent[] = [];

	private head = 0;

	private readonly queuedIds = new Set<number>();

	private inFlight = 0;

	private readonly handedOver = new Set<number>();

	constructor(
		readonly channel: StreamingChannel,
		stored: unknown,
		replayFrom: ReplayFrom,
	) {
		this.stored = readStoredReplay(stored, channel.path);
		this.freshNew = this.stored === undefined && replayFrom === 'new';
		if (this.stored === undefined && replayFrom === 'allRetained')
			this.stored = { channel: channel.path };
	}

	/** A handshake succeeded; `at` (see activationTime) starts a "new" activation that has nothing stored. */
	activated(at: number): void {
		if (this.stored === undefined)
			this.stored = { channel: this.channel.path, since: new Date(at).toISOString() };
	}

	/** Where the next subscription starts. Events queued and not taken will come again from there: they are dropped. */
	subscribeFrom(): number {
		this.queue = [];
		this.head = 0;
		this.queuedIds.clear();
		this.dropBefore = undefined;
		let from: number;
		if (this.stored?.replayId !== undefined) from = this.stored.replayId;
		else if (this.freshNew) from = REPLAY_NEW;
		else {
			from = REPLAY_ALL_RETAINED;
			if (this.stored?.since !== undefined) this.dropBefore = Date.parse(this.stored.since);
		}
		this.freshNew = false;
		this.subscribedFrom = from;
		return from;
	}

	/**
	 * Salesforce refused the subscription's replay id as not retained. Returns the window lost when
	 * it was a stored replay id — the next subscription then takes every retained event; undefined
	 * when it was -1 or -2, which Salesforce should never refuse.
	 */
	replayRefused(): LostWindow | undefined {
		const from = this.subscribedFrom;
		if (from === undefined || from < 0 || this.stored?.replayId !== from) return undefined;
		const lost: LostWindow = {
			replayId: from,
			...(this.stored.occurredAt ? { occurredAt: this.stored.occurredAt } : {}),
		};
		this.stored = { channel: this.channel.path };
		return lost;
	}

	/** A received event: queued for the node, or dropped as sent twice or as older than a "new" activation. */
	receive(event: StreamEvent): Admission {
		if (this.handedOver.has(event.replayId) || this.queuedIds.has(event.replayId))
			return 'duplicate';
		if (
			this.dropBefore !== undefined &&
			event.occurredAt !== undefined &&
			event.occurredAt < this.dropBefore
		) {
			// Nothing before it is still open: resume after it, so the next reconnect does not read it again.
			if (this.queued === 0 && this.inFlight === 0) this.remember(event);
			return 'beforeActivation';
		}
		this.queue.push(event);
		this.queuedIds.add(event.replayId);
		return 'queued';
	}

	/** The next event for the node, in the order Salesforce delivered them; write `stored()` before emitting it. */
	take(): StreamEvent | undefined {
		const event = this.queue[this.head];
		if (!event) return undefined;
		this.head++;
		if (this.head >= COMPACT_AFTER && this.head * 2 >= this.queue.length) {
			this.queue = this.queue.slice(this.head);
			this.head = 0;
		}
		this.queuedIds.delete(event.replayId);
		this.inFlight++;
		this.handedOver.add(event.replayId);
		if (this.handedOver.size > REMEMBERED_HANDOVERS)
			this.handedOver.delete(this.handedOver.values().next().value as number);
		return event;
	}

	/** n8n has the event's execution: later subscriptions start after it. */
	delivered(event: StreamEvent): void {
		this.inFlight = Math.max(0, this.inFlight - 1);
		this.remember(event);
	}

	/** Events received and not yet taken. */
	get queued(): number {
		return this.queue.length - this.head;
	}

	/** What to keep in static data (undefined before the activation's first handshake with nothing stored). */
	storedReplay(): StoredReplay | undefined {
		return this.stored === undefined ? undefined : { ...this.stored };
	}

	private remember(event: StreamEvent): void {
		this.stored = {
			channel: this.channel.path,
			replayId: event.replayId,
			...(event.occurredAt !== undefined
				? { occurredAt: new Date(event.occurredAt).toISOString() }
				: {}),
		};
	}
}
