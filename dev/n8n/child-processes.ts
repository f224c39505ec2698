import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createWriteStream } from 'node:fs';

/**
 * Every child we start runs in its own process group (`detached`), because n8n starts task-runner
 * children of its own: killing the group is the only way to be sure nothing is left behind.
 * The flip side is that a terminal's Ctrl-C no longer reaches them, so whoever owns the terminal
 * (dev/start.ts) stops them from its signal handler (`stopAllChildren()`).
 *
 * Signal handlers and 'exit' events are not enough when the parent dies abruptly (SIGKILL, an
 * interrupted jest, whose sandboxed `process` never sees the signal), so each child is started
 * through a small watchdog: it leads the group, runs the real command, and kills the whole group
 * once the parent process is gone.
 */
const WATCHDOG = `
const { spawn } = require('node:child_process');
const [parentPid, command, ...args] = process.argv.slice(1);
const child = spawn(command, args, { stdio: 'inherit' });
// Signals sent to the group already reach the command; the watchdog just waits for it to end.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => {});
child.on('error', (error) => { console.error(error.message); process.exit(127); });
child.on('exit', (code, signal) => {
	if (signal === null) process.exit(code);
	process.removeAllListeners(signal);
	process.kill(process.pid, signal);
});
setInterval(() => {
	try { process.kill(Number(parentPid), 0); } catch { process.kill(-process.pid, 'SIGKILL'); }
}, 1000).unref();
`;

// One registry per process, even when a test runner loads this module once per test file.
const registryKey = Symbol.for('n8n-nodes-salesforce-integration.runningChildren');
const globalRegistry = globalThis as typeof globalThis & { [registryKey]?: Set<ChildProcess> };
const runningChildren = (globalRegistry[registryKey] ??= createRegistry());

function createRegistry(): Set<ChildProcess> {
	const children = new Set<ChildProcess>();
	// Quicker than the watchdog when the parent exits normally (an uncaught error, process.exit).
	process.on('exit', () => {
		for (const child of children) signalGroup(child, 'SIGKILL');
	});
	return children;
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
	if (child.pid === undefined) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		// The group is already gone.
	}
}

/** Starts `command` in its own process group, under the watchdog, and tracks it. */
export function spawnTracked(command: string, args: string[], options: SpawnOptions): ChildProcess {
	const child = spawn(process.execPath, ['-e', WATCHDOG, String(process.pid), command, ...args], {
		...options,
		detached: true,
	});
	runningChildren.add(child);
	child.once('exit', () => runningChildren.delete(child));
	child.once('error', () => runningChildren.delete(child));
	return child;
}

export function hasExited(child: ChildProcess): boolean {
	return child.exitCode !== null || child.signalCode !== null;
}

/** SIGTERM the child's group, then SIGKILL it if it has not exited within `graceMs`. */
export async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
	if (hasExited(child)) return;
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	signalGroup(child, 'SIGTERM');
	const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), graceMs);
	await exited;
	clearTimeout(timer);
	// The leader may exit before its own children (n8n's task runner); make sure they go too.
	signalGroup(child, 'SIGKILL');
}

export async function stopAllChildren(graceMs = 10_000): Promise<void> {
	await Promise.all([...runningChildren].map(async (child) => await stopChild(child, graceMs)));
}

export interface CommandResult {
	stdout: string;
	stderr: string;
	/** null when the command was ended by a signal (then `signal` says which). */
	exitCode: number | null;
	signal: NodeJS.Signals | null;
	/** Our own `timeoutMs` ran out and we stopped the command (SIGTERM, then SIGKILL after a grace). */
	timedOut: boolean;
	/** The timeout it ran with, if any. */
	timeoutMs?: number;
	/** From start until its output streams closed. */
	durationMs: number;
}

export interface RunCommandOptions {
	cwd: string;
	env?: NodeJS.ProcessEnv;
	timeoutMs?: number;
	/** Append stdout and stderr to this file as well (long installs keep a log to show on failure). */
	logFile?: string;
}

/** Runs a command to completion, capturing its output; never throws for a non-zero exit. */
export async function runCommand(
	command: string,
	args: string[],
	options: RunCommandOptions,
): Promise<CommandResult> {
	const child = spawnTracked(command, args, {
		cwd: options.cwd,
		env: options.env ?? process.env,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const startedAt = Date.now();
	const log = options.logFile ? createWriteStream(options.logFile, { flags: 'a' }) : undefined;
	let stdout = '';
	let stderr = '';
	// Decoded as a stream: a multi-byte character split across two chunks stays one character.
	child.stdout?.setEncoding('utf8');
	child.stderr?.setEncoding('utf8');
	child.stdout?.on('data', (chunk: string) => {
		stdout += chunk;
		log?.write(chunk);
	});
	child.stderr?.on('data', (chunk: string) => {
		stderr += chunk;
		log?.write(chunk);
	});
	let timedOut = false;
	const timer =
		options.timeoutMs === undefined
			? undefined
			: setTimeout(() => {
					timedOut = true;
					// The leader may be gone while a child of it still holds our pipes open.
					if (hasExited(child)) signalGroup(child, 'SIGKILL');
					else void stopChild(child, TIMEOUT_GRACE_MS);
				}, options.timeoutMs);
	// 'close', not 'exit': only then has all of the output arrived.
	const [exitCode, signal] = await new Promise<[number | null, NodeJS.Signals | null]>(
		(resolve, reject) => {
			child.once('error', reject);
			child.once('close', (code, closeSignal) => resolve([code, closeSignal]));
		},
	);
	if (timer) clearTimeout(timer);
	await new Promise<void>((resolve) => (log ? log.end(resolve) : resolve()));
	return {
		stdout,
		stderr,
		exitCode,
		signal,
		timedOut,
		timeoutMs: options.timeoutMs,
		durationMs: Date.now() - startedAt,
	};
}

/** How long a timed-out command gets between SIGTERM and SIGKILL. */
export const TIMEOUT_GRACE_MS = 5_000;

/** The last lines of a text, for error messages that point at a long log. */
export function lastLines(text: string, count: number): string {
	return text.trimEnd().split('\n').slice(-count).join('\n');
}
