import { randomInt } from 'node:crypto';

/**
 * The event bus (Streaming API Developer Guide, "Message Durability"): every published event gets
 * a replay id in its stream and is kept for the retention window — 72 hours for change events and
 * high-volume platform events — then purged. Replay ids increase within a stream but "aren't
 * guaranteed to be contiguous for consecutive events", and subscribers "must not compute new replay
 * IDs based on a stored replay ID": the stand-in skips numbers on purpose, so a client that adds 1
 * to an id fails here as it would against Salesforce.
 *
 * Streams: all change events of the org share one ('ChangeEvents', so the ids a single-object
 * channel delivers have gaps where other objects' changes went); each platform event has its own.
 */

export const RETENTION_72_HOURS_MS = 72 * 60 * 60 * 1000;

export interface BusEvent {
	stream: string;
	replayId: number;
	/** Publication order across streams: how a client subscribed to several channels receives them. */
	sequence: number;
	publishedAt: number;
	/** The change event's entityName, or the platform event's name. */
	entity: string;
	/** The schema id delivered with the event (`data.schema`). */
	schema: string;
	payload: Record<string, unknown>;
	/** Platform events only: delivered as `event.EventUuid` from API version 52.0. */
	eventUuid?: string;
}

export type NewEvent = Omit<BusEvent, 'replayId' | 'sequence' | 'publishedAt'>;

interface Stream {
	/** Retained events, oldest first. */
	events: BusEvent[];
	lastReplayId: number;
}

export class EventBus {
	private readonly streams = new Map<string, Stream>();
	private readonly listeners = new Set<(event: BusEvent) => void>();
	private sequence = 0;

	constructor(public retentionMs = RETENTION_72_HOURS_MS) {}

	publish(event: NewEvent): BusEvent {
		const stream = this.stream(event.stream);
		stream.lastReplayId += randomInt(1, 4);
		const published: BusEvent = {
			...event,
			replayId: stream.lastReplayId,
			sequence: ++this.sequence,
			publishedAt: Date.now(),
		};
		stream.events.push(published);
		for (const listener of this.listeners) listener(published);
		return published;
	}

	/** Called with every event as it is published; returns how to stop listening. */
	onPublish(listener: (event: BusEvent) => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	/** The id the stream gave last (0 before its first event), whether or not that event is still retained. */
	latestReplayId(stream: string): number {
		return this.stream(stream).lastReplayId;
	}

	/** Whether an event with this replay id is still retained in the stream. */
	isRetained(stream: string, replayId: number): boolean {
		const events = this.retained(stream);
		const index = firstAfter(events, replayId - 1);
		return index < events.length && events[index].replayId === replayId;
	}

	/**
	 * Where a subscription with this replay option starts (the replay id after which it delivers):
	 * -1 after the latest event, -2 before every retained one, an id only if that event is still
	 * retained ("Ensure that the replay ID corresponds to an event that is within the retention
	 * window"). Undefined: the option is invalid.
	 */
	startAfter(stream: string, replay: unknown): number | undefined {
		if (replay === -1) return this.latestReplayId(stream);
		if (replay === -2) return -Infinity;
		return typeof replay === 'number' && Number.isInteger(replay) && this.isRetained(stream, replay)
			? replay
			: undefined;
	}

	/** Retained events after the given replay id, oldest first. */
	after(stream: string, replayId: number): BusEvent[] {
		const events = this.retained(stream);
		return events.slice(firstAfter(events, replayId));
	}

	/** Every retained event of a stream (purging what fell out of the retention window). */
	retained(stream: string): BusEvent[] {
		this.dropPublishedBefore(Date.now() - this.retentionMs);
		return this.stream(stream).events;
	}

	/** Drops the events published at least `ageMs` ago (0: every event so far); returns how many went. */
	dropOlderThan(ageMs: number): number {
		return this.dropPublishedBefore(Date.now() - ageMs + 1);
	}

	private dropPublishedBefore(time: number): number {
		let dropped = 0;
		for (const stream of this.streams.values()) {
			const keep = stream.events.findIndex((event) => event.publishedAt >= time);
			const count = keep === -1 ? stream.events.length : keep;
			if (count > 0) stream.events.splice(0, count);
			dropped += count;
		}
		return dropped;
	}

	private stream(name: string): Stream {
		let stream = this.streams.get(name);
		if (!stream) {
			// Salesforce's ids are large numbers; starting somewhere arbitrary keeps clients from assuming 1.
			stream = { events: [], lastReplayId: randomInt(1000, 100000) };
			this.streams.set(name, stream);
		}
		return stream;
	}
}

/** Index of the first event whose replay id is greater than `replayId` (events are in replay id order). */
function firstAfter(events: BusEvent[], replayId: number): number {
	let low = 0;
	let high = events.length;
	while (low < high) {
		const middle = (low + high) >>> 1;
		if (events[middle].replayId <= replayId) low = middle + 1;
		else high = middle;
	}
	return low;
}
