/**
 * Finding the run's JSON in what `n8n execute --rawOutput` prints. n8n prints it through its logger
 * (nothing at all below log level `info`), between its own log lines, and task-runner lines can follow
 * it. With `N8N_LOG_FORMAT=json` every line is `{ level, message, metadata }` and the run is the
 * `message` of one of them; with the text format it is a multi-line block starting with `{`.
 */

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

export function parseLogLines(stdout: string): LogLine[] {
	return stdout
		.split('\n')
		.map((line) => parseObject(line.trim()) as LogLine | undefined)
		.filter((line): line is LogLine => typeof line?.message === 'string' && typeof line.level === 'string');
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
export function nodeOutputItems(run: WorkflowRun, nodeName: string, runIndex = 0): Array<Record<string, unknown>> {
	const nodeRun = run.data.resultData.runData[nodeName]?.[runIndex];
	return (nodeRun?.data?.main?.[0] ?? []).map((item) => item.json);
}

export function runErrorMessage(run: WorkflowRun | undefined): string | undefined {
	const error = run?.data.resultData.error;
	if (!error) return undefined;
	return [error.message, error.description].filter(Boolean).join(' — ');
}
