/**
 * A poll of deleted records: one Composite request —
 *
 *   1. getDeleted(S, E): the deleted-records log, authoritative even after the Recycle Bin is
 *      emptied — each entry (Id, deletedDate) is a deletion; its `latestDateCovered` guards late
 *      commits as getUpdated's does, its `earliestDateAvailable` says how far back the log still goes.
 *   2. `queryAll … WHERE IsDeleted = true AND SystemModstamp >= S [AND conditions]`: the fields the
 *      Recycle Bin still holds, for the records that match.
 *   3. With conditions only: the same without them, Ids only — a deleted record the Recycle Bin holds
 *      but (2) does not return does not match; one the Recycle Bin no longer holds (emptied, purged,
 *      hard-deleted or restored) cannot be checked against the conditions, and is emitted with
 *      `inRecycleBin: false` rather than dropped: a deletion the flow cannot rule out is one it must
 *      hear about.
 *
 * Each log entry at or after the horizon whose key (Id + deletedDate) was not seen is emitted once:
 * `{Id, deletedDate, inRecycleBin, …fields}`. A horizon older than the log (earliestDateAvailable
 * after it, the log's 15 days, or Salesforce refusing the start with INVALID_REPLICATION_DATE) means
 * lost deletions: the poll moves the horizon to what the log holds, emits nothing, and reports the
 * lost window; the next polls emit what is held.
 */
import { querySubrequest, subrequestErrorCode, type SubrequestAnswer } from '../rest/composite';
import { type SalesforceRecord, withoutAttributes } from '../rest/records';
import { recycleBinQuery } from './changeQueries';
import type { ChangeState } from './changeState';
import {
	askComposite,
	endWasPast,
	failIfRefused,
	nextPage,
	outcome,
	type PollContext,
	type PollStep,
	type QueryPage,
	queryPage,
	unionOf,
} from './pollSteps';
import {
	type DeletedAnswer,
	type DeletedEntry,
	DELETED_MIN_WINDOW_MS,
	DELETED_RETENTION_MS,
	deletedSubrequest,
	readDeletedAnswer,
} from './replication';
import {
	ceilToMinute,
	floorToMinute,
	floorToSecond,
	parseSalesforceDateTime,
	SECOND_MS,
} from './salesforceTime';

export function whatDeletions(context: PollContext): string {
	return `reading the deletions of ${context.watch.sobject}`;
}

export function pollDeletions(context: PollContext, state: ChangeState): PollStep {
	const oldestHeld = context.end - DELETED_RETENTION_MS;
	if (state.horizon < oldestHeld) return lose(context, state, floorToMinute(oldestHeld));
	const start = Math.min(floorToMinute(state.horizon), context.end - DELETED_MIN_WINDOW_MS);
	return askDeletions(context, state, start, context.end);
}

function askDeletions(
	context: PollContext,
	state: ChangeState,
	start: number,
	end: number,
): PollStep {
	const { watch } = context;
	const what = whatDeletions(context);
	const subrequests = [
		deletedSubrequest('deletions', watch.sobject, start, end),
		querySubrequest('recycleBin', recycleBinQuery(watch, start), { all: true }),
		...(watch.conditions.length > 0
			? [
					querySubrequest('recycleBinIds', recycleBinQuery(watch, start, { idsOnly: true }), {
						all: true,
					}),
				]
			: []),
	];
	return askComposite(context, subrequests, what, (answers, answer) => {
		const deletions = answers.get('deletions')!;
		const code = subrequestErrorCode(deletions);
		if (code === 'INVALID_REPLICATION_DATE')
			return start < context.end - DELETED_MIN_WINDOW_MS
				? askHeldFrom(context, state)
				: waitForLog(context, state);
		if (code === 'EXCEEDED_ID_LIMIT') {
			// More than 600,000 deletions in the window: read its first half now, the rest at the next polls.
			// In the shortest window Salesforce takes, they cannot be listed at all.
			if (end - start < 2 * DELETED_MIN_WINDOW_MS) return lose(context, state, end);
			return askDeletions(
				context,
				state,
				start,
				start + Math.max(DELETED_MIN_WINDOW_MS, floorToMinute((end - start) / 2)),
			);
		}
		failIfRefused(deletions, watch, what, { replication: true });
		for (const id of ['recycleBin', 'recycleBinIds'])
			if (answers.has(id)) failIfRefused(answers.get(id)!, watch, what);
		const log = readDeletedAnswer(deletions.body, end, what);
		if (
			log.earliestDateAvailable !== undefined &&
			floorToSecond(log.earliestDateAvailable) > state.horizon
		) {
			return lose(context, state, ceilToMinute(log.earliestDateAvailable));
		}
		const covered = endWasPast(end, answer) ? log.latestDateCovered : state.horizon;
		return new DeletionReader(context, state, log, covered).read(answers);
	});
}

