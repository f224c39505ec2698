/**
 * The one secret scan of the end-to-end suites: looks for secrets (passwords, consumer secrets,
 * security tokens, private keys, access tokens) wherever n8n prints or keeps things — CLI output,
 * saved executions, REST and webhook answers, logs, exports, every file of a user folder, Redis and
 * PostgreSQL dumps.
 *
 * A secret counts as leaked in any spelling a request, a log line or a serialiser could have turned
 * it into, not only verbatim, and in any letter case (percent-encoding may use either). An access
 * token may appear in an execution only as the whole value of an output field the user mapped it to;
 * anywhere else it is a leak (`tokenPlacesOutsideMappedFields`, `tokenInsideLongerStrings`).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

import type { SalesforceStandin } from '../../../dev/salesforce-standin';

export interface Needle {
	/** e.g. "password", "access token #2"; never the value itself, so reports stay clean. */
	label: string;
	value: string;
}

export interface Haystack {
	/** e.g. "execution 12", "server log". */
	label: string;
	text: string;
	/** Read as latin1 so any byte sequence survives (files, databases): searched as UTF-8 bytes. */
	latin1?: boolean;
	/**
	 * A JSON answer that may carry an access token as the whole value of these top-level fields (a
	 * webhook answering with an item the user mapped the token into). Anywhere else, no token at all.
	 */
	tokenFields?: string[];
}

/** Shorter values (a one-letter wrong password) would match by chance. */
const MIN_SECRET_LENGTH = 6;

