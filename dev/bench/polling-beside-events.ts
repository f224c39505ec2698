/**
 * (t5) of `npm run bench:events`: the polling Salesforce Trigger beside the Salesforce Event Trigger
 * in the same n8n, on the same single changes. The polling trigger (`createdOrUpdated` of the event
 * trigger's object, every minute) has a credential — a stand-in API user — of its own, so its REST
 * requests are told apart at the stand-in as scenario (i) tells them (dev/trigger-runs.ts).
 *
 * The changes are spaced `spacingMs` apart (45 s: a quarter of a minute off the poll each time), so
 * they fall at different moments of the poll's minute and several polls are seen; each change's
 * latency is from its commit at the stand-in to the start of the execution that emitted it, for
 * both triggers. The polling trigger's floor is its poll interval: a change waits for the next poll.
 */
import type { CredentialToImport, N8nInstance, N8nServer, WorkflowToImport } from '../n8n/cli';
import { publishWorkflow } from '../n8n/published-workflows';
import type { SalesforceStandin } from '../salesforce-standin';
import {
	apiUserCredential,
	apiRequestsOf,
	emittedBy,
	pollsOf,
	salesforceTriggerWorkflow,
	waitForPolls,
	type Watcher,
} from '../trigger-runs';
import { ChangeScript, type Judgement } from '../trigger-scenarios';
import { median, streamingSnapshot, triggerExecutions, waitForExecutions } from './events';
import { formatMs } from './measure';

export interface PollingBeside {
	watcher: Watcher;
	sobject: string;
	credential: CredentialToImport;
	/** The polling trigger's workflow, once its credential is imported. */
	workflow: (credential: { id: string; name: string }) => WorkflowToImport;
}

/** A stand-in user and credential for the polling trigger on `sobject` (call before n8n imports credentials). */
export function preparePollingBeside(standin: SalesforceStandin, sobject: string): PollingBeside {
	const label = `Bench (t5): Salesforce Trigger, ${sobject} created or updated`;
	const { credential, username } = apiUserCredential(standin, label, 'bench.t5.polling');
	const watcher: Watcher = {
		label,
		event: 'createdOrUpdated',
		workflowId: '',
		sf: standin,
		username,
	};
	return {
		watcher,
		sobject,
		credential,
		workflow: (imported) => {
			const workflow = salesforceTriggerWorkflow(label, imported, 'createdOrUpdated', sobject);
			watcher.workflowId = workflow.id as string;
			return workflow;
		},
	};
}

export interface PollingMeasurement {
	changes: number;
	/** Per change, commit → start of the execution that emitted it (ms); NaN when none did. */
	pollingLatencies: number[];
	eventLatencies: number[];
	judgement: Judgement;
	/** The polling trigger's REST requests of each poll, from its publication to the poll after the last change. */
	polls: number[];
	/** The event trigger's REST requests over the same time, and its long-poll connects. */
	eventRequests: number;
	eventConnects: number;
}

interface BesideRun {
	server: N8nServer;
	n8n: N8nInstance;
	standin: SalesforceStandin;
	/** The event trigger's workflow, listening on the same object. */
	eventWorkflowId: string;
	changes: number;
	spacingMs: number;
	log: (line: string) => void;
}

async function sleep(ms: number): Promise<void> {
	await new Promise((resolve) => setTimeout(resolve, ms));
}

