/**
 * Writes of many records go to Salesforce in batches through sObject Collections (at most 200
 * records a request, one API call each). When a write stops part-way, the error says exactly which
 * items were written (with their ids), which batch failed and why, and which were never sent.
 *
 * Items are named by n8n's Item Index (0 for the first input item), as the editor's error view does.
 */
import { capitalise } from '../text';
import {
	explainRecordErrors,
	invalidParameter,
	recordErrorsText,
	SalesforceRestError,
	type RequestParameters,
} from './restErrors';
import { describeWrite, type RecordResult, type WriteOperation, type WriteResult } from './writes';

/** sObject Collections take at most 200 records per request. */
export const MAX_COLLECTION_SIZE = 200;

export interface Batch {
	/** 1-based, as the error text counts them. */
	number: number;
	/** Index of its first record in the write, inclusive. */
	from: number;
	/** Index after its last record, exclusive. */
	to: number;
}

/** Splits `count` records into batches of `batchSize` (1–200), in order. */
export function planBatches(count: number, batchSize: number, parameter = 'Batch Size'): Batch[] {
	if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_COLLECTION_SIZE) {
		throw invalidParameter(
			parameter,
			`${String(batchSize)} is not a whole number from 1 to ${MAX_COLLECTION_SIZE}`,
			`Type how many records to send per request, 1 to ${MAX_COLLECTION_SIZE} (Salesforce's limit); ${MAX_COLLECTION_SIZE} spends the fewest API requests.`,
		);
	}
	if (!Number.isInteger(count) || count < 0)
		throw new RangeError(`planBatches: count must be a whole number, not ${String(count)}`);
	const batches: Batch[] = [];
	for (let from = 0; from < count; from += batchSize) {
		batches.push({ number: batches.length + 1, from, to: Math.min(count, from + batchSize) });
	}
	return batches;
}

/** The error code Salesforce gives the good records of a batch that all-or-none undid. */
export const ROLLED_BACK = 'ALL_OR_NONE_OPERATION_ROLLED_BACK';

/** "item 3", "items 0–199, 205": n8n Item Indexes, consecutive runs shortened. */
export function itemList(indexes: readonly number[]): string {
	const sorted = [...indexes].sort((a, b) => a - b);
	const runs: string[] = [];
	for (let start = 0; start < sorted.length; ) {
		let end = start;
		while (end + 1 < sorted.length && sorted[end + 1] === sorted[end] + 1) end++;
		runs.push(end === start ? String(sorted[start]) : `${sorted[start]}–${sorted[end]}`);
		start = end + 1;
	}
	return `${sorted.length === 1 ? 'item' : 'items'} ${runs.join(', ')}`;
}

const MAX_LISTED_IDS = 200;
const MAX_LISTED_FAILURES = 20;

export interface ItemOutcome {
	/** n8n's Item Index of the input item the record came from. */
	itemIndex: number;
	result: WriteResult;
}

export interface WriteOutcome {
	operation: WriteOperation;
	sobject: string;
	/** One per record, in the order they were written. */
	outcomes: readonly ItemOutcome[];
	/** Records per batch, to say "batch 2 of 5"; without it the count of batches is left out. */
	batchSize?: number;
	/** The node parameters the records came from: the fix names the one to change. */
	parameters?: RequestParameters;
	/** Batches of the whole write, when items naming one record make it differ from the records / batchSize. */
	batches?: number;
	/** Records named by several items (describeRepeat's words), listed so the repeats are plain. */
	repeats?: readonly string[];
}

function onlyRolledBack(result: RecordResult): boolean {
	return (
		!result.success &&
		result.errors.length > 0 &&
		result.errors.every((error) => error.statusCode === ROLLED_BACK)
	);
}

function realErrors(result: RecordResult) {
	return result.errors.filter((error) => error.statusCode !== ROLLED_BACK);
}

/**
 * The node error for a batch write that stopped part-way (or had failures): what was written (item
 * numbers and ids), which batch failed and why (each record's errors, or the request's), which
 * records all-or-none rolled back, and which were never sent.
 */
