/**
 * `npm run bench:events`: the Salesforce Event Trigger in real n8n 2.41 (one `n8n start`, the packed
 * package as a community package) against the stand-in's Streaming API, with Salesforce's own
 * timeouts (a long poll held 110 s, a client forgotten 40 s after an answer):
 *   (t1) latency: single changes, one at a time — from the change's commit to its execution's start;
 *   (t2) REST API requests per event (0; the long-poll connects apart), and with Fetch Full Records
 *        (⌈ids/200⌉ Collections reads, and the object's describe);
 *   (t3) a burst of N events (10,000) committed at once: every one delivered, in order, none twice;
 *   (t4) the n8n process's CPU time over an idle minute with the subscription listening, and with the
 *        workflow deactivated (no busy loop: the difference is the trigger's);
 *   (t5) the polling Salesforce Trigger (createdOrUpdated, every minute) published beside it for the
 *        same object: the same single changes, spaced so several polls are seen — each change's
 *        latency for both triggers, and the REST requests per poll and per change of each.
 * Prints the figures; writes them into docs/benchmark.md (between `event-trigger` markers, which
 * `npm run bench` keeps).
 *
 * Options: --events N (10000), --latency N (30), --idle S (60), --polled N (5 changes for t5, 45 s
 * apart), --quick (1000 events, 10 changes, 15 s idle, 3 polled changes; does not write),
 * --no-write. BENCH_KEEP_USER_FOLDER=1 keeps the n8n user folder.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';

import { salesforceCredential } from './demo-workflow';
import type { N8nServer } from './n8n/cli';
import { chain, salesforceEventTriggerNode } from './n8n/workflow-builder';
import { startSalesforceStandin, type SalesforceStandin } from './salesforce-standin';
import { formatMs } from './bench/measure';
import { onCleanUp, runBenchmark } from './bench/lifecycle';
import { prepareN8n } from './bench/n8n';
import { publishWorkflow } from './n8n/published-workflows';
import { replaceBlock } from './bench/report';
import {
	measurePollingBeside,
	pollingFigures,
	preparePollingBeside,
} from './bench/polling-beside-events';
import {
	checkBurst,
	commitTime,
	cpuTimeMs,
	difference,
	median,
	percentile,
	streamingSnapshot,
	TRIGGER_NODE,
	triggerExecutions,
	waitForExecutions,
	type BurstCheck,
} from './bench/events';

const REPO_ROOT = join(__dirname, '..');
const DOC_FILE = join(REPO_ROOT, 'docs', 'benchmark.md');
/** Its part of docs/benchmark.md, between markers that `npm run bench` keeps. */
const EVENT_BLOCK = 'event-trigger';
const startedAt = Date.now();

function log(line: string): void {
	console.log(`[${((Date.now() - startedAt) / 1000).toFixed(1).padStart(6)}s] ${line}`);
}

interface Options {
	events: number;
	latency: number;
	idleSeconds: number;
	/** Single changes made with the polling trigger beside the event trigger (t5). */
	polled: number;
	write: boolean;
}

function parseOptions(argv: string[]): Options {
	const quick = argv.includes('--quick');
	const number = (flag: string, fallback: number): number => {
		const index = argv.findIndex((arg) => arg === flag || arg.startsWith(`${flag}=`));
		if (index < 0) return fallback;
		const raw = argv[index].includes('=') ? argv[index].slice(flag.length + 1) : argv[index + 1];
		const parsed = Number(raw);
		if (!Number.isInteger(parsed) || parsed < 1)
			throw new Error(`${flag} needs a whole number ≥ 1, not "${raw}".`);
		return parsed;
	};
	return {
		events: number('--events', quick ? 1000 : 10_000),
		latency: number('--latency', quick ? 10 : 30),
		idleSeconds: number('--idle', quick ? 15 : 60),
		polled: number('--polled', quick ? 3 : 5),
		write: !quick && !argv.includes('--no-write'),
	};
}

/** Between two of (t5)'s changes: a quarter of a minute off the poll each time. */
const POLLED_SPACING_MS = 45_000;

function count(value: number): string {
	return value.toLocaleString('en-US');
}