/** Publishes the polling trigger beside the listening event trigger, makes the changes one at a time, measures both. */
export async function measurePollingBeside(
	beside: PollingBeside,
	run: BesideRun,
): Promise<PollingMeasurement> {
	const { watcher } = beside;
	const { server, n8n, standin, eventWorkflowId, changes, spacingMs, log } = run;
	// Resolves after n8n's activation poll: what the trigger reads from here on is the changes'.
	await publishWorkflow(server, watcher.workflowId);
	const since = Date.now();
	const streamingBefore = streamingSnapshot(standin);
	const eventExecutionsBefore = (await triggerExecutions(n8n, eventWorkflowId)).length;
	const script = new ChangeScript(standin, beside.sobject);
	const committed: Array<{ id: string; at: number }> = [];
	for (let change = 1; change <= changes; change++) {
		if (change > 1) await sleep(spacingMs);
		// The stand-in runs in this process: the change is committed when the call returns.
		script.round((writer) =>
			committed.push({ id: writer.create([`Polled ${change}`])[0], at: Date.now() }),
		);
		log(`  (t5) change ${change} of ${changes} committed`);
	}
	await waitForPolls([watcher], committed[committed.length - 1].at);
	const { items, executions } = await emittedBy(server, watcher);
	await waitForExecutions(n8n, eventWorkflowId, eventExecutionsBefore + changes, 60_000, 1_000);
	const eventExecutions = await triggerExecutions(n8n, eventWorkflowId);
	const pollingStart = (id: string) => {
		const execution = executions.find((candidate) =>
			candidate.items.some((item) => item.Id === id),
		);
		return execution ? Date.parse(execution.startedAt) : Number.NaN;
	};
	const eventStart = (id: string) =>
		eventExecutions.find((execution) =>
			(execution.item.recordIds as string[] | undefined)?.includes(id),
		)?.startedAt ?? Number.NaN;
	return {
		changes,
		pollingLatencies: committed.map(({ id, at }) => pollingStart(id) - at),
		eventLatencies: committed.map(({ id, at }) => eventStart(id) - at),
		judgement: script.judge('createdOrUpdated', items),
		polls: pollsOf(watcher, since),
		eventRequests: apiRequestsOf({ sf: standin, username: standin.demo.username }, since).length,
		eventConnects: streamingSnapshot(standin).connects - streamingBefore.connects,
	};
}

/** Median of what was measured (NaN: a change no execution emitted, reported as missed instead). */
function measuredMedian(latencies: number[]): number {
	const measured = latencies.filter(Number.isFinite);
	return measured.length > 0 ? median(measured) : Number.NaN;
}

/** Polls a day at one a minute: what an idle poll's cost is multiplied by. */
const POLLS_A_DAY = 1_440;

/** (t5)'s figures: the report's row, the log line, and whether both triggers emitted each change once. */
export function pollingFigures(measured: PollingMeasurement): {
	row: string;
	log: string;
	eachOnce: boolean;
} {
	const { judgement, polls } = measured;
	const polled = measuredMedian(measured.pollingLatencies);
	const pushed = measuredMedian(measured.eventLatencies);
	const slowest = Math.max(...measured.pollingLatencies.filter(Number.isFinite));
	const requests = polls.reduce((sum, each) => sum + each, 0);
	const perPoll =
		polls.length > 0
			? `**${(requests / polls.length).toFixed(1)}** per poll (${Math.min(...polls)}–${Math.max(...polls)}, ${polls.length} polls)`
			: 'no poll seen';
	const perChange = `**${(requests / measured.changes).toFixed(1)}** per change`;
	const times =
		Number.isFinite(polled / pushed) && pushed > 0
			? `${Math.round(polled / pushed).toLocaleString('en-US')}×`
			: 'n/a';
	const eventMissed = measured.eventLatencies.filter((latency) => !Number.isFinite(latency)).length;
	const once = `each once: ${judgement.emitted} emitted, ${judgement.missed} missed, ${judgement.repeated} repeated`;
	const idle =
		polls.length > 0
			? `${(Math.min(...polls) * POLLS_A_DAY).toLocaleString('en-US')} a day even with no change`
			: 'n/a';
	const row =
		`commit → execution start median **${formatMs(polled)}** (max ${formatMs(slowest)}) — **${times}** the event trigger's ${formatMs(pushed)} for the same changes; ${once}; ` +
		`REST requests ${perPoll}, ${perChange}, ${idle} — the event trigger **${measured.eventRequests}** (${measured.eventConnects} long-poll connects apart)`;
	return {
		row,
		log: row.replace(/\*\*/g, ''),
		eachOnce:
			judgement.missed === 0 &&
			judgement.repeated === 0 &&
			judgement.emitted === measured.changes &&
			eventMissed === 0,
	};
}
