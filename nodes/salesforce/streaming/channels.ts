/**
 * The Streaming API channel a trigger subscribes to, from what the user chose:
 * - Change Data Capture of one object: `/data/AccountChangeEvent`, custom `Invoice__c` →
 *   `/data/Invoice__ChangeEvent`; of every object selected in Setup: `/data/ChangeEvents`;
 * - a Platform Event: `Order_Shipped__e` → `/event/Order_Shipped__e`;
 * - any channel typed: `/topic/<PushTopic>`, `/event/…`, `/data/…` (custom channels end in `__chn`).
 * Channel names are case-sensitive (Change Data Capture Developer Guide, "Subscription Channels");
 * they are kept as typed, only trimmed.
 */
import { apiNameProblem } from '../rest/soql';
import { hasControlCharacter } from '../text';
import { invalidChannelParameter, SalesforceStreamingError } from './streamingErrors';

export type ChannelKind = 'changeEvents' | 'platformEvent' | 'pushTopic';

export interface StreamingChannel {
	/** The channel subscribed to, e.g. `/data/AccountChangeEvent`. */
	path: string;
	kind: ChannelKind;
	/** A single object's change events: its API name (`Account`, `Invoice__c`). */
	object?: string;
	/** A Platform Event's API name (`Order_Shipped__e`). */
	eventName?: string;
	/** A custom channel (`/data/Sales__chn`, `/event/Orders__chn`), composed in Setup of several events. */
	custom?: boolean;
	/** How long Salesforce keeps its events for replay: 72 h for change and platform events, 24 h for PushTopic events. */
	retentionHours: number;
}

/** Hours Salesforce keeps change events and (high-volume) platform events; PushTopic events 24. */
const EVENT_RETENTION_HOURS = 72;
const PUSH_TOPIC_RETENTION_HOURS = 24;

export const ALL_CHANGE_EVENTS: StreamingChannel = Object.freeze({
	path: '/data/ChangeEvents',
	kind: 'changeEvents',
	retentionHours: EVENT_RETENTION_HOURS,
});

const CDC_SETUP = 'Setup → Integrations → Change Data Capture';
const PLATFORM_EVENT_SETUP = 'Setup → Integrations → Platform Events';

/** A checked API name (the REST core's rule), refused with the fix in the message. */
function apiName(value: unknown, parameter: string, example: string): string {
	const text = typeof value === 'string' ? value.trim() : '';
	const fix = `Type the API name (${example}), as Setup shows it.`;
	if (text === '') throw invalidChannelParameter(parameter, 'is empty', fix);
	const problem = apiNameProblem(text);
	if (problem)
		throw invalidChannelParameter(
			parameter,
			`${JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text)} ${problem}`,
			fix,
		);
	return text;
}

/** `Account` → `AccountChangeEvent`, `Invoice__c` → `Invoice__ChangeEvent` (external `Stock__x` alike). */
function changeEventName(object: string): string {
	return /__[cx]$/.test(object) ? `${object.slice(0, -1)}ChangeEvent` : `${object}ChangeEvent`;
}

/** The change events of one object (`Account`, `Invoice__c`, `ns__Invoice__c`). */
export function changeEventsChannel(object: unknown, parameter = 'Object'): StreamingChannel {
	const name = apiName(object, parameter, 'e.g. Account or Invoice__c');
	if (/ChangeEvent$/.test(name)) {
		const objectName = name.endsWith('__ChangeEvent')
			? `${name.slice(0, -'ChangeEvent'.length)}c`
			: name.slice(0, -'ChangeEvent'.length);
		throw invalidChannelParameter(
			parameter,
			`"${name}" is a change event, not an object`,
			`Choose the object whose changes you want (${objectName || 'e.g. Account'}); the trigger subscribes to its change events.`,
		);
	}
	if (name.endsWith('__e')) {
		throw invalidChannelParameter(
			parameter,
			`"${name}" is a Platform Event, not an object`,
			`Choose Source: Platform Event and give ${name} as the event, or choose an object (Account, Invoice__c) for its change events.`,
		);
	}
	// Custom metadata (__mdt), big objects (__b), sharing and history tables have none.
	const suffix = /__[A-Za-z]+$/.exec(name)?.[0];
	if (suffix && suffix !== '__c' && suffix !== '__x') {
		throw invalidChannelParameter(
			parameter,
			`${name} has no change events`,
			`Change Data Capture covers custom objects (names ending in __c) and most standard objects (Account, Contact, Opportunity …). Choose one of them, and select it in ${CDC_SETUP}.`,
		);
	}
	return {
		path: `/data/${changeEventName(name)}`,
		kind: 'changeEvents',
		object: name,
		retentionHours: EVENT_RETENTION_HOURS,
	};
}

