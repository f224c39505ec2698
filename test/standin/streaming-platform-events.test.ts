import { closeAll } from './restSupport';
import type { Message } from './bayeuxClient';
import { streaming } from './streamingSupport';

/**
 * Platform events (Platform Events Developer Guide): Order_Shipped__e in describe, published by
 * inserting it through the REST API (one API request) or Collections, delivered on its channel.
 */

afterEach(closeAll);

const CHANNEL = '/event/Order_Shipped__e';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('the platform event object', () => {
	it('is in describe global and describe: createable only, with its standard and custom fields', async () => {
		const { api } = await streaming();
		const global = await api.get('sobjects');
		const entry = (global.body.sobjects as Message[]).find(
			(object) => object.name === 'Order_Shipped__e',
		);
		expect(entry).toMatchObject({
			custom: true,
			keyPrefix: 'e00',
			createable: true,
			queryable: false,
			updateable: false,
			deletable: false,
			retrieveable: false,
			searchable: false,
			layoutable: false,
		});
		const describe = await api.get('sobjects/Order_Shipped__e/describe');
		const fields = Object.fromEntries(
			(describe.body.fields as Message[]).map((field) => [field.name, field]),
		);
		expect(Object.keys(fields)).toEqual([
			'CreatedDate',
			'CreatedById',
			'EventUuid',
			'ReplayId',
			'Order_Number__c',
			'Carrier__c',
			'Shipped_At__c',
			'Weight_Kg__c',
		]);
		expect(fields.ReplayId).toMatchObject({ type: 'string', createable: false });
		expect(fields.Order_Number__c).toMatchObject({
			nillable: false,
			createable: true,
			defaultedOnCreate: false,
		});
	});

	it('is not stored: no query, no row by id', async () => {
		const { api } = await streaming();
		const published = await api.call('POST', 'sobjects/Order_Shipped__e', {
			Order_Number__c: 'O-1',
		});
		expect((await api.query('SELECT Order_Number__c FROM Order_Shipped__e')).status).toBe(400);
		expect((await api.get(`sobjects/Order_Shipped__e/${published.body.id}`)).status).toBe(404);
	});
});

describe('publishing through the REST API', () => {
	it('answers 201 with OPERATION_ENQUEUED and the EventUuid in errors, counts one API request, and delivers the event', async () => {
		const { standin, client, api } = await streaming();
		await client.start({ [CHANNEL]: -1 });
		standin.resetRecords();
		const published = await api.call('POST', 'sobjects/Order_Shipped__e', {
			Order_Number__c: 'O-1001',
			Carrier__c: 'UPS',
			Shipped_At__c: '2026-12-04T10:00:07Z',
			Weight_Kg__c: 2.5,
		});
		expect(published.status).toBe(201);
		expect(published.body).toEqual({
			id: expect.stringMatching(/^e00\w{15}$/),
			success: true,
			errors: [
				{ statusCode: 'OPERATION_ENQUEUED', message: expect.stringMatching(UUID), fields: [] },
			],
		});
		expect(standin.apiRequestCount).toBe(1);

		const [event] = await client.collect(1);
		const userId = standin.records('User')[0].Id;
		expect(event).toEqual({
			channel: CHANNEL,
			data: {
				schema: expect.stringMatching(/^[\w-]{22}$/),
				payload: {
					CreatedDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
					CreatedById: userId,
					Order_Number__c: 'O-1001',
					Carrier__c: 'UPS',
					Shipped_At__c: '2026-12-04T10:00:07.000Z',
					Weight_Kg__c: 2.5,
				},
				event: { EventUuid: published.body.errors[0].message, replayId: expect.any(Number) },
			},
		});
		expect(standin.apiRequestCount).toBe(1);
	});

	it('refuses an event the object’s rules refuse, and publishes nothing', async () => {
		const { standin, api } = await streaming();
		const missing = await api.call('POST', 'sobjects/Order_Shipped__e', { Carrier__c: 'UPS' });
		expect(missing.status).toBe(400);
		expect(missing.body[0]).toMatchObject({
			errorCode: 'REQUIRED_FIELD_MISSING',
			fields: ['Order_Number__c'],
		});
		expect(
			(await api.call('POST', 'sobjects/Order_Shipped__e', { Order_Number__c: 'O-2', Nope__c: 1 }))
				.body[0].errorCode,
		).toBe('INVALID_FIELD');
		expect(standin.retainedEvents(CHANNEL)).toEqual([]);
	});

	it('publishes through Collections, in order, next to records, in one API request', async () => {
		const { standin, api } = await streaming();
		standin.resetRecords();
		const answer = await api.call('POST', 'composite/sobjects', {
			records: [
				{ attributes: { type: 'Order_Shipped__e' }, Order_Number__c: 'O-1' },
				{ attributes: { type: 'Account' }, Name: 'Between' },
				{ attributes: { type: 'Order_Shipped__e' }, Order_Number__c: 'O-2' },
			],
		});
		expect(answer.body).toEqual([
			{
				id: expect.stringMatching(/^e00/),
				success: true,
				errors: [expect.objectContaining({ statusCode: 'OPERATION_ENQUEUED' })],
			},
			{ id: expect.stringMatching(/^001/), success: true, errors: [] },
			{
				id: expect.stringMatching(/^e00/),
				success: true,
				errors: [expect.objectContaining({ statusCode: 'OPERATION_ENQUEUED' })],
			},
		]);
		expect(standin.apiRequestCount).toBe(1);
		const retained = standin.retainedEvents(CHANNEL);
		expect(retained.map((event) => event.payload.Order_Number__c)).toEqual(['O-1', 'O-2']);
		expect(retained.map((event) => event.eventUuid)).toEqual([
			answer.body[0].errors[0].message,
			answer.body[2].errors[0].message,
		]);
	});
});

