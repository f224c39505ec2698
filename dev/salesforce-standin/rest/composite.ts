import type { RestContext } from './context';
import { allow, isObject, jsonBody, resourceSegments } from './context';
import { notFound, restError, RestError } from './errors';
import { faultError } from './faults';
import { versionMajor } from './versions';
import type { Reply } from '../http';
import { sendJson } from '../http';

/**
 * POST composite (REST API Developer Guide: "Send Multiple Requests Using Composite", "Composite
 * Request Body", "Composite Subrequest Result"):
 *   {allOrNone?, collateSubrequests?, compositeRequest: [{method, url, referenceId, body?, httpHeaders?}]}
 *   -> 200 {compositeResponse: [{body, httpHeaders, httpStatusCode, referenceId}]}
 * - Subrequests run in order, as the same user, through the stand-in's own routes. Composite serves
 *   "all sObject resources" (rows, describe, getUpdated, getDeleted, ...), query, queryAll and
 *   sObject Collections; anything else (limits, composite itself) answers 404 NOT_FOUND in its
 *   result (silent: Salesforce's answer). collateSubrequests may reorder only unrelated
 *   subrequests: running them in order is always allowed.
 * - At most 25 subrequests, of which at most 5 query/queryAll (their next pages too) or sObject
 *   Collections. Over either: 200 with one result {LIMIT_EXCEEDED, referenceId null} ("The request
 *   can’t contain more than 25 operations.", as Salesforce answered: guardian/support-service-
 *   lambdas #766; the wording for queries is silent).
 * - `@{referenceId.path}` in a url or body is the value at that path of an earlier answer (`.` for
 *   a property, `[n]` for an element); only strings, numbers and booleans can be referenced. A
 *   reference Salesforce cannot resolve — to a failed subrequest, to none before it, to a missing
 *   value — fails that subrequest with 400 PROCESSING_HALTED (silent: the wording). A reference is
 *   read in the url as written (percent-encoded, `%40%7B…%7D` is none), and its value lands there
 *   as it is: a `+` in a query parameter then reads as a space, as in any URL.
 * - allOrNone true: the first failing subrequest (status 400 or more) stops the request, every write
 *   is rolled back, and every other result says 400 PROCESSING_HALTED "The transaction was rolled
 *   back since another operation in the same transaction failed.". allOrNone false: the others run,
 *   those that depend on a failed one are not executed.
 * - The whole request counts as ONE API request: subrequests are not counted again. Injected REST
 *   faults meet subrequests too, matched by the subrequest's own method and path.
 * - httpHeaders may not carry Accept, Authorization or Content-Type (the subrequest inherits the
 *   top-level request's): the top-level request fails with 400 (silent: its errorCode). A result's
 *   httpHeaders are the resource's own (e.g. Location), never Content-Type or Content-Length.
 */

export type Router = (context: RestContext) => void;

const MAX_SUBREQUESTS = 25;
const MAX_QUERIES_AND_COLLECTIONS = 5;
const METHODS = new Set(['GET', 'POST', 'PATCH', 'DELETE']);
const INHERITED_HEADERS = new Set(['accept', 'authorization', 'content-type']);
/** Headers of the HTTP answer, not of a subrequest's result. */
const TRANSPORT_HEADERS = new Set(['content-type', 'content-length', 'sforce-limit-info', 'date']);
const REFERENCE = /@\{([A-Za-z0-9_]+)((?:\.[A-Za-z0-9_]+|\[\d+\])*)\}/g;
const ROLLED_BACK =
	'The transaction was rolled back since another operation in the same transaction failed.';

interface Subrequest {
	method: string;
	url: string;
	referenceId: string;
	body?: unknown;
	httpHeaders: Record<string, string>;
}

interface SubrequestResult {
	body: unknown;
	httpHeaders: Record<string, string>;
	httpStatusCode: number;
	referenceId: string | null;
}

/** What a subrequest's route writes, kept instead of sent. */
class CapturedReply implements Reply {
	headersSent = false;
	readonly destroyed = false;
	status = 0;
	headers: Record<string, string> = {};
	text = '';

	writeHead(status: number, headers: Record<string, string>): void {
		this.status = status;
		this.headers = headers;
		this.headersSent = true;
	}

	end(body: Buffer): void {
		this.text = body.toString('utf8');
	}
}

function malformed(message: string): RestError {
	// silent: the errorCode and wording of a composite body that does not deserialise.
	return restError(400, 'JSON_PARSER_ERROR', message);
}

