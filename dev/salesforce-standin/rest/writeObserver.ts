import type { IncomingHttpHeaders } from 'node:http';
import type { ObjectDef, StoredRecord, WriteContext } from './schema';
import type { Undo } from './records';

/**
 * What the record store tells an observer (the stand-in's Change Data Capture and Platform Events):
 * each row written into the org's rows — a REST write at once, an open transaction's rows when it
 * commits — and where a transaction ends. A REST request is one transaction, so is each test hook
 * call; a Composite or Collections rollback takes its writes back (the undo of a write also
 * withdraws its notice), so what is left when the transaction ends is what it committed.
 */

export interface RecordWrite {
	object: ObjectDef;
	/** The row before the write; undefined for a create. */
	before: StoredRecord | undefined;
	after: StoredRecord;
}

export interface WriteObserver {
	/** A row was written; the returned function withdraws the notice when the write is undone. */
	written(write: RecordWrite): Undo;
	/** The transaction ended: its remaining writes are committed. `origin` is the change's changeOrigin. */
	commit(origin: string): void;
	/** Forget the transaction's writes without committing them (seeding the org is not a change). */
	discard(): void;
}

/** Inserting a platform event publishes it (Dml); returns its EventUuid. */
export interface EventPublisher {
	published(object: ObjectDef, event: StoredRecord, context: WriteContext): string;
}

/**
 * Rows an automation change wrote (WriteContext.automation: SystemModstamp moved, the LastModified
 * pair did not). Their change events leave LastModifiedDate out, which the row's values alone
 * cannot tell when the change falls in the same second as the last user's.
 */
export const AUTOMATION_WRITES = new WeakSet<StoredRecord>();

const NOTHING: Undo = () => undefined;

/** For a record store nobody watches. */
export const NO_OBSERVER: WriteObserver & EventPublisher = {
	written: () => NOTHING,
	published: () => '',
	commit: () => undefined,
	discard: () => undefined,
};

/** Changes made by the stand-in's test hooks come from no API: Salesforce leaves changeOrigin empty then. */
export const HOOK_ORIGIN = '';

/**
 * changeOrigin of a REST API change: `com/salesforce/api/rest/<version>`, plus `;client=<id>` when
 * the request named its client in `Sforce-Call-Options: client=<id>` (Apex reference,
 * EventBus.ChangeEventHeader.changeorigin).
 */
export function restChangeOrigin(headers: IncomingHttpHeaders, major: number): string {
	const header = headers['sforce-call-options'];
	const client = /(?:^|,)\s*client=([^,]+)/
		.exec(Array.isArray(header) ? header.join(',') : (header ?? ''))?.[1]
		?.trim();
	return `com/salesforce/api/rest/${major}.0${client ? `;client=${client}` : ''}`;
}
