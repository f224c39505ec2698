/**
 * Create, Update, Upsert and Delete of many items at once: the records of all input items go to
 * Salesforce in sObject Collections requests (up to 200 records each, one API request per batch),
 * not one request per item.
 *
 * Without "On Error: Continue" each batch is all-or-none and the first failing batch stops the
 * write: Salesforce rolled that batch back and later batches are never sent, so the error can say
 * exactly which items were written (earlier batches) and which not. With it, each record stands
 * alone (allOrNone false) and every item carries its own result or error.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { failedItem } from '../../../n8n';
import { describeWrite, describeWriteOutcome, explainRecordFailure, itemList, ROLLED_BACK, SalesforceRestError } from '../../../salesforce';
import type { RequestParameters, WriteResult } from '../../../salesforce';
import type { WriteOperation } from '../../transport';
import { writeRecords } from '../../transport';
import { readBatchSize } from './common';

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
	// Records of the objects written before (when the object differs between items): a later
	// object's failure must still say what was written.
	const writtenBefore: Array<{ itemIndex: number; id: string }> = [];
	const failWith = (error: unknown, itemIndex: number) => failedItem.call(this, withEarlierWrites(error, writtenBefore), itemIndex);
	for (const group of groupWrites(planned)) {
		let results: WriteResult[];
		try {
			results = await writeRecords.call(this, {
				operation,
				sobject: group.sobject,
				externalIdField: group.externalIdField,
				records: group.records,
				batchSize,
				allOrNone: !continueOnFail,
				stopAfterFailedBatch: !continueOnFail,
				parameters,
			});
		} catch (error) {
			// Nothing of this group was written (a refused login, a bad batch size): each item says so.
			for (const itemIndex of group.itemIndices) output[itemIndex] = failWith(error, itemIndex);
			continue;
		}
		if (!continueOnFail && results.some((result) => result === 'notSent' || !result.success)) {
			const outcome = describeWriteOutcome({
				operation,
				sobject: group.sobject,
				outcomes: group.itemIndices.map((itemIndex, position) => ({ itemIndex, result: results[position] })),
				batchSize,
				parameters,
			});
			// Items of earlier groups were written in full; the message names this group's items.
			// The editor points at the item whose own record failed (not one all-or-none rolled back with it).
			const failedItself = results.findIndex((result) => result !== 'notSent' && !result.success && result.errors.some((error) => error.statusCode !== ROLLED_BACK));
			const firstFailed = group.itemIndices[failedItself >= 0 ? failedItself : results.findIndex((result) => result === 'notSent' || !result.success)];
			failWith(outcome, firstFailed);
		}
		group.itemIndices.forEach((itemIndex, position) => {
			const result = results[position];
			if (result === 'notSent') {
				const reason = `${describeWrite(operation, group.sobject, 1).replace(/^./, (first) => first.toUpperCase())} was not sent: an earlier batch failed and the write stopped there`;
				output[itemIndex] = failedItem.call(this, new Error(reason), itemIndex);
			} else if (result.success) {
				const json: IDataObject = { id: result.id ?? (group.records[position].Id as string | undefined), success: true };
				if (operation === 'upsert') json.created = result.created ?? false;
				output[itemIndex] = { json, pairedItem: { item: itemIndex } };
				if (typeof json.id === 'string') writtenBefore.push({ itemIndex, id: json.id });
			} else {
				output[itemIndex] = failedItem.call(this, explainRecordFailure(result, describeWrite(operation, group.sobject, 1), parameters), itemIndex);
			}
		});
	}
	return [output.filter((item): item is INodeExecutionData => item !== undefined)];
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
