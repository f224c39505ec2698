/**
 * The one way the end-to-end suites stand up a real n8n with the packed package installed as a
 * community package, in a private user folder (or, in queue mode, one per process):
 *
 * - single process, CLI only: import credentials and workflows, `n8n execute` them, export, read what
 *   n8n saved (`n8n.cli`);
 * - single process, `n8n start` (`start: true`, or `start()` later): credentials and workflows created
 *   through the editor's REST API, workflows published and their triggers known to be active,
 *   executions read and stopped through the REST API, n8n stopped and started again on the same
 *   user folder (`restart()`);
 * - queue mode (`queue: { workers: 2 }`): PostgreSQL, Redis, main and N `n8n worker`s, each with its
 *   own user folder, all driven the same way through main.
 *
 * Around it: Salesforce stand-ins (one origin per scenario; in queue mode each request is stamped with
 * the process that sent it), a sink that sees every item a workflow posts (sink.ts), and the ledger of
 * secrets, tokens and answers the secret scan searches (secret-scan.ts).
 *
 * @example
 * // `pollingTrigger` stands for any polling trigger node (harness.e2e.test.ts uses n8n's RSS Feed Trigger).
 * const n8n = await createN8n({ name: 'poller', start: true, env: { N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem' } });
 * const sf = await n8n.standin({ label: 'acme' });
 * const sink = await n8n.sink();
 * const credential = await n8n.createCredential('Acme', loginDataFor(sf));
 * const { id } = await n8n.createWorkflow(chain('Poll accounts', [pollingTrigger(credential), sinkNode('Sink', sink.url('accounts'))]));
 * await n8n.publish(id); // resolves once the trigger is active (its activation poll ran); throws ActivationError with n8n's reason
 * await sink.waitFor('accounts', 1); // the items, as the workflow posts them
 * const statuses = await n8n.restart(); // same user folder: resolves once published triggers are active again
 * expect(statuses.get(id)?.status).toBe('published');
 * const runs = await n8n.executions.waitForFinishedData(id, 2); // oldest first, with their data
 * expect(savedNodeOutput(runs[1], 'Sink')).toHaveLength(1);
 * await n8n.executions.stop(runningId); // a running execution, as the editor's Stop button does
 * await n8n.cleanup(); // in afterAll: stops everything, removes the folders
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { stopAllChildren, stopChild, type CommandResult } from '../../../dev/n8n/child-processes';
import {
	commandTimeoutMs,
	generatedOwner,
	N8nInstance,
	type N8nServer,
	type WorkflowToImport,
} from '../../../dev/n8n/cli';
import {
	installPackageLikeN8n,
	type InstalledCommunityPackage,
} from '../../../dev/n8n/community-package';
import { buildAndPackOnce, REPO_ROOT } from '../../../dev/n8n/packed-package';
import { ensureN8nRuntime, type N8nRuntime } from '../../../dev/n8n/runtime';
import { CREDENTIAL_TYPE } from '../../../dev/demo-workflow';
import {
	startSalesforceStandin,
	type SalesforceStandin,
	type StandinOptions,
} from '../../../dev/salesforce-standin';
import { sqliteDatabase, type N8nDatabase } from './database';
import { Executions, type SavedExecution } from './executions';
import {
	publicationMark,
	Publications,
	usesPublicationOutbox,
	waitForStartupPublications,
	type PublicationStatus,
} from './publication';
import { connectionOwner, processTree, queueModeEnv, startWorker, type QueueWorker } from './queue';
import { RestClient } from './rest';
import { ScanLedger, secretNeedles, type Haystack } from './secret-scan';
import {
	ensureServicePackages,
	startPostgres,
	startRedis,
	type PostgresService,
	type RedisService,
} from './services';
import { startSink, type Sink } from './sink';
import type { CredentialRef } from './workflows';

/**
 * For `jest.setTimeout` in every e2e file: a fresh machine installs n8n (~3-6 min) in `beforeAll`.
 * Kept well above one n8n command's own timeout (`N8N_SFI_COMMAND_TIMEOUT_MS`, 5 min by default), so
 * a hung command is reported by the harness, saying why, before jest gives up on the whole test.
 */
export const E2E_TIMEOUT_MS = Math.max(15 * 60_000, 3 * commandTimeoutMs());

export interface N8nOptions {
	/** Names the user folders (`sfi-e2e-<name>-…`). */
	name: string;
	/** One of the pinned n8n versions (dev/n8n/runtime.ts); N8N_VERSION (2.41.1) unless told. */
	n8nVersion?: string;
	/** `n8n start` at once; otherwise only the CLI until `start()`. Queue mode always starts. */
	start?: boolean;
	/** Queue mode: PostgreSQL, Redis, main and this many `n8n worker`s. */
	queue?: { workers: number };
	/** Extra environment for every n8n process (N8N_LOG_LEVEL, N8N_DEFAULT_BINARY_DATA_MODE…). */
	env?: Record<string, string>;
}

