import type { ObjectDef, StoredRecord } from './schema';
import type { RestContext } from './context';
import { allow } from './context';
import { restError } from './errors';
import { parseDateTime } from './values';
import { apiDateTime, dateTimeMs, floorToMinute } from '../clock';
import { sendJson } from '../http';

/**
 * sObject Get Updated and sObject Get Deleted (REST API Developer Guide; rules from the SOAP API's
 * getUpdated()/getDeleted() and "Data Replication", which the REST pages point to):
 *   GET sobjects/{X}/updated/?start=&end= -> {ids, latestDateCovered}
 *   GET sobjects/{X}/deleted/?start=&end= -> {deletedRecords: [{id, deletedDate}], earliestDateAvailable, latestDateCovered}
 * - start and end are UTC datetimes whose seconds are ignored ("12:30:15 and 12:35:15 ... between
 *   12:30:00 and 12:35:00 (UTC), inclusive": Polling for Changes); what changed is read from
 *   SystemModstamp (deletedDate too). Both must be URL-encoded: an unencoded `+` is a space.
 * - start must precede end by at least a minute, else 400 INVALID_REPLICATION_DATE with
 *   Salesforce's own (inverted) wording "startDate must be at least one minute greater than
 *   endDate" (seen by restforce, issue #667).
 * - getUpdated answers no more than 30 days back, getDeleted no more than 15 days back or since
 *   the Recycle Bin was last purged (`earliestDateAvailable`, "the timestamp of the last physically
 *   deleted object"); a start before either is INVALID_REPLICATION_DATE ("If the purge has been
 *   performed before your getDeleted() call is executed, an INVALID_REPLICATION_DATE error is
 *   returned").
 * - latestDateCovered is at most end; while a transaction is open it is "the start time of that
 *   long-running transaction until it completes" (GetUpdatedResult), and it never runs past the
 *   org's current minute: an end in the future is accepted, the answer covers up to now. Like the
 *   documented examples it falls on a whole minute.
 * - More than 600,000 ids (settable, so tests reach it with a few rows) is 400 EXCEEDED_ID_LIMIT.
 * - Deleted rows are not "updated"; an undeleted row is (its SystemModstamp moved).
 * Choices where the docs are silent are marked "silent".
 */

export const DEFAULT_REPLICATION_ID_LIMIT = 600_000;
const DAY_MS = 24 * 60 * 60 * 1000;
const UPDATED_DAYS = 30;
const DELETED_DAYS = 15;

/** What the replication resources remember: purge marks and the id limit. */
export class ReplicationState {
	idLimit = DEFAULT_REPLICATION_ID_LIMIT;
	/** object name -> the deletion time of its last physically deleted row (or a time set by a test). */
	private readonly purgedUpTo = new Map<string, number>();

	clear(): void {
		this.purgedUpTo.clear();
		this.idLimit = DEFAULT_REPLICATION_ID_LIMIT;
	}

	/** Rows deleted at these times left the Recycle Bin for good. */
	purged(object: ObjectDef, deletedAtMs: number[]): void {
		const latest = Math.max(this.purgedUpTo.get(object.name) ?? -Infinity, ...deletedAtMs);
		if (Number.isFinite(latest)) this.purgedUpTo.set(object.name, latest);
	}

	setEarliestDateAvailable(object: ObjectDef, ms: number): void {
		this.purgedUpTo.set(object.name, ms);
	}

	/** The 15-day window or the last purge, whichever is later. */
	earliestDateAvailable(object: ObjectDef, nowMs: number): number {
		return Math.max(
			this.purgedUpTo.get(object.name) ?? -Infinity,
			floorToMinute(nowMs - DELETED_DAYS * DAY_MS),
		);
	}
}

function replicationDateError(message: string) {
	return restError(400, 'INVALID_REPLICATION_DATE', message);
}

/** start or end, read as Salesforce does: UTC, seconds ignored. */
function windowDate(context: RestContext, name: 'start' | 'end'): number {
	const raw = context.url.searchParams.get(name);
	// silent: the answer to a missing or unreadable start/end.
	if (raw === null || raw === '')
		throw restError(
			400,
			'MISSING_ARGUMENT',
			`${name}: a date and time is required, e.g. 2026-12-04T10:00:00+00:00 (URL-encoded)`,
		);
	const parsed = parseDateTime(raw);
	if (!parsed)
		throw replicationDateError(
			`${name}: '${raw}' is not a valid date and time (yyyy-MM-ddTHH:mm:ss+HH:mm, URL-encoded)`,
		);
	return floorToMinute(dateTimeMs(parsed));
}

function stampOf(row: StoredRecord): number {
	return typeof row.SystemModstamp === 'string' ? dateTimeMs(row.SystemModstamp) : NaN;
}

export function handleReplication(
	context: RestContext,
	object: ObjectDef,
	kind: 'updated' | 'deleted',
): void {
	allow(context, 'GET');
	const { rest, clock } = context.org;
	const start = windowDate(context, 'start');
	const end = windowDate(context, 'end');
	const now = clock.now();
	if (start >= end)
		throw replicationDateError('startDate must be at least one minute greater than endDate');
	const earliest =
		kind === 'deleted'
			? rest.replication.earliestDateAvailable(object, now)
			: floorToMinute(now - UPDATED_DAYS * DAY_MS);
	// silent: the wording of both.
	if (start < earliest) {
		throw replicationDateError(
			kind === 'deleted'
				? `startDate is before the earliest date available, ${apiDateTime(earliest)}: deletions before it can no longer be replicated`
				: `startDate can not be more than ${UPDATED_DAYS} days ago`,
		);
	}
	const openSince = rest.oldestOpenTransactionStart();
	const latestDateCovered = Math.min(
		end,
		floorToMinute(now),
		openSince === undefined ? Infinity : floorToMinute(openSince),
	);

	const rows = rest.store.all(object, true).filter((row) => {
		const stamp = stampOf(row);
		return (row.IsDeleted === true) === (kind === 'deleted') && stamp >= start && stamp <= end;
	});
	// silent: the message.
	if (rows.length > rest.replication.idLimit) {
		throw restError(
			400,
			'EXCEEDED_ID_LIMIT',
			`More than ${rest.replication.idLimit} ids found; choose start and end dates that are closer together`,
		);
	}
	const body =
		kind === 'updated'
			? {
					ids: rows.map((row) => String(row.Id)),
					latestDateCovered: apiDateTime(latestDateCovered),
				}
			: {
					deletedRecords: rows.map((row) => ({
						id: String(row.Id),
						deletedDate: String(row.SystemModstamp),
					})),
					earliestDateAvailable: apiDateTime(earliest),
					latestDateCovered: apiDateTime(latestDateCovered),
				};
	sendJson(context.res, 200, body, context.headers);
}