/**
 * Salesforce refused the window's start (INVALID_REPLICATION_DATE: the log was purged after it). A
 * window of the last minutes shows how far back the log now goes (its earliestDateAvailable).
 */
function askHeldFrom(context: PollContext, state: ChangeState): PollStep {
	const { watch, end } = context;
	const what = whatDeletions(context);
	const start = end - DELETED_MIN_WINDOW_MS;
	return askComposite(
		context,
		[deletedSubrequest('deletions', watch.sobject, start, end)],
		what,
		(answers) => {
			const deletions = answers.get('deletions')!;
			if (subrequestErrorCode(deletions) === 'INVALID_REPLICATION_DATE')
				return waitForLog(context, state);
			failIfRefused(deletions, watch, what, { replication: true });
			const earliest = readDeletedAnswer(deletions.body, end, what).earliestDateAvailable;
			const heldFrom =
				earliest !== undefined && ceilToMinute(earliest) > state.horizon
					? ceilToMinute(earliest)
					: start;
			return lose(context, state, heldFrom);
		},
	);
}

/**
 * Salesforce refuses even a window of the last minutes: its log was purged moments ago. Nothing moves;
 * the next poll asks again, and by then the log's earliestDateAvailable tells what was lost.
 */
function waitForLog(context: PollContext, state: ChangeState): PollStep {
	return outcome(context, state, [], { caughtUp: false });
}

/** Deletions before `heldFrom` are lost: move there, emit nothing, report the window (see pollSteps' outcome). */
function lose(context: PollContext, state: ChangeState, heldFrom: number): PollStep {
	if (heldFrom <= state.horizon) return waitForLog(context, state);
	const horizon = Math.max(state.horizon, heldFrom);
	const lostDeletions = unionOf(state.lostDeletions, { from: state.horizon, to: horizon });
	return outcome(
		context,
		{ ...state, horizon, seen: state.seen.from(horizon), lostDeletions },
		[],
		{ caughtUp: false },
	);
}

/** A deletion's key: the 15-character Id and the second it was deleted. */
function deletionKey(entry: DeletedEntry): string {
	return `${entry.id.slice(0, 15)}@${floorToSecond(entry.deletedDate)}`;
}

class DeletionReader {
	/** The deletions this poll emits (or finds not matching), in (deletedDate, Id) order. */
	private readonly taken: DeletedEntry[];
	private readonly capped: boolean;
	/** Every deletion the log listed, by record: a record restored and deleted again has several. */
	private readonly deletionsOf = new Map<string, DeletedEntry[]>();
	/** Recycle Bin rows matching the conditions, and (with conditions) the Ids of all its rows, by the deletion they belong to. */
	private readonly inBin = new Map<string, SalesforceRecord>();
	private readonly binKeys = new Set<string>();

	constructor(
		private readonly context: PollContext,
		private readonly state: ChangeState,
		log: DeletedAnswer,
		private readonly covered: number,
	) {
		const byKey = new Map<string, DeletedEntry>();
		for (const entry of log.entries) {
			const id = entry.id.slice(0, 15);
			this.deletionsOf.set(
				id,
				[...(this.deletionsOf.get(id) ?? []), entry].sort((a, b) => a.deletedDate - b.deletedDate),
			);
			const second = floorToSecond(entry.deletedDate);
			if (second < state.horizon || state.seen.has(entry.id, second)) continue;
			byKey.set(deletionKey(entry), entry);
		}
		const candidates = [...byKey.values()].sort(
			(a, b) => a.deletedDate - b.deletedDate || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
		);
		// At the cap, take the whole second of the last one taken: the next poll starts after it.
		const cut =
			candidates.length > context.maxRecords
				? floorToSecond(candidates[context.maxRecords - 1].deletedDate)
				: undefined;
		this.taken =
			cut === undefined
				? candidates
				: candidates.filter((entry) => floorToSecond(entry.deletedDate) <= cut);
		this.capped = cut !== undefined;
	}

