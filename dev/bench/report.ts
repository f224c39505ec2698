/**
 * Turns the measurements into tables (plain text for the terminal, Markdown for docs/benchmark.md)
 * and checks the targets (the figures the package is built to meet) against them. Every verdict is
 * computed from the figures of this run.
 */
import {
	formatMs,
	median,
	type RunCounts,
	type ScenarioKey,
	type ScenarioResult,
	type VariantResult,
} from './measure';
import type { VariantKey } from './workflows';

export interface MachineInfo {
	date: string;
	cores: number;
	cpuModel: string;
	memoryGb: number;
	loadAverageAtStart: number[];
	loadAverageAtEnd: number[];
	benchNodeVersion: string;
	n8nNodeVersion: string;
	n8nVersion: string;
	command: string;
	durationMs: number;
}

export interface Table {
	headers: string[];
	rows: string[][];
	/** Columns to right-align (numbers). */
	numeric?: number[];
}

export interface TargetCheck {
	name: string;
	met: boolean;
	detail: string;
}

export interface Report {
	mainTable: Table;
	overheadTable: Table | undefined;
	targets: TargetCheck[];
	notes: string[];
}

/** Salesforce's limits the targets follow from: records per sObject Collections request, records per query page. */
export const COLLECTION_SIZE = 200;
export const QUERY_PAGE_SIZE = 2000;
/** Get Access Token on many items: at most this multiple of No Operation's time. */
export const NOOP_RATIO_TARGET = 1.2;

function scenarioResult(scenarios: ScenarioResult[], key: ScenarioKey): ScenarioResult | undefined {
	return scenarios.find((scenario) => scenario.scenario.key === key);
}

function resultFor(
	scenario: ScenarioResult | undefined,
	key: VariantKey,
): VariantResult | undefined {
	return scenario?.results.find((result) => result.variant === key);
}

function ratio(value: number, reference: number): string {
	if (!Number.isFinite(value) || !Number.isFinite(reference) || reference <= 0) return 'n/a';
	return `${(value / reference).toFixed(2)}×`;
}

/**
 * Ratio of two run-data times, which n8n records in whole milliseconds: a reference of 0 ms means
 * "under 1 ms", so the ratio is at least value / 1 ms.
 */
function runDataRatio(value: number, reference: number): string {
	if (reference === 0 && value === 0) return '1.00×';
	if (reference === 0) return `≥ ${value.toFixed(0)}×`;
	return ratio(value, reference);
}

/** "5", or "5 (4–6)" when the measured runs differ. */
function spread(values: number[]): string {
	if (values.length === 0) return 'n/a';
	const low = Math.min(...values);
	const high = Math.max(...values);
	return low === high
		? low.toLocaleString('en-US')
		: `${median(values).toLocaleString('en-US')} (${low.toLocaleString('en-US')}–${high.toLocaleString('en-US')})`;
}

/** "cold / measured", e.g. "1 / 0". */
function coldAndMeasured(result: VariantResult, pick: (counts: RunCounts) => number): string {
	return `${pick(result.cold).toLocaleString('en-US')} / ${spread(result.runs.map(pick))}`;
}

function perUnit(ms: number, units: number): string {
	return units > 0 ? formatMs(ms / units) : 'n/a';
}

function formatMicros(ms: number): string {
	if (!Number.isFinite(ms)) return 'n/a';
	return ms >= 1 ? formatMs(ms) : `${(ms * 1000).toFixed(1)} µs`;
}

function count(value: number): string {
	return value.toLocaleString('en-US');
}

function scenarioLabel(result: ScenarioResult): string {
	const { key, title } = result.scenario;
	return `(${key}) ${title}`;
}

function outcomeText(result: VariantResult): string {
	const all = [...(result.coldOutcome ? [result.coldOutcome] : []), ...result.outcomes];
	if (all.length === 0) return '—';
	const texts = [...new Set(all.map((outcome) => outcome.text))];
	const failed = all.some((outcome) => !outcome.ok);
	return `${texts.join(' / ')}${failed ? ' ✗' : ''}`;
}

