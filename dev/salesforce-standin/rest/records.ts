import type { FieldDef, ObjectDef, StoredRecord, StoredValue } from './schema';
import { findObject, TEXT_TYPES } from './schema';
import { idKey, isSalesforceId } from './values';
import type { SyntheticRows } from './synthetic';
import type { WriteObserver } from './writeObserver';
import { NO_OBSERVER } from './writeObserver';

/**
 * The org's rows, per object, in insertion order (what a query without ORDER BY returns, so pages
 * stay stable). Deleting keeps the row with IsDeleted = true: the Recycle Bin that queryAll reads
 * (fact sheet §2) until it is emptied, or the row hard-deleted (`remove`). Unique and external-id
 * fields are indexed so a 10,000-row seed or a 100,000-record Bulk upsert stays fast. Every write
 * returns an undo, which is how all-or-none requests roll back; a journal collects the undos of a
 * whole Composite request. Rows an open transaction has written are locked against everyone else
 * (see transactions.ts).
 *
 * Behind the stored rows a table can hold synthetic ones (synthetic.ts): generated from their
 * index whenever read, so a million of them cost no memory; writing one stores it like any row.
 */

export type Undo = () => void;

/** Where a scanned row comes from: the stored row itself, or a synthetic row's index in its table. */
export type RowHandle = StoredRecord | number;

/**
 * What DML reads and writes through: the org's committed rows (RecordStore), or an open
 * transaction's view of them (TransactionRows).
 */
export interface RowSource {
	readonly objects: readonly ObjectDef[];
	objectOfId(id: string): ObjectDef | undefined;
	get(object: ObjectDef, id: string): StoredRecord | undefined;
	findBy(object: ObjectDef, field: FieldDef, value: StoredValue): StoredRecord[];
	uniqueHolder(
		object: ObjectDef,
		field: FieldDef,
		value: StoredValue,
		except?: string,
	): string | undefined;
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
	/** The same for external ids that are not unique (several rows may share a value); live rows only. */
	lookup: Map<string, Map<string, Set<string>>>;
	synthetic: SyntheticRows[];
	/** Per synthetic source: the indexes of its rows that were written (now stored) or hard-deleted. */
	replaced: Array<Set<number>>;
	/** Keys of hard-deleted rows, so a synthetic one does not come back. */
	purged: Set<string>;
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
			const unique = new Map(
				object.fields
					.filter((field) => field.unique)
					.map((field) => [field.name, new Map<string, string>()]),
			);
			const lookup = new Map(
				object.fields
					.filter((field) => field.externalId && !field.unique)
					.map((field) => [field.name, new Map<string, Set<string>>()]),
			);
			this.tables.set(object.name, {
				object,
				rows: new Map(),
				unique,
				lookup,
				synthetic: [],
				replaced: [],
				purged: new Set(),
			});
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

	/** An object the stand-in's own code names (a missing one is a bug in the stand-in). */
	objectNamed(name: string): ObjectDef {
		const found = findObject(this.objects, name);
		if (!found) throw new Error(`the stand-in has no object ${name}`);
		return found;
	}

	/** The object an id belongs to, from its key prefix. */
	objectOfId(id: string): ObjectDef | undefined {
		return isSalesforceId(id)
			? this.objects.find((object) => object.keyPrefix === id.slice(0, 3))
			: undefined;
	}

	/** Live rows (no copies: callers must not modify them), plus deleted ones when asked. */
	all(object: ObjectDef, includeDeleted = false): StoredRecord[] {
		return Array.from(this.scan(object, includeDeleted), (handle) => this.rowAt(object, handle));
	}

	/**
	 * Like all(), lazily, as handles: a stored row is its own handle, a synthetic row is a number
	 * that rowAt() turns into the row only when the caller needs its values.
	 */
	*scan(object: ObjectDef, includeDeleted = false): Generator<RowHandle> {
		const virtual = this.virtual[object.name];
		if (virtual) {
			yield* virtual();
			return;
		}
		const table = this.table(object);
		for (const row of table.rows.values()) if (includeDeleted || row.IsDeleted !== true) yield row;
		let base = 0;
		for (const [position, source] of table.synthetic.entries()) {
			// Rows written since (stored, so already yielded) or hard-deleted are skipped.
			const replaced = table.replaced[position];
			for (let index = 0; index < source.count; index++)
				if (!replaced.has(index)) yield base + index;
			base += source.count;
		}
	}

	/** The row a handle from scan() names, as it was then (a synthetic row is generated again). */
	rowAt(object: ObjectDef, handle: RowHandle): StoredRecord {
		if (typeof handle !== 'number') return handle;
		let index = handle;
		for (const source of this.table(object).synthetic) {
			if (index < source.count) return source.row(index);
			index -= source.count;
		}
		throw new Error(`${object.name} has no synthetic row ${handle}`);
	}

