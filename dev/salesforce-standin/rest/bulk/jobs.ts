import type { ObjectDef, FieldDef } from '../schema';
import type { RowHandle } from '../records';
import type { Query } from '../soql/ast';
import { restError, RestError } from '../errors';
import type { StandinBulkJob, StandinBulkJobFault, StandinBulkOptions } from '../../types';
import { salesforceId } from '../../ids';
import { TempDir } from '../../tempDir';
import type { OrgClock } from '../../clock';
import { sendJson } from '../../http';
import type { RestContext } from '../context';
import { allow } from '../context';
import type { CsvFormat, LineEnding } from './csv';
import { DELIMITERS } from './csv';

/**
 * Bulk API 2.0 jobs (Bulk API 2.0 and Bulk API Developer Guide): their states, their data on disk
 * and their timing. A job runs asynchronously: after UploadComplete it waits `queueMs`, turns
 * InProgress, does its work (an ingest job in internal batches of `batchSize` records, as
 * Salesforce splits uploads into batches of 10,000) and is JobComplete no sooner than
 * `processingMs` + `msPerRecord` per record after it started, so clients meet a few polls.
 */

export type JobState =
	| 'Open'
	| 'UploadComplete'
	| 'InProgress'
	| 'JobComplete'
	| 'Failed'
	| 'Aborted';
export type IngestOperation = 'insert' | 'update' | 'upsert' | 'delete' | 'hardDelete';

interface JobBase {
	id: string;
	object: ObjectDef;
	state: JobState;
	/** The major API version the job was created with (results must be asked with it: query jobs). */
	major: number;
	createdById: string;
	createdDate: string;
	systemModstamp: string;
	format: CsvFormat;
	/** Records processed (in input order for an ingest job: the unprocessed ones follow). */
	processed: number;
	errorMessage?: string;
	startedAt?: number;
	finishedAt?: number;
	/** Cancels the job's pending work (abort, delete, resetData, close). */
	stop: AbortController;
}

export interface IngestJob extends JobBase {
	kind: 'ingest';
	operation: IngestOperation;
	externalIdField?: FieldDef;
	assignmentRuleId?: string;
	/** The uploaded CSV on disk. */
	upload?: { path: string; bytes: number };
	uploading: boolean;
	failed: number;
	/** The upload's header, as written (results repeat it). */
	header?: string[];
	/** The upload's structure was refused: unprocessed records are the upload as sent. */
	malformed: boolean;
	successPath?: string;
	failurePath?: string;
}

export interface QueryJob extends JobBase {
	kind: 'query';
	operation: 'query' | 'queryAll';
	query: Query;
	/** The selected rows once the job ran (handles: a million synthetic rows are a million numbers). */
	handles?: RowHandle[];
}

export type Job = IngestJob | QueryJob;

export const DEFAULT_BULK_OPTIONS: StandinBulkOptions = {
	queueMs: 50,
	processingMs: 300,
	msPerRecord: 0,
	batchSize: 10_000,
	queryPageRecords: 100_000,
	// "A request can provide CSV data that does not in total exceed 150 MB of base64 encoded content".
	uploadBytes: Math.floor((150 * 1024 * 1024 * 3) / 4),
};

/** silent: Bulk API 2.0's code and wording for a create request it refuses. */
export function invalidJob(message: string): RestError {
	return restError(400, 'INVALIDJOB', message);
}

/** A create request's columnDelimiter, lineEnding and contentType (defaults COMMA, LF, CSV). */
export function csvFormatOf(body: Record<string, unknown>): CsvFormat {
	const columnDelimiter = body.columnDelimiter ?? 'COMMA';
	const lineEnding = body.lineEnding ?? 'LF';
	if (body.contentType !== undefined && body.contentType !== 'CSV')
		throw invalidJob(
			`Unsupported contentType: ${String(body.contentType)}. The only valid value is CSV`,
		);
	if (typeof columnDelimiter !== 'string' || !(columnDelimiter in DELIMITERS)) {
		throw invalidJob(
			`Invalid columnDelimiter: ${String(columnDelimiter)}. Valid values are ${Object.keys(DELIMITERS).join(', ')}`,
		);
	}
	if (lineEnding !== 'LF' && lineEnding !== 'CRLF')
		throw invalidJob(`Invalid lineEnding: ${String(lineEnding)}. Valid values are LF, CRLF`);
	return { columnDelimiter, lineEnding: lineEnding as LineEnding };
}

/** The job info fields every answer carries, in Salesforce's order (Create a Job, Get Job Info). */
export function jobInfo(job: Job, extra: Record<string, unknown> = {}): Record<string, unknown> {
	return {
		id: job.id,
		operation: job.operation,
		object: job.object.name,
		createdById: job.createdById,
		createdDate: job.createdDate,
		systemModstamp: job.systemModstamp,
		state: job.state,
		...(job.kind === 'ingest' && job.externalIdField
			? { externalIdFieldName: job.externalIdField.name }
			: {}),
		...(job.kind === 'ingest' && job.assignmentRuleId
			? { assignmentRuleId: job.assignmentRuleId }
			: {}),
		concurrencyMode: 'Parallel',
		contentType: 'CSV',
		apiVersion: job.major,
		...extra,
		lineEnding: job.format.lineEnding,
		columnDelimiter: job.format.columnDelimiter,
	};
}

