import type { FieldDef, ObjectDef, StoredRecord, StoredValue, WriteContext } from './schema';
import { findField, findObject, ID_TYPES, TEXT_TYPES } from './schema';
import type { RecordError } from './errors';
import {
	ENTITY_IS_DELETED,
	NOT_IN_RECYCLE_BIN,
	recordError,
	RestError,
	UNABLE_TO_LOCK_ROW,
} from './errors';
import type { RecordStore, RowSource, Undo } from './records';
import { matchKey } from './records';
import { deserialize, idKey, isSalesforceId } from './values';
import type { EventPublisher } from './writeObserver';
import { AUTOMATION_WRITES, NO_OBSERVER } from './writeObserver';
import { salesforceId } from '../ids';

/**
 * Create, update, delete and upsert with Salesforce's rules, in two phases as Salesforce runs
 * them: `parseFields` deserialises the body (an unknown field or a value of the wrong JSON kind
 * fails the whole request), then each DML call checks one record and reports RecordErrors
 * (fact sheet §6: REQUIRED_FIELD_MISSING, STRING_TOO_LONG, DUPLICATE_VALUE, ...). Only the first
 * failing check is reported, except that every violated validation rule is. Every write moves
 * SystemModstamp; a user's write also LastModifiedDate and LastModifiedById (WriteContext.automation).
 */

export type Entries = Array<[FieldDef, StoredValue]>;

export interface ValidationRule {
	sobject: string;
	message: string;
	field?: string;
	/** Salesforce's "error condition formula": true means the record is refused. */
	errorCondition: (record: Readonly<StoredRecord>) => boolean;
}

/** `notices`: what a successful save still reports in its errors list (a platform event's OPERATION_ENQUEUED). */
export type WriteResult =
	| { ok: true; id: string; created: boolean; undo: Undo; notices?: RecordError[] }
	| { ok: false; errors: RecordError[] };

/** The record body's fields (keys match case-insensitively; `attributes` is the record's metadata). */
export function parseFields(object: ObjectDef, body: Record<string, unknown>): Entries {
	const entries: Entries = [];
	for (const [name, raw] of Object.entries(body)) {
		if (name === 'attributes') continue;
		const field = findField(object, name);
		if (!field) {
			throw new RestError(400, [
				{
					message: `No such column '${name}' on sobject of type ${object.name}`,
					errorCode: 'INVALID_FIELD',
				},
			]);
		}
		if (field.type === 'base64') {
			// Blobs travel through sobjects/{type} (files/upload.ts), which stores them as files.
			throw new RestError(400, [
				{
					message: `${object.name}.${field.name}: the stand-in takes blob fields only through POST sobjects/${object.name} (JSON or multipart)`,
					errorCode: 'INVALID_FIELD',
				},
			]);
		}
		const result = deserialize(field, raw);
		if ('error' in result) throw new RestError(400, [result.error]);
		entries.push([field, result.value]);
	}
	return entries;
}

/**
 * A new row as a create stores it: every field null, then the id, the given values, the
 * defaulted-on-create fields' initial values, false for non-nillable booleans, calculated fields.
 */
export function buildRecord(
	object: ObjectDef,
	id: string,
	entries: Entries,
	context: WriteContext,
): StoredRecord {
	const record: StoredRecord = {};
	for (const field of object.fields) record[field.name] = null;
	record.Id = id;
	for (const [field, value] of entries) record[field.name] = value;
	for (const field of object.fields) {
		if (field.defaultedOnCreate && record[field.name] === null && field.initial)
			record[field.name] = field.initial(record, context);
		if (field.type === 'boolean' && !field.nillable && record[field.name] === null)
			record[field.name] = false;
	}
	for (const field of object.fields) if (field.compute) record[field.name] = field.compute(record);
	return record;
}

function fail(...errors: RecordError[]): WriteResult {
	return { ok: false, errors };
}

/** The audit fields a change moves: SystemModstamp always, the LastModified pair for a user's change. */
function modified(context: WriteContext): StoredRecord {
	const stamp: StoredRecord = { SystemModstamp: context.now };
	if (!context.automation)
		Object.assign(stamp, { LastModifiedDate: context.now, LastModifiedById: context.userId });
	return stamp;
}

