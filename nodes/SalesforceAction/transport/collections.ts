/**
 * Many records written at once through sObject Collections: one request per batch of up to 200
 * (POST/PATCH composite/sobjects, PATCH composite/sobjects/{object}/{external id field}, DELETE
 * composite/sobjects?ids=…), each counted once against the org's API requests.
 *
 * With `allOrNone`, Salesforce undoes a batch in which any record fails; with
 * `stopAfterFailedBatch`, later batches are then never sent — so the outcome of every record is
 * known: written, failed (and why), rolled back, or not sent. Records Salesforce could not lock
 * are sent again twice (after 0.5 s, then 1 s): the whole batch with all-or-none, else only them.
 */
import { sleep } from 'n8n-workflow';
import type { IDataObject } from 'n8n-workflow';
import { toNodeError } from '../../n8n';
import {
	checkApiName,
	checkRecordId,
	describeWrite,
	invalidParameter,
	planBatches,
	SalesforceRestError,
	type RecordError,
	type RecordResult,
	type RequestParameters,
	type WriteOperation,
	type WriteResult,
} from '../../salesforce';
import type { TransportContext } from './context';
import { RETRY_DELAYS_MS, sendRestRequest, type RestRequest } from './request';

export interface WriteRequest {
	operation: WriteOperation;
	sobject: string;
	/** The records' fields; update needs `Id` in each; delete takes ids, or records with `Id`. */
	records: ReadonlyArray<IDataObject | string>;
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

const LOCKED = 'UNABLE_TO_LOCK_ROW';

/** A copy of the record without the named fields. */
function without(record: IDataObject, names: readonly string[]): IDataObject {
	const copy: IDataObject = {};
	for (const [name, value] of Object.entries(record)) if (!names.includes(name)) copy[name] = value;
	return copy;
}

/** The record without Salesforce's `attributes` (a record read from a query carries it). */
function fieldsOf(record: IDataObject): IDataObject {
	return without(record, ['attributes']);
}

function idOf(record: IDataObject | string): unknown {
	if (typeof record === 'string') return record;
	return record.Id ?? record.id ?? record.ID;
}

/** The records as Collections wants them (attributes.type, `id` for update), checked before anything is sent. */
function prepareRecords(request: WriteRequest, sobject: string, externalIdField: string | undefined): Array<IDataObject | string> {
	return request.records.map((record, position) => {
		if (request.operation === 'delete') return checkRecordId(idOf(record), 'Record ID');
		if (typeof record !== 'object' || record === null) {
			throw invalidParameter('Fields', `record ${position + 1} of the write is not an object`, 'Map the fields to write in Fields.');
		}
		const fields = fieldsOf(record);
		if (request.operation === 'update') {
			const id = checkRecordId(idOf(record), 'Record ID');
			return { attributes: { type: sobject }, id, ...without(fields, ['Id', 'id', 'ID']) };
		}
		if (request.operation === 'upsert') {
			const key = Object.keys(fields).find((name) => name.toLowerCase() === (externalIdField as string).toLowerCase());
			const value = key === undefined ? undefined : fields[key];
			if (value === undefined || value === null || value === '') {
				throw invalidParameter('External ID Field', `record ${position + 1} of the write has no value for ${externalIdField as string}`, `Map a value to ${externalIdField as string} in Fields for every item: Upsert matches records on it.`);
			}
		}
		return { attributes: { type: sobject }, ...fields };
	});
}

function requestFor(operation: WriteOperation, sobject: string, externalIdField: string | undefined, records: Array<IDataObject | string>, allOrNone: boolean, what: string): RestRequest {
	switch (operation) {
		case 'create':
			return { method: 'POST', path: 'composite/sobjects', body: { allOrNone, records }, what };
		case 'update':
			return { method: 'PATCH', path: 'composite/sobjects', body: { allOrNone, records }, what };
		case 'upsert':
			return { method: 'PATCH', path: `composite/sobjects/${sobject}/${externalIdField as string}`, body: { allOrNone, records }, what };
		case 'delete':
			return { method: 'DELETE', path: 'composite/sobjects', qs: { ids: (records as string[]).join(','), allOrNone: String(allOrNone) }, what };
	}
}

function readErrors(value: unknown): RecordError[] {
	if (!Array.isArray(value)) return [];
	return value
		.filter((entry): entry is Record<string, unknown> => typeof entry === 'object' && entry !== null)
		.map((entry) => ({
			statusCode: String(entry.statusCode ?? entry.errorCode ?? 'UNKNOWN'),
			message: typeof entry.message === 'string' ? entry.message : '',
			fields: Array.isArray(entry.fields) ? entry.fields.filter((field): field is string => typeof field === 'string') : [],
		}));
}

/** The per-record answer of a Collections request, in input order; a failure when it is not one. */
function readResults(body: unknown, count: number, batch: number, what: string): RecordResult[] | SalesforceRestError {
	if (!Array.isArray(body) || body.length !== count) {
		return new SalesforceRestError(
			'BAD_RESPONSE',
			`${what.charAt(0).toUpperCase()}${what.slice(1)} failed: Salesforce answered batch ${batch} without one result per record.`,
			'Run again; if it persists, check the records in Salesforce before writing them again (some may be written).',
		);
	}
	return body.map((entry: unknown) => {
		const row = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
		const result: RecordResult = { success: row.success === true, errors: readErrors(row.errors), batch };
		if (typeof row.id === 'string' && row.id !== '') result.id = row.id;
		if (typeof row.created === 'boolean') result.created = row.created;
		return result;
	});
}

function isLocked(result: RecordResult): boolean {
	return !result.success && result.errors.some((error) => error.statusCode === LOCKED);
}

/** The whole batch refused: every record carries the request's error. */
function refusedBatch(failure: SalesforceRestError, count: number, batch: number): RecordResult[] {
	return Array.from({ length: count }, () => ({
		success: false,
		batch,
		batchError: failure,
		errors: [{ statusCode: failure.code, message: failure.message, fields: failure.fields }],
	}));
}

/** Writes the records in batches; one result per record, in order. Refused input and authentication failures throw n8n errors. */
export async function writeRecords(this: TransportContext, request: WriteRequest): Promise<WriteResult[]> {
	const node = this.getNode();
	let sobject: string;
	let externalIdField: string | undefined;
	let prepared: Array<IDataObject | string>;
	let batches: ReturnType<typeof planBatches>;
	try {
		sobject = checkApiName(request.sobject, 'Object');
		if (request.operation === 'upsert') externalIdField = checkApiName(request.externalIdField, 'External ID Field');
		batches = planBatches(request.records.length, request.batchSize ?? 200);
		prepared = prepareRecords(request, sobject, externalIdField);
	} catch (error) {
		throw toNodeError(node, error);
	}
	const what = describeWrite(request.operation, sobject);
	const results: WriteResult[] = new Array<WriteResult>(prepared.length).fill('notSent');

	const send = async (records: Array<IDataObject | string>, batch: number): Promise<RecordResult[] | SalesforceRestError> => {
		const { response, failure } = await sendRestRequest(this, { ...requestFor(request.operation, sobject, externalIdField, records, request.allOrNone, what), parameters: request.parameters });
		return failure ?? readResults(response.body, records.length, batch, what);
	};

	/** One batch, with the records Salesforce could not lock sent again (all of them under all-or-none). */
	const writeBatch = async (records: Array<IDataObject | string>, batch: number): Promise<RecordResult[] | SalesforceRestError> => {
		let batchResults = await send(records, batch);
		for (let retry = 0; retry < RETRY_DELAYS_MS.length; retry++) {
			if (batchResults instanceof SalesforceRestError || !batchResults.some(isLocked)) return batchResults;
			await sleep(RETRY_DELAYS_MS[retry]);
			if (request.allOrNone) {
				batchResults = await send(records, batch);
				continue;
			}
			const locked = batchResults.flatMap((result, position) => (isLocked(result) ? [position] : []));
			const again = await send(locked.map((position) => records[position]), batch);
			if (again instanceof SalesforceRestError) return batchResults;
			const merged: RecordResult[] = batchResults;
			locked.forEach((position, index) => (merged[position] = again[index]));
		}
		return batchResults;
	};

	for (const batch of batches) {
		const records = prepared.slice(batch.from, batch.to);
		const batchResults = await writeBatch(records, batch.number);
		if (batchResults instanceof SalesforceRestError) {
			refusedBatch(batchResults, records.length, batch.number).forEach((result, position) => (results[batch.from + position] = result));
			if (request.stopAfterFailedBatch) return results;
			if (batchResults.dailyLimit) {
				// Every further request would be refused the same way (and count): the rest get this answer, unsent.
				for (const rest of batches.filter((later) => later.number > batch.number)) {
					refusedBatch(batchResults, rest.to - rest.from, rest.number).forEach((result, position) => (results[rest.from + position] = result));
				}
				return results;
			}
			continue;
		}
		batchResults.forEach((result, position) => (results[batch.from + position] = result));
		if (request.stopAfterFailedBatch && batchResults.some((result) => !result.success)) return results;
	}
	return results;
}
