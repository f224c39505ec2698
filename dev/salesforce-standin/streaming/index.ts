import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Org } from '../org';
import type { ObjectDef } from '../rest/schema';
import { findObject } from '../rest/schema';
import type { EventPublisher, RecordWrite, WriteObserver } from '../rest/writeObserver';
import type { Undo } from '../rest/records';
import type {
	StandinGapChangeType,
	StandinPublishedEvent,
	StandinRetainedEvent,
	StandinStreamingClient,
	StandinStreamingOptions,
} from '../types';
import type { BusEvent } from './eventBus';
import { EventBus } from './eventBus';
import { ChangeDataCapture } from './changeEvents';
import { PlatformEvents } from './platformEvents';
import { resolveChannel } from './channels';
import { CometdEndpoint } from './endpoint';
import type { StreamingCounts } from './settings';
import { DeliveryAllocation, streamingSettings, zeroCounts } from './settings';

/**
 * The stand-in's Streaming API: the event bus, Change Data Capture fed by the record store's
 * committed writes, platform events published by inserting `__e` records, and the CometD endpoint
 * that delivers both. It is the record store's WriteObserver and the DML layer's EventPublisher.
 */
export class Streaming implements WriteObserver, EventPublisher {
	readonly counts: StreamingCounts = zeroCounts();
	readonly allocation = new DeliveryAllocation(this.counts);
	private readonly bus: EventBus;
	private readonly changes: ChangeDataCapture;
	private readonly platformEvents: PlatformEvents;
	private readonly endpoint: CometdEndpoint;

	constructor(
		private readonly org: Org,
		private readonly ownerId: () => string,
		options?: StandinStreamingOptions,
	) {
		const settings = streamingSettings(options);
		this.bus = new EventBus(settings.retentionMs);
		this.changes = new ChangeDataCapture(this.bus, settings.selectedEntities);
		this.platformEvents = new PlatformEvents(this.bus);
		this.endpoint = new CometdEndpoint(
			org,
			this.bus,
			(name) => this.changes.isSelected(name),
			settings,
			this.counts,
			this.allocation,
		);
	}

	handle(req: IncomingMessage, res: ServerResponse, path: string, rawBody: string): void {
		this.endpoint.handle(req, res, path, rawBody);
	}

	// ---- WriteObserver: the DML layer's writes become events ----

	written(write: RecordWrite): Undo {
		return this.changes.written(write);
	}

	published(object: ObjectDef, event: Record<string, string | number | boolean | null>): string {
		return this.platformEvents.publish(object, event).eventUuid ?? '';
	}

	commit(origin: string): void {
		this.changes.commit(origin);
	}

	discard(): void {
		this.changes.discard();
	}

	// ---- test hooks ----

	get selectedEntities(): string[] {
		return this.changes.selectedEntities;
	}

	selectEntities(entities: string[]): void {
		this.changes.select(
			entities.map((entity) => this.object('selectChangeDataCaptureEntities', entity, false).name),
		);
	}

	/** Publishes through the same insert as the API (field rules, required fields); all or none. */
	publishPlatformEvents(
		eventName: string,
		events: Array<Record<string, unknown>>,
	): StandinPublishedEvent[] {
		const object = this.object('publishPlatformEvents', eventName, true);
		const published: BusEvent[] = [];
		const stop = this.bus.onPublish((event) => published.push(event));
		try {
			this.org.rest.insert(object.name, events);
		} finally {
			stop();
		}
		return published.map((event) => ({
			replayId: event.replayId,
			eventUuid: event.eventUuid ?? '',
		}));
	}

	raiseGapEvent(sobject: string, changeType: StandinGapChangeType, recordIds: string[]): void {
		this.changes.raiseGap(
			this.selectedObject('raiseGapEvent', sobject),
			changeType,
			recordIds,
			this.ownerId(),
		);
	}

	raiseOverflowEvent(sobject: string): void {
		this.changes.raiseOverflow(this.selectedObject('raiseOverflowEvent', sobject), this.ownerId());
	}

	/** What the bus still holds for a channel, oldest first, as a subscriber with every permission would get it. */
	retainedEvents(channel: string): StandinRetainedEvent[] {
		const target = resolveChannel(
			{
				objects: this.org.rest.store.objects,
				isSelected: (name) => this.changes.isSelected(name),
				user: { username: '', password: '' },
			},
			channel,
		);
		if ('error' in target) throw new Error(`retainedEvents: ${target.error}`);
		return this.bus
			.retained(target.stream)
			.filter((event) => target.accepts(event))
			.map((event) => ({
				replayId: event.replayId,
				publishedAt: new Date(event.publishedAt),
				payload: structuredClone(event.payload),
				...(event.eventUuid ? { eventUuid: event.eventUuid } : {}),
			}));
	}

	dropRetainedEvents(olderThanMs = 0): number {
		return this.bus.dropOlderThan(olderThanMs);
	}

	clients(): StandinStreamingClient[] {
		return this.endpoint.describeClients();
	}

	forgetClients(): void {
		this.endpoint.forgetClients();
	}

	/** A server restart: clients are gone without an answer (the server drops every connection). */
	dropClients(): void {
		this.endpoint.dropClients();
	}

	checkSessions(): void {
		this.endpoint.checkSessions();
	}

	resetCounts(): void {
		Object.assign(this.counts, zeroCounts());
	}

	close(): void {
		this.endpoint.close();
	}

	private object(hook: string, name: string, platformEvent: boolean): ObjectDef {
		const object = findObject(this.org.rest.store.objects, name);
		if (!object || Boolean(object.platformEvent) !== platformEvent) {
			throw new Error(
				`${hook}: the stand-in has no ${platformEvent ? 'platform event' : 'object'} '${name}'`,
			);
		}
		return object;
	}

	private selectedObject(hook: string, name: string): ObjectDef {
		const object = this.object(hook, name, false);
		if (!this.changes.isSelected(object.name))
			throw new Error(`${hook}: ${object.name} is not selected for Change Data Capture`);
		return object;
	}
}
