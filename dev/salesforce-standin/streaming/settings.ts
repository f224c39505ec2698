import type { StandinStreamingCounts, StandinStreamingOptions } from '../types';
import { RETENTION_72_HOURS_MS } from './eventBus';
import { DEFAULT_SELECTED_ENTITIES } from './changeEvents';

/** The Streaming API's timeouts and the stand-in's own choices, with the defaults Salesforce documents. */

export interface StreamingSettings {
	/** "If no events are generated … the connection times out after 110 seconds." */
	longPollTimeoutMs: number;
	/** "If the reconnection doesn't happen within 40 seconds, the server expires the subscription." */
	reconnectTimeoutMs: number;
	/**
	 * Events in one connect answer. Salesforce documents none ("The number of event messages in a
	 * batch can vary"); the stand-in caps it so a burst spans several connects.
	 */
	maxEventsPerConnect: number;
	/** How often held connects have their session checked ("regularly validates", no period given). */
	sessionCheckIntervalMs: number;
	retentionMs: number;
	selectedEntities: string[];
}

export function streamingSettings(options: StandinStreamingOptions = {}): StreamingSettings {
	return {
		longPollTimeoutMs: options.longPollTimeoutMs ?? 110_000,
		reconnectTimeoutMs: options.reconnectTimeoutMs ?? 40_000,
		maxEventsPerConnect: options.maxEventsPerConnect ?? 1000,
		sessionCheckIntervalMs: options.sessionCheckIntervalMs ?? 1000,
		retentionMs: options.eventRetentionMs ?? RETENTION_72_HOURS_MS,
		selectedEntities: options.changeDataCaptureEntities ?? DEFAULT_SELECTED_ENTITIES,
	};
}

/** Bayeux traffic, kept apart from REST API requests (none of it counts against the API allocation). */
export type StreamingCounts = StandinStreamingCounts;

export function zeroCounts(): StreamingCounts {
	return {
		handshakes: 0,
		subscribes: 0,
		unsubscribes: 0,
		connects: 0,
		disconnects: 0,
		deliveredEvents: 0,
	};
}

/**
 * The org's daily allocation of events delivered to CometD clients (Platform Event Allocations):
 * `max` undefined means unlimited — the stand-in's default, so bursts stay testable. Once `used`
 * reaches `max`, subscribe and connect answer 403::Organization total events daily limit exceeded.
 */
export class DeliveryAllocation {
	used = 0;
	max: number | undefined = undefined;

	constructor(private readonly counts: StreamingCounts) {}

	get exhausted(): boolean {
		return this.max !== undefined && this.used >= this.max;
	}

	/** How many events the next answer may carry. */
	capacity(maxEventsPerConnect: number): number {
		return Math.max(
			0,
			Math.min(maxEventsPerConnect, this.max === undefined ? Infinity : this.max - this.used),
		);
	}

	delivered(count: number): void {
		this.counts.deliveredEvents += count;
		this.used += count;
	}
}
