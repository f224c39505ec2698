/**
 * Scripted record changes for judging polling triggers in real n8n against the stand-in — what the
 * end-to-end suite proves of the Salesforce Trigger and what the benchmark compares with n8n's own.
 *
 * A scenario is a few rounds of changes made on a stand-in between polls: every trigger watching
 * it polls at least once between two rounds (the runner waits for it). Each round is made at once (the
 * stand-in runs in the runner's process: no poll can see half of it). The script keeps what it did —
 * each creation, change and deletion with its audit stamp, and the round it falls in — so a judge can
 * say, of what a trigger emitted for an event, what it should have emitted once, what it missed and
 * what it emitted more than once. A change is one per record and round: several changes of a record
 * between two polls are emitted once (its latest state); a change in the same second as the record's
 * creation is the creation (Salesforce stores audit times to the second).
 */
import type { SalesforceStandin, StandinOptions, StandinTransaction } from './salesforce-standin';

export type TriggerEvent = 'created' | 'createdOrUpdated' | 'updated' | 'deleted';

/** What to compare a trigger's items by: Id (created, deleted), or Id and the round its stamp falls in. */
export type ItemStamp = 'SystemModstamp' | 'LastModifiedDate';

interface Change {
	kind: 'created' | 'updated' | 'deleted';
	id: string;
	/** Epoch ms on the org's clock, to the second. */
	stamp: number;
}

/** What one round of a script may do. */
export interface RoundWriter {
	readonly sf: SalesforceStandin;
	readonly sobject: string;
	/** Creates records named so; returns their ids. */
	create(names: string[]): string[];
	/** Changes the records (a new Description, unless fields are given). */
	update(ids: string[], fields?: Record<string, unknown>): void;
	delete(ids: string[]): void;
	/** Opens a transaction stamped now whose changes become visible when `commit()`ed in a later round. */
	begin(): LateTransaction;
}

export interface LateTransaction {
	create(names: string[]): string[];
	update(ids: string[], fields?: Record<string, unknown>): void;
	commit(): void;
}

export interface Judgement {
	/** What the trigger should have emitted, once each. */
	expected: number;
	/** Items emitted. */
	emitted: number;
	/** Expected changes never emitted. */
	missed: number;
	/** Items beyond the first of a change, and items of no change the script made. */
	repeated: number;
}

function toSecond(ms: number): number {
	return Math.floor(ms / 1000) * 1000;
}

function stampOf(value: unknown): number {
	const text = String(value ?? '');
	return Date.parse(
		/[+-]\d{4}$/.test(text) ? `${text.slice(0, -5)}${text.slice(-5, -2)}:${text.slice(-2)}` : text,
	);
}

export class ChangeScript {
	/** Each round's span on the org's clock, to the second. */
	private readonly rounds: Array<{ from: number; to: number }> = [];
	private readonly changes: Change[] = [];
	private readonly createdAt = new Map<string, number>();

	constructor(
		readonly sf: SalesforceStandin,
		readonly sobject = 'Account',
	) {}

	get roundCount(): number {
		return this.rounds.length;
	}

	/** The rows' audit field as the stand-in stored it (read once for all of them). */
	private storedStamps(field: 'CreatedDate' | 'SystemModstamp'): (id: string) => number {
		const stamps = new Map(
			this.sf.records(this.sobject).map((row) => [row.Id, stampOf(row[field])]),
		);
		return (id) => {
			const stamp = stamps.get(id);
			if (stamp === undefined) throw new Error(`the stand-in has no ${this.sobject} ${id}`);
			return stamp;
		};
	}

	private note(kind: Change['kind'], ids: string[], stamp: (id: string) => number): void {
		for (const id of ids) {
			const at = stamp(id);
			if (kind === 'created') this.createdAt.set(id, at);
			this.changes.push({ kind, id, stamp: at });
		}
	}

	/** Runs one round of changes, all at once. */
	round(apply: (writer: RoundWriter) => void): void {
		const from = toSecond(this.sf.now().getTime());
		const { sf, sobject } = this;
		const describe = (id: string) => ({
			Id: id,
			Description: `changed at ${sf.now().toISOString()}`,
		});
		const writer: RoundWriter = {
			sf,
			sobject,
			create: (names) => {
				const ids = sf.insertRecords(
					sobject,
					names.map((Name) => ({ Name })),
				);
				this.note('created', ids, this.storedStamps('CreatedDate'));
				return ids;
			},
			update: (ids, fields) => {
				sf.updateRecords(
					sobject,
					ids.map((id) => ({ ...describe(id), ...fields })),
				);
				this.note('updated', ids, this.storedStamps('SystemModstamp'));
			},
			delete: (ids) => {
				sf.deleteRecords(sobject, ids);
				this.note('deleted', ids, this.storedStamps('SystemModstamp'));
			},
			begin: () => this.lateTransaction(sf.beginTransaction(), describe),
		};
		apply(writer);
		this.rounds.push({ from, to: toSecond(this.sf.now().getTime()) });
	}

