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
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { runIngestJobs, writeRecords, type IngestResult, type SalesforceConnection } from '../../../client';
import { failedItem } from '../../../n8n';
import {
	capitalise,
	describeWrite,
	describeWriteOutcome,
	explainJobFailed,
	explainRecordErrors,
	itemList,
	ROLLED_BACK,
	SalesforceRestError,
	type WriteOperation,
	type WriteResult,
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
			group = { sobject: write.sobject, externalIdField: write.externalIdField, itemIndices: [], records: [] };
			groups.set(key, group);
		}
		group.itemIndices.push(itemIndex);
		group.records.push(write.record);
	}
	return [...groups.values()];
}

export async function writeAllItems(
	this: IExecuteFunctions,
	salesforce: SalesforceConnection,
	operation: WriteOperation,
	planItem: PlanItem,
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
	// Records of the objects written before (when the object differs between items): a later
	// object's failure must still say what was written.
	const writtenBefore: Array<{ itemIndex: number; id: string }> = [];
	const failWith = (error: unknown, itemIndex: number) => failedItem.call(this, withEarlierWrites(error, writtenBefore), itemIndex);
	for (const group of groupWrites(planned)) {
		let written: GroupWrite;
		try {
			written = await writeGroup(salesforce, operation, group, { batchSize, apiChoice, continueOnFail });
		} catch (error) {
			// Nothing of this group was written (a refused login, a bad batch size): each item says so.
			for (const itemIndex of group.itemIndices) output[itemIndex] = failWith(error, itemIndex);
			continue;
		}
		const { results, errors } = written;
		if (!continueOnFail && written.failedJob) {
			const firstNotProcessed = group.itemIndices[results.findIndex((result, position) => result === 'notSent' || errors.has(position))];
			failWith(explainJobFailed('ingest', written.failedJob, operation, group.sobject), firstNotProcessed ?? group.itemIndices[0]);
		}
		if (!continueOnFail && results.some((result) => result === 'notSent' || !result.success)) {
			const outcome = describeWriteOutcome({
				operation,
				sobject: group.sobject,
				outcomes: group.itemIndices.map((itemIndex, position) => ({ itemIndex, result: results[position] })),
				batchSize: written.api === 'collections' ? batchSize : undefined,
			});
			// Items of earlier groups were written in full; the message names this group's items.
			// The editor points at the item whose own record failed (not one all-or-none rolled back with it).
			const failedItself = results.findIndex((result) => result !== 'notSent' && !result.success && result.errors.some((error) => error.statusCode !== ROLLED_BACK));
			const firstFailed = group.itemIndices[failedItself >= 0 ? failedItself : results.findIndex((result) => result === 'notSent' || !result.success)];
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
				const json: IDataObject = { id: result.id ?? (group.records[position].Id as string | undefined), success: true };
				if (operation === 'upsert') json.created = result.created ?? false;
				output[itemIndex] = { json, pairedItem: { item: itemIndex } };
				if (typeof json.id === 'string') writtenBefore.push({ itemIndex, id: json.id });
			} else {
				output[itemIndex] = failedItem.call(this, explainRecordErrors(result.errors, describeWrite(operation, group.sobject, 1)), itemIndex);
			}
		});
	}
	return [output.filter((item): item is INodeExecutionData => item !== undefined)];
}

interface GroupWrite {
	api: 'collections' | 'bulk';
	/** One per record of the group, in its order. */
	results: WriteResult[];
	/** Records with an error of their own rather than Salesforce's result (Bulk: a value refused before sending, a record the job never reached). */
	errors: Map<number, SalesforceRestError>;
	/** The Bulk job that failed, when one did. */
	failedJob?: Parameters<typeof explainJobFailed>[1];
}

/** One object's records, through the API the node's options choose for their number. */
async function writeGroup(
	salesforce: SalesforceConnection,
	operation: WriteOperation,
	group: Group,
	settings: { batchSize: number; apiChoice: WriteApiChoice; continueOnFail: boolean },
): Promise<GroupWrite> {
	const { batchSize, apiChoice, continueOnFail } = settings;
	const api = apiFor(apiChoice, group.records.length);
	if (api === 'collections') {
		const results = await writeRecords(salesforce, {
			operation,
			sobject: group.sobject,
			externalIdField: group.externalIdField,
			records: group.records,
			batchSize,
			allOrNone: !continueOnFail,
			stopAfterFailedBatch: !continueOnFail,
		});
		return { api, results, errors: new Map() };
	}
	const outcome = await runIngestJobs(salesforce, {
		operation,
		sobject: group.sobject,
		externalIdField: group.externalIdField,
		records: group.records,
		maxWaitMs: apiChoice.maxWaitMs,
	});
	const errors = new Map<number, SalesforceRestError>();
	const results = outcome.results.map((result: IngestResult, position): WriteResult => {
		if (!(result instanceof SalesforceRestError)) return result;
		errors.set(position, result);
		return { success: false, errors: [{ statusCode: result.code, message: result.message, fields: result.fields }] };
	});
	return { api, results, errors, failedJob: outcome.failedJob };
}

/** The error, its description led by what earlier objects' writes already did (when any did). */
function withEarlierWrites(error: unknown, written: ReadonlyArray<{ itemIndex: number; id: string }>): unknown {
	if (written.length === 0) return error;
	const { message, description } = error as { message?: unknown; description?: unknown };
	const ids = written.slice(0, 200).map(({ id }) => id).join(', ');
	return new SalesforceRestError(
		'BATCH_FAILED',
		typeof message === 'string' ? message : String(error),
		`Written before, for other objects: ${itemList(written.map(({ itemIndex }) => itemIndex))} — ids in item order: ${ids}${written.length > 200 ? ', …' : ''}.${typeof description === 'string' ? `\n${description}` : ''}`,
	);
}
