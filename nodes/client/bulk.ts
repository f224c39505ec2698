/**
 * Bulk API 2.0 (salesforce-rest.md §11) through the connection's send loop: ingest jobs for the
 * writes that outgrow sObject Collections, query jobs for reads that outgrow REST paging.
 *
 * An ingest job costs: create, upload (the CSV streamed from the records, never one string),
 * close, the status polls (backing off from 1 s to 30 s), and one request per kind of result that
 * has rows (successful, failed) — about 6–8 requests for 100,000 records, where Collections
 * spends 500. Uploads stay under 100 MB of CSV each (Salesforce takes 150 MB of base64 per job);
 * a larger write runs as several jobs, one after the other.
 *
 * A job never runs away: whatever stops the node while a job is open or running — a failed
 * upload, a thrown error, the user stopping the execution, the maximum wait — aborts it first.
 */
import {
	columnPositions,
	csvLine,
	explainCancelled,
	explainJobFailed,
	explainJobTimeout,
	explainNotProcessed,
	explainUnmatched,
	failureResult,
	ingestCells,
	ingestColumns,
	ingestJobRequest,
	isFinished,
	jobInfoOf,
	nextPollDelay,
	planQueryColumns,
	queryJobRequest,
	readCsvRows,
	recordOfRow,
	REST_API_VERSION,
	ResultMatcher,
	resultLayout,
	resultsUnreadNote,
	SalesforceRestError,
	successResult,
	uploadedCells,
	type BulkJobInfo,
	type BulkRecord,
	type FieldDescribe,
	type QueryColumns,
	type RecordResult,
	type WriteOperation,
} from '../salesforce';
import { pause, withNote } from '../n8n';
import type { SalesforceConnection } from './connection';
import { describeObject } from './describe';
import type { ByteStream } from './requests';
import { readableFrom } from './streams';

/** The most CSV one job takes: Salesforce's 150 MB of base64 is 112.5 MB; the guide advises 100 MB. */
export const MAX_UPLOAD_BYTES = 100 * 1024 * 1024;

/** How long the abort of a job may take when the node is already failing. */
const ABORT_TIMEOUT_MS = 30_000;

export interface IngestRequest {
	operation: WriteOperation;
	sobject: string;
	externalIdField?: string;
	records: readonly BulkRecord[];
	/** The longest the node waits for a job to finish, polls included. */
	maxWaitMs: number;
	/** Most CSV bytes per job (tests lower it); default MAX_UPLOAD_BYTES. */
	maxUploadBytes?: number;
}

/** Each record's outcome: Salesforce's result, or why it has none (refused value, not processed). */
export type IngestResult = RecordResult | SalesforceRestError;

export interface IngestOutcome {
	results: IngestResult[];
	/** The jobs run, as last seen; a Failed or Aborted one stopped the write. */
	jobs: BulkJobInfo[];
	/** The job that failed, when one did (its errorMessage says why). */
	failedJob?: BulkJobInfo;
}

const encoder = new TextEncoder();

/** A job's id and kind, for its requests and its abort. */
interface OpenJob {
	kind: 'ingest' | 'query';
	id: string;
}

function jobPath(job: OpenJob, rest = ''): string {
	return `jobs/${job.kind}/${job.id}${rest}`;
}

/** Aborts a job the node is leaving behind; true when Salesforce took the abort. */
async function abortJob(connection: SalesforceConnection, job: OpenJob): Promise<boolean> {
	try {
		const { failure } = await connection.attempt({
			method: 'PATCH',
			path: jobPath(job),
			body: { json: { state: 'Aborted' } },
			what: `aborting Bulk API job ${job.id}`,
			outlivesCancellation: true,
			timeoutMs: ABORT_TIMEOUT_MS,
		});
		return !failure;
	} catch {
		return false;
	}
}

/** The error, its description saying what became of the job. */
function withJobNote(
	connection: SalesforceConnection,
	error: unknown,
	job: OpenJob,
	aborted: boolean,
): unknown {
	const note = aborted
		? `Bulk API job ${job.id} was aborted: it writes nothing more (Setup → Bulk Data Load Jobs shows what it did).`
		: `Bulk API job ${job.id} could not be aborted: look it up in Setup → Bulk Data Load Jobs and abort it there if it still runs.`;
	return withNote(connection.node, error, note);
}

/**
 * Runs `work` on an open job; if it throws (cancelled, failed upload, any error), the job is
 * aborted first and the error says so.
 */
async function abortingOnFailure<T>(
	connection: SalesforceConnection,
	job: OpenJob,
	work: () => Promise<T>,
): Promise<T> {
	try {
		return await work();
	} catch (error) {
		throw withJobNote(connection, error, job, await abortJob(connection, job));
	}
}