	private lateTransaction(
		transaction: StandinTransaction,
		describe: (id: string) => Record<string, unknown>,
	): LateTransaction {
		const startedAt = stampOf(transaction.startedAt);
		return {
			create: (names) => {
				const ids = transaction.insert(
					this.sobject,
					names.map((Name) => ({ Name })),
				);
				this.note('created', ids, () => startedAt);
				return ids;
			},
			update: (ids, fields) => {
				transaction.update(
					this.sobject,
					ids.map((id) => ({ ...describe(id), ...fields })),
				);
				this.note('updated', ids, () => startedAt);
			},
			commit: () => transaction.commit(),
		};
	}

	/** The round a stamp falls in (-1: none, e.g. before the script). */
	private roundOf(stamp: number): number {
		return this.rounds.findIndex((round) => stamp >= round.from && stamp <= round.to);
	}

	/** What a trigger on `event` must emit, once each, keyed as `keyOf` keys its items. */
	expected(event: TriggerEvent): Set<string> {
		const keys = new Set<string>();
		for (const change of this.changes) {
			if (event === 'deleted' || event === 'created') {
				if (change.kind === event) keys.add(change.id);
				continue;
			}
			if (change.kind === 'deleted') continue;
			const creation = this.createdAt.get(change.id);
			const sameSecondAsCreation = change.kind === 'updated' && creation === change.stamp;
			if (event === 'updated' && (change.kind === 'created' || sameSecondAsCreation)) continue;
			keys.add(`${change.id}@${this.roundOf(change.stamp)}`);
		}
		return keys;
	}

	private keyOf(event: TriggerEvent, item: Record<string, unknown>, stamp: ItemStamp): string {
		const id = String(item.Id ?? item.id ?? '');
		if (event === 'created' || event === 'deleted') return id;
		return `${id}@${this.roundOf(stampOf(item[stamp]))}`;
	}

	/** Judges what a trigger on `event` emitted, in order, over the whole run. */
	judge(
		event: TriggerEvent,
		items: Array<Record<string, unknown>>,
		stamp: ItemStamp = 'SystemModstamp',
	): Judgement {
		const expected = this.expected(event);
		const seen = new Map<string, number>();
		for (const item of items) {
			const key = this.keyOf(event, item, stamp);
			seen.set(key, (seen.get(key) ?? 0) + 1);
		}
		let repeated = 0;
		for (const [key, count] of seen) repeated += expected.has(key) ? count - 1 : count;
		const missed = [...expected].filter((key) => !seen.has(key)).length;
		return { expected: expected.size, emitted: items.length, missed, repeated };
	}
}

/**
 * A scenario: a stand-in of its own (its clock skewed, say), records that exist long before the run,
 * and the rounds of changes made on it.
 */
export interface TriggerScenario {
	key: string;
	title: string;
	/** For tables. */
	label: string;
	standin?: StandinOptions;
	/** Records created an hour before the run (not changes the triggers should emit): `state.get('existing')`. */
	existing?: string[];
	rounds: Array<(writer: RoundWriter, state: Map<string, string[]>) => void>;
}

/**
 * Creates the scenario's existing records on its stand-in, stamped an hour before the org's now (as
 * an org that has been in use a while holds them); call before any trigger watches it.
 */
export function seedExisting(
	scenario: TriggerScenario,
	sf: SalesforceStandin,
	sobject = 'Account',
): Map<string, string[]> {
	const state = new Map<string, string[]>();
	if (!scenario.existing) return state;
	const skew = sf.clockSkewMs;
	sf.setClockSkew(skew - 60 * 60_000);
	try {
		state.set(
			'existing',
			sf.insertRecords(
				sobject,
				scenario.existing.map((Name) => ({ Name })),
			),
		);
	} finally {
		sf.setClockSkew(skew);
	}
	return state;
}

const names = (prefix: string, count: number) =>
	Array.from({ length: count }, (_, index) => `${prefix} ${index + 1}`);

/**
 * The catalogue the suite and the benchmark draw from. `state` carries ids and open transactions
 * from round to round.
 */