const FLS_HINT =
	'Please check the security settings of this field and verify that it is read/write for your profile or permission set.';

function notWritable(fields: FieldDef[]): RecordError {
	const names = fields.map((field) => field.name);
	return recordError(
		'INVALID_FIELD_FOR_INSERT_UPDATE',
		`Unable to create/update fields: ${names.join(', ')}. ${FLS_HINT}`,
		names,
	);
}

function isRequired(field: FieldDef): boolean {
	return !field.nillable && field.createable && !field.defaultedOnCreate;
}

export class Dml {
	constructor(
		private readonly store: RowSource,
		private readonly rules: ValidationRule[] = [],
		private readonly events: EventPublisher = NO_OBSERVER,
	) {}

	/** The same rules, writing through other rows (an open transaction's). */
	through(rows: RowSource): Dml {
		return new Dml(rows, this.rules, this.events);
	}

	addRule(rule: ValidationRule): () => void {
		this.rules.push(rule);
		return () => {
			const index = this.rules.indexOf(rule);
			if (index >= 0) this.rules.splice(index, 1);
		};
	}

	clearRules(): void {
		this.rules.length = 0;
	}

	create(object: ObjectDef, entries: Entries, context: WriteContext): WriteResult {
		if (!object.createable)
			return fail(
				recordError(
					'INSUFFICIENT_ACCESS_OR_READONLY',
					`entity type cannot be inserted: ${object.label}`,
				),
			);
		if (entries.some(([field]) => field.name === 'Id'))
			return fail(
				recordError('INVALID_FIELD_FOR_INSERT_UPDATE', 'cannot specify Id in an insert call', [
					'Id',
				]),
			);
		const readOnly = entries.filter(([field]) => !field.createable).map(([field]) => field);
		if (readOnly.length > 0) return fail(notWritable(readOnly));

		return this.save(
			object,
			buildRecord(object, salesforceId(object.keyPrefix), entries, context),
			entries,
			true,
			context,
		);
	}

	update(
		object: ObjectDef,
		existing: StoredRecord,
		entries: Entries,
		context: WriteContext,
	): WriteResult {
		if (!object.updateable)
			return fail(
				recordError(
					'INSUFFICIENT_ACCESS_OR_READONLY',
					`entity type cannot be updated: ${object.label}`,
				),
			);
		if (existing.IsDeleted === true) return fail(ENTITY_IS_DELETED);
		if (this.store.lockedAgainst(object, String(existing.Id))) return fail(UNABLE_TO_LOCK_ROW);
		// An Id naming the same record is harmless (clients send records back as they read them).
		const changes = entries.filter(
			([field, value]) =>
				!(
					field.name === 'Id' &&
					value !== null &&
					idKey(String(value)) === idKey(String(existing.Id))
				),
		);
		const readOnly = changes.filter(([field]) => !field.updateable).map(([field]) => field);
		if (readOnly.length > 0) return fail(notWritable(readOnly));

		const record: StoredRecord = { ...existing, ...modified(context) };
		for (const [field, value] of changes) record[field.name] = value;
		if (context.automation) AUTOMATION_WRITES.add(record);
		return this.save(object, record, changes, false, context);
	}

	/**
	 * Into the Recycle Bin: IsDeleted, and the audit fields move as for an update (the Recycle Bin's
	 * "Deleted By" and "Deleted Date" are LastModifiedBy and LastModifiedDate: third-party
	 * evidence); getDeleted's deletedDate is the SystemModstamp (GetDeletedResult docs).
	 */
	delete(object: ObjectDef, existing: StoredRecord, context: WriteContext): WriteResult {
		if (!object.deletable)
			return fail(
				recordError(
					'INSUFFICIENT_ACCESS_OR_READONLY',
					`entity type cannot be deleted: ${object.label}`,
				),
			);
		if (existing.IsDeleted === true) return fail(ENTITY_IS_DELETED);
		if (this.store.lockedAgainst(object, String(existing.Id))) return fail(UNABLE_TO_LOCK_ROW);
		const deleted = (row: StoredRecord): StoredRecord => ({
			...row,
			IsDeleted: true,
			...modified(context),
		});
		return this.withCascade(object, existing, (target, row) =>
			this.store.put(target, deleted(row)),
		);
	}

