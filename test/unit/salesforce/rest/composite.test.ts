import {
	compositeBody,
	COMPOSITE_PATH,
	querySubrequest,
	readCompositeAnswer,
	restPath,
	SalesforceRestError,
	subrequestErrorCode,
	subrequestFailure,
} from '../../../../nodes/salesforce';

describe('Composite requests', () => {
	it("paths live under the package's API version", () => {
		expect(COMPOSITE_PATH).toBe('/services/data/v62.0/composite');
		expect(restPath('limits')).toBe('/services/data/v62.0/limits');
	});

	it("a query subrequest carries its SOQL percent-encoded in the body's url (query or queryAll)", () => {
		const soql =
			"SELECT Id FROM Account WHERE Name = 'A&B+C' AND SystemModstamp >= 2026-12-04T10:00:07Z";
		const query = querySubrequest('rows', soql);
		expect(query).toEqual({
			method: 'GET',
			url: `/services/data/v62.0/query/?q=${encodeURIComponent(soql)}`,
			referenceId: 'rows',
		});
		expect(new URL(query.url, 'https://x.example').searchParams.get('q')).toBe(soql);
		expect(querySubrequest('bin', 'SELECT Id FROM Account', { all: true }).url).toMatch(
			/^\/services\/data\/v62\.0\/queryAll\/\?q=/,
		);
	});

	it("a body never asks all-or-none, and keeps Salesforce's limits (25 subrequests, 5 queries)", () => {
		const queries = Array.from({ length: 5 }, (_, index) =>
			querySubrequest(`q${index}`, 'SELECT Id FROM Account'),
		);
		expect(compositeBody(queries)).toEqual({ allOrNone: false, compositeRequest: queries });
		expect(() =>
			compositeBody([...queries, querySubrequest('q5', 'SELECT Id FROM Account')]),
		).toThrow(RangeError);
		const gets = Array.from({ length: 26 }, (_, index) => ({
			method: 'GET' as const,
			url: restPath('limits'),
			referenceId: `g${index}`,
		}));
		expect(() => compositeBody(gets)).toThrow(RangeError);
	});

	it("reads each subrequest's answer by referenceId", () => {
		const answers = readCompositeAnswer(
			{
				compositeResponse: [
					{ body: { ids: [] }, httpHeaders: {}, httpStatusCode: 200, referenceId: 'coverage' },
					{
						body: [
							{
								errorCode: 'INVALID_FIELD',
								message: "No such column 'Nmae' on entity 'Account'.",
								fields: ['Nmae'],
							},
						],
						httpHeaders: {},
						httpStatusCode: 400,
						referenceId: 'changes',
					},
				],
			},
			['coverage', 'changes'],
			'reading the changes of Account',
		);
		expect(answers.get('coverage')).toEqual({
			referenceId: 'coverage',
			status: 200,
			body: { ids: [] },
		});
		expect(subrequestFailure(answers.get('coverage')!, 'x')).toBeUndefined();
		const failure = subrequestFailure(answers.get('changes')!, 'reading the changes of Account');
		expect(failure).toBeInstanceOf(SalesforceRestError);
		expect(failure?.message).toBe(
			"Reading the changes of Account failed: a field is unknown or not accessible — No such column 'Nmae' on entity 'Account' (HTTP 400, INVALID_FIELD).",
		);
		expect(failure?.fields).toEqual(['Nmae']);
		expect(subrequestErrorCode(answers.get('changes')!)).toBe('INVALID_FIELD');
		expect(subrequestErrorCode(answers.get('coverage')!)).toBeUndefined();
	});

	it('refuses an answer that is not a Composite answer, or lacks a subrequest', () => {
		expect(() =>
			readCompositeAnswer({ records: [] }, ['a'], 'reading the changes of Account'),
		).toThrow(
			/^Reading the changes of Account failed: Salesforce's Composite answer holds no compositeResponse list\.$/,
		);
		expect(() => readCompositeAnswer('{"compositeResponse":[]}', ['a', 'b'], 'reading x')).toThrow(
			/has no answer for a, b/,
		);
	});
});
