import {
	isGapChange,
	isOverflowChange,
	planRecordFetches,
	readEvent,
	recordIdsToFetch,
	type ChangeFacts,
} from '../../../../nodes/salesforce';

/** The Change Data Capture guide's example: an account created with a BillingAddress ("Get Compound Fields in Change Events"). */
const accountCreated = {
	channel: '/data/AccountChangeEvent',
	data: {
		schema: 'Jx8Hz9ElkIUaBf-heF1ShA',
		payload: {
			ChangeEventHeader: {
				entityName: 'Account',
				recordIds: ['0015f00002JUXA8AAP'],
				changeType: 'CREATE',
				changeOrigin: 'com/salesforce/api/soap/60.0;client=SfdcInternalAPI/',
				transactionKey: '00006bec-ce66-0611-9018-30a98446c9f2',
				sequenceNumber: 1,
				commitTimestamp: 1714156685000,
				commitNumber: 1100670838951,
				commitUser: '0055f000005mc66AAA',
				changedFields: [],
			},
			Name: 'Acme',
			Type: null,
			BillingAddress: {
				Street: '415 Mission Street',
				City: 'San Francisco',
				State: 'CA',
				PostalCode: '94105',
				Country: 'United States',
				Latitude: null,
				Longitude: null,
				GeocodeAccuracy: null,
			},
			CreatedDate: '2024-04-26T18:38:05.000Z',
		},
		event: { replayId: 30071891 },
	},
};

describe('readEvent: change events (one item per event, the header flattened)', () => {
	it('a creation: header fields first, commitTimestamp as an ISO date, replayId, then the values; compound fields nested as sent', () => {
		const event = readEvent(accountCreated);
		expect(event).toEqual({
			channel: '/data/AccountChangeEvent',
			replayId: 30071891,
			occurredAt: 1714156685000,
			change: { entityName: 'Account', changeType: 'CREATE', recordIds: ['0015f00002JUXA8AAP'] },
			item: {
				changeType: 'CREATE',
				entityName: 'Account',
				recordIds: ['0015f00002JUXA8AAP'],
				changedFields: [],
				commitTimestamp: '2024-04-26T18:38:05.000Z',
				commitUser: '0055f000005mc66AAA',
				transactionKey: '00006bec-ce66-0611-9018-30a98446c9f2',
				sequenceNumber: 1,
				changeOrigin: 'com/salesforce/api/soap/60.0;client=SfdcInternalAPI/',
				commitNumber: 1100670838951,
				replayId: 30071891,
				Name: 'Acme',
				Type: null,
				BillingAddress: {
					Street: '415 Mission Street',
					City: 'San Francisco',
					State: 'CA',
					PostalCode: '94105',
					Country: 'United States',
					Latitude: null,
					Longitude: null,
					GeocodeAccuracy: null,
				},
				CreatedDate: '2024-04-26T18:38:05.000Z',
			},
		});
		expect(Object.keys((event as { item: object }).item).slice(0, 11)).toEqual([
			'changeType',
			'entityName',
			'recordIds',
			'changedFields',
			'commitTimestamp',
			'commitUser',
			'transactionKey',
			'sequenceNumber',
			'changeOrigin',
			'commitNumber',
			'replayId',
		]);
	});

	it('an update of a compound Name: changedFields names the part, the value comes nested', () => {
		const event = readEvent({
			channel: '/data/ContactChangeEvent',
			data: {
				payload: {
					ChangeEventHeader: {
						entityName: 'Contact',
						recordIds: ['003000000000001AAA'],
						changeType: 'UPDATE',
						changedFields: ['Name.LastName', 'LastModifiedDate'],
						commitTimestamp: 1790000000000,
						commitUser: '005000000000001AAA',
						transactionKey: 't1',
						sequenceNumber: 2,
					},
					Name: { LastName: 'Smith' },
					LastModifiedDate: '2026-09-21T14:13:20.000Z',
				},
				event: { replayId: 5 },
			},
		});
		expect(event).toMatchObject({
			item: {
				changedFields: ['Name.LastName', 'LastModifiedDate'],
				Name: { LastName: 'Smith' },
				LastModifiedDate: '2026-09-21T14:13:20.000Z',
				replayId: 5,
			},
		});
	});

	it('a record field can never overwrite a header field', () => {
		const event = readEvent({
			channel: '/data/X__ChangeEvent',
			data: {
				payload: {
					ChangeEventHeader: { changeType: 'UPDATE', entityName: 'X__c' },
					changeType: 'forged',
				},
				event: { replayId: 1 },
			},
		});
		expect(event).toMatchObject({ item: { changeType: 'UPDATE' } });
	});

	it.each([
		['GAP_CREATE', true, false],
		['GAP_UPDATE', true, false],
		['GAP_DELETE', true, false],
		['GAP_UNDELETE', true, false],
		['GAP_OVERFLOW', true, true],
		['UPDATE', false, false],
	])('%s: gap %p, overflow %p', (changeType, gap, overflow) => {
		expect(isGapChange(changeType)).toBe(gap);
		expect(isOverflowChange(changeType)).toBe(overflow);
	});

	it('a gap event: the header only (Salesforce sends no values)', () => {
		const event = readEvent({
			channel: '/data/AccountChangeEvent',
			data: {
				payload: {
					ChangeEventHeader: {
						entityName: 'Account',
						recordIds: ['001000000000001AAA'],
						changeType: 'GAP_UPDATE',
						changedFields: [],
						commitTimestamp: 1790000000000,
					},
				},
				event: { replayId: 9 },
			},
		});
		expect(event).toEqual({
			channel: '/data/AccountChangeEvent',
			replayId: 9,
			occurredAt: 1790000000000,
			change: {
				entityName: 'Account',
				changeType: 'GAP_UPDATE',
				recordIds: ['001000000000001AAA'],
			},
			item: {
				changeType: 'GAP_UPDATE',
				entityName: 'Account',
				recordIds: ['001000000000001AAA'],
				changedFields: [],
				commitTimestamp: '2026-09-21T14:13:20.000Z',
				replayId: 9,
			},
		});
	});
});

