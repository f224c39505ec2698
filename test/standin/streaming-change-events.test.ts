import { API, closeAll, login, rest } from './restSupport';
import type { Message } from './bayeuxClient';
import { streaming } from './streamingSupport';

/**
 * Change Data Capture (Change Data Capture Developer Guide): change events raised by the
 * stand-in's own committed writes, with the header and body a CometD client receives.
 */

afterEach(closeAll);

const ALL = '/data/ChangeEvents';
const ACCOUNTS = '/data/AccountChangeEvent';
const TRANSACTION_KEY = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const header = (event: Message) => event.data.payload.ChangeEventHeader;

describe('channels', () => {
	it('offers /data/ChangeEvents and one channel per selected object (custom: <Name>__ChangeEvent), names case-sensitive', async () => {
		const { standin, client } = await streaming();
		expect(standin.changeDataCaptureEntities).toEqual(['Account', 'Invoice__c']);
		await client.handshake();
		for (const channel of [ALL, ACCOUNTS, '/data/Invoice__ChangeEvent']) {
			expect(await client.subscribe(channel, -1)).toEqual({
				channel: '/meta/subscribe',
				id: expect.any(String),
				clientId: client.clientId,
				subscription: channel,
				successful: true,
			});
		}
		for (const channel of [
			'/data/LeadChangeEvent',
			'/data/FooChangeEvent',
			'/data/accountChangeEvent',
			'/data/Invoice__cChangeEvent',
			'/topic/AccountUpdates',
			'/event/Account',
		]) {
			expect(await client.subscribe(channel, -1)).toEqual({
				channel: '/meta/subscribe',
				id: expect.any(String),
				clientId: client.clientId,
				subscription: channel,
				error: `400::The channel you requested to subscribe to does not exist {${channel}}`,
				successful: false,
			});
		}
		expect((await client.subscribe('', -1)).error).toBe('400::Channel name not specified');
		expect((await client.subscribe('data/ChangeEvents', -1)).error).toBe(
			"400::Channel subscriptions must start with a leading '/'",
		);
	});

	it('follows Setup → Change Data Capture: selecting Lead opens its channel, deselecting Account closes Account’s', async () => {
		const { standin, client } = await streaming();
		standin.selectChangeDataCaptureEntities(['Lead', 'Invoice__c']);
		expect(standin.changeDataCaptureEntities).toEqual(['Invoice__c', 'Lead']);
		await client.handshake();
		expect((await client.subscribe('/data/LeadChangeEvent', -1)).successful).toBe(true);
		expect((await client.subscribe(ACCOUNTS, -1)).error).toMatch(/does not exist/);
		standin.updateRecords('Account', [{ Id: standin.records('Account')[0].Id, Phone: '555' }]);
		expect(standin.retainedEvents(ALL)).toEqual([]);
		expect(() => standin.selectChangeDataCaptureEntities(['Nope__c'])).toThrow(
			"no object 'Nope__c'",
		);
	});

	it('refuses a single-object channel to a user without View All on it; /data/ChangeEvents leaves that object out', async () => {
		const user = {
			username: 'limited@acme.example',
			password: 'Pw-1',
			withoutEventAccess: ['Account'],
		};
		const { standin, client } = await streaming({ users: [user] });
		await client.handshake();
		expect((await client.subscribe(ACCOUNTS, -1)).error).toBe(
			'403::User not allowed to subscribe CDC without View All Data permissions',
		);
		expect((await client.subscribe(ALL, -1)).successful).toBe(true);
		await client.connect();
		standin.insertRecords('Account', [{ Name: 'Hidden' }]);
		standin.insertRecords('Invoice__c', [{ Name: 'Seen' }]);
		expect((await client.collect(1)).map((event) => header(event).entityName)).toEqual([
			'Invoice__c',
		]);
	});
});

