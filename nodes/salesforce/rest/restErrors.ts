/**
 * What Salesforce's REST API answers when it refuses a request, turned into what the user should
 * change. Salesforce's error body is an array, `[{"message":"…","errorCode":"…","fields":["…"]}]`;
 * sObject Collections report each record's errors with `statusCode` instead of `errorCode`.
 *
 * Every failure of a REST request is a `SalesforceRestError`: a message saying what is wrong
 * (Salesforce's own words included) and a description saying what to change. Messages are built
 * from Salesforce's answer only, never from the request, so they never hold the session.
 */

/** Why a failed request may be sent again: a locked record, or Salesforce (or its gateway) busy. */
export type RestRetry = 'lock' | 'unavailable';

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

	constructor(
		code: string,
		message: string,
		description: string,
		details: { httpStatus?: number; fields?: string[]; retry?: RestRetry; dailyLimit?: boolean; parameter?: string } = {},
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
	}
}

export function isSalesforceRestError(value: unknown): value is SalesforceRestError {
	return value instanceof SalesforceRestError;
}

/** A node parameter is unusable; raised before anything is sent. Worded like the credential's field errors. */
export function invalidParameter(parameter: string, problem: string, fix: string): SalesforceRestError {
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

function parseBody(body: unknown): { kind: BodyKind; errors: ParsedError[]; value?: unknown; text?: string } {
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
			fields: Array.isArray(entry.fields) ? entry.fields.filter((field): field is string => typeof field === 'string') : [],
		});
	}
	return errors.length > 0 ? { kind: 'errors', errors, value } : { kind: 'json', errors, value };
}

/** MALFORMED_QUERY (and INVALID_FIELD in a query) echo the query with a caret, then `ERROR at Row:1:Column:8` and the reason. */
function queryPosition(message: string): { row: number; column: number; reason: string } | undefined {
	const match = /ERROR at Row:\s*(\d+)\s*:?\s*Column:\s*(\d+)\s*([\s\S]*)$/i.exec(message);
	if (!match) return undefined;
	return { row: Number(match[1]), column: Number(match[2]), reason: match[3].trim() };
}

function capitalise(text: string): string {
	return text.charAt(0).toUpperCase() + text.slice(1);
}

function fieldList(fields: string[]): string {
	return fields.length > 0 ? fields.join(', ') : '';
}

// ---------------------------------------------------------------------------------------------
// What to change, per Salesforce error code

interface Explanation {
	/** What is wrong, in the package's words (Salesforce's message follows it). */
	problem?: string;
	fix: string;
	retry?: RestRetry;
	dailyLimit?: boolean;
}

const ACCESS_FIX =
	'Give the API user the rights it needs: object and field permissions on its profile or a permission set, and sharing access to the record (Setup → Users → the API user).';

