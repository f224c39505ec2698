import type { IncomingMessage } from 'node:http';
import type { ObjectDef, StoredRecord, WriteContext } from './schema';
import type { Undo } from './records';

/**
 * What the DML layer tells an observer (the stand-in's Change Data Capture and Platform Events):
 * each row it writes, each platform event it publishes, and where a transaction ends. A
 * transaction is one REST request or one test hook call; its writes are committed when it ends,
 * minus those an all-or-none rollback undid (the undo a write returns also withdraws its notice).
 */

export interface RecordWrite {
	object: ObjectDef;
	/** The row before the write; undefined for a create. */
	before: StoredRecord | undefined;
	after: StoredRecord;
	context: WriteContext;
}

export interface WriteObserver {
	/** A row was written; the returned function withdraws the notice when the write is undone. */
	written(write: RecordWrite): Undo;
	/** A platform event was inserted (published); returns its EventUuid. */
	published(object: ObjectDef, event: StoredRecord, context: WriteContext): string;
	/** The transaction ended: its remaining writes are committed. `origin` is the change's changeOrigin. */
	commit(origin: string): void;
	/** Forget the transaction's writes without committing them (seeding the org is not a change). */
	discard(): void;
}

const NOTHING: Undo = () => undefined;

/** For a record store nobody watches. */
export const NO_OBSERVER: WriteObserver = {
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
export function restChangeOrigin(req: IncomingMessage, major: number): string {
	const header = req.headers['sforce-call-options'];
	const client = /(?:^|,)\s*client=([^,]+)/.exec(Array.isArray(header) ? header.join(',') : (header ?? ''))?.[1]?.trim();
	return `com/salesforce/api/rest/${major}.0${client ? `;client=${client}` : ''}`;
}