/** Services and workers of queue mode. */
export interface QueueMode {
	postgres: PostgresService;
	redis: RedisService;
	/** The workers of the current start, named worker-1, worker-2… */
	workers: QueueWorker[];
}

/** A published workflow with a production Webhook trigger. */
export interface WebhookWorkflow {
	id: string;
	name: string;
	path: string;
	/** Calls GET /webhook/<path> and waits for the workflow to finish (response mode "last node"). */
	call: () => Promise<WebhookAnswer>;
	/** call(), then the execution it started, finished and with its data (for calls made one at a time). */
	run: () => Promise<WebhookAnswer & { execution: SavedExecution }>;
}

export interface WebhookAnswer {
	status: number;
	/** The answer parsed as a JSON object ({} when it is not one). */
	body: Record<string, unknown>;
	text: string;
}

/** jest buffers console.log until a test ends; progress of a minutes-long install must show now. */
function progress(line: string): void {
	process.stderr.write(`[e2e] ${line}\n`);
}

export class N8nUnderTest {
	readonly rest: RestClient;
	readonly executions: Executions;
	readonly standins: SalesforceStandin[] = [];
	private readonly publications: Publications;
	private readonly published = new Set<string>();
	private readonly owner = generatedOwner();
	private readonly logFiles: Array<{ label: string; file: string }> = [];
	private readonly allWorkers: QueueWorker[] = [];
	private readonly sinks: Sink[] = [];
	private mainServer: N8nServer | undefined;
	private starts = 0;

	constructor(
		readonly runtime: N8nRuntime,
		/** The user folder of the single process, or of main in queue mode. */
		readonly userFolder: string,
		readonly installedPackage: InstalledCommunityPackage,
		private readonly main: N8nInstance,
		private readonly workerInstances: N8nInstance[],
		readonly queue: QueueMode | undefined,
		private readonly cleanups: Array<() => Promise<void>>,
		/** Everything the secret scan searches for, and where (filled as credentials, stand-ins and answers come). */
		readonly scan: ScanLedger,
	) {
		this.rest = new RestClient(() => this.server, this.scan.haystacks);
		this.executions = new Executions(this.rest);
		this.publications = new Publications(this.rest, usesPublicationOutbox(runtime.n8nVersion));
	}

	/**
	 * n8n's CLI on the user folder (main's in queue mode): import, export, execute, and what n8n saved
	 * (executions, static data). Its commands (not its reads) want n8n stopped on SQLite: they would
	 * write the one database file `n8n start` writes.
	 */
	get cli(): N8nInstance {
		return this.main;
	}

	/** The running `n8n start` (main in queue mode), logged in as the owner. */
	get server(): N8nServer {
		if (!this.mainServer) throw new Error('n8n is not running: start() it first.');
		return this.mainServer;
	}

	/**
	 * `n8n start` (and the workers in queue mode) on the same user folders and database as before;
	 * resolves once it answers and the triggers of published workflows are active again.
	 */
	async start(): Promise<N8nServer> {
		if (this.mainServer) return this.mainServer;
		const database = this.database();
		const mark =
			usesPublicationOutbox(this.runtime.n8nVersion) &&
			(await database.hasTable('workflow_publication_outbox'))
				? await publicationMark(database)
				: undefined;
		const start = ++this.starts;
		const logFile = join(this.userFolder, `n8n-main-${start}.log`);
		this.logFiles.push({ label: `n8n main log (start ${start})`, file: logFile });
		this.mainServer = await this.main.startServer({ owner: this.owner, logFile });
		if (this.queue) {
			// Main first: it migrates the database; workers then only connect.
			this.queue.workers = [];
			for (const [index, instance] of this.workerInstances.entries()) {
				const name = `worker-${index + 1}`;
				const workerLog = join(instance.userFolder, `n8n-worker-${start}.log`);
				this.logFiles.push({ label: `n8n ${name} log (start ${start})`, file: workerLog });
				const worker = await startWorker(name, instance, workerLog);
				this.queue.workers.push(worker);
				this.allWorkers.push(worker);
			}
		}
		if (mark) await waitForStartupPublications(database, mark);
		return this.mainServer;
	}

	/** Stops n8n (and the workers), flushing the logs; user folders, database and stand-ins stay. */
	async stop(): Promise<void> {
		for (const standin of this.standins) this.scan.tokens.record(standin);
		for (const worker of this.queue?.workers ?? []) await stopChild(worker.process, 15_000);
		await this.mainServer?.stop();
		this.mainServer = undefined;
	}

