/**
 * Real PostgreSQL and Redis for a queue-mode n8n, private to one test run: Debian's `postgresql` and
 * `redis-server` packages (installed with apt-get when missing), a throw-away cluster and a
 * throw-away redis-server on free loopback ports, nothing persisted, everything stopped and removed
 * by `stop()`.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';

import {
	hasExited,
	lastLines,
	runCommand,
	spawnTracked,
	stopChild,
} from '../../../dev/n8n/child-processes';
import { findFreePort } from '../../../dev/n8n/server';
import { waitFor } from '../../../dev/n8n/wait';

function progress(line: string): void {
	process.stderr.write(`[queue-mode] ${line}\n`);
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

function postgresBinDir(): string | undefined {
	const root = '/usr/lib/postgresql';
	if (!existsSync(root)) return undefined;
	const versions = readdirSync(root)
		.filter((name) => existsSync(join(root, name, 'bin', 'initdb')))
		.sort((a, b) => Number(b) - Number(a));
	return versions.length > 0 ? join(root, versions[0], 'bin') : undefined;
}

function redisServerBinary(): string | undefined {
	for (const candidate of ['/usr/bin/redis-server', '/usr/local/bin/redis-server'])
		if (existsSync(candidate)) return candidate;
	return undefined;
}

/**
 * Whether this machine can run the queue-mode suite: PostgreSQL and redis-server are installed, or
 * can be (root with apt-get).
 */
export function canRunQueueMode(): boolean {
	return (
		(postgresBinDir() !== undefined && redisServerBinary() !== undefined) ||
		(isRoot && existsSync('/usr/bin/apt-get'))
	);
}

let aptUpdated = false;

/** Installs Debian packages with apt-get (after one `apt-get update`); needs root. */
async function aptInstall(packages: string[]): Promise<void> {
	if (!isRoot)
		throw new Error(
			`Install ${packages.join(' ')} (apt-get install ${packages.join(' ')}) to run the queue-mode suite.`,
		);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	if (!aptUpdated) {
		progress('apt-get update…');
		const update = await runCommand('apt-get', ['update', '-qq'], {
			cwd: '/',
			env,
			timeoutMs: 5 * 60_000,
		});
		if (update.exitCode !== 0)
			throw new Error(`apt-get update failed:\n${lastLines(update.stderr + update.stdout, 20)}`);
		aptUpdated = true;
	}
	progress(`apt-get install -y ${packages.join(' ')}…`);
	// policy-rc.d would be the Debian way to keep the packages' own services from starting; without an
	// init system (containers) they do not start anyway, and the ports used here are private ones.
	const install = await runCommand('apt-get', ['install', '-y', '-qq', ...packages], {
		cwd: '/',
		env,
		timeoutMs: 10 * 60_000,
	});
	if (install.exitCode !== 0)
		throw new Error(
			`apt-get install ${packages.join(' ')} failed:\n${lastLines(install.stderr + install.stdout, 20)}`,
		);
}

/** Makes sure `redis-server` and PostgreSQL's server binaries exist (installing what is missing). */
export async function ensureServicePackages(): Promise<{
	postgresBin: string;
	redisServer: string;
}> {
	const missing: string[] = [];
	if (!postgresBinDir()) missing.push('postgresql');
	if (!redisServerBinary()) missing.push('redis-server');
	if (missing.length > 0) await aptInstall(missing);
	const postgresBin = postgresBinDir();
	const redisServer = redisServerBinary();
	if (!postgresBin || !redisServer)
		throw new Error('PostgreSQL or redis-server is still missing after apt-get install.');
	return { postgresBin, redisServer };
}

async function waitUntil(
	what: string,
	probe: () => Promise<boolean>,
	child: ChildProcess,
	log: () => string,
): Promise<void> {
	await waitFor(`${what} to be ready`, async () => ((await probe()) ? true : undefined), {
		intervalMs: 250,
		abortReason: () => (hasExited(child) ? `${what} exited` : undefined),
		detail: log,
	});
}

function collect(child: ChildProcess): () => string {
	let output = '';
	const add = (chunk: Buffer) => {
		output = (output + chunk.toString()).slice(-20_000);
	};
	child.stdout?.on('data', add);
	child.stderr?.on('data', add);
	return () => lastLines(output, 30);
}

export interface PostgresService {
	host: string;
	port: number;
	database: string;
	user: string;
	password: string;
	/** Runs a SELECT in the n8n database; rows as objects (json_agg), values as PostgreSQL turns them into JSON. */
	rows: <T = Record<string, unknown>>(sql: string) => Promise<T[]>;
	/** Whether the n8n database has this table yet (n8n creates them when main first starts). */
	hasTable: (name: string) => Promise<boolean>;
	/** `pg_dump` of the n8n database, as text. */
	dump: () => Promise<string>;
	stop: () => Promise<void>;
}

/** Runs a command as the postgres user when we are root (initdb and postgres refuse to run as root). */
function asPostgres(command: string, args: string[]): [string, string[]] {
	return isRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
}

