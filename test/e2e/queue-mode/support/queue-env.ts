/**
 * n8n in queue mode, as a user deploys it: PostgreSQL and Redis, one `n8n start` (main: editor,
 * REST API, webhooks) and two `n8n worker` processes that run the executions, all with one
 * encryption key, each with its own user folder holding the packed package installed as a community
 * package. Credentials and workflows are created through main's REST API; webhook calls go to main,
 * which queues the executions for the workers.
 */
import type { ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { hasExited, lastLines, spawnTracked, stopAllChildren, stopChild } from '../../../../dev/n8n/child-processes';
import { N8nInstance } from '../../../../dev/n8n/cli';
import { installPackageLikeN8n } from '../../../../dev/n8n/community-package';
import { buildAndPackOnce, REPO_ROOT } from '../../../../dev/n8n/packed-package';
import { ensureN8nRuntime, type N8nRuntime } from '../../../../dev/n8n/runtime';
import { findFreePort, startN8nServer, type N8nServer } from '../../../../dev/n8n/server';
import { startSalesforceStandin, type SalesforceStandin, type StandinOptions } from '../../../../dev/salesforce-standin';
import { CREDENTIAL_TYPE, type WorkflowToImport } from '../../support';
import { publishWebhookWorkflow, restJsonOf, secretNeedles, TokenLedger, waitFor, type ActiveWorkflow, type SalesforceLoginData } from '../../hardening/support/hardening-env';
import type { Haystack, Needle } from '../../hardening/support/secret-scan';
import type { CredentialRef } from '../../hardening/support/workflows';
import { ensureServicePackages, startPostgres, startRedis, type PostgresService, type RedisService } from './services';

function progress(line: string): void {
	process.stderr.write(`[queue-mode] ${line}\n`);
}

export interface QueueWorker {
	name: string;
	process: ChildProcess;
	logFile: string;
	/** Execution ids this worker logged "Worker started execution N" for. */
	executionIds: () => string[];
	/** Pids of the worker and every process under it. */
	pids: () => number[];
}

export interface SavedQueueExecution {
	id: string;
	workflowId: string;
	status: string;
	/** The flatted `execution_data.data` text as stored. */
	rawData: string;
}

export interface QueueEnv {
	runtime: N8nRuntime;
	postgres: PostgresService;
	redis: RedisService;
	server: N8nServer;
	workers: QueueWorker[];
	tokens: TokenLedger;
	standins: SalesforceStandin[];
	secrets: Needle[];
	haystacks: Haystack[];
	/** A stand-in that records which worker (or "main") sent each request as its `client`. */
	standin: (options?: StandinOptions) => Promise<SalesforceStandin>;
	createCredential: (name: string, data: SalesforceLoginData) => Promise<CredentialRef>;
	activateWorkflow: (workflow: WorkflowToImport, webhookPath: string) => Promise<ActiveWorkflow>;
	/** Finished executions of a workflow (oldest first), once `count` of them have finished. */
	finishedExecutions: (workflowId: string, count: number) => Promise<SavedQueueExecution[]>;
	/** Which worker ran an execution (from the workers' logs). */
	workerOf: (executionId: string) => string | undefined;
	/** Every log of every n8n process so far. */
	logs: () => Haystack[];
	stop: () => Promise<void>;
}

const FINISHED = new Set(['success', 'error', 'crashed', 'canceled']);
const WORKER_COUNT = 2;

function childrenOf(pid: number): number[] {
	try {
		return readdirSync(`/proc/${pid}/task`).flatMap((task) =>
			readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').split(/\s+/).filter(Boolean).map(Number),
		);
	} catch {
		return [];
	}
}

function processTree(pid: number | undefined): number[] {
	if (pid === undefined) return [];
	const all = [pid];
	for (let index = 0; index < all.length; index++) all.push(...childrenOf(all[index]));
	return all;
}

/**
 * The inode of the client's side of the loopback TCP connection from `clientPort` to `serverPort`.
 * Both ports must match: Linux reuses an ephemeral port for connections to different destinations,
 * so main's connection to PostgreSQL can hold the same local port as a worker's to the stand-in.
 */
function socketInode(clientPort: number, serverPort: number): string | undefined {
	for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
		let text = '';
		try {
			text = readFileSync(table, 'utf8');
		} catch {
			continue;
		}
		for (const line of text.split('\n').slice(1)) {
			const columns = line.trim().split(/\s+/);
			if (columns.length < 10) continue;
			const localPort = parseInt(columns[1].split(':').pop() ?? '', 16);
			const remotePort = parseInt(columns[2].split(':').pop() ?? '', 16);
			if (localPort === clientPort && remotePort === serverPort && columns[9] !== '0') return columns[9];
		}
	}
	return undefined;
}

