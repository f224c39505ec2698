import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { runCommand, type CommandResult } from './child-processes';
import {
	COMMAND_TIMEOUT_ENV,
	describeCommandFailure,
	judgeExecution,
	parseLogLines,
	type LogLine,
	type WorkflowRun,
} from './run-output';
import type { N8nRuntime } from './runtime';
import { SavedExecutions, type ExecutionSummary, type SavedExecution } from './saved-executions';
import { findFreePort, startN8nServer, type N8nServer, type StartServerOptions } from './server';

export { COMMAND_TIMEOUT_ENV, nodeOutputItems, type WorkflowRun } from './run-output';
export { findFreePort, generatedOwner, type N8nServer, type Owner } from './server';
export {
	savedExecutionOf,
	unflatten,
	type ExecutionSummary,
	type SavedExecution,
} from './saved-executions';

/** Fixed so credentials encrypted by one run of a user folder can be read by the next. */
export const TEST_ENCRYPTION_KEY = 'n8n-nodes-salesforce-integration-local-key';

export interface CredentialToImport {
	id?: string;
	name: string;
	type: string;
	/** Plain values; n8n encrypts them on import. */
	data: Record<string, unknown>;
}

export interface WorkflowToImport {
	id?: string;
	name: string;
	nodes: unknown[];
	connections: Record<string, unknown>;
	settings?: Record<string, unknown>;
	active?: boolean;
	[key: string]: unknown;
}

export interface ExportedCredential {
	id: string;
	name: string;
	type: string;
	/** Decrypted values with `{ decrypted: true }`, n8n's encrypted string otherwise. */
	data: Record<string, unknown> | string;
	[key: string]: unknown;
}

export interface ExecuteResult {
	/**
	 * A run without an error, and exit code 0 — or a crash signal after n8n printed the finished run
	 * (see `crashedAfterRun`).
	 */
	ok: boolean;
	/** The run n8n printed (`{ data: { resultData: { runData, error? } }, status, ... }`). */
	data: WorkflowRun | undefined;
	/** The run's error as one line (`message — description`), when it failed. */
	errorMessage: string | undefined;
	/**
	 * When not ok, why: how n8n ended (signal and whether our timeout sent it, exit code, after how
	 * long), what it printed or failed to, and the end of its output — bounded, secrets redacted.
	 */
	failure: string | undefined;
	/** n8n died of this signal (SIGSEGV…) while exiting, after printing the finished run. */
	crashedAfterRun: NodeJS.Signals | undefined;
	logLines: LogLine[];
	stdout: string;
	stderr: string;
	exitCode: number | null;
	signal: NodeJS.Signals | null;
	timedOut: boolean;
	durationMs: number;
}

export interface N8nInstanceOptions {
	userFolder: string;
	runtime: N8nRuntime;
	/** Extra environment for every n8n process of this instance (e.g. N8N_LOG_LEVEL). */
	env?: Record<string, string>;
	/** Per n8n CLI command; default `commandTimeoutMs()`. A cold `execute` takes 3–10 s. */
	commandTimeoutMs?: number;
	/** Values to keep out of failure messages, besides the secret fields of imported credentials. */
	secrets?: string[];
	/** Sees every finished CLI command with what it printed (e.g. to scan the output for secrets). */
	onCommand?: (args: string[], result: CommandResult) => void;
}

export const DEFAULT_COMMAND_TIMEOUT_MS = 5 * 60_000;

/**
 * The time one n8n CLI command may take: `N8N_SFI_COMMAND_TIMEOUT_MS`, else 5 minutes — dozens of
 * times what a command takes even on a loaded 2-core machine, so it only catches real hangs.
 */
export function commandTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
	const raw = env[COMMAND_TIMEOUT_ENV];
	if (raw === undefined || raw.trim() === '') return DEFAULT_COMMAND_TIMEOUT_MS;
	const value = Number(raw);
	if (!Number.isFinite(value) || value <= 0)
		throw new Error(
			`${COMMAND_TIMEOUT_ENV} must be a positive number of milliseconds, not "${raw}".`,
		);
	return value;
}

/** Credential fields whose values must not show up in a failure message. */
const SECRET_FIELD = /password|passphrase|secret|token|key|assertion/i;

