/**
 * A SOQL query through the REST API: `query` (or `queryAll`, which adds the Recycle Bin and archived
 * activities), then each `nextRecordsUrl` until Salesforce says `done` or the limit is reached.
 * Each page (up to 2,000 records) is one API request. A session that ends between two pages is
 * replaced by n8n (one login, the page asked again); the cursor lives on in Salesforce.
 */
import { toNodeError } from '../../n8n';
import { invalidParameter, recordsOf, SalesforceRestError, type QueryResponse, type RequestParameters, type SalesforceRecord } from '../../salesforce';
import type { TransportContext } from './context';
import { sendRestRequest, type RestResponse } from './request';

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

const MIN_PAGE = 200;
const MAX_PAGE = 2000;

/** A next-page URL must be a path of the same API: the session never follows anything else. */
function nextPagePath(nextRecordsUrl: unknown): string | SalesforceRestError {
	if (typeof nextRecordsUrl !== 'string' || !/^\/services\/data\/v\d+\.\d+\/query(All)?\/[A-Za-z0-9_-]+$/.test(nextRecordsUrl)) {
		return new SalesforceRestError(
			'BAD_RESPONSE',
			'Running the SOQL query failed: Salesforce\'s answer pointed to a next page that is not a query page of the API.',
			'Run again; if it persists, check that n8n reaches the org\'s instance URL directly (no proxy rewriting answers).',
		);
	}
	return nextRecordsUrl;
}

/** All records of a SOQL query, as Salesforce returns them (attributes included), up to `limit`. */
export async function queryRecords(this: TransportContext, soql: string, options: QueryOptions = {}): Promise<SalesforceRecord[]> {
	const { includeDeleted = false, limit, batchSize, parameters } = options;
	const node = this.getNode();
	if (batchSize !== undefined && (!Number.isInteger(batchSize) || batchSize < MIN_PAGE || batchSize > MAX_PAGE)) {
		throw toNodeError(node, invalidParameter('Page Size', `${String(batchSize)} is not a whole number from ${MIN_PAGE} to ${MAX_PAGE}`, `Type how many records Salesforce should return per request, ${MIN_PAGE} to ${MAX_PAGE}; ${MAX_PAGE} spends the fewest API requests.`));
	}
	if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
		throw toNodeError(node, invalidParameter('Limit', `${String(limit)} is not a positive whole number`, 'Type how many records to return at most, e.g. 50, or turn on Return All.'));
	}
	const headers = batchSize !== undefined ? { 'Sforce-Query-Options': `batchSize=${batchSize}` } : undefined;
	const what = 'running the SOQL query';
	const records: SalesforceRecord[] = [];
	let pageNumber = 1;
	const pageOf = async (path: string, qs?: { q: string }): Promise<RestResponse> => {
		const { response, failure } = await sendRestRequest(this, { method: 'GET', path, qs, headers, parameters, what: pageNumber === 1 ? what : `${what} (page ${pageNumber})` });
		if (failure) throw toNodeError(node, failure);
		return response;
	};
	let page = await pageOf(includeDeleted ? 'queryAll' : 'query', { q: soql });
	for (;;) {
		const body = page.body as QueryResponse;
		records.push(...recordsOf(body));
		if (limit !== undefined && records.length >= limit) return records.slice(0, limit);
		if (body?.done !== false || body.nextRecordsUrl === undefined) return records;
		const next = nextPagePath(body.nextRecordsUrl);
		if (next instanceof SalesforceRestError) throw toNodeError(node, next);
		pageNumber++;
		page = await pageOf(next);
	}
}
