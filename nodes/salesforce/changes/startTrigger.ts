/**
 * The first poll for a set of parameters (nothing stored, or a state of other parameters): it emits
 * nothing — nothing that happened before the trigger started is ever emitted — and sets the horizon
 * on Salesforce's clock. One Composite request:
 *
 * - created / updated: getUpdated(E − 15 min, E) → L; the keys (Id, stamp) of every record stamped
 *   since E − 15 min; the probe (the poll's fields and conditions, one row), so a field the user
 *   cannot read or a condition Salesforce refuses fails the activation, naming it.
 * - deleted: getDeleted(E − 15 min, E) → L and the log's entries; the probe on the Recycle Bin; the
 *   Recycle Bin's rows deleted since E (the log lists a minute only once it is over).
 *
 * The horizon is L: everything stamped before it has committed, so it happened before the start; the
 * keys at or after L are remembered, so no poll emits what was already there, while a change still
 * uncommitted now is emitted once it commits. L older than the window (a transaction open for long)
 * costs one more request, for the keys from L on.
 */
import { querySubrequest, subrequestErrorCode } from '../rest/composite';
import { probeQuery, recycleBinQuery, startKeysQuery } from './changeQueries';
import { ChangeKeys, type ChangeState, type FreshStart } from './changeState';
import {
	askComposite,
	endWasPast,
	failIfRefused,
	keyOf,
	nextPage,
	outcome,
	type PollContext,
	type PollStep,
	type QueryPage,
	queryPage,
	type SalesforceAnswer,
} from './pollSteps';
import { LONGEST_TRANSACTION_WINDOW_MS, whatChanges } from './readChanges';
import { whatDeletions } from './readDeletions';
import {
	DELETED_MIN_WINDOW_MS,
	deletedSubrequest,
	readDeletedAnswer,
	readUpdatedAnswer,
	updatedSubrequest,
	windowEnd,
} from './replication';
import { dateHeaderTime, floorToMinute, floorToSecond, MINUTE_MS } from './salesforceTime';

/** How far back the first poll looks: as far as a transaction open now can have started. */
export const START_WINDOW_MS = LONGEST_TRANSACTION_WINDOW_MS;

/** When this machine's clock proved wrong (the window ended in Salesforce's future), plan again from Salesforce's Date. */
function corrected(context: PollContext, answer: SalesforceAnswer): PollContext | undefined {
	if (context.replanned || endWasPast(context.end, answer)) return undefined;
	const now = dateHeaderTime(answer.date) as number;
	return { ...context, now, end: windowEnd(now), replanned: true };
}

/** A horizon never after the window Salesforce's own Date allows (should its clock have gone back since the plan). */
function beforeAnswer(answer: SalesforceAnswer, covered: number): number {
	const answeredAt = dateHeaderTime(answer.date);
	return floorToSecond(
		answeredAt === undefined ? covered : Math.min(covered, windowEnd(answeredAt)),
	);
}

function started(
	context: PollContext,
	fresh: FreshStart,
	horizon: number,
	seen: ChangeKeys,
): PollStep {
	const state: ChangeState = { key: context.watch.stateKey, horizon, seen: seen.from(horizon) };
	return outcome(context, state, [], { caughtUp: true, started: fresh });
}