export async function startPostgres(postgresBin: string): Promise<PostgresService> {
	const folder = mkdtempSync(join(tmpdir(), 'sfi-queue-pg-'));
	chmodSync(folder, 0o755);
	const dataDir = join(folder, 'data');
	if (isRoot) execFileSync('chown', ['postgres:postgres', folder]);
	const port = await findFreePort();
	const password = `pg-${Math.random().toString(36).slice(2)}-Pw`;
	const database = 'n8n';
	const user = 'n8n';
	const [initCommand, initArgs] = asPostgres(join(postgresBin, 'initdb'), [
		'-D',
		dataDir,
		'-U',
		'postgres',
		'--auth=trust',
		'-E',
		'UTF8',
		'--locale=C',
	]);
	const init = await runCommand(initCommand, initArgs, { cwd: '/', timeoutMs: 120_000 });
	if (init.exitCode !== 0) {
		rmSync(folder, { recursive: true, force: true });
		throw new Error(`initdb failed:\n${lastLines(init.stderr + init.stdout, 20)}`);
	}
	const [serverCommand, serverArgs] = asPostgres(join(postgresBin, 'postgres'), [
		'-D',
		dataDir,
		'-p',
		String(port),
		'-k',
		folder,
		'-c',
		'listen_addresses=127.0.0.1',
		'-c',
		'fsync=off',
		'-c',
		'max_connections=100',
	]);
	const child = spawnTracked(serverCommand, serverArgs, {
		cwd: '/',
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const log = collect(child);
	const psql = async (db: string, sql: string) =>
		await runCommand(
			'psql',
			[
				'-h',
				'127.0.0.1',
				'-p',
				String(port),
				'-U',
				'postgres',
				'-d',
				db,
				'-v',
				'ON_ERROR_STOP=1',
				'-At',
				'-F',
				'\x1f',
				'-c',
				sql,
			],
			{ cwd: '/', timeoutMs: 60_000 },
		);
	/** Rows as arrays of strings (psql -At, unit separator). */
	const query = async (sql: string): Promise<string[][]> => {
		const result = await psql(database, sql);
		if (result.exitCode !== 0) throw new Error(`psql failed: ${result.stderr.slice(0, 500)}`);
		return result.stdout
			.split('\n')
			.filter((line) => line !== '')
			.map((line) => line.split('\x1f'));
	};
	const stop = async () => {
		await stopChild(child, 10_000);
		rmSync(folder, { recursive: true, force: true });
	};
	try {
		await waitUntil(
			'postgres',
			async () => (await psql('postgres', 'SELECT 1')).exitCode === 0,
			child,
			log,
		);
		for (const sql of [
			`CREATE USER ${user} PASSWORD '${password}'`,
			`CREATE DATABASE ${database} OWNER ${user}`,
		]) {
			const result = await psql('postgres', sql);
			if (result.exitCode !== 0)
				throw new Error(`psql ${sql.split(' ').slice(0, 2).join(' ')} failed: ${result.stderr}`);
		}
	} catch (error) {
		await stop();
		throw error;
	}
	return {
		host: '127.0.0.1',
		port,
		database,
		user,
		password,
		// jsonb prints on one line (json_agg puts each row on its own).
		rows: async <T>(sql: string) =>
			JSON.parse((await query(`SELECT coalesce(jsonb_agg(t), '[]') FROM (${sql}) t`))[0][0]) as T[],
		hasTable: async (name) =>
			(await query(`SELECT to_regclass('public.${name}') IS NOT NULL`))[0][0] === 't',
		dump: async () => {
			const result = await runCommand(
				'pg_dump',
				['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', database],
				{ cwd: '/', timeoutMs: 120_000 },
			);
			if (result.exitCode !== 0) throw new Error(`pg_dump failed: ${result.stderr.slice(0, 500)}`);
			return result.stdout;
		},
		stop,
	};
}

export interface RedisService {
	host: string;
	port: number;
	/** Every key with its value: GET for strings, else the type's dump (HGETALL, LRANGE, ZRANGE…) and DUMP. */
	dumpAll: () => Promise<string>;
	stop: () => Promise<void>;
}

export async function startRedis(redisServer: string): Promise<RedisService> {
	const folder = mkdtempSync(join(tmpdir(), 'sfi-queue-redis-'));
	const port = await findFreePort();
	const child = spawnTracked(
		redisServer,
		[
			'--port',
			String(port),
			'--bind',
			'127.0.0.1',
			'--save',
			'',
			'--appendonly',
			'no',
			'--dir',
			folder,
			'--protected-mode',
			'yes',
		],
		{
			cwd: folder,
			stdio: ['ignore', 'pipe', 'pipe'],
		},
	);
	const log = collect(child);
	const cli = async (...args: string[]) =>
		await runCommand('redis-cli', ['-h', '127.0.0.1', '-p', String(port), '--no-raw', ...args], {
			cwd: folder,
			timeoutMs: 30_000,
		});
	const stop = async () => {
		await stopChild(child, 10_000);
		rmSync(folder, { recursive: true, force: true });
	};
	try {
		await waitUntil(
			'redis-server',
			async () => (await cli('PING')).stdout.includes('PONG'),
			child,
			log,
		);
	} catch (error) {
		await stop();
		throw error;
	}
	const rawCli = async (...args: string[]) =>
		(
			await runCommand('redis-cli', ['-h', '127.0.0.1', '-p', String(port), '--raw', ...args], {
				cwd: folder,
				timeoutMs: 30_000,
			})
		).stdout;
	return {
		host: '127.0.0.1',
		port,
		dumpAll: async () => {
			const keys = (await rawCli('--scan')).split('\n').filter(Boolean);
			const parts: string[] = [];
			for (const key of keys) {
				const type = (await rawCli('TYPE', key)).trim();
				const read: Record<string, string[]> = {
					string: ['GET', key],
					hash: ['HGETALL', key],
					list: ['LRANGE', key, '0', '-1'],
					set: ['SMEMBERS', key],
					zset: ['ZRANGE', key, '0', '-1', 'WITHSCORES'],
					stream: ['XRANGE', key, '-', '+'],
				};
				const value = read[type] ? await rawCli(...read[type]) : '';
				parts.push(`${key} (${type})\n${value}\n${await rawCli('DUMP', key)}`);
			}
			return parts.join('\n');
		},
		stop,
	};
}
