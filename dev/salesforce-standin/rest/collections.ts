import type { FieldDef, ObjectDef, StoredRecord } from './schema';
import { findField } from './schema';
import type { RestContext } from './context';
import { allow, isObject, jsonBody, writeContext } from './context';
import type { RecordError } from './errors';
import {
	duplicateKey,
	ENTITY_IS_DELETED,
	keyMatchesSeveral,
	missingKey,
	notFound,
	recordError,
	restError,
	ROLLED_BACK,
} from './errors';
import type { Entries, WriteResult } from './dml';
import { parseFields } from './dml';
import type { Undo } from './records';
import { matchKey } from './records';
import { parseQuery } from './query';
import { renderRow } from './soql/run';
import { idKey, isSalesforceId } from './values';
import { sendJson } from '../http';

/**
 * sObject Collections (fact sheet §4): up to 200 records a request, one API request however many.
 * A malformed request (no records, over 200, a record without attributes.type, an unknown object
 * or field, a value of the wrong JSON kind) fails whole with 400; otherwise 200 with one result
 * per record in input order, errors as {statusCode, message, fields}. allOrNone=true: one failure
 * rolls every write back and the other records report ALL_OR_NONE_OPERATION_ROLLED_BACK.
 * Choices where the docs are silent are marked "silent" below.
 */

const MAX_RECORDS = 200;
const MAX_RETRIEVE_IDS = 2000;
const OBJECT_HINT =
	"If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.";

interface Result {
	id?: string;
	success: boolean;
	errors: RecordError[];
	created?: boolean;
}

interface Outcome {
	result: Result;
	undo?: Undo;
}

function tooMany(count: number): void {
	// silent: Salesforce's wording for more than 200 records; EXCEEDED_ID_LIMIT is its DML code for it.
	if (count > MAX_RECORDS)
		throw restError(
			400,
			'EXCEEDED_ID_LIMIT',
			`record limit reached. cannot submit more than ${MAX_RECORDS} records into this call`,
		);
}

function requestBody(context: RestContext): {
	allOrNone: boolean;
	records: Array<Record<string, unknown>>;
} {
	const body = jsonBody(context);
	if (!isObject(body) || !Array.isArray(body.records) || !body.records.every(isObject)) {
		// silent: the message for a body without a records list.
		throw restError(
			400,
			'JSON_PARSER_ERROR',
			'The request body must be {"allOrNone": boolean, "records": [sObject, ...]}',
		);
	}
	tooMany(body.records.length);
	return {
		allOrNone: body.allOrNone === true,
		records: body.records as Array<Record<string, unknown>>,
	};
}

/** attributes.type, resolved; "Must send a concrete entity type." is Salesforce's answer without one. */
function typeOf(context: RestContext, record: Record<string, unknown>): ObjectDef {
	const type = isObject(record.attributes) ? record.attributes.type : undefined;
	if (typeof type !== 'string' || type === '')
		throw restError(400, 'INVALID_TYPE', 'Must send a concrete entity type.');
	const object = context.org.rest.store.object(type);
	if (!object)
		throw restError(400, 'INVALID_TYPE', `sObject type '${type}' is not supported. ${OBJECT_HINT}`);
	return object;
}

function fromWrite(result: WriteResult, id?: string, upsert = false): Outcome {
	if (!result.ok)
		return { result: { ...(id ? { id } : {}), success: false, errors: result.errors } };
	return {
		result: {
			id: result.id,
			success: true,
			errors: result.notices ?? [],
			...(upsert ? { created: result.created } : {}),
		},
		undo: result.undo,
	};
}

/** Runs the writes in order; with allOrNone and any failure, undoes them all and marks the rest rolled back. */
function settle(context: RestContext, allOrNone: boolean, outcomes: Outcome[]): void {
	const failed = outcomes.some((outcome) => !outcome.result.success);
	if (allOrNone && failed) {
		for (const outcome of [...outcomes].reverse()) outcome.undo?.();
		for (const outcome of outcomes) {
			if (!outcome.result.success) continue;
			// A rolled-back create has no id any more; an update or delete keeps the id it named.
			const keepId =
				outcome.result.id !== undefined &&
				outcome.result.created !== true &&
				context.method !== 'POST';
			outcome.result = {
				...(keepId ? { id: outcome.result.id } : {}),
				success: false,
				errors: [ROLLED_BACK],
			};
		}
	}
	sendJson(
		context.res,
		200,
		outcomes.map((outcome) => outcome.result),
		context.headers,
	);
}

