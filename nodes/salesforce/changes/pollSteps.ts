/**
 * A poll as a sequence of requests the core asks for and the node sends: the core never talks HTTP.
 * Each step is either a request (with `resume`, which takes Salesforce's answer and gives the next
 * step) or the outcome. The node's loop is:
 *
 *     let step = startPoll({...});
 *     while (step.request) step = step.resume(await send(step.request));
 *     const { records, stored, lostDeletions } = step.outcome;
 */
import { errorFor } from './lostDeletions';
import {
	compositeBody,
	COMPOSITE_PATH,
	type CompositeRequestBody,
	type CompositeSubrequest,
	readCompositeAnswer,
	subrequestFailure,
	type SubrequestAnswer,
} from '../rest/composite';
import { explainCode } from '../rest/errorCodes';
import { resolveApiPath } from '../rest/apiPath';
import { recordsOf, type SalesforceRecord } from '../rest/records';
import { SalesforceRestError } from '../rest/restErrors';
import { REST_API_VERSION } from '../login/sessionCheck';
import type { CheckedWatch } from './changeWatch';
import {
	type ChangeState,
	type FreshStart,
	type LostWindow,
	storeChangeState,
	type StoredChangeState,
} from './changeState';
import { dateHeaderTime, floorToSecond, parseSalesforceDateTime } from './salesforceTime';

export interface SalesforceRequest {
	method: 'GET' | 'POST';
	/** On the org's instance: `/services/data/v62.0/composite`, or a query's `nextRecordsUrl`. */
	path: string;
	body?: CompositeRequestBody;
}

export interface SalesforceAnswer {
	/** The answer's JSON body (parsed, or as text). */
	body: unknown;
	/** Its HTTP `Date` header: Salesforce's clock. */
	date?: string | string[];
}

export interface PollOutcome {
	/** One per record, latest state, `attributes` removed (deleted: Id, deletedDate, inRecycleBin, the fields the Recycle Bin holds). */
	records: SalesforceRecord[];
	/** What the node keeps in its static data; absent for a sample (Fetch Test Event moves nothing). */
	stored?: StoredChangeState;
	/** Set when this poll started the trigger afresh (and why): it emits nothing. */
	started?: FreshStart;
	/** Deletions Salesforce no longer reports: fail the poll with it, after keeping `stored`. */
	lostDeletions?: SalesforceRestError;
	/** API requests the poll cost: one Composite, plus a request per further 2,000 rows and the rare retries. */
	requests: number;
	/** Everything available was read; false when the per-poll cap stopped it (the next poll goes on). */
	caughtUp: boolean;
}

export type PollStep =
	| {
			readonly request: SalesforceRequest;
			readonly resume: (answer: SalesforceAnswer) => PollStep;
			readonly outcome?: undefined;
	  }
	| { readonly request?: undefined; readonly resume?: undefined; readonly outcome: PollOutcome };

export interface PollContext {
	readonly watch: CheckedWatch;
	/** Salesforce's estimated now. */
	readonly now: number;
	/** The end of the getUpdated / getDeleted window: now less a margin, floored to the minute. */
	readonly end: number;
	readonly maxRecords: number;
	/** n8n's activation poll: a lost window of deletions is kept for the next poll, never failing the activation. */
	readonly activation: boolean;
	readonly tally: { requests: number };
	/** The first poll planned again once from Salesforce's Date (this machine's clock had jumped): never twice. */
	readonly replanned?: boolean;
}

export function ask(
	context: PollContext,
	request: SalesforceRequest,
	then: (answer: SalesforceAnswer) => PollStep,
): PollStep {
	return {
		request,
		resume: (answer) => {
			context.tally.requests++;
			return then(answer);
		},
	};
}

/** One Composite request; `then` gets each subrequest's answer by referenceId. */
export function askComposite(
	context: PollContext,
	subrequests: CompositeSubrequest[],
	what: string,
	then: (answers: Map<string, SubrequestAnswer>, answer: SalesforceAnswer) => PollStep,
): PollStep {
	const request: SalesforceRequest = {
		method: 'POST',
		path: COMPOSITE_PATH,
		body: compositeBody(subrequests),
	};
	return ask(context, request, (answer) =>
		then(
			readCompositeAnswer(
				answer.body,
				subrequests.map((subrequest) => subrequest.referenceId),
				what,
			),
			answer,
		),
	);
}