describe('events from writes', () => {
	it('a REST create: every non-empty field, the header, changeOrigin naming the REST API and its client', async () => {
		const { standin, client, api } = await streaming();
		await client.start({ [ACCOUNTS]: -1 });
		const created = await api.call(
			'POST',
			'sobjects/Account',
			{ Name: 'Acme', Phone: '555-0100', Website: '' },
			{ 'Sforce-Call-Options': 'client=n8n-test/1.0' },
		);
		const [event] = await client.collect(1);
		const userId = standin.records('User')[0].Id;
		expect(event).toEqual({
			channel: ACCOUNTS,
			data: {
				schema: expect.stringMatching(/^[\w-]{22}$/),
				payload: {
					ChangeEventHeader: {
						entityName: 'Account',
						recordIds: [created.body.id],
						changeType: 'CREATE',
						changeOrigin: 'com/salesforce/api/rest/62.0;client=n8n-test/1.0',
						transactionKey: expect.stringMatching(TRANSACTION_KEY),
						sequenceNumber: 1,
						commitTimestamp: expect.any(Number),
						commitNumber: expect.any(Number),
						commitUser: userId,
						changedFields: [],
					},
					OwnerId: userId,
					CreatedDate: expect.stringMatching(ISO_DATETIME),
					CreatedById: userId,
					LastModifiedDate: expect.stringMatching(ISO_DATETIME),
					LastModifiedById: userId,
					Name: 'Acme',
					Phone: '555-0100',
				},
				event: { replayId: expect.any(Number) },
			},
		});
		const stored = String(
			standin.records('Account').find((row) => row.Id === created.body.id)?.CreatedDate,
		);
		expect(Date.parse(event.data.payload.CreatedDate)).toBe(
			Date.parse(stored.replace('+0000', 'Z')),
		);
	});

	it('an update: only the changed fields (null when cleared) and LastModifiedDate, listed in changedFields', async () => {
		const { standin, client, api } = await streaming();
		const [id] = standin.insertRecords('Account', [
			{ Name: 'Acme', Phone: '555', Industry: 'Banking' },
		]);
		await client.start({ [ACCOUNTS]: -1 });
		expect(
			(
				await api.call('PATCH', `sobjects/Account/${id}`, {
					Phone: null,
					Industry: 'Banking',
					Website: 'https://acme.example',
				})
			).status,
		).toBe(204);
		const [event] = await client.collect(1);
		const { ChangeEventHeader, ...body } = event.data.payload;
		expect(ChangeEventHeader).toMatchObject({
			changeType: 'UPDATE',
			recordIds: [id],
			changedFields: ['LastModifiedDate', 'Phone', 'Website'],
			changeOrigin: 'com/salesforce/api/rest/62.0',
		});
		expect(body).toEqual({
			LastModifiedDate: expect.stringMatching(ISO_DATETIME),
			Phone: null,
			Website: 'https://acme.example',
		});
	});

	it('an update by another user also carries LastModifiedById', async () => {
		const { standin, client } = await streaming({
			users: [
				{ username: 'integration@acme.example', password: 'Pw-1' },
				{ username: 'sales@acme.example', password: 'Pw-2' },
			],
		});
		const [id] = standin.insertRecords('Account', [{ Name: 'Acme' }]);
		await client.start({ [ACCOUNTS]: -1 });
		const sales = rest(standin, await login(standin, 'sales@acme.example', 'Pw-2'));
		await sales.call('PATCH', `sobjects/Account/${id}`, { Name: 'Acme Corp' });
		const [event] = await client.collect(1);
		const salesId = standin.records('User')[1].Id;
		expect(header(event)).toMatchObject({
			changedFields: ['LastModifiedDate', 'LastModifiedById', 'Name'],
			commitUser: salesId,
		});
		expect(event.data.payload.LastModifiedById).toBe(salesId);
	});

	it('a delete carries no fields; an undelete every non-empty field', async () => {
		const { standin, client, api } = await streaming();
		const [id] = standin.insertRecords('Account', [{ Name: 'Gone and back', Industry: 'Energy' }]);
		await client.start({ [ACCOUNTS]: -1 });
		expect((await api.call('DELETE', `sobjects/Account/${id}`)).status).toBe(204);
		standin.undeleteRecords('Account', [id]);
		const [deleted, undeleted] = await client.collect(2);
		expect(deleted.data.payload).toEqual({
			ChangeEventHeader: expect.objectContaining({
				changeType: 'DELETE',
				recordIds: [id],
				changedFields: [],
			}),
		});
		expect(undeleted.data.payload).toMatchObject({
			ChangeEventHeader: { changeType: 'UNDELETE', recordIds: [id], changeOrigin: '' },
			Name: 'Gone and back',
			Industry: 'Energy',
		});
		expect(undeleted.data.payload).not.toHaveProperty('IsDeleted');
		expect(() => standin.undeleteRecords('Account', [id])).toThrow('UNDELETE_FAILED');
	});

	it('nests a compound name (Contact): Name {FirstName, LastName}, changedFields Name.LastName', async () => {
		const { standin, client, api } = await streaming({
			streaming: { changeDataCaptureEntities: ['Contact'] },
		});
		await client.start({ '/data/ContactChangeEvent': -1 });
		const created = await api.call('POST', 'sobjects/Contact', {
			FirstName: 'Rose',
			LastName: 'Gonzalez',
			Birthdate: '1980-02-29',
		});
		await api.call('PATCH', `sobjects/Contact/${created.body.id}`, { LastName: 'Gonzales' });
		const [create, update] = await client.collect(2);
		expect(create.data.payload).toMatchObject({
			Name: { FirstName: 'Rose', LastName: 'Gonzalez' },
			Birthdate: '1980-02-29',
		});
		expect(create.data.payload).not.toHaveProperty('FirstName');
		expect(header(update).changedFields).toEqual(['LastModifiedDate', 'Name.LastName']);
		expect(update.data.payload).toEqual({
			ChangeEventHeader: expect.any(Object),
			LastModifiedDate: expect.any(String),
			Name: { LastName: 'Gonzales' },
		});
		expect(standin.records('Contact').length).toBeGreaterThan(0);
	});

	it('raises none for the seeded rows, and none for writes an all-or-none request rolled back', async () => {
		const { standin, api } = await streaming();
		expect(standin.retainedEvents(ALL)).toEqual([]);
		const answer = await api.call('POST', 'composite/sobjects', {
			allOrNone: true,
			records: [
				{ attributes: { type: 'Account' }, Name: 'Rolled back' },
				{ attributes: { type: 'Account' }, Phone: 'no name' },
			],
		});
		expect(answer.body.map((result: Message) => result.success)).toEqual([false, false]);
		expect(standin.retainedEvents(ALL)).toEqual([]);
		await api.call('POST', 'composite/sobjects', {
			allOrNone: false,
			records: [
				{ attributes: { type: 'Account' }, Name: 'Kept' },
				{ attributes: { type: 'Account' }, Phone: 'no name' },
			],
		});
		expect(standin.retainedEvents(ALL).map((event) => event.payload.Name)).toEqual(['Kept']);
	});
});

