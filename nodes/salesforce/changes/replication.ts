/**
 * Salesforce's data-replication resources, which tell how far its record of changes is complete:
 *
 * - `GET sobjects/{X}/updated/?start&end` → `{ids, latestDateCovered}` (≤ 30 days back).
 * - `GET sobjects/{X}/deleted/?start&end` → `{deletedRecords: [{id, deletedDate}], earliestDateAvailable,
 *   latestDateCovered}` (≤ 15 days back, less once the Recycle Bin is emptied or the log purged).
 *
 * Both ignore the seconds of start and end, and `latestDateCovered` "is less than or equal to endDate…
 * use this value for the startDate of your next call… If Salesforce executes a long-running
 * transaction on your instance, the value in this field is the start time of that long-running
 * transaction until it completes" (SOAP API, GetUpdatedResult): every change stamped before it has
 * committed and is visible. That is the trigger's guard against late commits: a change is stamped
 * when its transaction starts and becomes visible when it commits, possibly after later changes.
 * getDeleted's start "must chronologically precede the specified endDate value by more than one
 * minute" (SOAP API, getDeleted), getUpdated's must precede it.
 */
import { type CompositeSubrequest, restPath } from '../rest/composite';
import { SalesforceRestError } from '../rest/restErrors';
import {
	DAY_MS,
	floorToMinute,
	MINUTE_MS,
	parseSalesforceDateTime,
	replicationDateTime,
	SECOND_MS,
} from './salesforceTime';

/**
 * The end of a window: Salesforce's estimated now, less a margin for this machine's clock being
 * adjusted between two polls, floored to the minute. Never in Salesforce's future.
 */
export const CLOCK_MARGIN_MS = 2 * SECOND_MS;

export function windowEnd(salesforceNow: number): number {
	return floorToMinute(salesforceNow - CLOCK_MARGIN_MS);
}

/** getUpdated answers for 30 days back "from the day the call is executed": a day's margin. */
export const UPDATED_RETENTION_MS = 29 * DAY_MS;
/** getDeleted answers for 15 days back "from the day the call is executed": a day's margin. */
export const DELETED_RETENTION_MS = 14 * DAY_MS;
/** getDeleted's start must precede its end by more than one minute. */
export const DELETED_MIN_WINDOW_MS = 2 * MINUTE_MS;

export function updatedSubrequest(
	referenceId: string,
	sobject: string,
	start: number,
	end: number,
): CompositeSubrequest {
	return { method: 'GET', url: windowPath(sobject, 'updated', start, end), referenceId };
}

export function deletedSubrequest(
	referenceId: string,
	sobject: string,
	start: number,
	end: number,
): CompositeSubrequest {
	return { method: 'GET', url: windowPath(sobject, 'deleted', start, end), referenceId };
}

function windowPath(
	sobject: string,
	resource: 'updated' | 'deleted',
	start: number,
	end: number,
): string {
	const window = `start=${encodeURIComponent(replicationDateTime(start))}&end=${encodeURIComponent(replicationDateTime(end))}`;
	return restPath(`sobjects/${sobject}/${resource}/?${window}`);
}

function badAnswer(what: string, problem: string): SalesforceRestError {
	return new SalesforceRestError(
		'BAD_RESPONSE',
		`${what.charAt(0).toUpperCase()}${what.slice(1)} failed: Salesforce's answer ${problem}.`,
		"Run again; if it persists, check Salesforce's status (status.salesforce.com) and that n8n reaches the org's instance URL directly.",
	);
}

function objectOf(body: unknown, what: string): Record<string, unknown> {
	if (typeof body !== 'object' || body === null || Array.isArray(body))
		throw badAnswer(what, 'is not a JSON object');
	return body as Record<string, unknown>;
}

/** latestDateCovered; "if there is a value" — without one, the window's end is covered. */
function coveredUntil(answer: Record<string, unknown>, end: number, what: string): number {
	if (answer.latestDateCovered === undefined || answer.latestDateCovered === null) return end;
	const covered = parseSalesforceDateTime(answer.latestDateCovered);
	if (covered === undefined)
		throw badAnswer(
			what,
			`holds an unreadable latestDateCovered (${JSON.stringify(answer.latestDateCovered)})`,
		);
	return Math.min(covered, end);
}

export interface UpdatedAnswer {
	latestDateCovered: number;
}

export function readUpdatedAnswer(body: unknown, end: number, what: string): UpdatedAnswer {
	return { latestDateCovered: coveredUntil(objectOf(body, what), end, what) };
}

export interface DeletedEntry {
	id: string;
	deletedDate: number;
	/** As Salesforce wrote it, for the output. */
	deletedDateText: string;
}

export interface DeletedAnswer {
	entries: DeletedEntry[];
	earliestDateAvailable?: number;
	latestDateCovered: number;
}

export function readDeletedAnswer(body: unknown, end: number, what: string): DeletedAnswer {
	const answer = objectOf(body, what);
	const list = answer.deletedRecords ?? [];
	if (!Array.isArray(list)) throw badAnswer(what, 'holds no deletedRecords list');
	const entries: DeletedEntry[] = [];
	for (const item of list) {
		const { id, deletedDate } =
			typeof item === 'object' && item !== null ? (item as Record<string, unknown>) : {};
		const date = parseSalesforceDateTime(deletedDate);
		if (
			typeof id !== 'string' ||
			!/^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$/.test(id) ||
			date === undefined
		) {
			throw badAnswer(
				what,
				`lists a deleted record without a readable id and deletedDate (${JSON.stringify(item)})`,
			);
		}
		entries.push({ id, deletedDate: date, deletedDateText: deletedDate as string });
	}
	const earliest = answer.earliestDateAvailable;
	const earliestDateAvailable =
		earliest === undefined || earliest === null ? undefined : parseSalesforceDateTime(earliest);
	if (earliest !== undefined && earliest !== null && earliestDateAvailable === undefined) {
		throw badAnswer(
			what,
			`holds an unreadable earliestDateAvailable (${JSON.stringify(earliest)})`,
		);
	}
	return { entries, earliestDateAvailable, latestDateCovered: coveredUntil(answer, end, what) };
}
