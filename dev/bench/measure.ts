/**
 * Runs the scenarios against one `n8n start` and the stand-in, and records for every scenario and
 * variant: the logins (stand-in token requests) of a cold run, the logins and wall time of each
 * measured run, and for single-execution scenarios what n8n's run data says the step cost.
 *
 * Session lifetime: each scenario starts by ending every session at the stand-in (as Salesforce does
 * after the inactivity timeout). The first run of each variant (the warm-up) is therefore "cold" for
 * the package: its stored token is dead, so it must log in. The measured runs that follow are the
 * steady state within that session lifetime. Measured runs are interleaved across variants (and the
 * order rotates every round) so load from other processes on the machine hits all variants alike.
 */
import type { N8nServer } from '../n8n/cli';
import type { SalesforceStandin } from '../salesforce-standin';
import { latestExecutionIds, readExecutionTimes, triggerWebhook, type ExecutionTimes } from './n8n';
import type { Variant, VariantKey } from './workflows';

export interface Scenario {
	key: 'a' | 'b' | 'c';
	title: string;
	executions: number;
	itemsPerExecution: number;
	mode: 'sequential' | 'concurrent';
	/** How many of the last executions of every measured run to read n8n's run data of (0: none). */
	readRunData: number;
}

export interface VariantResult {
	variant: VariantKey;
	/** Token requests during the cold (first) run of the scenario's session lifetime. */
	coldLogins: number;
	/** Token requests of each measured run. */
	logins: number[];
	/** Token requests the stand-in refused during any run (should stay 0). */
	failedLogins: number;
	/** Other stand-in requests (REST calls) of each measured run. */
	apiCalls: number[];
	/** Wall time of each measured run, ms, as the webhook caller sees it. */
	wallMs: number[];
	/** n8n's run data of the last executions of each measured run (as many as the scenario reads). */
	runData: ExecutionTimes[];
}

export interface ScenarioResult {
	scenario: Scenario;
	results: VariantResult[];
}

export interface MeasureContext {
	server: N8nServer;
	standin: SalesforceStandin;
	variants: Variant[];
	repetitions: number;
	log: (line: string) => void;
}

function payload(count: number): Array<{ n: number }> {
	return Array.from({ length: count }, (_, n) => ({ n }));
}

/** One run of a scenario: its executions one after another, or all at once. Returns wall ms. */
async function runScenarioOnce(server: N8nServer, variant: Variant, scenario: Scenario): Promise<number> {
	const items = payload(scenario.itemsPerExecution);
	const startedAt = performance.now();
	if (scenario.mode === 'sequential') {
		for (let index = 0; index < scenario.executions; index++) await triggerWebhook(server, variant, items);
	} else {
		await Promise.all(Array.from({ length: scenario.executions }, async () => await triggerWebhook(server, variant, items)));
	}
	return performance.now() - startedAt;
}

interface StandinCounts {
	logins: number;
	failed: number;
	apiCalls: number;
}

function countsSinceReset(standin: SalesforceStandin): StandinCounts {
	const logins = standin.tokenRequests().length;
	return { logins, failed: standin.failedLoginCount, apiCalls: standin.requests.length - logins };
}

function rotate<T>(list: T[], by: number): T[] {
	const shift = by % list.length;
	return [...list.slice(shift), ...list.slice(0, shift)];
}

export async function measureScenario(context: MeasureContext, scenario: Scenario): Promise<ScenarioResult> {
	const { server, standin, variants, repetitions, log } = context;
	const results = new Map<VariantKey, VariantResult>(
		variants.map((variant) => [variant.key, { variant: variant.key, coldLogins: 0, logins: [], failedLogins: 0, apiCalls: [], wallMs: [], runData: [] }]),
	);

	// A new session lifetime: every token the stand-in issued so far is dead.
	standin.expireAllSessions();
	for (const variant of variants) {
		standin.resetRecords();
		const ms = await runScenarioOnce(server, variant, scenario);
		const counts = countsSinceReset(standin);
		const result = results.get(variant.key) as VariantResult;
		result.coldLogins = counts.logins;
		result.failedLogins += counts.failed;
		log(`  warm-up  ${variant.key.padEnd(8)} ${formatMs(ms).padStart(9)}  logins ${counts.logins}`);
	}

	for (let round = 0; round < repetitions; round++) {
		for (const variant of rotate(variants, round)) {
			standin.resetRecords();
			const ms = await runScenarioOnce(server, variant, scenario);
			const counts = countsSinceReset(standin);
			const result = results.get(variant.key) as VariantResult;
			result.wallMs.push(ms);
			result.logins.push(counts.logins);
			result.apiCalls.push(counts.apiCalls);
			result.failedLogins += counts.failed;
			const count = Math.min(scenario.readRunData, scenario.executions);
			for (const executionId of count > 0 ? await latestExecutionIds(server, variant.workflowId, count) : []) {
				result.runData.push(await readExecutionTimes(server, executionId, variant.stepNodes));
			}
			log(`  run ${round + 1}/${repetitions} ${variant.key.padEnd(8)} ${formatMs(ms).padStart(9)}  logins ${counts.logins}`);
		}
	}
	return { scenario, results: variants.map((variant) => results.get(variant.key) as VariantResult) };
}

export function median(values: number[]): number {
	if (values.length === 0) return Number.NaN;
	const sorted = [...values].sort((x, y) => x - y);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function formatMs(ms: number): string {
	if (!Number.isFinite(ms)) return 'n/a';
	if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
	if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
	if (ms >= 10) return `${Math.round(ms)} ms`;
	return `${ms.toFixed(2)} ms`;
}
