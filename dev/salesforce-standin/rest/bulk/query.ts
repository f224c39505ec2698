import type { FieldDef, StoredValue } from '../schema';
import type { FieldPath } from '../soql/ast';
import { selectHandles, valueAt } from '../soql/run';
import type { RestContext } from '../context';
import { allow, exchange, isObject, jsonBody } from '../context';
import { parseQuery } from '../query';
import { restError } from '../errors';
import { send, sendJson, writePart } from '../../http';
import type { BulkJobs, QueryJob } from './jobs';
import {
	csvFormatOf,
	invalidJob,
	invalidState,
	jobInfo,
	jobsRoot,
	notComplete,
	processingTime,
	sleep,
} from './jobs';
import type { RecordStore } from '../records';
import { csvLine } from './csv';

/**
 * jobs/query (Bulk API 2.0 Developer Guide: Create a Query Job, Get Information About a Query Job,
 * Get Results for a Query Job, Abort a Query Job, Delete a Query Job). The SOQL is checked when
 * the job is created (the REST API's errors), runs with the stand-in's SOQL engine when the job
 * runs, and keeps row handles, not rows: results are rendered a page at a time, so a million
 * synthetic records are servable. Results are CSV, columns in SELECT order (v50.0+), relationship
 * columns as `Account.Name`, empty for null, booleans true/false, datetimes as the Bulk API writes
 * them (`2026-01-31T09:30:00.000Z`). Pages: `maxRecords` (default queryPageRecords) and the
 * `Sforce-Locator` of the next page (the string `null` after the last), `Sforce-NumberOfRecords`;
 * results asked with another API version than the create's answer 409.
 */

const CSV_TYPE = 'text/csv; charset=UTF-8';
/** Rows rendered per write while a page streams out. */
const ROWS_PER_WRITE = 1000;

function queryInfo(job: QueryJob, detailed: boolean): Record<string, unknown> {
	if (!detailed) return jobInfo(job);
	return {
		...jobInfo(job, { jobType: 'V2Query' }),
		numberRecordsProcessed: job.processed,
		retries: 0,
		totalProcessingTime: processingTime(job),
		...(job.errorMessage ? { errorMessage: job.errorMessage } : {}),
	};
}

/** A locator is the page's first record, base64-encoded as in the guide's example (MTAwMDA = 10000). */
function locatorOf(offset: number): string {
	return Buffer.from(String(offset)).toString('base64').replace(/=+$/, '');
}

function offsetOf(locator: string | null, total: number): number {
	if (locator === null || locator === '') return 0;
	const offset = Number(Buffer.from(locator, 'base64').toString('utf8'));
	// silent: the answer for a locator the job never gave.
	if (
		!Number.isSafeInteger(offset) ||
		offset < 0 ||
		offset > total ||
		locatorOf(offset) !== locator.replace(/=+$/, '')
	) {
		throw restError(400, 'INVALIDLOCATOR', `Invalid locator: ${locator}`);
	}
	return offset;
}

/** A column's name: the relationship path as written in SOQL, canonically cased. */
function columnName(path: FieldPath): string {
	return [
		...path.via.map((reference) => reference.relationshipName ?? reference.name),
		path.field.name,
	].join('.');
}

function csvValue(field: FieldDef, value: StoredValue): string {
	if (value === null) return '';
	if (field.type === 'datetime') return String(value).replace(/\+0000$/, 'Z');
	return String(value);
}

async function run(store: RecordStore, jobs: BulkJobs, job: QueryJob): Promise<void> {
	const signal = job.stop.signal;
	await sleep(jobs.options.queueMs, signal);
	if (signal.aborted) return;
	jobs.setState(job, 'InProgress');
	const fault = jobs.takeFault();
	if (fault) {
		job.errorMessage = fault.errorMessage;
		return jobs.setState(job, 'Failed');
	}
	job.handles = selectHandles(store, job.query, job.operation === 'queryAll');
	job.processed = job.handles.length;
	await jobs.holdUntilDone(job, job.processed);
	if (!signal.aborted) jobs.setState(job, 'JobComplete');
}

