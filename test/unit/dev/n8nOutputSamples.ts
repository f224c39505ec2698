/**
 * Output shaped like `n8n execute --rawOutput` with N8N_LOG_FORMAT=json in n8n 2.41.1 (taken from
 * real runs): one JSON log line each, the run pretty-printed as the message of one of them.
 */
import type { CommandEnd } from '../../../dev/n8n/run-output';

/** A session id in Salesforce's shape (the stand-in's, not a real one). */
export const SESSION_ID =
	'00D4u0000k5g336EAA!acme.0EV9.3USyk5FZcLki3XtJqRIBGl55mQWXZ2ePSFYsd93s34GR7Iza4CVcU_vMwCD6olecNdkDwbLjPTd';

let clock = Date.parse('2026-12-01T22:02:59.508Z');

export function logLine(
	level: string,
	message: string,
	metadata: Record<string, unknown> = {},
): string {
	clock += 37;
	return JSON.stringify({
		level,
		message,
		metadata: {
			file: 'base-command.js',
			function: 'log',
			...metadata,
			timestamp: new Date(clock).toISOString(),
		},
	});
}

export function runJson(
	options: {
		finished?: boolean;
		status?: string;
		error?: { message: string; description?: string };
		accountName?: string;
	} = {},
): Record<string, unknown> {
	const item = (json: Record<string, unknown>) => ({ json, pairedItem: { item: 0 } });
	return {
		data: {
			version: 1,
			startData: {},
			resultData: {
				runData: {
					Start: [
						{
							startTime: 1796162581340,
							executionIndex: 0,
							source: [],
							hints: [],
							executionTime: 1,
							executionStatus: 'success',
							data: { main: [[item({})]] },
						},
					],
					'Salesforce Action': [
						{
							startTime: 1796162581345,
							executionIndex: 1,
							source: [{ previousNode: 'Start', previousNodeOutput: 0, previousNodeRun: 0 }],
							hints: [],
							executionTime: 243,
							executionStatus: options.error ? 'error' : 'success',
							...(options.error
								? { error: options.error }
								: {
										data: {
											main: [
												[
													item({
														SF_ACCESS_TOKEN: SESSION_ID,
														...(options.accountName ? { name: options.accountName } : {}),
													}),
												],
											],
										},
									}),
						},
					],
				},
				lastNodeExecuted: 'Salesforce Action',
				...(options.error ? { error: options.error } : {}),
			},
			executionData: {
				contextData: {},
				nodeExecutionStack: [],
				metadata: {},
				waitingExecution: {},
				waitingExecutionSource: {},
			},
			resumeToken: 'e21a31cb4149ba60105c5b3fc2730432c16ba07cdef9978fcc0c77600ad6ebb8',
		},
		mode: 'cli',
		startedAt: '2026-12-01T22:03:01.278Z',
		stoppedAt: '2026-12-01T22:03:01.588Z',
		storedAt: 'db',
		status: options.status ?? (options.error ? 'error' : 'success'),
		finished: options.finished ?? !options.error,
	};
}

/** The lines n8n prints before the run. */
export function startupLines(): string[] {
	return [
		logLine('info', 'n8n Task Broker ready on 127.0.0.1, port 41727', {
			file: 'task-broker-server.js',
			function: 'setupHttpServer',
		}),
		logLine(
			'warn',
			'Failed to start Python task runner in internal mode. because its virtual environment is missing from this system.',
			{ file: 'task-runner-module.js', scopes: ['task-runner'] },
		),
		logLine('info', '[license SDK] Skipping renewal on init: renewOnInit is disabled in config', {
			file: 'LicenseManager.js',
			scopes: ['license'],
		}),
		logLine('warn', 'Legacy aes-256-cbc encryption key not found; falling back to instance key', {
			file: 'key-manager.service.js',
		}),
	];
}

/** A whole stdout: startup lines, the run (unless `withRun: false`), then `after`. */
export function n8nStdout(options: {
	run?: Record<string, unknown>;
	withRun?: boolean;
	after?: string[];
}): string {
	const lines = startupLines();
	if (options.withRun !== false)
		lines.push(logLine('info', JSON.stringify(options.run ?? runJson(), null, 2)));
	lines.push(...(options.after ?? []));
	return `${lines.join('\n')}\n`;
}

/** What the flaky e2e run looked like: the finished run printed, then n8n died of SIGSEGV exiting. */
export function crashedRunEnd(): CommandEnd {
	return {
		stdout: n8nStdout({
			after: [
				logLine('info', 'Registered runner "JS Task Runner" (ukSSLwutWLGCgJ4pV52-4) ', {
					file: 'task-broker-ws-server.js',
				}),
			],
		}),
		stderr: '',
		exitCode: null,
		signal: 'SIGSEGV',
		timedOut: false,
		timeoutMs: 120_000,
		durationMs: 13_257,
	};
}