/** Everything n8n needs for a quiet, headless, loopback-only run in one private user folder. */
function headlessEnv(userFolder: string): Record<string, string> {
	return {
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
		N8N_LOG_FORMAT: 'json',
		// `execute --rawOutput` prints the run through the logger at level info.
		N8N_LOG_LEVEL: 'info',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_DYNAMIC_BANNERS_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_VERIFIED_PACKAGES_ENABLED: 'false',
		N8N_REINSTALL_MISSING_PACKAGES: 'false',
		N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
		N8N_SECURE_COOKIE: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		DB_TYPE: 'sqlite',
		GENERIC_TIMEZONE: 'UTC',
	};
}

export class N8nInstance {
	readonly userFolder: string;
	readonly runtime: N8nRuntime;
	private readonly extraEnv: Record<string, string>;
	private readonly commandTimeoutMs: number;
	private readonly savedExecutions: SavedExecutions;
	private readonly onCommand: N8nInstanceOptions['onCommand'];
	private readonly secrets = new Set<string>();
	/** n8n CLI commands of one instance run one at a time: they share one SQLite file. */
	private queue: Promise<unknown> = Promise.resolve();

	constructor(options: N8nInstanceOptions) {
		this.userFolder = options.userFolder;
		this.runtime = options.runtime;
		this.extraEnv = options.env ?? {};
		this.commandTimeoutMs = options.commandTimeoutMs ?? commandTimeoutMs();
		this.addSecrets(...(options.secrets ?? []));
		this.onCommand = options.onCommand;
		this.savedExecutions = new SavedExecutions(options.runtime, options.userFolder);
		mkdirSync(this.userFolder, { recursive: true });
	}