function create(context: RestContext): void {
	const { allOrNone, records } = requestBody(context);
	const parsed = records.map((record) => ({ object: typeOf(context, record), record }));
	const prepared = parsed.map(({ object, record }) => ({
		object,
		entries: parseFields(object, record),
	}));
	const { dml } = context.org.rest;
	settle(
		context,
		allOrNone,
		prepared.map(({ object, entries }) =>
			fromWrite(dml.create(object, entries, writeContext(context))),
		),
	);
}

/** The row an id names: MALFORMED_ID, deleted, or missing are per-record errors (silent: wording). */
function target(
	context: RestContext,
	id: unknown,
	object?: ObjectDef,
): { row: StoredRecord; object: ObjectDef } | RecordError {
	if (typeof id !== 'string' || id === '')
		return recordError('MISSING_ARGUMENT', 'Id not specified in an update call');
	const { store } = context.org.rest;
	const owner = store.objectOfId(id);
	if (!isSalesforceId(id) || !owner || (object && owner !== object))
		return recordError('MALFORMED_ID', `malformed id ${id}`);
	const row = store.get(owner, id);
	if (!row) return recordError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id');
	if (row.IsDeleted === true) return ENTITY_IS_DELETED;
	return { row, object: owner };
}

function idOf(record: Record<string, unknown>): unknown {
	const key = Object.keys(record).find((name) => name.toLowerCase() === 'id');
	return key === undefined ? undefined : record[key];
}

/**
 * A record Id may come back in one request: Salesforce checks the batch for repeated Ids and writes
 * the first 12 repeats in order; each later repeat fails with DUPLICATE_VALUE (SOAP API update():
 * "Maximum number of duplicate updates in one batch (12 allowed)"; the full text from Salesforce
 * Help 000199611 / 000386990, which count every occurrence after an Id's first).
 */
const MAX_REPEATED_UPDATES = 12;

function tooManyRepeats(id: string): RecordError {
	return recordError(
		'DUPLICATE_VALUE',
		`Maximum number of duplicate updates in one batch (${MAX_REPEATED_UPDATES} allowed). Attempt to update Id more than once in this Api call: ${id}`,
	);
}

function update(context: RestContext): void {
	const { allOrNone, records } = requestBody(context);
	const prepared = records.map((record) => {
		const object = typeOf(context, record);
		return { object, record, entries: parseFields(object, record) };
	});
	const { dml } = context.org.rest;
	const seen = new Set<string>();
	let repeats = 0;
	const outcomes = prepared.map(({ object, record, entries }): Outcome => {
		const id = idOf(record);
		if (typeof id === 'string' && isSalesforceId(id)) {
			if (seen.has(idKey(id)) && ++repeats > MAX_REPEATED_UPDATES)
				return { result: { id, success: false, errors: [tooManyRepeats(id)] } };
			seen.add(idKey(id));
		}
		const found = target(context, id, object);
		if (!('row' in found))
			return {
				result: {
					...(typeof id === 'string' && id ? { id } : {}),
					success: false,
					errors: [found],
				},
			};
		return fromWrite(
			dml.update(object, found.row, entries, writeContext(context)),
			String(found.row.Id),
		);
	});
	settle(context, allOrNone, outcomes);
}

/**
 * silent: an Id repeated in one delete. The docs only say the results come in the order of the ids;
 * deleted in that order, the first occurrence deletes the record and each later one meets it in the
 * Recycle Bin (ENTITY_IS_DELETED) — which, with allOrNone, rolls the whole request back.
 */
function remove(context: RestContext): void {
	const ids = (context.url.searchParams.get('ids') ?? '')
		.split(',')
		.map((id) => id.trim())
		.filter((id) => id !== '');
	// silent: the answer to a delete without ids.
	if (ids.length === 0)
		throw restError(400, 'MISSING_ARGUMENT', 'ids: at least one record id is required');
	tooMany(ids.length);
	const allOrNone = (context.url.searchParams.get('allOrNone') ?? '').toLowerCase() === 'true';
	const { dml } = context.org.rest;
	const outcomes = ids.map((id): Outcome => {
		const found = target(context, id);
		if (!('row' in found)) return { result: { id, success: false, errors: [found] } };
		return fromWrite(dml.delete(found.object, found.row, writeContext(context)), id);
	});
	settle(context, allOrNone, outcomes);
}

