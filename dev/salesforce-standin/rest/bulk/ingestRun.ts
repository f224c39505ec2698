import { appendFileSync, writeFileSync } from 'node:fs';
import type { FieldDef, ObjectDef, StoredValue, WriteContext } from '../schema';
import { findField, findObject, findRelationship, soapType } from '../schema';
import type { Entries, Dml, WriteResult } from '../dml';
import type { RecordStore } from '../records';
import type { WriteObserver } from '../writeObserver';
import { matchKey } from '../records';
import type { RecordError } from '../errors';
import {
	duplicateKey,
	ENTITY_IS_DELETED,
	keyMatchesSeveral,
	missingKey,
	recordError,
} from '../errors';
import { deserialize, isSalesforceId } from '../values';
import type { BulkJobs, IngestJob } from './jobs';
import { sleep, yieldToRequests } from './jobs';
import { csvLine, CsvError, readCsvFile } from './csv';

/**
 * Running an ingest job (Bulk API 2.0 Developer Guide: Prepare CSV Files, Relationship Fields in
 * a Header Row, Get Job Successful/Failed/Unprocessed Record Results). First the upload's
 * structure is checked (header names, line endings, quoting, one value per column): a problem
 * fails the whole job, as Salesforce does, before any record is written. Then the records go
 * through the same DML as the REST API (required fields, validation rules, unique values,
 * references) in internal batches; each batch's results are written in a shuffled order, since
 * Salesforce's parallel batches return results out of input order. An empty value leaves a field
 * unchanged, `#N/A` sets it to null; `Account.External_Id__c` columns find the parent by an
 * external id. sf__Error is Salesforce's `STATUS_CODE:message:fields --`.
 */

export interface IngestRuntime {
	store: RecordStore;
	dml: Dml;
	jobs: BulkJobs;
	/** Told when a batch's writes are done: they are one transaction (Change Data Capture). */
	observer: WriteObserver;
}

/**
 * changeOrigin of a Bulk API change: `com/salesforce/api/bulkapi/<version>` (Apex reference,
 * EventBus.ChangeEventHeader.changeorigin lists bulkapi among the API names).
 */
function bulkChangeOrigin(major: number): string {
	return `com/salesforce/api/bulkapi/${major}.0`;
}

type Column =
	| { kind: 'field'; field: FieldDef }
	| { kind: 'parent'; reference: FieldDef; target: ObjectDef; key: FieldDef };

/** The header's columns, or the job's errorMessage for the first one Salesforce would not take. */
function planColumns(store: RecordStore, job: IngestJob, header: string[]): Column[] {
	const seen = new Set<string>();
	return header.map((name) => {
		const lower = name.toLowerCase();
		// silent: the wording for a column named twice.
		if (seen.has(lower)) throw new CsvError(`InvalidBatch : Duplicate field name: ${name}`);
		seen.add(lower);
		const field = findField(job.object, name);
		if (field && field.type !== 'base64') return { kind: 'field', field };
		const dot = name.indexOf('.');
		const reference = dot > 0 ? findRelationship(job.object, name.slice(0, dot)) : undefined;
		const target = reference && findObject(store.objects, reference.referenceTo[0]);
		const key = target && findField(target, name.slice(dot + 1));
		if (reference && target && key && (key.externalId || key.type === 'id'))
			return { kind: 'parent', reference, target, key };
		throw new CsvError(`InvalidBatch : Field name not found : ${name}`);
	});
}

/** `REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --`; without fields `...:--`. */
function sfError(error: RecordError): string {
	return `${error.statusCode}:${error.message}:${error.fields.map((name) => `${name} `).join('')}--`;
}

/** A CSV value as the field stores it (booleans also as 1/0; dates may end in Z, as the guide's sample). */
function fieldValue(
	field: FieldDef,
	text: string,
	column: number,
): { value: StoredValue } | { error: RecordError } {
	if (text === '#N/A') return { value: null };
	let raw = text;
	if (field.type === 'boolean' && (text === '1' || text === '0'))
		raw = text === '1' ? 'true' : 'false';
	if (field.type === 'date' && /^\d{4}-\d{2}-\d{2}Z$/.test(text)) raw = text.slice(0, -1);
	const result = deserialize(field, raw);
	if ('value' in result) return result;
	// The message Salesforce's CSV reader gives for a value its type cannot take.
	return {
		error: recordError(
			'INVALID_FIELD',
			`Failed to deserialize field at col ${column + 1}. Due to, '${text}' is not a valid value for the type ${soapType(field.type)}`,
			[field.name],
		),
	};
}

interface RecordOutcome {
	ok: boolean;
	values: string[];
}

class BatchRunner {
	constructor(
		private readonly runtime: IngestRuntime,
		private readonly job: IngestJob,
		private readonly columns: Column[],
	) {}

