/**
 * The secret scan over everything one n8n under test produced: every saved execution (raw flatted
 * text, unflattened data and the workflow snapshot), every log of n8n, its event log and SQLite
 * database byte for byte, and the REST, webhook and CLI answers gathered on the way.
 */
import {
	executionError,
	type N8nUnderTest,
	type SavedExecution,
	type WebhookWorkflow,
} from '../../support';
import {
	answerTokenLeaks,
	findLeaks,
	n8nStateFiles,
	stringsWithPaths,
	tokenInsideLongerStrings,
	tokenPlacesOutsideMappedFields,
	type Haystack,
	type Needle,
} from '../../support/secret-scan';

export interface ScanReport {
	leaks: string[];
	executionsScanned: number;
	tokensKnown: number;
	/** Places a token appeared where the user mapped it: proof the scan looks at real tokens. */
	mappedTokenSightings: number;
	logBytes: number;
	/** Files of n8n's user folder read whole (event log, SQLite database and its WAL). */
	filesScanned: string[];
	/** Known tokens found in the database files: proof the byte-level scan sees what is there. */
	tokensSeenInDatabase: number;
}

/**
 * n8n's own files: the event log (audit and workflow events), and the SQLite database byte for byte —
 * credentials are encrypted there, so a secret in plain text anywhere in it is a leak, whatever the table.
 */
function userFolderFiles(n8n: N8nUnderTest): Haystack[] {
	return n8nStateFiles(
		n8n.userFolder,
		(name) => /^n8nEventLog.*\.log$/.test(name) || /^database\.sqlite(-wal)?$/.test(name),
	).map((file) => ({
		...file,
		label: `user folder file ${file.label}`,
	}));
}

function mappedSightings(execution: SavedExecution, tokens: Needle[], fields: string[]): number {
	return stringsWithPaths(execution.data).filter(
		({ path, value }) =>
			fields.includes(path[path.length - 1]) && tokens.some((token) => token.value === value),
	).length;
}

/**
 * Stops n8n (so its logs are complete), then scans. `extra`: more texts to scan (error messages a
 * test collected).
 */
export async function scanEnvironment(
	n8n: N8nUnderTest,
	extra: Haystack[] = [],
): Promise<ScanReport> {
	await n8n.stop();
	const { secrets, haystacks, tokenFieldsByWorkflow } = n8n.scan;
	const tokens = n8n.scan.tokens.all;
	const leaks: string[] = [];
	let mappedTokenSightings = 0;

	const summaries = await n8n.cli.listExecutions();
	for (const summary of summaries) {
		const execution = await n8n.cli.readExecution(summary.id);
		const label = `execution ${execution.id} (workflow ${execution.workflowId}, ${execution.status})`;
		const fields = tokenFieldsByWorkflow.get(execution.workflowId) ?? [];
		const texts: Haystack[] = [
			{ label, text: execution.rawData },
			{ label: `${label} workflow snapshot`, text: JSON.stringify(execution.workflowData ?? null) },
		];
		leaks.push(...findLeaks(texts, secrets));
		leaks.push(...findLeaks(texts.slice(1), tokens));
		leaks.push(
			...tokenPlacesOutsideMappedFields(execution.data, tokens, fields).map(
				(place) => `${place} in ${label}`,
			),
		);
		leaks.push(
			...tokenInsideLongerStrings(execution.rawData, tokens).map((place) => `${place} in ${label}`),
		);
		mappedTokenSightings += mappedSightings(execution, tokens, fields);
	}

	const logs = n8n.logs();
	leaks.push(...findLeaks(logs, [...secrets, ...tokens]));
	const files = userFolderFiles(n8n);
	// Executions that map the token hold it legitimately, so the database is searched for tokens only
	// when no workflow maps one.
	const someWorkflowMapsTheToken = [...tokenFieldsByWorkflow.values()].some(
		(fields) => fields.length > 0,
	);
	const isDatabase = (file: Haystack) => file.label.includes('database.sqlite');
	const databaseText = files
		.filter(isDatabase)
		.map((file) => file.text)
		.join('\n');
	const tokensSeenInDatabase = tokens.filter((token) => databaseText.includes(token.value)).length;
	for (const file of files)
		leaks.push(
			...findLeaks(
				[file],
				isDatabase(file) && someWorkflowMapsTheToken ? secrets : [...secrets, ...tokens],
			),
		);
	for (const haystack of [...haystacks, ...extra]) {
		leaks.push(...findLeaks([haystack], secrets));
		leaks.push(...answerTokenLeaks(haystack, tokens));
	}
	return {
		leaks: [...new Set(leaks)],
		executionsScanned: summaries.length,
		tokensKnown: tokens.length,
		mappedTokenSightings,
		logBytes: logs.reduce((sum, log) => sum + log.text.length, 0),
		filesScanned: files.map((file) => file.label),
		tokensSeenInDatabase,
	};
}

/** One webhook run of a workflow: the HTTP answer and the error n8n saved for it ('' on success). */
export interface WorkflowRunResult {
	status: number;
	body: Record<string, unknown>;
	error: string;
}

/**
 * Runs workflows through their webhooks, one call at a time, and reads each run's saved execution;
 * every error text is added to `errorTexts` for the final secret scan.
 */
export function workflowRunner(
	errorTexts: Haystack[],
): (workflow: WebhookWorkflow) => Promise<WorkflowRunResult> {
	return async (workflow) => {
		const { status, body, execution } = await workflow.run();
		const error = executionError(execution);
		errorTexts.push({ label: `error of ${workflow.name} execution ${execution.id}`, text: error });
		return { status, body, error };
	};
}
