import type { FieldDef, ObjectDef, StoredRecord, StoredValue } from './schema';
import { findObject, TEXT_TYPES } from './schema';
import { idKey, isSalesforceId } from './values';
import type { WriteObserver } from './writeObserver';
import { NO_OBSERVER } from './writeObserver';

/**
 * The org's rows, per object, in insertion order (what a query without ORDER BY returns, so pages
 * stay stable). Deleting keeps the row with IsDeleted = true: the Recycle Bin that queryAll reads
 * (fact sheet §2) until it is emptied (`remove`). Unique fields are indexed so a 10,000-row seed
 * stays fast. Every write returns an undo, which is how all-or-none requests roll back; a journal
 * collects the undos of a whole Composite request. Rows an open transaction has written are locked
 * against everyone else (see transactions.ts).
 */

export type Undo = () => void;

/**
 * What DML reads and writes through: the org's committed rows (RecordStore), or an open
 * transaction's view of them (TransactionRows).
 */
export interface RowSource {
	readonly objects: readonly ObjectDef[];
	objectOfId(id: string): ObjectDef | undefined;
	get(object: ObjectDef, id: string): StoredRecord | undefined;
	findBy(object: ObjectDef, field: FieldDef, value: StoredValue): StoredRecord[];
	uniqueHolder(object: ObjectDef, field: FieldDef, value: StoredValue, except?: string): string | undefined;
	put(object: ObjectDef, record: StoredRecord): Undo;
	/** True when another open transaction holds the row (a write then fails with UNABLE_TO_LOCK_ROW). */
	lockedAgainst(object: ObjectDef, id: string): boolean;
}

/** Takes back every write recorded since it began (Composite allOrNone). */
export interface Journal {
	rollback(): void;
	stop(): void;
}

interface Table {
	object: ObjectDef;
	rows: Map<string, StoredRecord>;
	/** field name -> normalised value -> row key; live rows only. */
	unique: Map<string, Map<string, string>>;
}

/** Text compares case-insensitively in Salesforce (unique fields, external ids, SOQL `=`). */
export function matchKey(field: FieldDef, value: StoredValue): string {
	if (value === null) return '';
	if (field.type === 'id' || field.type === 'reference') return idKey(String(value));
	return TEXT_TYPES.has(field.type) ? String(value).toLowerCase() : String(value);
}

export class RecordStore implements RowSource {
	private readonly tables = new Map<string, Table>();
	/** object name + row key -> the open transaction that wrote the row. */
	private readonly locks = new Map<string, object>();
	private journal: Undo[] | undefined;
	/** Told of every row put (the org's store only: a transaction's own rows are told at its commit). */
	observer: WriteObserver = NO_OBSERVER;

	constructor(
		readonly objects: readonly ObjectDef[],
		/** Objects whose rows live elsewhere (User: the org's configured users). */
		private readonly virtual: Record<string, () => StoredRecord[]>,
	) {
		this.clear();
	}

	clear(): void {
		this.tables.clear();
		this.locks.clear();
		for (const object of this.objects) {
			if (this.virtual[object.name]) continue;
			const unique = new Map(object.fields.filter((field) => field.unique).map((field) => [field.name, new Map<string, string>()]));
			this.tables.set(object.name, { object, rows: new Map(), unique });
		}
	}

	/** Every stored row per object (Recycle Bin included), as a file keeps them. */
	dump(): Record<string, StoredRecord[]> {
		const rows: Record<string, StoredRecord[]> = {};
		for (const [name, table] of this.tables) rows[name] = [...table.rows.values()];
		return rows;
	}

	/** Rows as dump() gave them, put back (objects the store no longer has are skipped). */
	load(rows: Record<string, StoredRecord[]>): void {
		for (const [name, records] of Object.entries(rows)) {
			const table = this.tables.get(name);
			if (!table) continue;
			for (const record of records) this.write(table, idKey(String(record.Id)), record);
		}
	}

	object(name: string): ObjectDef | undefined {
		return findObject(this.objects, name);
	}

	/** The object an id belongs to, from its key prefix. */
	objectOfId(id: string): ObjectDef | undefined {
		return isSalesforceId(id) ? this.objects.find((object) => object.keyPrefix === id.slice(0, 3)) : undefined;
	}

	/** Live rows (no copies: callers must not modify them), plus deleted ones when asked. */
	all(object: ObjectDef, includeDeleted = false): StoredRecord[] {
		const virtual = this.virtual[object.name];
		if (virtual) return virtual();
		const rows = [...this.table(object).rows.values()];
		return includeDeleted ? rows : rows.filter((row) => row.IsDeleted !== true);
	}