export function describeWriteOutcome(outcome: WriteOutcome): SalesforceRestError {
	const { operation, sobject, outcomes, batchSize, parameters, repeats = [] } = outcome;
	const done = operation === 'delete' ? 'deleted' : 'written';

	const written: ItemOutcome[] = [];
	const failed: ItemOutcome[] = [];
	const rolledBack: ItemOutcome[] = [];
	const refused: ItemOutcome[] = [];
	const notSent: ItemOutcome[] = [];
	for (const entry of outcomes) {
		const { result } = entry;
		if (result === 'notSent') notSent.push(entry);
		else if (result.success) written.push(entry);
		else if (result.batchError) refused.push(entry);
		else if (onlyRolledBack(result)) rolledBack.push(entry);
		else failed.push(entry);
	}

	const firstBad = outcomes.find(({ result }) => result !== 'notSent' && !result.success)
		?.result as RecordResult | undefined;
	const batchError =
		refused.length > 0 ? (refused[0].result as RecordResult).batchError : undefined;
	const firstError =
		failed.length > 0 ? realErrors(failed[0].result as RecordResult)[0] : undefined;
	const batchNumber = firstBad?.batch;
	const totalBatches =
		outcome.batches ??
		(batchSize && batchSize > 0 ? Math.ceil(outcomes.length / batchSize) : undefined);
	const where = batchNumber
		? ` at batch ${batchNumber}${totalBatches ? ` of ${totalBatches}` : ''}`
		: '';
	const theBatch = batchNumber ? `batch ${batchNumber}` : 'the failed batch';

	let why: string;
	// The batch's own error leads with "Creating Account records failed:" too: only its detail here.
	if (batchError) why = (batchError.detail ?? batchError.message).replace(/\.$/, '');
	else if (firstError) {
		why = `${itemList([failed[0].itemIndex])} failed (${recordErrorsText([firstError]).replace(/\.$/, '')})${failed.length > 1 ? ` and ${failed.length - 1} more` : ''}`;
	} else why = 'Salesforce did not write every record';
	const lead = capitalise(describeWrite(operation, sobject));
	const stopped = notSent.length > 0 ? `stopped${where}` : `failed${where}`;
	const message = `${lead} ${stopped}: ${why}. ${written.length} of ${outcomes.length} records were ${done}.`;

	const lines: string[] = [];
	if (written.length > 0) {
		const ids = written
			.slice(0, MAX_LISTED_IDS)
			.map(({ result }) => (result as RecordResult).id ?? '?');
		const more =
			written.length > MAX_LISTED_IDS ? `, … (${written.length - MAX_LISTED_IDS} more)` : '';
		lines.push(
			`${capitalise(done)}: ${itemList(written.map(({ itemIndex }) => itemIndex))} — ids in item order: ${ids.join(', ')}${more}.`,
		);
	} else {
		lines.push(`${capitalise(done)}: none.`);
	}
	if (failed.length > 0) {
		const listed = failed
			.slice(0, MAX_LISTED_FAILURES)
			.map(
				({ itemIndex, result }) =>
					`${itemList([itemIndex])}: ${recordErrorsText(realErrors(result as RecordResult))}`,
			);
		const more =
			failed.length > MAX_LISTED_FAILURES
				? `; and ${failed.length - MAX_LISTED_FAILURES} more items`
				: '';
		lines.push(`Failed in ${theBatch}: ${listed.join('; ')}${more}.`);
	}
	if (rolledBack.length > 0) {
		lines.push(
			`Rolled back with ${theBatch} (nothing wrong with them; all-or-none undid the whole batch): ${itemList(rolledBack.map(({ itemIndex }) => itemIndex))}.`,
		);
	}
	if (refused.length > 0) {
		lines.push(
			`Not ${done}: ${itemList(refused.map(({ itemIndex }) => itemIndex))} — Salesforce refused the whole request for ${theBatch}.`,
		);
	}
	lines.push(
		notSent.length > 0
			? `Never sent: ${itemList(notSent.map(({ itemIndex }) => itemIndex))}.`
			: 'Never sent: none.',
	);
	if (repeats.length > 0) {
		const more =
			repeats.length > MAX_LISTED_FAILURES
				? `; and ${repeats.length - MAX_LISTED_FAILURES} more records`
				: '';
		lines.push(
			`Named by several items (each record sent once per request): ${repeats.slice(0, MAX_LISTED_FAILURES).join('; ')}${more}.`,
		);
	}
	if (batchError) lines.push(batchError.description);
	else if (firstError)
		lines.push(
			`To fix ${firstError.statusCode}: ${explainRecordErrors([firstError], undefined, parameters).description}`,
		);
	lines.push(
		operation === 'create'
			? 'Then run again for the items not written only (or use Upsert on an external id, which is safe to run again). With "On Error: Continue", each item gets its own result instead.'
			: 'Then run again (items already written are simply written again). With "On Error: Continue", each item gets its own result instead.',
	);

	const code = batchError?.code ?? firstError?.statusCode ?? 'BATCH_FAILED';
	return new SalesforceRestError(code, message, lines.join('\n'), {
		httpStatus: batchError?.httpStatus,
		fields: batchError?.fields ?? firstError?.fields,
		dailyLimit: batchError?.dailyLimit,
	});
}

/**
 * One record's failure in a write, as its item's error: its own errors explained, or — when
 * Salesforce refused its whole batch — the batch's error told for this record, without repeating
 * the batch's lead ("Creating an Account record failed: a field in Fields is unknown…").
 */
export function explainRecordFailure(
	result: RecordResult,
	what: string,
	parameters?: RequestParameters,
): SalesforceRestError {
	const refusal = result.batchError;
	if (!refusal) return explainRecordErrors(result.errors, what, parameters);
	if (refusal.detail === undefined) return refusal;
	return new SalesforceRestError(
		refusal.code,
		`${capitalise(what)} failed: ${refusal.detail}.`,
		refusal.description,
		{
			httpStatus: refusal.httpStatus,
			fields: refusal.fields,
			retry: refusal.retry,
			dailyLimit: refusal.dailyLimit,
			detail: refusal.detail,
		},
	);
}