/** jobs/{ingest|query} itself: POST creates a job, GET lists the kind's jobs (Get All Jobs, one page). */
export function jobsRoot<K extends Job['kind']>(
	context: RestContext,
	kind: K,
	create: (context: RestContext) => void,
	info: (job: Extract<Job, { kind: K }>) => Record<string, unknown>,
): void {
	allow(context, 'GET', 'POST');
	if (context.method === 'POST') return create(context);
	const records = [...context.org.rest.bulk.jobs.values()]
		.filter((job): job is Extract<Job, { kind: K }> => job.kind === kind)
		.map(info);
	sendJson(context.res, 200, { done: true, records, nextRecordsUrl: null }, context.headers);
}

/** How long the job has run, for totalProcessingTime. */
export function processingTime(job: Job): number {
	return job.startedAt === undefined ? 0 : (job.finishedAt ?? Date.now()) - job.startedAt;
}

/** Salesforce's state names in messages (JOB_NOT_COMPLETE: "Current status: IN_PROGRESS"). */
export function stateConstant(state: JobState): string {
	return state.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
}

/**
 * 412 JOB_NOT_COMPLETE, the answer Get Results for a Query Job documents (API v47.0 guide) for
 * results asked before the job completed.
 */
export function notComplete(job: Job): RestError {
	return restError(
		412,
		'JOB_NOT_COMPLETE',
		`can only download query results of successfully completed bulk job with status: JOB_COMPLETE. Current status: ${stateConstant(job.state)}`,
	);
}

/** silent: the codes and wording for requests the job's state does not allow. */
export function invalidState(job: Job, action: string): RestError {
	return restError(
		409,
		'INVALIDJOBSTATE',
		`Job ${job.id} is ${job.state}: ${action} is not allowed in that state`,
	);
}

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
	return new Promise((resolve) => {
		if (signal.aborted || ms <= 0) return resolve();
		const timer = setTimeout(done, ms);
		function done() {
			clearTimeout(timer);
			signal.removeEventListener('abort', done);
			resolve();
		}
		signal.addEventListener('abort', done);
	});
}

/** Lets the event loop answer requests (status polls) between internal batches. */
export function yieldToRequests(): Promise<void> {
	return new Promise((resolve) => setImmediate(resolve));
}

export class BulkJobs {
	readonly files = new TempDir('salesforce-standin-bulk-');
	readonly jobs = new Map<string, Job>();
	options: StandinBulkOptions;
	private fault: (StandinBulkJobFault & { remaining: number }) | undefined;

	/** Job dates come from the org's clock; durations (processing time) from this machine's. */
	constructor(
		readonly clock: OrgClock,
		options: Partial<StandinBulkOptions> = {},
	) {
		this.options = { ...DEFAULT_BULK_OPTIONS, ...options };
	}

	base(object: ObjectDef, major: number, createdById: string, format: CsvFormat): JobBase {
		const now = this.clock.auditNow();
		return {
			id: salesforceId('750'),
			object,
			state: 'Open',
			major,
			createdById,
			createdDate: now,
			systemModstamp: now,
			format,
			processed: 0,
			stop: new AbortController(),
		};
	}

	add<T extends Job>(job: T): T {
		this.jobs.set(job.id, job);
		return job;
	}

	/** A job of the kind, or 404 NOT_FOUND (an unknown id, or the other kind's). */
	get<K extends Job['kind']>(id: string, kind: K): Extract<Job, { kind: K }> {
		const job = [...this.jobs.values()].find(
			(candidate) => candidate.id.slice(0, 15) === id.slice(0, 15),
		);
		if (!job || job.kind !== kind || !/^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$/.test(id))
			throw restError(404, 'NOT_FOUND', 'The requested resource does not exist');
		return job as Extract<Job, { kind: K }>;
	}

	setState(job: Job, state: JobState): void {
		job.state = state;
		job.systemModstamp = this.clock.auditNow();
		if (state === 'InProgress') job.startedAt = Date.now();
		if (state === 'JobComplete' || state === 'Failed' || state === 'Aborted')
			job.finishedAt = Date.now();
	}

	/** The job's minimum run time (processingMs + msPerRecord per record), measured from its start. */
	async holdUntilDone(job: Job, records: number): Promise<void> {
		const due =
			(job.startedAt ?? Date.now()) +
			this.options.processingMs +
			records * this.options.msPerRecord;
		await sleep(due - Date.now(), job.stop.signal);
	}

	setFault(fault: StandinBulkJobFault | undefined): void {
		this.fault =
			fault && (fault.times ?? 1) > 0 ? { ...fault, remaining: fault.times ?? 1 } : undefined;
	}

	/** The injected failure for a job that starts running now, if any (uses one of its `times`). */
	takeFault(): StandinBulkJobFault | undefined {
		const fault = this.fault;
		if (fault && --fault.remaining <= 0) this.fault = undefined;
		return fault;
	}

	delete(job: Job): void {
		job.stop.abort();
		this.jobs.delete(job.id);
	}

	/** Every job stops and its data goes (resetData, close). */
	clear(): void {
		for (const job of this.jobs.values()) job.stop.abort();
		this.jobs.clear();
		this.files.clear();
		this.fault = undefined;
	}

	summaries(): StandinBulkJob[] {
		return [...this.jobs.values()].map((job) => ({
			id: job.id,
			type: job.kind,
			object: job.object.name,
			operation: job.operation,
			state: job.state,
			numberRecordsProcessed: job.processed,
			numberRecordsFailed: job.kind === 'ingest' ? job.failed : 0,
			...(job.errorMessage ? { errorMessage: job.errorMessage } : {}),
			apiVersion: `${job.major}.0`,
		}));
	}
}