function buildMainTable(scenarios: ScenarioResult[]): Table {
	const headers = [
		'Scenario',
		'Variant',
		'Logins (cold / per run)',
		'API requests (cold / per run)',
		'Session checks (cold / per run)',
		'Result',
		'Wall time (median)',
		'Per execution',
		'Per item (e: per record)',
		'Time vs baseline',
		'Time vs no-op',
	];
	const rows: string[][] = [];
	for (const scenario of scenarios) {
		const baselineMs = median(resultFor(scenario, scenario.scenario.baseline)?.wallMs ?? []);
		const noop = resultFor(scenario, 'noop');
		const noopMs = median(noop?.wallMs ?? []);
		const { executions, itemsPerExecution } = scenario.scenario;
		for (const result of scenario.results) {
			const wall = median(result.wallMs);
			rows.push([
				scenarioLabel(scenario),
				result.label,
				coldAndMeasured(result, (counts) => counts.logins),
				coldAndMeasured(result, (counts) => counts.apiRequests),
				coldAndMeasured(result, (counts) => counts.sessionChecks),
				outcomeText(result),
				formatMs(wall),
				perUnit(wall, executions),
				perUnit(wall, scenario.scenario.unitsPerRun ?? executions * itemsPerExecution),
				ratio(wall, baselineMs),
				noop ? ratio(wall, noopMs) : '—',
			]);
		}
	}
	return { headers, rows, numeric: [2, 3, 4, 6, 7, 8, 9, 10] };
}

interface StepCosts {
	label: string;
	stepNodes: string;
	items: number;
	/** Median node time of the many-item execution (scenario a). */
	manyMs: number;
	/** Median node time of a one-item execution (scenario b), when read. */
	oneMs: number | undefined;
	/** Median n8n execution duration of the many-item execution. */
	executionMs: number;
}

function stepCosts(
	many: ScenarioResult | undefined,
	one: ScenarioResult | undefined,
	key: VariantKey,
): StepCosts | undefined {
	const manyResult = resultFor(many, key);
	if (!many || !manyResult || manyResult.runData.length === 0) return undefined;
	const oneResult = resultFor(one, key);
	const variant = many.scenario.variants.find((candidate) => candidate.key === key);
	return {
		label: manyResult.label,
		stepNodes: variant?.stepNodes.join(' + ') ?? '',
		items: manyResult.runData[0].stepItems,
		manyMs: median(manyResult.runData.map((run) => run.stepMs)),
		oneMs:
			oneResult && oneResult.runData.length > 0
				? median(oneResult.runData.map((run) => run.stepMs))
				: undefined,
		executionMs: median(manyResult.runData.map((run) => run.executionMs)),
	};
}

function marginalText(cost: StepCosts): string {
	const marginal =
		cost.oneMs === undefined || cost.items <= 1
			? Number.NaN
			: (cost.manyMs - cost.oneMs) / (cost.items - 1);
	// A noisy 1-item median can exceed the many-item time on a busy machine.
	return marginal < 0 ? 'n/a (noise)' : formatMicros(marginal);
}

function buildOverheadTable(costs: StepCosts[]): Table | undefined {
	const noop = costs.find((cost) => cost.label.startsWith('No Operation'));
	if (!noop) return undefined;
	const headers = [
		'Step (scenario a)',
		'Nodes timed',
		`Step time, ${count(noop.items)} items`,
		'Per item',
		'Step vs no-op',
		'Step time, 1-item execution',
		'Marginal per item',
		'n8n execution time',
		'Execution vs no-op',
	];
	const rows = costs.map((cost) => [
		cost.label,
		cost.stepNodes,
		`${cost.manyMs} ms`,
		formatMicros(cost.manyMs / cost.items),
		runDataRatio(cost.manyMs, noop.manyMs),
		cost.oneMs === undefined ? 'n/a' : `${cost.oneMs} ms`,
		marginalText(cost),
		formatMs(cost.executionMs),
		ratio(cost.executionMs, noop.executionMs),
	]);
	return { headers, rows, numeric: [2, 3, 4, 5, 6, 7, 8] };
}

