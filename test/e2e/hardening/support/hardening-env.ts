/**
 * One long-running `n8n start` with the packed package, driven the way a user drives it: credentials
 * and workflows created through the editor's REST API, workflows published so their production
 * webhooks listen, and executions started by calling those webhooks. Everything the run leaves behind
 * (saved executions, the server log, REST answers, CLI output) is collected for the secret scan.
 *
 * The package's login guard lives in the n8n process's memory and is keyed by the login details, so
 * scenarios that must not influence each other each get their own Salesforce stand-in (its own origin).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { CommandResult } from '../../../../dev/n8n/child-processes';

import { startSalesforceStandin, type SalesforceStandin, type StandinOptions } from '../../../../dev/salesforce-standin';
import {
	createN8nFixture,
	newId,
	type ExecutionSummary,
	CREDENTIAL_TYPE,
	N8nInstance,
	type N8nFixture,
	type N8nServer,
	type SavedExecution,
	type WorkflowToImport,
} from '../../support';
import { credentialDataFor } from '../../../support/fixtures';
import type { Haystack, Needle } from './secret-scan';
import type { CredentialRef } from './workflows';

export interface SalesforceLoginData {
	authFlow: 'password' | 'clientCredentials' | 'jwtBearer';
	domain: string;
	consumerKey: string;
	consumerSecret: string;
	username: string;
	password: string;
	securityToken: string;
	/** JWT Bearer only. */
	privateKey?: string;
	passphrase?: string;
	audience?: string;
	timeout: number;
}

export interface WebhookCall {
	status: number;
	body: Record<string, unknown>;
	text: string;
}

export interface ActiveWorkflow {
	id: string;
	name: string;
	path: string;
	/** Calls GET /webhook/<path> and waits for the workflow to finish (response mode "last node"). */
	call: () => Promise<WebhookCall>;
}

/** Everything known about the stand-ins' sessions, to search for afterwards. */
export class TokenLedger {
	private readonly tokens = new Set<string>();

	/** Remembers every session the stand-in holds now; call before sessions are ended. */
	record(standin: SalesforceStandin): void {
		for (const token of standin.activeSessions()) this.tokens.add(token);
	}

	/** Records, then ends every session of the stand-in (as the org's inactivity timeout would). */
	expireAll(standin: SalesforceStandin): void {
		this.record(standin);
		standin.expireAllSessions();
	}

	get all(): Needle[] {
		return [...this.tokens].map((value, index) => ({ label: `access token #${index + 1}`, value }));
	}
}

export interface HardeningEnv {
	fixture: N8nFixture;
	n8n: N8nInstance;
	server: N8nServer;
	tokens: TokenLedger;
	/** Every stand-in started for this environment. */
	standins: SalesforceStandin[];
	/** Secrets that must never appear anywhere (passwords, security tokens, consumer secrets). */
	secrets: Needle[];
	/** REST answers, CLI output and error texts gathered along the way. */
	haystacks: Haystack[];
	standin: (options?: StandinOptions) => Promise<SalesforceStandin>;
	/** Creates the credential through the REST API, as the editor's Save button does. */
	createCredential: (name: string, data: SalesforceLoginData) => Promise<CredentialRef>;
	/**
	 * Creates the workflow and publishes (activates) it, so its production webhook listens.
	 * `tokenFields`: the output fields the workflow maps the access token into (the only places a token
	 * may appear in its executions and webhook answers).
	 */
	activateWorkflow: (workflow: WorkflowToImport, webhookPath: string, tokenFields?: string[]) => Promise<ActiveWorkflow>;
	/** Output fields each workflow maps the access token into, by workflow id. */
	tokenFieldsByWorkflow: Map<string, string[]>;
	/** Executions saved for a workflow, oldest first, waiting until `count` of them have finished. */
	finishedExecutions: (workflowId: string, count: number) => Promise<SavedExecution[]>;
	/** The same without reading the data (one quick query). */
	finishedExecutionSummaries: (workflowId: string, count: number) => Promise<ExecutionSummary[]>;
	/**
	 * Runs an n8n CLI command against the same user folder (only once the server has stopped: they
	 * would share one SQLite file); its output is kept for the secret scan.
	 */
	cli: (label: string, args: string[]) => Promise<CommandResult>;
	/** `n8n import:credentials` of one Salesforce credential, as an admin would provision it. */
	importCredentialWithCli: (name: string, data: SalesforceLoginData) => Promise<CredentialRef>;
	/** Stops n8n (flushing its log); the stand-ins keep running and the user folder stays for the scan. */
	stopServer: () => Promise<void>;
	/** stopServer, closes the stand-ins, removes the user folder. */
	stop: () => Promise<void>;
}