function create(context: RestContext): void {
	const body = jsonBody(context);
	if (!isObject(body))
		throw invalidJob('The request body must be a JSON object describing the job');
	const operation =
		body.operation === 'query' || body.operation === 'queryAll' ? body.operation : undefined;
	if (!operation)
		throw invalidJob(
			`Invalid operation: ${String(body.operation ?? '')}. Valid values are query, queryAll`,
		);
	if (typeof body.query !== 'string' || body.query.trim() === '')
		throw invalidJob('A query is required');
	const format = csvFormatOf(body);
	const query = parseQuery(context, body.query);
	// Understanding Bulk API 2.0 Query: aggregates, OFFSET and binary fields are not supported.
	if (query.count || query.offset !== undefined)
		throw invalidJob(
			`${query.count ? 'COUNT()' : 'OFFSET'} is not supported by Bulk API 2.0 query`,
		);
	const blob = query.fields.find((path) => path.field.type === 'base64');
	if (blob) throw invalidJob(`Binary field ${blob.text} is not supported by Bulk API 2.0 query`);
	const { bulk, store } = context.org.rest;
	const job = bulk.add<QueryJob>({
		...bulk.base(query.object, context.major, context.userId, format),
		kind: 'query',
		operation,
		query,
	});
	bulk.setState(job, 'UploadComplete');
	run(store, bulk, job).catch((error: unknown) => {
		job.errorMessage = `InternalServerError : ${String(error)}`;
		bulk.setState(job, 'Failed');
	});
	sendJson(context.res, 200, queryInfo(job, false), context.headers);
}

async function results(context: RestContext, job: QueryJob): Promise<void> {
	allow(context, 'GET');
	// "Use the same API version to get query results that you used to create the query. Otherwise,
	// the call returns a 409 error." silent: the body.
	if (context.major !== job.major) {
		throw restError(
			409,
			'INVALIDVERSION',
			`Job ${job.id} was created with API version ${job.major}.0: get its results with that version, not ${context.major}.0`,
		);
	}
	if (job.state !== 'JobComplete' || !job.handles) throw notComplete(job);
	const handles = job.handles;
	const params = context.url.searchParams;
	const offset = offsetOf(params.get('locator'), handles.length);
	const max = params.get('maxRecords');
	const pageSize = max === null ? context.org.rest.bulk.options.queryPageRecords : Number(max);
	// silent: the answer for a maxRecords that is not a positive whole number.
	if (!Number.isSafeInteger(pageSize) || pageSize < 1)
		throw restError(
			400,
			'INVALIDPARAMETER',
			`maxRecords must be a positive whole number, got ${String(max)}`,
		);
	const end = Math.min(handles.length, offset + pageSize);
	const { req, res } = exchange(context);
	res.writeHead(200, {
		...context.headers,
		'Content-Type': CSV_TYPE,
		'Sforce-Locator': end < handles.length ? locatorOf(end) : 'null',
		'Sforce-NumberOfRecords': String(end - offset),
	});
	if (req.method === 'HEAD') return void res.end();
	const { store } = context.org.rest;
	const paths = job.query.fields;
	await writePart(res, csvLine(paths.map(columnName), job.format));
	for (let from = offset; from < end; from += ROWS_PER_WRITE) {
		let lines = '';
		for (let index = from; index < Math.min(end, from + ROWS_PER_WRITE); index++) {
			const row = store.rowAt(job.object, handles[index]);
			lines += csvLine(
				paths.map((path) => csvValue(path.field, valueAt(store, row, path))),
				job.format,
			);
		}
		await writePart(res, lines);
	}
	res.end();
}

export function handleQueryJobs(context: RestContext): void | Promise<void> {
	const [, , id, resource, ...rest] = context.segments;
	const { bulk } = context.org.rest;
	if (id === undefined) return jobsRoot(context, 'query', create, (job) => queryInfo(job, true));
	if (rest.length > 0 || (resource !== undefined && resource !== 'results'))
		throw restError(404, 'NOT_FOUND', 'The requested resource does not exist');
	const job = bulk.get(id, 'query');
	if (resource === 'results') return results(context, job);
	allow(context, 'GET', 'PATCH', 'DELETE');
	if (context.method === 'GET')
		return sendJson(context.res, 200, queryInfo(job, true), context.headers);
	if (context.method === 'DELETE') {
		// Delete a Query Job: the job must have finished (JobComplete, Aborted or Failed).
		if (job.state === 'UploadComplete' || job.state === 'InProgress')
			throw invalidState(job, 'deleting the job');
		bulk.delete(job);
		return send(context.res, 204, '', context.headers);
	}
	const body = jsonBody(context);
	if (!isObject(body) || body.state !== 'Aborted')
		throw restError(
			400,
			'INVALIDJOBSTATE',
			`Invalid state: ${String(isObject(body) ? body.state : body)}. A query job can only be set to Aborted`,
		);
	if (job.state !== 'UploadComplete' && job.state !== 'InProgress')
		throw invalidState(job, 'aborting the job');
	bulk.setState(job, 'Aborted');
	job.stop.abort();
	sendJson(context.res, 200, queryInfo(job, false), context.headers);
}
