/**
 * Which records to read again after change events, and in how many requests: the trigger's option
 * to hand on each changed record as it is now, and the only way GAP_ events (which carry no values,
 * only record ids) become useful (Change Data Capture Developer Guide, "Gap Events").
 *
 * The reads go through sObject Collections (`GET composite/sobjects/<Object>?ids=…&fields=…`): one
 * object per request, at most 200 ids — one API request per 200 records.
 */
import { MAX_COLLECTION_SIZE } from '../rest/batches';
import { isRecordId } from '../rest/records';
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
	if (change.changeType === 'DELETE' || change.changeType === 'GAP_DELETE' || isOverflowChange(change.changeType)) return [];
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
		for (let from = 0; from < ids.length; from += MAX_COLLECTION_SIZE) fetches.push({ object, ids: ids.slice(from, from + MAX_COLLECTION_SIZE) });
	}
	return fetches;
}
