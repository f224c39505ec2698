/**
 * `npm run bench`: how the Salesforce Action node compares, in real n8n against the local Salesforce
 * stand-in, with what users build without it — in time, logins, and API requests (what Salesforce
 * counts against the org's daily allocation).
 *
 * One `n8n start` with the packed package installed as a community package serves webhook-triggered
 * workflows that differ only in the step (dev/bench/workflows.ts). Scenarios:
 *   (a) Get Access Token, 1 execution × 1,000 items — vs a login per item with HTTP Request, and a No Operation node
 *   (b) the same, 50 sequential executions × 1 item (session checks: the session is proven alive at most once a minute)
 *   (c) the same, 20 concurrent executions × 1 item
 *   (d) create 1,000 Accounts — Record → Create vs n8n's Salesforce node and HTTP Request, one request per item
 *   (e) query 10,000 Contacts — Query → Run SOQL (Return All) vs n8n's Salesforce node (Get Many, Return All) and
 *       one HTTP Request (a single page)
 *   (f) a 200 MB file: Upload vs the same workflow without it, Download vs n8n's Read/Write Files node (peak memory)
 *   (g) create 100,000 Accounts: one Bulk API 2.0 job vs sObject Collections vs No Operation (requests, peak memory)
 *   (h) query 1,000,000 Leads: a Bulk query job vs REST paging (requests)
 *   (i) polling triggers: the Salesforce Trigger vs n8n's built-in Salesforce Trigger, side by side on the
 *       same scripted changes (normal flow, a burst of 5,000, a late commit, a skewed clock, an edit a minute
 *       after creation) — dev/bench/trigger.ts; it runs last, on n8n's minute polls (about 7 minutes), and
 *       writes its own part of docs/benchmark.md whenever it ran (also with --only i)
 * For each: logins, API requests and session checks counted at the stand-in, what the step produced,
 * wall time (median of the measured runs), ratios; from n8n's run data the per-item cost of the
 * Get Access Token step. Prints the table (plain and Markdown), checks the targets, writes
 * docs/benchmark.md (the README only links to it).
 *
 * Options: --reps N (3; scenario a runs 3× as many, its times are small), --items N (1000), --sequential N (50),
 * --concurrent N (20), --create N (1000), --records N (10000), --file-mb N (200), --bulk N (100000),
 * --bulk-query N (1000000), --burst N (5000), --only a,d,… (some scenarios; (a)–(h) are written only when all
 * of them ran), --quick (reps 1, 100 items, 10 sequential, 5 concurrent, 300 created, 5,000 queried, 20 MB,
 * 10,000 bulk, 100,000 bulk-queried, a burst of 1,000; does not write), --no-write. Scenarios f–h run once each (they are minutes, and memory, not time).
 * BENCH_KEEP_USER_FOLDER=1 keeps the temporary n8n user folder for a look at n8n's log.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';

import type { CredentialToImport, N8nServer } from './n8n/cli';
import { publishWorkflow } from './n8n/published-workflows';
import { startSalesforceStandin, type SalesforceStandin } from './salesforce-standin';
import { apiUserCredential } from './trigger-runs';
import {
	formatMs,
	measureScenario,
	type Outcome,
	type OutcomeInput,
	type Scenario,
	type ScenarioKey,
	type ScenarioResult,
} from './bench/measure';
import { onCleanUp, runBenchmark } from './bench/lifecycle';
import { prepareN8n } from './bench/n8n';
import { checkNodeOperations } from './bench/preflight';
import {
	blockOf,
	buildReport,
	markdownDocument,
	markdownTable,
	plainTable,
	printReport,
	replaceBlock,
	targetLines,
	type MachineInfo,
} from './bench/report';
import {
	builtinCredential,
	POLLING_TRIGGER_BLOCK,
	prepareTriggerBench,
	sessionOf,
	triggerScenarios,
	triggerSectionText,
	triggerTable,
	type TriggerBench,
	type TriggerResult,
} from './bench/trigger';
import { standinRecords, type StandinRecords } from './bench/standin-records';
import {
	measureVolume,
	QUERY_VOLUME_SOBJECT,
	volumeTable,
	volumeTargets,
	volumeVariants,
	writeVolumeFile,
	type VolumeKey,
	type VolumeRow,
} from './bench/volume';
import {
	CREATE_SOBJECT,
	createVariants,
	QUERY_SOBJECT,
	queryVariants,
	sessionVariants,
	type CredentialRef,
	type DataInputs,
} from './bench/workflows';

const REPO_ROOT = join(__dirname, '..');
const DOC_FILE = join(REPO_ROOT, 'docs', 'benchmark.md');
const startedAt = Date.now();
/** The event trigger's part of docs/benchmark.md (dev/bench-events.ts writes it). */
const EVENT_BLOCK = 'event-trigger';
/** docs/benchmark.md's hand-written reading of the figures, kept when the measured sections are rewritten. */
const SUMMARY_BLOCK = 'summary';
type AnyScenario = ScenarioKey | VolumeKey | 'i';
const MEASURED_SCENARIOS: AnyScenario[] = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
const ALL_SCENARIOS: AnyScenario[] = [...MEASURED_SCENARIOS, 'i'];

