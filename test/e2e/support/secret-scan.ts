/**
 * Looks for secrets where n8n keeps or prints things: CLI output, saved executions, exports and
 * every file of the user folder. A secret counts as leaked in any form a request or a serialiser
 * could have turned it into, not only verbatim.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** The forms a secret takes on its way through HTTP and JSON, by name; verbatim first. */
export function secretForms(secret: string): Array<{ form: string; text: string }> {
	const candidates = [
		{ form: 'verbatim', text: secret },
		{ form: 'URL-encoded', text: encodeURIComponent(secret) },
		{ form: 'form-encoded', text: new URLSearchParams({ s: secret }).toString().slice('s='.length) },
		{ form: 'JSON-escaped', text: JSON.stringify(secret).slice(1, -1) },
		{
			form: 'JSON-escaped as ASCII',
			text: JSON.stringify(secret)
				.slice(1, -1)
				.replace(/[\u0080-\uffff]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`),
		},
	];
	return candidates.filter((candidate, index) => candidates.findIndex((other) => other.text === candidate.text) === index);
}

/**
 * "password (URL-encoded)" for every secret found in `text`, in any of its forms, ignoring case
 * (percent-encoding may use either). For text read as latin1 (see `n8nStateFiles`) pass
 * `{ latin1: true }`: the forms are then searched as their UTF-8 bytes.
 */
export function leakedSecrets(text: string, secrets: Record<string, string>, options: { latin1?: boolean } = {}): string[] {
	const haystack = text.toLowerCase();
	const leaks: string[] = [];
	for (const [name, secret] of Object.entries(secrets)) {
		for (const { form, text: needle } of secretForms(secret)) {
			const searched = options.latin1 ? Buffer.from(needle, 'utf8').toString('latin1') : needle;
			if (haystack.includes(searched.toLowerCase())) leaks.push(`${name} (${form})`);
		}
	}
	return leaks;
}

/**
 * Every file n8n wrote under `<userFolder>/.n8n` (database, event log, config…), except the installed
 * community packages, read as latin1 so any byte sequence survives: search it with `{ latin1: true }`.
 */
export function n8nStateFiles(userFolder: string): Array<{ file: string; text: string }> {
	const root = join(userFolder, '.n8n');
	const files: Array<{ file: string; text: string }> = [];
	const walk = (folder: string): void => {
		for (const entry of readdirSync(folder)) {
			const path = join(folder, entry);
			if (relative(root, path) === 'nodes') continue;
			if (statSync(path).isDirectory()) walk(path);
			else files.push({ file: relative(userFolder, path), text: readFileSync(path).toString('latin1') });
		}
	};
	walk(root);
	return files;
}
