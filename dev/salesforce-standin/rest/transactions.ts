import type { StandinTransaction, StandinUpdateOptions } from '../types';
import type { FieldDef, ObjectDef, StoredRecord, StoredValue, WriteContext } from './schema';
import { findObject } from './schema';
import type { RowSource, Undo } from './records';
import { RecordStore } from './records';
import type { Dml, WriteResult } from './dml';
import { parseFields } from './dml';
import { RestError } from './errors';
import { auditDateTime, dateTimeMs } from '../clock';

/**
 * Late commits, as Salesforce describes them for replication: a change is stamped when its
 * transaction starts but becomes visible only when it commits, so it can appear with a
 * SystemModstamp older than changes already read. That is why getUpdated/getDeleted answer a
 * latestDateCovered that is "the start time of that long-running transaction until it completes"
 * (SOAP API Developer Guide, GetUpdatedResult). A transaction writes into rows of its own
 * (TransactionRows) laid over the org's: queries, getUpdated and getDeleted read the org's rows
 * only, so they see nothing of it until commit. The rows it writes are locked: anyone else writing
 * them gets UNABLE_TO_LOCK_ROW, as behind a real row lock. The test hooks that write at once
 * (insertRecords, updateRecords, ...) are transactions committed right away.
 */

/** What a transaction needs from the org. */
export interface TransactionHost {
	readonly store: RecordStore;
	readonly dml: Dml;
	/** The first user: who the test hooks write as. */
	ownerId(): string;
	/** The org's clock, in milliseconds. */
	now(): number;
	opened(transaction: Transaction): void;
	closed(transaction: Transaction): void;
}

/** An open transaction's rows laid over the org's: its own writes first, the org's rows behind them. */
class TransactionRows implements RowSource {
	/** Only the rows this transaction wrote, indexed like the org's (unique values stay fast). */
	private readonly own: RecordStore;

	constructor(private readonly base: RecordStore) {
		this.own = new RecordStore(base.objects, {});
	}

	get objects(): readonly ObjectDef[] {
		return this.base.objects;
	}

	objectOfId(id: string): ObjectDef | undefined {
		return this.base.objectOfId(id);
	}

	get(object: ObjectDef, id: string): StoredRecord | undefined {
		return this.own.get(object, id) ?? this.base.get(object, id);
	}

	findBy(object: ObjectDef, field: FieldDef, value: StoredValue): StoredRecord[] {
		const behind = this.base
			.findBy(object, field, value)
			.filter((row) => !this.own.get(object, String(row.Id)));
		return [...this.own.findBy(object, field, value), ...behind];
	}

	uniqueHolder(
		object: ObjectDef,
		field: FieldDef,
		value: StoredValue,
		except?: string,
	): string | undefined {
		const mine = this.own.uniqueHolder(object, field, value, except);
		if (mine) return mine;
		const behind = this.base.uniqueHolder(object, field, value, except);
		// A row this transaction rewrote holds whatever its own version says, found above or not at all.
		return behind && !this.own.get(object, behind) ? behind : undefined;
	}

	put(object: ObjectDef, record: StoredRecord): Undo {
		if (this.base.get(object, String(record.Id))) this.base.lock(object, String(record.Id), this);
		return this.own.put(object, record);
	}

	lockedAgainst(object: ObjectDef, id: string): boolean {
		const holder = this.base.lockHolder(object, id);
		return holder !== undefined && holder !== this;
	}

	/** Every row written, in order, to be made visible at commit. */
	written(): Array<[ObjectDef, StoredRecord]> {
		return this.objects.flatMap((object) =>
			this.own.all(object, true).map((row): [ObjectDef, StoredRecord] => [object, row]),
		);
	}

	/** The first unique value another writer took while this transaction was open. */
	conflict(): string | undefined {
		for (const [object, row] of this.written()) {
			if (row.IsDeleted === true) continue;
			for (const field of object.fields) {
				if (!field.unique || row[field.name] === null) continue;
				const holder = this.base.uniqueHolder(object, field, row[field.name], String(row.Id));
				if (holder && !this.own.get(object, holder))
					return `${object.name}.${field.name} '${String(row[field.name])}' is now held by ${holder}`;
			}
		}
		return undefined;
	}

