/**
 * Polling triggers side by side in one real n8n, on scripted changes (./trigger-scenarios.ts): the
 * end-to-end suite runs the Salesforce Trigger this way, the benchmark runs it beside n8n's own.
 *
 * Each trigger ("watcher") has a credential of its own, logged in as a stand-in user of its own, so
 * what it sent is told apart at the stand-in (RecordedRequest.username). A run is rounds of changes;
 * between two rounds every watcher polls at least once — n8n polls each trigger once a minute, at a
 * second of its own, so the runner waits for the requests rather than for a fixed time.
 */
import { PACKAGE_NAME, salesforceCredential } from './demo-workflow';
import type { CredentialToImport, N8nServer, WorkflowToImport } from './n8n/cli';
import { newId } from './n8n/cli';
import { isFinished, triggerExecutions, type TriggerExecution } from './n8n/published-workflows';
import { chain } from './n8n/workflow-builder';
import type { SalesforceStandin } from './salesforce-standin';
import type { ItemStamp, TriggerEvent } from './trigger-scenarios';

export const SALESFORCE_TRIGGER_TYPE = `${PACKAGE_NAME}.salesforceTrigger`;
export const TRIGGER_NODE = 'Salesforce Trigger';

/** A stand-in API user of its own (the demo user's password and token) and this package's credential for it. */
export function apiUserCredential(
	sf: SalesforceStandin,
	name: string,
	slug: string,
): { credential: CredentialToImport; username: string } {
	const username = `${slug}@bench.standin.example`;
	sf.users.push({ username, password: sf.demo.password, securityToken: sf.demo.securityToken });
	return {
		credential: salesforceCredential(name, {
			authFlow: 'password',
			domain: sf.url,
			...sf.demo,
			username,
		}),
		username,
	};
}

/** A workflow holding one polling trigger node (it polls every minute unless told). */
export function pollingWorkflow(
	name: string,
	trigger: {
		type: string;
		typeVersion: number;
		parameters: Record<string, unknown>;
		credentials: Record<string, { id: string; name: string }>;
	},
): WorkflowToImport {
	return {
		...chain(name, [
			{
				name: TRIGGER_NODE,
				...trigger,
				parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, ...trigger.parameters },
			},
		]),
		id: newId(),
	};
}

/** The Salesforce Trigger on `event` of `sobject`, every field, through this package's credential. */
export function salesforceTriggerWorkflow(
	name: string,
	credential: { id: string; name: string },
	event: TriggerEvent,
	sobject = 'Account',
): WorkflowToImport {
	return pollingWorkflow(name, {
		type: SALESFORCE_TRIGGER_TYPE,
		typeVersion: 1,
		parameters: { event, sobject: { __rl: true, mode: 'name', value: sobject } },
		credentials: { salesforceIntegrationApi: credential },
	});
}

export interface Watcher {
	label: string;
	event: TriggerEvent;
	workflowId: string;
	sf: SalesforceStandin;
	/** The stand-in user of its credential. */
	username: string;
	/** Which audit field its items carry to date a change. */
	stamp?: ItemStamp;
}

/** A credential's stand-in user, by which the stand-in tells its requests apart. */
type ApiUser = Pick<Watcher, 'sf' | 'username'>;

/** Requests the watcher's credential sent, since `since` (this machine's ms). */
export function requestsOf(watcher: ApiUser, since = 0) {
	return watcher.sf.requests.filter(
		(request) => request.username === watcher.username && request.at > since,
	);
}

/** Of those, the API requests: what the org's allocation counts (REST under /services/data/vXX.X/). */
export function apiRequestsOf(watcher: ApiUser, since = 0) {
	return requestsOf(watcher, since).filter((request) =>
		/^\/services\/data\/v\d+\.\d+\//.test(request.path),
	);
}

/**
 * What starts a poll's reading: this package's trigger sends one Composite request a poll, n8n's a
 * query (`query?q=…`; its next pages are `query/<locator>`).
 */
function startsAPoll(request: {
	method: string;
	path: string;
	query: Record<string, string>;
}): boolean {
	return (
		(request.method === 'POST' && /\/composite$/.test(request.path)) ||
		(/\/query$/.test(request.path) && request.query.q !== undefined)
	);
}

/**
 * The API requests (what the org's allocation counts: REST under /services/data/vXX.X/) of each of
 * the watcher's polls, in order: from the request that starts one to the next, a describe read
 * before a poll counted with it.
 */
export function pollsOf(watcher: Watcher, since = 0): number[] {
	const counted = apiRequestsOf(watcher, since);
	const polls: number[] = [];
	let before = 0;
	for (const request of counted) {
		if (startsAPoll(request)) {
			polls.push(before + 1);
			before = 0;
		} else if (polls.length > 0 && !/\/describe$/.test(request.path)) {
			polls[polls.length - 1]++;
		} else {
			before++;
		}
	}
	return polls;
}

/** Logins the watcher's credential made since `since`. */
export function loginsOf(watcher: Watcher, since = 0): number {
	return watcher.sf
		.tokenRequests()
		.filter((request) => request.form?.username === watcher.username && request.at > since).length;
}

async function sleep(ms: number): Promise<void> {
	await new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Resolves once every watcher has polled since `since` (this machine's ms) and sent nothing for
 * `quietMs` (its poll is over). n8n polls each trigger once a minute.
 */
export async function waitForPolls(
	watchers: Watcher[],
	since: number,
	options: { timeoutMs?: number; quietMs?: number } = {},
): Promise<void> {
	const { timeoutMs = 150_000, quietMs = 3_000 } = options;
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const waiting = watchers.filter((watcher) => {
			const sent = requestsOf(watcher, since);
			return sent.length === 0 || Date.now() - sent[sent.length - 1].at < quietMs;
		});
		if (waiting.length === 0) return;
		if (Date.now() > deadline)
			throw new Error(
				`No poll since ${new Date(since).toISOString()} of: ${waiting.map((watcher) => watcher.label).join(', ')}`,
			);
		await sleep(500);
	}
}

export interface WatcherRun {
	executions: TriggerExecution[];
	items: Array<Record<string, unknown>>;
}

/**
 * Every execution of the watcher's workflow and the items its trigger emitted, in order, once every
 * execution has finished and none was added for two seconds (n8n starts one after a poll returned
 * items, and saves it when it ends).
 */
export async function emittedBy(
	server: N8nServer,
	watcher: Watcher,
	options: { timeoutMs?: number } = {},
): Promise<WatcherRun> {
	const deadline = Date.now() + (options.timeoutMs ?? 60_000);
	let executions = await triggerExecutions(server, watcher.workflowId, TRIGGER_NODE);
	for (;;) {
		await sleep(2_000);
		const again = await triggerExecutions(server, watcher.workflowId, TRIGGER_NODE);
		const settled = again.length === executions.length && again.every(isFinished);
		executions = again;
		if (settled) break;
		if (Date.now() > deadline)
			throw new Error(
				`The executions of ${watcher.label} did not finish: ${executions.map((execution) => `${execution.id} ${execution.status}`).join(', ')}`,
			);
	}
	return { executions, items: executions.flatMap((execution) => execution.items) };
}
