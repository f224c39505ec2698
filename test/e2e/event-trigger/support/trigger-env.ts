/**
 * The event trigger's end-to-end tests on the e2e harness (test/e2e/support/n8n.ts), driven as a user
 * drives n8n: credentials and workflows created through the editor's REST API and published
 * (activated), deactivated and published again, n8n stopped and started again on the same user
 * folder. What n8n did is read back: the executions (their trigger items, in order) through the REST
 * API, the workflow's static data (the replay state the trigger keeps across restarts) from its database.
 */
import type { SalesforceStandin, StandinOptions } from '../../../../dev/salesforce-standin';
import { waitFor } from '../../../../dev/n8n/wait';
import {
	createN8n,
	executionError,
	savedNodeOutput,
	type N8nServer,
	type N8nUnderTest,
	type SavedExecution,
} from '../../support';
import {
	chain,
	loginDataFor,
	salesforceEventTriggerNode,
	type CredentialRef,
} from '../../support/workflows';

export const TRIGGER_NODE = 'Salesforce Event Trigger';

/** What one execution of a trigger workflow was: its status, the trigger's item, the error of a failed one. */
export interface TriggerRun {
	id: number;
	status: string;
	item: Record<string, unknown> | undefined;
	error: string;
}

export interface TriggerEnv {
	n8n: N8nUnderTest;
	server: () => N8nServer;
	/** A stand-in of its own per scenario (its own org, clients, counts); short long polls unless told. */
	standin: (options?: StandinOptions) => Promise<SalesforceStandin>;
	createCredential: (name: string, standin: SalesforceStandin) => Promise<CredentialRef>;
	/** Creates a workflow of the trigger alone (with these parameters) and publishes it; returns its id. */
	publishTrigger: (
		name: string,
		credential: CredentialRef,
		parameters: Record<string, unknown>,
	) => Promise<string>;
	activate: (workflowId: string) => Promise<void>;
	deactivate: (workflowId: string) => Promise<void>;
	/** The activation error n8n keeps for a workflow ('' when none). */
	activationError: (workflowId: string) => Promise<string>;
	/** n8n stopped (its triggers closed as at any shutdown), `meanwhile` run, n8n started again. */
	restart: (meanwhile: () => Promise<void>) => Promise<void>;
	/** The workflow's executions, oldest first, once `count` have finished. */
	runs: (workflowId: string, count: number, timeoutMs?: number) => Promise<TriggerRun[]>;
	/** The trigger node's static data as n8n saved it. */
	replayState: (workflowId: string) => Promise<Record<string, unknown> | undefined>;
	stop: () => Promise<void>;
}

/** Tests cannot wait 110 s for an idle long poll to come back. */
export const E2E_STREAMING = { longPollTimeoutMs: 10_000 };

/** The stand-in holds a long poll of a client subscribed to `channel`: the trigger listens. */
export function listensOn(standin: SalesforceStandin, channel: string): boolean {
	return standin
		.streamingClients()
		.some((client) => client.connectHeld && client.channels.includes(channel));
}

export async function until(
	what: string,
	condition: () => boolean,
	timeoutMs = 60_000,
): Promise<void> {
	await waitFor(what, async () => (condition() ? true : undefined), { timeoutMs });
}

function runOf(execution: SavedExecution): TriggerRun {
	return {
		id: Number(execution.id),
		status: execution.status,
		item: savedNodeOutput(execution, TRIGGER_NODE)[0],
		error: executionError(execution),
	};
}

export async function startTriggerEnv(
	name: string,
	options: { n8nVersion?: string } = {},
): Promise<TriggerEnv> {
	const n8n = await createN8n({ name, n8nVersion: options.n8nVersion, start: true });
	const versions = new Map<string, string>();

	return {
		n8n,
		server: () => n8n.server,
		standin: async (standinOptions = {}) =>
			await n8n.standin({
				...standinOptions,
				streaming: { ...E2E_STREAMING, ...standinOptions.streaming },
			}),
		createCredential: async (credentialName, standin) =>
			await n8n.createCredential(credentialName, loginDataFor(standin)),
		publishTrigger: async (workflowName, credential, parameters) => {
			const created = await n8n.createWorkflow(
				chain(workflowName, [salesforceEventTriggerNode(TRIGGER_NODE, credential, parameters)]),
			);
			versions.set(created.id, created.versionId);
			// Not waiting for the publication to settle: a test may publish a trigger that cannot activate.
			await n8n.publish(created.id, { versionId: created.versionId, settle: false });
			return created.id;
		},
		activate: async (workflowId) =>
			void (await n8n.publish(workflowId, { versionId: versions.get(workflowId), settle: false })),
		deactivate: async (workflowId) => void (await n8n.unpublish(workflowId)),
		activationError: async (workflowId) => {
			const { triggers } = await n8n.publicationStatus(workflowId);
			return triggers
				.filter((trigger) => trigger.status === 'failed')
				.map((trigger) => trigger.errorMessage ?? '')
				.join('\n');
		},
		restart: async (meanwhile) => {
			await n8n.stop();
			await meanwhile();
			await n8n.start();
		},
		runs: async (workflowId, count, timeoutMs = 120_000) => {
			const runs: TriggerRun[] = [];
			for (const summary of await n8n.executions.waitForFinished(workflowId, count, timeoutMs))
				runs.push(runOf(await n8n.executions.readFinished(summary.id)));
			return runs.sort((a, b) => a.id - b.id);
		},
		replayState: async (workflowId) => {
			const staticData = await n8n.cli.workflowStaticData(workflowId);
			return (
				staticData[`node:${TRIGGER_NODE}`] as { replay?: Record<string, unknown> } | undefined
			)?.replay;
		},
		stop: async () => await n8n.cleanup(),
	};
}
