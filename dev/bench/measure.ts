/**
 * Runs the scenarios against one `n8n start` and the stand-in, and records for every scenario and
 * variant: the logins (stand-in token requests), the API requests (REST requests under
 * /services/data/, what Salesforce counts against the org's daily allocation) and of those the
 * session checks (GET /services/data/v62.0/limits), and the wall time of each run; what the step
 * produced (checked against the stand-in's records or n8n's run data); and for the runs whose
 * executions are read, what n8n's run data says the step cost.
 *
 * Session lifetime: every scenario's Salesforce Action (and HTTP Request with this package's
 * credential) uses a credential of its own, for an API user of its own, that nothing has used yet.
 * The first run of each variant (the warm-up) is therefore "cold": it must log in. The measured runs
 * that follow are the steady state. Measured runs are interleaved across variants (and the order
 * rotates every round) so load from other processes on the machine hits all variants alike.
 */
import type { N8nServer } from '../n8n/cli';
import type { RecordedRequest, SalesforceStandin } from '../salesforce-standin';
import {
	latestExecutionIds,
	N8nNotReadyError,
	readExecutionTimes,
	triggerWebhook,
	whenReady,
	type ExecutionTimes,
} from './n8n';
import { API_VERSION, type Variant, type VariantKey } from './workflows';

export type ScenarioKey = 'a' | 'b' | 'c' | 'd' | 'e';

/** What one run of a variant produced, and whether that is what the scenario asks for. */
export interface Outcome {
	ok: boolean;
	/** Short, for the table: "1,000 created", "10,000 records", "1 page: 2,000 of 10,000 records". */
	text: string;
}

export interface OutcomeInput {
	variant: Variant;
	/** n8n's run data of the run's last executions (as many as the scenario reads; none for the warm-up). */
	executions: ExecutionTimes[];
	/** What `scenario.countAtStandin` said before and after the run, when the scenario has it. */
	standinBefore?: number;
	standinAfter?: number;
}

export interface Scenario {
	key: ScenarioKey;
	title: string;
	executions: number;
	itemsPerExecution: number;
	mode: 'sequential' | 'concurrent';
	/** How many of the last executions of every run to read n8n's run data of (0: none). */
	readRunData: number;
	/** What the "per item" column divides a run's time by; default executions × items (the query: records asked for). */
	unitsPerRun?: number;
	/** Measured runs per variant (after one warm-up). */
	repetitions: number;
	variants: Variant[];
	/** The variant the others' times are compared with. */
	baseline: VariantKey;
	/** The webhook's body.items for one execution. */
	payload: (count: number) => unknown[];
	/** A count of records at the stand-in, read through its test hooks before and after each run. */
	countAtStandin?: () => number;
	/** What the step produced. Absent: the webhook's answer check is all. */
	outcome?: (input: OutcomeInput) => Outcome;
}

export interface RunCounts {
	/** POST /services/oauth2/token. */
	logins: number;
	/** Token requests the stand-in refused (should stay 0). */
	failedLogins: number;
	/** REST requests under /services/data/ (the versions list excepted: Salesforce does not count it). */
	apiRequests: number;
	/** GET /services/data/v62.0/limits: the package's session check. */
	sessionChecks: number;
	/** Every other request to the stand-in (identity, userinfo…). */
	otherRequests: number;
	/** The stand-in's own count of requests against the org's allocation (should equal apiRequests). */
	standinApiCount: number;
}

export interface VariantResult {
	variant: VariantKey;
	label: string;
	/** The warm-up: a credential nothing has used yet. */
	cold: RunCounts;
	coldOutcome: Outcome | undefined;
	/** One per measured run. */
	runs: RunCounts[];
	outcomes: Outcome[];
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
	log: (line: string) => void;
}

const SESSION_CHECK_PATH = `/services/data/${API_VERSION}/limits`;

function isApiRequest(request: RecordedRequest): boolean {
	return request.path.startsWith('/services/data/') && !/^\/services\/data\/?$/.test(request.path);
}

/** Counts the stand-in's requests since its last resetRecords(). */
export function countRequests(standin: SalesforceStandin): RunCounts {
	const logins = standin.tokenRequests().length;
	let apiRequests = 0;
	let sessionChecks = 0;
	for (const request of standin.requests) {
		if (!isApiRequest(request)) continue;
		apiRequests++;
		if (request.method === 'GET' && request.path === SESSION_CHECK_PATH) sessionChecks++;
	}
	return {
		logins,
		failedLogins: standin.failedLoginCount,
		apiRequests,
		sessionChecks,
		otherRequests: standin.requests.length - logins - apiRequests,
		standinApiCount: standin.apiRequestCount,
	};
}

/** One run of a scenario: its executions one after another, or all at once. Returns wall ms. */
async function runScenarioOnce(
	server: N8nServer,
	variant: Variant,
	scenario: Scenario,
): Promise<number> {
	const items = scenario.payload(scenario.itemsPerExecution);
	const startedAt = performance.now();
	if (scenario.mode === 'sequential') {
		for (let index = 0; index < scenario.executions; index++)
			await triggerWebhook(server, variant, items);
	} else {
		await Promise.all(
			Array.from(
				{ length: scenario.executions },
				async () => await triggerWebhook(server, variant, items),
			),
		);
	}
	return performance.now() - startedAt;
}