describe('transactions', () => {
	it('one request is one transaction: one key, sequence numbers from 1 counting unselected objects too', async () => {
		const { standin, api } = await streaming();
		await api.call('POST', 'composite/sobjects', {
			records: [
				{ attributes: { type: 'Account' }, Name: 'First' },
				{ attributes: { type: 'Lead' }, LastName: 'Not selected', Company: 'X' },
				{ attributes: { type: 'Invoice__c' }, Name: 'Third' },
			],
		});
		await api.call('POST', 'sobjects/Account', { Name: 'Next request' });
		const events = standin
			.retainedEvents(ALL)
			.map((event) => event.payload.ChangeEventHeader as Message);
		expect(events.map((event) => [event.entityName, event.sequenceNumber])).toEqual([
			['Account', 1],
			['Invoice__c', 3],
			['Account', 1],
		]);
		expect(events[0].transactionKey).toBe(events[1].transactionKey);
		expect(events[2].transactionKey).not.toBe(events[0].transactionKey);
		expect(events[2].commitNumber).toBeGreaterThan(events[0].commitNumber);
		expect(events[0].commitNumber).toBe(events[1].commitNumber);
	});

	it('merges the same change to several records of one object into one event naming them all', async () => {
		const { standin, api } = await streaming();
		const ids = standin.insertRecords('Account', [{ Name: 'A' }, { Name: 'B' }, { Name: 'C' }]);
		await api.call('PATCH', 'composite/sobjects', {
			records: ids.map((id) => ({ attributes: { type: 'Account' }, id, Industry: 'Apparel' })),
		});
		await api.call('PATCH', 'composite/sobjects', {
			records: ids
				.slice(0, 2)
				.map((id, index) => ({ attributes: { type: 'Account' }, id, Phone: `555-${index}` })),
		});
		await api.call('DELETE', `composite/sobjects?ids=${ids.join(',')}`);
		const events = standin.retainedEvents(ACCOUNTS).slice(ids.length);
		expect(
			events.map((event) => [
				(event.payload.ChangeEventHeader as Message).changeType,
				(event.payload.ChangeEventHeader as Message).recordIds,
			]),
		).toEqual([
			['UPDATE', ids],
			['UPDATE', [ids[0]]],
			['UPDATE', [ids[1]]],
			['DELETE', ids],
		]);
		expect(events[0].payload).toMatchObject({ Industry: 'Apparel' });
	});

	it('the record hooks are transactions too, from no API (changeOrigin empty)', async () => {
		const { standin } = await streaming();
		const [id] = standin.insertRecords('Invoice__c', [
			{ Name: 'INV-9', Amount__c: 10, Due_Date__c: '2026-03-31' },
		]);
		standin.updateRecords('Invoice__c', [{ Id: id, Paid__c: true }]);
		standin.deleteRecords('Invoice__c', [id]);
		const events = standin.retainedEvents('/data/Invoice__ChangeEvent');
		expect(events.map((event) => (event.payload.ChangeEventHeader as Message).changeType)).toEqual([
			'CREATE',
			'UPDATE',
			'DELETE',
		]);
		expect(
			events.every((event) => (event.payload.ChangeEventHeader as Message).changeOrigin === ''),
		).toBe(true);
		expect(events[0].payload).toMatchObject({
			Name: 'INV-9',
			Amount__c: 10,
			Due_Date__c: '2026-03-31',
			Paid__c: false,
		});
		expect(() => standin.updateRecords('Invoice__c', [{ Id: id, Amount__c: 'lots' }])).toThrow(
			'JSON_PARSER_ERROR',
		);
		expect(standin.retainedEvents('/data/Invoice__ChangeEvent')).toHaveLength(3);
	});

	it('a late-commit transaction raises its events when it commits, with its old stamps; a rolled-back one none', async () => {
		const { standin } = await streaming();
		const late = standin.beginTransaction();
		const [id] = late.insert('Account', [{ Name: 'Late' }]);
		standin.insertRecords('Account', [{ Name: 'Meanwhile' }]);
		expect(standin.retainedEvents(ACCOUNTS).map((event) => event.payload.Name)).toEqual([
			'Meanwhile',
		]);
		late.commit();
		const events = standin.retainedEvents(ACCOUNTS);
		expect(events.map((event) => event.payload.Name)).toEqual(['Meanwhile', 'Late']);
		expect(events[1].payload).toMatchObject({
			ChangeEventHeader: { recordIds: [id], changeOrigin: '' },
			CreatedDate: new Date(late.startedAt.replace('+0000', 'Z')).toISOString(),
		});
		const rolledBack = standin.beginTransaction();
		rolledBack.insert('Account', [{ Name: 'Never' }]);
		rolledBack.rollback();
		expect(standin.retainedEvents(ACCOUNTS)).toHaveLength(2);
	});

	it('a Composite request is one transaction; its all-or-none rollback raises nothing', async () => {
		const { standin, api } = await streaming();
		const account = {
			method: 'POST',
			url: `${API}/sobjects/Account`,
			referenceId: 'account',
			body: { Name: 'Composite' },
		};
		const invoice = {
			method: 'POST',
			url: `${API}/sobjects/Invoice__c`,
			referenceId: 'invoice',
			body: { Name: 'INV-C', Account__c: '@{account.id}' },
		};
		await api.call('POST', 'composite', { allOrNone: true, compositeRequest: [account, invoice] });
		const headers = standin
			.retainedEvents(ALL)
			.map((event) => event.payload.ChangeEventHeader as Message);
		expect(headers.map((header) => [header.entityName, header.sequenceNumber])).toEqual([
			['Account', 1],
			['Invoice__c', 2],
		]);
		expect(headers[0].transactionKey).toBe(headers[1].transactionKey);
		const broken = {
			method: 'POST',
			url: `${API}/sobjects/Invoice__c`,
			referenceId: 'broken',
			body: { Name: 'INV-X', Account__c: 'not-an-id' },
		};
		await api.call('POST', 'composite', { allOrNone: true, compositeRequest: [account, broken] });
		expect(standin.retainedEvents(ALL)).toHaveLength(2);
	});

	it('an automation change leaves LastModifiedDate out of the event', async () => {
		const { standin, api } = await streaming();
		const created = await api.call('POST', 'sobjects/Account', { Name: 'Automated' });
		standin.updateRecords('Account', [{ Id: created.body.id, Industry: 'Energy' }], {
			automation: true,
		});
		const update = standin.retainedEvents(ACCOUNTS)[1];
		expect(update.payload).toEqual({
			ChangeEventHeader: expect.objectContaining({
				changeType: 'UPDATE',
				changedFields: ['Industry'],
			}),
			Industry: 'Energy',
		});
	});

	it('delivers an event once per subscribed channel it matches, with the same replay id', async () => {
		const { standin, client } = await streaming();
		await client.start({ [ALL]: -1, [ACCOUNTS]: -1 });
		standin.insertRecords('Account', [{ Name: 'Twice' }]);
		const events = await client.collect(2);
		expect(events.map((event) => event.channel).sort()).toEqual([ACCOUNTS, ALL]);
		expect(events[0].data.event.replayId).toBe(events[1].data.event.replayId);
	});
});

