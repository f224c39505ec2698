import {
	describeWrite,
	explainNoAnswer,
	explainRecordErrors,
	explainRecordFailure,
	explainRestError,
	parseLimitInfo,
	recordErrorsText,
	SalesforceRestError,
	type RequestParameters,
} from '../../../../nodes/salesforce';

const body = (errorCode: string, message: string, fields: string[] = []) => [
	{ message, errorCode, fields },
];

describe('explainRestError says what is wrong and what to change', () => {
	it.each<[string, number, unknown, RegExp, RegExp, Partial<SalesforceRestError>?]>([
		[
			'MALFORMED_QUERY with its position',
			400,
			body(
				'MALFORMED_QUERY',
				'\nSELECT Nme FROM Account WHERE\n                             ^\nERROR at Row:1:Column:30\nunexpected token: <EOF>',
			),
			/^Running the SOQL query failed: the SOQL query is malformed at row 1, column 30: unexpected token: <EOF> \(HTTP 400, MALFORMED_QUERY\)\.$/,
			/single quotes/,
		],
		[
			'INVALID_FIELD with the field',
			400,
			body(
				'INVALID_FIELD',
				"\nSELECT Nme FROM Account\n       ^\nERROR at Row:1:Column:8\nNo such column 'Nme' on entity 'Account'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name.",
			),
			/a field is unknown or not accessible at row 1, column 8: No such column 'Nme' on entity 'Account'/,
			/field-level security/,
		],
		[
			'INVALID_TYPE',
			400,
			body('INVALID_TYPE', "sObject type 'Invoice' is not supported."),
			/the object is unknown or not accessible — sObject type 'Invoice' is not supported \(HTTP 400, INVALID_TYPE\)/,
			/__c/,
		],
		[
			'REQUIRED_FIELD_MISSING',
			400,
			body('REQUIRED_FIELD_MISSING', 'Required fields are missing: [Name]', ['Name']),
			/required fields are missing — Required fields are missing: \[Name\]/,
			/these fields a value: Name/,
			{ fields: ['Name'] },
		],
		[
			'DUPLICATE_VALUE',
			400,
			body(
				'DUPLICATE_VALUE',
				'duplicate value found: Ext__c duplicates value on record with id: a00…',
				['Ext__c'],
			),
			/unique field already holds this value/,
			/Create or Update on that field/,
		],
		[
			'DUPLICATES_DETECTED',
			400,
			body('DUPLICATES_DETECTED', 'Use one of these records?'),
			/duplicate rule blocked/,
			/Duplicate Rules/,
		],
		[
			"FIELD_CUSTOM_VALIDATION_EXCEPTION shows the rule's message",
			400,
			body('FIELD_CUSTOM_VALIDATION_EXCEPTION', 'Amount must be positive'),
			/validation rule of the org refused the record — Amount must be positive/,
			/Validation Rules/,
		],
		[
			'INVALID_CROSS_REFERENCE_KEY',
			400,
			body('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', ['AccountId']),
			/lookup points to a record that does not exist/,
			/Id in AccountId/,
		],
		[
			'STRING_TOO_LONG',
			400,
			body('STRING_TOO_LONG', 'Name: data value too large', ['Name']),
			/longer than its field allows/,
			/Shorten the value of Name/,
		],
		[
			'NOT_FOUND',
			404,
			body('NOT_FOUND', 'The requested resource does not exist'),
			/not found — The requested resource does not exist \(HTTP 404, NOT_FOUND\)/,
			/record Id/,
		],
		[
			'ENTITY_IS_DELETED',
			404,
			body('ENTITY_IS_DELETED', 'entity is deleted'),
			/the record is deleted/,
			/Recycle Bin/,
		],
		[
			'INSUFFICIENT_ACCESS_OR_READONLY',
			400,
			body('INSUFFICIENT_ACCESS_OR_READONLY', 'insufficient access rights on object id'),
			/lacks the rights/,
			/permission set/,
		],
		[
			'INSUFFICIENT_ACCESS (403)',
			403,
			body('INSUFFICIENT_ACCESS', 'no access'),
			/lacks the rights/,
			/permission set/,
		],
		[
			'API_DISABLED_FOR_ORG',
			403,
			body('API_DISABLED_FOR_ORG', 'The REST API is not enabled for this Organization.'),
			/no REST API access — The REST API is not enabled for this Organization \(HTTP 403/,
			/edition/,
		],
		[
			'QUERY_TIMEOUT',
			400,
			body('QUERY_TIMEOUT', 'Your query request was running for too long.'),
			/ran for too long/,
			/selective/,
		],
		[
			'INVALID_QUERY_LOCATOR',
			400,
			body('INVALID_QUERY_LOCATOR', 'invalid query locator'),
			/cursor is gone/,
			/run the query again/,
		],
		[
			'an unknown code',
			400,
			body('SOMETHING_NEW', 'Whatever happened'),
			/failed: Whatever happened \(HTTP 400, SOMETHING_NEW\)/,
			/SOMETHING_NEW/,
		],
	])('%s', (_name, status, answer, message, description, extra = {}) => {
		const error = explainRestError({ status, body: answer, what: 'running the SOQL query' });
		expect(error).toBeInstanceOf(SalesforceRestError);
		expect(error.message).toMatch(message);
		expect(error.description).toMatch(description);
		expect(error.httpStatus).toBe(status);
		expect(error.retry).toBeUndefined();
		expect(error).toMatchObject(extra);
	});

	it('reads a body that is still text', () => {
		const error = explainRestError({
			status: 400,
			body: JSON.stringify(body('INVALID_TYPE', 'nope')),
			what: 'getting Account records',
		});
		expect(error.code).toBe('INVALID_TYPE');
		expect(error.message).toMatch(/^Getting Account records failed: /);
	});

	it('the daily limit: never retried, and says so and where to look', () => {
		const error = explainRestError({
			status: 403,
			body: body('REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'),
			what: 'creating Account records',
		});
		expect(error.message).toBe(
			'Creating Account records failed: the org has used up its daily API request limit — TotalRequests Limit exceeded (HTTP 403, REQUEST_LIMIT_EXCEEDED).',
		);
		expect(error.description).toMatch(/^Not retried/);
		expect(error.description).toMatch(/Setup → Company Information/);
		expect(error.dailyLimit).toBe(true);
		expect(error.retry).toBeUndefined();
	});

	it('the concurrent limit: retried', () => {
		const error = explainRestError({
			status: 403,
			body: body(
				'REQUEST_LIMIT_EXCEEDED',
				'ConcurrentRequests (Concurrent API Requests) Limit exceeded.',
			),
			what: 'x',
		});
		expect(error.dailyLimit).toBeUndefined();
		expect(error.retry).toBe('unavailable');
		expect(error.message).toMatch(/long-running requests/);
	});

	it.each<[string, number, unknown, string | undefined]>([
		[
			'UNABLE_TO_LOCK_ROW',
			400,
			body('UNABLE_TO_LOCK_ROW', 'unable to obtain exclusive access to this record'),
			'lock',
		],
		[
			'SERVER_UNAVAILABLE',
			503,
			body('SERVER_UNAVAILABLE', 'Server temporarily unavailable'),
			'unavailable',
		],
		['a bare 503', 503, '', 'unavailable'],
		[
			'a 503 maintenance page',
			503,
			'<html><head><title>Maintenance</title></head></html>',
			'unavailable',
		],
		['a 502', 502, '<html>Bad gateway</html>', undefined],
		[
			'a 500',
			500,
			body('UNKNOWN_EXCEPTION', 'An unexpected error occurred. Please include this ErrorId: 123'),
			undefined,
		],
	])('%s → retry %s', (_name, status, answer, retry) => {
		expect(explainRestError({ status, body: answer, what: 'x' }).retry).toBe(retry);
	});

	it.each<[number, unknown, RegExp, RegExp]>([
		[
			405,
			body('METHOD_NOT_ALLOWED', "HTTP Method 'PUT' not allowed. Allowed are GET,HEAD"),
			/HTTP Method 'PUT' not allowed/,
			/Method/,
		],
		[415, '', /does not accept the body's format/, /JSON body/],
		[414, '', /too long/, /16,384/],
		[
			431,
			'<html><body>Request Header Fields Too Large</body></html>',
			/web page instead of JSON — the request line or headers are too long \(HTTP 431\)/,
			/16,384/,
		],
		[410, body('GONE', 'API version 20.0 is retired'), /retired/, /supported API version/],
		[
			300,
			['/services/data/v62.0/sobjects/Account/001A', '/services/data/v62.0/sobjects/Account/001B'],
			/matches more than one record \(2 records\) \(HTTP 300\)/,
			/unique/,
		],
		[200, 'this is not json', /text that is not JSON: "this is not json"/, /Run again/],
		[
			502,
			'<!DOCTYPE html><html><title>Bad Gateway</title></html>',
			/web page instead of JSON \("Bad Gateway"\) — Salesforce is unavailable \(HTTP 502\)/,
			/proxy/,
		],
	])('HTTP %i', (status, answer, message, description) => {
		const error = explainRestError({ status, body: answer, what: 'calling the API' });
		expect(error.message).toMatch(message);
		expect(error.description).toMatch(description);
	});

	it('a session rejected after the re-login (High Assurance) is explained, not looped', () => {
		const error = explainRestError({
			status: 401,
			body: body('INVALID_SESSION_ID', 'This session is not valid for use with the REST API'),
			what: 'x',
		});
		expect(error.description).toMatch(/High Assurance/);
	});

	it('never repeats a session id or a Bearer value, whatever answered', () => {
		const token = '00D5e000000abcd!AQ8AQKx.Y_u9nf3kX0s';
		const error = explainRestError({
			status: 400,
			body: body('WEIRD', `echo Authorization: Bearer ${token} and ${token}`),
			what: 'x',
		});
		expect(JSON.stringify({ ...error, message: error.message })).not.toContain('AQ8AQKx');
		expect(error.message).toContain('[redacted]');
		const page = explainRestError({
			status: 502,
			body: `<html><title>Bearer abc.def</title>${token}</html>`,
			what: 'x',
		});
		expect(page.message).not.toContain('abc.def');
	});

	it('keeps long Salesforce messages bounded', () => {
		const error = explainRestError({ status: 400, body: body('X', 'y'.repeat(5000)), what: 'x' });
		expect(error.message.length).toBeLessThan(800);
	});

	it('no answer: says the API could not be reached (naming the instance it tried), or did not answer in time', () => {
		expect(explainNoAnswer('running the SOQL query', 'ECONNREFUSED').message).toBe(
			"Running the SOQL query failed: Salesforce's REST API could not be reached.",
		);
		const named = explainNoAnswer(
			'running the SOQL query',
			'ECONNREFUSED',
			'http://127.0.0.1:5690',
		);
		expect(named.message).toBe(
			"Running the SOQL query failed: Salesforce's REST API at http://127.0.0.1:5690 could not be reached.",
		);
		expect(named.description).toMatch(
			/instance URL \(http:\/\/127\.0\.0\.1:5690, from the credential's session\)/,
		);
		expect(explainNoAnswer('x', 'ETIMEDOUT').message).toMatch(/did not answer in time/);
	});
});

describe('the error names the parameter to change for the operation that ran', () => {
	const get = { recordId: 'Record ID', object: 'Object', fields: 'Field Names or IDs' };
	const update = { recordId: 'Record ID', object: 'Object', fields: 'Fields' };
	const create = { object: 'Object', fields: 'Fields' };
	const soql = { query: 'SOQL Query' };
	const apiRequest = { path: 'Path', body: 'Body' };
	const missingId = body('NOT_FOUND', 'The requested resource does not exist');
	const noRecord = body('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id');
	it.each<[string, RequestParameters, number, unknown, string, string[]]>([
		[
			'Get, a missing record',
			get,
			404,
			missingId,
			'Record ID names no record of the Object',
			['Path', 'lookup'],
		],
		['API Request, a missing record', apiRequest, 404, missingId, 'Check Path', ['Record ID']],
		[
			'no parameters known, a missing record',
			{},
			404,
			missingId,
			'Check the object and the record Id',
			['Record ID', 'Path'],
		],
		[
			'Update, the record itself missing',
			update,
			400,
			noRecord,
			'Record ID names no record of the Object',
			['lookup'],
		],
		[
			'Update, a lookup to nothing',
			update,
			400,
			body('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', ['AccountId']),
			'a lookup in Fields points to a record that does not exist',
			['Record ID names'],
		],
		[
			'Update, a malformed Record ID',
			update,
			400,
			body('MALFORMED_ID', 'malformed id 001bad'),
			'Record ID is not an Id of the Object',
			['Path'],
		],
		[
			'Update, a deleted record',
			update,
			404,
			body('ENTITY_IS_DELETED', 'entity is deleted'),
			'Record ID names a deleted record',
			['Path'],
		],
		[
			'Create, an unknown field',
			create,
			400,
			body('INVALID_FIELD', "No such column 'Nmae' on sobject of type Account"),
			'a field in Fields is unknown',
			['SOQL Query', 'Path'],
		],
		[
			'Run SOQL, an unknown field',
			soql,
			400,
			body('INVALID_FIELD', "No such column 'Nmae'"),
			'a field in SOQL Query is unknown',
			['Fields', 'Path'],
		],
		[
			'Run SOQL, malformed',
			soql,
			400,
			body('MALFORMED_QUERY', 'unexpected token: FROM'),
			'Correct SOQL Query',
			['Fields'],
		],
		[
			'Get Many, an unknown object',
			{ object: 'Object', fields: 'Field Names or IDs', conditions: 'Conditions' },
			400,
			body('INVALID_TYPE', "sObject type 'Nope' is not supported."),
			'Object is unknown or not accessible',
			['SOQL Query'],
		],
		[
			'API Request, a record Id twice in one request',
			apiRequest,
			200,
			body(
				'DUPLICATE_VALUE',
				'Maximum number of duplicate updates in one batch (12 allowed). Attempt to update Id more than once in this Api call: 001A',
			),
			'the request names the same record more than once',
			['Record ID'],
		],
	])('%s', (_name, parameters, status, answer, names, notNaming) => {
		const error = explainRestError({ status, body: answer, what: 'doing it', parameters });
		const text = `${error.message}\n${error.description}`;
		expect(text).toContain(names);
		for (const other of notNaming) expect(text).not.toContain(other);
	});

	it("a record of a refused batch is told once: its own lead, the batch's detail", () => {
		const refusal = explainRestError({
			status: 400,
			body: body('INVALID_FIELD', "No such column 'Nmae'"),
			what: 'creating Account records',
			parameters: { fields: 'Fields' },
		});
		const error = explainRecordFailure(
			{
				success: false,
				batch: 1,
				batchError: refusal,
				errors: [{ statusCode: refusal.code, message: refusal.message, fields: [] }],
			},
			describeWrite('create', 'Account', 1),
			{ fields: 'Fields' },
		);
		expect(error.message).toBe(
			"Creating an Account record failed: a field in Fields is unknown or not accessible — No such column 'Nmae' (HTTP 400, INVALID_FIELD).",
		);
		expect(error.description).toBe(refusal.description);
		expect(error.httpStatus).toBe(400);
	});
});

describe('record errors of a collection answer', () => {
	const missing = {
		statusCode: 'REQUIRED_FIELD_MISSING',
		message: 'Required fields are missing: [Name]',
		fields: ['Name'],
	};
	it('reads as one error with the fix of the first real error', () => {
		const error = explainRecordErrors(
			[
				{
					statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
					message: 'Record rolled back because not all records were valid.',
					fields: [],
				},
				missing,
			],
			describeWrite('create', 'Account', 1),
		);
		expect(error.code).toBe('REQUIRED_FIELD_MISSING');
		expect(error.message).toMatch(
			/^Creating an Account record failed: required fields are missing — /,
		);
		expect(error.description).toMatch(/Name/);
		expect(error.fields).toEqual(['Name']);
	});

	it('names a rolled-back record as harmless', () => {
		const error = explainRecordErrors(
			[
				{
					statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
					message: 'Record rolled back because not all records were valid.',
					fields: [],
				},
			],
			describeWrite('update', 'Contact', 1),
		);
		expect(error.message).toMatch(/^Updating a Contact record failed: rolled back/);
		expect(error.description).toMatch(/Nothing is wrong with this record/);
	});

	it('short text', () => {
		expect(
			recordErrorsText([
				missing,
				{ statusCode: 'STRING_TOO_LONG', message: 'too long', fields: ['Phone'] },
			]),
		).toBe(
			'REQUIRED_FIELD_MISSING: Required fields are missing: [Name]; STRING_TOO_LONG: too long (Phone)',
		);
	});
});

describe('parseLimitInfo', () => {
	it.each<[string | string[] | undefined, { used: number; max: number } | undefined]>([
		['api-usage=10018/100000', { used: 10018, max: 100000 }],
		['api-usage=18/15000; per-app-api-usage=17/250(appName=sample-app)', { used: 18, max: 15000 }],
		['per-app-api-usage=17/250(appName=x), api-usage=3/15000', { used: 3, max: 15000 }],
		[['api-usage=1/2'], { used: 1, max: 2 }],
		['per-app-api-usage=17/250', undefined],
		['', undefined],
		[undefined, undefined],
	])('%j', (header, usage) => {
		expect(parseLimitInfo(header)).toEqual(usage);
	});
});