async function main(): Promise<void> {
	const options = parseOptions(process.argv.slice(2));
	const loadAverageAtStart = loadavg();
	// Salesforce's own timeouts (110 s long poll, 40 s reconnect); logins and API usage unbounded.
	const standin: SalesforceStandin = await startSalesforceStandin({
		label: 'bench-events',
		loginRateLimitPerHour: Number.MAX_SAFE_INTEGER,
		dailyApiRequests: Number.MAX_SAFE_INTEGER,
		seedData: false,
	});
	onCleanUp(async () => await standin.close());
	log(`Salesforce stand-in at ${standin.url}`);

	log('Building and packing the package, preparing n8n…');
	const bench = await prepareN8n((line) => log(`  ${line}`));
	onCleanUp(async () => {
		if (process.env.BENCH_KEEP_USER_FOLDER === '1')
			log(`Kept the n8n user folder ${bench.userFolder}`);
		else rmSync(bench.userFolder, { recursive: true, force: true });
	});
	const polled = preparePollingBeside(standin, 'Account');
	const [credential, pollingCredential] = await bench.n8n.importCredentials([
		salesforceCredential('Bench Events', {
			authFlow: 'password',
			domain: standin.url,
			...standin.demo,
		}),
		polled.credential,
	]);
	const ref = { id: credential.id, name: credential.name };
	const changes = {
		...chain('Bench: Account changes', [
			salesforceEventTriggerNode(TRIGGER_NODE, ref, {
				source: 'changeEvents',
				sobject: { __rl: true, mode: 'list', value: 'Account' },
			}),
		]),
		id: 'BenchEventsAcct1',
	};
	const fullRecords = {
		...chain('Bench: Invoice changes, full records', [
			salesforceEventTriggerNode(TRIGGER_NODE, ref, {
				source: 'changeEvents',
				sobject: { __rl: true, mode: 'list', value: 'Invoice__c' },
				options: { fetchFullRecords: true },
			}),
		]),
		id: 'BenchEventsInvc1',
	};
	await bench.n8n.importWorkflows([
		changes,
		fullRecords,
		polled.workflow({ id: pollingCredential.id, name: pollingCredential.name }),
	]);
	const server: N8nServer = await bench.n8n.startServer();
	onCleanUp(async () => await server.stop());
	const listening = async (channel: string) => {
		for (
			let waited = 0;
			!standin
				.streamingClients()
				.some((client) => client.connectHeld && client.channels.includes(channel));
			waited += 100
		) {
			if (waited > 120_000)
				throw new Error(
					`The trigger did not subscribe to ${channel} within 2 minutes (n8n's log: ${server.logFile})`,
				);
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
	};
	await publishWorkflow(server, changes.id);
	await listening('/data/AccountChangeEvent');
	log(`n8n ${bench.n8nVersion} subscribed to /data/AccountChangeEvent`);

	// (t1) latency, (t2) REST requests per event: single changes, one at a time.
	const before = streamingSnapshot(standin);
	for (let change = 1; change <= options.latency; change++) {
		standin.insertRecords('Account', [{ Name: `Latency ${change}` }]);
		await waitForExecutions(bench.n8n, changes.id, change, 60_000, 50);
	}
	const single = difference(streamingSnapshot(standin), before);
	const latencies = (await triggerExecutions(bench.n8n, changes.id)).map(
		(execution) => execution.startedAt - commitTime(execution.item),
	);
	log(
		`(t1) ${options.latency} single changes: commit → execution start median ${formatMs(median(latencies))}, p90 ${formatMs(percentile(latencies, 0.9))}`,
	);
	log(
		`(t2) REST API requests: ${single.apiRequests} for ${options.latency} events; long-poll connects ${single.connects}, handshakes ${single.handshakes}`,
	);

	// (t3) the burst: N changes committed at once (one insert per 2,000: one transaction each).
	const burstBefore = streamingSnapshot(standin);
	const burstStart = Date.now();
	for (let from = 0; from < options.events; from += 2000) {
		standin.insertRecords(
			'Account',
			Array.from({ length: Math.min(2000, options.events - from) }, (_, index) => ({
				Name: `Burst ${from + index + 1}`,
			})),
		);
	}
	const burstIds = standin
		.retainedEvents('/data/AccountChangeEvent')
		.slice(-options.events)
		.map((event) => event.replayId);
	await waitForExecutions(
		bench.n8n,
		changes.id,
		options.latency + options.events,
		60 * 60_000,
		2000,
	);
	const burstMs = Date.now() - burstStart;
	const burst: BurstCheck = checkBurst(await triggerExecutions(bench.n8n, changes.id), burstIds);
	const burstCounts = difference(streamingSnapshot(standin), burstBefore);
	log(
		`(t3) burst of ${count(options.events)}: ${count(burst.delivered)} delivered, ${burst.twice} twice, ${burst.outOfOrder} out of order, ${burst.missing} missing, ${burst.failed} failed, in ${formatMs(burstMs)} (${Math.round(options.events / (burstMs / 1000))} events/s); connects ${burstCounts.connects}, handshakes ${burstCounts.handshakes}, REST requests ${burstCounts.apiRequests}`,
	);

	// (t2) with Fetch Full Records: 250 Invoice changes in one transaction, then 5 one at a time.
	await publishWorkflow(server, fullRecords.id);
	await listening('/data/Invoice__ChangeEvent');
	const [account] = standin.insertRecords('Account', [{ Name: 'Invoices Inc' }]);
	standin.resetRecords();
	standin.insertRecords(
		'Invoice__c',
		Array.from({ length: 250 }, (_, index) => ({ Account__c: account, Amount__c: index + 1 })),
	);
	await waitForExecutions(bench.n8n, fullRecords.id, 250, 10 * 60_000, 500);
	const readsFor250 = standin.requests.filter((request) =>
		/\/composite\/sobjects\/Invoice__c$/.test(request.path),
	).length;
	const describes = standin.requests.filter((request) =>
		/\/sobjects\/Invoice__c\/describe$/.test(request.path),
	).length;
	for (let change = 1; change <= 5; change++) {
		standin.insertRecords('Invoice__c', [{ Account__c: account, Amount__c: 1000 + change }]);
		await waitForExecutions(bench.n8n, fullRecords.id, 250 + change, 60_000, 50);
	}
	const readsForSingles =
		standin.requests.filter((request) => /\/composite\/sobjects\/Invoice__c$/.test(request.path))
			.length - readsFor250;
	const fullRecordsOk = (await triggerExecutions(bench.n8n, fullRecords.id)).every(
		(execution) => Array.isArray(execution.item.records) && execution.item.records.length === 1,
	);
	log(
		`(t2) Fetch Full Records: 250 events in one transaction → ${readsFor250} Collections reads + ${describes} describe; 5 single events → ${readsForSingles} reads; every item has its record: ${fullRecordsOk}`,
	);

	// (t4) idle: the n8n process tree's CPU time over the idle window, with both workflows deactivated,
	// then with the trigger listening again — each after a pause, so n8n's own work after the burst is done.
	const pid = server.process.pid as number;
	const idle = async (): Promise<{ cpuMs: number; connects: number }> => {
		await new Promise((resolve) => setTimeout(resolve, 20_000));
		const [cpu0, connects0] = [cpuTimeMs(pid), standin.streamingCounts.connects];
		await new Promise((resolve) => setTimeout(resolve, options.idleSeconds * 1000));
		return { cpuMs: cpuTimeMs(pid) - cpu0, connects: standin.streamingCounts.connects - connects0 };
	};
	for (const id of [fullRecords.id, changes.id])
		await server.json(`/rest/workflows/${id}/deactivate`, { method: 'POST', body: '{}' });
	const deactivatedIdle = await idle();
	await publishWorkflow(server, changes.id);
	await listening('/data/AccountChangeEvent');
	const listeningIdle = await idle();
	log(
		`(t4) idle ${options.idleSeconds} s: n8n's CPU ${formatMs(listeningIdle.cpuMs)} listening (${listeningIdle.connects} connects), ${formatMs(deactivatedIdle.cpuMs)} deactivated`,
	);

	// (t5) the polling trigger published beside the listening event trigger, the same single changes.
	log(
		`(t5) the polling Salesforce Trigger beside it: ${options.polled} single changes ${POLLED_SPACING_MS / 1000} s apart…`,
	);
	const polling = await measurePollingBeside(polled, {
		server,
		n8n: bench.n8n,
		standin,
		eventWorkflowId: changes.id,
		changes: options.polled,
		spacingMs: POLLED_SPACING_MS,
		log,
	});
	const t5 = pollingFigures(polling);
	log(`(t5) ${t5.log}`);

	const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GB, load ${loadAverageAtStart.map((value) => value.toFixed(2)).join(' ')} at the start`;
	const rows = [
		'| What | Figure | Target |',
		'| --- | --- | --- |',
		`| (t1) commit → execution start, ${options.latency} single changes | median **${formatMs(median(latencies))}**, p90 ${formatMs(percentile(latencies, 0.9))} | median < 500 ms |`,
		`| (t2) REST API requests per event | **${single.apiRequests}** for ${options.latency} events (long-poll connects apart: ${single.connects}) | 0 |`,
		`| (t2) … with Fetch Full Records | 250 events of one transaction: **${readsFor250}** Collections reads + ${describes} describe; 5 single events: ${readsForSingles} | ⌈ids/200⌉ |`,
		`| (t3) burst of ${count(options.events)} events committed at once | ${count(burst.delivered)} delivered, ${burst.twice} twice, ${burst.outOfOrder} out of order, ${burst.missing} missing; ${formatMs(burstMs)} (${Math.round(options.events / (burstMs / 1000))} executions/s); ${burstCounts.connects} connects, ${burstCounts.handshakes} handshakes, ${burstCounts.apiRequests} REST requests | all, in order, none twice |`,
		`| (t4) n8n's CPU time over an idle ${options.idleSeconds} s | ${formatMs(listeningIdle.cpuMs)} listening (${listeningIdle.connects} connects), ${formatMs(deactivatedIdle.cpuMs)} with the workflow deactivated | no busy loop |`,
		`| (t5) the polling Salesforce Trigger (\`createdOrUpdated\`, every minute) beside it, ${options.polled} single changes ${POLLED_SPACING_MS / 1000} s apart | ${t5.row} | — (its floor: a change waits for the next poll, up to a minute) |`,
	];
	const block = [
		'## Event trigger',
		'',
		`Generated by \`npm run bench:events\` (dev/bench-events.ts) on ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}: n8n ${bench.n8nVersion} (\`n8n start\`, SQLite), the stand-in with Salesforce's timeouts (long poll 110 s, reconnect 40 s, at most 1,000 events per connect answer), ${machine}; took ${formatMs(Date.now() - startedAt)}.`,
		'',
		...rows,
		'',
		"Each execution starts after the one before has finished (the trigger keeps Salesforce's order): a burst is delivered at the speed n8n runs executions one after another. Latency is n8n's `startedAt` less the change's `commitTimestamp`, both on this machine's clock.",
		`(t5) publishes the polling Salesforce Trigger beside the listening event trigger after (t4), with a credential (a stand-in API user) of its own; its changes are made one at a time, ${POLLED_SPACING_MS / 1000} s apart so they fall at different moments of the poll's minute. Each change's latency is measured for both triggers from the moment the stand-in committed it to the start of the execution that emitted it; the REST requests under \`/services/data/\` are counted at the stand-in per API user, from the publication to the poll after the last change (the polling trigger's per-change figure includes its polls that found nothing).`,
	].join('\n');
	console.log(`\n${block}\n`);
	const targetsMet =
		median(latencies) < 500 &&
		single.apiRequests === 0 &&
		burst.delivered === options.events &&
		burst.twice === 0 &&
		burst.outOfOrder === 0 &&
		readsFor250 === 2 &&
		t5.eachOnce;
	log(targetsMet ? 'Targets met.' : 'A target was NOT met (see above).');
	if (options.write) {
		writeFileSync(DOC_FILE, replaceBlock(readFileSync(DOC_FILE, 'utf8'), EVENT_BLOCK, block));
		log('Wrote docs/benchmark.md (event-trigger block).');
	}
	if (!targetsMet) process.exitCode = 1;
}

runBenchmark('npm run bench:events', main);
