/**
 * Scenario (i): the Salesforce Trigger beside n8n's built-in Salesforce Trigger, polling side by side
 * in one n8n on the same scripted changes (dev/trigger-scenarios.ts) — a normal flow, a burst, a late
 * commit, a skewed org clock, an edit a minute after creation. Each scenario has a stand-in of its
 * own; on it, this package's trigger watches Account for created, updated and deleted records and
 * n8n's watches Account Created and Account Updated (it has no deleted event), each workflow with a
 * credential (a stand-in user) of its own, so the stand-in tells what each sent. n8n's node gets a
 * `salesforceOAuth2Api` credential holding a stand-in session, as in scenarios (d) and (e).
 *
 * Reported per trigger: the changes it should emit, what it emitted, missed and repeated (judged
 * against the script), its API requests per poll (counted at the stand-in) and its logins.
 */
import type { CredentialToImport, N8nServer, WorkflowToImport } from '../n8n/cli';
import { publishWorkflow } from '../n8n/published-workflows';
import { startSalesforceStandin, type SalesforceStandin } from '../salesforce-standin';
import {
	ChangeScript,
	runRound,
	SCENARIOS,
	seedExisting,
	type ItemStamp,
	type Judgement,
	type TriggerEvent,
	type TriggerScenario,
} from '../trigger-scenarios';
import {
	apiUserCredential,
	emittedBy,
	loginsOf,
	pollingWorkflow,
	pollsOf,
	salesforceTriggerWorkflow,
	waitForPolls,
	type Watcher,
} from '../trigger-runs';
import { formatMs } from './measure';
import { markdownTable, type MachineInfo, type Table } from './report';
import { BUILTIN_CREDENTIAL_TYPE } from './workflows';

type TriggerKind = 'package' | 'builtin';

interface TriggerWatcher extends Watcher {
	kind: TriggerKind;
	scenario: TriggerScenario;
	credential: CredentialToImport;
	workflow?: WorkflowToImport;
}

interface ScenarioRun {
	scenario: TriggerScenario;
	sf: SalesforceStandin;
	script: ChangeScript;
	state: Map<string, string[]>;
}

export interface TriggerResult {
	watcher: {
		label: string;
		kind: TriggerKind;
		event: TriggerEvent;
		scenario: string;
		order: number;
	};
	judgement: Judgement;
	polls: number[];
	logins: number;
	failedExecutions: number;
}

/** What each trigger watches: this package's on three events, n8n's on its two. */
const WATCHED: Array<[TriggerKind, TriggerEvent]> = [
	['package', 'created'],
	['package', 'updated'],
	['package', 'deleted'],
	['builtin', 'created'],
	['builtin', 'updated'],
];

const BUILTIN_TRIGGER_ON: Partial<Record<TriggerEvent, string>> = {
	created: 'accountCreated',
	updated: 'accountUpdated',
};

/** Logs in as `username` (the demo user's password), for the session n8n's node gets in its OAuth2 credential. */
export async function sessionOf(
	sf: SalesforceStandin,
	username: string,
): Promise<Record<string, string>> {
	const { demo } = sf;
	const response = await fetch(`${sf.url}/services/oauth2/token`, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
		body: new URLSearchParams({
			grant_type: 'password',
			client_id: demo.consumerKey,
			client_secret: demo.consumerSecret,
			username,
			password: demo.password + demo.securityToken,
		}).toString(),
	});
	const body = (await response.json()) as Record<string, string>;
	if (!response.ok || !body.access_token)
		throw new Error(`Logging in to the stand-in as ${username} failed: HTTP ${response.status}`);
	return body;
}

/** A `salesforceOAuth2Api` credential as n8n stores it after the OAuth2 dance: Salesforce's token response. */
export function builtinCredential(
	name: string,
	sf: SalesforceStandin,
	session: Record<string, string>,
): CredentialToImport {
	return {
		name,
		type: BUILTIN_CREDENTIAL_TYPE,
		data: {
			environment: 'production',
			clientId: sf.demo.consumerKey,
			clientSecret: sf.demo.consumerSecret,
			oauthTokenData: {
				access_token: session.access_token,
				instance_url: session.instance_url,
				id: session.id,
				token_type: session.token_type ?? 'Bearer',
				issued_at: session.issued_at,
				signature: session.signature,
				scope: session.scope ?? 'api',
			},
		},
	};
}

