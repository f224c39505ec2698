/**
 * One `n8n start` with the packed package for the event trigger's end-to-end tests, driven as a user
 * drives it: credentials and workflows created through the editor's REST API and published
 * (activated), deactivated and published again, n8n stopped and started again on the same user
 * folder. What n8n did is read from its database: the executions (their trigger items, in order) and
 * the workflow's static data (the replay state the trigger keeps across restarts).
 *
 * Written on the current fixtures (createN8nFixture, N8nInstance); the e2e harness being unified on
 * branch `e2e-harness` (one way to stand n8n up, restarts, a sink for emitted items) can take its
 * place: only this file knows how n8n is started.
 */
import { startSalesforceStandin, type SalesforceStandin, type StandinOptions } from '../../../../dev/salesforce-standin';
import type { Owner } from '../../../../dev/n8n/cli';
import { chain, salesforceEventTriggerNode } from '../../../../dev/n8n/workflow-builder';
import { credentialDataFor } from '../../../support/fixtures';
import { activateVersion, executionError, finishedExecutionsOf, publishWorkflow, restJsonOf, savedExecution, savedNodeOutput, waitFor } from '../../hardening/support/hardening-env';
import type { Haystack } from '../../hardening/support/secret-scan';
import type { CredentialRef } from '../../hardening/support/workflows';
import { createN8nFixture, CREDENTIAL_TYPE, type N8nFixture, type N8nServer, type SavedExecution } from '../../support';

export const TRIGGER_NODE = 'Salesforce Event Trigger';

/** What one execution of a trigger workflow was: its status, the trigger's item, the error of a failed one. */
export interface TriggerRun {
	id: number;
	status: string;
	item: Record<string, unknown> | undefined;
	error: string;
}

export interface TriggerEnv {
	fixture: N8nFixture;
	server: () => N8nServer;
	/** A stand-in of its own per scenario (its own org, clients, counts); short long polls unless told. */
	standin: (options?: StandinOptions) => Promise<SalesforceStandin>;
	createCredential: (name: string, standin: SalesforceStandin) => Promise<CredentialRef>;
	/** Creates a workflow of the trigger alone (with these parameters) and publishes it; returns its id. */
	publishTrigger: (name: string, credential: CredentialRef, parameters: Record<string, unknown>) => Promise<string>;
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
	return standin.streamingClients().some((client) => client.connectHeld && client.channels.includes(channel));
}

export async function until(what: string, condition: () => boolean, timeoutMs = 60_000): Promise<void> {
	await waitFor(what, async () => (condition() ? true : undefined), timeoutMs);
}

function runOf(execution: SavedExecution): TriggerRun {
	return { id: Number(execution.id), status: execution.status, item: savedNodeOutput(execution, TRIGGER_NODE)[0], error: executionError(execution) };
}

export async function startTriggerEnv(name: string, options: { n8nVersion?: string } = {}): Promise<TriggerEnv> {
	const fixture = await createN8nFixture(name, options);
	const { n8n } = fixture;
	let server: N8nServer;
	try {
		server = await fixture.startServer();
	} catch (error) {
		await fixture.cleanup();
		throw error;
	}
	const owner: Owner = server.owner;
	const haystacks: Haystack[] = [];
	let restJson = restJsonOf(server, haystacks);
	const standins: SalesforceStandin[] = [];
	const versions = new Map<string, string>();

	const env: TriggerEnv = {
		fixture,
		server: () => server,
		standin: async (standinOptions = {}) => {
			const standin = await startSalesforceStandin({ ...standinOptions, streaming: { ...E2E_STREAMING, ...standinOptions.streaming } });
			standins.push(standin);
			return standin;
		},
		createCredential: async (credentialName, standin) => {
			const created = await restJson<{ id: string; name: string }>(`create ${credentialName}`, '/rest/credentials', {
				method: 'POST',
				body: JSON.stringify({ name: credentialName, type: CREDENTIAL_TYPE, data: credentialDataFor(standin) }),
			});
			return { id: created.id, name: created.name };
		},
		publishTrigger: async (workflowName, credential, parameters) => {
			const created = await publishWorkflow(restJson, chain(workflowName, [salesforceEventTriggerNode(TRIGGER_NODE, credential, parameters)]));
			versions.set(created.id, created.versionId);
			return created.id;
		},
		activate: async (workflowId) => await activateVersion(restJson, workflowId, versions.get(workflowId) as string),
		deactivate: async (workflowId) => {
			await restJson(`deactivate ${workflowId}`, `/rest/workflows/${workflowId}/deactivate`, { method: 'POST', body: JSON.stringify({}) });
		},
		activationError: async (workflowId) => {
			// n8n 2.x: the publication's status (what the editor shows), its failed triggers' messages.
			const publication = await server.fetch(`/rest/workflows/${workflowId}/publication-status`);
			if (publication.ok) {
				const { data } = (await publication.json()) as { data: { status: string; triggers: Array<{ status: string; errorMessage?: string | null }> } };
				return data.triggers.filter((trigger) => trigger.status === 'failed').map((trigger) => trigger.errorMessage ?? '').join('\n');
			}
			// n8n 1.x: the activation error it keeps.
			const error = await restJson<unknown>(`activation error of ${workflowId}`, `/rest/active-workflows/error/${workflowId}`);
			return typeof error === 'string' ? error : error ? JSON.stringify(error) : '';
		},
		restart: async (meanwhile) => {
			await server.stop();
			await meanwhile();
			server = await n8n.startServer({ owner });
			restJson = restJsonOf(server, haystacks);
		},
		runs: async (workflowId, count, timeoutMs = 120_000) => {
			const runs: TriggerRun[] = [];
			for (const summary of await finishedExecutionsOf(n8n, workflowId, count, timeoutMs)) runs.push(runOf(await savedExecution(n8n, summary.id)));
			return runs.sort((a, b) => a.id - b.id);
		},
		replayState: async (workflowId) => {
			const staticData = await n8n.workflowStaticData(workflowId);
			return (staticData[`node:${TRIGGER_NODE}`] as { replay?: Record<string, unknown> } | undefined)?.replay;
		},
		stop: async () => {
			await server.stop();
			await Promise.all(standins.map(async (standin) => await standin.close()));
			await fixture.cleanup();
		},
	};
	return env;
}