export function loginDataFor(standin: SalesforceStandin, changes: Partial<SalesforceLoginData> = {}): SalesforceLoginData {
	return credentialDataFor(standin, changes) as unknown as SalesforceLoginData;
}

/** The values of a credential that are secret; an empty or absent one is skipped. */
export function secretNeedles(label: string, data: Partial<SalesforceLoginData>): Needle[] {
	const needles: Needle[] = [];
	for (const field of ['consumerSecret', 'password', 'securityToken', 'privateKey', 'passphrase'] as const) {
		const value = data[field];
		if (value) needles.push({ label: `${label} ${field}`, value });
	}
	// A private key also by each line of its body: a key that leaked re-wrapped or cut off shows one.
	const bodyLines = (data.privateKey ?? '').split('\n').filter((line) => line.length >= 40 && !line.startsWith('-----'));
	bodyLines.forEach((value, index) => needles.push({ label: `${label} privateKey line ${index + 1}`, value }));
	if (data.password && data.securityToken) needles.push({ label: `${label} password+securityToken`, value: data.password + data.securityToken });
	return needles;
}

const FINISHED = new Set(['success', 'error', 'crashed', 'canceled']);

/** A workflow's executions (summaries, oldest first) once `count` of them have finished. */
export async function finishedExecutionsOf(n8n: N8nInstance, workflowId: string, count: number, timeoutMs = 60_000): Promise<ExecutionSummary[]> {
	return await waitFor(
		`${count} finished executions of workflow ${workflowId}`,
		async () => {
			const found = (await n8n.listExecutions()).filter((execution) => execution.workflowId === workflowId);
			return found.length >= count && found.every((execution) => FINISHED.has(execution.status)) ? found : undefined;
		},
		timeoutMs,
	);
}

/** An execution as saved, once its data is there (it can land a moment after the status). */
export async function savedExecution(n8n: N8nInstance, executionId: string): Promise<SavedExecution> {
	return await waitFor(`the data of execution ${executionId}`, async () => {
		const execution = await n8n.readExecution(executionId);
		return execution.rawData === '' ? undefined : execution;
	});
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs / 1000}s waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
}

/** The message and description n8n saved for a failed execution, as one text. */
export function executionError(execution: SavedExecution): string {
	const data = execution.data as { resultData?: { error?: { message?: string; description?: string } } } | undefined;
	const error = data?.resultData?.error;
	return [error?.message, error?.description].filter(Boolean).join('\n');
}

/** The JSON of the items a node output in a saved execution (first run, first output). */
export function savedNodeOutput(execution: SavedExecution, nodeName: string): Array<Record<string, unknown>> {
	const data = execution.data as {
		resultData?: { runData?: Record<string, Array<{ data?: { main?: Array<Array<{ json: Record<string, unknown> }> | null> } }>> };
	};
	return (data?.resultData?.runData?.[nodeName]?.[0]?.data?.main?.[0] ?? []).map((item) => item.json);
}

