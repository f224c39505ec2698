import type { ObjectDef, StoredRecord } from './schema';
import { findField } from './schema';
import type { Query } from './soql/ast';
import { renderRow, recordUrl } from './soql/run';
import type { RestContext } from './context';
import { allow, objectBody, writeContext } from './context';
import { asApiErrors, ENTITY_IS_DELETED, notFound, restError, RestError } from './errors';
import type { WriteResult } from './dml';
import { parseFields } from './dml';
import { handleDescribe, handleDescribeGlobal, basicInfo } from './describe';
import { handleReplication } from './replication';
import { parseQuery } from './query';
import { isSalesforceId } from './values';
import { send, sendJson } from '../http';
import { blobField, createWithBlob } from './files/upload';
import { blobFieldNamed, sendBlob } from './files/download';

/**
 * sobjects/...: describe, getUpdated/getDeleted (replication.ts), single rows by id or by external
 * id (fact sheet §3), and blobs: creating a record with its file (files/upload.ts) and reading the
 * bytes back (files/download.ts).
 * An unknown object answers 404 NOT_FOUND, as Salesforce does for any unknown resource, creates
 * included. A value that is not an id answers 404 "Provided external ID field does not exist or is
 * not accessible: <value>" (§3, third-party evidence); an unknown id 404 NOT_FOUND; a row in the
 * Recycle Bin 404 ENTITY_IS_DELETED.
 */

/** `created` in upsert answers exists from v46.0; older versions answer an update with 204 (§3). */
const UPSERT_CREATED_SINCE = 46;

function allFields(object: ObjectDef): Query {
	return {
		object,
		count: false,
		fields: object.fields.map((field) => ({ via: [], field, text: field.name })),
		orderBy: [],
	};
}

/** `?fields=a,b`: checked as the SOQL Salesforce runs for it, so a bad field answers INVALID_FIELD with that query's position. */
function selection(context: RestContext, object: ObjectDef): Query {
	const fields = context.url.searchParams.get('fields');
	if (fields === null || fields.trim() === '') return allFields(object);
	const names = fields.split(',').map((name) => name.trim());
	const bad = names.find((name) => !/^[A-Za-z_][A-Za-z0-9_.]*$/.test(name));
	if (bad !== undefined)
		throw restError(400, 'INVALID_FIELD', `No such column '${bad}' on entity '${object.name}'`);
	return parseQuery(context, `SELECT ${names.join(', ')} FROM ${object.name}`);
}

function sendRecord(context: RestContext, object: ObjectDef, row: StoredRecord): void {
	sendJson(
		context.res,
		200,
		renderRow(context.org.rest.store, selection(context, object), row, context.version),
		context.headers,
	);
}

export function rowById(context: RestContext, object: ObjectDef, id: string): StoredRecord {
	if (!isSalesforceId(id))
		throw restError(
			404,
			'NOT_FOUND',
			`Provided external ID field does not exist or is not accessible: ${id}`,
		);
	const row = context.org.rest.store.get(object, id);
	if (!row) throw notFound();
	if (row.IsDeleted === true) throw new RestError(404, asApiErrors([ENTITY_IS_DELETED]));
	return row;
}

/** A failed DML answers 400 with the record's errors (ENTITY_IS_DELETED and NOT_FOUND: 404). */
function failure(result: Extract<WriteResult, { ok: false }>): RestError {
	const notThere = result.errors.some(
		(error) => error.statusCode === 'ENTITY_IS_DELETED' || error.statusCode === 'NOT_FOUND',
	);
	return new RestError(notThere ? 404 : 400, asApiErrors(result.errors));
}

function byId(context: RestContext, object: ObjectDef, id: string): void {
	allow(context, 'GET', 'PATCH', 'DELETE');
	const { dml } = context.org.rest;
	if (context.method === 'GET') {
		sendRecord(context, object, rowById(context, object, id));
		return;
	}
	if (context.method === 'PATCH') {
		const entries = parseFields(object, objectBody(context));
		const result = dml.update(object, rowById(context, object, id), entries, writeContext(context));
		if (!result.ok) throw failure(result);
		send(context.res, 204, '', context.headers);
		return;
	}
	const result = dml.delete(object, rowById(context, object, id), writeContext(context));
	if (!result.ok) throw failure(result);
	send(context.res, 204, '', context.headers);
}

/** 300 Multiple Choices: the matching rows' URLs (§3). */
function multipleChoices(context: RestContext, object: ObjectDef, rows: StoredRecord[]): void {
	sendJson(
		context.res,
		300,
		rows.map((row) => recordUrl(context.version, object, row.Id)),
		context.headers,
	);
}

/** sobjects/{type}/{field}/{value}: GET, upsert (PATCH) and DELETE by an external id. */
function byExternalId(
	context: RestContext,
	object: ObjectDef,
	fieldName: string,
	value: string,
): void {
	allow(context, 'GET', 'PATCH', 'DELETE');
	const field = findField(object, fieldName);
	if (!field || !(field.externalId || field.name === 'Id')) {
		throw restError(
			404,
			'NOT_FOUND',
			`Provided external ID field does not exist or is not accessible: ${fieldName}`,
		);
	}
	const { store, dml } = context.org.rest;
	if (context.method === 'PATCH') {
		const result = dml.upsert(
			object,
			field,
			value,
			parseFields(object, objectBody(context)),
			writeContext(context),
		);
		if ('multiple' in result) return multipleChoices(context, object, result.multiple);
		if (!result.ok) throw failure(result);
		if (!result.created && context.major < UPSERT_CREATED_SINCE)
			return send(context.res, 204, '', context.headers);
		const body = {
			id: result.id,
			success: true,
			errors: [],
			...(context.major >= UPSERT_CREATED_SINCE ? { created: result.created } : {}),
		};
		sendJson(context.res, result.created ? 201 : 200, body, context.headers);
		return;
	}
	const rows = store.findBy(object, field, value);
	if (rows.length === 0) throw notFound();
	if (rows.length > 1) return multipleChoices(context, object, rows);
	if (context.method === 'GET') return sendRecord(context, object, rows[0]);
	const result = dml.delete(object, rows[0], writeContext(context));
	if (!result.ok) throw failure(result);
	send(context.res, 204, '', context.headers);
}

export function handleSobjects(context: RestContext): void | Promise<void> {
	const [, typeName, second, third, ...rest] = context.segments;
	if (typeName === undefined) return handleDescribeGlobal(context);
	const object = context.org.rest.store.object(typeName);
	if (!object || rest.length > 0) throw notFound();
	if (second === undefined) {
		allow(context, 'GET', 'POST');
		if (context.method === 'GET') return basicInfo(context, object);
		if (blobField(object)) return createWithBlob(context, object);
		const result = context.org.rest.dml.create(
			object,
			parseFields(object, objectBody(context)),
			writeContext(context),
		);
		if (!result.ok) throw failure(result);
		sendJson(
			context.res,
			201,
			{ id: result.id, success: true, errors: result.notices ?? [] },
			{ ...context.headers, Location: recordUrl(context.version, object, result.id) },
		);
		return;
	}
	if (second === 'describe' && third === undefined) return handleDescribe(context, object);
	if ((second === 'updated' || second === 'deleted') && third === undefined)
		return handleReplication(context, object, second);
	if (third === undefined) return byId(context, object, second);
	const blob = blobFieldNamed(object, third);
	if (blob) return sendBlob(context, object, rowById(context, object, second), blob);
	byExternalId(context, object, second, third);
}