function log(line: string): void {
	console.log(`[${((Date.now() - startedAt) / 1000).toFixed(1).padStart(6)}s] ${line}`);
}

interface Options {
	repetitions: number;
	items: number;
	sequential: number;
	concurrent: number;
	createItems: number;
	queryRecords: number;
	fileMb: number;
	bulkItems: number;
	bulkQueryRecords: number;
	burst: number;
	only: AnyScenario[];
	/** Write docs/benchmark.md: (a)–(h) only when all of them ran, (i) whenever it ran. */
	write: boolean;
}

function parseOptions(argv: string[]): Options {
	const quick = argv.includes('--quick');
	const value = (flag: string): string | undefined => {
		const index = argv.findIndex((arg) => arg === flag || arg.startsWith(`${flag}=`));
		if (index < 0) return undefined;
		return argv[index].includes('=') ? argv[index].slice(flag.length + 1) : argv[index + 1];
	};
	const number = (flag: string, fallback: number): number => {
		const raw = value(flag);
		if (raw === undefined) return fallback;
		const parsed = Number(raw);
		if (!Number.isInteger(parsed) || parsed < 1)
			throw new Error(`${flag} needs a whole number ≥ 1, not "${raw}".`);
		return parsed;
	};
	const onlyRaw = value('--only');
	const only =
		onlyRaw === undefined
			? ALL_SCENARIOS
			: (onlyRaw.split(',').map((key) => key.trim()) as AnyScenario[]);
	const unknown = only.filter((key) => !ALL_SCENARIOS.includes(key));
	if (unknown.length > 0 || only.length === 0)
		throw new Error(
			`--only takes scenario letters from ${ALL_SCENARIOS.join(',')}, not "${onlyRaw}".`,
		);
	return {
		repetitions: number('--reps', quick ? 1 : 3),
		items: number('--items', quick ? 100 : 1000),
		sequential: number('--sequential', quick ? 10 : 50),
		concurrent: number('--concurrent', quick ? 5 : 20),
		createItems: number('--create', quick ? 300 : 1000),
		queryRecords: number('--records', quick ? 5000 : 10_000),
		fileMb: number('--file-mb', quick ? 20 : 200),
		bulkItems: number('--bulk', quick ? 10_000 : 100_000),
		bulkQueryRecords: number('--bulk-query', quick ? 100_000 : 1_000_000),
		burst: number('--burst', quick ? 1000 : 5000),
		only,
		write: !quick && !argv.includes('--no-write'),
	};
}

/** A stand-in API user of its own for each credential, so each credential's first run must log in. */
function credentialFor(standin: SalesforceStandin, name: string, slug: string): CredentialToImport {
	return apiUserCredential(standin, name, `bench.${slug}`).credential;
}

