/**
 * Property: for random histories against the model org (modelOrg.ts: Salesforce's documented
 * semantics), the trigger's core emits every creation, change and deletion exactly once — nothing
 * before its start, nothing twice, nothing missed but the documented limits — and each poll costs
 * what it should (modelChecks.ts says exactly what is checked). Pages are a few rows and the per-poll
 * cap a dozen, so page boundaries, same-second groups split across them and capped polls are common.
 */
import fc from 'fast-check';
import { checkChanges, checkDeletions, checkRequests } from './model/modelChecks';
import { type Operation, playHistory, type RunConfig } from './model/modelRun';

const RUNS = Number(process.env.CHANGE_MODEL_RUNS ?? 150);

const transaction = fc.integer({ min: 0, max: 3 });

/** Other people's work; a deleted trigger's histories delete and restore more. */
function work(event: RunConfig['event']): fc.Arbitrary<Operation> {
	const deletions = event === 'deleted' ? 3 : 1;
	return fc.oneof(
		{
			weight: 6,
			arbitrary: fc.record({
				t: fc.constant('create' as const),
				n: fc.integer({ min: 1, max: 3 }),
				hot: fc.boolean(),
				tx: transaction,
			}),
		},
		{
			weight: 8,
			arbitrary: fc.record({
				t: fc.constant('update' as const),
				pick: fc.nat(),
				automation: fc.boolean(),
				hot: fc.boolean(),
				tx: transaction,
			}),
		},
		{
			weight: 2 * deletions,
			arbitrary: fc.record({ t: fc.constant('delete' as const), pick: fc.nat(), tx: transaction }),
		},
		{
			weight: deletions,
			arbitrary: fc.record({
				t: fc.constant('undelete' as const),
				pick: fc.nat(),
				tx: transaction,
			}),
		},
		{ weight: 2, arbitrary: fc.record({ t: fc.constant('begin' as const) }) },
		{ weight: 2, arbitrary: fc.record({ t: fc.constant('commit' as const), pick: fc.nat() }) },
		{
			weight: 2,
			arbitrary: fc.record({
				t: fc.constant('advance' as const),
				seconds: fc.integer({ min: 0, max: 2 }),
			}),
		},
	);
}

/** Before the start: work, and transactions that stay open across it — some for longer than the first poll looks back. */
function prelude(event: RunConfig['event']): fc.Arbitrary<Operation[]> {
	const longWait = fc.record({
		t: fc.constant('advance' as const),
		seconds: fc.integer({ min: 60, max: 1500 }),
	});
	return fc.array(
		fc.oneof(
			{ weight: 8, arbitrary: work(event) },
			{ weight: 2, arbitrary: fc.constant<Operation>({ t: 'begin' }) },
			{ weight: 1, arbitrary: longWait },
		),
		{ maxLength: 8 },
	);
}

function history(event: RunConfig['event']): fc.Arbitrary<Operation[]> {
	const operation: fc.Arbitrary<Operation> = fc.oneof(
		{ weight: 20, arbitrary: work(event) },
		{
			weight: 6,
			arbitrary: fc.record({
				t: fc.constant('advance' as const),
				seconds: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 20, max: 130 })),
			}),
		},
		{
			weight: 1,
			arbitrary: fc.record({
				t: fc.constant('burst' as const),
				n: fc.integer({ min: 3, max: 25 }),
				hot: fc.boolean(),
			}),
		},
		{
			weight: 6,
			arbitrary: fc.record({
				t: fc.constant('poll' as const),
				during: fc.array(work(event), { maxLength: 3 }),
			}),
		},
		{ weight: 1, arbitrary: fc.record({ t: fc.constant('restart' as const) }) },
		{
			weight: 1,
			arbitrary: fc.record({
				t: fc.constant('emptyBin' as const),
				pick: fc.nat(),
				all: fc.boolean(),
			}),
		},
		{
			weight: 1,
			arbitrary: fc.record({
				t: fc.constant('purgeLog' as const),
				minutesBack: fc.integer({ min: 0, max: 20 }),
			}),
		},
		{
			weight: 1,
			arbitrary: fc.record({
				t: fc.constant('skew' as const),
				seconds: fc.integer({ min: -400, max: 400 }),
			}),
		},
		{
			weight: 1,
			arbitrary: fc.record({
				t: fc.constant('idLimit' as const),
				limit: fc.oneof(fc.integer({ min: 1, max: 6 }), fc.constant(600_000)),
			}),
		},
	);
	return fc.array(operation, { minLength: 10, maxLength: 120 });
}

function config(event: RunConfig['event']): fc.Arbitrary<RunConfig> {
	return fc.record({
		event: fc.constant(event),
		timestampField:
			event === 'createdOrUpdated' || event === 'updated'
				? fc.constantFrom('SystemModstamp' as const, 'LastModifiedDate' as const)
				: fc.constant(undefined),
		hotOnly: fc.boolean(),
		pageSize: fc.integer({ min: 2, max: 7 }),
		maxRecords: fc.integer({ min: 3, max: 20 }),
		coveredClampedToNow: fc.boolean(),
		refuseStartBeforePurge: fc.boolean(),
		startSecond: fc.integer({ min: 0, max: 3599 }),
		skew: fc.integer({ min: -300, max: 300 }),
	});
}

describe.each(['created', 'createdOrUpdated', 'updated'] as const)(
	'%s: every change exactly once (model, property)',
	(event) => {
		it(`holds for ${RUNS} random histories`, () => {
			let emitted = 0;
			fc.assert(
				fc.property(
					config(event),
					prelude(event),
					history(event),
					(runConfig, before, operations) => {
						const { org, poller, runWatch } = playHistory(runConfig, operations, before);
						emitted += checkChanges(org, poller.polls, runWatch).emitted;
						checkRequests(org, poller.polls);
					},
				),
				{ numRuns: RUNS },
			);
			// A property that emitted nothing would prove nothing (updated emits no creations).
			expect(emitted).toBeGreaterThan((event === 'updated' ? 1 : 5) * RUNS);
		});
	},
);

describe('deleted: every deletion exactly once, or reported lost (model, property)', () => {
	it(`holds for ${RUNS} random histories`, () => {
		const totals = { emitted: 0, lostWindows: 0 };
		fc.assert(
			fc.property(
				config('deleted'),
				prelude('deleted'),
				history('deleted'),
				(runConfig, before, operations) => {
					const { org, poller, runWatch } = playHistory(runConfig, operations, before);
					const result = checkDeletions(org, poller.polls, runWatch);
					totals.emitted += result.emitted;
					totals.lostWindows += result.lostWindows;
					checkRequests(org, poller.polls);
				},
			),
			{ numRuns: RUNS },
		);
		expect(totals.emitted).toBeGreaterThan(RUNS);
		expect(totals.lostWindows).toBeGreaterThan(0);
	});
});
