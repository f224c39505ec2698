import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import type { RestContext } from '../context';
import { allow, exchange, isObject, jsonBody } from '../context';
import { findField } from '../schema';
import { restError } from '../errors';
import { send, sendJson, writePart } from '../../http';
import type { IngestJob, IngestOperation, JobState } from './jobs';
import {
	csvFormatOf,
	invalidJob,
	invalidState,
	jobInfo,
	jobsRoot,
	notComplete,
	processingTime,
} from './jobs';
import { csvLine, readCsvFile } from './csv';
import { runIngestJob } from './ingestRun';

/**
 * jobs/ingest (Bulk API 2.0 Developer Guide: Create a Job, Upload Job Data, Upload Complete,
 * Abort a Job, Delete a Job, Get All Jobs, Get Job Info, Get Job Successful/Failed/Unprocessed
 * Record Results). One upload per job, only while it is Open, streamed to disk; closing it
 * (UploadComplete) starts the asynchronous run (ingestRun.ts); results are CSV.
 * Codes and wording where the guide is silent are marked "silent".
 */

const OPERATIONS: readonly IngestOperation[] = [
	'insert',
	'update',
	'upsert',
	'delete',
	'hardDelete',
];
const FINISHED: readonly JobState[] = ['JobComplete', 'Failed', 'Aborted'];
const CSV_TYPE = 'text/csv; charset=UTF-8';

function ingestInfo(job: IngestJob, detailed: boolean): Record<string, unknown> {
	const open =
		job.state === 'Open'
			? { contentUrl: `services/data/v${job.major}.0/jobs/ingest/${job.id}/batches` }
			: {};
	if (!detailed) return jobInfo(job, open);
	return {
		...jobInfo(job, { jobType: 'V2Ingest', ...open }),
		numberRecordsProcessed: job.processed,
		numberRecordsFailed: job.failed,
		retries: 0,
		totalProcessingTime: processingTime(job),
		apiActiveProcessingTime: processingTime(job),
		apexProcessingTime: 0,
		...(job.errorMessage ? { errorMessage: job.errorMessage } : {}),
	};
}

function create(context: RestContext): void {
	const body = jsonBody(context);
	if (!isObject(body))
		throw invalidJob('The request body must be a JSON object describing the job');
	const { store, bulk } = context.org.rest;
	const object = typeof body.object === 'string' ? store.object(body.object) : undefined;
	if (!object) throw invalidJob(`Unable to find object: ${String(body.object ?? '')}`);
	const operation = OPERATIONS.find((candidate) => candidate === body.operation);
	if (!operation)
		throw invalidJob(
			`Invalid operation: ${String(body.operation ?? '')}. Valid values are ${OPERATIONS.join(', ')}`,
		);
	const format = csvFormatOf(body);
	let externalIdField;
	if (operation === 'upsert') {
		const name = body.externalIdFieldName;
		if (typeof name !== 'string' || name === '')
			throw invalidJob(
				`External ID was blank for ${object.name}. An External ID must be specified for upsert.`,
			);
		externalIdField = findField(object, name);
		if (!externalIdField || !(externalIdField.externalId || externalIdField.name === 'Id')) {
			throw invalidJob(
				`The field ${name} on ${object.name} is not an External ID field: upsert needs one (or Id)`,
			);
		}
	}
	const job = bulk.add<IngestJob>({
		...bulk.base(object, context.major, context.userId, format),
		kind: 'ingest',
		operation,
		...(externalIdField ? { externalIdField } : {}),
		...(typeof body.assignmentRuleId === 'string'
			? { assignmentRuleId: body.assignmentRuleId }
			: {}),
		uploading: false,
		failed: 0,
		malformed: false,
	});
	sendJson(context.res, 200, ingestInfo(job, false), context.headers);
}

