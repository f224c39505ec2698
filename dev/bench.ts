/**
 * `npm run bench`: how the Salesforce Action node (one credential that keeps the session) compares
 * with what users build today (an HTTP Request login per item, the product page's "webhook recipe")
 * and with a No Operation node, in real n8n against the local Salesforce stand-in.
 *
 * One `n8n start` with the packed package installed as a community package serves three
 * webhook-triggered workflows that differ only in the Salesforce step (dev/bench/workflows.ts).
 * Scenarios: (a) one execution with 1,000 items, (b) 50 sequential executions, (c) 20 concurrent
 * executions. For each: logins at the stand-in, wall time (median of the measured runs), ratios, and
 * from n8n's run data the per-item cost of the step. Prints the table (plain and Markdown) and writes
 * docs/benchmark.md.
 *
 * Options: --reps N (3), --items N (1000), --sequential N (50), --concurrent N (20),
 * --quick (reps 1, 100 items, 10 sequential, 5 concurrent; does not write docs), --no-write.
 * BENCH_KEEP_USER_FOLDER=1 keeps the temporary n8n user folder for a look at n8n's log.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';

import { salesforceCredential } from './demo-workflow';
import { stopAllChildren } from './n8n/child-processes';
import type { N8nServer } from './n8n/cli';
import { startSalesforceStandin, type SalesforceStandin } from './salesforce-standin';
import { measureScenario, formatMs, type Scenario, type ScenarioResult } from './bench/measure';
import { activateWorkflow, prepareN8n } from './bench/n8n';
import { buildReport, markdownDocument, markdownTable, printReport, targetLines, type MachineInfo } from './bench/report';
import { benchVariants } from './bench/workflows';

const REPO_ROOT = join(__dirname, '..');
const DOC_FILE = join(REPO_ROOT, 'docs', 'benchmark.md');
const startedAt = Date.now();

function log(line: string): void {
	console.log(`[${((Date.now() - startedAt) / 1000).toFixed(1).padStart(6)}s] ${line}`);
}

interface Options {
	repetitions: number;
	items: number;
	sequential: number;
	concurrent: number;
	write: boolean;
}

function parseOptions(argv: string[]): Options {
	const quick = argv.includes('--quick');
	const number = (flag: string, fallback: number): number => {
		const index = argv.findIndex((arg) => arg === flag || arg.startsWith(`${flag}=`));
		if (index < 0) return fallback;
		const raw = argv[index].includes('=') ? argv[index].split('=')[1] : argv[index + 1];
		const value = Number(raw);
		if (!Number.isInteger(value) || value < 1) throw new Error(`${flag} needs a whole number ≥ 1, not "${raw}".`);
		return value;
	};
	return {
		repetitions: number('--reps', quick ? 1 : 3),
		items: number('--items', quick ? 100 : 1000),
		sequential: number('--sequential', quick ? 10 : 50),
		concurrent: number('--concurrent', quick ? 5 : 20),
		write: !quick && !argv.includes('--no-write'),
	};
}

function scenarios(options: Options): Scenario[] {
	return [
		{ key: 'a', title: `1 execution × ${options.items.toLocaleString('en-US')} items`, executions: 1, itemsPerExecution: options.items, mode: 'sequential', readRunData: 1 },
		// Run data of 1-item executions gives the step's fixed cost per execution.
		{ key: 'b', title: `${options.sequential} sequential executions × 1 item`, executions: options.sequential, itemsPerExecution: 1, mode: 'sequential', readRunData: 10 },
		{ key: 'c', title: `${options.concurrent} concurrent executions × 1 item`, executions: options.concurrent, itemsPerExecution: 1, mode: 'concurrent', readRunData: 0 },
	];
}

const cleanups: Array<() => Promise<void>> = [];

async function cleanUp(): Promise<void> {
	for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
	cleanups.length = 0;
	await stopAllChildren(5_000);
}

async function main(): Promise<void> {
	const options = parseOptions(process.argv.slice(2));
	const loadAverageAtStart = loadavg();
	log('Building and packing the package, preparing n8n…');
	const bench = await prepareN8n((line) => log(`  ${line}`));
	cleanups.push(async () => {
		if (process.env.BENCH_KEEP_USER_FOLDER === '1') log(`Kept the n8n user folder ${bench.userFolder}`);
		else rmSync(bench.userFolder, { recursive: true, force: true });
	});

	// The baseline logs in once per item: thousands of logins, far over the default 3,600 per hour.
	const standin: SalesforceStandin = await startSalesforceStandin({ label: 'bench', loginRateLimitPerHour: Number.MAX_SAFE_INTEGER });
	cleanups.push(async () => await standin.close());
	log(`Salesforce stand-in at ${standin.url}`);

	const [credential] = await bench.n8n.importCredentials([
		salesforceCredential('Bench Org', { authFlow: 'password', domain: standin.url, ...standin.demo }),
	]);
	const variants = benchVariants({ orgUrl: standin.url, demo: standin.demo, credential });
	for (const variant of variants) await bench.n8n.importWorkflow(variant.workflow);
	log('Imported the credential and the three workflows; starting n8n…');

	const server: N8nServer = await bench.n8n.startServer();
	cleanups.push(async () => await server.stop());
	for (const variant of variants) await activateWorkflow(server, variant.workflowId);
	log(`n8n ${bench.n8nVersion} is serving the webhooks at ${server.apiUrl}/webhook/…`);

	const results: ScenarioResult[] = [];
	for (const scenario of scenarios(options)) {
		log(`Scenario (${scenario.key}) ${scenario.title}`);
		results.push(await measureScenario({ server, standin, variants, repetitions: options.repetitions, log }, scenario));
	}

	const machine: MachineInfo = {
		date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
		cores: cpus().length,
		cpuModel: cpus()[0]?.model.trim() ?? 'unknown CPU',
		memoryGb: Math.round(totalmem() / 2 ** 30),
		loadAverageAtStart,
		loadAverageAtEnd: loadavg(),
		benchNodeVersion: process.version,
		n8nNodeVersion: bench.n8nNodeVersion,
		n8nVersion: bench.n8nVersion,
		command: ['npm run bench', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' '),
		repetitions: options.repetitions,
		durationMs: Date.now() - startedAt,
	};
	const report = buildReport(results, variants, options.repetitions);
	printReport(report, machine);

	console.log('Markdown, to paste into the README:\n');
	console.log(markdownTable(report.mainTable));
	if (report.overheadTable) console.log(`\n${markdownTable(report.overheadTable)}`);
	console.log(`\n${targetLines(report.targets, true).join('\n')}\n`);

	if (options.write) {
		mkdirSync(join(REPO_ROOT, 'docs'), { recursive: true });
		writeFileSync(DOC_FILE, markdownDocument(report, machine));
		log(`Wrote ${DOC_FILE}`);
	} else {
		log('Not writing docs/benchmark.md (--quick or --no-write).');
	}
	log(`Done in ${formatMs(Date.now() - startedAt)}.`);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
	process.once(signal, () => {
		console.log(`\n${signal}: stopping n8n and the stand-in…`);
		void cleanUp().then(() => process.exit(130));
	});
}

main()
	.then(cleanUp)
	.catch(async (error: unknown) => {
		console.error(`\nnpm run bench failed: ${error instanceof Error ? error.message : String(error)}`);
		await cleanUp();
		process.exit(1);
	});
