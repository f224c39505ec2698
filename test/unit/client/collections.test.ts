/**
 * Batched writes through the connection: against the stand-in through n8n-core (batches, all-or-none,
 * refused batches, the daily limit, bad input), and with scripted answers for what only they can
 * reach (records Salesforce could not lock inside a 200 Collections answer).
 */
import type { IExecuteFunctions, INode } from 'n8n-workflow';
import { connect, writeRecords } from '../../../nodes/client';
import { forgetAllSessions } from '../../../nodes/client/liveSessions';
import {
	describeWriteOutcome,
	type RecordResult,
	type WriteResult,
} from '../../../nodes/salesforce';
import { useStandin } from '../../support/fixtures';
import { runProbe } from '../../support/transportProbe';
import { accounts, failureOf } from './support';

const standin = useStandin();

const node: INode = {
	id: '1',
	name: 'Salesforce',
	type: 'n8n-nodes-salesforce-integration.salesforceAction',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

beforeEach(() => forgetAllSessions());

describe('writeRecords', () => {
	it('creates 450 records in 3 requests, one result per record in order', async () => {
		const sf = standin();
		sf.resetRecords();
		const { result } = await runProbe(sf, async function (this: IExecuteFunctions) {
			return await writeRecords(connect(this), {
				operation: 'create',
				sobject: 'Account',
				records: accounts(450),
				batchSize: 200,
				allOrNone: true,
				stopAfterFailedBatch: true,
			});
		});
		expect(result).toHaveLength(450);
		expect(
			result.every(
				(entry) => entry !== 'notSent' && entry.success && /^001\w{15}$/.test(entry.id ?? ''),
			),
		).toBe(true);
		expect(sf.apiRequestCount).toBe(3);
		const saved = new Map(sf.records('Account').map((row) => [row.Id, row.Name]));
		(result as RecordResult[]).forEach((entry, index) =>
			expect(saved.get(entry.id as string)).toBe(`Account ${index}`),
		);
		const first = sf.requests.find((request) => request.path.endsWith('/composite/sobjects'));
		const sent = JSON.parse(first?.rawBody ?? '{}');
		expect(sent.allOrNone).toBe(true);
		expect(sent.records).toHaveLength(200);
		expect(sent.records[0]).toEqual({ attributes: { type: 'Account' }, Name: 'Account 0' });
	});

	it('all-or-none: stops after the first failing batch; the outcome names what was written, rolled back and never sent', async () => {
		const sf = standin();
		const records = accounts(5);
		delete records[3].Name;
		const { result } = await runProbe(sf, async function (this: IExecuteFunctions) {
			return await writeRecords(connect(this), {
				operation: 'create',
				sobject: 'Account',
				records,
				batchSize: 2,
				allOrNone: true,
				stopAfterFailedBatch: true,
			});
		});
		expect(result[0]).toMatchObject({ success: true, batch: 1 });
		expect(result[1]).toMatchObject({ success: true, batch: 1 });
		expect(result[2]).toMatchObject({
			success: false,
			batch: 2,
			errors: [{ statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK' }],
		});
		expect(result[3]).toMatchObject({
			success: false,
			batch: 2,
			errors: [{ statusCode: 'REQUIRED_FIELD_MISSING', fields: ['Name'] }],
		});
		expect(result[4]).toBe('notSent');
		expect(
			sf.records('Account').filter((row) => String(row.Name).startsWith('Account ')),
		).toHaveLength(2);

		const error = describeWriteOutcome({
			operation: 'create',
			sobject: 'Account',
			batchSize: 2,
			outcomes: result.map((entry, itemIndex) => ({ itemIndex, result: entry })),
		});
		expect(error.message).toMatch(
			/^Creating Account records stopped at batch 2 of 3: item 3 failed \(REQUIRED_FIELD_MISSING: /,
		);
		expect(error.description).toMatch(
			/Written: items 0–1 — ids in item order: 001\w{15}, 001\w{15}\./,
		);
		expect(error.description).toMatch(/Rolled back with batch 2 .*: item 2\./);
		expect(error.description).toMatch(/Never sent: item 4\./);
	});

	it('continue-on-fail style: every record its own result, every batch sent', async () => {
		const sf = standin();
		sf.resetRecords();
		const records = accounts(5);
		records[1].Name = '';
		const { result } = await runProbe(sf, async function (this: IExecuteFunctions) {
			return await writeRecords(connect(this), {
				operation: 'create',
				sobject: 'Account',
				records,
				batchSize: 2,
				allOrNone: false,
				stopAfterFailedBatch: false,
			});
		});
		expect(result.map((entry) => (entry as RecordResult).success)).toEqual([
			true,
			false,
			true,
			true,
			true,
		]);
		expect(sf.apiRequestCount).toBe(3);
		expect(
			sf.requests
				.filter((request) => request.path.endsWith('/composite/sobjects'))
				.map((request) => JSON.parse(request.rawBody).allOrNone),
		).toEqual([false, false, false]);
	});

	it('updates, upserts on an external id, and deletes', async () => {
		const sf = standin();
		const ids = sf.insertRecords('Account', accounts(2));
		const { result } = await runProbe(sf, async function (this: IExecuteFunctions) {
			const update = await writeRecords(connect(this), {
				operation: 'update',
				sobject: 'Account',
				records: ids.map((Id) => ({ Id, Phone: '555' })),
				allOrNone: true,
				stopAfterFailedBatch: true,
			});
			const upsert = await writeRecords(connect(this), {
				operation: 'upsert',
				sobject: 'Invoice__c',
				externalIdField: 'Invoice_Number__c',
				records: [
					{ Invoice_Number__c: 'INV-NEW-1', Amount__c: 10 },
					{ Invoice_Number__c: 'INV-NEW-1', Amount__c: 20 },
				].slice(0, 1),
				allOrNone: true,
				stopAfterFailedBatch: true,
			});
			const again = await writeRecords(connect(this), {
				operation: 'upsert',
				sobject: 'Invoice__c',
				externalIdField: 'Invoice_Number__c',
				records: [{ Invoice_Number__c: 'INV-NEW-1', Amount__c: 20 }],
				allOrNone: true,
				stopAfterFailedBatch: true,
			});
			const removed = await writeRecords(connect(this), {
				operation: 'delete',
				sobject: 'Account',
				records: [ids[0], { Id: ids[1] }],
				allOrNone: false,
				stopAfterFailedBatch: false,
			});
			return { update, upsert, again, removed };
		});
		expect(result.update.every((entry) => (entry as RecordResult).success)).toBe(true);
		expect(result.upsert[0]).toMatchObject({ success: true, created: true });
		expect(result.again[0]).toMatchObject({
			success: true,
			created: false,
			id: (result.upsert[0] as RecordResult).id,
		});
		expect(result.removed.map((entry) => (entry as RecordResult).success)).toEqual([true, true]);
		const rows = sf.records('Account').filter((row) => ids.includes(row.Id));
		expect(rows.every((row) => row.IsDeleted && row.Phone === '555')).toBe(true);
		expect(
			sf.records('Invoice__c').find((row) => row.Invoice_Number__c === 'INV-NEW-1')?.Amount__c,
		).toBe(20);
		const paths = sf.requests
			.filter((request) => request.path.includes('/composite/'))
			.map((request) => `${request.method} ${request.path}`);
		expect(paths).toEqual([
			'PATCH /services/data/v62.0/composite/sobjects',
			'PATCH /services/data/v62.0/composite/sobjects/Invoice__c/Invoice_Number__c',
			'PATCH /services/data/v62.0/composite/sobjects/Invoice__c/Invoice_Number__c',
			'DELETE /services/data/v62.0/composite/sobjects',
		]);
	});

	it('a batch refused as a whole: its records carry the error; with stop, the rest is not sent', async () => {
		const sf = standin();
		sf.setRestFault(
			{
				kind: 'error',
				status: 400,
				errorCode: 'INVALID_FIELD',
				message: "No such column 'Nope__c' on sobject of type Account",
			},
			{ path: /composite/, times: 1 },
		);
		sf.resetRecords();
		const { result } = await runProbe(sf, async function (this: IExecuteFunctions) {
			return await writeRecords(connect(this), {
				operation: 'create',
				sobject: 'Account',
				records: accounts(3),
				batchSize: 1,
				allOrNone: true,
				stopAfterFailedBatch: true,
			});
		});
		expect(result[0]).toMatchObject({
			success: false,
			batch: 1,
			errors: [{ statusCode: 'INVALID_FIELD' }],
		});
		expect((result[0] as RecordResult).batchError?.description).toMatch(/field-level security/);
		expect(result.slice(1)).toEqual(['notSent', 'notSent']);
		expect(sf.apiRequestCount).toBe(1);
	});

	it('the daily limit in continue-on-fail style: one refused request, the rest answered without sending', async () => {
		const sf = standin();
		sf.setApiUsage({ used: 15000 });
		sf.resetRecords();
		const { result } = await runProbe(sf, async function (this: IExecuteFunctions) {
			return await writeRecords(connect(this), {
				operation: 'create',
				sobject: 'Account',
				records: accounts(3),
				batchSize: 1,
				allOrNone: false,
				stopAfterFailedBatch: false,
			});
		});
		expect(
			result.every((entry) => entry !== 'notSent' && entry.batchError?.dailyLimit === true),
		).toBe(true);
		expect(
			sf.requests.filter((request) => request.path.startsWith('/services/data/')),
		).toHaveLength(1);
	});

	it('refuses bad input before any request', async () => {
		const sf = standin();
		const attempts: Array<[string, (this: IExecuteFunctions) => Promise<WriteResult[]>, RegExp]> = [
			[
				'object',
				async function (this: IExecuteFunctions) {
					return await writeRecords(connect(this), {
						operation: 'create',
						sobject: 'Account; x',
						records: [{}],
						allOrNone: true,
						stopAfterFailedBatch: true,
					});
				},
				/^Object: /,
			],
			[
				'batch size',
				async function (this: IExecuteFunctions) {
					return await writeRecords(connect(this), {
						operation: 'create',
						sobject: 'Account',
						records: [{}],
						batchSize: 201,
						allOrNone: true,
						stopAfterFailedBatch: true,
					});
				},
				/^Batch Size: /,
			],
			[
				'record id',
				async function (this: IExecuteFunctions) {
					return await writeRecords(connect(this), {
						operation: 'update',
						sobject: 'Account',
						records: [{ Name: 'x' }],
						allOrNone: true,
						stopAfterFailedBatch: true,
					});
				},
				/^Record ID: is empty/,
			],
			[
				'external id',
				async function (this: IExecuteFunctions) {
					return await writeRecords(connect(this), {
						operation: 'upsert',
						sobject: 'Invoice__c',
						externalIdField: 'Invoice_Number__c',
						records: [{ Amount__c: 1 }],
						allOrNone: true,
						stopAfterFailedBatch: true,
					});
				},
				/^External ID Field: record 1 of the write has no value for Invoice_Number__c/,
			],
			[
				'delete id',
				async function (this: IExecuteFunctions) {
					return await writeRecords(connect(this), {
						operation: 'delete',
						sobject: 'Account',
						records: ["001' OR"],
						allOrNone: true,
						stopAfterFailedBatch: true,
					});
				},
				/^Record ID: /,
			],
		];
		for (const [, body, message] of attempts) {
			const error = await failureOf(runProbe(sf, body));
			expect(error.message).toMatch(message);
		}
		expect(sf.requests).toHaveLength(0);
	});
});

describe('writeRecords and records Salesforce could not lock', () => {
	const locked = {
		success: false,
		errors: [
			{
				statusCode: 'UNABLE_TO_LOCK_ROW',
				message: 'unable to obtain exclusive access to this record',
				fields: [],
			},
		],
	};
	const rolledBack = {
		success: false,
		errors: [
			{ statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK', message: 'rolled back', fields: [] },
		],
	};

	function scripted(answers: unknown[]): {
		context: IExecuteFunctions;
		sent: Array<{ records: Array<Record<string, unknown>> }>;
	} {
		const sent: Array<{ records: Array<Record<string, unknown>> }> = [];
		const context = {
			getNode: () => node,
			getCredentials: async () => ({}),
			helpers: {
				httpRequestWithAuthentication: async (
					_type: string,
					options: { body?: { records: Array<Record<string, unknown>> } },
				) => {
					sent.push(structuredClone(options.body as { records: Array<Record<string, unknown>> }));
					return { statusCode: 200, headers: {}, body: answers.shift() };
				},
			},
		} as unknown as IExecuteFunctions;
		return { context, sent };
	}

	it('each record on its own: sends only the locked records again', async () => {
		const { context, sent } = scripted([
			[
				{ id: '001A', success: true, errors: [] },
				locked,
				{ id: '001C', success: true, errors: [] },
			],
			[{ id: '001B', success: true, errors: [] }],
		]);
		const results = await writeRecords(connect(context), {
			operation: 'create',
			sobject: 'Account',
			records: [{ Name: 'a' }, { Name: 'b' }, { Name: 'c' }],
			allOrNone: false,
			stopAfterFailedBatch: false,
		});
		expect((results as RecordResult[]).map((result) => result.id)).toEqual([
			'001A',
			'001B',
			'001C',
		]);
		expect(sent.map((body) => body.records.map((record) => record.Name))).toEqual([
			['a', 'b', 'c'],
			['b'],
		]);
	});

	it('all-or-none: sends the whole batch again, at most twice', async () => {
		const { context, sent } = scripted([
			[rolledBack, locked],
			[rolledBack, locked],
			[rolledBack, locked],
		]);
		const results = await writeRecords(connect(context), {
			operation: 'update',
			sobject: 'Account',
			records: [
				{ Id: '001000000000001AAA', Name: 'a' },
				{ Id: '001000000000002AAA', Name: 'b' },
			],
			allOrNone: true,
			stopAfterFailedBatch: true,
		});
		expect(sent).toHaveLength(3);
		expect(sent[0].records[0]).toEqual({
			attributes: { type: 'Account' },
			id: '001000000000001AAA',
			Name: 'a',
		});
		expect((results[1] as RecordResult).errors[0].statusCode).toBe('UNABLE_TO_LOCK_ROW');
	});
});
