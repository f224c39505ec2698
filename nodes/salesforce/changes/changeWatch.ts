/**
 * What a change trigger watches: an object, an event, the audit field that dates a change, the
 * fields to return and the conditions a record must meet (the same shape and escaping as Record →
 * Get Many). Checked once, before anything is sent; a bad value names its parameter.
 */
import { invalidParameter } from '../rest/restErrors';
import { checkApiName, type QueryCondition } from '../rest/soql';

export const CHANGE_EVENTS = ['created', 'createdOrUpdated', 'updated', 'deleted'] as const;
export type ChangeEvent = (typeof CHANGE_EVENTS)[number];

/** How a change is dated for createdOrUpdated and updated: every change, or changes made by users only. */
export const TIMESTAMP_FIELDS = ['SystemModstamp', 'LastModifiedDate'] as const;
export type TimestampField = (typeof TIMESTAMP_FIELDS)[number];

/** The audit field a poll reads records by. created: CreatedDate; deleted: the Recycle Bin's SystemModstamp. */
export type StampField = 'CreatedDate' | TimestampField;

export interface WatchLabels {
	sobject: string;
	event: string;
	timestampField: string;
	fields: string;
	conditions: string;
}

const DEFAULT_LABELS: WatchLabels = {
	sobject: 'Object',
	event: 'Event',
	timestampField: 'Timestamp Field',
	fields: 'Fields',
	conditions: 'Conditions',
};

export interface ChangeWatch {
	sobject: string;
	event: string;
	/** createdOrUpdated and updated only; SystemModstamp when omitted. */
	timestampField?: string;
	/** The fields to return (the node resolves "none chosen" to every field the user can read); Id and the audit fields are always added. */
	fields?: readonly string[];
	conditions?: readonly QueryCondition[];
	/** Field API name → describe type, so condition values are written as the field's type. */
	fieldTypes?: Readonly<Record<string, string>>;
	/** The org the state belongs to (e.g. its Id): a state saved for another org starts afresh. */
	scope?: string;
	/** How the editor labels the parameters, for the errors. */
	labels?: Partial<WatchLabels>;
}

export interface CheckedWatch {
	readonly sobject: string;
	readonly event: ChangeEvent;
	readonly stampField: StampField;
	readonly fields: readonly string[];
	readonly conditions: readonly QueryCondition[];
	readonly fieldTypes?: Readonly<Record<string, string>>;
	readonly labels: WatchLabels;
	/** Which parameters a saved state belongs to: object, event and stamp field (and the org). */
	readonly stateKey: string;
}

function isOneOf<T extends string>(values: readonly T[], value: unknown): value is T {
	return typeof value === 'string' && (values as readonly string[]).includes(value);
}

export function checkChangeWatch(watch: ChangeWatch): CheckedWatch {
	const labels = { ...DEFAULT_LABELS, ...watch.labels };
	const sobject = checkApiName(watch.sobject, labels.sobject);
	if (!isOneOf(CHANGE_EVENTS, watch.event)) {
		throw invalidParameter(
			labels.event,
			`"${String(watch.event)}" is not an event of this trigger`,
			`Choose one of: ${CHANGE_EVENTS.join(', ')}.`,
		);
	}
	const event = watch.event;
	let stampField: StampField = event === 'created' ? 'CreatedDate' : 'SystemModstamp';
	if (event === 'createdOrUpdated' || event === 'updated') {
		const chosen = watch.timestampField ?? 'SystemModstamp';
		if (!isOneOf(TIMESTAMP_FIELDS, chosen)) {
			throw invalidParameter(
				labels.timestampField,
				`"${String(chosen)}" is not a timestamp field of this trigger`,
				'Choose SystemModstamp (every change, automation included) or LastModifiedDate (changes made by users).',
			);
		}
		stampField = chosen;
	}
	const fields = (watch.fields ?? []).map((field) =>
		checkApiName(field, labels.fields, { path: true }),
	);
	const stateKey = JSON.stringify([
		watch.scope ?? '',
		sobject.toLowerCase(),
		event,
		event === 'deleted' ? 'deletedDate' : stampField,
	]);
	return {
		sobject,
		event,
		stampField,
		fields,
		conditions: watch.conditions ?? [],
		fieldTypes: watch.fieldTypes,
		labels,
		stateKey,
	};
}
