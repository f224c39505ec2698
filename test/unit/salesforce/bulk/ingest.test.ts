import {
	columnPositions,
	csvValueOf,
	ingestCells,
	ingestColumns,
	ingestJobRequest,
	nextPollDelay,
	parseBulkError,
	ResultMatcher,
	resultLayout,
	uploadedCells,
} from '../../../../nodes/salesforce';

describe("an upload's columns and cells", () => {
	it('every field any record sets, first seen first, one column per field whatever its case; parents as Parent.Field', () => {
		const records = [
			{ Name: 'A', attributes: { type: 'Account' } },
			{ name: 'B', Phone: '1' },
			{ Account: { External_Id__c: 'x' }, Skipped: undefined },
		];
		expect(ingestColumns(records)).toEqual(['Name', 'Phone', 'Account.External_Id__c']);
	});

	it.each<[unknown, string]>([
		['text', 'text'],
		['', '#N/A'],
		[null, '#N/A'],
		[true, 'true'],
		[false, 'false'],
		[12.5, '12.5'],
		[0, '0'],
		[1e21, '1000000000000000000000'],
		[new Date('2026-01-31T09:30:00Z'), '2026-01-31T09:30:00.000Z'],
	])(
		'%p → %j (null and empty clear the field; a field not set stays empty: unchanged)',
		(value, text) => {
			expect(csvValueOf(value, 'Field')).toBe(text);
		},
	);

	it.each([[['a']], [{ a: 1 }], [Number.NaN], [Number.POSITIVE_INFINITY]])(
		'refuses %p naming the field',
		(value) => {
			expect(() => csvValueOf(value, 'Amount__c')).toThrow(/^Fields: "Amount__c" /);
		},
	);

	it('cells follow the columns; fields a record does not set are empty', () => {
		const columns = ['Name', 'Phone', 'Account.External_Id__c'];
		expect(
			ingestCells(
				{ phone: null, Account: { External_Id__c: 'E-1' } },
				columns,
				columnPositions(columns),
			),
		).toEqual(['', '#N/A', 'E-1']);
	});

	it.each<[Parameters<typeof ingestJobRequest>, Record<string, string>]>([
		[
			['create', 'Account'],
			{
				object: 'Account',
				operation: 'insert',
				contentType: 'CSV',
				columnDelimiter: 'COMMA',
				lineEnding: 'LF',
			},
		],
		[
			['upsert', 'Invoice__c', 'Invoice_Number__c'],
			{
				object: 'Invoice__c',
				operation: 'upsert',
				externalIdFieldName: 'Invoice_Number__c',
				contentType: 'CSV',
				columnDelimiter: 'COMMA',
				lineEnding: 'LF',
			},
		],
		[
			['delete', 'Lead'],
			{
				object: 'Lead',
				operation: 'delete',
				contentType: 'CSV',
				columnDelimiter: 'COMMA',
				lineEnding: 'LF',
			},
		],
	])('job for %j', (args, body) => {
		expect(ingestJobRequest(...args)).toEqual(body);
	});
});

describe('status polls back off', () => {
	it('1 s, doubling, never more than 30 s apart', () => {
		const delays: number[] = [];
		let delay: number | undefined;
		for (let poll = 0; poll < 8; poll++) delays.push((delay = nextPollDelay(delay)));
		expect(delays).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
	});
});

describe('results matched to input rows by content', () => {
	it('each result takes its own row; identical rows are interchangeable; an unknown row matches nothing', () => {
		const matcher = new ResultMatcher();
		matcher.add(0, ['A', '1']);
		matcher.add(1, ['B', '2']);
		matcher.add(2, ['A', '1']);
		expect(matcher.take(['B', '2'])).toBe(1);
		expect(matcher.take(['A', '1'])).toBe(0);
		expect(matcher.take(['A', '1'])).toBe(2);
		expect(matcher.take(['A', '1'])).toBeUndefined();
		expect(matcher.take(['C', '3'])).toBeUndefined();
		expect(matcher.unmatched).toBe(0);
	});

	it('cells never run together: ["ab", ""] is not ["a", "b"]', () => {
		const matcher = new ResultMatcher();
		matcher.add(0, ['ab', '']);
		expect(matcher.take(['a', 'b'])).toBeUndefined();
		expect(matcher.take(['ab', ''])).toBe(0);
	});

	it('finds the uploaded columns in a result header, whatever their order and case', () => {
		const layout = resultLayout(
			['sf__Id', 'sf__Created', 'PHONE', 'Name'],
			['Name', 'Phone', 'Missing'],
			'sf__Created',
		);
		expect(layout).toEqual({ id: 0, outcome: 1, inputs: [3, 2, -1] });
		expect(uploadedCells(['001', 'true', '555', 'Acme'], layout)).toEqual(['Acme', '555', '']);
	});

	it.each<[string, { statusCode: string; message: string; fields: string[] }]>([
		[
			'REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --',
			{
				statusCode: 'REQUIRED_FIELD_MISSING',
				message: 'Required fields are missing: [Name]',
				fields: ['Name'],
			},
		],
		[
			'DUPLICATE_VALUE:duplicate value found: Invoice_Number__c duplicates value on record with id: a00:--',
			{
				statusCode: 'DUPLICATE_VALUE',
				message: 'duplicate value found: Invoice_Number__c duplicates value on record with id: a00',
				fields: [],
			},
		],
		[
			'FIELD_CUSTOM_VALIDATION_EXCEPTION:Amount too high:Amount__c Name --',
			{
				statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
				message: 'Amount too high',
				fields: ['Amount__c', 'Name'],
			},
		],
		[
			"INVALID_FIELD:Failed to deserialize field at col 2. Due to, 'x' is not a valid value for the type xsd:double:Amount__c --",
			{
				statusCode: 'INVALID_FIELD',
				message:
					"Failed to deserialize field at col 2. Due to, 'x' is not a valid value for the type xsd:double",
				fields: ['Amount__c'],
			},
		],
		['UNKNOWN', { statusCode: 'UNKNOWN', message: 'UNKNOWN', fields: [] }],
	])('sf__Error %j', (text, error) => {
		expect(parseBulkError(text)).toEqual(error);
	});
});