export interface TriggerBench {
	/** What each scenario does, for the report. */
	scenarios: string[];
	credentials: CredentialToImport[];
	/** Builds the workflows once the credentials are imported (their ids known). */
	workflows: (
		ids: (credential: CredentialToImport) => { id: string; name: string },
	) => WorkflowToImport[];
	/** Publishes the workflows, runs the rounds, judges. */
	run: (server: N8nServer, log: (line: string) => void) => Promise<TriggerResult[]>;
	close: () => Promise<void>;
}

export function triggerScenarios(burst: number): TriggerScenario[] {
	return [
		SCENARIOS.normalFlow(),
		SCENARIOS.burst(burst),
		SCENARIOS.lateCommit(),
		SCENARIOS.skewedClock(),
		SCENARIOS.editAfterCreation(),
	];
}

/** Stand-ins, users and credentials for scenario (i). */
export async function prepareTriggerBench(scenarios: TriggerScenario[]): Promise<TriggerBench> {
	const runs: ScenarioRun[] = [];
	const watchers: TriggerWatcher[] = [];
	for (const scenario of scenarios) {
		const sf = await startSalesforceStandin({
			seedData: false,
			label: `bench-${scenario.key}`,
			...scenario.standin,
		});
		runs.push({ scenario, sf, script: new ChangeScript(sf), state: seedExisting(scenario, sf) });
		for (const [kind, event] of WATCHED) {
			const name = `Bench (i) ${scenario.key}: ${kind === 'package' ? 'Salesforce Trigger' : 'n8n Salesforce Trigger'}, ${event}`;
			const { credential, username } = apiUserCredential(
				sf,
				name,
				`bench.i.${scenario.key}.${kind}.${event}`,
			);
			const stamp: ItemStamp = kind === 'builtin' ? 'LastModifiedDate' : 'SystemModstamp';
			const watcher: TriggerWatcher = {
				label: name,
				kind,
				scenario,
				event,
				sf,
				username,
				stamp,
				workflowId: '',
				credential,
			};
			if (kind === 'builtin')
				watcher.credential = builtinCredential(name, sf, await sessionOf(sf, username));
			watchers.push(watcher);
		}
	}
	return {
		scenarios: scenarios.map(
			(scenario) =>
				`**${scenario.label}** — ${scenario.title}${scenario.existing ? ` (besides records created an hour before: ${scenario.existing.join(', ')})` : ''}`,
		),
		credentials: watchers.map((watcher) => watcher.credential),
		workflows: (ids) =>
			watchers.map((watcher) => {
				const credential = ids(watcher.credential);
				watcher.workflow =
					watcher.kind === 'package'
						? salesforceTriggerWorkflow(watcher.label, credential, watcher.event)
						: pollingWorkflow(watcher.label, {
								type: 'n8n-nodes-base.salesforceTrigger',
								typeVersion: 1.1,
								parameters: {
									authentication: 'oAuth2',
									triggerOn: BUILTIN_TRIGGER_ON[watcher.event],
								},
								credentials: { [BUILTIN_CREDENTIAL_TYPE]: credential },
							});
				watcher.workflowId = watcher.workflow.id as string;
				return watcher.workflow;
			}),
		run: async (server, log) => {
			const startedAt = Date.now();
			for (const watcher of watchers) await publishWorkflow(server, watcher.workflowId);
			log(
				`  ${watchers.length} triggers published; rounds of changes, each after every trigger polled`,
			);
			const rounds = Math.max(...runs.map((run) => run.scenario.rounds.length));
			// One more round of polls after the last changes: n8n's trigger reads a change in the poll after it.
			for (let round = 0; round <= rounds; round++) {
				for (const run of runs) runRound(run.scenario, run.script, run.state, round);
				await waitForPolls(watchers, Date.now());
				log(`  round ${round + 1} of ${rounds + 1} polled`);
			}
			const results: TriggerResult[] = [];
			for (const watcher of watchers) {
				const run = runs.find(
					(candidate) => candidate.scenario === watcher.scenario,
				) as ScenarioRun;
				const { items, executions } = await emittedBy(server, watcher);
				results.push({
					watcher: {
						label: watcher.label,
						kind: watcher.kind,
						event: watcher.event,
						scenario: watcher.scenario.label,
						order: runs.indexOf(run),
					},
					judgement: run.script.judge(watcher.event, items, watcher.stamp),
					polls: pollsOf(watcher, startedAt),
					logins: loginsOf(watcher, startedAt),
					failedExecutions: executions.filter((execution) => execution.status !== 'success').length,
				});
			}
			return results;
		},
		close: async () => {
			for (const run of runs) await run.sf.close();
		},
	};
}

