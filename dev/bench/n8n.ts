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

export async function prepareN8n(
	log: (line: string) => void,
	env: Record<string, string> = {},
): Promise<BenchN8n> {
	const tarball = await buildAndPackOnce(log);
	const runtime = await ensureN8nRuntime({ log });
	const userFolder = mkdtempSync(join(tmpdir(), 'sfi-bench-'));
	await installPackageLikeN8n(userFolder, { repoRoot: REPO_ROOT, tarball });
	const version = await runCommand(runtime.nodeBinary, ['--version'], {
		cwd: userFolder,
		timeoutMs: 30_000,
	});
	return {
		// n8n pings its database every 2 s and answers every request 503 "Database is not ready" after
		// one ping over 5 s — on this shared 2-core machine, load from other processes is enough.
		n8n: new N8nInstance({ userFolder, runtime, env: { DB_PING_TIMEOUT_MS: '60000', ...env } }),
		userFolder,
		n8nVersion: N8N_VERSION,
		n8nNodeVersion: version.stdout.trim() || 'unknown',
	};
}

/** What n8n answers every request with while its database ping fails (it pings every 2 s, 5 s timeout). */
const NOT_READY = 'Database is not ready';

/**
 * n8n marked its database "not ready" (a ping took over 5 s, as on a machine overloaded by other
 * processes): nothing ran. The caller waits until n8n is ready again and repeats what it was doing.
 */
export class N8nNotReadyError extends Error {}

function isNotReady(error: unknown): boolean {
	return (
		error instanceof N8nNotReadyError ||
		(error instanceof Error && error.message.includes(NOT_READY))
	);
}

/** Polls /healthz/readiness until n8n answers 200 again. */
export async function waitUntilReady(server: N8nServer, timeoutMs = 120_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const ok = await fetch(`${server.apiUrl}/healthz/readiness`).then(
			(response) => response.ok,
			() => false,
		);
		if (ok) return;
		if (Date.now() > deadline)
			throw new Error(
				`n8n did not become ready again within ${timeoutMs / 1000} s (n8n's log: ${server.logFile})`,
			);
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
}

/** Runs `action`; when n8n was not ready, waits until it is and runs it again (at most `attempts` times in all). */
export async function whenReady<T>(
	server: N8nServer,
	what: string,
	action: () => Promise<T>,
	log?: (line: string) => void,
	attempts = 4,
): Promise<T> {
	for (let attempt = 1; ; attempt++) {
		try {
			return await action();
		} catch (error) {
			if (!isNotReady(error) || attempt >= attempts) throw error;
			log?.(
				`  ! n8n answered "${NOT_READY}" during ${what}: waiting until it is ready, then repeating it (attempt ${attempt + 1} of ${attempts})`,
			);
			await waitUntilReady(server);
		}
	}
}

export interface WebhookRun {
	ms: number;
}

/**
 * POSTs `items` to the variant's production webhook and waits for the answer, which n8n sends when
 * the last node has run. Throws when the execution failed or did not produce what the variant must.
 */
export async function triggerWebhook(
	server: N8nServer,
	variant: Variant,
	items: unknown[],
): Promise<WebhookRun> {
	const startedAt = performance.now();
	const response = await fetch(`${server.apiUrl}/webhook/${variant.webhookPath}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ items }),
	});
	const text = await response.text();
	const ms = performance.now() - startedAt;
	if (response.status === 503 && text.includes(NOT_READY))
		throw new N8nNotReadyError(`${variant.label}: the webhook answered 503 (${NOT_READY})`);
	if (!response.ok) {
		throw new Error(
			`${variant.label}: the webhook answered ${response.status}: ${text.slice(0, 300)} (n8n's log: ${server.logFile})`,
		);
	}
	if (variant.checkAnswer) {
		let body: unknown;
		try {
			body = JSON.parse(text);
		} catch {
			throw new Error(`${variant.label}: the webhook's answer is not JSON: ${text.slice(0, 300)}`);
		}
		const problem =
			body && typeof body === 'object'
				? variant.checkAnswer(body as Record<string, unknown>)
				: 'the answer is not an object';
		if (problem)
			throw new Error(
				`${variant.label}: ${problem}: ${text.slice(0, 300)} (n8n's log: ${server.logFile})`,
			);
	}
	return { ms };
}

interface ExecutionListPage {
	data: { results: Array<{ id: string; workflowId: string; status: string }> };
}

/** The ids of the workflow's most recent executions, newest first. */
export async function latestExecutionIds(
	server: N8nServer,
	workflowId: string,
	count = 1,
): Promise<string[]> {
	const filter = encodeURIComponent(JSON.stringify({ workflowId }));
	const page = await server.json<ExecutionListPage>(
		`/rest/executions?filter=${filter}&limit=${count}`,
	);
	return page.data.results.map((execution) => String(execution.id));
}

interface TaskData {
	executionTime?: number;
	data?: { main?: Array<Array<{ json?: Record<string, unknown> }> | null> };
	error?: { message?: string; description?: string };
}

export interface ExecutionTimes {
	/** Sum of the step nodes' runData `executionTime` (ms, as n8n measures it: whole milliseconds). */
	stepMs: number;
	/** Items the first step node put out. */
	stepItems: number;
	/** startedAt → stoppedAt as n8n saved them. */
	executionMs: number;
	/** The json of the items the last step node put out (its first output). */
	output: Array<Record<string, unknown>>;
}

/** What n8n recorded for one execution: GET /rest/executions/:id, whose `data` is flatted JSON. */
export async function readExecutionTimes(
	server: N8nServer,
	executionId: string,
	stepNodes: string[],
): Promise<ExecutionTimes> {
	const { data: execution } = await server.json<{
		data: { data: string; startedAt: string; stoppedAt: string; status: string };
	}>(`/rest/executions/${executionId}`);
	const data = unflatten(execution.data) as { resultData: { runData: Record<string, TaskData[]> } };
	const runData = data.resultData.runData;
	let stepMs = 0;
	for (const node of stepNodes) {
		const task = runData[node]?.[0];
		if (!task || typeof task.executionTime !== 'number') {
			throw new Error(
				`Execution ${executionId} (${execution.status}) has no run data for "${node}".`,
			);
		}
		stepMs += task.executionTime;
	}
	const stepItems = runData[stepNodes[0]]?.[0]?.data?.main?.[0]?.length ?? 0;
	const last = runData[stepNodes[stepNodes.length - 1]]?.[0]?.data?.main?.[0] ?? [];
	return {
		stepMs,
		stepItems,
		executionMs: Date.parse(execution.stoppedAt) - Date.parse(execution.startedAt),
		output: last.map((item) => item.json ?? {}),
	};
}

/** Keep going when a quick cleanup step fails; report it. */
export async function bestEffort(what: string, action: () => Promise<unknown>): Promise<void> {
	try {
		await action();
	} catch (error) {
		console.warn(`  ! ${what} failed: ${error instanceof Error ? error.message : String(error)}`);
	}
}
