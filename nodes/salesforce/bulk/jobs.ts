/**
 * Bulk API 2.0 jobs (salesforce-rest.md §11): what creating one asks, the states it goes
 * through, how often to ask for its state, and what to say when it fails or takes too long.
 *
 * Every request of a job counts against the org's daily API requests like any REST call, status
 * polls included: a client that polls every second burns thousands of requests on a long job
 * (jsforce issue #765: ~100,000 in hours). Polls here back off from 1 s, doubling, to one every
 * 30 s — a job the stand-in finishes in a second costs one or two polls, an hour-long job about
 * 125 — and stop at the node's maximum wait.
 */
import { capitalise } from '../text';
import { SalesforceRestError } from '../rest/restErrors';
import { describeWrite, type WriteOperation } from '../rest/writes';

export type JobState =
	| 'Open'
	| 'UploadComplete'
	| 'InProgress'
	| 'JobComplete'
	| 'Failed'
	| 'Aborted';

/** What Get Job Info answers (the fields the package reads). */
export interface BulkJobInfo {
	id: string;
	state: JobState;
	object?: string;
	operation?: string;
	numberRecordsProcessed?: number;
	numberRecordsFailed?: number;
	errorMessage?: string;
}

/** Bulk's name of each write (Bulk has no "create": it is an insert). */
const INGEST_OPERATIONS: Record<WriteOperation, string> = {
	create: 'insert',
	update: 'update',
	upsert: 'upsert',
	delete: 'delete',
};

/** The body of `POST jobs/ingest`. */
export function ingestJobRequest(
	operation: WriteOperation,
	sobject: string,
	externalIdField?: string,
): Record<string, string> {
	return {
		object: sobject,
		operation: INGEST_OPERATIONS[operation],
		...(operation === 'upsert' && externalIdField ? { externalIdFieldName: externalIdField } : {}),
		contentType: 'CSV',
		columnDelimiter: 'COMMA',
		lineEnding: 'LF',
	};
}

/** The body of `POST jobs/query`. */
export function queryJobRequest(soql: string, includeDeleted: boolean): Record<string, string> {
	return {
		operation: includeDeleted ? 'queryAll' : 'query',
		query: soql,
		contentType: 'CSV',
		columnDelimiter: 'COMMA',
		lineEnding: 'LF',
	};
}

const FINISHED: readonly JobState[] = ['JobComplete', 'Failed', 'Aborted'];

export function isFinished(state: JobState | undefined): boolean {
	return state !== undefined && FINISHED.includes(state);
}

/** A job's state as the answer has it, checked (anything else is Salesforce's answer misread). */
export function jobInfoOf(body: unknown, what: string): BulkJobInfo {
	const info = body as Partial<BulkJobInfo> | undefined;
	if (!info || typeof info.id !== 'string' || typeof info.state !== 'string') {
		throw new SalesforceRestError(
			'BAD_RESPONSE',
			`${capitalise(what)} failed: Salesforce's answer holds no job id and state.`,
			'Run again; if it persists, check the Bulk API 2.0 jobs in Setup → Bulk Data Load Jobs.',
		);
	}
	return info as BulkJobInfo;
}

export const FIRST_POLL_MS = 1_000;
export const LONGEST_POLL_MS = 30_000;

/** How long to wait before the next status poll: 1 s, then doubling, at most 30 s. */
export function nextPollDelay(previousMs: number | undefined): number {
	return previousMs === undefined ? FIRST_POLL_MS : Math.min(previousMs * 2, LONGEST_POLL_MS);
}

/** The node's Bulk Max Wait option, in minutes, checked. */
export function checkMaxWaitMinutes(value: unknown, parameter = 'Bulk Max Wait (Minutes)'): number {
	const minutes = typeof value === 'number' ? value : Number(value);
	if (!Number.isFinite(minutes) || minutes <= 0) {
		throw invalidWait(parameter, value);
	}
	return minutes;
}

function invalidWait(parameter: string, value: unknown): SalesforceRestError {
	return new SalesforceRestError(
		'INVALID_INPUT',
		`${parameter}: ${JSON.stringify(value)} is not a number of minutes above 0`,
		'Type how long to wait for a Bulk job, e.g. 30. A real org takes seconds to minutes per job; large jobs can take hours.',
		{
			parameter,
		},
	);
}