function notMeasured(name: string, why: string): TargetCheck {
	return { name, met: false, detail: `Not measured: ${why}.` };
}

function allRuns(result: VariantResult): RunCounts[] {
	return [result.cold, ...result.runs];
}

function requestsText(result: VariantResult | undefined): string {
	if (!result) return 'not run';
	return `${coldAndMeasured(result, (counts) => counts.apiRequests)} API requests (cold / per run), result ${outcomeText(result)}`;
}

/** A target on the package's API requests in scenario `id`, beside the other variants' counts. */
function apiRequestTarget(
	scenarios: ScenarioResult[],
	id: ScenarioKey,
	limit: (records: number) => number,
	name: (records: number, limit: number) => string,
	texts: { incomplete: string; http: string },
	records?: number,
): TargetCheck {
	const scenario = scenarioResult(scenarios, id);
	const count =
		records ?? (scenario ? scenario.scenario.executions * scenario.scenario.itemsPerExecution : 0);
	const most = limit(count);
	const title = name(count, most);
	const pkg = resultFor(scenario, 'package');
	if (!scenario || !pkg) return notMeasured(title, `scenario (${id}) did not run`);
	const sent = Math.max(...allRuns(pkg).map((counts) => counts.apiRequests));
	const outcomesOk = [pkg.coldOutcome, ...pkg.outcomes].every((outcome) => outcome?.ok === true);
	return {
		name: title,
		met: sent <= most && outcomesOk,
		detail:
			`Salesforce Action: ${requestsText(pkg)}${outcomesOk ? '' : ` — ${texts.incomplete}`}; ` +
			`n8n's Salesforce node: ${requestsText(resultFor(scenario, 'builtin'))}; ${texts.http}: ${requestsText(resultFor(scenario, 'http'))}.`,
	};
}

function createTarget(scenarios: ScenarioResult[]): TargetCheck {
	return apiRequestTarget(
		scenarios,
		'd',
		(records) => Math.ceil(records / COLLECTION_SIZE),
		(records, limit) =>
			`Create ${count(records)} records in ≤ ${limit} API requests (Salesforce Action, Record → Create; ${COLLECTION_SIZE} records per sObject Collections request)`,
		{ incomplete: 'not every run created every record', http: 'HTTP Request' },
	);
}

function queryTarget(scenarios: ScenarioResult[], seeded: number): TargetCheck {
	return apiRequestTarget(
		scenarios,
		'e',
		(records) => Math.ceil(records / QUERY_PAGE_SIZE),
		(records, limit) =>
			`Query ${count(records)} records in ${limit} API requests (Salesforce Action, Query → Run SOQL, Return All; ${count(QUERY_PAGE_SIZE)} records per page)`,
		{
			incomplete: 'not every run returned every record',
			http: 'HTTP Request without a paging loop',
		},
		seeded,
	);
}

function sessionCheckTarget(scenarios: ScenarioResult[]): TargetCheck {
	const scenario = scenarioResult(scenarios, 'b');
	const executions = scenario?.scenario.executions ?? 0;
	const name = `${executions} sequential Get Access Token executions in one n8n: ≤ 1 session check (GET /services/data/v62.0/limits) per run of ${executions}`;
	const pkg = resultFor(scenario, 'package');
	if (!scenario || !pkg) return notMeasured(name, 'scenario (b) did not run');
	const checks = allRuns(pkg).map((counts) => counts.sessionChecks);
	const total = checks.reduce((sum, value) => sum + value, 0);
	return {
		name,
		met: Math.max(...checks) <= 1,
		detail:
			`Session checks per run of ${executions} executions: cold run ${pkg.cold.sessionChecks}, measured runs ${pkg.runs.map((counts) => counts.sessionChecks).join(', ')} ` +
			`(${total} for ${checks.length * executions} executions); logins ${coldAndMeasured(pkg, (counts) => counts.logins)} (cold / per run).`,
	};
}