/** Polls the job with backoff until it finishes; past `maxWaitMs` it is aborted and the node fails naming it. */
async function waitForJob(
	connection: SalesforceConnection,
	job: OpenJob,
	maxWaitMs: number,
): Promise<BulkJobInfo> {
	const started = Date.now();
	const signal = connection.cancelSignal;
	let delay: number | undefined;
	for (;;) {
		delay = nextPollDelay(delay);
		const waited = Date.now() - started;
		const wait = Math.min(delay, Math.max(0, maxWaitMs - waited));
		try {
			await pause(wait, signal);
		} catch {
			throw connection.nodeError(explainCancelled(`running Bulk API job ${job.id}`));
		}
		const { body } = await connection.send({
			method: 'GET',
			path: jobPath(job),
			what: `reading the state of Bulk API job ${job.id}`,
		});
		const info = jobInfoOf(body, `reading the state of Bulk API job ${job.id}`);
		if (isFinished(info.state)) return info;
		if (Date.now() - started >= maxWaitMs) {
			const aborted = await abortJob(connection, job);
			throw connection.nodeError(explainJobTimeout(job.kind, info, Date.now() - started, aborted));
		}
	}
}

/** Where each job's records start and end: no upload over `maxBytes`; records refused before sending are left out. */
function planUploads(
	records: readonly BulkRecord[],
	columns: readonly string[],
	maxBytes: number,
	results: IngestResult[],
): Array<{ from: number; to: number }> {
	const positions = columnPositions(columns);
	const headerBytes = encoder.encode(csvLine(columns)).length;
	const chunks: Array<{ from: number; to: number }> = [];
	let from = 0;
	let bytes = headerBytes;
	let rows = 0;
	for (let index = 0; index < records.length; index++) {
		let size: number;
		try {
			size = Buffer.byteLength(csvLine(ingestCells(records[index], columns, positions)));
		} catch (error) {
			results[index] = error as SalesforceRestError;
			continue;
		}
		if (rows > 0 && bytes + size > maxBytes) {
			chunks.push({ from, to: index });
			from = index;
			bytes = headerBytes;
			rows = 0;
		}
		bytes += size;
		rows++;
	}
	if (rows > 0) chunks.push({ from, to: records.length });
	return chunks;
}

/** The CSV of records [from, to) as it is sent (those with a result already are left out); each row is remembered in `matcher` by its cells. */
async function* uploadCsv(
	records: readonly BulkRecord[],
	columns: readonly string[],
	from: number,
	to: number,
	skip: readonly IngestResult[],
	matcher: ResultMatcher,
): AsyncGenerator<Uint8Array> {
	const positions = columnPositions(columns);
	yield encoder.encode(csvLine(columns));
	// About 64 KB per chunk: few writes, little held.
	let lines = '';
	for (let index = from; index < to; index++) {
		if (skip[index] !== undefined) continue;
		const cells = ingestCells(records[index], columns, positions);
		matcher.add(index, cells);
		lines += csvLine(cells);
		if (lines.length >= 65_536) {
			yield encoder.encode(lines);
			lines = '';
		}
	}
	if (lines !== '') yield encoder.encode(lines);
}

/** Reads one kind of result of a finished job into `results`, matching rows by content. */
async function readResults(
	connection: SalesforceConnection,
	job: OpenJob,
	kind: 'successfulResults' | 'failedResults',
	columns: readonly string[],
	matcher: ResultMatcher,
	results: IngestResult[],
): Promise<void> {
	const { body } = await connection.send({
		method: 'GET',
		path: jobPath(job, `/${kind}/`),
		answer: 'stream',
		headers: { Accept: 'text/csv' },
		what: `reading the results of Bulk API job ${job.id}`,
	});
	let layout: ReturnType<typeof resultLayout> | undefined;
	await readCsvRows(body, {
		onHeader: (header) => {
			layout = resultLayout(
				header,
				columns,
				kind === 'successfulResults' ? 'sf__Created' : 'sf__Error',
			);
		},
		onRow: (row) => {
			const rowLayout = layout as ReturnType<typeof resultLayout>;
			const index = matcher.take(uploadedCells(row, rowLayout));
			if (index === undefined) return;
			results[index] =
				kind === 'successfulResults'
					? successResult(row, rowLayout)
					: failureResult(row, rowLayout);
		},
	});
}

/** One job for records [from, to): create, upload, close, wait, results. */
async function runOneIngestJob(
	connection: SalesforceConnection,
	request: IngestRequest,
	columns: readonly string[],
	from: number,
	to: number,
	results: IngestResult[],
): Promise<BulkJobInfo> {
	const { operation, sobject, externalIdField, records } = request;
	const created = await connection.send({
		method: 'POST',
		path: 'jobs/ingest',
		body: { json: ingestJobRequest(operation, sobject, externalIdField) },
		what: `creating a Bulk API job for ${sobject}`,
	});
	const job: OpenJob = {
		kind: 'ingest',
		id: jobInfoOf(created.body, `creating a Bulk API job for ${sobject}`).id,
	};
	let matcher = new ResultMatcher();
	const info = await abortingOnFailure(connection, job, async () => {
		await connection.send({
			method: 'PUT',
			path: jobPath(job, '/batches'),
			body: {
				// Built afresh for each attempt (after a 401 n8n cannot resend a consumed stream).
				stream: (): ByteStream => {
					matcher = new ResultMatcher();
					return readableFrom(uploadCsv(records, columns, from, to, results, matcher));
				},
				contentType: 'text/csv',
			},
			what: `uploading the records of Bulk API job ${job.id}`,
		});
		await connection.send({
			method: 'PATCH',
			path: jobPath(job),
			body: { json: { state: 'UploadComplete' } },
			what: `closing Bulk API job ${job.id}`,
		});
		return await waitForJob(connection, job, request.maxWaitMs);
	});
	const processed = info.numberRecordsProcessed ?? 0;
	const failed = info.numberRecordsFailed ?? 0;
	// Each kind of result is one request: asked only when the job says it has rows of that kind.
	try {
		if (processed - failed > 0)
			await readResults(connection, job, 'successfulResults', columns, matcher, results);
		if (failed > 0) await readResults(connection, job, 'failedResults', columns, matcher, results);
	} catch (error) {
		// The job is over (nothing to abort): what it did stays readable in Setup.
		throw withNote(connection.node, error, resultsUnreadNote(info));
	}
	for (let index = from; index < to; index++) {
		if (results[index] === undefined)
			results[index] =
				info.state === 'JobComplete' ? explainUnmatched(info) : explainNotProcessed(info);
	}
	return info;
}

