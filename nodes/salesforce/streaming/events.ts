/**
 * An event message made into one workflow item, by its shape (so custom channels, which can carry
 * any of them, need no special case):
 * - a change event (`data.payload.ChangeEventHeader`): the header flattened to top-level fields,
 *   `commitTimestamp` as an ISO date, then the record's values as Salesforce sent them — compound
 *   fields nested (`BillingAddress: { Street, City, … }`, a Contact's `Name: { FirstName, LastName }`)
 *   and `changedFields` naming their parts (`BillingAddress.City`) (Change Data Capture Developer Guide,
 *   "Change Event Message Structure", "Get Compound Fields in Change Events");
 * - a Platform Event (`data.payload`): its fields, `replayId` and `EventUuid` when sent;
 * - a PushTopic event (`data.sobject`, `data.event.type`): the record's fields, `eventType`, `createdDate`;
 * - a generic event (`data.payload` text): `payload`.
 * Every event carries `data.event.replayId`, its position in the channel's stream.
 */
import type { BayeuxMessage } from './bayeux';

export type EventItem = Record<string, unknown>;

/** What a change event says about records, for fetching them (see recordFetch). */
export interface ChangeFacts {
	entityName: string;
	changeType: string;
	recordIds: string[];
}

export interface StreamEvent {
	/** The channel the message came on. */
	channel: string;
	/** Its position in the channel's stream; opaque, not contiguous ("Message Durability"). */
	replayId: number;
	/** When it happened by Salesforce's clock, in ms: a change's commit, a Platform Event's or PushTopic event's creation. */
	occurredAt?: number;
	item: EventItem;
	/** Set for change events. */
	change?: ChangeFacts;
}

export interface UnreadableEvent {
	channel: string;
	/** Why it cannot become an item, for the log. */
	problem: string;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Header fields first, in this order; any other header field follows them. */
const HEADER_ORDER = [
	'changeType',
	'entityName',
	'recordIds',
	'changedFields',
	'commitTimestamp',
	'commitUser',
	'transactionKey',
	'sequenceNumber',
	'changeOrigin',
	'commitNumber',
];

/** `GAP_CREATE`, `GAP_UPDATE`, `GAP_DELETE`, `GAP_UNDELETE`, `GAP_OVERFLOW`: header only, no field values. */
export function isGapChange(changeType: string): boolean {
	return changeType.startsWith('GAP_');
}

/** More than 100,000 changes in one transaction: one event per object, with no record ids either. */
export function isOverflowChange(changeType: string): boolean {
	return changeType === 'GAP_OVERFLOW';
}

function isoDate(value: unknown): unknown {
	return typeof value === 'number' && Number.isFinite(value)
		? new Date(value).toISOString()
		: value;
}

function timeOf(value: unknown): number | undefined {
	if (typeof value === 'number' && Number.isFinite(value)) return value;
	if (typeof value !== 'string') return undefined;
	// Salesforce writes offsets without a colon (2017-04-09T18:31:40.000+0000); Date.parse wants one.
	const parsed = Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
	return Number.isNaN(parsed) ? undefined : parsed;
}

function stringList(value: unknown): string[] {
	return Array.isArray(value)
		? value.filter((entry): entry is string => typeof entry === 'string')
		: [];
}

function changeItem(
	payload: Record<string, unknown>,
	header: Record<string, unknown>,
	replayId: number,
): EventItem {
	const item: EventItem = {};
	const headerKeys = [
		...HEADER_ORDER.filter((key) => key in header),
		...Object.keys(header).filter((key) => !HEADER_ORDER.includes(key)),
	];
	for (const key of headerKeys)
		item[key] = key === 'commitTimestamp' ? isoDate(header[key]) : header[key];
	item.replayId = replayId;
	for (const [field, value] of Object.entries(payload)) {
		// Record fields are PascalCase or end in __c; a clash with a header field cannot happen, and the header would win.
		if (field !== 'ChangeEventHeader' && !(field in item)) item[field] = value;
	}
	return item;
}

/** An event message as a workflow item, or why it cannot be one. */
export function readEvent(message: BayeuxMessage): StreamEvent | UnreadableEvent {
	const { channel } = message;
	const data = message.data;
	if (!isPlainObject(data)) return { channel, problem: 'the message carries no data' };
	const event = isPlainObject(data.event) ? data.event : {};
	const replayId = event.replayId;
	if (typeof replayId !== 'number' || !Number.isSafeInteger(replayId)) {
		return {
			channel,
			problem:
				'the message has no replay id (data.event.replayId), so its place in the stream is unknown',
		};
	}

	const payload = data.payload;
	if (isPlainObject(payload) && isPlainObject(payload.ChangeEventHeader)) {
		const header = payload.ChangeEventHeader;
		const change: ChangeFacts = {
			entityName: typeof header.entityName === 'string' ? header.entityName : '',
			changeType: typeof header.changeType === 'string' ? header.changeType : '',
			recordIds: stringList(header.recordIds),
		};
		return {
			channel,
			replayId,
			occurredAt: timeOf(header.commitTimestamp),
			item: changeItem(payload, header, replayId),
			change,
		};
	}
	if (isPlainObject(data.sobject)) {
		const item: EventItem = {
			...data.sobject,
			eventType: event.type,
			createdDate: event.createdDate,
			replayId,
		};
		return { channel, replayId, occurredAt: timeOf(event.createdDate), item };
	}
	if (isPlainObject(payload)) {
		const item: EventItem = { ...payload, replayId };
		if (typeof event.EventUuid === 'string') item.EventUuid = event.EventUuid;
		return { channel, replayId, occurredAt: timeOf(payload.CreatedDate), item };
	}
	if (typeof payload === 'string') {
		return {
			channel,
			replayId,
			occurredAt: timeOf(event.createdDate),
			item: { payload, replayId },
		};
	}
	return {
		channel,
		problem: 'the message holds neither a change event, a Platform Event nor a PushTopic event',
	};
}

export function isUnreadable(read: StreamEvent | UnreadableEvent): read is UnreadableEvent {
	return 'problem' in read;
}
