/**
 * The Salesforce Trigger in a real n8n: published workflows polled on n8n's own schedule (once a
 * minute), side by side, each scenario on a stand-in of its own — a normal flow (every event), a
 * skewed org clock, a late commit, a burst of 5,000, and a restart (n8n stopped, changes made, the
 * org's clock moved ten minutes on, n8n started: emitted at the first poll, once). Every change must
 * be emitted exactly once (dev/trigger-scenarios.ts judges), no poll may fail, and a poll costs one
 * API request.
 *
 * The whole run (four rounds of changes, a poll of every trigger between two rounds) happens once in
 * `beforeAll`; each test judges one scenario. The smoke set (n8n 1.x) runs two rounds of the normal
 * flow.
 */
import type { SalesforceStandin } from '../../../dev/salesforce-standin';
import {
	ChangeScript,
	runRound,
	SCENARIOS,
	seedExisting,
	type TriggerEvent,
	type TriggerScenario,
} from '../../../dev/trigger-scenarios';
import {
	apiUserCredential,
	emittedBy,
	loginsOf,
	pollsOf,
	salesforceTriggerWorkflow,
	waitForPolls,
	type Watcher,
	type WatcherRun,
} from '../../../dev/trigger-runs';
import { createN8n, type N8nUnderTest } from '../support';
import { titled, type E2eCaseOptions } from './options';

interface ScenarioRun {
	scenario: TriggerScenario;
	sf: SalesforceStandin;
	script: ChangeScript;
	state: Map<string, string[]>;
	events: TriggerEvent[];
}

/** The round made while n8n is stopped (full run only). */
const STOPPED_ROUND = 2;
/** How far the restart scenario's org clock moves while n8n is stopped. */
const RESTART_CLOCK_MS = 10 * 60_000;

function progress(line: string): void {
	process.stderr.write(`[e2e trigger] ${line}\n`);
}