function explainCode(code: string, message: string, fields: string[], status: number | undefined): Explanation {
	const named = fieldList(fields);
	switch (code) {
		case 'MALFORMED_QUERY':
		case 'MALFORMED_SEARCH':
			return {
				problem: 'the SOQL query is malformed',
				fix: 'Correct the SOQL at that position. Text values go in single quotes (Name = \'Acme\'), numbers, dates and booleans without (CloseDate = 2026-01-31, IsDeleted = false); field and object names are API names (Invoice__c).',
			};
		case 'INVALID_FIELD':
		case 'INVALID_FIELD_FOR_INSERT_UPDATE':
		case 'INVALID_FIELD_WHEN_USING_TEMPLATE':
			return {
				problem: 'a field is unknown or not accessible',
				fix: `Check the field's API name${named ? ` (${named})` : ''}: custom fields end in __c, relationship paths use the relationship name (Account.Name). A field hidden by field-level security looks the same: give the API user read (or edit) access to it on its profile or a permission set.`,
			};
		case 'INVALID_TYPE':
		case 'INVALID_SOBJECT':
			return {
				problem: 'the object is unknown or not accessible',
				fix: 'Check the object\'s API name (custom objects end in __c, e.g. Invoice__c) and that the API user\'s profile or a permission set lets it read the object.',
			};
		case 'REQUIRED_FIELD_MISSING':
			return {
				problem: 'required fields are missing',
				fix: `Give ${named ? `these fields a value: ${named}` : 'every required field a value'} (map them in Fields, or set a default in Salesforce).`,
			};
		case 'DUPLICATE_VALUE':
			return {
				problem: 'a unique field already holds this value in another record',
				fix: `Change the value${named ? ` of ${named}` : ''}, or use Upsert on that field so the existing record is updated instead.`,
			};
		case 'DUPLICATES_DETECTED':
			return {
				problem: 'a duplicate rule blocked the record',
				fix: 'The org\'s duplicate rules see an existing record like this one (Setup → Duplicate Rules): update that record instead, change the values, or ask the admin to let the API user save duplicates.',
			};
		case 'FIELD_CUSTOM_VALIDATION_EXCEPTION':
			return {
				problem: 'a validation rule of the org refused the record',
				fix: 'Change the values the rule\'s message names, or ask the org\'s admin about the rule (Setup → Object Manager → the object → Validation Rules).',
			};
		case 'FIELD_INTEGRITY_EXCEPTION':
			return {
				problem: 'a field value is not allowed',
				fix: `Check the value${named ? ` of ${named}` : ''}: a lookup must point to the right kind of record, a picklist value must exist.`,
			};
		case 'INVALID_CROSS_REFERENCE_KEY':
			return {
				problem: 'a lookup points to a record that does not exist or is of the wrong object',
				fix: `Check the Id${named ? ` in ${named}` : ''}: it must be the 15- or 18-character Id of an existing record of the object the lookup expects, visible to the API user.`,
			};
		case 'STRING_TOO_LONG':
			return {
				problem: 'a value is longer than its field allows',
				fix: `Shorten the value${named ? ` of ${named}` : ''} to the field's length (Setup → Object Manager → the object → Fields & Relationships).`,
			};
		case 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST':
		case 'INVALID_EMAIL_ADDRESS':
		case 'INVALID_TYPE_ON_FIELD_IN_RECORD':
		case 'NUMBER_OUTSIDE_VALID_RANGE':
		case 'JSON_PARSER_ERROR':
			return {
				problem: 'a field value does not fit its field',
				fix: `Check the value${named ? ` of ${named}` : ''}: its type (number, date YYYY-MM-DD, true/false), its allowed picklist values and its range.`,
			};
		case 'MALFORMED_ID':
		case 'INVALID_ID_FIELD':
			return {
				problem: 'a record Id is not valid',
				fix: 'Use the record\'s 15- or 18-character Id (it starts with the object\'s 3-character prefix, e.g. 001 for Account).',
			};
		case 'NOT_FOUND':
			return {
				problem: 'not found',
				fix: 'Check the record Id and the object (the Id must belong to that object), or for API Request the Path.',
			};
		case 'ENTITY_IS_DELETED':
			return {
				problem: 'the record is deleted',
				fix: 'The record is in the Recycle Bin: restore it in Salesforce, or use the Id of a record that exists.',
			};
		case 'INSUFFICIENT_ACCESS_OR_READONLY':
		case 'INSUFFICIENT_ACCESS':
		case 'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY':
		case 'CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY':
			return { problem: 'the API user lacks the rights for this', fix: ACCESS_FIX };
		case 'API_DISABLED_FOR_ORG':
			return {
				problem: 'the org has no REST API access',
				fix: 'The org\'s edition does not include API access (e.g. Professional Edition without the API add-on): use an org with API access, or ask Salesforce to enable it.',
			};
		case 'API_CURRENTLY_DISABLED':
		case 'API_DISABLED_FOR_USER':
			return {
				problem: 'the API user may not use the API',
				fix: 'Give the API user the "API Enabled" permission (its profile or a permission set).',
			};
		case 'REQUEST_LIMIT_EXCEEDED':
			if (/concurrent/i.test(message)) {
				return {
					problem: 'too many long-running requests of the org run at once',
					fix: 'Salesforce allows only a few requests of 20 seconds or more at a time (5 on Developer Edition). Run again in a moment, run fewer such workflows in parallel, or make the queries faster (selective filters).',
					retry: 'unavailable',
				};
			}
			return {
				problem: 'the org has used up its daily API request limit',
				fix: 'Not retried: every request counts against the same rolling 24-hour limit. Wait until usage drops (Setup → Company Information shows API Requests, Last 24 Hours), spend fewer requests (a larger Batch Size), or ask Salesforce for a higher limit.',
				dailyLimit: true,
			};
		case 'UNABLE_TO_LOCK_ROW':
			return {
				problem: 'the record is locked by another update',
				fix: 'Already retried twice. Run again later; when many items update the same parent records, a smaller Batch Size makes lock conflicts rarer.',
				retry: 'lock',
			};
		case 'SERVER_UNAVAILABLE':
			return {
				problem: 'Salesforce is unavailable',
				fix: 'Already retried twice. Salesforce may be in maintenance (status.salesforce.com); run again later.',
				retry: 'unavailable',
			};
		case 'QUERY_TIMEOUT':
			return {
				problem: 'the query ran for too long',
				fix: 'Make the query selective: filter on indexed fields (Id, Name, external ids, lookups, CreatedDate, SystemModstamp), select fewer fields, or add a LIMIT.',
			};
		case 'INVALID_QUERY_LOCATOR':
			return {
				problem: 'the query\'s cursor is gone',
				fix: 'Salesforce keeps a query\'s next pages for two days at most: run the query again.',
			};
		case 'INVALID_SESSION_ID':
			if (/not valid for use with the REST API/i.test(message)) {
				return {
					problem: 'the session is not valid for the REST API',
					fix: 'The API user\'s profile or the connected app requires High Assurance sessions (Setup → Session Settings, or the profile\'s Session Security Level Required at Login). Logging in again never fixes this; relax that requirement for the integration user.',
				};
			}
			return {
				problem: 'Salesforce rejected the session, even after logging in again',
				fix: 'Check the API user has "API Enabled" on its profile, and that the connected app\'s OAuth scopes include "api"; then press Test in the credential.',
			};
		case 'ALL_OR_NONE_OPERATION_ROLLED_BACK':
			return { problem: 'rolled back with the rest of its batch', fix: 'Nothing is wrong with this record: another record of its batch failed, and all-or-none undid the batch.' };
		default:
			return explainStatus(status ?? httpStatusOf(code)) ?? {
				fix: `Salesforce's message says what it refused${code ? ` (error code ${code} in the REST API Developer Guide's status codes)` : ''}.`,
			};
	}
}

/** HTTP_404 (the package's code for an answer without a Salesforce error code) → 404. */
function httpStatusOf(code: string): number | undefined {
	const match = /^HTTP_(\d{3})$/.exec(code);
	return match ? Number(match[1]) : undefined;
}

function explainStatus(status: number | undefined): Explanation | undefined {
	switch (status) {
		case 300:
			return {
				problem: 'the external id value matches more than one record',
				fix: 'Upsert needs a value that matches at most one record: make the external id field unique (Setup → Object Manager → the field → "Unique"), clean up the duplicates, or update by record Id.',
			};
		case 401:
			return explainCode('INVALID_SESSION_ID', '', [], undefined);
		case 403:
			return { problem: 'access denied', fix: ACCESS_FIX };
		case 404:
			return explainCode('NOT_FOUND', '', [], undefined);
		case 405:
			return { problem: 'the HTTP method is not allowed on this resource', fix: 'Choose the Method this resource takes (GET reads, POST creates, PATCH updates, DELETE deletes), or check the Path.' };
		case 410:
			return { problem: 'this API version is retired', fix: 'Use a supported API version in the Path (e.g. /services/data/v62.0/…), or leave the version out: relative paths use v62.0.' };
		case 414:
		case 431:
			return {
				problem: 'the request line or headers are too long',
				fix: 'Salesforce takes at most 16,384 bytes of URL and headers: shorten the SOQL (fewer fields or conditions), or send a long query in a Composite request body with API Request.',
			};
		case 415:
			return { problem: 'Salesforce does not accept the body\'s format', fix: 'Send a JSON body (Content-Type application/json), or no body for GET and DELETE.' };
		case 500:
			return { problem: 'Salesforce had an internal error', fix: 'Run again; if it keeps failing, Salesforce\'s message (or its error id) is what Salesforce support asks for.' };
		case 502:
		case 503:
		case 504:
			return {
				problem: 'Salesforce is unavailable',
				fix: 'Already retried twice. Salesforce may be in maintenance (status.salesforce.com), or a proxy between n8n and Salesforce failed; run again later.',
				retry: status === 503 ? 'unavailable' : undefined,
			};
		default:
			return undefined;
	}
}

export interface RestFailure {
	/** HTTP status; 0 or undefined when no answer came. */
	status?: number;
	/** The answer's body, raw text or parsed JSON. */
	body?: unknown;
	/** What was being done, lower case: "creating Account records", "running the SOQL query". */
	what: string;
}

/** Salesforce's refusal of a request, as what is wrong (message) and what to change (description). */
export function explainRestError({ status, body, what }: RestFailure): SalesforceRestError {
	const httpStatus = status && status > 0 ? status : undefined;
	const parsed = parseBody(body);
	const lead = capitalise(what);

	if (parsed.kind === 'errors') {
		const first = parsed.errors[0];
		const code = first.code || (httpStatus ? `HTTP_${httpStatus}` : 'ERROR');
		const fields = [...new Set(parsed.errors.flatMap((error) => error.fields))];
		const explanation = explainCode(first.code, first.message, fields, httpStatus);
		const texts = [...new Set(parsed.errors.map((error) => error.message).filter((text) => text !== ''))];
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
		return new SalesforceRestError(code, `${lead} failed: ${detail} (${statusNote}${code}).`, explanation.fix, {
			httpStatus,
			fields,
			retry: explanation.retry ?? (httpStatus === 503 ? 'unavailable' : undefined),
			dailyLimit: explanation.dailyLimit,
		});
	}

	if (httpStatus === 300) {
		const matches = Array.isArray(parsed.value) ? parsed.value.length : undefined;
		const explanation = explainStatus(300) as Explanation;
		return new SalesforceRestError(
			'MULTIPLE_CHOICES',
			`${lead} failed: ${explanation.problem}${matches ? ` (${matches} records)` : ''} (HTTP 300).`,
			explanation.fix,
			{ httpStatus },
		);
	}

	const byStatus = explainStatus(httpStatus);
	const code = httpStatus ? `HTTP_${httpStatus}` : 'BAD_RESPONSE';
	let answer: string;
	if (parsed.kind === 'html') {
		const title = /<title[^>]*>([^<]*)<\/title>/i.exec(parsed.text ?? '')?.[1];
		answer = `Salesforce answered with a web page instead of JSON${title ? ` ("${safeSalesforceText(title)}")` : ''}`;
	} else if (parsed.kind === 'text') {
		answer = `Salesforce answered with text that is not JSON: "${safeSalesforceText(parsed.text ?? '').slice(0, 200)}"`;
	} else {
		answer = byStatus?.problem ?? 'Salesforce\'s answer held no error';
	}
	const problem = parsed.kind === 'html' || parsed.kind === 'text' ? `${answer}${byStatus?.problem ? ` — ${byStatus.problem}` : ''}` : answer;
	const fix =
		byStatus?.fix ??
		(parsed.kind === 'html'
			? 'A proxy, firewall or maintenance page answered instead of Salesforce\'s API: check that n8n reaches the org\'s instance URL directly (status.salesforce.com for maintenance), then run again.'
			: 'Run again; if it persists, check the request in API Request and Salesforce\'s status (status.salesforce.com).');
	return new SalesforceRestError(code, `${lead} failed: ${problem}${httpStatus ? ` (HTTP ${httpStatus})` : ''}.`, fix, {
		httpStatus,
		retry: byStatus?.retry,
	});
}

/** No answer at all: the connection failed or timed out. `reason` is Node's error code (ECONNRESET …). */
export function explainNoAnswer(what: string, reason: string | undefined): SalesforceRestError {
	const timedOut = reason !== undefined && /TIMEDOUT|ECONNABORTED|timeout/i.test(reason);
	return new SalesforceRestError(
		'NETWORK',
		`${capitalise(what)} failed: ${timedOut ? 'Salesforce did not answer in time' : 'Salesforce\'s REST API could not be reached'}.`,
		`${reason ? `The connection failed with ${reason.replace(/^E/, 'error E')}. ` : ''}Check that n8n can reach the org's instance URL (proxy, firewall, DNS), and Salesforce's status (status.salesforce.com); then run again.`,
	);
}

/** Short text of a record's errors, as in a collection answer: "REQUIRED_FIELD_MISSING: Required fields are missing: [Name]". */
export function recordErrorsText(errors: readonly RecordError[]): string {
	if (errors.length === 0) return 'no reason given';
	return errors
		.map((error) => {
			const fields = error.fields.length > 0 && !error.message.includes(error.fields[0]) ? ` (${error.fields.join(', ')})` : '';
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
): SalesforceRestError {
	const first = errors.find((error) => error.statusCode !== 'ALL_OR_NONE_OPERATION_ROLLED_BACK') ?? errors[0];
	const code = first?.statusCode || 'ERROR';
	const fields = [...new Set(errors.flatMap((error) => error.fields))];
	const explanation = explainCode(code, first?.message ?? '', fields, undefined);
	const position = first ? queryPosition(first.message) : undefined;
	const text = position ? `${code}: row ${position.row}, column ${position.column}: ${position.reason}` : recordErrorsText(errors);
	return new SalesforceRestError(code, `${capitalise(what)} failed: ${explanation.problem ? `${explanation.problem} — ` : ''}${text.replace(/\.$/, '')}.`, explanation.fix, {
		fields,
		retry: explanation.retry,
		dailyLimit: explanation.dailyLimit,
	});
}

/** `Sforce-Limit-Info: api-usage=10018/100000`: the org's API requests in the last 24 h, and its limit. */
export function parseLimitInfo(header: string | string[] | undefined): { used: number; max: number } | undefined {
	const text = Array.isArray(header) ? header.join(',') : header;
	if (typeof text !== 'string') return undefined;
	const match = /(?:^|[\s,;])api-usage=(\d+)\/(\d+)/.exec(text);
	if (!match) return undefined;
	return { used: Number(match[1]), max: Number(match[2]) };
}
