/**
 * The secret scan over everything one hardening environment produced: every saved execution (raw
 * flatted text, unflattened data and the workflow snapshot), the n8n server log, and the REST, webhook
 * and CLI answers gathered on the way.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { SavedExecution } from '../../support';
import { serverLog, type HardeningEnv } from './hardening-env';
import {
	findLeaks,
	stringsWithPaths,
	tokenInsideLongerStrings,
	tokenPlacesOutsideMappedFields,
	type Haystack,
	type Needle,
} from './secret-scan';

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
function userFolderFiles(env: HardeningEnv): Haystack[] {
	const folder = join(env.fixture.userFolder, '.n8n');
	const names = existsSync(folder) ? readdirSync(folder) : [];
	return names
		.filter((name) => /^n8nEventLog.*\.log$/.test(name) || /^database\.sqlite(-wal)?$/.test(name))
		.map((name) => ({ label: `user folder file .n8n/${name}`, text: readFileSync(join(folder, name)).toString('utf8') }));
}

function mappedSightings(execution: SavedExecution, tokens: Needle[], fields: string[]): number {
	return stringsWithPaths(execution.data).filter(({ path, value }) => fields.includes(path[path.length - 1]) && tokens.some((token) => token.value === value)).length;
}

function answerTokenLeaks(haystack: Haystack, tokens: Needle[]): string[] {
	if (!haystack.tokenFields) return findLeaks([haystack], tokens);
	let parsed: unknown;
	try {
		parsed = JSON.parse(haystack.text);
	} catch {
		return findLeaks([haystack], tokens);
	}
	const fields = haystack.tokenFields;
	return stringsWithPaths(parsed).flatMap(({ path, value }) =>
		tokens
			.filter((token) => value.includes(token.value) && !(value === token.value && path.length === 1 && fields.includes(path[0])))
			.map((token) => `${token.label} at ${path.join('.')} in ${haystack.label}`),
	);
}

/**
 * Stops the server (so its log is complete), then scans. `extra`: more texts to scan (CLI output,
 * error messages a test collected).
 */
export async function scanEnvironment(env: HardeningEnv, extra: Haystack[] = []): Promise<ScanReport> {
	await env.stopServer();
	for (const standin of env.standins) env.tokens.record(standin);
	const tokens = env.tokens.all;
	const leaks: string[] = [];
	let mappedTokenSightings = 0;

	const summaries = await env.n8n.listExecutions();
	for (const summary of summaries) {
		const execution = await env.n8n.readExecution(summary.id);
		const label = `execution ${execution.id} (workflow ${execution.workflowId}, ${execution.status})`;
		const fields = env.tokenFieldsByWorkflow.get(execution.workflowId) ?? [];
		const texts: Haystack[] = [
			{ label, text: execution.rawData },
			{ label: `${label} workflow snapshot`, text: JSON.stringify(execution.workflowData ?? null) },
		];
		leaks.push(...findLeaks(texts, env.secrets));
		leaks.push(...findLeaks(texts.slice(1), tokens));
		leaks.push(...tokenPlacesOutsideMappedFields(execution.data, tokens, fields).map((place) => `${place} in ${label}`));
		leaks.push(...tokenInsideLongerStrings(execution.rawData, tokens).map((place) => `${place} in ${label}`));
		mappedTokenSightings += mappedSightings(execution, tokens, fields);
	}

	const log = serverLog(env);
	leaks.push(...findLeaks([log], [...env.secrets, ...tokens]));
	const files = userFolderFiles(env);
	// Executions that map the token hold it legitimately, so the database is searched for tokens only
	// when no workflow maps one.
	const someWorkflowMapsTheToken = [...env.tokenFieldsByWorkflow.values()].some((fields) => fields.length > 0);
	const databaseText = files.filter((file) => file.label.includes('database.sqlite')).map((file) => file.text).join('\n');
	const tokensSeenInDatabase = tokens.filter((token) => databaseText.includes(token.value)).length;
	for (const file of files) {
		const isDatabase = file.label.includes('database.sqlite');
		leaks.push(...findLeaks([file], isDatabase && someWorkflowMapsTheToken ? env.secrets : [...env.secrets, ...tokens]));
	}
	for (const haystack of [...env.haystacks, ...extra]) {
		leaks.push(...findLeaks([haystack], env.secrets));
		leaks.push(...answerTokenLeaks(haystack, tokens));
	}
	return {
		leaks: [...new Set(leaks)],
		executionsScanned: summaries.length,
		tokensKnown: tokens.length,
		mappedTokenSightings,
		logBytes: log.text.length,
		filesScanned: files.map((file) => file.label),
		tokensSeenInDatabase,
	};
}
