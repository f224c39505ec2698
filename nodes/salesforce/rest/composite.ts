/**
 * Composite requests (`POST composite`): up to 25 subrequests run in order, "the entire series of
 * requests counts as a single call toward your API limits" (REST API Developer Guide, Composite).
 * With `allOrNone: false` each subrequest answers on its own; the whole request answers 200 even
 * when a subrequest fails, so each subrequest's status is read here and a failure is translated
 * like any REST error.
 *
 * Answer: `{compositeResponse: [{body, httpHeaders, httpStatusCode, referenceId}]}`.
 */
import { REST_API_VERSION } from '../login/sessionCheck';
import { explainRestError, SalesforceRestError } from './restErrors';

/** At most 25 subrequests, 5 of them queries (REST API Developer Guide, Composite). */
export const MAX_COMPOSITE_SUBREQUESTS = 25;
export const MAX_COMPOSITE_QUERIES = 5;

export interface CompositeSubrequest {
	method: 'GET';
	/** Absolute: `/services/data/v62.0/…`. */
	url: string;
	referenceId: string;
}

export interface CompositeRequestBody {
	allOrNone: false;
	compositeRequest: CompositeSubrequest[];
}

/** A REST API path under the package's API version: `query/?q=…` → `/services/data/v62.0/query/?q=…`. */
export function restPath(relative: string): string {
	return `/services/data/v${REST_API_VERSION}/${relative}`;
}

export const COMPOSITE_PATH = restPath('composite');

/** A GET subrequest running one SOQL query (`queryAll` for rows in the Recycle Bin too). */
export function querySubrequest(
	referenceId: string,
	soql: string,
	options: { all?: boolean } = {},
): CompositeSubrequest {
	return {
		method: 'GET',
		url: restPath(`${options.all ? 'queryAll' : 'query'}/?q=${encodeURIComponent(soql)}`),
		referenceId,
	};
}

export function compositeBody(subrequests: CompositeSubrequest[]): CompositeRequestBody {
	const queries = subrequests.filter((subrequest) =>
		/\/query(All)?\/\?/.test(subrequest.url),
	).length;
	if (subrequests.length > MAX_COMPOSITE_SUBREQUESTS || queries > MAX_COMPOSITE_QUERIES) {
		throw new RangeError(
			`a Composite request holds at most ${MAX_COMPOSITE_SUBREQUESTS} subrequests and ${MAX_COMPOSITE_QUERIES} queries`,
		);
	}
	return { allOrNone: false, compositeRequest: subrequests };
}

export interface SubrequestAnswer {
	referenceId: string;
	status: number;
	body: unknown;
}

function badAnswer(what: string, problem: string): SalesforceRestError {
	return new SalesforceRestError(
		'BAD_RESPONSE',
		`${what.charAt(0).toUpperCase()}${what.slice(1)} failed: Salesforce's Composite answer ${problem}.`,
		"Run again; if it persists, check that n8n reaches the org's instance URL directly (no proxy rewriting answers) and Salesforce's status (status.salesforce.com).",
	);
}

/** The answers of a Composite request by referenceId; refuses an answer that lacks one of `expected`. */
export function readCompositeAnswer(
	body: unknown,
	expected: readonly string[],
	what: string,
): Map<string, SubrequestAnswer> {
	const parsed = typeof body === 'string' ? safeJson(body) : body;
	const list =
		typeof parsed === 'object' && parsed !== null
			? (parsed as Record<string, unknown>).compositeResponse
			: undefined;
	if (!Array.isArray(list)) throw badAnswer(what, 'holds no compositeResponse list');
	const answers = new Map<string, SubrequestAnswer>();
	for (const entry of list) {
		if (typeof entry !== 'object' || entry === null) continue;
		const { referenceId, httpStatusCode, body: subBody } = entry as Record<string, unknown>;
		if (typeof referenceId === 'string' && typeof httpStatusCode === 'number')
			answers.set(referenceId, { referenceId, status: httpStatusCode, body: subBody });
	}
	const missing = expected.filter((referenceId) => !answers.has(referenceId));
	if (missing.length > 0) throw badAnswer(what, `has no answer for ${missing.join(', ')}`);
	return answers;
}

function safeJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

/** A subrequest's refusal translated like any REST error (INVALID_FIELD naming the field, …); undefined when it succeeded. */
export function subrequestFailure(
	answer: SubrequestAnswer,
	what: string,
): SalesforceRestError | undefined {
	return answer.status >= 200 && answer.status < 300
		? undefined
		: explainRestError({ status: answer.status, body: answer.body, what });
}

/** The Salesforce error code of a failed subrequest (`EXCEEDED_ID_LIMIT`, …), for the answers a caller handles itself. */
export function subrequestErrorCode(answer: SubrequestAnswer): string | undefined {
	if (answer.status >= 200 && answer.status < 300) return undefined;
	const first = Array.isArray(answer.body) ? answer.body[0] : answer.body;
	const code =
		typeof first === 'object' && first !== null
			? (first as Record<string, unknown>).errorCode
			: undefined;
	return typeof code === 'string' ? code : undefined;
}