	/** Adds generated rows behind the stored ones (see synthetic.ts). */
	addSynthetic(object: ObjectDef, rows: SyntheticRows): void {
		const table = this.table(object);
		table.synthetic.push(rows);
		table.replaced.push(new Set());
	}

	/** A row by 15- or 18-character id, deleted or not. */
	get(object: ObjectDef, id: string): StoredRecord | undefined {
		if (!isSalesforceId(id) || id.slice(0, 3) !== object.keyPrefix) return undefined;
		const virtual = this.virtual[object.name];
		if (virtual) return virtual().find((row) => idKey(String(row.Id)) === idKey(id));
		const table = this.table(object);
		const stored = table.rows.get(idKey(id));
		if (stored || table.purged.has(idKey(id))) return stored;
		for (const source of table.synthetic) {
			const index = source.indexOf(id);
			if (index !== undefined) return source.row(index);
		}
		return undefined;
	}

	/** Any object's row by id (reference checks, parent lookups). */
	find(id: string): { object: ObjectDef; record: StoredRecord } | undefined {
		const object = this.objectOfId(id);
		const record = object ? this.get(object, id) : undefined;
		return object && record ? { object, record } : undefined;
	}

	/**
	 * Live rows whose field matches the value (external-id upserts, Bulk relationship columns): by
	 * id, through the unique or external-id index, else by scanning.
	 */
	findBy(object: ObjectDef, field: FieldDef, value: StoredValue): StoredRecord[] {
		if (field.type === 'id') {
			const row = value === null ? undefined : this.get(object, String(value));
			return row && row.IsDeleted !== true ? [row] : [];
		}
		const wanted = matchKey(field, value);
		const table = this.virtual[object.name] ? undefined : this.table(object);
		const unique = table?.unique.get(field.name);
		if (table && unique) {
			const key = unique.get(wanted);
			const row = key === undefined ? undefined : table.rows.get(key);
			return row ? [row] : [];
		}
		const lookup = table?.lookup.get(field.name);
		if (table && lookup)
			return [...(lookup.get(wanted) ?? [])].map((key) => table.rows.get(key) as StoredRecord);
		return this.all(object).filter(
			(row) => row[field.name] !== null && matchKey(field, row[field.name]) === wanted,
		);
	}

	/** The live row (other than `except`) that already holds a unique value. */
	uniqueHolder(
		object: ObjectDef,
		field: FieldDef,
		value: StoredValue,
		except?: string,
	): string | undefined {
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
		if (!previous) this.replaceSynthetic(table, String(record.Id), true);
		const withdraw = this.observer.written({ object, before: previous, after: record });
		const undo = () => {
			withdraw();
			this.restore(table, key, previous);
			if (!previous) this.replaceSynthetic(table, String(record.Id), false);
		};
		this.journal?.push(undo);
		return undo;
	}

	/** The row is gone for good, as when the Recycle Bin is emptied or Bulk API hard-deletes it. */
	remove(object: ObjectDef, id: string): Undo {
		const table = this.table(object);
		const key = idKey(id);
		const previous = table.rows.get(key);
		this.restore(table, key, undefined);
		table.purged.add(key);
		this.replaceSynthetic(table, id, true);
		const undo = () => {
			table.purged.delete(key);
			this.restore(table, key, previous);
			if (!previous) this.replaceSynthetic(table, id, false);
		};
		this.journal?.push(undo);
		return undo;
	}

	/** Notes that a synthetic row now lives in the table (written) or nowhere (hard-deleted). */
	private replaceSynthetic(table: Table, id: string, replaced: boolean): void {
		for (const [position, source] of table.synthetic.entries()) {
			const index = source.indexOf(id);
			if (index === undefined) continue;
			if (replaced) table.replaced[position].add(index);
			else table.replaced[position].delete(index);
		}
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
			const field = this.indexedField(table, name);
			if (record[name] !== null) index.set(matchKey(field, record[name]), key);
		}
		for (const [name, index] of table.lookup) {
			if (record[name] === null) continue;
			const value = matchKey(this.indexedField(table, name), record[name]);
			const keys = index.get(value) ?? new Set<string>();
			index.set(value, keys.add(key));
		}
	}

	/** Drops the index entries the row currently holds (looked up by its values, not by scanning). */
	private unindex(table: Table, key: string): void {
		const current = table.rows.get(key);
		if (!current) return;
		for (const [name, index] of table.unique) {
			const value = matchKey(this.indexedField(table, name), current[name]);
			if (current[name] !== null && index.get(value) === key) index.delete(value);
		}
		for (const [name, index] of table.lookup) {
			if (current[name] === null) continue;
			const value = matchKey(this.indexedField(table, name), current[name]);
			const keys = index.get(value);
			keys?.delete(key);
			if (keys?.size === 0) index.delete(value);
		}
	}

	private indexedField(table: Table, name: string): FieldDef {
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