	/** A row by 15- or 18-character id, deleted or not. */
	get(object: ObjectDef, id: string): StoredRecord | undefined {
		if (!isSalesforceId(id) || id.slice(0, 3) !== object.keyPrefix) return undefined;
		const virtual = this.virtual[object.name];
		if (virtual) return virtual().find((row) => idKey(String(row.Id)) === idKey(id));
		return this.table(object).rows.get(idKey(id));
	}

	/** Any object's row by id (reference checks, parent lookups). */
	find(id: string): { object: ObjectDef; record: StoredRecord } | undefined {
		const object = this.objectOfId(id);
		const record = object ? this.get(object, id) : undefined;
		return object && record ? { object, record } : undefined;
	}

	/** Live rows whose field matches the value (external-id upserts). */
	findBy(object: ObjectDef, field: FieldDef, value: StoredValue): StoredRecord[] {
		const wanted = matchKey(field, value);
		const index = this.virtual[object.name] ? undefined : this.table(object).unique.get(field.name);
		if (index) {
			const key = index.get(wanted);
			const row = key === undefined ? undefined : this.table(object).rows.get(key);
			return row ? [row] : [];
		}
		return this.all(object).filter((row) => row[field.name] !== null && matchKey(field, row[field.name]) === wanted);
	}

	/** The live row (other than `except`) that already holds a unique value. */
	uniqueHolder(object: ObjectDef, field: FieldDef, value: StoredValue, except?: string): string | undefined {
		const key = this.table(object).unique.get(field.name)?.get(matchKey(field, value));
		if (key === undefined || (except !== undefined && key === idKey(except))) return undefined;
		return String(this.table(object).rows.get(key)?.Id);
	}

	/** Puts the row (new or replacing the one with its id) and returns how to take it back. */
	put(object: ObjectDef, record: StoredRecord): Undo {
		const table = this.table(object);
		const key = idKey(String(record.Id));
		const previous = table.rows.get(key);
		this.write(table, key, record);
		const withdraw = this.observer.written({ object, before: previous, after: record });
		const undo = () => {
			withdraw();
			this.restore(table, key, previous);
		};
		this.journal?.push(undo);
		return undo;
	}

	/** The row is gone for good, as when the Recycle Bin is emptied. */
	remove(object: ObjectDef, id: string): void {
		const table = this.table(object);
		const key = idKey(id);
		const previous = table.rows.get(key);
		this.restore(table, key, undefined);
		this.journal?.push(() => this.restore(table, key, previous));
	}

	/** Records every write from now on, so that a Composite request can take all of them back. */
	startJournal(): Journal {
		const undos: Undo[] = [];
		this.journal = undos;
		return {
			rollback: () => {
				this.journal = undefined;
				for (const undo of undos.reverse()) undo();
			},
			stop: () => {
				this.journal = undefined;
			},
		};
	}

	lock(object: ObjectDef, id: string, holder: object): void {
		this.locks.set(`${object.name}:${idKey(id)}`, holder);
	}

	unlockAll(holder: object): void {
		for (const [key, owner] of this.locks) if (owner === holder) this.locks.delete(key);
	}

	lockHolder(object: ObjectDef, id: string): object | undefined {
		return this.locks.get(`${object.name}:${idKey(id)}`);
	}

	lockedAgainst(object: ObjectDef, id: string): boolean {
		return this.lockHolder(object, id) !== undefined;
	}

	private restore(table: Table, key: string, previous: StoredRecord | undefined): void {
		if (previous) this.write(table, key, previous);
		else {
			this.unindex(table, key);
			table.rows.delete(key);
		}
	}

	private write(table: Table, key: string, record: StoredRecord): void {
		this.unindex(table, key);
		table.rows.set(key, record);
		if (record.IsDeleted === true) return;
		for (const [name, index] of table.unique) {
			const field = this.uniqueField(table, name);
			if (record[name] !== null) index.set(matchKey(field, record[name]), key);
		}
	}

	/** Drops the index entries the row currently holds (looked up by its values, not by scanning). */
	private unindex(table: Table, key: string): void {
		const current = table.rows.get(key);
		if (!current) return;
		for (const [name, index] of table.unique) {
			const value = matchKey(this.uniqueField(table, name), current[name]);
			if (current[name] !== null && index.get(value) === key) index.delete(value);
		}
	}

	private uniqueField(table: Table, name: string): FieldDef {
		const field = table.object.fields.find((candidate) => candidate.name === name);
		if (!field) throw new Error(`${table.object.name}.${name} is not a field`);
		return field;
	}

	private table(object: ObjectDef): Table {
		const table = this.tables.get(object.name);
		if (!table) throw new Error(`${object.name} has no table`);
		return table;
	}
}
