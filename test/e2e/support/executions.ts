/**
 * Executions of a running n8n, through the REST API the editor's Executions list uses: every
 * execution of a workflow in the order they started (running ones too), one with its data (the
 * flatted text n8n stores, and unflattened), waiting until some have finished, stopping a running one.
 */
import {
	savedExecutionOf,
	toSummary,
	type ExecutionRow,
	type ExecutionSummary,
	type SavedExecution,
} from '../../../dev/n8n/saved-executions';
import { waitFor } from '../../../dev/n8n/wait';
import { RestError, type RestClient } from './rest';

export type { ExecutionSummary, SavedExecution } from '../../../dev/n8n/saved-executions';

/** Statuses after which an execution changes no more. */
const FINISHED_STATUSES: readonly string[] = ['success', 'error', 'crashed', 'canceled'];

function isFinished(execution: { status: string }): boolean {
	return FINISHED_STATUSES.includes(execution.status);
}

interface ExecutionPage {
	results: ExecutionRow[];
	/** n8n 2.x: the next page's cursor; null on the last page. */
	nextCursor?: string | null;
}

/** n8n answers at most this many per page. */
const PAGE_SIZE = 100;

/** Oldest first: by numeric id (ids count up), else by start. */
function byStart(a: ExecutionSummary, b: ExecutionSummary): number {
	const [x, y] = [Number(a.id), Number(b.id)];
	return Number.isFinite(x) && Number.isFinite(y)
		? x - y
		: String(a.startedAt).localeCompare(String(b.startedAt));
}

export class Executions {
	constructor(private readonly rest: RestClient) {}

	/** Every execution (of the workflow, if given), running ones included, oldest first. */
	async list(workflowId?: string): Promise<ExecutionSummary[]> {
		const filter = workflowId
			? `&filter=${encodeURIComponent(JSON.stringify({ workflowId }))}`
			: '';
		const found = new Map<string, ExecutionSummary>();
		let page: ExecutionPage | undefined;
		let cursor = '';
		do {
			page = await this.rest.read<ExecutionPage>(
				`/rest/executions?limit=${PAGE_SIZE}${filter}${cursor}`,
			);
			for (const listed of page.results) found.set(String(listed.id), toSummary(listed));
			const oldest = page.results.map((listed) => Number(listed.id)).sort((a, b) => a - b)[0];
			// 2.x pages with a cursor; 1.x with the last id seen.
			cursor = page.nextCursor
				? `&cursor=${encodeURIComponent(page.nextCursor)}`
				: page.nextCursor === undefined && page.results.length === PAGE_SIZE
					? `&lastId=${oldest}`
					: '';
		} while (cursor);
		return [...found.values()].sort(byStart);
	}

	/** One execution with its data, as n8n stores it. */
	async read(executionId: string): Promise<SavedExecution> {
		const { data, workflowData, ...row } = await this.rest.read<
			Omit<ExecutionRow, 'workflowData'> & { data: string; workflowData: object }
		>(`/rest/executions/${executionId}`);
		return savedExecutionOf(toSummary(row), data, workflowData);
	}

	/** The workflow's executions once at least `count` exist and all have finished; oldest first. */
	async waitForFinished(
		workflowId: string,
		count: number,
		timeoutMs = 60_000,
	): Promise<ExecutionSummary[]> {
		let last: ExecutionSummary[] = [];
		return await waitFor(
			`${count} finished executions of workflow ${workflowId}`,
			async () => {
				last = await this.list(workflowId);
				return last.length >= count && last.every(isFinished) ? last : undefined;
			},
			{
				timeoutMs,
				detail: () =>
					`seen: ${last.map((execution) => `${execution.id} ${execution.status}`).join(', ') || 'none'}`,
			},
		);
	}

	/** The same, each with its data. */
	async waitForFinishedData(
		workflowId: string,
		count: number,
		timeoutMs?: number,
	): Promise<SavedExecution[]> {
		const summaries = await this.waitForFinished(workflowId, count, timeoutMs);
		const executions: SavedExecution[] = [];
		for (const summary of summaries) executions.push(await this.readFinished(summary.id));
		return executions;
	}

	/** A finished execution with its data, which n8n may save a moment after the status. */
	async readFinished(executionId: string): Promise<SavedExecution> {
		return await waitFor(`the data of execution ${executionId}`, async () => {
			try {
				const execution = await this.read(executionId);
				return execution.rawData === '' ? undefined : execution;
			} catch (error) {
				if (error instanceof RestError && error.status === 404) return undefined;
				throw error;
			}
		});
	}

	/** Waits until the execution has this status (e.g. 'running' before stopping it). */
	async waitForStatus(
		executionId: string,
		status: string,
		timeoutMs = 60_000,
	): Promise<ExecutionSummary> {
		let last: ExecutionSummary | undefined;
		return await waitFor(
			`execution ${executionId} to be ${status}`,
			async () => {
				last = (await this.list()).find((execution) => execution.id === executionId);
				return last?.status === status ? last : undefined;
			},
			{ timeoutMs, detail: () => `last seen: ${last?.status ?? 'not listed'}` },
		);
	}

	/** Stops a running execution as the editor's Stop button does; resolves once n8n says it is canceled. */
	async stop(executionId: string): Promise<ExecutionSummary> {
		await this.rest.read(`/rest/executions/${executionId}/stop`, {
			method: 'POST',
			body: JSON.stringify({}),
		});
		return await this.waitForStatus(executionId, 'canceled');
	}
}

/** The message and description n8n saved for a failed execution, as one text ('' on success). */
export function executionError(execution: SavedExecution): string {
	const data = execution.data as
		| { resultData?: { error?: { message?: string; description?: string } } }
		| undefined;
	const error = data?.resultData?.error;
	return [error?.message, error?.description].filter(Boolean).join('\n');
}

/** The JSON of the items a node output in a saved execution (first run, first output). */
export function savedNodeOutput(
	execution: SavedExecution,
	nodeName: string,
): Array<Record<string, unknown>> {
	const data = execution.data as {
		resultData?: {
			runData?: Record<
				string,
				Array<{ data?: { main?: Array<Array<{ json: Record<string, unknown> }> | null> } }>
			>;
		};
	};
	return (data?.resultData?.runData?.[nodeName]?.[0]?.data?.main?.[0] ?? []).map(
		(item) => item.json,
	);
}