/** PUT .../batches: the CSV, streamed to a file (at most `uploadBytes`). */
async function upload(context: RestContext, job: IngestJob): Promise<void> {
	allow(context, 'PUT');
	const mediaType = (context.req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
	if (mediaType !== 'text/csv')
		throw restError(
			415,
			'UNSUPPORTED_MEDIA_TYPE',
			`MediaType of '${mediaType || 'none'}' is not supported by this resource: send text/csv`,
		);
	if (job.state !== 'Open') throw invalidState(job, 'uploading data');
	// silent: the guide shows one upload per job; a second one is refused.
	if (job.upload || job.uploading)
		throw restError(
			409,
			'INVALIDJOBSTATE',
			`Job ${job.id} already has its data: create another job for more`,
		);
	const { bulk, uploadFaults } = context.org.rest;
	const path = bulk.files.path(`${job.id}-upload.csv`);
	const out = createWriteStream(path);
	const limit = bulk.options.uploadBytes;
	let bytes = 0;
	job.uploading = true;
	try {
		for await (const chunk of uploadFaults.body(exchange(context).req)) {
			bytes += (chunk as Buffer).length;
			// Past the limit the rest is read and dropped, so the client gets the answer, not a reset.
			if (bytes <= limit && !out.write(chunk)) await once(out, 'drain');
		}
		out.end();
		await once(out, 'close');
	} catch (error) {
		out.destroy();
		await unlink(path).catch(() => undefined);
		throw error;
	} finally {
		job.uploading = false;
	}
	if (bytes > limit || job.state !== 'Open' || !context.org.rest.bulk.jobs.has(job.id)) {
		await unlink(path).catch(() => undefined);
		// silent: the code for an upload over the limit.
		if (bytes > limit)
			throw restError(
				400,
				'INVALIDBATCH',
				`The CSV data is over ${limit} bytes (150 MB once base64-encoded): split it into several jobs`,
			);
		throw invalidState(job, 'uploading data');
	}
	job.upload = { path, bytes };
	send(context.res, 201, '', context.headers);
}

/** PATCH {"state": "UploadComplete" | "Aborted"}. */
function changeState(context: RestContext, job: IngestJob): void {
	const body = jsonBody(context);
	const state = isObject(body) ? body.state : undefined;
	const { bulk, store, dml, observer } = context.org.rest;
	if (state === 'UploadComplete') {
		if (job.state !== 'Open') throw invalidState(job, 'closing the job');
		if (job.uploading) throw invalidState(job, 'closing the job while its data is being uploaded');
		bulk.setState(job, 'UploadComplete');
		runIngestJob({ store, dml, jobs: bulk, observer }, job).catch((error: unknown) => {
			job.errorMessage = `InternalServerError : ${String(error)}`;
			bulk.setState(job, 'Failed');
		});
	} else if (state === 'Aborted') {
		if (FINISHED.includes(job.state)) throw invalidState(job, 'aborting the job');
		bulk.setState(job, 'Aborted');
		job.stop.abort();
	} else {
		// silent: the answer for any other state.
		throw restError(
			400,
			'INVALIDJOBSTATE',
			`Invalid state: ${String(state)}. Set UploadComplete to close the job or Aborted to abort it`,
		);
	}
	sendJson(context.res, 200, ingestInfo(job, false), context.headers);
}

async function remove(context: RestContext, job: IngestJob): Promise<void> {
	// Delete a Job: "a job must have a state of UploadComplete, JobComplete, Aborted, or Failed".
	if (job.state === 'Open' || job.state === 'InProgress')
		throw invalidState(job, 'deleting the job');
	context.org.rest.bulk.delete(job);
	await Promise.all(
		[job.upload?.path, job.successPath, job.failurePath].map((path) =>
			path ? unlink(path).catch(() => undefined) : undefined,
		),
	);
	send(context.res, 204, '', context.headers);
}

/** successfulResults / failedResults: the result file, or just its header when nothing ran. */
async function results(
	context: RestContext,
	job: IngestJob,
	kind: 'success' | 'failure',
): Promise<void> {
	const path = kind === 'success' ? job.successPath : job.failurePath;
	const { res } = exchange(context);
	res.writeHead(200, { ...context.headers, 'Content-Type': CSV_TYPE });
	if (path && existsSync(path)) return pipeline(createReadStream(path), res);
	res.end(
		csvLine(
			['sf__Id', kind === 'success' ? 'sf__Created' : 'sf__Error', ...(job.header ?? [])],
			job.format,
		),
	);
}

/** unprocessedrecords: the header and the records the job did not reach (none once it completed). */
async function unprocessed(context: RestContext, job: IngestJob): Promise<void> {
	const { res } = exchange(context);
	res.writeHead(200, { ...context.headers, 'Content-Type': CSV_TYPE });
	const upload = job.upload;
	if (!upload) return void res.end();
	// Data whose structure the job refused is handed back as it was sent.
	if (job.malformed) return pipeline(createReadStream(upload.path), res);
	let index = -1;
	await readCsvFile(upload.path, job.format, async (records) => {
		const lines: string[] = [];
		for (const record of records) {
			if (record.length === 1 && record[0] === '' && index >= 0) continue;
			if (index < 0 || (index >= job.processed && job.state !== 'JobComplete'))
				lines.push(csvLine(record, job.format));
			index++;
		}
		if (lines.length > 0) await writePart(res, lines.join(''));
	});
	res.end();
}

export function handleIngest(context: RestContext): void | Promise<void> {
	const [, , id, resource, ...rest] = context.segments;
	const { bulk } = context.org.rest;
	if (id === undefined) return jobsRoot(context, 'ingest', create, (job) => ingestInfo(job, true));
	if (rest.length > 0) throw restError(404, 'NOT_FOUND', 'The requested resource does not exist');
	const job = bulk.get(id, 'ingest');
	if (resource === undefined) {
		allow(context, 'GET', 'PATCH', 'DELETE');
		if (context.method === 'PATCH') return changeState(context, job);
		if (context.method === 'DELETE') return remove(context, job);
		return sendJson(context.res, 200, ingestInfo(job, true), context.headers);
	}
	if (resource === 'batches') return upload(context, job);
	const result = {
		successfulResults: 'success',
		failedResults: 'failure',
		unprocessedrecords: 'unprocessed',
	}[resource];
	if (!result) throw restError(404, 'NOT_FOUND', 'The requested resource does not exist');
	allow(context, 'GET');
	// silent for ingest jobs: the answer the guide documents for query results of an unfinished job.
	if (!FINISHED.includes(job.state)) throw notComplete(job);
	if (result === 'unprocessed') return unprocessed(context, job);
	return results(context, job, result as 'success' | 'failure');
}
