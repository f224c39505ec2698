/**
 * What Salesforce's REST API answers when it refuses a request, turned into what the user should
 * change. Salesforce's error body is an array, `[{"message":"…","errorCode":"…","fields":["…"]}]`;
 * sObject Collections report each record's errors with `statusCode` instead of `errorCode`.
 *
 * Every failure of a REST request is a `SalesforceRestError`: a message saying what is wrong
 * (Salesforce's own words included) and a description saying what to change. Messages are built
 * from Salesforce's answer only, never from the request, so they never hold the session.
 */

import { capitalise } from '../text';
import {
	explainCode,
	explainStatus,
	type Explanation,
	type RequestParameters,
	type RestRetry,
} from './errorCodes';

export type { RequestParameters, RestRetry } from './errorCodes';

/** One error of a record in an sObject Collections answer. */
export interface RecordError {
	statusCode: string;
	message: string;
	fields: string[];
}

export class SalesforceRestError extends Error {
	/** Salesforce's error code (MALFORMED_QUERY, …), or the package's own: INVALID_INPUT, HTTP_405, BAD_RESPONSE, NETWORK, BATCH_FAILED. */
	readonly code: string;

	/**
	 * The HTTP status of the answer, if any. Not named `status`: n8n's NodeApiError would then
	 * replace the message with a generic one.
	 */
	readonly httpStatus?: number;

	/** The fields Salesforce named. */
	readonly fields: string[];

	/** What to change; n8n shows it under the message. */
	readonly description: string;

	/** Set when sending the same request again a moment later may well succeed. */
	readonly retry?: RestRetry;

	/** The org's daily API request limit is used up: never retried, every request would count. */
	readonly dailyLimit?: boolean;

	/** For refused input: the node parameter to change, as the editor labels it. */
	readonly parameter?: string;

	/**
	 * The message without its lead ("Creating Account records failed: "): what went wrong, for texts
	 * that put their own lead before it (a batch's failure told per item, or in a write's summary).
	 */
	readonly detail?: string;

	constructor(
		code: string,
		message: string,
		description: string,
		details: {
			httpStatus?: number;
			fields?: string[];
			retry?: RestRetry;
			dailyLimit?: boolean;
			parameter?: string;
			detail?: string;
		} = {},
	) {
		super(message);
		this.name = 'SalesforceRestError';
		this.code = code;
		this.description = description;
		this.httpStatus = details.httpStatus;
		this.fields = details.fields ?? [];
		if (details.retry) this.retry = details.retry;
		if (details.dailyLimit) this.dailyLimit = true;
		if (details.parameter) this.parameter = details.parameter;
		if (details.detail) this.detail = details.detail;
	}
}

/** The same error with a last line added to its description (what became of the work it stopped). */
export function withDescriptionNote(error: SalesforceRestError, note: string): SalesforceRestError {
	return new SalesforceRestError(
		error.code,
		error.message,
		error.description ? `${error.description}\n${note}` : note,
		{
			httpStatus: error.httpStatus,
			fields: error.fields,
			retry: error.retry,
			dailyLimit: error.dailyLimit,
			parameter: error.parameter,
			detail: error.detail,
		},
	);
}

/** A node parameter is unusable; raised before anything is sent. Worded like the credential's field errors. */
export function invalidParameter(
	parameter: string,
	problem: string,
	fix: string,
): SalesforceRestError {
	return new SalesforceRestError('INVALID_INPUT', `${parameter}: ${problem}`, fix, { parameter });
}

// ---------------------------------------------------------------------------------------------
// Reading Salesforce's answer