function perPoll(polls: number[]): string {
	if (polls.length === 0) return '—';
	const total = polls.reduce((sum, requests) => sum + requests, 0);
	const average = (total / polls.length).toFixed(1);
	return `${average} (${Math.min(...polls)}–${Math.max(...polls)}, ${polls.length} polls)`;
}

const EVENT_ORDER: TriggerEvent[] = ['created', 'createdOrUpdated', 'updated', 'deleted'];

export function triggerTable(results: TriggerResult[]): Table {
	const trigger = (kind: TriggerKind) =>
		kind === 'package'
			? 'Salesforce Trigger (this package)'
			: "n8n's Salesforce Trigger (baseline)";
	const count = (value: number, bad = false) =>
		`${value.toLocaleString('en-US')}${bad && value > 0 ? ' ✗' : ''}`;
	// A scenario without deletions has nothing to show for the deleted event.
	const shown = results.filter(
		({ watcher, judgement }) =>
			watcher.event !== 'deleted' || judgement.expected + judgement.emitted > 0,
	);
	const rows = shown
		.sort(
			(a, b) =>
				a.watcher.order - b.watcher.order ||
				EVENT_ORDER.indexOf(a.watcher.event) - EVENT_ORDER.indexOf(b.watcher.event) ||
				(a.watcher.kind === 'package' ? -1 : 1),
		)
		.flatMap(({ watcher, judgement, polls, logins, failedExecutions }) => {
			const row = [
				watcher.scenario,
				watcher.event,
				trigger(watcher.kind),
				count(judgement.expected),
				count(judgement.emitted),
				count(judgement.missed, true),
				count(judgement.repeated, true),
				perPoll(polls),
				String(logins),
				String(failedExecutions),
			];
			// n8n's trigger has no deleted event.
			const none = [
				watcher.scenario,
				'deleted',
				trigger('builtin'),
				'—',
				'no such event',
				'—',
				'—',
				'—',
				'—',
				'—',
			];
			return watcher.event === 'deleted' ? [row, none] : [row];
		});
	return {
		headers: [
			'Scenario',
			'Event',
			'Trigger',
			'Changes',
			'Emitted',
			'Missed',
			'Repeated',
			'API requests per poll (min–max, polls)',
			'Logins',
			'Failed polls',
		],
		rows,
		numeric: [3, 4, 5, 6, 8, 9],
	};
}

/** Scenario (i)'s part of docs/benchmark.md (report.ts's blocks). */
export const POLLING_TRIGGER_BLOCK = 'polling-trigger';

/** docs/benchmark.md's section for scenario (i); `scenarios` says what each did. */
export function triggerSectionText(
	table: Table,
	machine: MachineInfo,
	scenarios: string[],
): string {
	return [
		"## (i) Polling triggers: the Salesforce Trigger vs n8n's Salesforce Trigger",
		'',
		`Measured ${machine.date} with \`${machine.command}\` on n8n ${machine.n8nVersion} (${formatMs(machine.durationMs)}). Scenarios:`,
		'',
		...scenarios.map((scenario) => `- ${scenario}`),
		'',
		'Both triggers poll side by side in one `n8n start`, once a minute each, on the same scripted changes to Account records',
		'(`dev/trigger-scenarios.ts`): every trigger polls at least once between two rounds of changes. Each scenario has a',
		'stand-in of its own; each workflow a credential — and a stand-in user — of its own, so the stand-in tells what each sent.',
		"n8n's trigger (`n8n-nodes-base.salesforceTrigger` 1.1, *Account Created* / *Account Updated*) uses a",
		'`salesforceOAuth2Api` credential holding a stand-in session. **Changes**: what the trigger should emit, once each — every',
		"creation; every change, once per record between two polls, in its latest state (a change in its creation's second is the",
		'creation); every deletion. **Missed** / **Repeated**: judged against the script by record Id and the poll interval of the',
		"change's stamp. **API requests per poll**: REST requests under `/services/data/vXX.X/` (what the org's daily allocation",
		"counts) per poll, average (min–max); the first poll of this package's trigger also reads the object's describe (every",
		'field), and a burst costs ⌈rows / 2,000⌉ pages.',
		'',
		markdownTable(table),
	].join('\n');
}