	/** The environment of this instance's n8n processes; `extra` wins. */
	env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
		const env = {
			...this.runtime.env,
			...headlessEnv(this.userFolder),
			...this.extraEnv,
			...extra,
		};
		// jest sets NODE_ENV=test, and with it `n8n start` exits at once, silently.
		if (env.NODE_ENV === 'test') delete env.NODE_ENV;
		return env;
	}

	/** Keeps these values out of this instance's failure messages. */
	addSecrets(...values: string[]): void {
		for (const value of values) if (value) this.secrets.add(value);
	}

	/** Runs `n8n <args>` to completion; each run gets its own task-broker port (5679 may be taken). */
	async run(args: string[], extraEnv: Record<string, string> = {}): Promise<CommandResult> {
		const next = this.queue.then(async () => {
			const env = this.env({ N8N_RUNNERS_BROKER_PORT: String(await findFreePort()), ...extraEnv });
			const result = await runCommand(this.runtime.nodeBinary, [this.runtime.n8nBin, ...args], {
				cwd: this.userFolder,
				env,
				timeoutMs: this.commandTimeoutMs,
			});
			this.onCommand?.(args, result);
			return result;
		});
		this.queue = next.catch(() => undefined);
		return await next;
	}

	private async runOrThrow(args: string[]): Promise<CommandResult> {
		const result = await this.run(args);
		if (result.exitCode !== 0 || result.timedOut) {
			throw new Error(
				describeCommandFailure(`n8n ${args[0]}`, result, { secrets: [...this.secrets] }),
			);
		}
		return result;
	}

	/** Writes `content` to a private temp file for an `--input=`/`--output=` flag. */
	private async withTempFile<T>(
		content: string | undefined,
		use: (file: string) => Promise<T>,
	): Promise<T> {
		const folder = mkdtempSync(join(tmpdir(), 'sfi-n8n-io-'));
		const file = join(folder, 'data.json');
		try {
			if (content !== undefined) writeFileSync(file, content, { mode: 0o600 });
			return await use(file);
		} finally {
			rmSync(folder, { recursive: true, force: true });
		}
	}

	/** Imports credentials (ids are generated when missing); returns them with their ids. */
	async importCredentials(
		credentials: CredentialToImport[],
	): Promise<Array<CredentialToImport & { id: string }>> {
		const withIds = credentials.map((credential) => ({
			...credential,
			id: credential.id ?? newId(),
		}));
		for (const { data } of credentials) {
			for (const [field, value] of Object.entries(data))
				if (SECRET_FIELD.test(field) && typeof value === 'string') this.addSecrets(value);
		}
		await this.withTempFile(
			JSON.stringify(withIds),
			async (file) => await this.runOrThrow(['import:credentials', `--input=${file}`]),
		);
		return withIds;
	}

	/** Imports (or, with the same id, replaces) a workflow; returns its id. */
	async importWorkflow(workflow: WorkflowToImport): Promise<string> {
		const [id] = await this.importWorkflows([workflow]);
		return id;
	}

	/** Imports all these workflows with one `n8n import:workflow` (each CLI run takes seconds); returns their ids. */
	async importWorkflows(workflows: WorkflowToImport[]): Promise<string[]> {
		const withIds = workflows.map((workflow) => ({
			active: false,
			settings: {},
			...workflow,
			id: workflow.id ?? newId(),
		}));
		await this.withTempFile(
			JSON.stringify(withIds),
			async (file) => await this.runOrThrow(['import:workflow', `--input=${file}`]),
		);
		return withIds.map((workflow) => workflow.id);
	}

	/** Runs a saved workflow (it must start with a Manual Trigger) with `n8n execute --id`. */
	async execute(workflowId: string): Promise<ExecuteResult> {
		const result = await this.run(['execute', `--id=${workflowId}`, '--rawOutput']);
		const verdict = judgeExecution(result, { secrets: [...this.secrets] });
		if (verdict.crashedAfterRun) {
			process.stderr.write(
				`[n8n] execute --id=${workflowId} died of ${verdict.crashedAfterRun} while exiting, after printing the finished run ` +
					`(status ${verdict.data?.status ?? '?'}); using that run. n8n 2.41 does this now and then (see run-output.ts).\n`,
			);
		}
		return {
			...verdict,
			logLines: parseLogLines(result.stdout),
			stdout: result.stdout,
			stderr: result.stderr,
			exitCode: result.exitCode,
			signal: result.signal,
			timedOut: result.timedOut,
			durationMs: result.durationMs,
		};
	}

	async exportCredentials(options: { decrypted?: boolean } = {}): Promise<ExportedCredential[]> {
		return await this.withTempFile(undefined, async (file) => {
			const flags = ['export:credentials', '--all', `--output=${file}`];
			if (options.decrypted) flags.push('--decrypted');
			await this.runOrThrow(flags);
			return JSON.parse(readFileSync(file, 'utf8')) as ExportedCredential[];
		});
	}

	async listExecutions(): Promise<ExecutionSummary[]> {
		return await this.savedExecutions.list();
	}

	/** Every execution of a workflow, with its (flatted) data, oldest first, in one read. */
	async executionsOf(workflowId: string): Promise<Array<ExecutionSummary & { rawData: string }>> {
		return await this.savedExecutions.ofWorkflow(workflowId);
	}

	/** A workflow's static data as saved in the database (a trigger's state across restarts). */
	async workflowStaticData(workflowId: string): Promise<Record<string, unknown>> {
		return await this.savedExecutions.workflowStaticData(workflowId);
	}

	/** An execution as saved in the database, raw (to search for secrets) and parsed. */
	async readExecution(executionId: string): Promise<SavedExecution> {
		return await this.savedExecutions.read(executionId);
	}

	/** `n8n start` for this user folder, ready, with an owner logged in. Call `stop()` when done. */
	async startServer(options: Omit<StartServerOptions, 'env' | 'runtime'> = {}): Promise<N8nServer> {
		for (let attempt = 1; ; attempt++) {
			const env = this.env({ N8N_RUNNERS_BROKER_PORT: String(await findFreePort()) });
			try {
				return await startN8nServer({ ...options, runtime: this.runtime, env });
			} catch (error) {
				const takenPort = portTakenIn(error instanceof Error ? error.message : String(error));
				// A port found free can be taken before n8n binds it: the OS hands the same range out as
				// the local port of other processes' outgoing connections (busy when other suites run).
				// n8n then exits saying so; new free ports are worth two more tries, a port asked for is not.
				if (attempt === 3 || takenPort === undefined || takenPort === options.port) throw error;
			}
		}
	}
}

/** The port n8n (its editor or its task broker) said is already in use, from its output. */
export function portTakenIn(output: string): number | undefined {
	const match = /port (\d+) is already in use/.exec(output);
	return match ? Number(match[1]) : undefined;
}

/** n8n's ids are 16 alphanumeric characters. */
export function newId(): string {
	return randomBytes(12)
		.toString('base64')
		.replace(/[^A-Za-z0-9]/g, '')
		.padEnd(16, '0')
		.slice(0, 16);
}
