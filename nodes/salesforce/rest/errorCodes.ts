/**
 * What to change, per Salesforce REST error code (and per HTTP status where Salesforce gives no
 * code): the fact sheet's error table as one switch, so adding a code is one case. Where the request
 * was built from node parameters, the explanation names the one to change (RequestParameters): a
 * missing record on Update is the Record ID's fault, on API Request the Path's.
 */
/** Why a failed request may be sent again: a locked record, or Salesforce (or its gateway) busy. */
export type RestRetry = 'lock' | 'unavailable';

function fieldList(fields: string[]): string {
	return fields.length > 0 ? fields.join(', ') : '';
}

export interface Explanation {
	/** What is wrong, in the package's words (Salesforce's message follows it). */
	problem?: string;
	fix: string;
	retry?: RestRetry;
	dailyLimit?: boolean;
}

/**
 * The node parameters a request was built from, as the editor labels them ("Record ID", "Fields"…),
 * so an error names the one to change for the operation that ran. A parameter the operation does
 * not have is left out.
 */
export interface RequestParameters {
	/** Names the record by its Id (Get, Update, Delete). */
	recordId?: string;
	/** Names the object (the Record operations). */
	object?: string;
	/** Holds the field names read or the field values written. */
	fields?: string;
	/** Holds the values a built query compares (Get Many). */
	conditions?: string;
	/** The external ID field records are matched on (Create or Update). */
	externalIdField?: string;
	/** A SOQL query as typed (Run SOQL). */
	query?: string;
	/** A REST path as typed (API Request), and its body. */
	path?: string;
	body?: string;
}

/** "Fields", "Fields or Conditions", "SOQL Query": where the named fields come from. */
function fieldSource(parameters: RequestParameters): string | undefined {
	if (parameters.query) return parameters.query;
	const sources = [
		parameters.fields,
		parameters.conditions,
		parameters.path && parameters.body
			? `${parameters.path} or ${parameters.body}`
			: parameters.path,
	].filter((source): source is string => Boolean(source));
	return sources.length > 0 ? sources.join(' or ') : undefined;
}

/** "in Fields " / "", for problems about a field. */
function inSource(parameters: RequestParameters): string {
	const source = fieldSource(parameters);
	return source ? ` in ${source}` : '';
}

/** Salesforce named no field, or only the record's own Id: the error is about the record itself. */
function aboutTheRecord(fields: string[]): boolean {
	return fields.length === 0 || fields.every((field) => field.toLowerCase() === 'id');
}

const ACCESS_FIX =
	'Give the API user the rights it needs: object and field permissions on its profile or a permission set, and sharing access to the record (Setup → Users → the API user).';