	/**
	 * Bulk API's hardDelete: the row leaves the org, Recycle Bin included (a row already there may
	 * go too). Only on the org's own rows, never through a transaction's view of them.
	 */
	hardDelete(object: ObjectDef, existing: StoredRecord): WriteResult {
		const store = this.store;
		if (!('remove' in store)) throw new Error("hardDelete writes the org's rows only");
		if (!object.deletable)
			return fail(
				recordError(
					'INSUFFICIENT_ACCESS_OR_READONLY',
					`entity type cannot be deleted: ${object.label}`,
				),
			);
		if (store.lockedAgainst(object, String(existing.Id))) return fail(UNABLE_TO_LOCK_ROW);
		return this.withCascade(object, existing, (target, row) =>
			(store as RecordStore).remove(target, String(row.Id)),
		);
	}

	/** One delete and its cascade (ContentDocument takes its versions and links), undone together. */
	private withCascade(
		object: ObjectDef,
		existing: StoredRecord,
		remove: (object: ObjectDef, row: StoredRecord) => Undo,
	): WriteResult {
		const undos: Undo[] = [];
		for (const cascade of object.cascadeDelete ?? []) {
			const child = findObject(this.store.objects, cascade.object);
			const key = child && findField(child, cascade.field);
			if (!child || !key) continue;
			for (const row of this.store.findBy(child, key, String(existing.Id)))
				undos.push(remove(child, row));
		}
		undos.push(remove(object, existing));
		return {
			ok: true,
			id: String(existing.Id),
			created: false,
			undo: () => undos.reverse().forEach((undo) => undo()),
		};
	}

	/** Out of the Recycle Bin, unless a live row has taken one of its unique values meanwhile. */
	undelete(object: ObjectDef, existing: StoredRecord, context: WriteContext): WriteResult {
		if (existing.IsDeleted !== true) return fail(NOT_IN_RECYCLE_BIN);
		if (this.store.lockedAgainst(object, String(existing.Id))) return fail(UNABLE_TO_LOCK_ROW);
		const record: StoredRecord = { ...existing, IsDeleted: false, ...modified(context) };
		const duplicate = this.duplicate(object, record);
		if (duplicate) return fail(duplicate);
		return {
			ok: true,
			id: String(existing.Id),
			created: false,
			undo: this.store.put(object, record),
		};
	}

	/**
	 * Upsert by an external-id (or other idLookup) field: no live match creates, one updates,
	 * several are the caller's to report (300 for one record, DUPLICATE_EXTERNAL_ID in Collections).
	 */
	upsert(
		object: ObjectDef,
		key: FieldDef,
		value: string,
		entries: Entries,
		context: WriteContext,
	): WriteResult | { multiple: StoredRecord[] } {
		const keyValue = deserialize(key, value);
		const bodyKey = entries.find(([field]) => field === key);
		if (
			'value' in keyValue &&
			bodyKey &&
			bodyKey[1] !== null &&
			matchKey(key, bodyKey[1]) !== matchKey(key, keyValue.value)
		) {
			// Docs are silent on a body that names another key value; refusing it is the safe reading.
			return fail(
				recordError(
					'INVALID_FIELD',
					`The value of ${key.name} in the request body doesn't match the value in the URL`,
					[key.name],
				),
			);
		}
		const rest = entries.filter(([field]) => field !== key);
		const matches = 'value' in keyValue ? this.store.findBy(object, key, keyValue.value) : [];
		if (matches.length > 1) return { multiple: matches };
		if (matches.length === 1) return this.update(object, matches[0], rest, context);
		if (key.name === 'Id')
			return fail(
				recordError(
					'NOT_FOUND',
					'Provided external ID field does not exist or is not accessible: ' + value,
				),
			);
		return this.create(
			object,
			[...rest, [key, 'value' in keyValue ? keyValue.value : value]],
			context,
		);
	}

