/**
 * Finding the run's JSON in what `n8n execute --rawOutput` prints. n8n prints it through its logger
 * (nothing at all below log level `info`), between its own log lines, and task-runner lines can follow
 * it. With `N8N_LOG_FORMAT=json` every line is `{ level, message, metadata }` and the run is the
 * `message` of one of them; with the text format it is a multi-line block starting with `{`.
 */
import { TIMEOUT_GRACE_MS, type CommandResult } from './child-processes';

export interface WorkflowRun {
	data: {
		resultData: {
			runData: Record<string, NodeRun[]>;
			error?: { message?: string; description?: string; [key: string]: unknown };
			lastNodeExecuted?: string;
		};
		[key: string]: unknown;
	};
	status?: string;
	finished?: boolean;
	mode?: string;
	[key: string]: unknown;
}

export interface NodeRun {
	executionStatus?: string;
	error?: { message?: string; description?: string; [key: string]: unknown };
	data?: { main?: Array<Array<{ json: Record<string, unknown> }> | null> };
	[key: string]: unknown;
}

export interface LogLine {
	level: string;
	message: string;
	[key: string]: unknown;
}

function parseObject(text: string): unknown {
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return undefined;
	}
}

function isWorkflowRun(value: unknown): value is WorkflowRun {
	const run = value as WorkflowRun | undefined;
	return typeof run === 'object' && run !== null && typeof run.data?.resultData === 'object';
}

function asLogLine(text: string): LogLine | undefined {
	const line = parseObject(text.trim()) as LogLine | undefined;
	return typeof line?.message === 'string' && typeof line.level === 'string' ? line : undefined;
}

export function parseLogLines(stdout: string): LogLine[] {
	return stdout
		.split('\n')
		.map(asLogLine)
		.filter((line): line is LogLine => line !== undefined);
}

export function findWorkflowRun(stdout: string): WorkflowRun | undefined {
	for (const line of parseLogLines(stdout).reverse()) {
		const run = line.message.trimStart().startsWith('{') ? parseObject(line.message) : undefined;
		if (isWorkflowRun(run)) return run;
	}
	// Text log format: the run is pretty-printed from a line that is exactly `{` to one that is `}`.
	const lines = stdout.split('\n');
	for (let end = lines.length - 1; end >= 0; end--) {
		if (lines[end] !== '}') continue;
		for (let start = end; start >= 0; start--) {
			if (lines[start] !== '{') continue;
			const run = parseObject(lines.slice(start, end + 1).join('\n'));
			if (isWorkflowRun(run)) return run;
		}
	}
	return undefined;
}

/** The JSON of the items a node put on its first output in its first (or given) run. */
export function nodeOutputItems(
	run: WorkflowRun,
	nodeName: string,
	runIndex = 0,
): Array<Record<string, unknown>> {
	const nodeRun = run.data.resultData.runData[nodeName]?.[runIndex];
	return (nodeRun?.data?.main?.[0] ?? []).map((item) => item.json);
}

export function runErrorMessage(run: WorkflowRun | undefined): string | undefined {
	const error = run?.data.resultData.error;
	if (!error) return undefined;
	return [error.message, error.description].filter(Boolean).join(' — ');
}

// ---------------------------------------------------------------------------------------------
// Judging an `n8n execute` run, and saying exactly why it was judged failed.
// ---------------------------------------------------------------------------------------------

/** How a command ended, as `runCommand` reports it; the duration may be unknown (a sample, a test). */
export type CommandEnd = Omit<CommandResult, 'durationMs'> &
	Partial<Pick<CommandResult, 'durationMs'>>;

/** The environment variable that sets the per-command timeout of the n8n CLI harness. */
export const COMMAND_TIMEOUT_ENV = 'N8N_SFI_COMMAND_TIMEOUT_MS';

/**
 * Signals a process dies of on its own, by a fault (not because something asked it to stop).
 * n8n 2.41's `execute` dies of SIGSEGV now and then while exiting: `BaseCommand.finally()` calls
 * `process.exit()` while the expression engine's isolate pool is still creating the replacement
 * isolated-vm isolate that the run's acquire/release started, and V8 crashes on that isolate's
 * thread as the process tears down. Busy machines make the overlap likelier.
 */
const CRASH_SIGNALS: ReadonlySet<string> = new Set([
	'SIGSEGV',
	'SIGBUS',
	'SIGABRT',
	'SIGILL',
	'SIGFPE',
	'SIGTRAP',
]);

const SIGNAL_MEANINGS: Record<string, string> = {
	SIGSEGV: 'a crash: segmentation fault',
	SIGBUS: 'a crash: bus error',
	SIGABRT: 'a crash: abort, e.g. a V8 fatal error',
	SIGILL: 'a crash: illegal instruction',
	SIGFPE: 'a crash: arithmetic fault',
	SIGTRAP: 'a crash: trap',
	SIGKILL: 'killed outright, e.g. by the kernel’s OOM killer or a `kill -9`',
	SIGTERM: 'asked to stop',
	SIGINT: 'interrupted, as by Ctrl-C',
	SIGHUP: 'its terminal went away',
};

