/**
 * Published (active) workflows of a running `n8n start`, through the REST API the editor uses:
 * publishing one and knowing its triggers are active, and what its trigger emitted in each
 * execution. What polling triggers need: their executions start on n8n's schedule, not on a request.
 *
 * n8n 2.x publishes through an outbox: the activate call records the wish and n8n activates the
 * triggers a moment later (the activation poll included, retried 5 times before it counts as
 * failed); `GET /rest/workflows/:id/publication-status` says when that has settled and how. n8n 1.x
 * activates inside the call (a failure is its HTTP 400) and has no such route.
 */
import type { N8nServer } from './server';
import { unflatten } from './saved-executions';

/** Up to n8n 2.x's own abort of a publication (0.7 × its 120 s lease), with room. */
const PUBLICATION_TIMEOUT_MS = 120_000;

interface PublicationStatus {
	status: 'in_progress' | 'not_published' | 'published' | 'partial' | 'failed';
	liveVersionId: string | null;
	triggers?: Array<{ nodeId: string; status: string; errorMessage: string | null }>;
}

async function sleep(ms: number): Promise<void> {
	await new Promise((resolve) => setTimeout(resolve, ms));
}

/** Publishes the workflow's current version and resolves once its triggers are active; throws saying why when one is not. */
export async function publishWorkflow(server: N8nServer, workflowId: string): Promise<void> {
	const { data } = await server.json<{ data: { versionId: string } }>(
		`/rest/workflows/${workflowId}`,
	);
	await server.json(`/rest/workflows/${workflowId}/activate`, {
		method: 'POST',
		body: JSON.stringify({ versionId: data.versionId }),
	});
	const deadline = Date.now() + PUBLICATION_TIMEOUT_MS;
	for (;;) {
		const answer = await server.fetch(`/rest/workflows/${workflowId}/publication-status`);
		// n8n 1.x: no publication service; the activate call has activated the triggers (or failed).
		if (answer.status === 404) return;
		if (!answer.ok)
			throw new Error(
				`The publication status of workflow ${workflowId} answered ${answer.status}: ${(await answer.text()).slice(0, 300)}`,
			);
		const { data: publication } = (await answer.json()) as { data: PublicationStatus };
		if (publication.status === 'published' && publication.liveVersionId === data.versionId) return;
		if (publication.status !== 'in_progress' && publication.status !== 'not_published') {
			const reasons = (publication.triggers ?? [])
				.filter((trigger) => trigger.status === 'failed')
				.map((trigger) => trigger.errorMessage);
			throw new Error(
				`Workflow ${workflowId} did not activate (publication ${publication.status}): ${reasons.join('; ') || 'no reason given'}`,
			);
		}
		if (Date.now() > deadline)
			throw new Error(
				`The publication of workflow ${workflowId} did not settle within ${PUBLICATION_TIMEOUT_MS / 1000} s (n8n's log: ${server.logFile})`,
			);
		await sleep(500);
	}
}

export interface TriggerExecution {
	id: string;
	status: string;
	startedAt: string;
	/** The items the trigger node put out (its first output). */
	items: Array<Record<string, unknown>>;
	/** The message and description of a failed execution ('' otherwise). */
	error: string;
}

interface ExecutionRow {
	id: string | number;
	status: string;
	startedAt: string;
}

const FINISHED = new Set(['success', 'error', 'crashed', 'canceled']);

export function isFinished(execution: { status: string }): boolean {
	return FINISHED.has(execution.status);
}
/** n8n answers at most this many executions a page. */
const PAGE_SIZE = 100;

/** The workflow's executions, oldest first, each finished one with what its trigger node emitted (a running one with none yet). */
export async function triggerExecutions(
	server: N8nServer,
	workflowId: string,
	triggerNode: string,
): Promise<TriggerExecution[]> {
	const filter = encodeURIComponent(JSON.stringify({ workflowId }));
	const rows = new Map<string, ExecutionRow>();
	for (let cursor = ''; ; ) {
		const { data: page } = await server.json<{
			data: { results: ExecutionRow[]; nextCursor?: string | null };
		}>(`/rest/executions?limit=${PAGE_SIZE}&filter=${filter}${cursor}`);
		for (const row of page.results) rows.set(String(row.id), row);
		// n8n 2.x pages with a cursor, 1.x with the oldest id seen.
		const oldest = Math.min(...page.results.map((row) => Number(row.id)));
		cursor = page.nextCursor
			? `&cursor=${encodeURIComponent(page.nextCursor)}`
			: page.nextCursor === undefined && page.results.length === PAGE_SIZE
				? `&lastId=${oldest}`
				: '';
		if (!cursor) break;
	}
	const executions: TriggerExecution[] = [];
	for (const row of [...rows.values()].sort((a, b) => Number(a.id) - Number(b.id))) {
		if (!isFinished(row)) {
			executions.push({
				id: String(row.id),
				status: row.status,
				startedAt: row.startedAt,
				items: [],
				error: '',
			});
			continue;
		}
		const { data: saved } = await server.json<{ data: { data: string } }>(
			`/rest/executions/${row.id}`,
		);
		const data = (saved.data ? unflatten(saved.data) : {}) as {
			resultData?: {
				runData?: Record<
					string,
					Array<{ data?: { main?: Array<Array<{ json: Record<string, unknown> }> | null> } }>
				>;
				error?: { message?: string; description?: string };
			};
		};
		const error = data.resultData?.error;
		executions.push({
			id: String(row.id),
			status: row.status,
			startedAt: row.startedAt,
			items: (data.resultData?.runData?.[triggerNode]?.[0]?.data?.main?.[0] ?? []).map(
				(item) => item.json,
			),
			error: [error?.message, error?.description].filter(Boolean).join('\n'),
		});
	}
	return executions;
}
