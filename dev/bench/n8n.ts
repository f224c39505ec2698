/**
 * The n8n side of the benchmark: a private user folder with the packed package installed the way
 * n8n installs community packages, one `n8n start`, webhook-triggered workflows, and the run data
 * n8n saved for an execution (read back through its REST API).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { buildAndPackOnce, REPO_ROOT } from '../n8n/packed-package';
import { runCommand } from '../n8n/child-processes';
import { N8nInstance, type N8nServer } from '../n8n/cli';
import { installPackageLikeN8n } from '../n8n/community-package';
import { ensureN8nRuntime, N8N_VERSION } from '../n8n/runtime';
import { unflatten } from '../n8n/saved-executions';
import type { Variant } from './workflows';

export interface BenchN8n {
	n8n: N8nInstance;
	userFolder: string;
	n8nVersion: string;
	/** `node --version` of the Node n8n runs on. */
	n8nNodeVersion: string;
}

export async function prepareN8n(log: (line: string) => void): Promise<BenchN8n> {
	const tarball = await buildAndPackOnce(log);
	const runtime = await ensureN8nRuntime({ log });
	const userFolder = mkdtempSync(join(tmpdir(), 'sfi-bench-'));
	await installPackageLikeN8n(userFolder, { repoRoot: REPO_ROOT, tarball });
	const version = await runCommand(runtime.nodeBinary, ['--version'], { cwd: userFolder, timeoutMs: 30_000 });
	return {
		n8n: new N8nInstance({ userFolder, runtime }),
		userFolder,
		n8nVersion: N8N_VERSION,
		n8nNodeVersion: version.stdout.trim() || 'unknown',
	};
}

/** Publishes the workflow's current version, which registers its production webhook. */
export async function activateWorkflow(server: N8nServer, workflowId: string): Promise<void> {
	const { data } = await server.json<{ data: { versionId: string } }>(`/rest/workflows/${workflowId}`);
	await server.json(`/rest/workflows/${workflowId}/activate`, {
		method: 'POST',
		body: JSON.stringify({ versionId: data.versionId }),
	});
}

export interface WebhookRun {
	ms: number;
}

/**
 * POSTs `items` to the variant's production webhook and waits for the answer, which n8n sends when
 * the last node has run. Throws when the execution failed or did not produce what the variant must.
 */
export async function triggerWebhook(server: N8nServer, variant: Variant, items: unknown[]): Promise<WebhookRun> {
	const startedAt = performance.now();
	const response = await fetch(`${server.apiUrl}/webhook/${variant.webhookPath}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ items }),
	});
	const text = await response.text();
	const ms = performance.now() - startedAt;
	if (!response.ok) {
		throw new Error(`${variant.label}: the webhook answered ${response.status}: ${text.slice(0, 300)} (n8n's log: ${server.logFile})`);
	}
	if (variant.expectedField) {
		const body = JSON.parse(text) as Record<string, unknown>;
		if (typeof body[variant.expectedField] !== 'string' || body[variant.expectedField] === '') {
			throw new Error(`${variant.label}: the execution's first item has no ${variant.expectedField}: ${text.slice(0, 300)}`);
		}
	}
	return { ms };
}

interface ExecutionListPage {
	data: { results: Array<{ id: string; workflowId: string; status: string }> };
}

/** The ids of the workflow's most recent executions, newest first. */
export async function latestExecutionIds(server: N8nServer, workflowId: string, count = 1): Promise<string[]> {
	const filter = encodeURIComponent(JSON.stringify({ workflowId }));
	const page = await server.json<ExecutionListPage>(`/rest/executions?filter=${filter}&limit=${count}`);
	return page.data.results.map((execution) => String(execution.id));
}

interface TaskData {
	executionTime?: number;
	data?: { main?: Array<unknown[] | null> };
}

export interface ExecutionTimes {
	/** Sum of the step nodes' runData `executionTime` (ms, as n8n measures it: whole milliseconds). */
	stepMs: number;
	/** Items the first step node put out. */
	stepItems: number;
	/** startedAt → stoppedAt as n8n saved them. */
	executionMs: number;
}

/** What n8n recorded for one execution: GET /rest/executions/:id, whose `data` is flatted JSON. */
export async function readExecutionTimes(server: N8nServer, executionId: string, stepNodes: string[]): Promise<ExecutionTimes> {
	const { data: execution } = await server.json<{ data: { data: string; startedAt: string; stoppedAt: string; status: string } }>(
		`/rest/executions/${executionId}`,
	);
	const data = unflatten(execution.data) as { resultData: { runData: Record<string, TaskData[]> } };
	const runData = data.resultData.runData;
	let stepMs = 0;
	for (const node of stepNodes) {
		const task = runData[node]?.[0];
		if (!task || typeof task.executionTime !== 'number') {
			throw new Error(`Execution ${executionId} (${execution.status}) has no run data for "${node}".`);
		}
		stepMs += task.executionTime;
	}
	const stepItems = runData[stepNodes[0]]?.[0]?.data?.main?.[0]?.length ?? 0;
	return { stepMs, stepItems, executionMs: Date.parse(execution.stoppedAt) - Date.parse(execution.startedAt) };
}

/** Keep going when a quick cleanup step fails; report it. */
export async function bestEffort(what: string, action: () => Promise<unknown>): Promise<void> {
	try {
		await action();
	} catch (error) {
		console.warn(`  ! ${what} failed: ${error instanceof Error ? error.message : String(error)}`);
	}
}