	/**
	 * The deletion a Recycle Bin row belongs to: the record's latest listed deletion stamped at or
	 * before the row's SystemModstamp (a record restored and deleted again has one row, its latest
	 * deletion's). With `sameSecond`, only the deletion stamped in the row's own second: a row of a
	 * later deletion (made while the poll ran, not listed yet) says nothing about whether this one
	 * matched the conditions.
	 */
	private ownerOf(
		row: SalesforceRecord,
		options: { sameSecond?: boolean } = {},
	): string | undefined {
		if (typeof row.Id !== 'string') return undefined;
		const deletions = this.deletionsOf.get(row.Id.slice(0, 15));
		if (!deletions) return undefined;
		const stamp = parseSalesforceDateTime(row.SystemModstamp);
		if (stamp === undefined)
			return options.sameSecond ? undefined : deletionKey(deletions[deletions.length - 1]);
		const owner = options.sameSecond
			? deletions.find((entry) => floorToSecond(entry.deletedDate) === floorToSecond(stamp))
			: ([...deletions].reverse().find((entry) => floorToSecond(entry.deletedDate) <= stamp) ??
				deletions[0]);
		return owner && deletionKey(owner);
	}

	read(answers: Map<string, SubrequestAnswer>): PollStep {
		const rows = queryPage(answers.get('recycleBin')!.body);
		const ids = answers.has('recycleBinIds')
			? queryPage(answers.get('recycleBinIds')!.body)
			: undefined;
		return this.readBin(rows, ids);
	}

	private missing(): DeletedEntry[] {
		return this.taken.filter((entry) => !this.inBin.has(deletionKey(entry)));
	}

	private readBin(page: QueryPage, ids: QueryPage | undefined): PollStep {
		for (const row of page.records) {
			const owner = this.ownerOf(row);
			if (owner) this.inBin.set(owner, row);
		}
		if (page.next && this.missing().length > 0)
			return nextPage(this.context, page.next, (next) => this.readBin(next, ids));
		return ids ? this.readIds(ids) : this.finish();
	}

	private readIds(page: QueryPage): PollStep {
		for (const row of page.records) {
			const owner = this.ownerOf(row, { sameSecond: true });
			if (owner) this.binKeys.add(owner);
		}
		const unknown = this.missing().some((entry) => !this.binKeys.has(deletionKey(entry)));
		if (page.next && unknown)
			return nextPage(this.context, page.next, (next) => this.readIds(next));
		return this.finish();
	}

	private finish(): PollStep {
		const seen = this.state.seen.from(this.state.horizon);
		const records: SalesforceRecord[] = [];
		const filtered = this.context.watch.conditions.length > 0;
		for (const entry of this.taken) {
			seen.add(entry.id, entry.deletedDate);
			const row = this.inBin.get(deletionKey(entry));
			if (row)
				records.push({
					Id: row.Id,
					deletedDate: entry.deletedDateText,
					inRecycleBin: true,
					...withoutAttributes(row),
				});
			else if (!(filtered && this.binKeys.has(deletionKey(entry))))
				records.push({ Id: entry.id, deletedDate: entry.deletedDateText, inRecycleBin: false });
		}
		const last = this.taken[this.taken.length - 1];
		const reached =
			this.capped && last
				? Math.min(this.covered, floorToSecond(last.deletedDate) + SECOND_MS)
				: this.covered;
		const horizon = Math.max(this.state.horizon, reached);
		return outcome(this.context, { ...this.state, horizon, seen: seen.from(horizon) }, records, {
			caughtUp: !this.capped,
		});
	}
}