/** A Salesforce session id (`00D…!…`) or a Bearer header value: never repeated, whatever answered. */
const SECRET_PATTERNS = [/00D[A-Za-z0-9]{12,15}![A-Za-z0-9._-]+/g, /Bearer\s+[^\s"',;]+/gi];
const MAX_MESSAGE_LENGTH = 600;

/** Salesforce's text, safe to show: no session ids, no Bearer values, one line, bounded. */
export function safeSalesforceText(text: string): string {
	let safe = text;
	for (const pattern of SECRET_PATTERNS) safe = safe.replace(pattern, '[redacted]');
	safe = safe.replace(/\s+/g, ' ').trim();
	return safe.length > MAX_MESSAGE_LENGTH ? `${safe.slice(0, MAX_MESSAGE_LENGTH - 1)}…` : safe;
}

interface ParsedError {
	code: string;
	message: string;
	fields: string[];
}

type BodyKind = 'errors' | 'empty' | 'html' | 'text' | 'json';

function parseBody(body: unknown): {
	kind: BodyKind;
	errors: ParsedError[];
	value?: unknown;
	text?: string;
} {
	let value = body;
	if (typeof body === 'string' || Buffer.isBuffer(body)) {
		const text = String(body).trim();
		if (text === '') return { kind: 'empty', errors: [] };
		if (/^<(!doctype|html|\?xml|head|body)/i.test(text) || /<html[\s>]/i.test(text.slice(0, 500))) {
			return { kind: 'html', errors: [], text };
		}
		try {
			value = JSON.parse(text);
		} catch {
			return { kind: 'text', errors: [], text };
		}
	}
	if (value === undefined || value === null) return { kind: 'empty', errors: [] };
	const candidates = Array.isArray(value) ? value : [value];
	const errors: ParsedError[] = [];
	for (const candidate of candidates) {
		if (!candidate || typeof candidate !== 'object') continue;
		const entry = candidate as Record<string, unknown>;
		const code = entry.errorCode ?? entry.statusCode ?? entry.error;
		const message = entry.message ?? entry.error_description;
		if (typeof code !== 'string' && typeof message !== 'string') continue;
		errors.push({
			code: typeof code === 'string' ? code : '',
			message: typeof message === 'string' ? message : '',
			fields: Array.isArray(entry.fields)
				? entry.fields.filter((field): field is string => typeof field === 'string')
				: [],
		});
	}
	return errors.length > 0 ? { kind: 'errors', errors, value } : { kind: 'json', errors, value };
}

/** MALFORMED_QUERY (and INVALID_FIELD in a query) echo the query with a caret, then `ERROR at Row:1:Column:8` and the reason. */
function queryPosition(
	message: string,
): { row: number; column: number; reason: string } | undefined {
	const match = /ERROR at Row:\s*(\d+)\s*:?\s*Column:\s*(\d+)\s*([\s\S]*)$/i.exec(message);
	if (!match) return undefined;
	return { row: Number(match[1]), column: Number(match[2]), reason: match[3].trim() };
}

export interface RestFailure {
	/** HTTP status; 0 or undefined when no answer came. */
	status?: number;
	/** The answer's body, raw text or parsed JSON. */
	body?: unknown;
	/** What was being done, lower case: "creating Account records", "running the SOQL query". */
	what: string;
	/** The node parameters the request was built from: the explanation names the one to change. */
	parameters?: RequestParameters;
}

/** "<What> failed: <detail>.", keeping the detail for texts that lead with their own words. */
function failed(
	code: string,
	what: string,
	detail: string,
	fix: string,
	details: ConstructorParameters<typeof SalesforceRestError>[3] = {},
): SalesforceRestError {
	return new SalesforceRestError(code, `${capitalise(what)} failed: ${detail}.`, fix, {
		...details,
		detail,
	});
}

/** Salesforce's refusal of a request, as what is wrong (message) and what to change (description). */
export function explainRestError({
	status,
	body,
	what,
	parameters = {},
}: RestFailure): SalesforceRestError {
	const httpStatus = status && status > 0 ? status : undefined;
	const parsed = parseBody(body);

	if (parsed.kind === 'errors') {
		const first = parsed.errors[0];
		const code = first.code || (httpStatus ? `HTTP_${httpStatus}` : 'ERROR');
		const fields = [...new Set(parsed.errors.flatMap((error) => error.fields))];
		const explanation = explainCode(first.code, first.message, fields, httpStatus, parameters);
		const texts = [
			...new Set(parsed.errors.map((error) => error.message).filter((text) => text !== '')),
		];
		let detail: string;
		const position = queryPosition(first.message);
		if (position) {
			detail = `${explanation.problem ?? 'the query is wrong'} at row ${position.row}, column ${position.column}: ${safeSalesforceText(position.reason || first.message).replace(/\.$/, '')}`;
		} else {
			const salesforceText = safeSalesforceText(texts.join(' / ')).replace(/\.$/, '');
			detail = explanation.problem
				? `${explanation.problem}${salesforceText ? ` — ${salesforceText}` : ''}`
				: salesforceText || 'Salesforce gave no reason';
		}
		const statusNote = httpStatus ? `HTTP ${httpStatus}, ` : '';
		return failed(code, what, `${detail} (${statusNote}${code})`, explanation.fix, {
			httpStatus,
			fields,
			retry: explanation.retry ?? (httpStatus === 503 ? 'unavailable' : undefined),
			dailyLimit: explanation.dailyLimit,
		});
	}

	if (httpStatus === 300) {
		const matches = Array.isArray(parsed.value) ? parsed.value.length : undefined;
		const explanation = explainStatus(300, parameters) as Explanation;
		return failed(
			'MULTIPLE_CHOICES',
			what,
			`${explanation.problem}${matches ? ` (${matches} records)` : ''} (HTTP 300)`,
			explanation.fix,
			{ httpStatus },
		);
	}

	const byStatus = explainStatus(httpStatus, parameters);
	const code = httpStatus ? `HTTP_${httpStatus}` : 'BAD_RESPONSE';
	let answer: string;
	if (parsed.kind === 'html') {
		const title = /<title[^>]*>([^<]*)<\/title>/i.exec(parsed.text ?? '')?.[1];
		answer = `Salesforce answered with a web page instead of JSON${title ? ` ("${safeSalesforceText(title)}")` : ''}`;
	} else if (parsed.kind === 'text') {
		answer = `Salesforce answered with text that is not JSON: "${safeSalesforceText(parsed.text ?? '').slice(0, 200)}"`;
	} else {
		answer = byStatus?.problem ?? "Salesforce's answer held no error";
	}
	const problem =
		parsed.kind === 'html' || parsed.kind === 'text'
			? `${answer}${byStatus?.problem ? ` — ${byStatus.problem}` : ''}`
			: answer;
	const fix =
		byStatus?.fix ??
		(parsed.kind === 'html'
			? "A proxy, firewall or maintenance page answered instead of Salesforce's API: check that n8n reaches the org's instance URL directly (status.salesforce.com for maintenance), then run again."
			: "Run again; if it persists, check the request and Salesforce's status (status.salesforce.com).");
	return failed(code, what, `${problem}${httpStatus ? ` (HTTP ${httpStatus})` : ''}`, fix, {
		httpStatus,
		retry: byStatus?.retry,
	});
}

/**
 * No answer at all: the connection failed or timed out. `reason` is Node's error code (ECONNRESET …);
 * `instance` the instance URL the request went to (the session's), named so a stale one shows.
 */
export function explainNoAnswer(
	what: string,
	reason: string | undefined,
	instance?: string,
): SalesforceRestError {
	const timedOut = reason !== undefined && /TIMEDOUT|ECONNABORTED|timeout/i.test(reason);
	const at = instance ? ` at ${instance}` : '';
	return failed(
		'NETWORK',
		what,
		timedOut
			? `Salesforce${at} did not answer in time`
			: `Salesforce's REST API${at} could not be reached`,
		`${reason ? `The connection failed with ${reason.replace(/^E/, 'error E')}. ` : ''}Check that n8n can reach the org's instance URL${instance ? ` (${instance}, from the credential's session)` : ''} (proxy, firewall, DNS), and Salesforce's status (status.salesforce.com); then run again.`,
	);
}

/** The caller stopped the request (its abort signal) before Salesforce's answer was read. */
export function explainCancelled(what: string): SalesforceRestError {
	return new SalesforceRestError(
		'CANCELLED',
		`${capitalise(what)} was cancelled.`,
		"It was stopped before Salesforce's answer arrived; nothing more was sent for it.",
	);
}

/** Short text of a record's errors, as in a collection answer: "REQUIRED_FIELD_MISSING: Required fields are missing: [Name]". */
export function recordErrorsText(errors: readonly RecordError[]): string {
	if (errors.length === 0) return 'no reason given';
	return errors
		.map((error) => {
			const fields =
				error.fields.length > 0 && !error.message.includes(error.fields[0])
					? ` (${error.fields.join(', ')})`
					: '';
			return `${error.statusCode}: ${safeSalesforceText(error.message)}${fields}`;
		})
		.join('; ');
}

/**
 * A record's errors in a collection answer (or its batch's failure, spread over its records) as
 * one error: what failed, Salesforce's words, and the fix for the first real error.
 */
export function explainRecordErrors(
	errors: readonly RecordError[],
	/** What was being done, e.g. describeWrite('create', 'Account', 1): "creating an Account record". */
	what = 'writing the record',
	/** The node parameters the record came from: the explanation names the one to change. */
	parameters: RequestParameters = {},
): SalesforceRestError {
	const first =
		errors.find((error) => error.statusCode !== 'ALL_OR_NONE_OPERATION_ROLLED_BACK') ?? errors[0];
	const code = first?.statusCode || 'ERROR';
	const fields = [...new Set(errors.flatMap((error) => error.fields))];
	const explanation = explainCode(code, first?.message ?? '', fields, undefined, parameters);
	const position = first ? queryPosition(first.message) : undefined;
	const text = position
		? `${code}: row ${position.row}, column ${position.column}: ${position.reason}`
		: recordErrorsText(errors);
	return failed(
		code,
		what,
		`${explanation.problem ? `${explanation.problem} — ` : ''}${text.replace(/\.$/, '')}`,
		explanation.fix,
		{
			fields,
			retry: explanation.retry,
			dailyLimit: explanation.dailyLimit,
		},
	);
}
