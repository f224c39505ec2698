/**
 * The record writes the package makes (sObject Collections) and what Salesforce answers for each
 * record, shared by batch planning, error translation and the Collections requests.
 */
import type { RecordError, SalesforceRestError } from './restErrors';

export type WriteOperation = 'create' | 'update' | 'upsert' | 'delete';

/** One record's outcome in a collection answer, in input order. */
export interface RecordResult {
	id?: string;
	success: boolean;
	/** Upsert only: true when the record was inserted, false when an existing one was updated. */
	created?: boolean;
	errors: RecordError[];
	/** The batch (1-based) the record was sent in. */
	batch?: number;
	/**
	 * Set when the batch's request failed as a whole (no per-record answer): the request's error,
	 * whose message and description `errors` repeat in short.
	 */
	batchError?: SalesforceRestError;
}

/** 'notSent': the write stopped before this record's batch was sent. */
export type WriteResult = RecordResult | 'notSent';

const VERBS: Record<WriteOperation, string> = {
	create: 'creating',
	update: 'updating',
	upsert: 'upserting',
	delete: 'deleting',
};

/** "creating Account records": what a write does, for error messages. */
export function describeWrite(operation: WriteOperation, sobject: string, count?: number): string {
	return `${VERBS[operation]} ${count === 1 ? `an ${sobject} record`.replace(/^an ([^AEIOUaeiou])/, 'a $1') : `${sobject} records`}`;
}
