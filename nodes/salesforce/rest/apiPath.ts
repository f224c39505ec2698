/**
 * The path of a REST request on the org's instance. The session goes only to the instance URL n8n
 * puts in front of it, so a path may never name another host (a full URL, `//host`), climb out of
 * its place (`..`), or leave /services/ — the part of the instance that is Salesforce's API.
 */
import { hasControlCharacter } from '../text';
import { invalidParameter } from './restErrors';

const PARAMETER = 'Path';

function fixFor(version: string): string {
	return `Type a path relative to /services/data/v${version}/ (e.g. sobjects/Account/describe, or query?q=SELECT+Id+FROM+Account), or a path of the instance that starts with /services/ (e.g. /services/apexrest/MyService or /services/data/v${version}/tooling/query). The host comes from the credential.`;
}

function decoded(segment: string): string {
	try {
		return decodeURIComponent(segment);
	} catch {
		return segment;
	}
}

/** The Streaming API's endpoint: /cometd/<version>, and the message-type paths clients append to it. */
const COMETD_PATH = /^\/cometd\/\d+\.\d+(?:\/|$)/;

/**
 * `sobjects/Account` → `/services/data/v62.0/sobjects/Account`; `/services/apexrest/X` kept. A
 * relative path that already starts with an API version (`v58.0/limits`) or with `services/` is
 * placed under /services/data/ or / accordingly. Anything that could leave the instance's
 * /services/ is refused naming the Path parameter — but the Streaming API's /cometd/<version> when
 * `cometd` allows it (the client's own requests; a user's Path stays within /services/). A query
 * string after `?` is kept as typed.
 */
export function resolveApiPath(
	path: unknown,
	version: string,
	parameter = PARAMETER,
	options: { cometd?: boolean } = {},
): string {
	const text = typeof path === 'string' ? path.trim() : '';
	const fix = fixFor(version);
	if (text === '') throw invalidParameter(parameter, 'is empty', fix);
	if (hasControlCharacter(text))
		throw invalidParameter(parameter, 'contains a line break or another control character', fix);
	if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(text)) {
		throw invalidParameter(
			parameter,
			"is a full URL; only a path of the credential's instance is accepted",
			fix,
		);
	}
	if (text.startsWith('//') || text.includes('\\')) {
		throw invalidParameter(
			parameter,
			'could name another host (it starts with // or holds a backslash)',
			fix,
		);
	}
	if (text.includes('#'))
		throw invalidParameter(parameter, 'contains "#"; a fragment is never sent to Salesforce', fix);

	const queryStart = text.indexOf('?');
	const pathPart = queryStart >= 0 ? text.slice(0, queryStart) : text;
	const query = queryStart >= 0 ? text.slice(queryStart) : '';

	for (const segment of pathPart.split('/')) {
		const plain = decoded(segment);
		if (plain === '.' || plain === '..')
			throw invalidParameter(parameter, 'contains a "." or ".." segment', fix);
		if (plain !== segment && /[/\\]/.test(plain)) {
			// %2F inside a segment is how an external id value with a slash is sent; only climbing is refused.
			if (plain.split(/[/\\]/).some((part) => part === '..' || part === '.')) {
				throw invalidParameter(parameter, 'contains an encoded "." or ".." segment', fix);
			}
		}
	}

	let absolute: string;
	if (pathPart.startsWith('/')) absolute = pathPart;
	else if (/^services\//.test(pathPart)) absolute = `/${pathPart}`;
	else if (/^v\d+\.\d+(\/|$)/.test(pathPart)) absolute = `/services/data/${pathPart}`;
	else absolute = `/services/data/v${version}/${pathPart}`;

	if (!absolute.startsWith('/services/') && !(options.cometd && COMETD_PATH.test(absolute))) {
		throw invalidParameter(
			parameter,
			`"${absolute.length > 80 ? `${absolute.slice(0, 80)}…` : absolute}" is outside /services/, the instance's API`,
			fix,
		);
	}
	return `${absolute}${query}`;
}