export function startChanges(
	context: PollContext,
	fresh: FreshStart,
	coverageFrom = context.end - START_WINDOW_MS,
): PollStep {
	const { watch, end } = context;
	const what = whatChanges(context);
	const from = end - START_WINDOW_MS;
	const subrequests = [
		updatedSubrequest('coverage', watch.sobject, coverageFrom, end),
		querySubrequest('keys', startKeysQuery(watch, from)),
		querySubrequest('probe', probeQuery(watch, end)),
	];
	return askComposite(context, subrequests, what, (answers, answer) => {
		const coverage = answers.get('coverage')!;
		// More than 600,000 changes in 15 minutes: ask for the last minute's (latestDateCovered does not
		// depend on the window); more than that in one minute, the window's start is the horizon.
		const tooMany = subrequestErrorCode(coverage) === 'EXCEEDED_ID_LIMIT';
		if (tooMany && coverageFrom < end - MINUTE_MS)
			return startChanges(context, fresh, end - MINUTE_MS);
		if (!tooMany) failIfRefused(coverage, watch, what, { replication: true });
		failIfRefused(answers.get('keys')!, watch, what);
		failIfRefused(answers.get('probe')!, watch, what);
		const retry = corrected(context, answer);
		if (retry) return startChanges(retry, fresh);
		const horizon = beforeAnswer(
			answer,
			tooMany ? from : readUpdatedAnswer(coverage.body, end, what).latestDateCovered,
		);
		const seen = new ChangeKeys();
		const collect = (page: QueryPage): PollStep => {
			for (const row of page.records) {
				const { id, stamp } = keyOf(row, watch.stampField, what);
				if (stamp >= horizon) seen.add(id, stamp);
			}
			return page.next
				? nextPage(context, page.next, collect)
				: started(context, fresh, horizon, seen);
		};
		if (horizon >= from) return collect(queryPage(answers.get('keys')!.body));
		return askComposite(
			context,
			[querySubrequest('keys', startKeysQuery(watch, horizon))],
			what,
			(older) => {
				failIfRefused(older.get('keys')!, watch, what);
				return collect(queryPage(older.get('keys')!.body));
			},
		);
	});
}

export function startDeletions(
	context: PollContext,
	fresh: FreshStart,
	from = context.end - START_WINDOW_MS,
): PollStep {
	const { watch, end } = context;
	const what = whatDeletions(context);
	const subrequests = [
		deletedSubrequest('deletions', watch.sobject, from, end),
		querySubrequest('probe', probeQuery(watch, end), { all: true }),
		querySubrequest('recycleBin', recycleBinQuery(watch, end, { idsOnly: true }), { all: true }),
	];
	return askComposite(context, subrequests, what, (answers, answer) => {
		const deletions = answers.get('deletions')!;
		const code = subrequestErrorCode(deletions);
		const shortest = end - DELETED_MIN_WINDOW_MS;
		// The log purged within the window, or more than 600,000 deletions in it: the last minutes will do.
		if ((code === 'INVALID_REPLICATION_DATE' || code === 'EXCEEDED_ID_LIMIT') && from < shortest)
			return startDeletions(context, fresh, shortest);
		failIfRefused(deletions, watch, what, { replication: true });
		failIfRefused(answers.get('probe')!, watch, what);
		failIfRefused(answers.get('recycleBin')!, watch, what);
		const retry = corrected(context, answer);
		if (retry) return startDeletions(retry, fresh);
		const log = readDeletedAnswer(deletions.body, end, what);
		const horizon = beforeAnswer(answer, log.latestDateCovered);
		const seen = new ChangeKeys();
		const rememberLogged = (entries: typeof log.entries) => {
			for (const entry of entries)
				if (entry.deletedDate >= horizon) seen.add(entry.id, entry.deletedDate);
		};
		// Deletions since the window's end are not in the log's answer yet (its end is a whole minute
		// past): the Recycle Bin's rows, stamped when deleted, show the ones already made.
		const rememberBinned = (page: QueryPage): PollStep => {
			for (const row of page.records) {
				const { id, stamp } = keyOf(row, 'SystemModstamp', what);
				if (stamp >= horizon) seen.add(id, stamp);
			}
			return page.next
				? nextPage(context, page.next, rememberBinned)
				: started(context, fresh, horizon, seen);
		};
		const binned = queryPage(answers.get('recycleBin')!.body);
		if (horizon >= from) {
			rememberLogged(log.entries);
			return rememberBinned(binned);
		}
		const older = floorToMinute(horizon);
		return askComposite(
			context,
			[deletedSubrequest('deletions', watch.sobject, older, end)],
			what,
			(more) => {
				failIfRefused(more.get('deletions')!, watch, what, { replication: true });
				rememberLogged(readDeletedAnswer(more.get('deletions')!.body, end, what).entries);
				return rememberBinned(binned);
			},
		);
	});
}
