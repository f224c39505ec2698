import type { ObjectDef, StoredRecord } from '../rest/schema';
import type { RecordWrite } from '../rest/writeObserver';
import { AUTOMATION_WRITES } from '../rest/writeObserver';
import type { Undo } from '../rest/records';
import type { EventBus } from './eventBus';
import { eventValue, hexKey, schemaId } from './eventValues';

/**
 * Change Data Capture (Change Data Capture Developer Guide): every committed create, update,
 * delete and undelete of an object selected in Setup → Change Data Capture becomes a change event
 * on the org's change event stream, delivered on /data/ChangeEvents and /data/<Object>ChangeEvent.
 *
 * - Body ("Change Event Body Fields", JSON messages in CometD clients): a create or undelete
 *   carries every non-empty field; an update only the changed fields (null when cleared) plus
 *   LastModifiedDate, and LastModifiedById only when another user saved it; a delete none.
 *   Never IsDeleted, SystemModstamp or derived values. Compound names (Contact, Lead) are nested
 *   (`Name: {FirstName, LastName}`) and listed as `Name.LastName` in changedFields
 *   ("Get Compound Fields in Change Events").
 * - Header ("ChangeEventHeader Fields"): entityName, recordIds, changeType, changeOrigin,
 *   transactionKey, sequenceNumber (from 1 within the transaction), commitTimestamp (epoch ms),
 *   commitNumber, commitUser, changedFields. nulledFields and diffFields are Pub/Sub API only.
 * - Merging ("Merged Change Events"): the same change to several records of one object in one
 *   transaction is one event naming all of them in recordIds (e.g. deletions, the same field set to
 *   the same value). Different values are separate events.
 * - Sequence numbers count every change of the transaction, selected object or not: "If not all
 *   objects involved in a transaction are enabled for Change Data Capture, there will be a gap in
 *   the sequence numbers" ("Transaction-Based Replication Steps").
 * - Gap events (GAP_CREATE, GAP_UPDATE, GAP_DELETE, GAP_UNDELETE) and overflow events
 *   (GAP_OVERFLOW, recordIds ["000000000000000AAA"]) carry the header only ("Gap Events",
 *   "Overflow Events"); the stand-in raises them when a test asks.
 */

export const CHANGE_EVENT_STREAM = 'ChangeEvents';

/** Setup → Change Data Capture of a new stand-in org: these are selected, the rest (Lead, Contact) not. */
export const DEFAULT_SELECTED_ENTITIES = ['Account', 'Invoice__c'];

export type GapChangeType = 'CREATE' | 'UPDATE' | 'DELETE' | 'UNDELETE';

/** The record id an overflow event names: "the empty record ID". */
const EMPTY_RECORD_ID = '000000000000000AAA';
const NAME_PARTS = ['Salutation', 'FirstName', 'LastName'];
const MERGED_TYPES = new Set(['UPDATE', 'DELETE']);
/** System fields a change event never carries; Id is the header's recordIds. */
const NOT_IN_EVENTS = new Set(['Id', 'IsDeleted', 'SystemModstamp']);

interface Change {
	object: ObjectDef;
	changeType: string;
	recordIds: string[];
	body: Record<string, unknown>;
	changedFields: string[];
	userId: string;
}

/** The name of an object's change event: AccountChangeEvent, Invoice__ChangeEvent. */
export function changeEventName(objectName: string): string {
	return objectName.endsWith('__c')
		? `${objectName.slice(0, -1)}ChangeEvent`
		: `${objectName}ChangeEvent`;
}

/** Contact and Lead keep their name in one compound field, Name, built from these parts. */
function compoundNameParts(object: ObjectDef): string[] {
	const compound = object.fields.some((field) => field.name === 'Name' && field.calculated);
	return compound
		? object.fields.filter((field) => NAME_PARTS.includes(field.name)).map((field) => field.name)
		: [];
}

/** The body fields of a row: all non-empty ones, or only those listed. */
function body(
	object: ObjectDef,
	row: StoredRecord,
	only?: ReadonlySet<string>,
): Record<string, unknown> {
	const parts = compoundNameParts(object);
	const result: Record<string, unknown> = {};
	for (const field of object.fields) {
		// Contact.Name is calculated from its parts: the event nests the parts instead.
		if (NOT_IN_EVENTS.has(field.name) || field.calculated) continue;
		const value = row[field.name];
		if (only ? !only.has(field.name) : value === null) continue;
		if (parts.includes(field.name)) {
			const name = (result.Name ??= {}) as Record<string, unknown>;
			name[field.name] = value;
		} else {
			result[field.name] = eventValue(field, value);
		}
	}
	return result;
}

/**
 * Who committed it: the creator, else the last modifier. An automation change (a flow, a trigger)
 * moves neither, so it names the row's last modifier: the stand-in has no Automated Process user.
 */
function committedBy(before: StoredRecord | undefined, after: StoredRecord): string {
	return String((before ? after.LastModifiedById : after.CreatedById) ?? '');
}

