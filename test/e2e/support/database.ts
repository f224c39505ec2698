/**
 * Read-only SQL against the database of an n8n under test — its SQLite file, or the PostgreSQL of
 * queue mode — for what n8n keeps nowhere else in reach (the publication outbox, see publication.ts).
 * Write SQL that both accept: identifiers in double quotes (`"workflowId"`), plain literals.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import type { N8nRuntime } from '../../../dev/n8n/runtime';
import { querySqlite } from '../../../dev/n8n/saved-executions';

/** What `sqliteDatabase` gives and queue mode's `PostgresService` is. */
export interface N8nDatabase {
	rows: <T = Record<string, unknown>>(sql: string) => Promise<T[]>;
	/** Whether n8n created this table yet (a database n8n never started on has none). */
	hasTable: (name: string) => Promise<boolean>;
}

export function sqliteDatabase(runtime: N8nRuntime, userFolder: string): N8nDatabase {
	const file = join(userFolder, '.n8n', 'database.sqlite');
	const rows = async <T>(sql: string): Promise<T[]> => await querySqlite<T>(runtime, file, sql);
	return {
		rows,
		hasTable: async (name) =>
			existsSync(file) &&
			(await rows(`SELECT name FROM sqlite_master WHERE type = 'table' AND name = '${name}'`))
				.length > 0,
	};
}
