/**
 * What to change, per Salesforce REST error code (and per HTTP status where Salesforce gives no
 * code): the fact sheet's error table as one switch, so adding a code is one case.
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

const ACCESS_FIX =
	'Give the API user the rights it needs: object and field permissions on its profile or a permission set, and sharing access to the record (Setup → Users → the API user).';

export function explainCode(code: string, message: string, fields: string[], status: number | undefined): Explanation {
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

export function explainStatus(status: number | undefined): Explanation | undefined {
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

