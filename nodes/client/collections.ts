/**
 * Many records written at once through sObject Collections: one request per batch of up to 200
 * (POST/PATCH composite/sobjects, PATCH composite/sobjects/{object}/{external id field}, DELETE
 * composite/sobjects?ids=…), each counted once against the org's API requests. The requests and the
 * reading of their answers are the core's (../salesforce/rest/collections); here they are sent.
 *
 * With `allOrNone`, Salesforce undoes a batch in which any record fails; with
 * `stopAfterFailedBatch`, later batches are then never sent — so the outcome of every record is
 * known: written, failed (and why), rolled back, or not sent. Records Salesforce could not lock
 * are sent again on the retry schedule: the whole batch with all-or-none, else only them.
 */
import { sleep } from 'n8n-workflow';
import {
	checkApiName,
	collectionRequest,
	describeWrite,
	isLocked,
	planBatches,
	prepareRecords,
	readCollectionResults,
	refusedBatch,
	RETRY_DELAYS_MS,
	SalesforceRestError,
	type CollectionRecord,
	type RecordResult,
	type WriteRequest,
	type WriteResult,
} from '../salesforce';
import type { SalesforceConnection } from './connection';

/** Writes the records in batches; one result per record, in order. Refused input and authentication failures throw n8n errors. */
export async function writeRecords(
	connection: SalesforceConnection,
	request: WriteRequest,
): Promise<WriteResult[]> {
	let sobject: string;
	let externalIdField: string | undefined;
	let prepared: CollectionRecord[];
	let batches: ReturnType<typeof planBatches>;
	try {
		sobject = checkApiName(request.sobject, 'Object');
		if (request.operation === 'upsert')
			externalIdField = checkApiName(request.externalIdField, 'External ID Field');
		batches = planBatches(request.records.length, request.batchSize ?? 200);
		prepared = prepareRecords(request, sobject, externalIdField);
	} catch (error) {
		throw connection.nodeError(error);
	}
	const what = describeWrite(request.operation, sobject);
	const results: WriteResult[] = new Array<WriteResult>(prepared.length).fill('notSent');

	const send = async (
		records: CollectionRecord[],
		batch: number,
	): Promise<RecordResult[] | SalesforceRestError> => {
		const { method, path, qs, body } = collectionRequest(
			request.operation,
			sobject,
			externalIdField,
			records,
			request.allOrNone,
		);
		const { response, failure } = await connection.attempt({
			method,
			path,
			qs,
			body: body && { json: body },
			what,
			parameters: request.parameters,
		});
		return failure ?? readCollectionResults(response.body, records.length, batch, what);
	};

	/** One batch, with the records Salesforce could not lock sent again (all of them under all-or-none). */
	const writeBatch = async (
		records: CollectionRecord[],
		batch: number,
	): Promise<RecordResult[] | SalesforceRestError> => {
		let batchResults = await send(records, batch);
		for (const delay of RETRY_DELAYS_MS) {
			if (batchResults instanceof SalesforceRestError || !batchResults.some(isLocked))
				return batchResults;
			await sleep(delay);
			if (request.allOrNone) {
				batchResults = await send(records, batch);
				continue;
			}
			const locked = batchResults.flatMap((result, position) =>
				isLocked(result) ? [position] : [],
			);
			const again = await send(
				locked.map((position) => records[position]),
				batch,
			);
			if (again instanceof SalesforceRestError) return batchResults;
			const merged: RecordResult[] = batchResults;
			locked.forEach((position, index) => (merged[position] = again[index]));
		}
		return batchResults;
	};

	for (const batch of batches) {
		const records = prepared.slice(batch.from, batch.to);
		const batchResults = await writeBatch(records, batch.number);
		if (batchResults instanceof SalesforceRestError) {
			refusedBatch(batchResults, records.length, batch.number).forEach(
				(result, position) => (results[batch.from + position] = result),
			);
			if (request.stopAfterFailedBatch) return results;
			if (batchResults.dailyLimit) {
				// Every further request would be refused the same way (and count): the rest get this answer, unsent.
				for (const rest of batches.filter((later) => later.number > batch.number)) {
					refusedBatch(batchResults, rest.to - rest.from, rest.number).forEach(
						(result, position) => (results[rest.from + position] = result),
					);
				}
				return results;
			}
			continue;
		}
		batchResults.forEach((result, position) => (results[batch.from + position] = result));
		if (request.stopAfterFailedBatch && batchResults.some((result) => !result.success))
			return results;
	}
	return results;
}