/** A run n8n finished (its last line: `finished: true` and a stop time), whatever its outcome. */
export function isFinishedRun(run: WorkflowRun | undefined): boolean {
	return run?.finished === true && typeof run.stoppedAt === 'string';
}

function seconds(ms: number | undefined): string {
	return ms === undefined ? '?' : `${(ms / 1000).toFixed(1)} s`;
}

/** How a command ended, in words: who stopped it, with which signal or code, after how long. */
export function describeEnd(end: CommandEnd): string {
	const after = end.durationMs === undefined ? '' : ` after ${seconds(end.durationMs)}`;
	const outcome = end.signal ? `ended by ${end.signal}` : `exited with code ${end.exitCode}`;
	if (end.timedOut) {
		return (
			`timed out: the harness stopped it when its ${seconds(end.timeoutMs)} timeout ran out (SIGTERM, and SIGKILL ` +
			`${seconds(TIMEOUT_GRACE_MS)} later if still running; ${COMMAND_TIMEOUT_ENV} sets the timeout), and it ${outcome}${after}`
		);
	}
	if (end.signal) {
		const meaning = SIGNAL_MEANINGS[end.signal] ? ` (${SIGNAL_MEANINGS[end.signal]})` : '';
		const notOurs =
			end.timeoutMs === undefined
				? 'not by the harness'
				: `not by the harness, whose ${seconds(end.timeoutMs)} timeout had not run out`;
		return `was killed by ${end.signal}${meaning}${after}, ${notOurs}`;
	}
	return `${outcome}${after}`;
}

export interface ExcerptOptions {
	/** Values to hide wherever they appear (verbatim, URL-encoded or JSON-escaped). */
	secrets?: readonly string[];
	/** The excerpt of stdout keeps at most this many characters from its end; stderr half of it. */
	maxChars?: number;
}

export const EXCERPT_MAX_CHARS = 2_000;
const REDACTED = '[redacted]';