describe('readEvent: Platform Events, PushTopic and generic events', () => {
	it('a Platform Event: its payload, the replayId and EventUuid (Platform Events guide, "Subscribe with CometD")', () => {
		const event = readEvent({
			channel: '/event/Low_Ink__e',
			data: {
				schema: 'dffQ2QLzDNHqwB8_sHMxdA',
				payload: {
					CreatedDate: '2017-04-09T18:31:40.517Z',
					CreatedById: '005D0000001cSZs',
					Printer_Model__c: 'XZO-5',
					Serial_Number__c: '12345',
					Ink_Percentage__c: 0.2,
				},
				event: { EventUuid: '2ec0e371-1395-457f-9275-be1b527a72f7', replayId: 2 },
			},
		});
		expect(event).toEqual({
			channel: '/event/Low_Ink__e',
			replayId: 2,
			occurredAt: Date.parse('2017-04-09T18:31:40.517Z'),
			item: {
				CreatedDate: '2017-04-09T18:31:40.517Z',
				CreatedById: '005D0000001cSZs',
				Printer_Model__c: 'XZO-5',
				Serial_Number__c: '12345',
				Ink_Percentage__c: 0.2,
				replayId: 2,
				EventUuid: '2ec0e371-1395-457f-9275-be1b527a72f7',
			},
		});
	});

	it("reads Salesforce's +0000 offsets as times", () => {
		const event = readEvent({
			channel: '/event/E__e',
			data: { payload: { CreatedDate: '2017-04-09T18:31:40.000+0000' }, event: { replayId: 3 } },
		});
		expect(event).toMatchObject({ occurredAt: Date.parse('2017-04-09T18:31:40.000Z') });
	});

	it("a PushTopic event: the record, eventType and the event's createdDate", () => {
		const event = readEvent({
			channel: '/topic/InvoiceStatementUpdates',
			data: {
				event: { type: 'created', createdDate: '2016-03-29T16:40:08.208Z', replayId: 13 },
				sobject: { Id: 'a07B0000002MmNrIAK', Name: 'INV-0004' },
			},
		});
		expect(event).toEqual({
			channel: '/topic/InvoiceStatementUpdates',
			replayId: 13,
			occurredAt: Date.parse('2016-03-29T16:40:08.208Z'),
			item: {
				Id: 'a07B0000002MmNrIAK',
				Name: 'INV-0004',
				eventType: 'created',
				createdDate: '2016-03-29T16:40:08.208Z',
				replayId: 13,
			},
		});
	});

	it('a generic event: its payload text', () => {
		expect(
			readEvent({
				channel: '/u/Test',
				data: {
					event: { createdDate: '2016-03-29T19:05:28.334Z', replayId: 55 },
					payload: 'This is a message.',
				},
			}),
		).toEqual({
			channel: '/u/Test',
			replayId: 55,
			occurredAt: Date.parse('2016-03-29T19:05:28.334Z'),
			item: { payload: 'This is a message.', replayId: 55 },
		});
	});

	it.each<[string, unknown, RegExp]>([
		['no data', undefined, /carries no data/],
		['no replay id', { payload: { A: 1 } }, /has no replay id/],
		['a replay id as text', { payload: { A: 1 }, event: { replayId: '5' } }, /has no replay id/],
		[
			'a data shape it does not know',
			{ event: { replayId: 5 }, payload: 5 },
			/neither a change event, a Platform Event nor a PushTopic event/,
		],
	])('says why a message with %s is no item', (_, data, problem) => {
		expect(readEvent({ channel: '/event/E__e', data })).toEqual({
			channel: '/event/E__e',
			problem: expect.stringMatching(problem),
		});
	});
});

