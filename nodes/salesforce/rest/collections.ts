/**
 * sObject Collections, as Salesforce documents them: the records of a write shaped as each request
 * wants them (`attributes.type`, `id` for update, ids in the query string for delete), the request
 * of each operation, and the per-record answer read back — one result per record, in input order.
 */
import { capitalise } from '../text';
import { checkRecordId, fieldsOf, idOf, withoutFields, type SalesforceRecord } from './records';
import {
	invalidParameter,
	SalesforceRestError,
	type RecordError,
	type RequestParameters,
} from './restErrors';
import type { RecordResult, WriteOperation } from './writes';

/** The error code of a record another transaction held locked: worth sending again. */
export const LOCKED = 'UNABLE_TO_LOCK_ROW';

export interface WriteRequest {
	operation: WriteOperation;
	sobject: string;
	/** The records' fields; update needs `Id` in each; delete takes ids, or records with `Id`. */
	records: ReadonlyArray<SalesforceRecord | string>;
	/** Upsert: the external id field the records are matched on (its value must be in each record). */
	externalIdField?: string;
	/** Records per request, 1–200; default 200. */
	batchSize?: number;
	/** Salesforce undoes a batch in which any record fails. */
	allOrNone: boolean;
	/** After a batch with a failure (or a refused request), send nothing more: the rest is 'notSent'. */
	stopAfterFailedBatch: boolean;
	/** The node parameters the records came from: a refused request names the one to change. */
	parameters?: RequestParameters;
}

/** A record as Collections wants it: attributes.type (and `id` for update); for delete, the Id alone. */
export type CollectionRecord = SalesforceRecord | string;

/**
 * The records as Collections wants them, checked before anything is sent: an object each (an Id
 * for delete), a valid Id for update and delete, a value for the external id field for upsert.
 */
export function prepareRecords(
	request: Pick<WriteRequest, 'operation' | 'records'>,
	sobject: string,
	externalIdField: string | undefined,
): CollectionRecord[] {
	return request.records.map((record, position) => {
		if (request.operation === 'delete') return checkRecordId(idOf(record), 'Record ID');
		if (typeof record !== 'object' || record === null) {
			throw invalidParameter(
				'Fields',
				`record ${position + 1} of the write is not an object`,
				'Map the fields to write in Fields.',
			);
		}
		const fields = fieldsOf(record);
		if (request.operation === 'update') {
			const id = checkRecordId(idOf(record), 'Record ID');
			return { attributes: { type: sobject }, id, ...withoutFields(fields, ['Id', 'id', 'ID']) };
		}
		if (request.operation === 'upsert') {
			const key = Object.keys(fields).find(
				(name) => name.toLowerCase() === (externalIdField as string).toLowerCase(),
			);
			const value = key === undefined ? undefined : fields[key];
			if (value === undefined || value === null || value === '') {
				throw invalidParameter(
					'External ID Field',
					`record ${position + 1} of the write has no value for ${externalIdField as string}`,
					`Map a value to ${externalIdField as string} in Fields for every item: Upsert matches records on it.`,
				);
			}
		}
		return { attributes: { type: sobject }, ...fields };
	});
}

/** One Collections request, relative to the REST API version. */
export interface CollectionRequest {
	method: 'POST' | 'PATCH' | 'DELETE';
	path: string;
	qs?: Record<string, string>;
	body?: { allOrNone: boolean; records: CollectionRecord[] };
}

export function collectionRequest(
	operation: WriteOperation,
	sobject: string,
	externalIdField: string | undefined,
	records: CollectionRecord[],
	allOrNone: boolean,
): CollectionRequest {
	switch (operation) {
		case 'create':
			return { method: 'POST', path: 'composite/sobjects', body: { allOrNone, records } };
		case 'update':
			return { method: 'PATCH', path: 'composite/sobjects', body: { allOrNone, records } };
		case 'upsert':
			return {
				method: 'PATCH',
				path: `composite/sobjects/${sobject}/${externalIdField as string}`,
				body: { allOrNone, records },
			};
		case 'delete':
			return {
				method: 'DELETE',
				path: 'composite/sobjects',
				qs: { ids: (records as string[]).join(','), allOrNone: String(allOrNone) },
			};
	}
}

/** A record's errors in a Collections answer (`statusCode`; `errorCode` accepted too). */
export function readRecordErrors(value: unknown): RecordError[] {
	if (!Array.isArray(value)) return [];
	return value
		.filter(
			(entry): entry is Record<string, unknown> => typeof entry === 'object' && entry !== null,
		)
		.map((entry) => ({
			statusCode: String(entry.statusCode ?? entry.errorCode ?? 'UNKNOWN'),
			message: typeof entry.message === 'string' ? entry.message : '',
			fields: Array.isArray(entry.fields)
				? entry.fields.filter((field): field is string => typeof field === 'string')
				: [],
		}));
}

/** The per-record answer of a Collections request, in input order; a failure when it is not one. */
export function readCollectionResults(
	body: unknown,
	count: number,
	batch: number,
	what: string,
): RecordResult[] | SalesforceRestError {
	if (!Array.isArray(body) || body.length !== count) {
		return new SalesforceRestError(
			'BAD_RESPONSE',
			`${capitalise(what)} failed: Salesforce answered batch ${batch} without one result per record.`,
			'Run again; if it persists, check the records in Salesforce before writing them again (some may be written).',
		);
	}
	return body.map((entry: unknown) => {
		const row = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<
			string,
			unknown
		>;
		const result: RecordResult = {
			success: row.success === true,
			errors: readRecordErrors(row.errors),
			batch,
		};
		if (typeof row.id === 'string' && row.id !== '') result.id = row.id;
		if (typeof row.created === 'boolean') result.created = row.created;
		return result;
	});
}

/** Salesforce could not lock the record: another transaction held it. */
export function isLocked(result: RecordResult): boolean {
	return !result.success && result.errors.some((error) => error.statusCode === LOCKED);
}

/** The whole batch refused: every record carries the request's error. */
export function refusedBatch(
	failure: SalesforceRestError,
	count: number,
	batch: number,
): RecordResult[] {
	return Array.from({ length: count }, () => ({
		success: false,
		batch,
		batchError: failure,
		errors: [{ statusCode: failure.code, message: failure.message, fields: failure.fields }],
	}));
}