	private get object(): ObjectDef {
		return this.job.object;
	}

	/** The record's field values, or its first error. */
	private entries(record: string[]): { entries: Entries } | { error: RecordError } {
		const entries: Entries = [];
		for (const [index, column] of this.columns.entries()) {
			const text = record[index];
			if (text === '') continue;
			if (column.kind === 'field') {
				const result = fieldValue(column.field, text, index);
				if ('error' in result) return result;
				entries.push([column.field, result.value]);
				continue;
			}
			if (text === '#N/A') {
				entries.push([column.reference, null]);
				continue;
			}
			const parents = this.runtime.store.findBy(column.target, column.key, text);
			const where = `for field ${column.key.name} in entity ${column.target.name}`;
			// silent: the wording when the key matches several parents.
			if (parents.length !== 1) {
				return {
					error: recordError(
						'INVALID_FIELD',
						`Foreign key external ID: ${text} ${parents.length === 0 ? 'not found' : 'matched more than one record'} ${where}`,
						[],
					),
				};
			}
			entries.push([column.reference, String(parents[0].Id)]);
		}
		return { entries };
	}

	private textOf(record: string[], field: FieldDef | undefined): string {
		const index = field
			? this.columns.findIndex((column) => column.kind === 'field' && column.field === field)
			: -1;
		return index < 0 ? '' : record[index];
	}

	/** A row to update or delete, by the record's Id. */
	private target(
		id: string,
	): { row: NonNullable<ReturnType<RecordStore['get']>> } | { error: RecordError } {
		const { store } = this.runtime;
		if (id === '')
			return {
				error: recordError(
					'MISSING_ARGUMENT',
					`Id not specified in an ${this.job.operation} call`,
					[],
				),
			};
		if (!isSalesforceId(id) || store.objectOfId(id) !== this.object) {
			return {
				error: recordError(
					'MALFORMED_ID',
					`${this.object.label} ID: id value of incorrect type: ${id}`,
					['Id'],
				),
			};
		}
		const row = store.get(this.object, id);
		if (!row)
			return {
				error: recordError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', []),
			};
		if (row.IsDeleted === true && this.job.operation !== 'hardDelete')
			return { error: ENTITY_IS_DELETED };
		return { row };
	}

	run(record: string[], duplicates: Set<string>, context: WriteContext): RecordOutcome {
		const { dml } = this.runtime;
		const idField = findField(this.object, 'Id');
		const id = this.textOf(record, idField);
		const failure = (error: RecordError) => ({
			ok: false,
			values: [id, sfError(error), ...record],
		});
		const written = (result: WriteResult) =>
			result.ok
				? { ok: true, values: [result.id, String(result.created), ...record] }
				: failure(result.errors[0]);
		const operation = this.job.operation;
		if (operation === 'delete' || operation === 'hardDelete') {
			const target = this.target(id);
			return 'error' in target
				? failure(target.error)
				: written(
						operation === 'hardDelete'
							? dml.hardDelete(this.object, target.row)
							: dml.delete(this.object, target.row, context),
					);
		}
		const prepared = this.entries(record);
		if ('error' in prepared) return failure(prepared.error);
		if (operation === 'insert') return written(dml.create(this.object, prepared.entries, context));
		if (operation === 'update') {
			const target = this.target(id);
			return 'error' in target
				? failure(target.error)
				: written(dml.update(this.object, target.row, prepared.entries, context));
		}
		const key = this.job.externalIdField as FieldDef;
		const value = this.textOf(record, key);
		if (value === '' || value === '#N/A') return failure(missingKey(key.name));
		if (duplicates.has(matchKey(key, value))) return failure(duplicateKey(key.name, value));
		const result = dml.upsert(this.object, key, value, prepared.entries, context);
		if ('multiple' in result)
			return failure(
				keyMatchesSeveral(
					key.name,
					result.multiple.map((row) => String(row.Id)),
				),
			);
		return written(result);
	}

	/** Upsert keys that appear more than once in the batch: all their records fail, as in Collections. */
	duplicateKeys(records: string[][]): Set<string> {
		const key = this.job.externalIdField;
		if (this.job.operation !== 'upsert' || !key) return new Set();
		const counts = new Map<string, number>();
		for (const record of records) {
			const value = this.textOf(record, key);
			if (value !== '')
				counts.set(matchKey(key, value), (counts.get(matchKey(key, value)) ?? 0) + 1);
		}
		return new Set([...counts].filter(([, count]) => count > 1).map(([value]) => value));
	}
}

