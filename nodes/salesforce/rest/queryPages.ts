/**
 * How a SOQL query's records come back: in pages of up to 2,000 (Sforce-Query-Options batchSize
 * asks for fewer, 200 at least; a hint Salesforce may lower), each page one API request, the next
 * one named by the answer's `nextRecordsUrl` until `done`.
 */
import { invalidParameter, SalesforceRestError } from './restErrors';

export const MIN_PAGE_SIZE = 200;
export const MAX_PAGE_SIZE = 2000;

/** Records per page to ask Salesforce for: a whole number from 200 to 2,000. */
export function checkPageSize(value: unknown, parameter = 'Page Size'): number {
	if (
		typeof value !== 'number' ||
		!Number.isInteger(value) ||
		value < MIN_PAGE_SIZE ||
		value > MAX_PAGE_SIZE
	) {
		throw invalidParameter(
			parameter,
			`${String(value)} is not a whole number from ${MIN_PAGE_SIZE} to ${MAX_PAGE_SIZE}`,
			`Type how many records Salesforce should return per request, ${MIN_PAGE_SIZE} to ${MAX_PAGE_SIZE}; ${MAX_PAGE_SIZE} spends the fewest API requests.`,
		);
	}
	return value;
}

/** How many records to return at most: a positive whole number. */
export function checkLimit(value: unknown, parameter = 'Limit'): number {
	if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
		throw invalidParameter(
			parameter,
			`${String(value)} is not a positive whole number`,
			'Type how many records to return at most, e.g. 50, or turn on Return All.',
		);
	}
	return value;
}

/** A next-page URL must be a query page of the same API: the session never follows anything else. */
export function nextPagePath(nextRecordsUrl: unknown): string | SalesforceRestError {
	if (
		typeof nextRecordsUrl !== 'string' ||
		!/^\/services\/data\/v\d+\.\d+\/query(All)?\/[A-Za-z0-9_-]+$/.test(nextRecordsUrl)
	) {
		return new SalesforceRestError(
			'BAD_RESPONSE',
			"Running the SOQL query failed: Salesforce's answer pointed to a next page that is not a query page of the API.",
			"Run again; if it persists, check that n8n reaches the org's instance URL directly (no proxy rewriting answers).",
		);
	}
	return nextRecordsUrl;
}