/** A Platform Event by its API name (`Order_Shipped__e`); `/event/Order_Shipped__e` typed there is accepted as the same. */
export function platformEventChannel(
	eventName: unknown,
	parameter = 'Event Name',
): StreamingChannel {
	const typed =
		typeof eventName === 'string' ? eventName.trim().replace(/^\/event\//, '') : eventName;
	const name = apiName(typed, parameter, 'e.g. Order_Shipped__e');
	if (/ChangeEvent$/.test(name)) {
		throw invalidChannelParameter(
			parameter,
			`"${name}" is a change event`,
			"Choose Source: Change Data Capture and pick the object, or give a Platform Event's API name (custom ones end in __e, e.g. Order_Shipped__e).",
		);
	}
	if (name.endsWith('__c')) {
		throw invalidChannelParameter(
			parameter,
			`"${name}" is an object, not a Platform Event`,
			`Platform Events end in __e (e.g. Order_Shipped__e; ${PLATFORM_EVENT_SETUP} lists them). For changes of ${name} records, choose Source: Change Data Capture.`,
		);
	}
	return {
		path: `/event/${name}`,
		kind: 'platformEvent',
		eventName: name,
		retentionHours: EVENT_RETENTION_HOURS,
	};
}

/**
 * A channel segment: a Bayeux token (letters, digits and `-_!~()$@`; Bayeux 1.0 §"Common Elements"),
 * so no wildcard (`*`, `**`), which Salesforce does not subscribe to, and no space.
 */
const CHANNEL_SEGMENT = /^[A-Za-z0-9\-_!~()$@]+$/;
const CHANNEL_FIX =
	'Type a channel path such as /data/AccountChangeEvent, /data/Invoice__ChangeEvent, /data/ChangeEvents, /event/Order_Shipped__e or /topic/MyPushTopic (the name is case-sensitive).';

/** A channel typed as a path: `/topic/…`, `/event/…` or `/data/…`, exactly two segments. */
export function parseChannel(value: unknown, parameter = 'Channel'): StreamingChannel {
	const text = typeof value === 'string' ? value.trim() : '';
	if (text === '') throw invalidChannelParameter(parameter, 'is empty', CHANNEL_FIX);
	const shown = JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
	if (hasControlCharacter(text))
		throw invalidChannelParameter(
			parameter,
			`${shown} contains a line break or another control character`,
			CHANNEL_FIX,
		);
	if (/^\/meta\//.test(text) || /^\/service\//.test(text)) {
		throw invalidChannelParameter(
			parameter,
			`${shown} is a channel of the Bayeux protocol itself, not of events`,
			CHANNEL_FIX,
		);
	}
	const segments = text.split('/');
	if (segments[0] !== '' || segments.length !== 3) {
		throw invalidChannelParameter(
			parameter,
			`${shown} is not a channel path (a slash, the kind — topic, event or data —, a slash, the name)`,
			CHANNEL_FIX,
		);
	}
	const [, prefix, name] = segments;
	if (name.includes('*'))
		throw invalidChannelParameter(
			parameter,
			`${shown} holds a wildcard; Salesforce subscribes to one named channel`,
			CHANNEL_FIX,
		);
	if (!CHANNEL_SEGMENT.test(name)) {
		throw invalidChannelParameter(
			parameter,
			`${shown} holds a character no channel name has (Salesforce's channel names are API names: letters, digits, underscores)`,
			CHANNEL_FIX,
		);
	}
	const custom = name.endsWith('__chn');
	switch (prefix) {
		case 'data': {
			if (name === 'ChangeEvents') return { ...ALL_CHANGE_EVENTS };
			const object = objectOfChangeEvent(name);
			if (!custom && !object) {
				throw invalidChannelParameter(
					parameter,
					`${shown} is not a Change Data Capture channel`,
					'Change event channels are /data/ChangeEvents, /data/<Object>ChangeEvent (/data/AccountChangeEvent), /data/<Custom>__ChangeEvent (/data/Invoice__ChangeEvent) or a custom channel /data/<Name>__chn.',
				);
			}
			return {
				path: text,
				kind: 'changeEvents',
				...(object ? { object } : {}),
				...(custom ? { custom } : {}),
				retentionHours: EVENT_RETENTION_HOURS,
			};
		}
		case 'event':
			return {
				path: text,
				kind: 'platformEvent',
				...(custom ? { custom } : { eventName: name }),
				retentionHours: EVENT_RETENTION_HOURS,
			};
		case 'topic':
			return { path: text, kind: 'pushTopic', retentionHours: PUSH_TOPIC_RETENTION_HOURS };
		default:
			throw invalidChannelParameter(
				parameter,
				`${shown} is not a channel this trigger subscribes to (it starts with /${prefix}/)`,
				CHANNEL_FIX,
			);
	}
}

/** `AccountChangeEvent` → `Account`, `Invoice__ChangeEvent` → `Invoice__c`; undefined for anything else. */
function objectOfChangeEvent(name: string): string | undefined {
	if (!name.endsWith('ChangeEvent') || name === 'ChangeEvent') return undefined;
	const base = name.slice(0, -'ChangeEvent'.length);
	return base.endsWith('__') ? `${base}c` : base;
}

/** What the user chose, as the trigger's parameters give it. */
export type ChannelChoice =
	| { source: 'changeEvents'; object: unknown }
	| { source: 'changeEvents'; allSelectedObjects: true }
	| { source: 'platformEvent'; eventName: unknown }
	| { source: 'channel'; channel: unknown };

/** The channel for what the user chose; refused naming the parameter (labels as the editor shows them). */
export function resolveChannel(
	choice: ChannelChoice,
	labels: { object?: string; eventName?: string; channel?: string } = {},
): StreamingChannel {
	switch (choice.source) {
		case 'changeEvents':
			return 'allSelectedObjects' in choice
				? { ...ALL_CHANGE_EVENTS }
				: changeEventsChannel(choice.object, labels.object);
		case 'platformEvent':
			return platformEventChannel(choice.eventName, labels.eventName);
		case 'channel':
			return parseChannel(choice.channel, labels.channel);
		default:
			throw new SalesforceStreamingError(
				'invalid-parameter',
				`Source: "${String((choice as { source: unknown }).source)}" is not a source of events`,
				'Choose Change Data Capture, Platform Event or Channel.',
				{ parameter: 'Source' },
			);
	}
}

/** How the channel is named in messages: "change events of Account", "Platform Event Order_Shipped__e". */
export function describeChannel(channel: StreamingChannel): string {
	if (channel.kind === 'changeEvents') {
		if (channel.object) return `the change events of ${channel.object} (${channel.path})`;
		return channel.custom
			? `the custom change event channel ${channel.path}`
			: `the change events of every selected object (${channel.path})`;
	}
	if (channel.kind === 'platformEvent') {
		return channel.eventName
			? `the Platform Event ${channel.eventName} (${channel.path})`
			: `the custom event channel ${channel.path}`;
	}
	return `the PushTopic channel ${channel.path}`;
}

export const SETUP_PAGES = {
	changeDataCapture: CDC_SETUP,
	platformEvents: PLATFORM_EVENT_SETUP,
} as const;
