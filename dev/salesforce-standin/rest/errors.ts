/**
 * Salesforce's REST error shapes (fact sheet §6): a request-level failure answers an ARRAY of
 * `{message, errorCode}` (record-level ones add `fields`); sObject Collections report per-record
 * failures inside a 200 as `{statusCode, message, fields}` (§4: statusCode, not errorCode).
 */

export interface ApiError {
	message: string;
	errorCode: string;
	fields?: string[];
}

/** One record's failure, as a DML call reports it. */
export interface RecordError {
	statusCode: string;
	message: string;
	fields: string[];
}

/** Thrown by handlers; the router answers `status` with `errors` as the body. */
export class RestError extends Error {
	constructor(
		readonly status: number,
		readonly errors: ApiError[],
		readonly headers: Record<string, string> = {},
	) {
		super(errors.map((error) => `${error.errorCode}: ${error.message}`).join('; '));
	}
}

export function restError(
	status: number,
	errorCode: string,
	message: string,
	fields?: string[],
): RestError {
	return new RestError(status, [{ message, errorCode, ...(fields ? { fields } : {}) }]);
}

export function recordError(
	statusCode: string,
	message: string,
	fields: string[] = [],
): RecordError {
	return { statusCode, message, fields };
}

/** A record error as a single-record endpoint answers it: 400 with `errorCode`. */
export function asApiErrors(errors: RecordError[]): ApiError[] {
	return errors.map((error) => ({
		message: error.message,
		errorCode: error.statusCode,
		fields: error.fields,
	}));
}

export const NOT_FOUND_MESSAGE = 'The requested resource does not exist';
export const NOT_FOUND = [{ errorCode: 'NOT_FOUND', message: NOT_FOUND_MESSAGE }];

export function notFound(): RestError {
	return restError(404, 'NOT_FOUND', NOT_FOUND_MESSAGE);
}

export function methodNotAllowed(method: string, allowed: string[]): RestError {
	return restError(
		405,
		'METHOD_NOT_ALLOWED',
		`HTTP Method '${method}' not allowed. Allowed are ${allowed.join(',')}`,
	);
}

/** An upsert record without its key value (Collections, Bulk API). */
export function missingKey(keyName: string): RecordError {
	return recordError('MISSING_ARGUMENT', `${keyName} not specified`, [keyName]);
}

/** Two records of one upsert request with the same key value. */
export function duplicateKey(keyName: string, value: string): RecordError {
	return recordError('DUPLICATE_EXTERNAL_ID', `Duplicate external id specified: ${value}`, [
		keyName,
	]);
}

/** An upsert key value that several rows hold. */
export function keyMatchesSeveral(keyName: string, ids: string[]): RecordError {
	return recordError(
		'DUPLICATE_EXTERNAL_ID',
		`more than one record found for external id field: [${ids.join(', ')}]`,
		[keyName],
	);
}

/** §3: a row in the Recycle Bin. */
export const ENTITY_IS_DELETED = recordError('ENTITY_IS_DELETED', 'entity is deleted');

/** §6: a row another transaction holds (retry with backoff). */
export const UNABLE_TO_LOCK_ROW = recordError(
	'UNABLE_TO_LOCK_ROW',
	'unable to obtain exclusive access to this record',
);

/** Undeleting a row that is not in the Recycle Bin (wording: third-party evidence). */
export const NOT_IN_RECYCLE_BIN = recordError(
	'UNDELETE_FAILED',
	'Entity is not in the recycle bin',
);

/** §4: what every good row of a failed all-or-none request carries. */
export const ROLLED_BACK = recordError(
	'ALL_OR_NONE_OPERATION_ROLLED_BACK',
	'Record rolled back because not all records were valid and the request was using AllOrNone header',
);
