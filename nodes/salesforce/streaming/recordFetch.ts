/**
 * Which records to read again after change events, and in how many requests: the trigger's option
 * to hand on each changed record as it is now, and the only way GAP_ events (which carry no values,
 * only record ids) become useful (Change Data Capture Developer Guide, "Gap Events").
 *
 * The reads go through sObject Collections' retrieve (`POST composite/sobjects/<Object>` with
 * `{ids, fields}`): one object per request, at most 200 ids — one API request per 200 records. It is
 * the POST form of `GET composite/sobjects/<Object>?ids=…&fields=…` ("SObject Collections
 * Retrieve"), because every field of an object in a query string can pass the 16,384-byte URI limit.
 */
import { MAX_COLLECTION_SIZE } from '../rest/batches';
import type { FieldDescribe } from '../rest/describe';
import { isRecordId, withoutAttributes, type SalesforceRecord } from '../rest/records';
import { isOverflowChange, type ChangeFacts } from './events';

export interface RecordFetch {
	/** The object's API name, as the change event's `entityName` gives it. */
	object: string;
	/** Up to 200 record ids, in the order the events named them. */
	ids: string[];
}

/**
 * The ids of the records a change left to read: none for deletions (the record is gone) and
 * overflow events (they name no record); none of the `001*` wildcards Salesforce sends for a field
 * type conversion that touched every record of an object ("ChangeEventHeader Fields", recordIds).
 */
export function recordIdsToFetch(change: ChangeFacts): string[] {
	if (
		change.changeType === 'DELETE' ||
		change.changeType === 'GAP_DELETE' ||
		isOverflowChange(change.changeType)
	)
		return [];
	return change.recordIds.filter(isRecordId);
}

/** The Collections reads for these changes: per object, each id once, 200 ids a request, in order. */
export function planRecordFetches(changes: readonly ChangeFacts[]): RecordFetch[] {
	const idsByObject = new Map<string, Set<string>>();
	for (const change of changes) {
		if (change.entityName === '') continue;
		const ids = recordIdsToFetch(change);
		if (ids.length === 0) continue;
		const known = idsByObject.get(change.entityName) ?? new Set<string>();
		for (const id of ids) known.add(id);
		idsByObject.set(change.entityName, known);
	}
	const fetches: RecordFetch[] = [];
	for (const [object, idSet] of idsByObject) {
		const ids = [...idSet];
		for (let from = 0; from < ids.length; from += MAX_COLLECTION_SIZE)
			fetches.push({ object, ids: ids.slice(from, from + MAX_COLLECTION_SIZE) });
	}
	return fetches;
}

/** Compound fields (BillingAddress, a geolocation): describe lists their parts too, which are read instead. */
const COMPOUND_TYPES = new Set(['address', 'location']);

/** The fields a full record is read with: every field of the object's describe but the compound ones. */
export function fieldsToFetch(fields: readonly FieldDescribe[]): string[] {
	return fields.filter((field) => !COMPOUND_TYPES.has(field.type)).map((field) => field.name);
}

/** The Collections retrieve of one planned fetch, relative to the REST API version. */
export function recordFetchRequest(
	fetch: RecordFetch,
	fields: readonly string[],
): { method: 'POST'; path: string; body: { ids: string[]; fields: string[] } } {
	return {
		method: 'POST',
		path: `composite/sobjects/${fetch.object}`,
		body: { ids: [...fetch.ids], fields: [...fields] },
	};
}

/**
 * The records a retrieve answered, by id: Salesforce answers in the order of the ids, with `null`
 * for an id that names no record any more (deleted since the change); `attributes` are dropped.
 */
export function readFetchedRecords(
	fetch: RecordFetch,
	body: unknown,
): Map<string, SalesforceRecord> {
	const read = new Map<string, SalesforceRecord>();
	if (!Array.isArray(body)) return read;
	body.forEach((record: unknown, position) => {
		if (typeof record !== 'object' || record === null || Array.isArray(record)) return;
		const id =
			typeof (record as SalesforceRecord).Id === 'string'
				? ((record as SalesforceRecord).Id as string)
				: fetch.ids[position];
		if (id !== undefined) read.set(id, withoutAttributes(record as SalesforceRecord));
	});
	return read;
}

/** A change's records as read, in its recordIds order; ids read as none (the record is gone) are left out. */
export function recordsOfChange(
	change: ChangeFacts,
	read: ReadonlyMap<string, SalesforceRecord>,
): SalesforceRecord[] {
	return recordIdsToFetch(change).flatMap((id) => {
		const record = read.get(id);
		return record ? [record] : [];
	});
}