	/** The checks shared by create and update, then the write itself. */
	private save(
		object: ObjectDef,
		record: StoredRecord,
		entries: Entries,
		created: boolean,
		context: WriteContext,
	): WriteResult {
		for (const field of object.fields) {
			if (field.type === 'boolean' && !field.nillable && record[field.name] === null)
				record[field.name] = false;
			if (field.compute) record[field.name] = field.compute(record);
		}
		const error =
			this.tooLong(entries) ??
			this.badEmail(entries) ??
			this.missing(object, record) ??
			this.badReference(entries);
		if (error) return fail(error);
		const violated = this.rules.filter(
			(rule) =>
				rule.sobject.toLowerCase() === object.name.toLowerCase() &&
				rule.errorCondition({ ...record }),
		);
		if (violated.length > 0) {
			return fail(
				...violated.map((rule) =>
					recordError(
						'FIELD_CUSTOM_VALIDATION_EXCEPTION',
						rule.message,
						rule.field ? [rule.field] : [],
					),
				),
			);
		}
		// Inserting a platform event publishes it and stores nothing (Platform Events Developer Guide,
		// "Publish Event Messages with Salesforce APIs": the save result carries OPERATION_ENQUEUED and
		// the EventUuid). "Publish Immediately", the default behaviour: a rollback does not take it back.
		if (object.platformEvent) {
			const eventUuid = this.events.published(object, record, context);
			return {
				ok: true,
				id: String(record.Id),
				created,
				undo: () => undefined,
				notices: [recordError('OPERATION_ENQUEUED', eventUuid)],
			};
		}
		const duplicate = this.duplicate(object, record);
		if (duplicate) return fail(duplicate);
		return { ok: true, id: String(record.Id), created, undo: this.store.put(object, record) };
	}

	private tooLong(entries: Entries): RecordError | undefined {
		const entry = entries.find(
			([field, value]) =>
				TEXT_TYPES.has(field.type) && typeof value === 'string' && value.length > field.length,
		);
		if (!entry) return undefined;
		const [field, value] = entry;
		return recordError(
			'STRING_TOO_LONG',
			`${field.label}: data value too large: ${String(value)} (max length=${field.length})`,
			[field.name],
		);
	}

	private badEmail(entries: Entries): RecordError | undefined {
		const entry = entries.find(
			([field, value]) =>
				field.type === 'email' &&
				typeof value === 'string' &&
				!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value),
		);
		return (
			entry &&
			recordError(
				'INVALID_EMAIL_ADDRESS',
				`${entry[0].label}: invalid email address: ${String(entry[1])}`,
				[entry[0].name],
			)
		);
	}

	private missing(object: ObjectDef, record: StoredRecord): RecordError | undefined {
		const names = object.fields
			.filter((field) => isRequired(field) && record[field.name] === null)
			.map((field) => field.name);
		return names.length > 0
			? recordError(
					'REQUIRED_FIELD_MISSING',
					`Required fields are missing: [${names.join(', ')}]`,
					names,
				)
			: undefined;
	}

	/** A lookup must name a live row of one of its referenceTo objects. */
	private badReference(entries: Entries): RecordError | undefined {
		for (const [field, value] of entries) {
			if (!ID_TYPES.has(field.type) || field.type === 'id' || value === null) continue;
			const id = String(value);
			const target = this.store.objectOfId(id);
			if (!isSalesforceId(id) || !target || !field.referenceTo.includes(target.name)) {
				return recordError(
					'INVALID_CROSS_REFERENCE_KEY',
					`${field.label}: id value of incorrect type: ${id}`,
					[field.name],
				);
			}
			const row = this.store.get(target, id);
			if (!row || row.IsDeleted === true || row.IsActive === false)
				return recordError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', [
					field.name,
				]);
		}
		return undefined;
	}

	private duplicate(object: ObjectDef, record: StoredRecord): RecordError | undefined {
		for (const field of object.fields) {
			if (!field.unique || record[field.name] === null) continue;
			const holder = this.store.uniqueHolder(object, field, record[field.name], String(record.Id));
			if (holder)
				return recordError(
					'DUPLICATE_VALUE',
					`duplicate value found: ${field.name} duplicates value on record with id: ${holder}`,
				);
		}
		return undefined;
	}
}
