/**
 * A poll of created / createdOrUpdated / updated records: one Composite request —
 *
 *   1. getUpdated(S, E) — only its `latestDateCovered` L matters: every change stamped before L has
 *      committed. It runs first, so the query after it sees every such change.
 *   2. `SELECT … WHERE <stamp> >= H [AND conditions] ORDER BY <stamp>, Id` — every matching record
 *      stamped since the horizon, latest state.
 *
 * — then the query's further pages (2,000 rows each) only for bursts. A row whose key (Id + stamp to
 * the second) was seen is skipped; for `updated`, a row stamped in its creation's second is the
 * creation (Salesforce cannot tell them apart). The new horizon is max(H, L): everything stamped
 * before it has been read. A change committing late with an old stamp is stamped at or after L, so a
 * later poll still reads it; the keys kept are those at or after the new horizon.
 *
 * S is H floored to the minute, clamped into getUpdated's 30 days: a transaction open now started
 * after H (it was not open when H was set), and L accounts for transactions started within [S, E].
 */
import { querySubrequest, subrequestErrorCode } from '../rest/composite';
import type { SalesforceRecord } from '../rest/records';
import { withoutAttributes } from '../rest/records';
import { changesQuery } from './changeQueries';
import type { ChangeKeys, ChangeState } from './changeState';
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
} from './pollSteps';
import { readUpdatedAnswer, UPDATED_RETENTION_MS, updatedSubrequest } from './replication';
import { floorToMinute, MINUTE_MS, sameSecond } from './salesforceTime';

/**
 * How far back the first poll looks, and the first narrower window a poll asks getUpdated for when
 * its own holds more than 600,000 Ids (EXCEEDED_ID_LIMIT): the `latestDateCovered` of any window
 * reflects a long-running transaction ("the start time of that long-running transaction until it
 * completes"); the window only keeps the Id list short.
 */
export const LONGEST_TRANSACTION_WINDOW_MS = 15 * MINUTE_MS;

export function whatChanges(context: PollContext): string {
	return `reading the changes of ${context.watch.sobject}`;
}

export function pollChanges(context: PollContext, state: ChangeState): PollStep {
	const start = Math.min(
		Math.max(floorToMinute(state.horizon), context.end - UPDATED_RETENTION_MS),
		context.end - MINUTE_MS,
	);
	return askChanges(context, state, start);
}

/**
 * Asks getUpdated from `start`, then the query. When the window holds too many Ids, both are asked
 * again (the query must run after the getUpdated its horizon comes from) with a narrower window — 15
 * minutes, then one; when even that holds too many, this poll emits what it read and keeps its horizon.
 */
function askChanges(context: PollContext, state: ChangeState, start: number): PollStep {
	const { watch, end } = context;
	const what = whatChanges(context);
	const subrequests = [
		updatedSubrequest('coverage', watch.sobject, start, end),
		querySubrequest('changes', changesQuery(watch, state.horizon)),
	];
	return askComposite(context, subrequests, what, (answers, answer) => {
		const coverage = answers.get('coverage')!;
		const tooMany = subrequestErrorCode(coverage) === 'EXCEEDED_ID_LIMIT';
		const narrower = [end - LONGEST_TRANSACTION_WINDOW_MS, end - MINUTE_MS].find(
			(candidate) => candidate > start,
		);
		if (tooMany && narrower !== undefined) return askChanges(context, state, narrower);
		if (!tooMany) failIfRefused(coverage, watch, what, { replication: true });
		const changes = answers.get('changes')!;
		failIfRefused(changes, watch, what);
		const trusted = !tooMany && endWasPast(end, answer);
		const covered = trusted
			? readUpdatedAnswer(coverage.body, end, what).latestDateCovered
			: state.horizon;
		return new ChangeReader(context, state, covered).read(queryPage(changes.body));
	});
}

class ChangeReader {
	private readonly records: SalesforceRecord[] = [];
	private readonly seen: ChangeKeys;
	private rowsRead = 0;
	private lastStamp?: number;

	constructor(
		private readonly context: PollContext,
		private readonly state: ChangeState,
		/** Everything stamped before it has committed: latestDateCovered. */
		private readonly covered: number,
	) {
		this.seen = state.seen.from(state.horizon);
	}

	read(page: QueryPage): PollStep {
		for (const row of page.records) this.take(row);
		if (!page.next) return this.finish(true);
		if (this.rowsRead >= this.context.maxRecords && this.stopHelps()) return this.finish(false);
		return nextPage(this.context, page.next, (next) => this.read(next));
	}

	private take(row: SalesforceRecord): void {
		const { watch } = this.context;
		const { id, stamp } = keyOf(row, watch.stampField, whatChanges(this.context));
		this.rowsRead++;
		this.lastStamp = stamp;
		if (stamp < this.state.horizon || this.seen.has(id, stamp)) return;
		if (watch.event === 'updated') {
			// Stamped in its creation's second: the creation itself (not remembered; any read decides the same).
			const created = keyOf(row, 'CreatedDate', whatChanges(this.context)).stamp;
			if (sameSecond(created, stamp)) return;
		}
		this.seen.add(id, stamp);
		this.records.push(withoutAttributes(row));
	}

	/**
	 * Stopping at the cap must move the horizon, or the next poll would read the same rows again:
	 * when every row read so far sits in the horizon's second, read on. (While a long transaction
	 * holds latestDateCovered at or before the horizon, nothing moves it; the cap still bounds the
	 * poll, and the transaction's end lets the next polls go on.)
	 */
	private stopHelps(): boolean {
		const reachable = Math.min(this.covered, this.lastStamp ?? this.state.horizon);
		return reachable > this.state.horizon || this.covered <= this.state.horizon;
	}

	private finish(caughtUp: boolean): PollStep {
		const reached = caughtUp
			? this.covered
			: Math.min(this.covered, this.lastStamp ?? this.state.horizon);
		const horizon = Math.max(this.state.horizon, reached);
		const state: ChangeState = { ...this.state, horizon, seen: this.seen.from(horizon) };
		return outcome(this.context, state, this.records, { caughtUp });
	}
}
