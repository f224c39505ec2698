/**
 * Create, Update, Upsert and Delete of many items at once: the records of all input items go to
 * Salesforce in sObject Collections requests (up to 200 records each, one API request per batch),
 * or — version 1.2 on, automatically above a threshold — as one Bulk API 2.0 job, not one request
 * per item. The output is the same either way: one item per input item, in input order.
 *
 * Collections without "On Error: Continue": each batch is all-or-none and the first failing batch
 * stops the write: Salesforce rolled that batch back and later batches are never sent, so the
 * error can say exactly which items were written (earlier batches) and which not. With it, each
 * record stands alone (allOrNone false) and every item carries its own result or error.
 *
 * Bulk API 2.0 has no all-or-none: every record stands alone. Without "On Error: Continue" the
 * node fails once the job is done, naming what was written and what failed; with it each item
 * carries its own result. A job Salesforce fails leaves the records it did not reach unwritten.
 *
 * Items naming the same record (the same Id, the same external ID value) never share a request: the
 * record is written once for repeats that write the same, in later rounds for repeats that differ
 * (repeatedRecords.ts), and every item gets its record's result.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { runIngestJobs, writeRecords, type SalesforceConnection } from '../../../client';
import { failedItem } from '../../../n8n';
import {
	capitalise,
	describeRepeat,
	describeWrite,
	describeWriteOutcome,
	explainJobFailed,
	explainRecordFailure,
	itemList,
	planBatches,
	planWriteRounds,
	recordIdKey,
	ROLLED_BACK,
	SalesforceRestError,
	sameValues,
	type BulkJobInfo,
	type RepeatedRecord,
	type WritePlan,
	type RequestParameters,
	type WriteOperation,
	type WriteResult,
	withDescriptionNote,
} from '../../../salesforce';
import { apiFor, readBatchSize, readWriteApi, type WriteApiChoice } from './common';

/** One input item's part of the write, read and checked before anything is sent. */
export interface PlannedWrite {
	sobject: string;
	/** For upsert: the external ID field the records are matched on. */
	externalIdField?: string;
	/** The record's fields (with `Id` for update); for delete, `{ Id }` only. */
	record: IDataObject;
}

export type PlanItem = (itemIndex: number) => PlannedWrite;

interface Group {
	sobject: string;
	externalIdField?: string;
	itemIndices: number[];
	records: IDataObject[];
}

/** Items of one object (and external ID field) go together; order within a group is kept. */
function groupWrites(planned: Array<{ itemIndex: number; write: PlannedWrite }>): Group[] {
	const groups = new Map<string, Group>();
	for (const { itemIndex, write } of planned) {
		const key = `${write.sobject}\u0000${write.externalIdField ?? ''}`;
		let group = groups.get(key);
		if (!group) {
			group = {
				sobject: write.sobject,
				externalIdField: write.externalIdField,
				itemIndices: [],
				records: [],
			};
			groups.set(key, group);
		}
		group.itemIndices.push(itemIndex);
		group.records.push(write.record);
	}
	return [...groups.values()];
}

/** What names the record an item writes: its Id (update, delete), its external ID value (upsert); nothing for create. */
function recordKeyOf(
	operation: WriteOperation,
	externalIdField: string | undefined,
): (record: IDataObject) => { key: string; shown: string } | undefined {
	return (record) => {
		if (operation === 'create') return undefined;
		if (operation === 'upsert') {
			const name = Object.keys(record).find(
				(field) => field.toLowerCase() === externalIdField?.toLowerCase(),
			);
			const value = name === undefined ? undefined : record[name];
			if (value === undefined || value === null || typeof value === 'object') return undefined;
			// Text external IDs match without case in Salesforce: "abc" and "ABC" are one record.
			return {
				key: String(value).toLowerCase(),
				shown: `${externalIdField as string} ${JSON.stringify(String(value))}`,
			};
		}
		return typeof record.Id === 'string'
			? { key: recordIdKey(record.Id), shown: record.Id }
			: undefined;
	};
}

/** Two items naming one record write the same: the same fields and values, whichever form of the Id they used. */
function sameWrite(a: IDataObject, b: IDataObject): boolean {
	const { Id: _a, ...aFields } = a;
	const { Id: _b, ...bFields } = b;
	void _a;
	void _b;
	return sameValues(aFields, bFields);
}

type GroupWrite =
	| {
			api: 'collections' | 'bulk';
			/** One per item of the group, in its order. */
			results: WriteResult[];
			/** Batches the group's write takes in all (every round); Collections only. */
			batches?: number;
			repeated: RepeatedRecord[];
			/** Items with an error of their own rather than Salesforce's result (Bulk: a value refused before sending, a record the job never reached). */
			errors: Map<number, SalesforceRestError>;
			/** The Bulk job that failed, when one did. */
			failedJob?: BulkJobInfo;
	  }
	/** Refused before anything was sent (a login refused, a bad batch size): the error stands for every item. */
	| { refused: unknown };