/** Salesforce session ids (`00D…!…`), bearer tokens and secret-named JSON or form fields. */
const SECRET_PATTERNS: Array<[RegExp, string]> = [
	[/\b00D[0-9A-Za-z]{12,15}![0-9A-Za-z._-]+/g, '[redacted session id]'],
	[
		/\b(authorization\\?["']?\s*[:=]\s*\\?["']?(?:Bearer\s+|OAuth\s+)?)[^\s"'\\,]+/gi,
		`$1${REDACTED}`,
	],
	[/\bBearer\s+[^\s"'\\,]{8,}/g, `Bearer ${REDACTED}`],
	[
		/("[\w-]*(?:password|passwd|passphrase|secret|token|authorization|cookie|private_?key|session_?id|sid)[\w-]*"\s*:\s*)"(?:[^"\\]|\\.)*"/gi,
		`$1"${REDACTED}"`,
	],
	[
		/(\\"[\w-]*(?:password|passwd|passphrase|secret|token|authorization|cookie|private_?key|session_?id|sid)[\w-]*\\"\s*:\s*)\\"(?:[^"\\]|\\[^"])*\\"/gi,
		`$1\\"${REDACTED}\\"`,
	],
	[
		/\b((?:password|passphrase|client_secret|access_token|refresh_token|sessionId|sid|assertion)=)[^&\s"']+/gi,
		`$1${REDACTED}`,
	],
];

function secretVariants(secret: string): string[] {
	const variants = [
		secret,
		encodeURIComponent(secret),
		new URLSearchParams({ s: secret }).toString().slice(2),
		JSON.stringify(secret).slice(1, -1),
	];
	return [...new Set(variants)].sort((a, b) => b.length - a.length);
}

/** `text` with the given secrets (in any common encoding) and secret-looking values replaced. */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
	let result = text;
	for (const secret of secrets) {
		// Short values ("a", "on") would shred the text and are no secrets worth the name.
		if (secret.length < 4) continue;
		for (const variant of secretVariants(secret)) result = result.split(variant).join(REDACTED);
	}
	for (const [pattern, replacement] of SECRET_PATTERNS)
		result = result.replace(pattern, replacement);
	return result;
}

/** One line about a run, without any of its items (they may hold tokens). */
export function summarizeRun(run: WorkflowRun): string {
	const nodes = Object.entries(run.data.resultData.runData ?? {}).map(([name, runs]) => {
		const last = runs[runs.length - 1];
		const items = last?.data?.main?.[0]?.length;
		return `${name}: ${last?.executionStatus ?? '?'}${items === undefined ? '' : `, ${items} item${items === 1 ? '' : 's'}`}`;
	});
	const error = runErrorMessage(run);
	return (
		`[the run's JSON: status ${run.status ?? '?'}, finished ${String(run.finished)}` +
		(run.data.resultData.lastNodeExecuted
			? `, last node "${run.data.resultData.lastNodeExecuted}"`
			: '') +
		(nodes.length > 0 ? `; ${nodes.join('; ')}` : '') +
		(error ? `; error: ${error}` : '') +
		']'
	);
}

function tail(text: string, maxChars: number): string {
	const trimmed = text.trimEnd();
	if (trimmed.length <= maxChars) return trimmed;
	const cut = trimmed.slice(-maxChars);
	// Start at a line boundary when there is one close by, so the first line is whole.
	const newline = cut.indexOf('\n');
	const start = newline >= 0 && newline < 200 ? newline + 1 : 0;
	return `[… ${trimmed.length - maxChars + start} earlier characters left out]\n${cut.slice(start)}`;
}

/**
 * The end of what a command printed, for an error message: JSON log lines as `level: message`, the
 * run's JSON as a one-line summary, secrets redacted, at most `maxChars` (stdout) + half (stderr).
 */
export function outputExcerpt(
	stdout: string,
	stderr: string,
	options: ExcerptOptions = {},
): string {
	const maxChars = options.maxChars ?? EXCERPT_MAX_CHARS;
	const lines = stdout.split('\n').map((text) => {
		const line = asLogLine(text);
		if (!line) return text;
		const run = line.message.trimStart().startsWith('{') ? parseObject(line.message) : undefined;
		return `${line.level}: ${isWorkflowRun(run) ? summarizeRun(run) : line.message}`;
	});
	const parts = [
		`--- stdout (${stdout.length} characters) ---`,
		stdout.trim() === ''
			? '(nothing)'
			: tail(redactSecrets(lines.join('\n'), options.secrets), maxChars),
	];
	if (stderr.trim() !== '')
		parts.push(
			`--- stderr (${stderr.length} characters) ---`,
			tail(redactSecrets(stderr, options.secrets), Math.floor(maxChars / 2)),
		);
	return parts.join('\n');
}

/** A last stdout line that starts like one of n8n's JSON log lines but does not parse: output cut off. */
function cutOffLogLine(stdout: string): string | undefined {
	const last = stdout
		.split('\n')
		.filter((line) => line.trim() !== '')
		.pop();
	if (!last || !last.trimStart().startsWith('{"level"')) return undefined;
	return asLogLine(last) ? undefined : last;
}

export interface ExecutionVerdict {
	/** n8n printed a run without an error and exited with code 0 (or crashed only after printing it finished). */
	ok: boolean;
	/** The run n8n printed, if one could be parsed. */
	data: WorkflowRun | undefined;
	/** The run's error as one line (`message — description`), when it has one. */
	errorMessage: string | undefined;
	/**
	 * When not ok: why, in full — how the process ended (signal and who sent it, timeout, exit code,
	 * after how long), what was or was not printed, and a bounded, redacted excerpt of the output.
	 */
	failure: string | undefined;
	/**
	 * n8n died of this crash signal while exiting, after it had printed the finished run. The run's
	 * result is final by then (n8n prints it after saving the execution), so it is used as is.
	 */
	crashedAfterRun: NodeJS.Signals | undefined;
}

/** Judges what `n8n execute --rawOutput` printed and how it ended. */
export function judgeExecution(end: CommandEnd, options: ExcerptOptions = {}): ExecutionVerdict {
	const data = findWorkflowRun(end.stdout);
	const errorMessage = runErrorMessage(data);
	const crashedAfterRun =
		!end.timedOut &&
		end.exitCode === null &&
		end.signal !== null &&
		CRASH_SIGNALS.has(end.signal) &&
		isFinishedRun(data)
			? end.signal
			: undefined;
	const endedCleanly = !end.timedOut && (end.exitCode === 0 || crashedAfterRun !== undefined);
	const ok = endedCleanly && data !== undefined && errorMessage === undefined;
	if (ok) return { ok, data, errorMessage, failure: undefined, crashedAfterRun };

	const reasons: string[] = [];
	if (!data) {
		const cutOff = cutOffLogLine(end.stdout);
		if (end.stdout.trim() === '') reasons.push('it printed nothing on stdout');
		else if (cutOff)
			reasons.push(
				`its output ends in a log line cut off after ${cutOff.length} characters, so no run could be read from it`,
			);
		else
			reasons.push(
				'no run JSON could be found in its output (n8n prints the run through its logger, at level info)',
			);
	} else if (errorMessage) {
		reasons.push(
			`the run failed${data.data.resultData.lastNodeExecuted ? ` at "${data.data.resultData.lastNodeExecuted}"` : ''}: ${redactSecrets(errorMessage, options.secrets)}`,
		);
	} else if (isFinishedRun(data)) {
		reasons.push(`it had printed the finished run (status ${data.status ?? '?'}) before that`);
	} else {
		reasons.push(
			`the run it printed is not finished (status ${data.status ?? '?'}, finished ${String(data.finished)})`,
		);
	}
	const failure = `n8n execute ${describeEnd(end)}; ${reasons.join('; ').replace(/\.$/, '')}.\n${outputExcerpt(end.stdout, end.stderr, options)}`;
	return { ok, data, errorMessage, failure, crashedAfterRun };
}

/** Why a non-execute command (import, export) failed, with the same kind of excerpt. */
export function describeCommandFailure(
	what: string,
	end: CommandEnd,
	options: ExcerptOptions = {},
): string {
	return `${what} ${describeEnd(end)}.\n${outputExcerpt(end.stdout, end.stderr, options)}`;
}