function readRequest(context: RestContext): { allOrNone: boolean; subrequests: Subrequest[] } {
	const body = jsonBody(context);
	if (!isObject(body) || !Array.isArray(body.compositeRequest))
		throw malformed(
			'The request body must be {"allOrNone": boolean, "compositeRequest": [subrequest, ...]}',
		);
	const seen = new Set<string>();
	const subrequests = body.compositeRequest.map((entry, index): Subrequest => {
		if (
			!isObject(entry) ||
			typeof entry.method !== 'string' ||
			typeof entry.url !== 'string' ||
			typeof entry.referenceId !== 'string'
		) {
			throw malformed(
				`compositeRequest[${index}]: method, url and referenceId are required strings`,
			);
		}
		if (!METHODS.has(entry.method))
			throw malformed(
				`compositeRequest[${index}]: method must be one of ${[...METHODS].join(', ')} (case-sensitive), not '${entry.method}'`,
			);
		if (seen.has(entry.referenceId))
			throw malformed(`compositeRequest[${index}]: duplicate referenceId '${entry.referenceId}'`);
		seen.add(entry.referenceId);
		const headers = isObject(entry.httpHeaders) ? entry.httpHeaders : {};
		const inherited = Object.keys(headers).find((name) =>
			INHERITED_HEADERS.has(name.toLowerCase()),
		);
		if (inherited)
			throw restError(
				400,
				'INVALID_API_INPUT',
				`compositeRequest[${index}]: the ${inherited} header is inherited from the composite request and cannot be set on a subrequest`,
			);
		return {
			method: entry.method,
			url: entry.url,
			referenceId: entry.referenceId,
			body: entry.body,
			httpHeaders: Object.fromEntries(
				Object.entries(headers).map(([name, value]) => [name.toLowerCase(), String(value)]),
			),
		};
	});
	return { allOrNone: body.allOrNone === true, subrequests };
}

/** The subrequest's path below /services/data/vXX.X/, or undefined when it is not under it. */
function resourceOf(
	url: string,
): { version: string; major: number; segments: string[]; parsed: URL } | undefined {
	const parsed = new URL(url, 'http://standin.invalid');
	const match = /^\/services\/data\/([^/]+)\/(.*)$/.exec(parsed.pathname);
	const major = match ? versionMajor(match[1]) : undefined;
	const segments = match ? resourceSegments(match[2]) : undefined;
	return match && major !== undefined && segments
		? { version: match[1], major, segments, parsed }
		: undefined;
}

function isQueryOrCollections(segments: string[]): boolean {
	return (
		segments[0] === 'query' ||
		segments[0] === 'queryAll' ||
		(segments[0] === 'composite' && segments[1] === 'sobjects')
	);
}

function servedByComposite(segments: string[]): boolean {
	return segments[0] === 'sobjects' || isQueryOrCollections(segments);
}

function limitExceeded(subrequests: Subrequest[]): string | undefined {
	if (subrequests.length > MAX_SUBREQUESTS)
		return `The request can’t contain more than ${MAX_SUBREQUESTS} operations.`;
	const queries = subrequests.filter((sub) => {
		const resource = resourceOf(sub.url);
		return resource !== undefined && isQueryOrCollections(resource.segments);
	}).length;
	return queries > MAX_QUERIES_AND_COLLECTIONS
		? `The request can’t contain more than ${MAX_QUERIES_AND_COLLECTIONS} query or sObject Collections operations.`
		: undefined;
}

function failure(
	referenceId: string | null,
	status: number,
	errorCode: string,
	message: string,
): SubrequestResult {
	return { body: [{ errorCode, message }], httpHeaders: {}, httpStatusCode: status, referenceId };
}

class UnresolvedReference extends Error {}

/** `@{ref.a[0].b}` -> the value in ref's answer, or UnresolvedReference. */
function referenced(
	results: Map<string, SubrequestResult>,
	referenceId: string,
	path: string,
): string | number | boolean {
	const result = results.get(referenceId);
	const expression = `${referenceId}${path}`;
	if (!result)
		throw new UnresolvedReference(
			`Invalid reference specified. No value for ${expression} found in ${referenceId}: no earlier subrequest has that referenceId`,
		);
	if (result.httpStatusCode >= 400)
		throw new UnresolvedReference(
			`Invalid reference specified. ${referenceId} failed, so ${expression} has no value`,
		);
	let value: unknown = result.body;
	for (const [, property, index] of path.matchAll(/\.([A-Za-z0-9_]+)|\[(\d+)\]/g)) {
		value =
			property !== undefined
				? isObject(value)
					? value[property]
					: undefined
				: Array.isArray(value)
					? value[Number(index)]
					: undefined;
	}
	if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
		return value;
	throw new UnresolvedReference(
		`Invalid reference specified. No value for ${expression} found in ${referenceId}${value === undefined || value === null ? '' : ' that can be referenced (only strings, numbers and booleans)'}`,
	);
}