export const SCENARIOS = {
	/**
	 * New records, changes (several to one record between two polls) of records old and new, deletions,
	 * over four polls.
	 */
	normalFlow: (): TriggerScenario => ({
		key: 'normal',
		title: 'Normal flow: creations, changes and deletions over four polls',
		label: 'Normal flow',
		existing: ['Existing 1', 'Existing 2'],
		rounds: [
			(writer, state) => state.set('ids', writer.create(names('Normal', 3))),
			(writer, state) => {
				const [first, second] = state.get('ids') ?? [];
				const [old] = state.get('existing') ?? [];
				writer.update([old]);
				writer.update([old], { Phone: '555-0100' });
				writer.update([first, second]);
				state.set('more', writer.create(['Normal 4']));
			},
			(writer, state) => {
				const [first, , third] = state.get('ids') ?? [];
				writer.delete([third]);
				writer.update([first, ...(state.get('existing') ?? [])]);
			},
			(writer, state) =>
				writer.delete([...(state.get('more') ?? []), (state.get('existing') ?? [])[1]]),
		],
	}),
	/** The org's clock twenty minutes behind n8n's (n8n's own trigger re-reads only 15 minutes). */
	skewedClock: (skewMs = -20 * 60_000): TriggerScenario => ({
		key: 'skew',
		title: `Skewed clock: the org ${Math.abs(skewMs) / 60_000} minutes ${skewMs < 0 ? 'behind' : 'ahead of'} n8n`,
		label: `Org clock ${Math.abs(skewMs) / 60_000} min ${skewMs < 0 ? 'behind' : 'ahead'}`,
		standin: { clockSkewMs: skewMs },
		existing: ['Existing 1'],
		rounds: [
			(writer, state) => state.set('ids', writer.create(names('Skewed', 2))),
			(writer, state) => {
				writer.update([...(state.get('ids') ?? []), ...(state.get('existing') ?? [])]);
				writer.create(['Skewed 3']);
			},
		],
	}),
	/** A transaction open across two polls commits changes stamped before what they read. */
	lateCommit: (): TriggerScenario => {
		const open = new Map<string, LateTransaction>();
		return {
			key: 'late',
			title: 'Late commit: a transaction open across two polls',
			label: 'Late commit',
			existing: ['Old 1'],
			rounds: [
				(writer) => writer.create(['New 1']),
				(writer, state) => {
					const transaction = writer.begin();
					transaction.create(['Late 1', 'Late 2']);
					transaction.update(state.get('existing') ?? []);
					open.set('transaction', transaction);
				},
				(writer) => writer.create(['Quick 1']),
				() => open.get('transaction')?.commit(),
			],
		};
	},
	/** Many changes between two polls. */
	burst: (count = 5_000): TriggerScenario => ({
		key: 'burst',
		title: `Burst: ${count.toLocaleString('en-US')} new records between two polls, then a change to each`,
		label: `Burst of ${count.toLocaleString('en-US')}`,
		rounds: [
			(writer, state) => state.set('ids', writer.create(names('Burst', count))),
			(writer, state) => writer.update(state.get('ids') ?? []),
		],
	}),
	/**
	 * Changes made while n8n is stopped (the runner stops it before round 2 and moves this org's clock
	 * ten minutes on before it starts n8n again): the first poll after the start emits them.
	 */
	restart: (): TriggerScenario => ({
		key: 'restart',
		title: "Restart: changes made while n8n was stopped, the org's clock ten minutes on",
		label: 'Restart',
		rounds: [
			(writer, state) => state.set('first', writer.create(['Restart 1'])),
			(writer, state) => {
				writer.update(state.get('first') ?? []);
				writer.create(['Restart 2']);
			},
			(writer, state) => {
				writer.update(state.get('first') ?? []);
				state.set('later', writer.create(['Restart 3', 'Restart 4']));
			},
			(writer, state) => writer.update(state.get('later') ?? []),
		],
	}),
	/** Records changed a minute after their creation (within n8n's trigger's 15-minute blind spot). */
	editAfterCreation: (): TriggerScenario => ({
		key: 'edit',
		title: 'An edit a minute after creation',
		label: 'Edit a minute after creation',
		rounds: [
			(writer, state) => state.set('ids', writer.create(names('Edited', 3))),
			(writer, state) => writer.update(state.get('ids') ?? []),
		],
	}),
};

/** Runs round `index` of the scenario on its script (the rounds share `state`). */
export function runRound(
	scenario: TriggerScenario,
	script: ChangeScript,
	state: Map<string, string[]>,
	index: number,
): void {
	const round = scenario.rounds[index];
	if (round) script.round((writer) => round(writer, state));
}