function noopTarget(scenarios: ScenarioResult[], costs: StepCosts[]): TargetCheck {
	const scenario = scenarioResult(scenarios, 'a');
	const items = scenario?.scenario.itemsPerExecution ?? 0;
	const name = `Get Access Token on ${count(items)} items within ${NOOP_RATIO_TARGET}× a No Operation node's time (wall time, scenario a)`;
	const pkg = resultFor(scenario, 'package');
	const noop = resultFor(scenario, 'noop');
	if (!scenario || !pkg || !noop) return notMeasured(name, 'scenario (a) did not run');
	const pkgMs = median(pkg.wallMs);
	const noopMs = median(noop.wallMs);
	const pkgCost = costs.find((cost) => cost.label === pkg.label);
	const noopCost = costs.find((cost) => cost.label === noop.label);
	const runData =
		pkgCost && noopCost
			? ` n8n's own figures: step ${pkgCost.manyMs} ms vs ${noopCost.manyMs} ms (whole milliseconds), execution ${formatMs(pkgCost.executionMs)} vs ${formatMs(noopCost.executionMs)} (${ratio(pkgCost.executionMs, noopCost.executionMs)}).`
			: '';
	return {
		name,
		met: pkgMs <= noopMs * NOOP_RATIO_TARGET,
		detail:
			`Salesforce Action ${formatMs(pkgMs)} vs No Operation ${formatMs(noopMs)}, medians of ${pkg.wallMs.length} runs (${ratio(pkgMs, noopMs)}); ` +
			`the measured runs made ${spread(pkg.runs.map((counts) => counts.apiRequests))} API request(s) each.${runData}`,
	};
}

const DATA_VARIANTS: VariantKey[] = ['package', 'http'];

function loginTarget(scenarios: ScenarioResult[]): TargetCheck {
	const failures: string[] = [];
	const parts: string[] = [];
	for (const scenario of scenarios) {
		for (const key of DATA_VARIANTS) {
			const result = resultFor(scenario, key);
			if (!result || (key === 'http' && !['d', 'e'].includes(scenario.scenario.key))) continue;
			const measured = result.runs.reduce((sum, counts) => sum + counts.logins, 0);
			const refused = allRuns(result).reduce((sum, counts) => sum + counts.failedLogins, 0);
			const runs = 1 + result.runs.length;
			const who = key === 'package' ? '' : ' HTTP Request';
			parts.push(
				`(${scenario.scenario.key})${who} ${result.cold.logins + measured} for ${count(runs * scenario.scenario.executions)} executions in ${runs} runs`,
			);
			if (result.cold.logins !== 1)
				failures.push(
					`(${scenario.scenario.key})${who} the cold run logged in ${result.cold.logins} times`,
				);
			if (measured !== 0)
				failures.push(
					`(${scenario.scenario.key})${who} the measured runs logged in ${measured} more times`,
				);
			if (refused > 0)
				failures.push(`(${scenario.scenario.key})${who} ${refused} login(s) were refused`);
		}
	}
	return {
		name: "One login per credential and session lifetime (this package's credential, every scenario)",
		met: failures.length === 0 && parts.length > 0,
		detail:
			failures.length === 0
				? `Logins: ${parts.join('; ')}.`
				: `${failures.join('; ')}. (Logins: ${parts.join('; ')}.)`,
	};
}