describe('subscribing', () => {
	it('delivers EventUuid to clients of API version 52.0 and later only', async () => {
		const { standin, newClient } = await streaming();
		const old = newClient({ version: '51.0' });
		await old.start({ [CHANNEL]: -1 });
		standin.publishPlatformEvents('Order_Shipped__e', [{ Order_Number__c: 'O-51' }]);
		const [event] = await old.collect(1);
		expect(event.data.event).toEqual({ replayId: expect.any(Number) });
	});

	it('refuses a platform event the user cannot read (403::Restricted channel); an unknown one or a wrong case does not exist', async () => {
		const { client } = await streaming({
			users: [
				{
					username: 'limited@acme.example',
					password: 'Pw-1',
					withoutEventAccess: ['Order_Shipped__e'],
				},
			],
		});
		await client.handshake();
		expect(await client.subscribe(CHANNEL, -1)).toMatchObject({
			successful: false,
			subscription: CHANNEL,
			error: '403::Restricted channel',
		});
		for (const channel of ['/event/Order_Cancelled__e', '/event/order_shipped__e']) {
			expect((await client.subscribe(channel, -1)).error).toBe(
				`400::The channel you requested to subscribe to does not exist {${channel}}`,
			);
		}
	});

	it('publishPlatformEvents (the hook) checks the fields like the API and says where each event landed', async () => {
		const { standin } = await streaming();
		const published = standin.publishPlatformEvents('Order_Shipped__e', [
			{ Order_Number__c: 'A' },
			{ Order_Number__c: 'B' },
		]);
		expect(published).toEqual([
			{ replayId: expect.any(Number), eventUuid: expect.stringMatching(UUID) },
			{ replayId: expect.any(Number), eventUuid: expect.stringMatching(UUID) },
		]);
		expect(published[1].replayId).toBeGreaterThan(published[0].replayId);
		expect(() =>
			standin.publishPlatformEvents('Order_Shipped__e', [{ Carrier__c: 'no number' }]),
		).toThrow('REQUIRED_FIELD_MISSING');
		expect(() => standin.publishPlatformEvents('Account', [{ Name: 'x' }])).toThrow(
			"no platform event 'Account'",
		);
		expect(standin.apiRequestCount).toBe(0);
	});
});
