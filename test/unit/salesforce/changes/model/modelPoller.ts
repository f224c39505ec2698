/**
 * The node's side of the loop, as n8n runs it, against the model org: the poll loop of changePoll.ts,
 * Salesforce's clock kept in memory from `Date` headers (the first poll of a process asks the versions
 * list, which costs nothing), and n8n's static data — held in memory across polls, SAVED only when a
 * poll emits and at an activation, so a restart resumes from the state of the last emitting poll. A
 * lost window of deletions fails the poll (the state in memory moves on, unsaved).
 */
import {
	type ChangeWatch,
	type PollOutcome,
	SalesforceClock,
	startPoll,
} from '../../../../../nodes/salesforce';
import type { ModelOrg } from './modelOrg';

export interface PollRecord {
	index: number;
	activation: boolean;
	/** Model ticks the poll spanned. */
	startTick: number;
	endTick: number;
	/** The org's clock when the poll began. */
	startNow: number;
	outcome: PollOutcome;
	/** What n8n emitted: the records, unless the poll failed (a lost window of deletions). */
	emitted: PollOutcome['records'];
	/** What the model counted while the poll ran. */
	requests: number;
	composites: number;
	pages: number;
	refusals: number;
	idLimitRefusals: number;
	/** Every query cursor opened by the poll was read to its end. */
	drained: boolean;
	/** Rows of the largest query cursor the poll opened. */
	largestCursor: number;
}

export class ModelPoller {
	/** n8n's static data in memory, and what its database holds. */
	memory: unknown;
	saved: string | undefined;
	skew = 0;
	readonly polls: PollRecord[] = [];
	private clock = new SalesforceClock();

	constructor(
		private readonly org: ModelOrg,
		private readonly watch: ChangeWatch,
		private readonly maxRecords?: number,
	) {}

	private localNow(): number {
		return this.org.now + this.skew;
	}

	/** n8n (re)started and its activation poll has not yet succeeded: the next poll is the activation's. */
	private activating = false;

	poll(asActivation = false): PollRecord {
		const org = this.org;
		const activation = asActivation || this.activating;
		if (this.clock.now('org', this.localNow()) === undefined)
			this.clock.observe('org', org.versionsList().date, this.localNow());
		const before = {
			requests: org.requests,
			composites: org.composites,
			pages: org.pages,
			refusals: org.refusals,
			idLimitRefusals: org.idLimitRefusals,
			tick: org.tick,
		};
		const cursorsBefore = new Set(org.cursors.keys());
		const startNow = org.now;
		let step = startPoll({
			watch: this.watch,
			stored: this.memory === undefined ? undefined : JSON.parse(JSON.stringify(this.memory)),
			salesforceNow: this.clock.now('org', this.localNow()) as number,
			activation,
			maxRecords: this.maxRecords,
		});
		while (step.request) {
			const answer = org.handle(step.request);
			this.clock.observe('org', answer.date, this.localNow());
			step = step.resume(answer);
		}
		const outcome = step.outcome;
		// The node stores the state, then fails the poll with a lost window (n8n emits nothing, saves
		// nothing). An activation poll that fails fails the activation: n8n retries it from the database.
		const emitted = outcome.lostDeletions ? [] : outcome.records;
		this.activating = activation && outcome.lostDeletions !== undefined;
		this.memory = this.activating
			? this.saved === undefined
				? undefined
				: JSON.parse(this.saved)
			: outcome.stored;
		if ((activation && !this.activating) || emitted.length > 0)
			this.saved = JSON.stringify(outcome.stored);
		const opened = [...org.cursors.entries()]
			.filter(([locator]) => !cursorsBefore.has(locator))
			.map(([, cursor]) => cursor);
		const record: PollRecord = {
			index: this.polls.length,
			activation,
			startTick: before.tick,
			startNow,
			endTick: org.tick,
			outcome,
			emitted,
			requests: org.requests - before.requests,
			composites: org.composites - before.composites,
			pages: org.pages - before.pages,
			refusals: org.refusals - before.refusals,
			idLimitRefusals: org.idLimitRefusals - before.idLimitRefusals,
			drained: opened.every((cursor) => cursor.served >= cursor.rows.length),
			largestCursor: Math.max(0, ...opened.map((cursor) => cursor.rows.length)),
		};
		org.tick++;
		this.polls.push(record);
		return record;
	}

	/** n8n stopped and started again: static data from the database, clock memory gone, then the activation poll. */
	restart(): PollRecord {
		this.memory = this.saved === undefined ? undefined : JSON.parse(this.saved);
		this.clock = new SalesforceClock();
		return this.poll(true);
	}
}