function changeOf(write: RecordWrite): Change {
	const { object, before, after } = write;
	const recordIds = [String(after.Id)];
	const change = {
		object,
		recordIds,
		userId: committedBy(before, after),
		changedFields: [] as string[],
	};
	if (!before) return { ...change, changeType: 'CREATE', body: body(object, after) };
	if (after.IsDeleted === true && before.IsDeleted !== true)
		return { ...change, changeType: 'DELETE', body: {} };
	if (before.IsDeleted === true && after.IsDeleted !== true)
		return { ...change, changeType: 'UNDELETE', body: body(object, after) };

	// A user's change always moves LastModifiedDate (even when the stored second stays the same);
	// LastModifiedById only when another user saved. An automation change moves neither.
	const byUser = !AUTOMATION_WRITES.has(after);
	const changed = new Set<string>(
		object.fields
			.filter(
				(field) =>
					!NOT_IN_EVENTS.has(field.name) &&
					!field.calculated &&
					field.name !== 'LastModifiedDate' &&
					before[field.name] !== after[field.name],
			)
			.map((field) => field.name),
	);
	if (byUser) changed.add('LastModifiedDate');
	const parts = compoundNameParts(object);
	const changedFields = object.fields
		.filter((field) => changed.has(field.name))
		.map((field) => (parts.includes(field.name) ? `Name.${field.name}` : field.name));
	return { ...change, changeType: 'UPDATE', body: body(object, after, changed), changedFields };
}

/**
 * One event per distinct change: updates setting the same values, or deletions, of one object share
 * an event (the documented examples). A create or undelete carries the record's own values and is
 * never merged here.
 */
function merged(changes: Change[]): Change[] {
	const byKey = new Map<string, Change>();
	const result: Change[] = [];
	for (const change of changes) {
		// LastModifiedDate is the transaction's time for every record it touched.
		const { LastModifiedDate: _time, ...values } = change.body;
		const key = JSON.stringify([
			change.object.name,
			change.changeType,
			change.changedFields,
			values,
		]);
		const same = MERGED_TYPES.has(change.changeType) ? byKey.get(key) : undefined;
		if (same) {
			same.recordIds.push(...change.recordIds);
			continue;
		}
		byKey.set(key, change);
		result.push(change);
	}
	return result;
}

export class ChangeDataCapture {
	private pending: RecordWrite[] = [];
	private readonly selected: Set<string>;
	/** The system change number of the last commit: increasing, for diagnostics only. */
	private commitNumber = 1_100_000_000_000 + Math.floor(Math.random() * 1_000_000);

	constructor(
		private readonly bus: EventBus,
		selected: string[] = DEFAULT_SELECTED_ENTITIES,
	) {
		this.selected = new Set(selected);
	}

	get selectedEntities(): string[] {
		return [...this.selected].sort();
	}

	/** Setup → Change Data Capture → Selected Entities (API names, e.g. Account, Invoice__c). */
	select(entities: string[]): void {
		this.selected.clear();
		for (const entity of entities) this.selected.add(entity);
	}

	isSelected(objectName: string): boolean {
		return this.selected.has(objectName);
	}

	written(write: RecordWrite): Undo {
		this.pending.push(write);
		return () => {
			const index = this.pending.lastIndexOf(write);
			if (index >= 0) this.pending.splice(index, 1);
		};
	}

	discard(): void {
		this.pending = [];
	}

	commit(origin: string): void {
		const writes = this.pending;
		this.pending = [];
		if (writes.length > 0) this.publish(merged(writes.map(changeOf)), origin);
	}

	/** A gap event for records changed where no change event could be made; its own transaction. */
	raiseGap(
		object: ObjectDef,
		changeType: GapChangeType,
		recordIds: string[],
		userId: string,
	): void {
		this.publish(
			[
				{
					object,
					changeType: `GAP_${changeType}`,
					recordIds: [...recordIds],
					body: {},
					changedFields: [],
					userId,
				},
			],
			'',
		);
	}

	/** An overflow event: a transaction changed more than 100,000 rows of this object. */
	raiseOverflow(object: ObjectDef, userId: string): void {
		this.publish(
			[
				{
					object,
					changeType: 'GAP_OVERFLOW',
					recordIds: [EMPTY_RECORD_ID],
					body: {},
					changedFields: [],
					userId,
				},
			],
			'',
		);
	}

	private publish(changes: Change[], origin: string): void {
		const transactionKey = hexKey();
		const commitNumber = ++this.commitNumber;
		const commitTimestamp = Date.now();
		changes.forEach((change, index) => {
			if (!this.selected.has(change.object.name)) return;
			const ChangeEventHeader = {
				entityName: change.object.name,
				recordIds: change.recordIds,
				changeType: change.changeType,
				changeOrigin: origin,
				transactionKey,
				sequenceNumber: index + 1,
				commitTimestamp,
				commitNumber,
				commitUser: change.userId,
				changedFields: change.changedFields,
			};
			this.bus.publish({
				stream: CHANGE_EVENT_STREAM,
				entity: change.object.name,
				schema: schemaId(changeEventName(change.object.name)),
				payload: { ChangeEventHeader, ...change.body },
			});
		});
	}
}