export async function startHardeningEnv(name: string): Promise<HardeningEnv> {
	const fixture = await createN8nFixture(name);
	// Debug logging: the most n8n ever writes about an execution must still hold no secret.
	const n8n = new N8nInstance({ userFolder: fixture.userFolder, runtime: fixture.runtime, env: { N8N_LOG_LEVEL: 'debug' } });
	let server: N8nServer;
	try {
		server = await n8n.startServer();
	} catch (error) {
		await fixture.cleanup();
		throw error;
	}
	const standins: SalesforceStandin[] = [];
	const tokens = new TokenLedger();
	const secrets: Needle[] = [];
	const haystacks: Haystack[] = [];
	const tokenFieldsByWorkflow = new Map<string, string[]>();
	let credentialCount = 0;
	let serverStopped: Promise<void> | undefined;

	const restJson = restJsonOf(server, haystacks);

	const env: HardeningEnv = {
		fixture,
		n8n,
		server,
		tokens,
		standins,
		secrets,
		haystacks,
		standin: async (options = {}) => {
			const standin = await startSalesforceStandin(options);
			standins.push(standin);
			secrets.push(...secretNeedles(`stand-in ${standins.length}`, loginDataFor(standin)));
			return standin;
		},
		createCredential: async (credentialName, data) => {
			secrets.push(...secretNeedles(`credential "${credentialName}"`, data));
			const created = await restJson<{ id: string; name: string }>(`create credential ${++credentialCount}`, '/rest/credentials', {
				method: 'POST',
				body: JSON.stringify({ name: credentialName, type: CREDENTIAL_TYPE, data }),
			});
			return { id: created.id, name: created.name };
		},
		tokenFieldsByWorkflow,
		activateWorkflow: async (workflow, webhookPath, tokenFields = []) => {
			const active = await publishWebhookWorkflow(restJson, server.apiUrl, workflow, webhookPath, (text) =>
				haystacks.push({ label: `webhook answer of ${workflow.name}`, text, tokenFields }),
			);
			tokenFieldsByWorkflow.set(active.id, tokenFields);
			return active;
		},
		finishedExecutions: async (workflowId, count) => {
			const executions: SavedExecution[] = [];
			for (const summary of await finishedExecutionsOf(n8n, workflowId, count)) executions.push(await savedExecution(n8n, summary.id));
			return executions;
		},
		finishedExecutionSummaries: async (workflowId, count) => await finishedExecutionsOf(n8n, workflowId, count),
		cli: async (label, args) => {
			const result = await n8n.run(args);
			haystacks.push({ label: `CLI ${label} stdout`, text: result.stdout }, { label: `CLI ${label} stderr`, text: result.stderr });
			if (result.exitCode !== 0 && args[0] !== 'execute') {
				throw new Error(`n8n ${args[0]} failed (exit ${result.exitCode}):\n${result.stderr.slice(-2000)}`);
			}
			return result;
		},
		importCredentialWithCli: async (credentialName, data) => {
			secrets.push(...secretNeedles(`credential "${credentialName}"`, data));
			const credential = { id: newId(), name: credentialName, type: CREDENTIAL_TYPE, data };
			const folder = mkdtempSync(join(tmpdir(), 'sfi-hardening-import-'));
			try {
				const file = join(folder, 'credentials.json');
				writeFileSync(file, JSON.stringify([credential]), { mode: 0o600 });
				await env.cli(`import:credentials ${credentialName}`, ['import:credentials', `--input=${file}`]);
			} finally {
				rmSync(folder, { recursive: true, force: true });
			}
			return { id: credential.id, name: credentialName };
		},
		stopServer: async () => {
			serverStopped ??= (async () => {
				for (const standin of standins) tokens.record(standin);
				await server.stop();
			})();
			await serverStopped;
		},
		stop: async () => {
			await env.stopServer();
			await Promise.all(standins.map(async (standin) => await standin.close()));
			await fixture.cleanup();
		},
	};
	return env;
}

export type RestJson = <T>(label: string, path: string, init?: RequestInit) => Promise<T>;

/**
 * n8n's editor REST API as the editor calls it (the login cookie from `server`): the answer's
 * `data`, each answer kept in `haystacks` for the secret scans, a clear error on a failed call.
 */
export function restJsonOf(server: { fetch: (path: string, init?: RequestInit) => Promise<Response> }, haystacks: Haystack[]): RestJson {
	return async <T>(label: string, path: string, init?: RequestInit): Promise<T> => {
		const response = await server.fetch(path, init);
		const text = await response.text();
		haystacks.push({ label: `REST answer to ${init?.method ?? 'GET'} ${path} (${label})`, text });
		if (!response.ok) throw new Error(`${init?.method ?? 'GET'} ${path} answered ${response.status}: ${text.slice(0, 500)}`);
		return (JSON.parse(text) as { data: T }).data;
	};
}