/** PATCH composite/sobjects/{type}/{field}: the URI's object only, keyed by an external id (§4). */
function upsert(context: RestContext, object: ObjectDef, key: FieldDef): void {
	const { allOrNone, records } = requestBody(context);
	const prepared = records.map((record) => {
		const type = typeOf(context, record);
		// silent: a record of another type than the URI's.
		if (type !== object)
			throw restError(
				400,
				'INVALID_TYPE',
				`Records must be of type ${object.name}, the type in the URI, not ${type.name}`,
			);
		return parseFields(object, record);
	});
	const keyOf = (entries: Entries) => entries.find(([field]) => field === key)?.[1] ?? null;
	const seen = new Map<string, number>();
	for (const entries of prepared) {
		const value = keyOf(entries);
		if (value !== null) seen.set(matchKey(key, value), (seen.get(matchKey(key, value)) ?? 0) + 1);
	}
	const { dml } = context.org.rest;
	const outcomes = prepared.map((entries): Outcome => {
		const value = keyOf(entries);
		if (value === null) return { result: { success: false, errors: [missingKey(key.name)] } };
		if ((seen.get(matchKey(key, value)) ?? 0) > 1)
			return { result: { success: false, errors: [duplicateKey(key.name, String(value))] } };
		const result = dml.upsert(object, key, String(value), entries, writeContext(context));
		if ('multiple' in result)
			return {
				result: {
					success: false,
					errors: [
						keyMatchesSeveral(
							key.name,
							result.multiple.map((row) => String(row.Id)),
						),
					],
				},
			};
		return fromWrite(result, undefined, true);
	});
	settle(context, allOrNone, outcomes);
}

/** GET composite/sobjects/{type}?ids=&fields= (or POST {ids, fields}): rows in order, null for ids that name none. */
function retrieve(context: RestContext, object: ObjectDef): void {
	let ids: string[];
	let fields: string[];
	if (context.method === 'POST') {
		const body = jsonBody(context);
		const list = (value: unknown) => (Array.isArray(value) ? value.map(String) : []);
		ids = isObject(body) ? list(body.ids) : [];
		fields = isObject(body) ? list(body.fields) : [];
	} else {
		const split = (name: string) =>
			(context.url.searchParams.get(name) ?? '')
				.split(',')
				.map((part) => part.trim())
				.filter(Boolean);
		ids = split('ids');
		fields = split('fields');
	}
	// silent: the wording when the required ids or fields are missing.
	if (ids.length === 0)
		throw restError(400, 'MISSING_ARGUMENT', 'ids: at least one record id is required');
	if (fields.length === 0)
		throw restError(400, 'MISSING_ARGUMENT', 'fields: at least one field is required');
	if (ids.length > MAX_RETRIEVE_IDS)
		throw restError(
			400,
			'EXCEEDED_ID_LIMIT',
			`record limit reached. cannot submit more than ${MAX_RETRIEVE_IDS} records into this call`,
		);
	const bad = fields.find((name) => !/^[A-Za-z_][A-Za-z0-9_.]*$/.test(name));
	if (bad !== undefined)
		throw restError(400, 'INVALID_FIELD', `No such column '${bad}' on entity '${object.name}'`);
	const query = parseQuery(context, `SELECT ${fields.join(', ')} FROM ${object.name}`);
	const { store } = context.org.rest;
	const rows = ids.map((id) => {
		const row = store.get(object, id);
		return row && row.IsDeleted !== true ? renderRow(store, query, row, context.version) : null;
	});
	sendJson(context.res, 200, rows, context.headers);
}

export function handleCollections(context: RestContext): void {
	const [, , typeName, fieldName, ...rest] = context.segments;
	if (rest.length > 0) throw notFound();
	if (typeName === undefined) {
		allow(context, 'POST', 'PATCH', 'DELETE');
		if (context.method === 'POST') return create(context);
		if (context.method === 'PATCH') return update(context);
		return remove(context);
	}
	const object = context.org.rest.store.object(typeName);
	if (!object) throw notFound();
	if (fieldName === undefined) {
		allow(context, 'GET', 'POST');
		return retrieve(context, object);
	}
	allow(context, 'PATCH');
	const key = findField(object, fieldName);
	if (!key || !(key.externalId || key.name === 'Id')) {
		throw restError(
			404,
			'NOT_FOUND',
			`Provided external ID field does not exist or is not accessible: ${fieldName}`,
		);
	}
	upsert(context, object, key);
}