export function buildReport(scenarios: ScenarioResult[], seededRecords: number): Report {
	const many = scenarioResult(scenarios, 'a');
	const one = scenarioResult(scenarios, 'b');
	const costs = (many?.scenario.variants ?? [])
		.map((variant) => stepCosts(many, one, variant.key))
		.filter((cost): cost is StepCosts => cost !== undefined);
	const counted = scenarios.flatMap((scenario) => scenario.results.flatMap(allRuns));
	const disagreeing = counted.filter(
		(counts) => counts.standinApiCount !== counts.apiRequests,
	).length;
	const agreement =
		disagreeing === 0
			? "In every run this equals the stand-in's own count of requests against the allocation (what Sforce-Limit-Info reports)."
			: `In ${disagreeing} of ${counted.length} runs it differs from the stand-in's own count of requests against the allocation (what Sforce-Limit-Info reports).`;
	const runsText = scenarios
		.map((scenario) => `(${scenario.scenario.key}) ${scenario.scenario.repetitions}`)
		.join(', ');
	const notes = [
		'"Cold / per run": the first run of each variant (the warm-up, not timed) and then each measured run. Every scenario\'s Salesforce Action, and ' +
			"HTTP Request with this package's credential, uses a credential (and stand-in API user) of its own that nothing used before, so its cold run " +
			'must log in; the measured runs follow in the same session lifetime.',
		"Logins are POSTs to the stand-in's /services/oauth2/token. API requests are the REST requests under /services/data/ the stand-in received " +
			"(Salesforce counts each against the org's daily allocation, 15,000 on a Developer Edition; one sObject Collections request or query page is one); " +
			`session checks are those of them that were GET /services/data/v62.0/limits, the package's proof that a stored session is alive. ${agreement}`,
		"n8n's own Salesforce node runs with a `salesforceOAuth2Api` credential holding a session the benchmark logged in for once (its token and " +
			'instance URL in oauthTokenData), so it makes no logins; it uses API version v59.0.',
		`"Result" is checked for every run: records created counted at the stand-in, records returned counted in n8n's run data (✗: not what was asked). ` +
			`The ${count(seededRecords)} queried records were put into the stand-in through its test hooks, not through the API.`,
		`Wall time is what the webhook caller waits for (the Webhook node answers after the last node), median of the measured runs (${runsText}); ` +
			'runs of a scenario\'s variants are interleaved. Lower is better; ratios compare medians; "baseline" is what a flow builder would otherwise build ' +
			"(a–c: a login per item with HTTP Request; d–e: n8n's Salesforce node).",
		'The stand-in is on loopback and answers at once; against a real org every request crosses the internet (often 50–300 ms each), so a ' +
			"request saved there is worth far more time than here, and logins count against the user's 3,600 per hour (the stand-in's limit is raised).",
		'"Step time" is the step nodes\' runData executionTime (whole milliseconds) in n8n\'s saved execution; "marginal per item" = ' +
			'(step time of the many-item execution − step time of a 1-item execution) / (items − 1).',
	];
	return {
		mainTable: buildMainTable(scenarios),
		overheadTable: buildOverheadTable(costs),
		targets: [
			createTarget(scenarios),
			queryTarget(scenarios, seededRecords),
			sessionCheckTarget(scenarios),
			noopTarget(scenarios, costs),
			loginTarget(scenarios),
		],
		notes,
	};
}

function alignCell(cell: string, width: number, right: boolean): string {
	return right ? cell.padStart(width) : cell.padEnd(width);
}

export function plainTable(table: Table): string {
	const widths = table.headers.map((header, column) =>
		Math.max(header.length, ...table.rows.map((row) => row[column]?.length ?? 0)),
	);
	const line = (cells: string[]) =>
		cells
			.map((cell, column) =>
				alignCell(cell, widths[column], table.numeric?.includes(column) ?? false),
			)
			.join('  ')
			.trimEnd();
	return [
		line(table.headers),
		widths.map((width) => '─'.repeat(width)).join('  '),
		...table.rows.map(line),
	].join('\n');
}

export function markdownTable(table: Table): string {
	const escape = (cell: string) => cell.replace(/\|/g, '\\|');
	const separator = table.headers.map((_, column) =>
		table.numeric?.includes(column) ? '---:' : '---',
	);
	return [table.headers, separator, ...table.rows]
		.map((cells) => `| ${cells.map(escape).join(' | ')} |`)
		.join('\n');
}