/** "1 record", "5 records". */
function records(count: number): string {
	return `${count} record${count === 1 ? '' : 's'}`;
}

/** "1.8 seconds", "30 minutes" (a wait as the user set it, roughly). */
function durationText(ms: number): string {
	if (ms < 60_000) return `${Math.round(ms / 100) / 10} seconds`;
	return `${Math.round(ms / 6_000) / 10} minutes`;
}

/** "Setup → Bulk Data Load Jobs": where a job id can be looked up. */
const LOOK_IT_UP = 'Look the job up in Salesforce Setup → Bulk Data Load Jobs (search its id)';

/** The job did not finish within the maximum wait. */
export function explainJobTimeout(
	kind: 'ingest' | 'query',
	info: BulkJobInfo,
	waitedMs: number,
	aborted: boolean,
): SalesforceRestError {
	const processed =
		info.numberRecordsProcessed !== undefined
			? ` after processing ${records(info.numberRecordsProcessed)}`
			: '';
	return new SalesforceRestError(
		'BULK_JOB_TIMEOUT',
		`Bulk API ${kind === 'ingest' ? 'job' : 'query job'} ${info.id} did not finish within ${durationText(waitedMs)}: it was ${info.state}${processed}.`,
		`${aborted ? 'The node aborted it, so it writes nothing more' : 'The node could not abort it'}. ${LOOK_IT_UP} to see what it did. Raise the option "Bulk Max Wait (Minutes)" for jobs this large, or split the input.`,
	);
}

/** The job ended Failed (or Aborted by someone else): Salesforce's reason and how far it got. */
export function explainJobFailed(
	kind: 'ingest' | 'query',
	info: BulkJobInfo,
	operation?: WriteOperation,
	sobject?: string,
): SalesforceRestError {
	const lead =
		kind === 'ingest' && operation && sobject
			? capitalise(describeWrite(operation, sobject))
			: 'Running the Bulk API query job';
	const why =
		info.state === 'Aborted'
			? 'the job was aborted in Salesforce'
			: (info.errorMessage ?? 'Salesforce gave no reason');
	const processed = info.numberRecordsProcessed ?? 0;
	const failed = info.numberRecordsFailed ?? 0;
	const counts =
		kind === 'ingest'
			? ` Salesforce processed ${records(processed)} (${failed} of them failed) before it stopped.`
			: '';
	return new SalesforceRestError(
		'BULK_JOB_FAILED',
		`${lead} failed: Bulk API job ${info.id} ${info.state === 'Aborted' ? 'was aborted' : 'failed'}: ${why}.${counts}`,
		`${kind === 'ingest' ? 'Records Salesforce processed keep their result; the others were not written. ' : ''}${LOOK_IT_UP} for details. A "ClientInputError" or "InvalidBatch" is about the data (a field name, a value); others are Salesforce's: run again later.`,
	);
}

/** A record the job never reached (it failed, or was aborted, before). */
export function explainNotProcessed(info: BulkJobInfo): SalesforceRestError {
	return new SalesforceRestError(
		'BULK_NOT_PROCESSED',
		`Not processed: Bulk API job ${info.id} ${info.state === 'Aborted' ? 'was aborted' : 'failed'} before it reached this record${info.errorMessage ? ` (${info.errorMessage})` : ''}.`,
		`Nothing was written for this item. ${LOOK_IT_UP}; run again for the items not processed.`,
	);
}

/** A result Salesforce gave that matches no input row, or an input row no result named. */
export function explainUnmatched(info: BulkJobInfo): SalesforceRestError {
	return new SalesforceRestError(
		'BULK_RESULT_MISSING',
		`Bulk API job ${info.id} gave no result for this record.`,
		`Salesforce's results name every record it processed; this one was not among them. ${LOOK_IT_UP} to see whether it was written before running it again.`,
	);
}

/** A finished job whose results could not be read: nothing to abort, and where its results are. */
export function resultsUnreadNote(info: BulkJobInfo): string {
	return `Bulk API job ${info.id} ended ${info.state} (${records(info.numberRecordsProcessed ?? 0)} processed, ${info.numberRecordsFailed ?? 0} failed), but its results could not be read: Setup → Bulk Data Load Jobs shows them.`;
}