function rotate<T>(list: T[], by: number): T[] {
	const shift = by % list.length;
	return [...list.slice(shift), ...list.slice(0, shift)];
}

function countsText(counts: RunCounts): string {
	const mismatch =
		counts.standinApiCount === counts.apiRequests
			? ''
			: ` [the stand-in counted ${counts.standinApiCount}]`;
	return `logins ${counts.logins}  API requests ${String(counts.apiRequests).padStart(4)}${mismatch} (session checks ${counts.sessionChecks})`;
}

interface OneRun {
	ms: number;
	counts: RunCounts;
	executions: ExecutionTimes[];
	outcome: Outcome | undefined;
}

/**
 * A measured run n8n refused as "not ready" is repeated whole, its counts started afresh. The
 * warm-up is not: a repeat would no longer be cold (the first attempt may have logged in).
 */
async function measuredRun(
	context: MeasureContext,
	scenario: Scenario,
	variant: Variant,
	readRunData: boolean,
	repeatable = true,
): Promise<OneRun> {
	const run = async () => await oneRun(context, scenario, variant, readRunData);
	if (!repeatable) {
		try {
			return await run();
		} catch (error) {
			if (!(error instanceof N8nNotReadyError)) throw error;
			throw new Error(
				`Scenario (${scenario.key}) ${scenario.title}, warm-up of ${variant.label}: ${error.message}. n8n's database ping timed out: the machine is overloaded by other processes; run the benchmark again when it is quieter.`,
			);
		}
	}
	return await whenReady(
		context.server,
		`a run of ${variant.key} in scenario (${scenario.key})`,
		run,
		context.log,
	);
}

async function oneRun(
	context: MeasureContext,
	scenario: Scenario,
	variant: Variant,
	readRunData: boolean,
): Promise<OneRun> {
	const { server, standin } = context;
	standin.resetRecords();
	const standinBefore = scenario.countAtStandin?.();
	let ms: number;
	try {
		ms = await runScenarioOnce(server, variant, scenario);
	} catch (error) {
		if (error instanceof N8nNotReadyError) throw error;
		throw new Error(
			`Scenario (${scenario.key}) ${scenario.title}, ${error instanceof Error ? error.message : String(error)}`,
		);
	}
	// Counted before anything else talks to the stand-in.
	const counts = countRequests(standin);
	const standinAfter = scenario.countAtStandin?.();
	const count = readRunData ? Math.min(scenario.readRunData, scenario.executions) : 0;
	const executions: ExecutionTimes[] = [];
	const ids =
		count > 0
			? await whenReady(
					server,
					'reading the execution list',
					async () => await latestExecutionIds(server, variant.workflowId, count),
					context.log,
				)
			: [];
	for (const executionId of ids) {
		executions.push(
			await whenReady(
				server,
				`reading execution ${executionId}`,
				async () => await readExecutionTimes(server, executionId, variant.stepNodes),
				context.log,
			),
		);
	}
	const outcome = scenario.outcome?.({ variant, executions, standinBefore, standinAfter });
	return { ms, counts, executions, outcome };
}

export async function measureScenario(
	context: MeasureContext,
	scenario: Scenario,
): Promise<ScenarioResult> {
	const { log } = context;
	const results = new Map<VariantKey, VariantResult>();

	for (const variant of scenario.variants) {
		// The warm-up's run data is read only when the outcome needs it (to say what the cold run produced).
		const run = await measuredRun(
			context,
			scenario,
			variant,
			scenario.outcome !== undefined && scenario.readRunData > 0,
			false,
		);
		results.set(variant.key, {
			variant: variant.key,
			label: variant.label,
			cold: run.counts,
			coldOutcome: run.outcome,
			runs: [],
			outcomes: [],
			wallMs: [],
			runData: [],
		});
		log(
			`  warm-up  ${variant.key.padEnd(8)} ${formatMs(run.ms).padStart(9)}  ${countsText(run.counts)}${run.outcome ? `  ${run.outcome.text}` : ''}`,
		);
	}

	for (let round = 0; round < scenario.repetitions; round++) {
		for (const variant of rotate(scenario.variants, round)) {
			const run = await measuredRun(context, scenario, variant, true);
			const result = results.get(variant.key) as VariantResult;
			result.wallMs.push(run.ms);
			result.runs.push(run.counts);
			result.runData.push(...run.executions);
			if (run.outcome) result.outcomes.push(run.outcome);
			log(
				`  run ${round + 1}/${scenario.repetitions} ${variant.key.padEnd(8)} ${formatMs(run.ms).padStart(9)}  ${countsText(run.counts)}` +
					(run.outcome
						? `  ${run.outcome.text}${run.outcome.ok ? '' : ' (NOT what was asked)'}`
						: ''),
			);
		}
	}
	return {
		scenario,
		results: scenario.variants.map((variant) => results.get(variant.key) as VariantResult),
	};
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