function ownsSocket(pids: number[], inode: string): boolean {
	const target = `socket:[${inode}]`;
	for (const pid of pids) {
		let fds: string[] = [];
		try {
			fds = readdirSync(`/proc/${pid}/fd`);
		} catch {
			continue;
		}
		for (const fd of fds) {
			try {
				if (readlinkSync(`/proc/${pid}/fd/${fd}`) === target) return true;
			} catch {
				// Closed meanwhile.
			}
		}
	}
	return false;
}

function parseExecutionIds(logFile: string): string[] {
	let text = '';
	try {
		text = readFileSync(logFile, 'utf8');
	} catch {
		return [];
	}
	return [...text.matchAll(/Worker started execution (\d+)/g)].map((match) => match[1]);
}

async function startWorker(name: string, runtime: N8nRuntime, env: NodeJS.ProcessEnv, userFolder: string): Promise<QueueWorker> {
	const healthPort = await findFreePort();
	const logFile = join(userFolder, 'n8n-worker.log');
	const log = createWriteStream(logFile, { flags: 'w' });
	const child = spawnTracked(runtime.nodeBinary, [runtime.n8nBin, 'worker', '--concurrency=20'], {
		cwd: userFolder,
		env: {
			...env,
			N8N_RUNNERS_BROKER_PORT: String(await findFreePort()),
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			QUEUE_HEALTH_CHECK_PORT: String(healthPort),
			N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
		},
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let recent = '';
	const forward = (chunk: Buffer) => {
		log.write(chunk);
		recent = (recent + chunk.toString()).slice(-20_000);
	};
	child.stdout?.on('data', forward);
	child.stderr?.on('data', forward);
	child.once('exit', () => log.end());
	const deadline = Date.now() + 120_000;
	for (;;) {
		if (hasExited(child)) throw new Error(`n8n worker ${name} exited before it was ready:\n${lastLines(recent, 30)}`);
		try {
			if ((await fetch(`http://127.0.0.1:${healthPort}/healthz/readiness`)).ok) break;
		} catch {
			// Not listening yet.
		}
		if (Date.now() > deadline) throw new Error(`n8n worker ${name} was not ready after 120s:\n${lastLines(recent, 30)}`);
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	return { name, process: child, logFile, executionIds: () => parseExecutionIds(logFile), pids: () => processTree(child.pid) };
}

export async function startQueueEnv(): Promise<QueueEnv> {
	const startedAt = Date.now();
	const cleanups: Array<() => Promise<void>> = [];
	const stopAll = async () => {
		for (const cleanup of cleanups.reverse()) {
			try {
				await cleanup();
			} catch (error) {
				progress(`clean-up step failed: ${String(error)}`);
			}
		}
		cleanups.length = 0;
		await stopAllChildren(5_000);
	};
	try {
		const [{ postgresBin, redisServer }, tarball, runtime] = await Promise.all([
			ensureServicePackages(),
			buildAndPackOnce(progress),
			ensureN8nRuntime({ log: progress }),
		]);
		const [postgres, redis] = await Promise.all([startPostgres(postgresBin), startRedis(redisServer)]);
		cleanups.push(postgres.stop, redis.stop);
		progress(`PostgreSQL on 127.0.0.1:${postgres.port}, Redis on 127.0.0.1:${redis.port}`);

		const folders = ['main', ...Array.from({ length: WORKER_COUNT }, (_, index) => `worker-${index + 1}`)].map((name) => ({
			name,
			folder: mkdtempSync(join(tmpdir(), `sfi-queue-${name}-`)),
		}));
		for (const { folder } of folders) cleanups.push(async () => rmSync(folder, { recursive: true, force: true }));
		await Promise.all(folders.map(async ({ folder }) => await installPackageLikeN8n(folder, { repoRoot: REPO_ROOT, tarball })));

		const shared = {
			// Debug logging: the most n8n ever writes about an execution must still hold no secret.
			N8N_LOG_LEVEL: 'debug',
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: postgres.host,
			DB_POSTGRESDB_PORT: String(postgres.port),
			DB_POSTGRESDB_DATABASE: postgres.database,
			DB_POSTGRESDB_USER: postgres.user,
			DB_POSTGRESDB_PASSWORD: postgres.password,
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: redis.host,
			QUEUE_BULL_REDIS_PORT: String(redis.port),
			// Every execution saved, so the scan sees them all.
			EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
			EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
		};
		const envFor = (folder: string) => new N8nInstance({ userFolder: folder, runtime, env: shared }).env();

		// Main first: it creates the schema (migrations); workers then only connect.
		const server = await startN8nServer({ runtime, env: { ...envFor(folders[0].folder), N8N_RUNNERS_BROKER_PORT: String(await findFreePort()) } });
		cleanups.push(server.stop);
		const workers: QueueWorker[] = [];
		for (const { name, folder } of folders.slice(1)) {
			const worker = await startWorker(name, runtime, envFor(folder), folder);
			workers.push(worker);
			cleanups.push(async () => await stopChild(worker.process, 15_000));
		}
		progress(`n8n main and ${workers.length} workers ready in ${Math.round((Date.now() - startedAt) / 1000)} s`);

		const tokens = new TokenLedger();
		const standins: SalesforceStandin[] = [];
		const secrets: Needle[] = [{ label: 'PostgreSQL password', value: postgres.password }];
		const haystacks: Haystack[] = [];

		const clientOf = (clientPort: number, standinPort: number): string | undefined => {
			const inode = socketInode(clientPort, standinPort);
			if (!inode) return undefined;
			for (const worker of workers) if (ownsSocket(worker.pids(), inode)) return worker.name;
			if (ownsSocket(processTree(server.process.pid), inode)) return 'main';
			return undefined;
		};

		const restJson = restJsonOf(server, haystacks);

		const env: QueueEnv = {
			runtime,
			postgres,
			redis,
			server,
			workers,
			tokens,
			standins,
			secrets,
			haystacks,
			standin: async (options = {}) => {
				const standin = await startSalesforceStandin({ ...options, identifyClient: clientOf });
				standins.push(standin);
				cleanups.push(async () => await standin.close());
				return standin;
			},
			createCredential: async (name, data) => {
				secrets.push(...secretNeedles(`credential "${name}"`, data));
				const created = await restJson<{ id: string; name: string }>(`create credential ${name}`, '/rest/credentials', {
					method: 'POST',
					body: JSON.stringify({ name, type: CREDENTIAL_TYPE, data }),
				});
				return { id: created.id, name: created.name };
			},
			activateWorkflow: async (workflow, webhookPath) => await publishWebhookWorkflow(restJson, server.apiUrl, workflow, webhookPath),
			finishedExecutions: async (workflowId, count) =>
				await waitFor(`${count} finished executions of workflow ${workflowId}`, async () => {
					const rows = await postgres.query(
						`SELECT e.id, e."workflowId", e.status, coalesce(d.data, '') FROM execution_entity e LEFT JOIN execution_data d ON d."executionId" = e.id WHERE e."workflowId" = '${workflowId.replace(/'/g, '')}' ORDER BY e.id`,
					);
					const executions = rows.map(([id, wf, status, rawData]) => ({ id, workflowId: wf, status, rawData }));
					return executions.length >= count && executions.every((execution) => FINISHED.has(execution.status) && execution.rawData !== '') ? executions : undefined;
				}),
			workerOf: (executionId) => workers.find((worker) => worker.executionIds().includes(executionId))?.name,
			logs: () => [
				{ label: 'n8n main log', text: readFileSync(server.logFile, 'utf8') },
				...workers.map((worker) => ({ label: `n8n ${worker.name} log`, text: readFileSync(worker.logFile, 'utf8') })),
			],
			stop: stopAll,
		};
		return env;
	} catch (error) {
		await stopAll();
		throw error;
	}
}