/** The write as Bulk API 2.0 jobs; one result per record, in input order. */
export async function runIngestJobs(
	connection: SalesforceConnection,
	request: IngestRequest,
): Promise<IngestOutcome> {
	const results: IngestResult[] = new Array<IngestResult>(request.records.length);
	const columns = ingestColumns(request.records);
	const uploads = planUploads(
		request.records,
		columns,
		request.maxUploadBytes ?? MAX_UPLOAD_BYTES,
		results,
	);
	const jobs: BulkJobInfo[] = [];
	for (const { from, to } of uploads) {
		const info = await runOneIngestJob(connection, request, columns, from, to, results);
		jobs.push(info);
		if (info.state !== 'JobComplete') {
			for (let index = to; index < results.length; index++)
				if (results[index] === undefined) results[index] = explainNotProcessed(info);
			return { results, jobs, failedJob: info };
		}
	}
	return { results, jobs };
}

export interface QueryJobOptions {
	includeDeleted: boolean;
	/** Stop after this many records; undefined = all. */
	limit?: number;
	includeAttributes: boolean;
	maxWaitMs: number;
}

/** The describes a query's columns need, fetched level by level (each remembered a minute per credential). */
async function planColumns(
	connection: SalesforceConnection,
	header: readonly string[],
	root: string,
): Promise<QueryColumns> {
	const known = new Map<string, readonly FieldDescribe[]>();
	for (;;) {
		const outcome = planQueryColumns(header, root, (name) => known.get(name));
		if ('plan' in outcome) return outcome.plan;
		for (const name of outcome.missing) known.set(name, await describeObject(connection, name));
	}
}

/**
 * A SOQL query as a Bulk API 2.0 query job: its records, typed and nested as the REST query gives
 * them, handed to `onRecord` as each page streams in. Costs the create, the polls, one request per
 * page of results (Salesforce sizes pages; `maxRecords` only when a limit is near) and one
 * describe per object the columns name.
 */
export async function runQueryJob(
	connection: SalesforceConnection,
	soql: string,
	options: QueryJobOptions,
	onRecord: (record: Record<string, unknown>) => void,
): Promise<BulkJobInfo> {
	const created = await connection.send({
		method: 'POST',
		path: 'jobs/query',
		body: { json: queryJobRequest(soql, options.includeDeleted) },
		what: 'creating the Bulk API query job',
	});
	const createdInfo = jobInfoOf(created.body, 'creating the Bulk API query job');
	const job: OpenJob = { kind: 'query', id: createdInfo.id };
	const info = await abortingOnFailure(
		connection,
		job,
		async () => await waitForJob(connection, job, options.maxWaitMs),
	);
	if (info.state !== 'JobComplete') throw connection.nodeError(explainJobFailed('query', info));
	const root = info.object ?? createdInfo.object ?? '';
	let plan: QueryColumns | undefined;
	let read = 0;
	let locator: string | undefined;
	for (let page = 1; ; page++) {
		const remaining = options.limit === undefined ? undefined : options.limit - read;
		const qs: Record<string, string | number> = {};
		if (remaining !== undefined) qs.maxRecords = remaining;
		if (locator) qs.locator = locator;
		const { body, headers } = await connection.send({
			method: 'GET',
			path: jobPath(job, '/results'),
			qs,
			answer: 'stream',
			headers: { Accept: 'text/csv' },
			what: `reading page ${page} of the results of Bulk API query job ${job.id}`,
		});
		await readCsvRows(body, {
			onHeader: async (header) => {
				plan ??= await planColumns(connection, header, root);
			},
			onRow: (row) => {
				onRecord(
					recordOfRow(row, plan as QueryColumns, {
						includeAttributes: options.includeAttributes,
						apiVersion: REST_API_VERSION,
					}),
				);
				read++;
				return options.limit === undefined || read < options.limit;
			},
		});
		const next = headers['sforce-locator'];
		if (
			(options.limit !== undefined && read >= options.limit) ||
			typeof next !== 'string' ||
			next === '' ||
			next === 'null'
		)
			return info;
		locator = next;
	}
}
