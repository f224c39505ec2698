/** sObject Collections in the core: records shaped per operation, the request of each, the answer read back. */
import {
	collectionRequest,
	isLocked,
	prepareRecords,
	readCollectionResults,
	readRecordErrors,
	refusedBatch,
	SalesforceRestError,
	type RecordResult,
	type WriteOperation,
} from '../../../../nodes/salesforce';

const ID1 = '001000000000001AAA';
const ID2 = '001000000000002AAA';

describe('prepareRecords shapes each record as its operation wants it', () => {
	it.each<[WriteOperation, Array<Record<string, unknown> | string>, unknown[]]>([
		[
			'create',
			[{ Name: 'Acme', attributes: { type: 'Account', url: '/x' } }],
			[{ attributes: { type: 'Account' }, Name: 'Acme' }],
		],
		[
			'update',
			[
				{ Id: ID1, Phone: '1' },
				{ id: ID2, Phone: '2' },
			],
			[
				{ attributes: { type: 'Account' }, id: ID1, Phone: '1' },
				{ attributes: { type: 'Account' }, id: ID2, Phone: '2' },
			],
		],
		[
			'upsert',
			[{ ext__c: 'E-1', Name: 'Acme' }],
			[{ attributes: { type: 'Account' }, ext__c: 'E-1', Name: 'Acme' }],
		],
		['delete', [ID1, { Id: ID2 }, { ID: ` ${ID1} ` }], [ID1, ID2, ID1]],
	])('%s', (operation, records, prepared) => {
		expect(prepareRecords({ operation, records }, 'Account', 'Ext__c')).toEqual(prepared);
	});

	it.each<[WriteOperation, Array<Record<string, unknown> | string>, RegExp]>([
		['create', ['not a record'], /^Fields: record 1 of the write is not an object$/],
		['update', [{ Name: 'no id' }], /^Record ID: is empty$/],
		['update', [{ Id: "001' OR" }], /^Record ID: "001' OR" is not a Salesforce record Id/],
		[
			'upsert',
			[{ Ext__c: 'E-1' }, { Ext__c: '' }],
			/^External ID Field: record 2 of the write has no value for Ext__c$/,
		],
		['delete', [{ Name: 'no id' }], /^Record ID: is empty$/],
	])('%s refuses %j before anything is sent', (operation, records, message) => {
		expect(() => prepareRecords({ operation, records }, 'Account', 'Ext__c')).toThrow(message);
	});
});

describe('collectionRequest', () => {
	const records = [{ attributes: { type: 'Account' }, Name: 'Acme' }];
	it.each<[WriteOperation, unknown]>([
		['create', { method: 'POST', path: 'composite/sobjects', body: { allOrNone: true, records } }],
		['update', { method: 'PATCH', path: 'composite/sobjects', body: { allOrNone: true, records } }],
		[
			'upsert',
			{
				method: 'PATCH',
				path: 'composite/sobjects/Invoice__c/Invoice_Number__c',
				body: { allOrNone: true, records },
			},
		],
	])('%s', (operation, request) => {
		expect(collectionRequest(operation, 'Invoice__c', 'Invoice_Number__c', records, true)).toEqual(
			request,
		);
	});

	it('delete: the ids in the query string, no body', () => {
		expect(collectionRequest('delete', 'Account', undefined, [ID1, ID2], false)).toEqual({
			method: 'DELETE',
			path: 'composite/sobjects',
			qs: { ids: `${ID1},${ID2}`, allOrNone: 'false' },
		});
	});
});

describe('reading the answer', () => {
	it('one result per record, in order, with id, created and errors', () => {
		const body = [
			{ id: ID1, success: true, created: true, errors: [] },
			{
				success: false,
				errors: [
					{
						statusCode: 'REQUIRED_FIELD_MISSING',
						message: 'Required fields are missing: [Name]',
						fields: ['Name'],
					},
				],
			},
			null,
		];
		expect(readCollectionResults(body, 3, 2, 'creating Account records')).toEqual([
			{ id: ID1, success: true, created: true, errors: [], batch: 2 },
			{
				success: false,
				errors: [
					{
						statusCode: 'REQUIRED_FIELD_MISSING',
						message: 'Required fields are missing: [Name]',
						fields: ['Name'],
					},
				],
				batch: 2,
			},
			{ success: false, errors: [], batch: 2 },
		]);
	});

	it.each([[[{ success: true }]], [{ success: true }], ['']])(
		'an answer without one result per record (%j) is a failure saying so',
		(body) => {
			const failure = readCollectionResults(body, 2, 3, 'creating Account records');
			expect(failure).toBeInstanceOf(SalesforceRestError);
			expect((failure as SalesforceRestError).message).toBe(
				'Creating Account records failed: Salesforce answered batch 3 without one result per record.',
			);
		},
	);

	it.each<[unknown, unknown[]]>([
		[
			[{ statusCode: 'X', message: 'm', fields: ['A', 1] }],
			[{ statusCode: 'X', message: 'm', fields: ['A'] }],
		],
		[[{ errorCode: 'Y' }], [{ statusCode: 'Y', message: '', fields: [] }]],
		[[{}], [{ statusCode: 'UNKNOWN', message: '', fields: [] }]],
		[[null, 'x'], []],
		['not a list', []],
	])('record errors %j', (value, errors) => {
		expect(readRecordErrors(value)).toEqual(errors);
	});

	it('a locked record is one that failed with UNABLE_TO_LOCK_ROW', () => {
		const locked: RecordResult = {
			success: false,
			errors: [{ statusCode: 'UNABLE_TO_LOCK_ROW', message: '', fields: [] }],
		};
		expect(isLocked(locked)).toBe(true);
		expect(isLocked({ ...locked, success: true })).toBe(false);
		expect(
			isLocked({
				success: false,
				errors: [{ statusCode: 'DUPLICATE_VALUE', message: '', fields: [] }],
			}),
		).toBe(false);
	});

	it("a batch refused as a whole gives each record the request's error", () => {
		const failure = new SalesforceRestError(
			'INVALID_FIELD',
			'Creating Account records failed: …',
			'Check the field.',
			{ fields: ['Nope__c'] },
		);
		expect(refusedBatch(failure, 2, 4)).toEqual(
			Array(2).fill({
				success: false,
				batch: 4,
				batchError: failure,
				errors: [{ statusCode: 'INVALID_FIELD', message: failure.message, fields: ['Nope__c'] }],
			}),
		);
	});
});