function count(value: number): string {
	return value.toLocaleString('en-US');
}

function createdOutcome(expected: number) {
	return ({ standinBefore, standinAfter }: OutcomeInput): Outcome => {
		const created = (standinAfter ?? 0) - (standinBefore ?? 0);
		return { ok: created === expected, text: `${count(created)} created` };
	};
}

function queriedOutcome(expected: number) {
	return ({ variant, executions }: OutcomeInput): Outcome => {
		const output = executions[0]?.output;
		if (!output) return { ok: false, text: 'no run data' };
		if (variant.key === 'http') {
			const page = output[0] ?? {};
			const records = Array.isArray(page.records) ? page.records.length : 0;
			const total = typeof page.totalSize === 'number' ? page.totalSize : Number.NaN;
			return {
				ok: records === expected,
				text: `1 item: ${count(records)} of ${count(total)} records${page.done === false ? ', more pages' : ''}`,
			};
		}
		return { ok: output.length === expected, text: `${count(output.length)} records` };
	};
}

async function main(): Promise<void> {
	const options = parseOptions(process.argv.slice(2));
	const loadAverageAtStart = loadavg();
	const wanted = (key: AnyScenario) => options.only.includes(key);
	const needsDataOperations = wanted('d') || wanted('e');
	const volumeWanted = (key: VolumeKey) => wanted(key);
	const needsVolume = wanted('f') || wanted('g') || wanted('h');

	log('Checking the node offers the operations the benchmark runs…');
	const packageTypeVersion = await checkNodeOperations({ create: wanted('d'), query: wanted('e') });

	// The baseline logs in once per item: thousands of logins, far over the default 3,600 per hour.
	const standin: SalesforceStandin = await startSalesforceStandin({
		label: 'bench',
		loginRateLimitPerHour: Number.MAX_SAFE_INTEGER,
		// Every create run adds its records, and a real org would stop the whole benchmark at 15,000 a day.
		dailyApiRequests: Number.MAX_SAFE_INTEGER,
		// No sample records: the query scenario reads exactly the records it seeded.
		seedData: false,
	});
	onCleanUp(async () => await standin.close());
	log(`Salesforce stand-in at ${standin.url}`);
	let records: StandinRecords | undefined;
	if (needsDataOperations) {
		records = standinRecords(standin);
		if (wanted('e')) {
			records.seed(
				QUERY_SOBJECT,
				Array.from({ length: options.queryRecords }, (_, index) => ({
					FirstName: 'Bench',
					LastName: `Contact ${index + 1}`,
				})),
			);
			log(
				`Seeded ${count(records.count(QUERY_SOBJECT))} ${QUERY_SOBJECT} records through the stand-in's test hooks.`,
			);
		}
	}

	if (wanted('h')) {
		standin.seedSyntheticRecords(QUERY_VOLUME_SOBJECT, options.bulkQueryRecords, (index) => ({
			LastName: `Synthetic ${index}`,
			Company: 'Bench Co',
		}));
		log(`Seeded ${count(options.bulkQueryRecords)} synthetic ${QUERY_VOLUME_SOBJECT} records.`);
	}
	// n8n may read and write files only here (N8N_RESTRICT_FILE_ACCESS_TO); the 200 MB file lives here.
	const filesFolder = mkdtempSync(join(tmpdir(), 'sfi-bench-files-'));
	onCleanUp(async () => rmSync(filesFolder, { recursive: true, force: true }));
	if (wanted('f')) writeVolumeFile(filesFolder, options.fileMb * 1024 * 1024);

	log('Building and packing the package, preparing n8n…');
	const bench = await prepareN8n((line) => log(`  ${line}`), {
		N8N_RESTRICT_FILE_ACCESS_TO: filesFolder,
		N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem',
	});
	onCleanUp(async () => {
		if (process.env.BENCH_KEEP_USER_FOLDER === '1')
			log(`Kept the n8n user folder ${bench.userFolder}`);
		else rmSync(bench.userFolder, { recursive: true, force: true });
	});

	const toImport: CredentialToImport[] = [];
	const add = (credential: CredentialToImport): CredentialToImport => (
		toImport.push(credential),
		credential
	);
	const sessionCredentials = new Map<ScenarioKey, CredentialToImport>();
	for (const key of ['a', 'b', 'c'] as const) {
		if (wanted(key))
			sessionCredentials.set(
				key,
				add(credentialFor(standin, `Bench (${key}) Salesforce Action`, `${key}-package`)),
			);
	}
	const dataCredentials = new Map<
		ScenarioKey,
		{ packageCredential: CredentialToImport; httpCredential: CredentialToImport }
	>();
	for (const key of ['d', 'e'] as const) {
		if (!wanted(key)) continue;
		dataCredentials.set(key, {
			packageCredential: add(
				credentialFor(standin, `Bench (${key}) Salesforce Action`, `${key}-package`),
			),
			httpCredential: add(credentialFor(standin, `Bench (${key}) HTTP Request`, `${key}-http`)),
		});
	}
	const builtin = needsDataOperations
		? add(
				builtinCredential(
					'Bench: n8n Salesforce OAuth2 (stand-in session)',
					standin,
					await sessionOf(standin, standin.demo.username),
				),
			)
		: undefined;
	let triggers: TriggerBench | undefined;
	if (wanted('i')) {
		triggers = await prepareTriggerBench(triggerScenarios(options.burst));
		onCleanUp(triggers.close);
		toImport.push(...triggers.credentials);
	}
	const volumeCredential = needsVolume
		? add(credentialFor(standin, 'Bench (volume) Salesforce Action', 'volume-package'))
		: undefined;
	const imported = await bench.n8n.importCredentials(toImport);
	const ref = (credential: CredentialToImport): CredentialRef => {
		const found = imported.find((candidate) => candidate.name === credential.name) as {
			id: string;
			name: string;
		};
		return { id: found.id, name: found.name };
	};

	const scenarios: Scenario[] = [];
	const sessionScenario = (
		key: 'a' | 'b' | 'c',
		rest: Omit<Scenario, 'key' | 'variants' | 'baseline' | 'payload'>,
	): void => {
		const credential = sessionCredentials.get(key);
		if (!credential) return;
		scenarios.push({
			key,
			...rest,
			variants: sessionVariants({
				scenarioKey: key,
				orgUrl: standin.url,
				demo: standin.demo,
				credential: ref(credential),
			}),
			baseline: 'baseline',
			payload: (items) => Array.from({ length: items }, (_, n) => ({ n })),
		});
	};
	// Its times are tens of milliseconds: more runs for a steadier median.
	sessionScenario('a', {
		title: `Get Access Token, 1 execution × ${count(options.items)} items`,
		executions: 1,
		itemsPerExecution: options.items,
		mode: 'sequential',
		readRunData: 1,
		repetitions: options.repetitions * 3,
	});
	// Run data of 1-item executions gives the step's fixed cost per execution.
	sessionScenario('b', {
		title: `Get Access Token, ${options.sequential} sequential executions × 1 item`,
		executions: options.sequential,
		itemsPerExecution: 1,
		mode: 'sequential',
		readRunData: 10,
		repetitions: options.repetitions,
	});
	sessionScenario('c', {
		title: `Get Access Token, ${options.concurrent} concurrent executions × 1 item`,
		executions: options.concurrent,
		itemsPerExecution: 1,
		mode: 'concurrent',
		readRunData: 0,
		repetitions: options.repetitions,
	});
	const dataInputs = (key: ScenarioKey): DataInputs | undefined => {
		const credentials = dataCredentials.get(key);
		if (!credentials || !builtin) return undefined;
		return {
			orgUrl: standin.url,
			packageCredential: ref(credentials.packageCredential),
			httpCredential: ref(credentials.httpCredential),
			builtinCredential: ref(builtin),
			packageTypeVersion,
		};
	};
	const createInputs = dataInputs('d');
	if (createInputs && records) {
		const hooks = records;
		scenarios.push({
			key: 'd',
			title: `Create ${count(options.createItems)} ${CREATE_SOBJECT} records (1 execution × ${count(options.createItems)} items)`,
			executions: 1,
			itemsPerExecution: options.createItems,
			mode: 'sequential',
			readRunData: 1,
			repetitions: options.repetitions,
			variants: createVariants(createInputs),
			baseline: 'builtin',
			payload: (items) =>
				Array.from({ length: items }, (_, n) => ({ Name: `Bench Account ${n + 1}` })),
			countAtStandin: () => hooks.count(CREATE_SOBJECT),
			outcome: createdOutcome(options.createItems),
		});
	}
	const queryInputs = dataInputs('e');
	if (queryInputs) {
		scenarios.push({
			key: 'e',
			title: `Query ${count(options.queryRecords)} ${QUERY_SOBJECT} records (1 execution, every record)`,
			executions: 1,
			itemsPerExecution: 1,
			unitsPerRun: options.queryRecords,
			mode: 'sequential',
			readRunData: 1,
			repetitions: options.repetitions,
			variants: queryVariants(queryInputs),
			baseline: 'builtin',
			payload: () => [{ n: 0 }],
			outcome: queriedOutcome(options.queryRecords),
		});
	}

	const volumeInputs = {
		fileBytes: options.fileMb * 1024 * 1024,
		bulkItems: options.bulkItems,
		queryRecords: options.bulkQueryRecords,
	};
	const volume = volumeCredential
		? volumeVariants(
				{ ...volumeInputs, credential: ref(volumeCredential), packageTypeVersion, filesFolder },
				volumeWanted,
			)
		: [];
	// (i)'s triggers are imported unpublished, and published once the others are measured: their polls would load the machine.
	const workflows = [
		...scenarios.flatMap((scenario) => scenario.variants.map((variant) => variant.workflow)),
		...volume.map((variant) => variant.workflow),
		...(triggers?.workflows(ref) ?? []),
	];
	await bench.n8n.importWorkflows(workflows);
	log(`Imported ${toImport.length} credentials and ${workflows.length} workflows; starting n8n…`);

	const server: N8nServer = await bench.n8n.startServer();
	onCleanUp(async () => await server.stop());
	for (const scenario of scenarios)
		for (const variant of scenario.variants) await publishWorkflow(server, variant.workflowId);
	for (const variant of volume) await publishWorkflow(server, variant.workflow.id as string);
	log(
		`n8n ${bench.n8nVersion} is serving the webhooks at ${server.apiUrl}/webhook/… (Salesforce Action version ${packageTypeVersion})`,
	);

	const results: ScenarioResult[] = [];
	const failures: string[] = [];
	for (const scenario of scenarios) {
		log(`Scenario (${scenario.key}) ${scenario.title}`);
		try {
			results.push(await measureScenario({ server, standin, log }, scenario));
		} catch (error) {
			// The other scenarios still run; this one is reported as not measured, and the run fails.
			const message = error instanceof Error ? error.message : String(error);
			failures.push(message);
			log(`  FAILED: ${message}`);
		}
	}

	let volumeRows: VolumeRow[] = [];
	if (volume.length > 0) {
		log(
			`Volume scenarios (${[...new Set(volume.map((variant) => variant.scenario))].join(', ')}): API requests and the n8n process's peak memory`,
		);
		try {
			volumeRows = await measureVolume({ server, standin, log }, volume);
		} catch (error) {
			const message = error instanceof Error ? error.message : String(error);
			failures.push(message);
			log(`  FAILED: ${message}`);
		}
	}

	let triggerResults: TriggerResult[] | undefined;
	if (triggers) {
		log(
			"Scenario (i) polling triggers: the Salesforce Trigger vs n8n's Salesforce Trigger, on n8n's minute polls",
		);
		try {
			triggerResults = await triggers.run(server, log);
		} catch (error) {
			const message = error instanceof Error ? error.message : String(error);
			failures.push(message);
			log(`  FAILED: ${message}`);
		}
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
		command: [
			'npm run bench',
			...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : []),
		].join(' '),
		durationMs: Date.now() - startedAt,
	};
	const report = results.length > 0 ? buildReport(results, options.queryRecords) : undefined;
	if (report) {
		printReport(report, machine);
		console.log('Markdown:\n');
		console.log(markdownTable(report.mainTable));
		if (report.overheadTable) console.log(`\n${markdownTable(report.overheadTable)}`);
		console.log(`\n${targetLines(report.targets, true).join('\n')}\n`);
	}
	const volumeMarkdown =
		volumeRows.length > 0 ? markdownTable(volumeTable(volumeRows, volumeInputs)) : '';
	if (volumeRows.length > 0) {
		console.log("Files and Bulk API 2.0 (requests and the n8n process's peak memory):\n");
		console.log(volumeMarkdown);
		console.log(`\n${volumeTargets(volumeRows).join('\n')}\n`);
	}

	const triggerResultsTable = triggerResults ? triggerTable(triggerResults) : undefined;
	if (triggerResultsTable)
		console.log(
			`\n(i) Polling triggers:\n\n${plainTable(triggerResultsTable)}\n\nMarkdown:\n\n${markdownTable(triggerResultsTable)}\n`,
		);

	if (failures.length > 0) {
		throw new Error(
			`${failures.length} scenario(s) could not be measured (docs/benchmark.md is left as it was):\n  - ${failures.join('\n  - ')}`,
		);
	}
	if (options.write && triggerResultsTable) {
		writeFileSync(
			DOC_FILE,
			replaceBlock(
				readFileSync(DOC_FILE, 'utf8'),
				POLLING_TRIGGER_BLOCK,
				triggerSectionText(triggerResultsTable, machine, triggers?.scenarios ?? []),
			),
		);
		log(`Wrote scenario (i)'s part of ${DOC_FILE}.`);
	}
	if (options.write && report && MEASURED_SCENARIOS.every(wanted)) {
		mkdirSync(join(REPO_ROOT, 'docs'), { recursive: true });
		const volumeSection =
			volumeRows.length > 0
				? `\n## Files and Bulk API 2.0 (scenarios f–h)\n\nOne run each. Peak memory is the n8n main process's resident set at its highest during the run (its high-water mark reset before the run); "added" is the rise above what it held just before. n8n returns freed memory lazily, so a run after a memory-hungry one starts high and adds little: compare Peak RSS for neighbouring runs (No Operation, then Bulk).\n\n${volumeMarkdown}\n\n${volumeTargets(
						volumeRows,
					)
						.map((line) => `- ${line}`)
						.join('\n')}\n`
				: '';
		// The reading of the figures and the triggers' figures ((i), and npm run bench:events) live in the same file: kept as they are.
		const old = existsSync(DOC_FILE) ? readFileSync(DOC_FILE, 'utf8') : '';
		const kept = [SUMMARY_BLOCK, POLLING_TRIGGER_BLOCK, EVENT_BLOCK]
			.map((block) => blockOf(old, block))
			.filter((block): block is string => block !== undefined);
		const document = markdownDocument(report, machine) + volumeSection;
		writeFileSync(DOC_FILE, [document.replace(/\n*$/, ''), ...kept].join('\n\n') + '\n');
		log(`Wrote ${DOC_FILE}`);
	} else {
		log('Not writing (a)–(h) to docs/benchmark.md (--quick, --only or --no-write).');
	}
	log(`Done in ${formatMs(Date.now() - startedAt)}.`);
}

runBenchmark('npm run bench', main);
