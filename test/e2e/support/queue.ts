/**
 * The queue-mode parts of the harness: the environment every process of a queue-mode install shares
 * (PostgreSQL, Redis, `EXECUTIONS_MODE=queue`), `n8n worker` processes, and which process — a worker
 * or main — owns a connection the stand-in received (so a test can tell which worker logged in).
 */
import type { ChildProcess } from 'node:child_process';
import { createWriteStream, readdirSync, readFileSync, readlinkSync } from 'node:fs';

import { hasExited, lastLines, spawnTracked } from '../../../dev/n8n/child-processes';
import type { N8nInstance } from '../../../dev/n8n/cli';
import { findFreePort } from '../../../dev/n8n/server';
import { waitFor } from '../../../dev/n8n/wait';
import type { PostgresService, RedisService } from './services';

export interface QueueWorker {
	name: string;
	process: ChildProcess;
	logFile: string;
	/** Execution ids this worker process logged "Worker started execution N" for. */
	executionIds: () => string[];
	/** Pids of the worker and every process under it. */
	pids: () => number[];
}

/** What main and every worker of one queue-mode install are started with. */
export function queueModeEnv(
	postgres: PostgresService,
	redis: RedisService,
): Record<string, string> {
	return {
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: postgres.host,
		DB_POSTGRESDB_PORT: String(postgres.port),
		DB_POSTGRESDB_DATABASE: postgres.database,
		DB_POSTGRESDB_USER: postgres.user,
		DB_POSTGRESDB_PASSWORD: postgres.password,
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: redis.host,
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		// Every execution saved, so the scans see them all.
		EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
		EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
		// n8n 2.41.1 removes a finished job from Redis at once (keepLastCompleted 0) but asks Bull
		// whether it finished only after its workflowExecuteBefore hook (workflow-runner.js:504-523):
		// a job a worker finishes in that gap is gone, and main's webhook never answers (seen in ~1 of
		// 3 queue runs at low load, on main before the harness too). Keeping the last completed jobs
		// closes the gap; it is n8n's own setting and changes nothing the package does.
		N8N_EXECUTIONS_QUEUE_KEEP_LAST_COMPLETED: '1000',
	};
}

function childrenOf(pid: number): number[] {
	try {
		return readdirSync(`/proc/${pid}/task`).flatMap((task) =>
			readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8')
				.split(/\s+/)
				.filter(Boolean)
				.map(Number),
		);
	} catch {
		return [];
	}
}

/** The process and every process under it. */
export function processTree(pid: number | undefined): number[] {
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
			if (localPort === clientPort && remotePort === serverPort && columns[9] !== '0')
				return columns[9];
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

/**
 * The name of the process (a worker's, or 'main') that owns the connection a request came in on, for
 * the stand-in's `identifyClient`.
 */
export function connectionOwner(
	processes: () => Array<{ name: string; pids: () => number[] }>,
): (clientPort: number, serverPort: number) => string | undefined {
	return (clientPort, serverPort) => {
		const inode = socketInode(clientPort, serverPort);
		if (!inode) return undefined;
		return processes().find((candidate) => ownsSocket(candidate.pids(), inode))?.name;
	};
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

/** `n8n worker` for the instance's user folder, ready (its health check answers); its output goes to `logFile`. */
export async function startWorker(
	name: string,
	instance: N8nInstance,
	logFile: string,
): Promise<QueueWorker> {
	const healthPort = await findFreePort();
	const log = createWriteStream(logFile, { flags: 'w' });
	const child = spawnTracked(
		instance.runtime.nodeBinary,
		[instance.runtime.n8nBin, 'worker', '--concurrency=20'],
		{
			cwd: instance.userFolder,
			env: instance.env({
				N8N_RUNNERS_BROKER_PORT: String(await findFreePort()),
				QUEUE_HEALTH_CHECK_ACTIVE: 'true',
				QUEUE_HEALTH_CHECK_PORT: String(healthPort),
				N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
			}),
			stdio: ['ignore', 'pipe', 'pipe'],
		},
	);
	let recent = '';
	const forward = (chunk: Buffer) => {
		log.write(chunk);
		recent = (recent + chunk.toString()).slice(-20_000);
	};
	child.stdout?.on('data', forward);
	child.stderr?.on('data', forward);
	child.once('exit', () => log.end());
	await waitFor(
		`n8n worker ${name} to be ready`,
		async () => {
			try {
				return (await fetch(`http://127.0.0.1:${healthPort}/healthz/readiness`)).ok
					? true
					: undefined;
			} catch {
				return undefined; // Not listening yet.
			}
		},
		{
			timeoutMs: 120_000,
			abortReason: () =>
				hasExited(child) ? `it exited (code ${child.exitCode ?? child.signalCode})` : undefined,
			detail: () => lastLines(recent, 30),
		},
	);
	return {
		name,
		process: child,
		logFile,
		executionIds: () => parseExecutionIds(logFile),
		pids: () => processTree(child.pid),
	};
}