	/** stop() then start(); the publication status of every workflow published through this harness. */
	async restart(): Promise<Map<string, PublicationStatus>> {
		await this.stop();
		await this.start();
		const statuses = new Map<string, PublicationStatus>();
		for (const id of this.published) statuses.set(id, await this.publications.status(id));
		return statuses;
	}

	/**
	 * A Salesforce stand-in for one scenario (the package's login guard is keyed by the login details,
	 * so scenarios that must not influence each other each get their own origin); closed by cleanup().
	 * In queue mode every request it records names the process that sent it (`client`).
	 */
	async standin(options: StandinOptions = {}): Promise<SalesforceStandin> {
		const processes = () => [
			...(this.queue?.workers ?? []),
			{ name: 'main', pids: () => processTree(this.mainServer?.process.pid) },
		];
		const standin = await startSalesforceStandin(
			this.queue ? { ...options, identifyClient: connectionOwner(processes) } : options,
		);
		this.standins.push(standin);
		this.scan.secrets.push(
			...secretNeedles(`stand-in ${this.standins.length}`, { ...standin.demo }),
		);
		return standin;
	}

	/** A sink for this test's workflows to post their items to (sink.ts); closed by cleanup(). */
	async sink(): Promise<Sink> {
		const sink = await startSink();
		this.sinks.push(sink);
		return sink;
	}

	/** Creates a credential through the REST API, as the editor's Save button does. */
	async createCredential(
		name: string,
		data: Record<string, unknown>,
		type = CREDENTIAL_TYPE,
	): Promise<CredentialRef> {
		this.scan.secrets.push(...secretNeedles(`credential "${name}"`, data));
		const created = await this.rest.json<{ id: string; name: string }>(
			`create credential ${name}`,
			'/rest/credentials',
			{
				method: 'POST',
				body: JSON.stringify({ name, type, data }),
			},
		);
		return { id: created.id, name: created.name };
	}

	/** `n8n import:credentials` of one credential, as an admin would provision it (n8n stopped). */
	async importCredential(
		name: string,
		data: Record<string, unknown>,
		type = CREDENTIAL_TYPE,
	): Promise<CredentialRef> {
		this.scan.secrets.push(...secretNeedles(`credential "${name}"`, data));
		const [imported] = await this.cli.importCredentials([{ name, type, data }]);
		return { id: imported.id, name };
	}

	/** Creates a workflow through the REST API (not published). */
	async createWorkflow(workflow: WorkflowToImport): Promise<{ id: string; versionId: string }> {
		return await this.rest.json<{ id: string; versionId: string }>(
			`create ${workflow.name}`,
			'/rest/workflows',
			{
				method: 'POST',
				// `active: false` as the editor sends it: n8n 1.x refuses a workflow without it, 2.x ignores it.
				body: JSON.stringify({
					name: workflow.name,
					nodes: workflow.nodes,
					connections: workflow.connections,
					settings: workflow.settings ?? {},
					active: false,
				}),
			},
		);
	}

	/**
	 * Publishes the workflow's current version (or `versionId`); resolves once all its triggers are
	 * active, throws ActivationError (with n8n's reason per trigger) when one did not activate. With
	 * `settle: false` it returns at once (read `publicationStatus` later).
	 */
	async publish(
		workflowId: string,
		options: { versionId?: string; settle?: boolean } = {},
	): Promise<PublicationStatus> {
		this.published.add(workflowId);
		return await this.publications.publish(workflowId, options);
	}

	/** Unpublishes the workflow; resolves once its triggers are gone. */
	async unpublish(workflowId: string): Promise<PublicationStatus> {
		const status = await this.publications.unpublish(workflowId);
		this.published.delete(workflowId);
		return status;
	}

	async publicationStatus(workflowId: string): Promise<PublicationStatus> {
		return await this.publications.status(workflowId);
	}

	/**
	 * Creates and publishes a workflow whose trigger is a production Webhook at `path`. `tokenFields`:
	 * the output fields it maps the access token into (the only places a token may appear in its
	 * executions and webhook answers).
	 */
	async publishWebhook(
		workflow: WorkflowToImport,
		path: string,
		tokenFields: string[] = [],
	): Promise<WebhookWorkflow> {
		const { id, versionId } = await this.createWorkflow(workflow);
		await this.publish(id, { versionId });
		this.scan.tokenFieldsByWorkflow.set(id, tokenFields);
		let calls = 0;
		const call = async (): Promise<WebhookAnswer> => {
			calls += 1;
			const response = await fetch(`${this.server.apiUrl}/webhook/${path}`);
			const text = await response.text();
			this.scan.haystacks.push({ label: `webhook answer of ${workflow.name}`, text, tokenFields });
			let body: Record<string, unknown> = {};
			try {
				body = JSON.parse(text) as Record<string, unknown>;
			} catch {
				// An empty or non-JSON answer; the status says what happened.
			}
			return { status: response.status, body, text };
		};
		const run = async (): Promise<WebhookAnswer & { execution: SavedExecution }> => {
			const answer = await call();
			const summaries = await this.executions.waitForFinished(id, calls);
			return { ...answer, execution: await this.executions.readFinished(summaries[calls - 1].id) };
		};
		return { id, name: workflow.name, path, call, run };
	}

