import { join, resolve } from 'node:path';

import { lastLines, runCommand } from './child-processes';
import type { N8nRuntime } from './runtime';

/**
 * Reads what n8n saved in its SQLite database (executions, a workflow's static data, or any table with
 * `querySqlite`), with the sqlite3 module of the cached n8n install (native: it needs the Node n8n runs on).
 */

export interface ExecutionSummary {
	id: string;
	workflowId: string;
	status: string;
	mode: string;
	finished: boolean;
	startedAt: string | null;
	stoppedAt: string | null;
}

export interface SavedExecution extends ExecutionSummary {
	/** `execution_data.data` exactly as stored (n8n's "flatted" JSON): search it for leaked secrets. */
	rawData: string;
	/** The same, unflattened: `{ resultData: { runData, error? }, ... }`. */
	data: unknown;
	workflowData: unknown;
}

// Runs under the n8n runtime's Node; argv: n8n install folder, database file, SQL, its parameters as JSON.
const READER_SCRIPT = `
const { createRequire } = require('node:module');
const [n8nFolder, databaseFile, sql, params] = process.argv.slice(1);
const requireFromN8n = createRequire(n8nFolder + '/package.json');
const sqlite3 = requireFromN8n('sqlite3');
const db = new sqlite3.Database(databaseFile, sqlite3.OPEN_READONLY);
db.all(sql, JSON.parse(params), (error, rows) => {
	db.close();
	if (error) { console.error(error.message); process.exit(1); }
	process.stdout.write(JSON.stringify(rows));
});
`;

/**
 * Runs one read-only query against an n8n SQLite database (n8n may be running: it keeps the database
 * in WAL mode), with the sqlite3 module of the cached n8n install; rows as objects.
 */
export async function querySqlite<T = Record<string, unknown>>(
	runtime: N8nRuntime,
	databaseFile: string,
	sql: string,
	params: unknown[] = [],
): Promise<T[]> {
	// n8nBin is <install>/node_modules/.bin/n8n
	const n8nFolder = resolve(runtime.n8nBin, '..', '..', '..');
	const result = await runCommand(
		runtime.nodeBinary,
		['-e', READER_SCRIPT, n8nFolder, databaseFile, sql, JSON.stringify(params)],
		{
			cwd: n8nFolder,
			env: runtime.env,
			timeoutMs: 60_000,
		},
	);
	if (result.exitCode !== 0)
		throw new Error(`Reading ${databaseFile} failed:\n${lastLines(result.stderr, 10)}`);
	return JSON.parse(result.stdout) as T[];
}

const EXECUTION_COLUMNS =
	'e.id, e.workflowId, e.status, e.mode, e.finished, e.startedAt, e.stoppedAt';
const WITH_DATA = `SELECT ${EXECUTION_COLUMNS}, d.data AS rawData, d.workflowData FROM execution_entity e LEFT JOIN execution_data d ON d.executionId = e.id`;

/** An execution as a database row or a REST answer has it. */
export interface ExecutionRow extends Omit<ExecutionSummary, 'id' | 'finished'> {
	id: number | string;
	/** The database column (n8n sets it when an execution succeeds); REST lists leave it out. */
	finished?: number | boolean;
	rawData?: string | null;
	workflowData?: string | null;
}

export function toSummary(row: ExecutionRow): ExecutionSummary {
	return {
		id: String(row.id),
		workflowId: row.workflowId,
		status: row.status,
		mode: row.mode,
		finished: row.finished === undefined ? row.status === 'success' : Boolean(row.finished),
		startedAt: row.startedAt,
		stoppedAt: row.stoppedAt,
	};
}

export class SavedExecutions {
	constructor(
		private readonly runtime: N8nRuntime,
		private readonly userFolder: string,
	) {}

	private async query<T = ExecutionRow>(sql: string, params: unknown[] = []): Promise<T[]> {
		return await querySqlite<T>(
			this.runtime,
			join(this.userFolder, '.n8n', 'database.sqlite'),
			sql,
			params,
		);
	}

	/** A workflow's static data as n8n saved it (what a trigger keeps across restarts); `{}` when none. */
	async workflowStaticData(workflowId: string): Promise<Record<string, unknown>> {
		const [row] = await this.query<{ staticData: string | null }>(
			'SELECT staticData FROM workflow_entity WHERE id = ?',
			[workflowId],
		);
		if (!row) throw new Error(`No workflow ${workflowId} in ${this.userFolder}.`);
		return row.staticData ? (JSON.parse(row.staticData) as Record<string, unknown>) : {};
	}

	/** Every execution of a workflow with its data, in one read (thousands of them: one query, not one each). */
	async ofWorkflow(workflowId: string): Promise<Array<ExecutionSummary & { rawData: string }>> {
		const rows = await this.query(`${WITH_DATA} WHERE e.workflowId = ? ORDER BY e.id`, [
			workflowId,
		]);
		return rows.map((row) => ({ ...toSummary(row), rawData: row.rawData ?? '' }));
	}

	async list(): Promise<ExecutionSummary[]> {
		return (
			await this.query(`SELECT ${EXECUTION_COLUMNS} FROM execution_entity e ORDER BY e.id`)
		).map(toSummary);
	}

	async read(executionId: string): Promise<SavedExecution> {
		const [row] = await this.query(`${WITH_DATA} WHERE e.id = ?`, [executionId]);
		if (!row) throw new Error(`No execution ${executionId} in ${this.userFolder}.`);
		return savedExecutionOf(toSummary(row), row.rawData ?? '', row.workflowData ?? undefined);
	}
}

/** An execution from its summary and the data as stored (flatted text) — read from the database or the REST API. */
export function savedExecutionOf(
	summary: ExecutionSummary,
	rawData: string,
	workflowData: string | object | undefined,
): SavedExecution {
	return {
		...summary,
		rawData,
		data: rawData ? unflatten(rawData) : undefined,
		workflowData:
			typeof workflowData === 'string' ? (JSON.parse(workflowData) as unknown) : workflowData,
	};
}

/**
 * n8n stores run data with `flatted`: a JSON array whose first element is the root and whose string
 * values that are decimal indexes point at other elements. Strings themselves are stored as elements
 * too. This is flatted's `parse`, small enough to keep here rather than load n8n's copy.
 */
export function unflatten(text: string): unknown {
	const table = JSON.parse(text) as unknown[];
	if (!Array.isArray(table) || table.length === 0) return table;
	const resolved = new Map<number, unknown>();
	const revive = (index: number): unknown => {
		if (resolved.has(index)) return resolved.get(index);
		const value = table[index];
		if (typeof value !== 'object' || value === null) {
			resolved.set(index, value);
			return value;
		}
		const copy: Record<string, unknown> | unknown[] = Array.isArray(value) ? [] : {};
		resolved.set(index, copy);
		for (const [key, reference] of Object.entries(value)) {
			(copy as Record<string, unknown>)[key] =
				typeof reference === 'string' ? revive(Number(reference)) : reference;
		}
		return copy;
	};
	return revive(0);
}
