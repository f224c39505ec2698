/**
 * Looking for secrets where they must not be: saved executions, n8n's log, CLI output, REST answers.
 *
 * A secret is searched for in every form it could take on the way: raw, URL-encoded (as in a query
 * string), form-encoded (as in a token request body, `+` for spaces) and JSON-escaped (as inside a
 * saved execution or a JSON log line). An access token may appear in an execution only as the whole
 * value of an output field the user mapped it to; anywhere else it is a leak.
 */

export interface Needle {
	/** e.g. "password", "access token #2"; never the value itself, so reports stay clean. */
	label: string;
	value: string;
}

export interface Haystack {
	/** e.g. "execution 12", "server log". */
	label: string;
	text: string;
	/**
	 * A JSON answer that may carry an access token as the whole value of these top-level fields (a
	 * webhook answering with an item the user mapped the token into). Anywhere else, no token at all.
	 */
	tokenFields?: string[];
}

/** Shorter values (a one-letter wrong password) would match by chance. */
const MIN_SECRET_LENGTH = 6;

/** Every spelling of a value that a request, a log line or a JSON document could carry. */
export function spellingsOf(value: string): Array<{ form: string; text: string }> {
	const forms = [
		{ form: 'raw', text: value },
		{ form: 'url-encoded', text: encodeURIComponent(value) },
		{ form: 'form-encoded', text: new URLSearchParams({ v: value }).toString().slice(2) },
		{ form: 'JSON-escaped', text: JSON.stringify(value).slice(1, -1) },
		{ form: 'JSON-escaped ASCII', text: JSON.stringify(value).slice(1, -1).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) },
		{ form: 'base64', text: Buffer.from(value, 'utf8').toString('base64') },
	];
	const seen = new Set<string>();
	return forms.filter(({ text }) => text.length >= MIN_SECRET_LENGTH && !seen.has(text) && seen.add(text));
}

/** "password (url-encoded) in server log" for every needle found in a haystack, in any spelling. */
export function findLeaks(haystacks: Haystack[], needles: Needle[]): string[] {
	const leaks: string[] = [];
	for (const needle of needles) {
		for (const { form, text } of spellingsOf(needle.value)) {
			for (const haystack of haystacks) {
				if (haystack.text.includes(text)) leaks.push(`${needle.label} (${form}) in ${haystack.label}`);
			}
		}
	}
	return [...new Set(leaks)];
}

/** Every string in a JSON-like value, with its path (`resultData.runData.Node.0.data.main.0.0.json.X`). */
export function stringsWithPaths(value: unknown, path: string[] = [], seen = new Set<unknown>()): Array<{ path: string[]; value: string }> {
	if (typeof value === 'string') return [{ path, value }];
	if (typeof value !== 'object' || value === null || seen.has(value)) return [];
	seen.add(value);
	return Object.entries(value).flatMap(([key, child]) => stringsWithPaths(child, [...path, key], seen));
}

/**
 * Where a token appears in an unflattened execution other than as the whole value of a mapped output
 * field (`...data.main.<output>.<item>.json.<field>` with `field` among `mappedFields`).
 */
export function tokenPlacesOutsideMappedFields(execution: unknown, tokens: Needle[], mappedFields: string[]): string[] {
	const places: string[] = [];
	for (const { path, value } of stringsWithPaths(execution)) {
		for (const token of tokens) {
			if (!value.includes(token.value)) continue;
			const field = path[path.length - 1];
			const isMappedField = value === token.value && path[path.length - 2] === 'json' && path.includes('main') && mappedFields.includes(field);
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
	const strings = Array.isArray(table) ? table.filter((entry): entry is string => typeof entry === 'string') : [rawExecution];
	for (const token of tokens) {
		if (strings.some((entry) => entry !== token.value && entry.includes(token.value))) places.push(`${token.label} inside a longer string`);
	}
	return places;
}