export function targetLines(targets: TargetCheck[], markdown: boolean): string[] {
	return targets.map((target) => {
		const verdict = target.met ? 'MET' : 'NOT MET';
		return markdown
			? `- **${verdict}** — ${target.name}: ${target.detail}`
			: `[${verdict}] ${target.name}\n        ${target.detail}`;
	});
}

function machineLine(machine: MachineInfo): string {
	return (
		`${machine.cores} cores (${machine.cpuModel}), ${machine.memoryGb} GB RAM, load average ${machine.loadAverageAtStart.map((load) => load.toFixed(2)).join(' / ')} at start ` +
		`and ${machine.loadAverageAtEnd.map((load) => load.toFixed(2)).join(' / ')} at the end (1/5/15 min)`
	);
}

export function markdownDocument(report: Report, machine: MachineInfo): string {
	const parts = [
		'# Benchmark: Salesforce Action vs what users build today',
		'',
		'Generated by `dev/bench.ts`; do not edit by hand, run it again.',
		'',
		`- Date: ${machine.date}`,
		`- Machine: ${machineLine(machine)}`,
		`- Node.js ${machine.n8nNodeVersion} for n8n ${machine.n8nVersion} (\`n8n start\`, SQLite, regular mode); the benchmark itself and the stand-in on Node.js ${machine.benchNodeVersion}`,
		`- Command: \`${machine.command}\` (took ${formatMs(machine.durationMs)})`,
		'',
		'The machine is shared and small: absolute times are noisy; the request counts are exact, and the ratios between variants are what to read of the times.',
		'',
		'## API requests, logins and wall time',
		'',
		markdownTable(report.mainTable),
		'',
	];
	if (report.overheadTable) {
		parts.push(
			'## Cost of the Get Access Token step itself (n8n run data)',
			'',
			markdownTable(report.overheadTable),
			'',
		);
	}
	parts.push(
		'## Targets',
		'',
		...targetLines(report.targets, true),
		'',
		'## How to read it',
		'',
		...report.notes.map((note) => `- ${note}`),
		'',
	);
	return parts.join('\n');
}

export function printReport(report: Report, machine: MachineInfo): void {
	const out: string[] = [
		'',
		`Benchmark ${machine.date} — ${machineLine(machine)}`,
		`n8n ${machine.n8nVersion} on Node.js ${machine.n8nNodeVersion}; command: ${machine.command}`,
		'',
		plainTable(report.mainTable),
		'',
	];
	if (report.overheadTable)
		out.push(
			'Cost of the Get Access Token step itself (n8n run data of scenario a):',
			'',
			plainTable(report.overheadTable),
			'',
		);
	out.push(
		'Targets:',
		...targetLines(report.targets, false),
		'',
		'Notes:',
		...report.notes.map((note) => `  - ${note}`),
		'',
	);
	console.log(out.join('\n'));
}

function markers(name: string): [string, string] {
	return [`<!-- ${name}:start -->`, `<!-- ${name}:end -->`];
}

/** The text between a block's markers (markers included), or undefined when it has none. */
export function blockOf(text: string, name: string): string | undefined {
	const [start, end] = markers(name);
	const from = text.indexOf(start);
	const to = text.indexOf(end, from);
	return from < 0 || to < 0 ? undefined : text.slice(from, to + end.length);
}

/**
 * Puts `content` between the block's markers (another benchmark's part of a shared file, e.g. the
 * event trigger's in docs/benchmark.md); a file without them gets the block at its end.
 */
export function replaceBlock(text: string, name: string, content: string): string {
	const [start, end] = markers(name);
	const block = `${start}\n${content}\n${end}`;
	const existing = blockOf(text, name);
	return existing === undefined
		? `${text.replace(/\n*$/, '')}\n\n${block}\n`
		: text.replace(existing, block);
}