function resolveText(text: string, results: Map<string, SubrequestResult>): string {
	return text.replace(REFERENCE, (_whole, referenceId: string, path: string) =>
		String(referenced(results, referenceId, path)),
	);
}

/** References in a body: a string that is exactly one reference takes the value's own type. */
function resolveBody(value: unknown, results: Map<string, SubrequestResult>): unknown {
	if (typeof value === 'string') {
		const whole = new RegExp(`^${REFERENCE.source}$`).exec(value);
		return whole ? referenced(results, whole[1], whole[2]) : resolveText(value, results);
	}
	if (Array.isArray(value)) return value.map((item) => resolveBody(item, results));
	if (isObject(value))
		return Object.fromEntries(
			Object.entries(value).map(([key, item]) => [key, resolveBody(item, results)]),
		);
	return value;
}

function resultOf(reply: CapturedReply, referenceId: string): SubrequestResult {
	let body: unknown = null;
	if (reply.text !== '') {
		try {
			body = JSON.parse(reply.text) as unknown;
		} catch {
			body = reply.text;
		}
	}
	const httpHeaders = Object.fromEntries(
		Object.entries(reply.headers).filter(([name]) => !TRANSPORT_HEADERS.has(name.toLowerCase())),
	);
	return { body, httpHeaders, httpStatusCode: reply.status, referenceId };
}

function execute(
	context: RestContext,
	route: Router,
	sub: Subrequest,
	results: Map<string, SubrequestResult>,
): SubrequestResult {
	let url: string;
	let body: unknown;
	try {
		url = resolveText(sub.url, results);
		body = sub.body === undefined ? undefined : resolveBody(sub.body, results);
	} catch (error) {
		if (error instanceof UnresolvedReference)
			return failure(sub.referenceId, 400, 'PROCESSING_HALTED', error.message);
		throw error;
	}
	const reply = new CapturedReply();
	try {
		const resource = resourceOf(url);
		if (!resource || !servedByComposite(resource.segments)) throw notFound();
		const method = sub.method;
		const fault = context.org.rest.faults.take(method, resource.parsed.pathname);
		if (fault) throw faultError(fault);
		route({
			...context,
			req: { headers: { ...context.req.headers, ...sub.httpHeaders } },
			res: reply,
			url: resource.parsed,
			version: resource.version,
			major: resource.major,
			method,
			segments: resource.segments,
			rawBody: body === undefined ? '' : JSON.stringify(body),
		});
	} catch (error) {
		if (!(error instanceof RestError)) throw error;
		return {
			body: error.errors,
			httpHeaders: error.headers,
			httpStatusCode: error.status,
			referenceId: sub.referenceId,
		};
	}
	return resultOf(reply, sub.referenceId);
}

export function handleComposite(context: RestContext, route: Router): void {
	allow(context, 'POST');
	const { allOrNone, subrequests } = readRequest(context);
	const limit = limitExceeded(subrequests);
	if (limit) {
		sendJson(
			context.res,
			200,
			{ compositeResponse: [failure(null, 400, 'LIMIT_EXCEEDED', limit)] },
			context.headers,
		);
		return;
	}
	const journal = context.org.rest.store.startJournal();
	const results = new Map<string, SubrequestResult>();
	let failed: SubrequestResult | undefined;
	try {
		for (const sub of subrequests) {
			const result = execute(context, route, sub, results);
			results.set(sub.referenceId, result);
			if (allOrNone && result.httpStatusCode >= 400) {
				failed = result;
				break;
			}
		}
	} catch (error) {
		journal.rollback();
		throw error;
	}
	if (failed) journal.rollback();
	else journal.stop();
	const compositeResponse = subrequests.map((sub) => {
		const result = results.get(sub.referenceId);
		return !failed || result === failed
			? (result as SubrequestResult)
			: failure(sub.referenceId, 400, 'PROCESSING_HALTED', ROLLED_BACK);
	});
	sendJson(context.res, 200, { compositeResponse }, context.headers);
}
