import {
	describeWriteOutcome,
	explainRestError,
	itemList,
	planBatches,
	type RecordResult,
	type WriteResult,
} from '../../../../nodes/salesforce';

describe('planBatches', () => {
	it.each<[number, number, Array<[number, number]>]>([
		[0, 200, []],
		[1, 200, [[0, 1]]],
		[200, 200, [[0, 200]]],
		[
			201,
			200,
			[
				[0, 200],
				[200, 201],
			],
		],
		[
			1000,
			200,
			[
				[0, 200],
				[200, 400],
				[400, 600],
				[600, 800],
				[800, 1000],
			],
		],
		[
			5,
			2,
			[
				[0, 2],
				[2, 4],
				[4, 5],
			],
		],
		[
			3,
			1,
			[
				[0, 1],
				[1, 2],
				[2, 3],
			],
		],
	])('%i records in batches of %i', (count, size, ranges) => {
		expect(planBatches(count, size)).toEqual(
			ranges.map(([from, to], index) => ({ number: index + 1, from, to })),
		);
	});

	it.each([0, 201, -1, 1.5, Number.NaN])('refuses a batch size of %p naming Batch Size', (size) => {
		expect(() => planBatches(10, size)).toThrow(
			/^Batch Size: .* is not a whole number from 1 to 200$/,
		);
	});
});

describe('itemList', () => {
	it.each<[number[], string]>([
		[[3], 'item 3'],
		[[0, 1, 2], 'items 0–2'],
		[[5, 0, 1, 2, 9, 10], 'items 0–2, 5, 9–10'],
	])('%j → %s', (indexes, text) => {
		expect(itemList(indexes)).toBe(text);
	});
});

const ok = (id: string, batch: number): RecordResult => ({ id, success: true, errors: [], batch });
const rolledBack = (batch: number): RecordResult => ({
	success: false,
	batch,
	errors: [
		{
			statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
			message:
				'Record rolled back because not all records were valid and the request was using AllOrNone header',
			fields: [],
		},
	],
});
const missingName = (batch: number): RecordResult => ({
	success: false,
	batch,
	errors: [
		{
			statusCode: 'REQUIRED_FIELD_MISSING',
			message: 'Required fields are missing: [Name]',
			fields: ['Name'],
		},
	],
});

describe('describeWriteOutcome says what was written, what was rolled back and why, what was never sent', () => {
	it('an all-or-none batch that failed in the middle of a write', () => {
		// 7 items in batches of 2: batch 1 written, batch 2 rolled back (item 3 failed), batches 3–4 never sent.
		const results: WriteResult[] = [
			ok('001A', 1),
			ok('001B', 1),
			rolledBack(2),
			missingName(2),
			'notSent',
			'notSent',
			'notSent',
		];
		const error = describeWriteOutcome({
			operation: 'create',
			sobject: 'Account',
			batchSize: 2,
			outcomes: results.map((result, itemIndex) => ({ itemIndex, result })),
		});
		expect(error.message).toBe(
			'Creating Account records stopped at batch 2 of 4: item 3 failed (REQUIRED_FIELD_MISSING: Required fields are missing: [Name]). 2 of 7 records were written.',
		);
		expect(error.description.split('\n')).toEqual([
			'Written: items 0–1 — ids in item order: 001A, 001B.',
			'Failed in batch 2: item 3: REQUIRED_FIELD_MISSING: Required fields are missing: [Name].',
			'Rolled back with batch 2 (nothing wrong with them; all-or-none undid the whole batch): item 2.',
			'Never sent: items 4–6.',
			expect.stringMatching(/^To fix REQUIRED_FIELD_MISSING: Give these fields a value: Name/),
			expect.stringMatching(/^Then run again for the items not written only/),
		]);
		expect(error.code).toBe('REQUIRED_FIELD_MISSING');
	});

	it("uses the items' own indexes (records of a group are not always items 0…n)", () => {
		const error = describeWriteOutcome({
			operation: 'update',
			sobject: 'Contact',
			outcomes: [
				{ itemIndex: 4, result: ok('003A', 1) },
				{ itemIndex: 7, result: missingName(2) },
				{ itemIndex: 9, result: 'notSent' },
			],
		});
		expect(error.message).toBe(
			'Updating Contact records stopped at batch 2: item 7 failed (REQUIRED_FIELD_MISSING: Required fields are missing: [Name]). 1 of 3 records were written.',
		);
		expect(error.description).toMatch(/^Written: item 4 — ids in item order: 003A\./);
		expect(error.description).toMatch(/Never sent: item 9\./);
	});

	it('a batch whose request Salesforce refused as a whole', () => {
		const failure = explainRestError({
			status: 403,
			body: [{ errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'TotalRequests Limit exceeded.' }],
			what: 'deleting Account records',
		});
		const refused = (): RecordResult => ({
			success: false,
			batch: 2,
			batchError: failure,
			errors: [{ statusCode: failure.code, message: failure.message, fields: [] }],
		});
		const error = describeWriteOutcome({
			operation: 'delete',
			sobject: 'Account',
			batchSize: 1,
			outcomes: [ok('001A', 1), refused(), 'notSent'].map((result, itemIndex) => ({
				itemIndex,
				result: result as WriteResult,
			})),
		});
		expect(error.message).toBe(
			'Deleting Account records stopped at batch 2 of 3: the org has used up its daily API request limit — TotalRequests Limit exceeded (HTTP 403, REQUEST_LIMIT_EXCEEDED). 1 of 3 records were deleted.',
		);
		expect(error.description).toMatch(
			/^Deleted: item 0 — ids in item order: 001A\.\nNot deleted: item 1 — Salesforce refused the whole request for batch 2\.\nNever sent: item 2\.\nNot retried/,
		);
		expect(error.dailyLimit).toBe(true);
		expect(error.httpStatus).toBe(403);
	});

	it('nothing written', () => {
		const error = describeWriteOutcome({
			operation: 'upsert',
			sobject: 'Invoice__c',
			outcomes: [{ itemIndex: 0, result: missingName(1) }],
		});
		expect(error.message).toMatch(/^Upserting Invoice__c records failed at batch 1: item 0 failed/);
		expect(error.description).toMatch(/^Written: none\.\nFailed in batch 1: item 0: /);
		expect(error.description).toMatch(/Never sent: none\./);
	});

	it('lists at most 200 ids', () => {
		const outcomes = Array.from({ length: 250 }, (_, itemIndex) => ({
			itemIndex,
			result: ok(`001${String(itemIndex).padStart(15, '0')}`, 1) as WriteResult,
		}));
		outcomes.push({ itemIndex: 250, result: missingName(2) });
		const error = describeWriteOutcome({ operation: 'create', sobject: 'Lead', outcomes });
		expect(error.description).toMatch(
			/Written: items 0–249 — ids in item order: 001000000000000000, .*, … \(50 more\)\./,
		);
	});
});