/**
 * The group's records, round after round (see repeatedRecords.ts), each item given its record's
 * result: through sObject Collections, or a Bulk API 2.0 job per round when the node's options
 * choose Bulk for this many records. Batch numbers run on across rounds. Without continue-on-fail
 * a failed round ends the write.
 */
async function writeGroup(
	this: IExecuteFunctions,
	salesforce: SalesforceConnection,
	operation: WriteOperation,
	group: Group,
	parameters: RequestParameters,
	apiChoice: WriteApiChoice,
): Promise<GroupWrite> {
	const plan = planWriteRounds(
		group.records,
		recordKeyOf(operation, group.externalIdField),
		sameWrite,
	);
	if (apiFor(apiChoice, group.records.length) === 'bulk')
		return await writeGroupInBulk.call(this, salesforce, operation, group, plan, apiChoice);
	const continueOnFail = this.continueOnFail();
	const batchSize = readBatchSize(this);
	const results = new Array<WriteResult>(group.records.length).fill('notSent');
	const batchesOf = (count: number) => planBatches(count, batchSize).length;
	let batches: number;
	try {
		batches = plan.rounds.reduce((sum, round) => sum + batchesOf(round.records.length), 0);
	} catch (error) {
		return { refused: error };
	}
	let batchesBefore = 0;
	for (const [roundIndex, round] of plan.rounds.entries()) {
		let sent: WriteResult[];
		try {
			sent = await writeRecords(salesforce, {
				operation,
				sobject: group.sobject,
				externalIdField: group.externalIdField,
				records: round.records,
				batchSize,
				allOrNone: !continueOnFail,
				stopAfterFailedBatch: !continueOnFail,
				parameters,
			});
		} catch (error) {
			// Refused before sending: in the first round nothing was written, so the error stands for
			// every item; in a later one, earlier rounds keep their results.
			if (roundIndex === 0) return { refused: error };
			const refusal = asRestError(error);
			for (const position of round.positions.flat()) {
				results[position] = {
					success: false,
					batchError: refusal,
					errors: [{ statusCode: refusal.code, message: refusal.message, fields: [] }],
				};
			}
			break;
		}
		sent.forEach((result, slot) => {
			const numbered =
				result !== 'notSent' && result.batch !== undefined
					? { ...result, batch: result.batch + batchesBefore }
					: result;
			for (const position of round.positions[slot]) results[position] = numbered;
		});
		batchesBefore += batchesOf(round.records.length);
		if (!continueOnFail && sent.some((result) => result === 'notSent' || !result.success)) break;
	}
	return { api: 'collections', results, batches, repeated: plan.repeated, errors: new Map() };
}

/** The group's rounds as Bulk API 2.0 jobs (usually one round: one job). */
async function writeGroupInBulk(
	this: IExecuteFunctions,
	salesforce: SalesforceConnection,
	operation: WriteOperation,
	group: Group,
	plan: WritePlan<IDataObject>,
	apiChoice: WriteApiChoice,
): Promise<GroupWrite> {
	const continueOnFail = this.continueOnFail();
	const results = new Array<WriteResult>(group.records.length).fill('notSent');
	const errors = new Map<number, SalesforceRestError>();
	for (const [roundIndex, round] of plan.rounds.entries()) {
		let outcome: Awaited<ReturnType<typeof runIngestJobs>>;
		try {
			outcome = await runIngestJobs(salesforce, {
				operation,
				sobject: group.sobject,
				externalIdField: group.externalIdField,
				records: round.records,
				maxWaitMs: apiChoice.maxWaitMs,
			});
		} catch (error) {
			if (roundIndex === 0) return { refused: error };
			const refusal = asRestError(error);
			for (const position of round.positions.flat()) errors.set(position, refusal);
			break;
		}
		outcome.results.forEach((result, slot) => {
			for (const position of round.positions[slot]) {
				if (result instanceof SalesforceRestError) {
					errors.set(position, result);
					results[position] = {
						success: false,
						errors: [{ statusCode: result.code, message: result.message, fields: result.fields }],
					};
				} else {
					results[position] = result;
				}
			}
		});
		if (outcome.failedJob)
			return {
				api: 'bulk',
				results,
				repeated: plan.repeated,
				errors,
				failedJob: outcome.failedJob,
			};
		if (!continueOnFail && results.some((result) => result !== 'notSent' && !result.success)) break;
	}
	return { api: 'bulk', results, repeated: plan.repeated, errors };
}

function asRestError(error: unknown): SalesforceRestError {
	if (error instanceof SalesforceRestError) return error;
	const { message, description } = error as { message?: unknown; description?: unknown };
	return new SalesforceRestError(
		'BATCH_FAILED',
		typeof message === 'string' ? message : String(error),
		typeof description === 'string' ? description : '',
	);
}

