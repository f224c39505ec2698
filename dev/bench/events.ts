/**
 * The event trigger's measurements, in real n8n against the stand-in (dev/bench-events.ts runs them):
 * from an event's commit to its execution's start, REST requests per event, a burst delivered in
 * order and none twice, and the n8n process's CPU time while the subscription idles.
 */
import { readdirSync, readFileSync } from 'node:fs';

import type { N8nInstance } from '../n8n/cli';
import { unflatten } from '../n8n/saved-executions';
import type { SalesforceStandin } from '../salesforce-standin';

export const TRIGGER_NODE = 'Salesforce Event Trigger';

/** One execution of a trigger workflow, as n8n saved it. */
export interface TriggerExecution {
	id: number;
	status: string;
	/** When n8n started it (ms). */
	startedAt: number;
	item: Record<string, unknown>;
}

/** SQLite keeps n8n's dates as 'YYYY-MM-DD HH:MM:SS.SSS' in UTC. */
function utc(date: string | null): number {
	if (!date) return Number.NaN;
	return Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(date) ? date : `${date.replace(' ', 'T')}Z`);
}

/** Every execution of the workflow, oldest first, with the trigger's item (one read of n8n's database). */
export async function triggerExecutions(
	n8n: N8nInstance,
	workflowId: string,
): Promise<TriggerExecution[]> {
	return (await n8n.executionsOf(workflowId)).map((execution) => {
		const data = execution.rawData
			? (unflatten(execution.rawData) as {
					resultData?: {
						runData?: Record<
							string,
							Array<{ data?: { main?: Array<Array<{ json: Record<string, unknown> }>> } }>
						>;
					};
				})
			: undefined;
		const item = data?.resultData?.runData?.[TRIGGER_NODE]?.[0]?.data?.main?.[0]?.[0]?.json ?? {};
		return {
			id: Number(execution.id),
			status: execution.status,
			startedAt: utc(execution.startedAt),
			item,
		};
	});
}

const FINISHED = new Set(['success', 'error', 'crashed', 'canceled']);

/** Waits until the workflow has `count` finished executions (polling n8n's database every `everyMs`). */
export async function waitForExecutions(
	n8n: N8nInstance,
	workflowId: string,
	count: number,
	timeoutMs: number,
	everyMs = 200,
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const found = (await n8n.listExecutions()).filter(
			(execution) => execution.workflowId === workflowId,
		);
		if (found.length >= count && found.every((execution) => FINISHED.has(execution.status))) return;
		if (Date.now() > deadline)
			throw new Error(
				`${found.length} of ${count} executions of workflow ${workflowId} after ${timeoutMs / 1000} s`,
			);
		await new Promise((resolve) => setTimeout(resolve, everyMs));
	}
}

export function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function percentile(values: number[], fraction: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)];
}

/** The commit time of the change an item came from (its header's commitTimestamp). */
export function commitTime(item: Record<string, unknown>): number {
	return typeof item.commitTimestamp === 'string' ? Date.parse(item.commitTimestamp) : Number.NaN;
}

export interface BurstCheck {
	delivered: number;
	/** Replay ids delivered more than once. */
	twice: number;
	/** Executions whose event came before the previous execution's in Salesforce's order. */
	outOfOrder: number;
	/** Events of the burst with no execution. */
	missing: number;
	failed: number;
}

/** The burst's executions against the events Salesforce holds for it: every one, once, in order. */
export function checkBurst(executions: TriggerExecution[], replayIds: number[]): BurstCheck {
	const wanted = new Set(replayIds);
	const ours = executions.filter((execution) => wanted.has(execution.item.replayId as number));
	const seen = new Set<number>();
	let twice = 0;
	let outOfOrder = 0;
	let previous = Number.NEGATIVE_INFINITY;
	for (const execution of ours) {
		const replayId = execution.item.replayId as number;
		if (seen.has(replayId)) twice++;
		seen.add(replayId);
		if (replayId < previous) outOfOrder++;
		previous = replayId;
	}
	return {
		delivered: seen.size,
		twice,
		outOfOrder,
		missing: replayIds.filter((id) => !seen.has(id)).length,
		failed: ours.filter((execution) => execution.status !== 'success').length,
	};
}

/** CPU time (user + system, ms) of a process and everything under it, from /proc. */
export function cpuTimeMs(pid: number): number {
	const ticksPerSecond = 100;
	const pids = [pid];
	for (let index = 0; index < pids.length; index++) {
		try {
			for (const task of readdirSync(`/proc/${pids[index]}/task`)) {
				pids.push(
					...readFileSync(`/proc/${pids[index]}/task/${task}/children`, 'utf8')
						.split(/\s+/)
						.filter(Boolean)
						.map(Number),
				);
			}
		} catch {
			// Gone meanwhile.
		}
	}
	let ticks = 0;
	for (const each of new Set(pids)) {
		try {
			// After the command name (which may hold spaces) come the fields from `state`; utime and stime are the 14th and 15th.
			const fields = readFileSync(`/proc/${each}/stat`, 'utf8').split(') ')[1].split(' ');
			ticks += Number(fields[11]) + Number(fields[12]);
		} catch {
			// Gone meanwhile.
		}
	}
	return (ticks * 1000) / ticksPerSecond;
}

/** Long polls (connects), handshakes and subscriptions the stand-in saw, apart from REST API requests. */
export function streamingSnapshot(standin: SalesforceStandin): {
	connects: number;
	handshakes: number;
	subscribes: number;
	apiRequests: number;
} {
	const { connects, handshakes, subscribes } = standin.streamingCounts;
	return { connects, handshakes, subscribes, apiRequests: standin.apiRequestCount };
}

export function difference<T extends Record<string, number>>(after: T, before: T): T {
	return Object.fromEntries(Object.keys(after).map((key) => [key, after[key] - before[key]])) as T;
}