	release(): void {
		this.base.unlockAll(this);
	}
}

export class Transaction implements StandinTransaction {
	readonly startedAt: string;
	private state: 'open' | 'committed' | 'rolled back' = 'open';
	private readonly rows: TransactionRows;
	private readonly dml: Dml;

	constructor(private readonly host: TransactionHost) {
		this.startedAt = auditDateTime(host.now());
		this.rows = new TransactionRows(host.store);
		this.dml = host.dml.through(this.rows);
		host.opened(this);
	}

	/** When it started, in milliseconds (to the second, like its stamps). */
	get startedAtMs(): number {
		return dateTimeMs(this.startedAt);
	}

	insert(sobject: string, records: Array<Record<string, unknown>>): string[] {
		const object = this.object('insert', sobject);
		return this.each('insert', object, records, (record, context) =>
			this.dml.create(object, parseFields(object, record), context),
		);
	}

	update(
		sobject: string,
		records: Array<Record<string, unknown>>,
		options: StandinUpdateOptions = {},
	): void {
		const object = this.object('update', sobject);
		this.each('update', object, records, (record, context) => {
			const { Id: id, ...fields } = record;
			return this.dml.update(object, this.row('update', object, id), parseFields(object, fields), {
				...context,
				automation: options.automation === true,
			});
		});
	}

	delete(sobject: string, ids: string[]): void {
		const object = this.object('delete', sobject);
		this.each('delete', object, ids, (id, context) =>
			this.dml.delete(object, this.row('delete', object, id), context),
		);
	}

	undelete(sobject: string, ids: string[]): void {
		const object = this.object('undelete', sobject);
		this.each('undelete', object, ids, (id, context) =>
			this.dml.undelete(object, this.row('undelete', object, id), context),
		);
	}

	commit(): void {
		this.mustBeOpen('commit');
		const conflict = this.rows.conflict();
		if (conflict) {
			this.rollback();
			throw new Error(`commit: DUPLICATE_VALUE: ${conflict}; the transaction was rolled back`);
		}
		for (const [object, row] of this.rows.written()) this.host.store.put(object, row);
		this.close('committed');
	}

	rollback(): void {
		this.mustBeOpen('rollback');
		this.close('rolled back');
	}

	/** Ends the transaction without a word (the org's data was reset under it). */
	abandon(): void {
		if (this.state === 'open') this.close('rolled back');
	}

	private close(state: 'committed' | 'rolled back'): void {
		this.state = state;
		this.rows.release();
		this.host.closed(this);
	}

	private mustBeOpen(action: string): void {
		if (this.state !== 'open')
			throw new Error(`${action}: the transaction is already ${this.state}`);
	}

	private object(action: string, sobject: string): ObjectDef {
		this.mustBeOpen(action);
		const object = findObject(this.host.store.objects, sobject);
		if (!object) throw new Error(`${action}: the stand-in has no object '${sobject}'`);
		return object;
	}

	private row(action: string, object: ObjectDef, id: unknown): StoredRecord {
		const row = typeof id === 'string' ? this.rows.get(object, id) : undefined;
		if (!row) throw new Error(`${action}(${object.name}): no row with Id ${String(id)}`);
		return row;
	}

	/** One call, all or none: the first refused row takes back this call's writes and throws. */
	private each<T>(
		action: string,
		object: ObjectDef,
		items: T[],
		write: (item: T, context: WriteContext) => WriteResult,
	): string[] {
		const context: WriteContext = { userId: this.host.ownerId(), now: this.startedAt };
		const undos: Undo[] = [];
		try {
			return items.map((item, index) => {
				const result = write(item, context);
				if (!result.ok)
					throw new Error(
						`${action}(${object.name}) row ${index}: ${result.errors.map((e) => `${e.statusCode}: ${e.message}`).join('; ')}`,
					);
				undos.push(result.undo);
				return result.id;
			});
		} catch (error) {
			for (const undo of undos.reverse()) undo();
			if (error instanceof RestError)
				throw new Error(`${action}(${object.name}): ${error.message}`);
			throw error;
		}
	}
}
