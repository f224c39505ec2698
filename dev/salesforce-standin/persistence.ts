import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { Session } from './sessions';
import type { StoredRecord } from './rest/schema';

/**
 * The org kept in a file between runs (StandinOptions.stateFile, what `npm start` uses): the same org
 * id, user ids, live sessions, records and API usage on the next start, so a credential made against
 * it — by hand, or by the migration script — keeps working after a restart, and so does what the user
 * created. Written after every request that may change it, and on close.
 */
export interface OrgSnapshot {
	version: 1;
	label: string;
	orgId: string;
	/** Username → user id. */
	userIds: Record<string, string>;
	sessions: Session[];
	/** Object name → its rows, Recycle Bin included. */
	records: Record<string, StoredRecord[]>;
	apiUsed: number;
}

/** The snapshot in `file`, if there is one for this label; a damaged or other org's file is ignored. */
export function readSnapshot(file: string, label: string): OrgSnapshot | undefined {
	if (!existsSync(file)) return undefined;
	try {
		const snapshot = JSON.parse(readFileSync(file, 'utf8')) as OrgSnapshot;
		if (snapshot.version !== 1 || snapshot.label !== label || typeof snapshot.orgId !== 'string')
			return undefined;
		return snapshot;
	} catch {
		return undefined;
	}
}

/** Written whole to a temporary file, then renamed over the old one: a crash never leaves half a file. */
export function writeSnapshot(file: string, snapshot: OrgSnapshot): void {
	const temporary = `${file}.${process.pid}.tmp`;
	writeFileSync(temporary, JSON.stringify(snapshot), { mode: 0o600 });
	renameSync(temporary, file);
}