export async function writeAllItems(
	this: IExecuteFunctions,
	salesforce: SalesforceConnection,
	operation: WriteOperation,
	planItem: PlanItem,
	/** The operation's parameters, as the editor labels them: Salesforce's refusals name the one to change. */
	parameters: RequestParameters,
): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const continueOnFail = this.continueOnFail();
	const output: Array<INodeExecutionData | undefined> = new Array(items.length);

	// Read and check every item first: bad input is refused before any request is sent.
	const planned: Array<{ itemIndex: number; write: PlannedWrite }> = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			planned.push({ itemIndex, write: planItem(itemIndex) });
		} catch (error) {
			output[itemIndex] = failedItem.call(this, error, itemIndex);
		}
	}

	const batchSize = readBatchSize(this);
	const apiChoice = readWriteApi(this);
	const done = operation === 'delete' ? 'deleted' : 'written';
	// Records of the objects written before (when the object differs between items): a later
	// object's failure must still say what was written.
	const writtenBefore: Array<{ itemIndex: number; id: string }> = [];
	const failWith = (error: unknown, itemIndex: number) =>
		failedItem.call(this, withEarlierWrites(error, writtenBefore), itemIndex);
	for (const group of groupWrites(planned)) {
		const write = await writeGroup.call(this, salesforce, operation, group, parameters, apiChoice);
		if ('refused' in write) {
			// Nothing of this group was written: each item says so.
			for (const itemIndex of group.itemIndices)
				output[itemIndex] = failWith(write.refused, itemIndex);
			continue;
		}
		const { results, repeated, errors } = write;
		if (!continueOnFail && write.failedJob) {
			const firstNotProcessed =
				group.itemIndices[
					results.findIndex((result, position) => result === 'notSent' || errors.has(position))
				];
			failWith(
				explainJobFailed('ingest', write.failedJob, operation, group.sobject),
				firstNotProcessed ?? group.itemIndices[0],
			);
		}
		const repeats = repeated.map((repeat) => describeRepeat(repeat, group.itemIndices, done));
		const repeatOf = new Map(
			repeated.flatMap((repeat, index) =>
				repeat.positions.map((position) => [position, repeats[index]] as const),
			),
		);
		if (!continueOnFail && results.some((result) => result === 'notSent' || !result.success)) {
			const outcome = describeWriteOutcome({
				operation,
				sobject: group.sobject,
				outcomes: group.itemIndices.map((itemIndex, position) => ({
					itemIndex,
					result: results[position],
				})),
				batchSize: write.api === 'collections' ? batchSize : undefined,
				batches: write.batches,
				parameters,
				repeats,
			});
			// Items of earlier groups were written in full; the message names this group's items.
			// The editor points at the item whose own record failed (not one all-or-none rolled back with it).
			const failedItself = results.findIndex(
				(result) =>
					result !== 'notSent' &&
					!result.success &&
					result.errors.some((error) => error.statusCode !== ROLLED_BACK),
			);
			const firstFailed =
				group.itemIndices[
					failedItself >= 0
						? failedItself
						: results.findIndex((result) => result === 'notSent' || !result.success)
				];
			failWith(outcome, firstFailed);
		}
		group.itemIndices.forEach((itemIndex, position) => {
			const result = results[position];
			const ownError = errors.get(position);
			if (ownError) {
				output[itemIndex] = failedItem.call(this, ownError, itemIndex);
			} else if (result === 'notSent') {
				const reason = `${capitalise(describeWrite(operation, group.sobject, 1))} was not sent: an earlier batch failed and the write stopped there`;
				output[itemIndex] = failedItem.call(this, new Error(reason), itemIndex);
			} else if (result.success) {
				const json: IDataObject = {
					id: result.id ?? (group.records[position].Id as string | undefined),
					success: true,
				};
				if (operation === 'upsert') json.created = result.created ?? false;
				output[itemIndex] = { json, pairedItem: { item: itemIndex } };
				if (typeof json.id === 'string') writtenBefore.push({ itemIndex, id: json.id });
			} else {
				const failure = explainRecordFailure(
					result,
					describeWrite(operation, group.sobject, 1),
					parameters,
				);
				const repeat = repeatOf.get(position);
				output[itemIndex] = failedItem.call(
					this,
					repeat ? withDescriptionNote(failure, `Named by several items: ${repeat}.`) : failure,
					itemIndex,
				);
			}
		});
	}
	return [output.filter((item): item is INodeExecutionData => item !== undefined)];
}

/** The error, its description led by what earlier objects' writes already did (when any did). */
function withEarlierWrites(
	error: unknown,
	written: ReadonlyArray<{ itemIndex: number; id: string }>,
): unknown {
	if (written.length === 0) return error;
	const { message, description } = error as { message?: unknown; description?: unknown };
	const ids = written
		.slice(0, 200)
		.map(({ id }) => id)
		.join(', ');
	return new SalesforceRestError(
		'BATCH_FAILED',
		typeof message === 'string' ? message : String(error),
		`Written before, for other objects: ${itemList(written.map(({ itemIndex }) => itemIndex))} — ids in item order: ${ids}${written.length > 200 ? ', …' : ''}.${typeof description === 'string' ? `\n${description}` : ''}`,
	);
}