export function explainCode(
	code: string,
	message: string,
	fields: string[],
	status: number | undefined,
	parameters: RequestParameters = {},
): Explanation {
	const named = fieldList(fields);
	switch (code) {
		case 'MALFORMED_QUERY':
		case 'MALFORMED_SEARCH':
			return {
				problem: 'the SOQL query is malformed',
				fix: `${parameters.query ? `Correct ${parameters.query}` : parameters.conditions ? `Check ${fieldSource(parameters)}` : 'Correct the SOQL'} at that position. Text values go in single quotes (Name = 'Acme'), numbers, dates and booleans without (CloseDate = 2026-01-31, IsDeleted = false); field and object names are API names (Invoice__c).`,
			};
		case 'INVALID_FIELD':
		case 'INVALID_FIELD_FOR_INSERT_UPDATE':
		case 'INVALID_FIELD_WHEN_USING_TEMPLATE':
			return {
				problem: `a field${inSource(parameters)} is unknown or not accessible`,
				fix: `Check the field's API name${named ? ` (${named})` : ''}${inSource(parameters)}: custom fields end in __c, relationship paths use the relationship name (Account.Name). A field hidden by field-level security looks the same: give the API user read (or edit) access to it on its profile or a permission set.`,
			};
		case 'INVALID_TYPE':
		case 'INVALID_SOBJECT':
			return {
				problem: parameters.object
					? `${parameters.object} is unknown or not accessible`
					: `the object${parameters.query ? ` in ${parameters.query}` : ''} is unknown or not accessible`,
				fix: `Check the object's API name${(parameters.object ?? parameters.query ?? parameters.path) ? ` in ${parameters.object ?? parameters.query ?? parameters.path}` : ''} (custom objects end in __c, e.g. Invoice__c), and that the API user's profile or a permission set lets it read the object.`,
			};
		case 'REQUIRED_FIELD_MISSING':
			return {
				problem: 'required fields are missing',
				fix: `Give ${named ? `these fields a value: ${named}` : 'every required field a value'} (${parameters.fields ? `map them in ${parameters.fields}` : 'in the request body'}, or set a default in Salesforce).`,
			};
		case 'DUPLICATE_VALUE':
			// Salesforce writes one record Id at most 12 times in one request; the node never repeats one.
			if (/duplicate updates|more than once/i.test(message)) {
				return {
					problem: 'the request names the same record more than once',
					fix: `Send each record Id once per request${parameters.body ? ` (check ${parameters.body})` : ''}: merge the changes of one record into one entry.`,
				};
			}
			return {
				problem: 'a unique field already holds this value in another record',
				fix: `Change the value${named ? ` of ${named}` : ''}${parameters.fields ? ` in ${parameters.fields}` : ''}, or use Create or Update on that field so the existing record is updated instead.`,
			};
		case 'DUPLICATES_DETECTED':
			return {
				problem: 'a duplicate rule blocked the record',
				fix: "The org's duplicate rules see an existing record like this one (Setup → Duplicate Rules): update that record instead, change the values, or ask the admin to let the API user save duplicates.",
			};
		case 'FIELD_CUSTOM_VALIDATION_EXCEPTION':
			return {
				problem: 'a validation rule of the org refused the record',
				fix: `Change the values${parameters.fields ? ` in ${parameters.fields}` : ''} the rule's message names, or ask the org's admin about the rule (Setup → Object Manager → the object → Validation Rules).`,
			};
		case 'FIELD_INTEGRITY_EXCEPTION':
			return {
				problem: 'a field value is not allowed',
				fix: `Check the value${named ? ` of ${named}` : ''}${inSource(parameters)}: a lookup must point to the right kind of record, a picklist value must exist.`,
			};
		case 'INVALID_CROSS_REFERENCE_KEY':
			// Without a field named, Salesforce means the record the request names (Update, Delete).
			if (aboutTheRecord(fields) && parameters.recordId) {
				return {
					problem: `${parameters.recordId} names no record of the Object`,
					fix: `Check ${parameters.recordId}: it must be the 15- or 18-character Id of an existing record of the chosen Object, visible to the API user (a deleted record is in the Recycle Bin).`,
				};
			}
			return {
				problem: `a lookup${inSource(parameters)} points to a record that does not exist or is of the wrong object`,
				fix: `Check the Id${named ? ` in ${named}` : ''}${fieldSource(parameters) ? `, set in ${fieldSource(parameters)}` : ''}: it must be the 15- or 18-character Id of an existing record of the object the lookup expects, visible to the API user.`,
			};
		case 'STRING_TOO_LONG':
			return {
				problem: 'a value is longer than its field allows',
				fix: `Shorten the value${named ? ` of ${named}` : ''}${inSource(parameters)} to the field's length (Setup → Object Manager → the object → Fields & Relationships).`,
			};
		case 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST':
		case 'INVALID_EMAIL_ADDRESS':
		case 'INVALID_TYPE_ON_FIELD_IN_RECORD':
		case 'NUMBER_OUTSIDE_VALID_RANGE':
		case 'JSON_PARSER_ERROR':
			return {
				problem: 'a field value does not fit its field',
				fix: `Check the value${named ? ` of ${named}` : ''}${inSource(parameters)}: its type (number, date YYYY-MM-DD, true/false), its allowed picklist values and its range.`,
			};
		case 'MALFORMED_ID':
		case 'INVALID_ID_FIELD':
			if (aboutTheRecord(fields) && parameters.recordId) {
				return {
					problem: `${parameters.recordId} is not an Id of the Object`,
					fix: `Give ${parameters.recordId} the 15- or 18-character Id of a record of the chosen Object: it starts with the object's 3-character prefix (001 for Account, 003 for Contact).`,
				};
			}
			return {
				problem: `a record Id${aboutTheRecord(fields) ? inSource(parameters) : ` in ${named}${inSource(parameters)}`} is not valid`,
				fix: "Use the record's 15- or 18-character Id (it starts with the object's 3-character prefix, e.g. 001 for Account).",
			};
		case 'NOT_FOUND':
			if (parameters.recordId) {
				return {
					problem: `${parameters.recordId} names no record of the Object`,
					fix: `Check ${parameters.recordId}: it must be the Id of an existing record of the chosen Object, visible to the API user (an Id of another object, e.g. a Contact's 003… where the Object is Account, is not found).`,
				};
			}
			if (parameters.path) {
				return {
					problem: 'not found',
					fix: `Check ${parameters.path}: Salesforce has no resource there (or no record with the Id in it, or the API user cannot see it).`,
				};
			}
			return {
				problem: 'not found',
				fix: `Check ${parameters.object ?? 'the object'} and the record Id: the record must exist, belong to that object and be visible to the API user.`,
			};
		case 'ENTITY_IS_DELETED':
			return {
				problem: parameters.recordId
					? `${parameters.recordId} names a deleted record`
					: 'the record is deleted',
				fix: `The record is in the Recycle Bin: restore it in Salesforce, or give ${parameters.recordId ?? parameters.path ?? 'the request'} the Id of a record that exists.`,
			};
		case 'INSUFFICIENT_ACCESS_OR_READONLY':
		case 'INSUFFICIENT_ACCESS':
		case 'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY':
		case 'CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY':
			return { problem: 'the API user lacks the rights for this', fix: ACCESS_FIX };
		case 'API_DISABLED_FOR_ORG':
			return {
				problem: 'the org has no REST API access',
				fix: "The org's edition does not include API access (e.g. Professional Edition without the API add-on): use an org with API access, or ask Salesforce to enable it.",
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
				problem: "the query's cursor is gone",
				fix: "Salesforce keeps a query's next pages for two days at most: run the query again.",
			};
		case 'INVALID_SESSION_ID':
			if (/not valid for use with the REST API/i.test(message)) {
				return {
					problem: 'the session is not valid for the REST API',
					fix: "The API user's profile or the connected app requires High Assurance sessions (Setup → Session Settings, or the profile's Session Security Level Required at Login). Logging in again never fixes this; relax that requirement for the integration user.",
				};
			}
			return {
				problem: 'Salesforce rejected the session, even after logging in again',
				fix: 'Check the API user has "API Enabled" on its profile, and that the connected app\'s OAuth scopes include "api"; then open the credential: n8n tests it (Retry tests it again).',
			};
		case 'ALL_OR_NONE_OPERATION_ROLLED_BACK':
			return {
				problem: 'rolled back with the rest of its batch',
				fix: 'Nothing is wrong with this record: another record of its batch failed, and all-or-none undid the batch.',
			};
		default:
			return (
				explainStatus(status ?? httpStatusOf(code), parameters) ?? {
					fix: `Salesforce's message says what it refused${code ? ` (error code ${code} in the REST API Developer Guide's status codes)` : ''}.`,
				}
			);
	}
}

/** HTTP_404 (the package's code for an answer without a Salesforce error code) → 404. */
function httpStatusOf(code: string): number | undefined {
	const match = /^HTTP_(\d{3})$/.exec(code);
	return match ? Number(match[1]) : undefined;
}

export function explainStatus(
	status: number | undefined,
	parameters: RequestParameters = {},
): Explanation | undefined {
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
			return explainCode('NOT_FOUND', '', [], undefined, parameters);
		case 405:
			return {
				problem: 'the HTTP method is not allowed on this resource',
				fix: `Choose the Method this resource takes (GET reads, POST creates, PATCH updates, DELETE deletes), or check ${parameters.path ?? 'the path'}.`,
			};
		case 410:
			return {
				problem: 'this API version is retired',
				fix: `Use a supported API version in ${parameters.path ?? 'the path'} (e.g. /services/data/v62.0/…), or leave the version out: relative paths use v62.0.`,
			};
		case 414:
		case 431:
			return {
				problem: 'the request line or headers are too long',
				fix: 'Salesforce takes at most 16,384 bytes of URL and headers: shorten the SOQL (fewer fields or conditions), or send a long query in a Composite request body with API Request.',
			};
		case 415:
			return {
				problem: "Salesforce does not accept the body's format",
				fix: 'Send a JSON body (Content-Type application/json), or no body for GET and DELETE.',
			};
		case 500:
			return {
				problem: 'Salesforce had an internal error',
				fix: "Run again; if it keeps failing, Salesforce's message (or its error id) is what Salesforce support asks for.",
			};
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