/**
 * Creates the workflow through the REST API and publishes (activates) it — "Publish" in n8n 2.x,
 * activating one saved version; asynchronous there: its triggers start a moment later.
 */
export async function publishWorkflow(restJson: RestJson, workflow: WorkflowToImport): Promise<{ id: string; versionId: string }> {
	const created = await restJson<{ id: string; versionId: string }>(`create ${workflow.name}`, '/rest/workflows', {
		method: 'POST',
		// n8n 1.x needs `active` stated; the activate call publishes.
		body: JSON.stringify({ name: workflow.name, nodes: workflow.nodes, connections: workflow.connections, settings: workflow.settings ?? {}, active: false }),
	});
	await activateVersion(restJson, created.id, created.versionId);
	return created;
}

/** Publishes (activates) a saved version of a workflow again, e.g. after a deactivation. */
export async function activateVersion(restJson: RestJson, workflowId: string, versionId: string): Promise<void> {
	await restJson(`activate ${workflowId}`, `/rest/workflows/${workflowId}/activate`, { method: 'POST', body: JSON.stringify({ versionId }) });
}

/**
 * Creates the workflow through the REST API and publishes (activates) it, so its production webhook
 * listens; `onAnswer` sees every webhook answer's text (for the secret scans).
 */
export async function publishWebhookWorkflow(
	restJson: RestJson,
	apiUrl: string,
	workflow: WorkflowToImport,
	webhookPath: string,
	onAnswer: (text: string) => void = () => undefined,
): Promise<ActiveWorkflow> {
	const created = await publishWorkflow(restJson, workflow);
	// Publishing is asynchronous in n8n 2.x (an outbox poller registers the webhook a moment after
	// the activate call returns). A request with another method tells "not registered yet" from
	// "registered, but for GET" without starting an execution.
	await waitFor(`the production webhook /webhook/${webhookPath} to be registered`, async () => {
		const probe = await fetch(`${apiUrl}/webhook/${webhookPath}`, { method: 'POST' });
		const text = await probe.text();
		return probe.status === 404 && /not registered for POST requests/.test(text) ? true : undefined;
	});
	const call = async (): Promise<WebhookCall> => {
		const response = await fetch(`${apiUrl}/webhook/${webhookPath}`);
		const text = await response.text();
		onAnswer(text);
		let body: Record<string, unknown> = {};
		try {
			body = JSON.parse(text) as Record<string, unknown>;
		} catch {
			// An empty or non-JSON answer; the status says what happened.
		}
		return { status: response.status, body, text };
	};
	return { id: created.id, name: workflow.name, path: webhookPath, call };
}

/** One webhook run of a workflow: the HTTP answer and the error n8n saved for it ('' on success). */
export interface WorkflowRunResult {
	status: number;
	body: Record<string, unknown>;
	error: string;
}

/**
 * Runs workflows through their webhooks and reads each run's saved execution; every error text is
 * added to `errorTexts` for the final secret scan.
 */
export function workflowRunner(env: HardeningEnv, errorTexts: Haystack[]): (workflow: ActiveWorkflow) => Promise<WorkflowRunResult> {
	const runsByWorkflow = new Map<string, number>();
	return async (workflow) => {
		const runNumber = (runsByWorkflow.get(workflow.id) ?? 0) + 1;
		runsByWorkflow.set(workflow.id, runNumber);
		const answer = await workflow.call();
		const executions = await env.finishedExecutions(workflow.id, runNumber);
		const error = executionError(executions[runNumber - 1]);
		errorTexts.push({ label: `error of ${workflow.name} run ${runNumber}`, text: error });
		return { status: answer.status, body: answer.body, error };
	};
}

/** The server's log file, once the server has stopped (or so far, while it runs). */
export function serverLog(env: HardeningEnv): Haystack {
	return { label: 'n8n server log', text: readFileSync(env.server.logFile, 'utf8') };
}