/** Every spelling of a value that a request, a log line or a JSON document could carry; raw first. */
export function spellingsOf(value: string): Array<{ form: string; text: string }> {
	const jsonEscaped = JSON.stringify(value).slice(1, -1);
	const forms = [
		{ form: 'raw', text: value },
		{ form: 'url-encoded', text: encodeURIComponent(value) },
		{ form: 'form-encoded', text: new URLSearchParams({ v: value }).toString().slice(2) },
		{ form: 'JSON-escaped', text: jsonEscaped },
		{
			form: 'JSON-escaped ASCII',
			text: jsonEscaped.replace(
				/[\u007f-\uffff]/g,
				(c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
			),
		},
		{ form: 'base64', text: Buffer.from(value, 'utf8').toString('base64') },
	];
	const seen = new Set<string>();
	return forms.filter(
		({ text }) =>
			text.length >= MIN_SECRET_LENGTH &&
			!seen.has(text.toLowerCase()) &&
			seen.add(text.toLowerCase()),
	);
}

/** The needles found in one haystack, each with the spelling it was found in. */
function spellingsFound(
	haystack: Haystack,
	needles: Needle[],
): Array<{ needle: Needle; form: string }> {
	const text = haystack.text.toLowerCase();
	return needles.flatMap((needle) =>
		spellingsOf(needle.value)
			.filter(({ text: spelling }) =>
				text.includes(
					(haystack.latin1
						? Buffer.from(spelling, 'utf8').toString('latin1')
						: spelling
					).toLowerCase(),
				),
			)
			.map(({ form }) => ({ needle, form })),
	);
}

/** "password (url-encoded) in server log" for every needle found in a haystack, in any spelling. */
export function findLeaks(haystacks: Haystack[], needles: Needle[]): string[] {
	const leaks = haystacks.flatMap((haystack) =>
		spellingsFound(haystack, needles).map(
			({ needle, form }) => `${needle.label} (${form}) in ${haystack.label}`,
		),
	);
	return [...new Set(leaks)];
}

/** "password (url-encoded)" for every named secret found in one text: for tests that search a single output. */
export function leakedSecrets(
	text: string,
	secrets: Record<string, string>,
	options: { latin1?: boolean } = {},
): string[] {
	const needles = Object.entries(secrets).map(([label, value]) => ({ label, value }));
	return spellingsFound({ label: 'text', text, latin1: options.latin1 }, needles).map(
		({ needle, form }) => `${needle.label} (${form})`,
	);
}

/**
 * Every file n8n wrote under `<userFolder>/.n8n` (database, event log, config…), except the installed
 * community packages, read as latin1 (`latin1: true`) so any byte sequence survives. `keep` narrows it
 * down by file name.
 */
export function n8nStateFiles(
	userFolder: string,
	keep: (name: string) => boolean = () => true,
): Haystack[] {
	const root = join(userFolder, '.n8n');
	const files: Haystack[] = [];
	const walk = (folder: string): void => {
		for (const entry of readdirSync(folder)) {
			const path = join(folder, entry);
			if (relative(root, path) === 'nodes') continue;
			if (statSync(path).isDirectory()) walk(path);
			else if (keep(entry))
				files.push({
					label: relative(userFolder, path),
					text: readFileSync(path).toString('latin1'),
					latin1: true,
				});
		}
	};
	walk(root);
	return files;
}

/** The values of a Salesforce credential that are secret; an empty or absent one is skipped. */
export function secretNeedles(label: string, data: Record<string, unknown>): Needle[] {
	const needles: Needle[] = [];
	for (const field of ['consumerSecret', 'password', 'securityToken', 'privateKey', 'passphrase']) {
		const value = data[field];
		if (typeof value === 'string' && value) needles.push({ label: `${label} ${field}`, value });
	}
	// A private key also by each line of its body: a key that leaked re-wrapped or cut off shows one.
	const privateKey = typeof data.privateKey === 'string' ? data.privateKey : '';
	const bodyLines = privateKey
		.split('\n')
		.filter((line) => line.length >= 40 && !line.startsWith('-----'));
	bodyLines.forEach((value, index) =>
		needles.push({ label: `${label} privateKey line ${index + 1}`, value }),
	);
	if (
		typeof data.password === 'string' &&
		data.password &&
		typeof data.securityToken === 'string' &&
		data.securityToken
	) {
		needles.push({
			label: `${label} password+securityToken`,
			value: data.password + data.securityToken,
		});
	}
	return needles;
}

/** The session a request carried as `Authorization: Bearer <token>`. */
export function bearerOf(request: {
	headers: Record<string, string | string[] | undefined>;
}): string | undefined {
	const header = request.headers.authorization;
	return typeof header === 'string' ? /^Bearer (\S+)$/.exec(header)?.[1] : undefined;
}

/** Every session a stand-in issued that a test saw, to search for afterwards. */
export class TokenLedger {
	private readonly tokens = new Set<string>();

	/**
	 * Remembers the stand-in's live sessions and every session of that org n8n sent as Bearer (dead
	 * ones too); call before sessions are ended.
	 */
	record(standin: SalesforceStandin): void {
		for (const token of standin.activeSessions()) this.tokens.add(token);
		for (const request of standin.requests) {
			const token = bearerOf(request);
			if (token?.startsWith(`${standin.orgId}!`)) this.tokens.add(token);
		}
	}

	/** Records, then ends every session of the stand-in (as the org's inactivity timeout would). */
	expireAll(standin: SalesforceStandin): void {
		this.record(standin);
		standin.expireAllSessions();
	}

	get all(): Needle[] {
		return [...this.tokens].map((value, index) => ({ label: `access token #${index + 1}`, value }));
	}
}

/** What one n8n under test must be searched for, and where, filled as the test goes. */
export class ScanLedger {
	/** Values that must never appear anywhere (passwords, security tokens, consumer secrets…). */
	readonly secrets: Needle[] = [];
	/** REST, webhook and CLI answers gathered along the way. */
	readonly haystacks: Haystack[] = [];
	readonly tokens = new TokenLedger();
	/** Output fields each workflow maps the access token into: the only places a token may appear. */
	readonly tokenFieldsByWorkflow = new Map<string, string[]>();
}

/** n8n's most verbose logging: the most it ever writes about an execution must still hold no secret. */
export const DEBUG_LOGGING: Record<string, string> = { N8N_LOG_LEVEL: 'debug' };

/** Every string in a JSON-like value, with its path (`resultData.runData.Node.0.data.main.0.0.json.X`). */
export function stringsWithPaths(
	value: unknown,
	path: string[] = [],
	seen = new Set<unknown>(),
): Array<{ path: string[]; value: string }> {
	if (typeof value === 'string') return [{ path, value }];
	if (typeof value !== 'object' || value === null || seen.has(value)) return [];
	seen.add(value);
	return Object.entries(value).flatMap(([key, child]) =>
		stringsWithPaths(child, [...path, key], seen),
	);
}

/**
 * Where a token appears in an unflattened execution other than as the whole value of a mapped output
 * field (`...data.main.<output>.<item>.json.<field>` with `field` among `mappedFields`).
 */
export function tokenPlacesOutsideMappedFields(
	execution: unknown,
	tokens: Needle[],
	mappedFields: string[],
): string[] {
	const places: string[] = [];
	for (const { path, value } of stringsWithPaths(execution)) {
		for (const token of tokens) {
			if (!value.includes(token.value)) continue;
			const field = path[path.length - 1];
			const isMappedField =
				value === token.value &&
				path[path.length - 2] === 'json' &&
				path.includes('main') &&
				mappedFields.includes(field);
			if (!isMappedField) places.push(`${token.label} at ${path.join('.')}`);
		}
	}
	return places;
}

/**
 * In n8n's flatted storage every distinct string is an element of the top-level array. A token that
 * is only ever a whole field value shows up only as the element `"<token>"`; inside anything longer
 * ("Bearer <token>", an error text) it is a leak the structural walk above would also report.
 */
export function tokenInsideLongerStrings(rawExecution: string, tokens: Needle[]): string[] {
	const places: string[] = [];
	let table: unknown;
	try {
		table = JSON.parse(rawExecution);
	} catch {
		table = undefined;
	}
	const strings = Array.isArray(table)
		? table.filter((entry): entry is string => typeof entry === 'string')
		: [rawExecution];
	for (const token of tokens) {
		if (strings.some((entry) => entry !== token.value && entry.includes(token.value)))
			places.push(`${token.label} inside a longer string`);
	}
	return places;
}

/** Token leaks in an answer: anywhere, or — with `tokenFields` — anywhere but those whole top-level fields. */
export function answerTokenLeaks(haystack: Haystack, tokens: Needle[]): string[] {
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
			.filter(
				(token) =>
					value.includes(token.value) &&
					!(value === token.value && path.length === 1 && fields.includes(path[0])),
			)
			.map((token) => `${token.label} at ${path.join('.')} in ${haystack.label}`),
	);
}