	/** Which worker ran an execution (from the workers' logs), in queue mode. */
	workerOf(executionId: string): string | undefined {
		return this.allWorkers.find((worker) => worker.executionIds().includes(executionId))?.name;
	}

	/** Every log of every n8n process so far (each start its own), for the secret scan. */
	logs(): Haystack[] {
		return this.logFiles.map(({ label, file }) => ({ label, text: readFileSync(file, 'utf8') }));
	}

	/** Stops everything and removes the user folders (kept when E2E_KEEP_USER_FOLDERS=1, for debugging). */
	async cleanup(): Promise<void> {
		await this.stop();
		await Promise.all(
			[...this.sinks.splice(0), ...this.standins.splice(0)].map(
				async (closable) => await closable.close(),
			),
		);
		for (const cleanup of this.cleanups.splice(0).reverse()) {
			try {
				await cleanup();
			} catch (error) {
				progress(`clean-up step failed: ${String(error)}`);
			}
		}
		// Anything an aborted test left running (an `n8n execute` that timed out…).
		await stopAllChildren(5_000);
	}

	private database(): N8nDatabase {
		return this.queue?.postgres ?? sqliteDatabase(this.runtime, this.userFolder);
	}
}

/**
 * A private n8n with the packed package installed, ready for the CLI (and, with `start` or `queue`,
 * running). Call in `beforeAll`; call `cleanup()` in `afterAll`.
 */
export async function createN8n(options: N8nOptions): Promise<N8nUnderTest> {
	const cleanups: Array<() => Promise<void>> = [];
	let n8n: N8nUnderTest | undefined;
	try {
		const [tarball, runtime, services] = await Promise.all([
			buildAndPackOnce(progress),
			ensureN8nRuntime({ log: progress, n8nVersion: options.n8nVersion }),
			options.queue ? ensureServicePackages() : undefined,
		]);
		let queue: QueueMode | undefined;
		if (services) {
			const [postgres, redis] = await Promise.all([
				startPostgres(services.postgresBin),
				startRedis(services.redisServer),
			]);
			cleanups.push(postgres.stop, redis.stop);
			progress(`PostgreSQL on 127.0.0.1:${postgres.port}, Redis on 127.0.0.1:${redis.port}`);
			queue = { postgres, redis, workers: [] };
		}
		const roles = [
			'main',
			...Array.from({ length: options.queue?.workers ?? 0 }, (_, index) => `worker-${index + 1}`),
		];
		const folders = roles.map((role) =>
			mkdtempSync(join(tmpdir(), `sfi-e2e-${options.name}-${queue ? `${role}-` : ''}`)),
		);
		for (const folder of folders) {
			cleanups.push(async () => {
				if (process.env.E2E_KEEP_USER_FOLDERS === '1') progress(`Kept ${folder}`);
				else rmSync(folder, { recursive: true, force: true });
			});
		}
		const [installedPackage] = await Promise.all(
			folders.map(
				async (folder) => await installPackageLikeN8n(folder, { repoRoot: REPO_ROOT, tarball }),
			),
		);
		const env = { ...(queue ? queueModeEnv(queue.postgres, queue.redis) : {}), ...options.env };
		const scan = new ScanLedger();
		if (queue) scan.secrets.push({ label: 'PostgreSQL password', value: queue.postgres.password });
		// Whatever the CLI prints is searched too.
		const onCommand = (args: string[], result: CommandResult) =>
			scan.haystacks.push(
				{ label: `CLI ${args[0]} stdout`, text: result.stdout },
				{ label: `CLI ${args[0]} stderr`, text: result.stderr },
			);
		const [main, ...workers] = folders.map(
			(userFolder) => new N8nInstance({ userFolder, runtime, env, onCommand }),
		);
		n8n = new N8nUnderTest(
			runtime,
			folders[0],
			installedPackage,
			main,
			workers,
			queue,
			cleanups,
			scan,
		);
		if (options.start || queue) {
			const startedAt = Date.now();
			await n8n.start();
			progress(
				`n8n ${queue ? `main and ${queue.workers.length} workers` : 'start'} ready in ${Math.round((Date.now() - startedAt) / 1000)} s`,
			);
		}
		return n8n;
	} catch (error) {
		if (n8n) await n8n.cleanup();
		else for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
		await stopAllChildren(5_000);
		throw error;
	}
}
