/**
 * A SOQL query through the REST API: `query` (or `queryAll`, which adds the Recycle Bin and archived
 * activities), then each `nextRecordsUrl` until Salesforce says `done` or the limit is reached.
 * Each page (up to 2,000 records) is one API request. A session that ends between two pages is
 * replaced by n8n (one login, the page asked again); the cursor lives on in Salesforce.
 */
import {
	checkLimit,
	checkPageSize,
	nextPagePath,
	recordsOf,
	SalesforceRestError,
	type QueryResponse,
	type RequestParameters,
	type SalesforceRecord,
} from '../salesforce';
import type { SalesforceConnection } from './connection';

export interface QueryOptions {
	/** queryAll: deleted and archived records too. */
	includeDeleted?: boolean;
	/** Stop after this many records (the last page is cut); undefined = all. */
	limit?: number;
	/** Records per page Salesforce is asked for (Sforce-Query-Options batchSize, 200–2000; a hint it may lower). */
	batchSize?: number;
	/** The node parameters the query came from: errors name the one to change. */
	parameters?: RequestParameters;
}

/** All records of a SOQL query, as Salesforce returns them (attributes included), up to `limit`. */
export async function queryRecords(
	connection: SalesforceConnection,
	soql: string,
	options: QueryOptions = {},
): Promise<SalesforceRecord[]> {
	const { includeDeleted = false, limit, batchSize, parameters } = options;
	try {
		if (batchSize !== undefined) checkPageSize(batchSize);
		if (limit !== undefined) checkLimit(limit);
	} catch (error) {
		throw connection.nodeError(error);
	}
	const headers =
		batchSize !== undefined ? { 'Sforce-Query-Options': `batchSize=${batchSize}` } : undefined;
	const what = 'running the SOQL query';
	const records: SalesforceRecord[] = [];
	let pageNumber = 1;
	const pageOf = async (path: string, qs?: { q: string }) =>
		await connection.send<QueryResponse>({
			method: 'GET',
			path,
			qs,
			headers,
			parameters,
			what: pageNumber === 1 ? what : `${what} (page ${pageNumber})`,
		});
	let page = await pageOf(includeDeleted ? 'queryAll' : 'query', { q: soql });
	for (;;) {
		const body = page.body;
		records.push(...recordsOf(body));
		if (limit !== undefined && records.length >= limit) return records.slice(0, limit);
		if (body?.done !== false || body.nextRecordsUrl === undefined) return records;
		const next = nextPagePath(body.nextRecordsUrl);
		if (next instanceof SalesforceRestError) throw connection.nodeError(next);
		pageNumber++;
		page = await pageOf(next);
	}
}