const change = (changeType: string, recordIds: string[], entityName = 'Account'): ChangeFacts => ({
	entityName,
	changeType,
	recordIds,
});
const ids = (count: number, prefix = '001') =>
	Array.from({ length: count }, (_, index) => `${prefix}${String(index).padStart(15, '0')}`);

describe('records to read again ("fetch full records")', () => {
	it.each<[string, string[], string[]]>([
		['CREATE', ['001000000000001AAA'], ['001000000000001AAA']],
		[
			'UPDATE',
			['001000000000001AAA', '001000000000002AAA'],
			['001000000000001AAA', '001000000000002AAA'],
		],
		['UNDELETE', ['001000000000001AAA'], ['001000000000001AAA']],
		['GAP_UPDATE', ['001000000000001AAA'], ['001000000000001AAA']],
		['DELETE', ['001000000000001AAA'], []],
		['GAP_DELETE', ['001000000000001AAA'], []],
		['GAP_OVERFLOW', [], []],
		['UPDATE', ['001*'], []],
	])('%s of %j → %j', (changeType, recordIds, expected) => {
		expect(recordIdsToFetch(change(changeType, recordIds))).toEqual(expected);
	});

	it('plans Collections reads: per object, each id once, at most 200 a request, in order', () => {
		const accounts = ids(450);
		const plan = planRecordFetches([
			change('UPDATE', accounts.slice(0, 300)),
			change('CREATE', ['a01000000000001AAA'], 'Invoice__c'),
			change('UPDATE', accounts.slice(250, 450)),
			change('DELETE', ids(5, '003'), 'Contact'),
			change('GAP_OVERFLOW', [], 'Task'),
		]);
		expect(plan.map(({ object, ids: batch }) => [object, batch.length, batch[0]])).toEqual([
			['Account', 200, accounts[0]],
			['Account', 200, accounts[200]],
			['Account', 50, accounts[400]],
			['Invoice__c', 1, 'a01000000000001AAA'],
		]);
		expect(plan.slice(0, 3).flatMap((fetch) => fetch.ids)).toEqual(accounts);
	});

	it('plans nothing when no record is left to read', () => {
		expect(planRecordFetches([change('DELETE', ids(3))])).toEqual([]);
		expect(planRecordFetches([change('UPDATE', ids(3), '')])).toEqual([]);
	});
});