export function describeSalesforceTrigger(options: E2eCaseOptions = {}): void {
	describe(titled('the Salesforce Trigger in n8n: each change once', options), () => {
		const full = !options.smoke;
		const runs: ScenarioRun[] = [];
		const watchers: Watcher[] = [];
		const emitted = new Map<Watcher, WatcherRun>();
		let n8n: N8nUnderTest;
		let stoppedAt = 0;
		let restartedAt = 0;

		beforeAll(async () => {
			const startedAt = Date.now();
			const catalogue: Array<[TriggerScenario, TriggerEvent[]]> = full
				? [
						[SCENARIOS.normalFlow(), ['created', 'createdOrUpdated', 'updated', 'deleted']],
						[SCENARIOS.skewedClock(), ['createdOrUpdated']],
						[SCENARIOS.lateCommit(), ['createdOrUpdated']],
						[SCENARIOS.burst(), ['createdOrUpdated']],
						[SCENARIOS.restart(), ['createdOrUpdated']],
					]
				: [
						[
							{ ...SCENARIOS.normalFlow(), rounds: SCENARIOS.normalFlow().rounds.slice(0, 2) },
							['createdOrUpdated'],
						],
					];
			n8n = await createN8n({ name: 'trigger', n8nVersion: options.n8nVersion, start: true });
			for (const [scenario, events] of catalogue) {
				const sf = await n8n.standin({ seedData: false, label: scenario.key, ...scenario.standin });
				runs.push({
					scenario,
					sf,
					script: new ChangeScript(sf),
					state: seedExisting(scenario, sf),
					events,
				});
				for (const event of events) {
					const label = `${scenario.key}/${event}`;
					const { credential, username } = apiUserCredential(
						sf,
						`Trigger ${scenario.key} ${event}`,
						`trigger.${scenario.key}.${event.toLowerCase()}`,
					);
					const ref = await n8n.createCredential(credential.name, credential.data);
					const { id, versionId } = await n8n.createWorkflow(
						salesforceTriggerWorkflow(`Trigger: ${label}`, ref, event),
					);
					await n8n.publish(id, { versionId });
					watchers.push({ label, event, workflowId: id, sf, username });
				}
			}
			progress(
				`${watchers.length} triggers published after ${Math.round((Date.now() - startedAt) / 1000)} s`,
			);

			const rounds = Math.max(...runs.map((run) => run.scenario.rounds.length));
			for (let round = 0; round < rounds; round++) {
				if (full && round === STOPPED_ROUND) {
					stoppedAt = Date.now();
					await n8n.stop();
					for (const run of runs) runRound(run.scenario, run.script, run.state, round);
					runs.find((run) => run.scenario.key === 'restart')?.sf.setClockSkew(RESTART_CLOCK_MS);
					// Resolves once n8n answers and the published triggers are active again.
					await n8n.start();
					restartedAt = Date.now();
					progress(`round ${round} made while n8n was stopped; n8n ready again`);
				} else {
					for (const run of runs) runRound(run.scenario, run.script, run.state, round);
				}
				await waitForPolls(watchers, Date.now());
				progress(`round ${round} polled after ${Math.round((Date.now() - startedAt) / 1000)} s`);
			}
			// Salesforce's deleted-records log lists a minute once it is over: a deletion of the last round
			// comes at the first poll after that minute, at most the second poll after it.
			if (watchers.some((watcher) => watcher.event === 'deleted'))
				await waitForPolls(watchers, Date.now());
			for (const watcher of watchers) emitted.set(watcher, await emittedBy(n8n.server, watcher));
			progress(`done after ${Math.round((Date.now() - startedAt) / 1000)} s`);
		});

		afterAll(async () => {
			await n8n?.cleanup();
		});

		const judged = (key: string) => {
			const run = runs.find((candidate) => candidate.scenario.key === key);
			if (!run) throw new Error(`no scenario ${key}`);
			return watchers
				.filter((watcher) => watcher.sf === run.sf)
				.map((watcher) => {
					const { items, executions } = emitted.get(watcher) as WatcherRun;
					return { watcher, executions, judgement: run.script.judge(watcher.event, items) };
				});
		};

		const expectEachChangeOnce = (key: string) => {
			for (const { watcher, executions, judgement } of judged(key)) {
				const failed = executions
					.filter((execution) => execution.status !== 'success')
					.map((execution) => execution.error);
				expect({
					trigger: watcher.label,
					missed: judgement.missed,
					repeated: judgement.repeated,
					emitted: judgement.emitted,
					failed,
				}).toEqual({
					trigger: watcher.label,
					missed: 0,
					repeated: 0,
					emitted: judgement.expected,
					failed: [],
				});
				expect(judgement.expected).toBeGreaterThan(0);
			}
		};

		it('normal flow: every creation, change and deletion once, for each event; one API request a poll, one login', () => {
			expectEachChangeOnce('normal');
			for (const { watcher } of judged('normal')) {
				// The first poll of each n8n process also reads the object's describe (every field).
				const polls = pollsOf(watcher);
				expect(polls.filter((requests) => requests !== 1).length).toBeLessThanOrEqual(full ? 2 : 1);
				expect(Math.max(...polls)).toBeLessThanOrEqual(2);
				expect(loginsOf(watcher)).toBe(1);
			}
		});

		const beyondSmoke = full ? it : it.skip;

		beyondSmoke("an org clock twenty minutes behind n8n's: each change once", () =>
			expectEachChangeOnce('skew'),
		);

		beyondSmoke(
			'a transaction committing after later changes were read: its changes once, the others once',
			() => expectEachChangeOnce('late'),
		);

		beyondSmoke(
			'5,000 new records between two polls, then a change to each: all emitted, once, 5,000 in one execution',
			() => {
				expectEachChangeOnce('burst');
				const [{ executions }] = judged('burst');
				expect(executions.some((execution) => execution.items.length === 5_000)).toBe(true);
			},
		);

		beyondSmoke(
			"n8n stopped, changes made, the org's clock ten minutes on, n8n started: emitted at the first poll after the start, once",
			() => {
				expectEachChangeOnce('restart');
				const [{ executions }] = judged('restart');
				const afterStart = executions.filter(
					(execution) => Date.parse(execution.startedAt) >= stoppedAt,
				);
				const [first] = afterStart;
				expect(first.items.map((item) => item.Name).sort()).toEqual([
					'Restart 1',
					'Restart 3',
					'Restart 4',
				]);
				expect(Date.parse(first.startedAt) - restartedAt).toBeLessThan(65_000);
			},
		);
	});
}
