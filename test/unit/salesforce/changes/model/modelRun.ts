/**
 * A history played against the model org and the model poller: what users, automation and admins do
 * (creates, edits, deletions, restores, transactions that commit late, same-second bursts, an emptied
 * Recycle Bin, a purged log), what the clocks do (the org's advances, the poller's skew jumps), and
 * what n8n does (polls, with other work landing between a poll's requests, restarts from the last
 * saved state). Ends quiet: every transaction committed, then polls until nothing is left to read.
 */
import type { ChangeEvent, ChangeWatch, TimestampField } from '../../../../../nodes/salesforce';
import { ModelOrg } from './modelOrg';
import { ModelPoller } from './modelPoller';
import type { RunWatch } from './modelChecks';

export type Operation =
	| { t: 'create'; n: number; hot: boolean; tx: number }
	| { t: 'update'; pick: number; automation: boolean; hot: boolean; tx: number }
	| { t: 'delete'; pick: number; tx: number }
	| { t: 'undelete'; pick: number; tx: number }
	| { t: 'begin' }
	| { t: 'commit'; pick: number }
	| { t: 'advance'; seconds: number }
	| { t: 'burst'; n: number; hot: boolean }
	| { t: 'poll'; during: Operation[] }
	| { t: 'restart' }
	| { t: 'emptyBin'; pick: number; all: boolean }
	| { t: 'purgeLog'; minutesBack: number }
	| { t: 'skew'; seconds: number }
	| { t: 'idLimit'; limit: number };

export interface RunConfig {
	event: ChangeEvent;
	timestampField?: TimestampField;
	hotOnly: boolean;
	pageSize: number;
	maxRecords: number;
	coveredClampedToNow: boolean;
	refuseStartBeforePurge: boolean;
	startSecond: number;
	skew: number;
}

export const FIELD_TYPES = {
	Id: 'id',
	Name: 'string',
	Rating: 'picklist',
	CreatedDate: 'datetime',
	SystemModstamp: 'datetime',
	LastModifiedDate: 'datetime',
	IsDeleted: 'boolean',
};

export function watchOf(config: Pick<RunConfig, 'event' | 'timestampField' | 'hotOnly'>): {
	watch: ChangeWatch;
	runWatch: RunWatch;
} {
	const fields = ['Name', 'Rating'];
	const watch: ChangeWatch = {
		sobject: 'Account',
		event: config.event,
		timestampField: config.timestampField,
		fields,
		conditions: config.hotOnly ? [{ field: 'Rating', operator: 'equal', value: 'Hot' }] : [],
		fieldTypes: FIELD_TYPES,
	};
	return {
		watch,
		runWatch: {
			event: config.event,
			timestampField: config.timestampField,
			rating: config.hotOnly ? 'Hot' : undefined,
			fields,
		},
	};
}

export const START = Date.UTC(2026, 11, 4, 10, 0, 0);

export interface Run {
	org: ModelOrg;
	poller: ModelPoller;
	runWatch: RunWatch;
}

/** `prelude`: what happens before the trigger starts (a transaction left open across the start, say). */
export function playHistory(
	config: RunConfig,
	operations: readonly Operation[],
	prelude: readonly Operation[] = [],
): Run {
	const org = new ModelOrg({
		start: START + config.startSecond * 1000,
		pageSize: config.pageSize,
		coveredClampedToNow: config.coveredClampedToNow,
		refuseStartBeforePurge: config.refuseStartBeforePurge,
	});
	const { watch, runWatch } = watchOf(config);
	const poller = new ModelPoller(org, watch, config.maxRecords);
	poller.skew = config.skew * 1000;
	const ids: string[] = [];
	const openTransactions = () => [...org.open.keys()];
	const transactionFor = (tx: number) => (tx === 0 ? undefined : openTransactions()[tx - 1]);
	const pick = (index: number) => (ids.length === 0 ? undefined : ids[index % ids.length]);
	const rating = (hot: boolean) => (hot ? 'Hot' : 'Cold');

	const apply = (operation: Operation): void => {
		switch (operation.t) {
			case 'create':
				for (let i = 0; i < operation.n; i++) {
					const id = org.newId();
					ids.push(id);
					org.run(
						{ kind: 'create', id, rating: rating(operation.hot) },
						transactionFor(operation.tx),
					);
				}
				return;
			case 'update': {
				const id = pick(operation.pick);
				if (id)
					org.run(
						{ kind: 'update', id, rating: rating(operation.hot), automation: operation.automation },
						transactionFor(operation.tx),
					);
				return;
			}
			case 'delete':
			case 'undelete': {
				const id = pick(operation.pick);
				if (id) org.run({ kind: operation.t, id }, transactionFor(operation.tx));
				return;
			}
			case 'begin':
				org.begin();
				return;
			case 'commit': {
				const open = openTransactions();
				if (open.length > 0) org.commit(open[operation.pick % open.length]);
				return;
			}
			case 'advance':
				org.advance(operation.seconds * 1000);
				return;
			case 'burst':
				for (let i = 0; i < operation.n; i++) {
					const id = org.newId();
					ids.push(id);
					org.run({ kind: 'create', id, rating: rating(operation.hot || i % 2 === 0) });
				}
				return;
			case 'poll': {
				const queue = [...operation.during];
				org.between = () => {
					const next = queue.shift();
					if (next) apply(next);
				};
				poller.poll();
				org.between = () => undefined;
				return;
			}
			case 'restart':
				poller.restart();
				return;
			case 'emptyBin': {
				const id = pick(operation.pick);
				org.emptyRecycleBin(operation.all || !id ? undefined : [id]);
				return;
			}
			case 'purgeLog':
				org.purgeLog(org.now - operation.minutesBack * 60_000);
				return;
			case 'skew':
				poller.skew = operation.seconds * 1000;
				return;
			case 'idLimit':
				org.idLimit = operation.limit;
				return;
		}
	};

	for (let i = 0; i < 3; i++) apply({ t: 'create', n: 1, hot: i !== 1, tx: 0 });
	for (const operation of prelude) apply(operation);
	org.advance(30_000);
	poller.poll(true);
	for (const operation of operations) apply(operation);

	// Quiet: every transaction committed, no more Id limit, then poll until a drained poll emits nothing, twice.
	for (const transaction of openTransactions()) org.commit(transaction);
	org.idLimit = 600_000;
	let quiet = 0;
	for (let round = 0; round < 60 && quiet < 2; round++) {
		org.advance(61_000);
		const poll = poller.poll();
		quiet =
			poll.outcome.caughtUp && poll.emitted.length === 0 && !poll.outcome.lostDeletions
				? quiet + 1
				: 0;
	}
	if (quiet < 2) throw new Error('the trigger never caught up');
	return { org, poller, runWatch };
}