/** A fixed shuffle for batch `n` (a small LCG): the same job gives the same order every run. */
function shuffle<T>(items: T[], n: number): T[] {
	const original = [...items];
	let seed = (n + 1) * 2654435761;
	for (let i = items.length - 1; i > 0; i--) {
		seed = (seed * 1103515245 + 12345) % 2147483648;
		const j = seed % (i + 1);
		[items[i], items[j]] = [items[j], items[i]];
	}
	// Never the input order: a client that matched results by position must fail its tests.
	if (items.length > 1 && items.every((item, index) => item === original[index]))
		items.push(items.shift() as T);
	return items;
}

function isBlank(record: string[]): boolean {
	return record.length === 1 && record[0] === '';
}

function fail(runtime: IngestRuntime, job: IngestJob, message: string): void {
	job.errorMessage = message;
	runtime.jobs.setState(job, 'Failed');
}

/** Reads the upload once to check its structure; returns the number of records. */
async function check(
	runtime: IngestRuntime,
	job: IngestJob,
	path: string,
): Promise<{ records: number; columns: Column[] }> {
	let records = 0;
	let columns: Column[] = [];
	await readCsvFile(path, job.format, (batch) => {
		for (const record of batch) {
			if (!job.header) {
				job.header = record;
				columns = planColumns(runtime.store, job, record);
				continue;
			}
			if (isBlank(record)) continue;
			records++;
			// silent: the wording for a row whose values do not match the header.
			if (record.length !== job.header.length)
				throw new CsvError(
					`ClientInputError : Row ${records} has ${record.length} values; the header has ${job.header.length} columns`,
				);
		}
	});
	if (!job.header) throw new CsvError('ClientInputError : The CSV data has no header row');
	return { records, columns };
}

export async function runIngestJob(runtime: IngestRuntime, job: IngestJob): Promise<void> {
	const { jobs } = runtime;
	const signal = job.stop.signal;
	await sleep(jobs.options.queueMs, signal);
	if (signal.aborted) return;
	jobs.setState(job, 'InProgress');
	// silent: the answer when a job is closed without data.
	if (!job.upload)
		return fail(runtime, job, 'ClientInputError : No data was uploaded for this job');
	let plan: { records: number; columns: Column[] };
	try {
		plan = await check(runtime, job, job.upload.path);
	} catch (error) {
		if (!(error instanceof CsvError)) throw error;
		job.malformed = true;
		return fail(runtime, job, error.message);
	}
	const header = job.header as string[];
	const successPath = jobs.files.path(`${job.id}-success.csv`);
	const failurePath = jobs.files.path(`${job.id}-failure.csv`);
	writeFileSync(successPath, csvLine(['sf__Id', 'sf__Created', ...header], job.format));
	writeFileSync(failurePath, csvLine(['sf__Id', 'sf__Error', ...header], job.format));
	job.successPath = successPath;
	job.failurePath = failurePath;

	const fault = jobs.takeFault();
	const runner = new BatchRunner(runtime, job, plan.columns);
	const batchSize = Math.max(1, jobs.options.batchSize);
	let batchNumber = 0;
	let pending: string[][] = [];
	let seenHeader = false;
	let stopped = false;

	const runBatch = async (records: string[][]) => {
		const context: WriteContext = { userId: job.createdById, now: jobs.clock.auditNow() };
		const duplicates = runner.duplicateKeys(records);
		const outcomes: RecordOutcome[] = [];
		for (const record of records) {
			if (fault && job.processed >= (fault.afterRecords ?? 0)) {
				stopped = true;
				break;
			}
			const outcome = runner.run(record, duplicates, context);
			outcomes.push(outcome);
			job.processed++;
			if (!outcome.ok) job.failed++;
		}
		// The batch is one transaction: its writes are committed (and their change events sent) now.
		runtime.observer.commit(bulkChangeOrigin(job.major));
		shuffle(outcomes, batchNumber++);
		const lines = (ok: boolean) =>
			outcomes
				.filter((outcome) => outcome.ok === ok)
				.map((outcome) => csvLine(outcome.values, job.format))
				.join('');
		appendFileSync(successPath, lines(true));
		appendFileSync(failurePath, lines(false));
		await yieldToRequests();
		if (signal.aborted) stopped = true;
	};

	await readCsvFile(job.upload.path, job.format, async (records) => {
		for (const record of records) {
			if (!seenHeader) {
				seenHeader = true;
				continue;
			}
			if (isBlank(record)) continue;
			pending.push(record);
			if (pending.length < batchSize) continue;
			const batch = pending;
			pending = [];
			await runBatch(batch);
			if (stopped) return false;
		}
		return true;
	});
	if (!stopped && pending.length > 0) await runBatch(pending);
	if (signal.aborted) return;
	// A fault past the last record fails the job once all are processed.
	if (fault) return fail(runtime, job, fault.errorMessage);
	await jobs.holdUntilDone(job, plan.records);
	if (!signal.aborted) jobs.setState(job, 'JobComplete');
}
