import type { ObjectDef, StoredRecord, WriteContext } from './schema';
import { apiDateTime, findObject } from './schema';
import type { RecordStore, Undo } from './records';
import type { Dml, WriteResult } from './dml';
import { parseFields } from './dml';
import { RestError } from './errors';
import type { WriteObserver } from './transaction';
import { HOOK_ORIGIN } from './transaction';

/**
 * The test hooks that write rows (insertRecords, updateRecords, deleteRecords, undeleteRecords):
 * as the first user, with the API's rules, all or none, each call one transaction — so they raise
 * change events like any other committed write, without counting an API request.
 */
export class HookWrites {
	constructor(
		private readonly store: RecordStore,
		private readonly dml: Dml,
		private readonly observer: WriteObserver,
		private readonly ownerId: () => string,
	) {}

	insert(sobject: string, records: Array<Record<string, unknown>>): string[] {
		return this.committed(this.seed(sobject, records));
	}

	/** Like insert, without ending the transaction (seeding an org is no change anyone hears of). */
	seed(sobject: string, records: Array<Record<string, unknown>>): string[] {
		const object = this.object('insertRecords', sobject);
		return this.allOrNone('insertRecords', object, records, (record, context) => this.dml.create(object, parseFields(object, record), context));
	}

	/** Each record names its row by `Id`; the other keys are the fields to change. */
	update(sobject: string, records: Array<Record<string, unknown>>): void {
		const object = this.object('updateRecords', sobject);
		this.committed(
			this.allOrNone('updateRecords', object, records, (record, context) => {
				const { Id: id, ...fields } = record;
				return this.dml.update(object, this.row('updateRecords', object, id), parseFields(object, fields), context);
			}),
		);
	}

	delete(sobject: string, ids: string[]): void {
		const object = this.object('deleteRecords', sobject);
		this.committed(this.allOrNone('deleteRecords', object, ids, (id, context) => this.dml.delete(object, this.row('deleteRecords', object, id), context)));
	}

	undelete(sobject: string, ids: string[]): void {
		const object = this.object('undeleteRecords', sobject);
		this.committed(this.allOrNone('undeleteRecords', object, ids, (id, context) => this.dml.undelete(object, this.row('undeleteRecords', object, id), context)));
	}

	private committed<T>(result: T): T {
		this.observer.commit(HOOK_ORIGIN);
		return result;
	}

	private object(hook: string, sobject: string): ObjectDef {
		const object = findObject(this.store.objects, sobject);
		if (!object) throw new Error(`${hook}: the stand-in has no object '${sobject}'`);
		return object;
	}

	private row(hook: string, object: ObjectDef, id: unknown): StoredRecord {
		const row = typeof id === 'string' ? this.store.get(object, id) : undefined;
		if (!row) throw new Error(`${hook}(${object.name}): no row with Id ${String(id)}`);
		return row;
	}

	/** Runs every write; the first refused one undoes the others and throws naming the row and Salesforce's error. */
	private allOrNone<T>(hook: string, object: ObjectDef, inputs: T[], write: (input: T, context: WriteContext) => WriteResult): string[] {
		const context: WriteContext = { userId: this.ownerId(), now: apiDateTime(new Date()) };
		const undos: Undo[] = [];
		const ids: string[] = [];
		try {
			inputs.forEach((input, index) => {
				const result = write(input, context);
				if (!result.ok) throw new Error(`${hook}(${object.name}) row ${index}: ${result.errors.map((e) => `${e.statusCode}: ${e.message}`).join('; ')}`);
				undos.push(result.undo);
				ids.push(result.id);
			});
		} catch (error) {
			for (const undo of undos.reverse()) undo();
			if (error instanceof RestError) throw new Error(`${hook}(${object.name}): ${error.message}`);
			throw error;
		}
		return ids;
	}
}