describe('gap and overflow events', () => {
	it('raises GAP_ events with record ids and an overflow event with the empty record id, header only', async () => {
		const { standin, client } = await streaming();
		const ids = standin.records('Account').map((row) => row.Id);
		await client.start({ [ACCOUNTS]: -1, '/data/Invoice__ChangeEvent': -1 });
		standin.raiseGapEvent('Account', 'UPDATE', ids);
		standin.raiseOverflowEvent('Invoice__c');
		const [gap, overflow] = await client.collect(2);
		expect(gap.data.payload).toEqual({
			ChangeEventHeader: expect.objectContaining({
				entityName: 'Account',
				changeType: 'GAP_UPDATE',
				recordIds: ids,
				changedFields: [],
				sequenceNumber: 1,
			}),
		});
		expect(overflow.data.payload).toEqual({
			ChangeEventHeader: expect.objectContaining({
				entityName: 'Invoice__c',
				changeType: 'GAP_OVERFLOW',
				recordIds: ['000000000000000AAA'],
			}),
		});
		expect(() => standin.raiseGapEvent('Lead', 'CREATE', ['00Q000000000001AAA'])).toThrow(
			'Lead is not selected for Change Data Capture',
		);
	});
});

describe('what the API counts', () => {
	it('a change costs the write’s API request and nothing more; delivering it costs none', async () => {
		const { standin, client, api } = await streaming();
		await client.start({ [ACCOUNTS]: -1 });
		standin.resetRecords();
		await api.call('POST', 'sobjects/Account', { Name: 'Counted once' });
		const events = await client.collect(1);
		expect(events).toHaveLength(1);
		expect(standin.apiRequestCount).toBe(1);
		expect(standin.streamingCounts.deliveredEvents).toBe(1);
		expect(standin.requests.filter((request) => request.path.startsWith(API))).toHaveLength(1);
	});
});
