/**
 * The change trigger's poll, free of n8n and of HTTP: the node hands it the parameters, what it
 * stored last time and Salesforce's estimated now; the core answers with the requests to send, then
 * the records to emit and the state to store.
 *
 *     let step = startPoll({ watch, stored: staticData.changes, salesforceNow, activation });
 *     while (step.request) step = step.resume(await send(step.request));   // { body, date }
 *     staticData.changes = step.outcome.stored;
 *     if (step.outcome.lostDeletions) throw step.outcome.lostDeletions;     // as a NodeApiError
 *     return step.outcome.records.length > 0 ? [items] : null;
 *
 * Costs, in API requests: a poll 1 (a Composite request) while at most 2,000 rows changed since the
 * horizon, plus one per further 2,000 rows; the first poll 1 (plus the node's describe).
 */
import { type SalesforceRecord, withoutAttributes } from '../rest/records';
import { querySubrequest } from '../rest/composite';
import { sampleQuery } from './changeQueries';
import { type ChangeWatch, checkChangeWatch } from './changeWatch';
import { loadChangeState } from './changeState';
import {
	askComposite,
	failIfRefused,
	keyOf,
	outcome,
	type PollContext,
	type PollStep,
	queryPage,
} from './pollSteps';
import { pollChanges } from './readChanges';
import { pollDeletions } from './readDeletions';
import { windowEnd } from './replication';
import { sameSecond } from './salesforceTime';
import { startChanges, startDeletions } from './startTrigger';

/** Rows a poll reads before it stops and leaves the rest to the next poll (5 pages of 2,000). */
export const DEFAULT_MAX_RECORDS_PER_POLL = 10_000;

export interface PollInput {
	watch: ChangeWatch;
	/** What the node stored after its last poll (`outcome.stored`), or nothing. */
	stored: unknown;
	/** Salesforce's estimated now, epoch ms (SalesforceClock). */
	salesforceNow: number;
	/** n8n's activation poll: an error there fails the activation, so a lost window of deletions waits for the next poll. */
	activation?: boolean;
	/** Rows read per poll before it stops (the next poll goes on); DEFAULT_MAX_RECORDS_PER_POLL when omitted. */
	maxRecords?: number;
}

export function startPoll(input: PollInput): PollStep {
	const watch = checkChangeWatch(input.watch);
	const maxRecords =
		Number.isInteger(input.maxRecords) && (input.maxRecords as number) > 0
			? (input.maxRecords as number)
			: DEFAULT_MAX_RECORDS_PER_POLL;
	const context: PollContext = {
		watch,
		now: input.salesforceNow,
		end: windowEnd(input.salesforceNow),
		maxRecords,
		activation: input.activation === true,
		tally: { requests: 0 },
	};
	const loaded = loadChangeState(input.stored, watch.stateKey);
	if (!loaded.state)
		return watch.event === 'deleted'
			? startDeletions(context, loaded.fresh)
			: startChanges(context, loaded.fresh);
	// A lost window found by the activation poll is reported first, before anything is read.
	if (loaded.state.lostDeletions && !context.activation)
		return outcome(context, loaded.state, [], { caughtUp: false });
	return watch.event === 'deleted'
		? pollDeletions(context, loaded.state)
		: pollChanges(context, loaded.state);
}

export interface SampleInput {
	watch: ChangeWatch;
	/** How many of the latest matching records; 1 when omitted. */
	count?: number;
}

/** The updated event's sample reads this many rows to find updates among creations (SOQL cannot compare two fields). */
const UPDATED_SAMPLE_ROWS = 20;

/**
 * The editor's "Fetch Test Event": the latest matching record(s), shaped as a poll emits them. It
 * reads no state and stores none. One request.
 */
export function startSample(input: SampleInput): PollStep {
	const watch = checkChangeWatch(input.watch);
	const count =
		Number.isInteger(input.count) && (input.count as number) > 0 ? (input.count as number) : 1;
	const context: PollContext = {
		watch,
		now: 0,
		end: 0,
		maxRecords: count,
		activation: false,
		tally: { requests: 0 },
	};
	const what = `reading the latest ${watch.sobject} records`;
	const rows = watch.event === 'updated' ? Math.max(count, UPDATED_SAMPLE_ROWS) : count;
	const deleted = watch.event === 'deleted';
	return askComposite(
		context,
		[querySubrequest('sample', sampleQuery(watch, rows), { all: deleted })],
		what,
		(answers) => {
			const sample = answers.get('sample')!;
			failIfRefused(sample, watch, what);
			let records = queryPage(sample.body).records;
			if (watch.event === 'updated') {
				records = records.filter(
					(row) =>
						!sameSecond(
							keyOf(row, watch.stampField, what).stamp,
							keyOf(row, 'CreatedDate', what).stamp,
						),
				);
			}
			const shaped: SalesforceRecord[] = records.slice(0, count).map((row) =>
				deleted
					? {
							Id: row.Id,
							deletedDate: row.SystemModstamp,
							inRecycleBin: true,
							...withoutAttributes(row),
						}
					: withoutAttributes(row),
			);
			return { outcome: { records: shaped, requests: context.tally.requests, caughtUp: true } };
		},
	);
}