/** Throws the subrequest's refusal, translated; a 404 of getUpdated / getDeleted means the object. */
export function failIfRefused(
	answer: SubrequestAnswer,
	watch: CheckedWatch,
	what: string,
	options: { replication?: boolean } = {},
): void {
	if (options.replication && answer.status === 404) {
		const lead = `${what.charAt(0).toUpperCase()}${what.slice(1)}`;
		throw new SalesforceRestError(
			'NOT_FOUND',
			`${lead} failed: Salesforce has no object "${watch.sobject}" the API user can read (HTTP 404).`,
			explainCode('INVALID_TYPE', '', [], 404).fix,
			{
				httpStatus: 404,
				parameter: watch.labels.sobject,
			},
		);
	}
	const failure = subrequestFailure(answer, what);
	if (failure) throw failure;
}

/**
 * Whether the window's end was not in Salesforce's future when it answered (its `Date` header is at
 * or after it). When it was — this machine's clock jumped since the offset was measured — the poll
 * does not move its horizon; the answer's Date corrects the estimate for the next poll.
 */
export function endWasPast(end: number, answer: SalesforceAnswer): boolean {
	const answeredAt = dateHeaderTime(answer.date);
	return answeredAt === undefined || answeredAt >= end;
}

export interface QueryPage {
	records: SalesforceRecord[];
	/** The next page's path, when there is one. */
	next?: string;
}

export function queryPage(body: unknown): QueryPage {
	const records = recordsOf(body);
	const answer = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
	const more = answer.done === false && typeof answer.nextRecordsUrl === 'string';
	return {
		records,
		next: more
			? resolveApiPath(answer.nextRecordsUrl, REST_API_VERSION, 'nextRecordsUrl')
			: undefined,
	};
}

export function nextPage(
	context: PollContext,
	path: string,
	then: (page: QueryPage) => PollStep,
): PollStep {
	return ask(context, { method: 'GET', path }, (answer) => then(queryPage(answer.body)));
}

/** A row's Id and stamp (epoch ms), or a clear error when Salesforce's answer lacks them. */
export function keyOf(
	row: SalesforceRecord,
	stampField: string,
	what: string,
): { id: string; stamp: number } {
	const id = row.Id;
	const stamp = parseSalesforceDateTime(row[stampField]);
	if (typeof id !== 'string' || stamp === undefined) {
		throw new SalesforceRestError(
			'BAD_RESPONSE',
			`${what.charAt(0).toUpperCase()}${what.slice(1)} failed: Salesforce returned a row without a readable Id and ${stampField}.`,
			"Run again; if it persists, check Salesforce's status (status.salesforce.com).",
		);
	}
	return { id, stamp: floorToSecond(stamp) };
}

export function unionOf(
	earlier: LostWindow | undefined,
	window: LostWindow | undefined,
): LostWindow | undefined {
	if (!earlier) return window;
	if (!window) return earlier;
	return { from: Math.min(earlier.from, window.from), to: Math.max(earlier.to, window.to) };
}

/**
 * The outcome of a poll: the state to keep and the records to emit. A lost window of deletions in the
 * state is reported here — except by n8n's activation poll (an error there fails the activation, and
 * n8n retries it), which keeps it for the next poll. A poll that reports one emits nothing (it found
 * the window and only moved its horizon, or reports the window an activation poll kept, first).
 */
export function outcome(
	context: PollContext,
	state: ChangeState,
	records: SalesforceRecord[],
	details: { caughtUp: boolean; started?: FreshStart },
): PollStep {
	const lost = context.activation ? undefined : state.lostDeletions;
	const kept = lost ? { ...state, lostDeletions: undefined } : state;
	return {
		outcome: {
			records,
			stored: storeChangeState(kept),
			started: details.started,
			lostDeletions: lost ? errorFor(context.watch, lost, state.horizon) : undefined,
			requests: context.tally.requests,
			caughtUp: details.caughtUp,
		},
	};
}
