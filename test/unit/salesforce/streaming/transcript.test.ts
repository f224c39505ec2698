/**
 * Whole conversations with the Streaming API, scripted message by message: the exact requests the
 * session sends (bodies, cookies, waits) and the exact items it hands to the workflow, with what is
 * stored before each one is emitted.
 */
import {
	parseChannel,
	platformEventChannel,
	type StreamingNotice,
} from '../../../../nodes/salesforce';
import {
	ACCOUNT,
	accountChange,
	ACTIVATED,
	connectOk,
	Conversation,
	DATE,
	failed,
	handshakeOk,
	newSession,
	subscribeOk,
} from './sessionDriver';

const HANDSHAKE = {
	channel: '/meta/handshake',
	version: '1.0',
	supportedConnectionTypes: ['long-polling'],
	ext: { replay: true },
};
const cookie = (value: string) => ({
	date: DATE,
	'Set-Cookie': [`BAYEUX_BROWSER=${value}; Path=/; Secure`],
});

describe('a day of a Change Data Capture trigger ("Replay From: new")', () => {
	it('handshake → subscribe (new) → events → 403::Unknown client → handshake → resubscribe from the last delivered → an event sent twice runs once → deactivate', () => {
		const talk = new Conversation(newSession());

		// Handshake: no cookie yet; Salesforce sets BAYEUX_BROWSER.
		expect(talk.request).toEqual({
			purpose: 'handshake',
			path: '/cometd/62.0',
			body: [{ ...HANDSHAKE, id: '1' }],
			timeoutMs: 30_000,
		});
		talk.answer([handshakeOk('1')], 200, cookie('b1'));

		// First activation, nothing stored: new events only (-1). The activation mark is Salesforce's Date less 2 s.
		expect(talk.request).toEqual({
			purpose: 'subscribe',
			path: '/cometd/62.0',
			body: [
				{
					channel: '/meta/subscribe',
					id: '2',
					clientId: 'client1',
					subscription: '/data/AccountChangeEvent',
					ext: { replay: { '/data/AccountChangeEvent': -1 } },
				},
			],
			cookie: 'BAYEUX_BROWSER=b1',
			timeoutMs: 30_000,
		});
		expect(talk.session.storedReplay()).toEqual({
			channel: ACCOUNT.path,
			since: '2026-12-01T09:59:58.000Z',
		});
		talk.answer([subscribeOk('2')]);

		expect(talk.request).toEqual({
			purpose: 'connect',
			path: '/cometd/62.0',
			body: [
				{ channel: '/meta/connect', id: '3', clientId: 'client1', connectionType: 'long-polling' },
			],
			cookie: 'BAYEUX_BROWSER=b1',
			timeoutMs: 140_000,
		});
		talk.answer([connectOk('3')]);

		// The long poll returns two changes with the connect reply.
		expect(talk.message).toEqual({
			channel: '/meta/connect',
			id: '4',
			clientId: 'client1',
			connectionType: 'long-polling',
		});
		talk.answer([accountChange(101, 'Acme'), accountChange(102, 'Acme Corp'), connectOk('4')]);
		expect(talk.delayMs).toBe(0); // reconnect at once (within 40 s of events)
		expect(talk.emitAll()).toEqual([
			{
				stored: { channel: ACCOUNT.path, since: '2026-12-01T09:59:58.000Z' },
				event: {
					channel: ACCOUNT.path,
					replayId: 101,
					occurredAt: ACTIVATED + 101,
					change: {
						entityName: 'Account',
						changeType: 'UPDATE',
						recordIds: ['001000000000000101'],
					},
					item: {
						changeType: 'UPDATE',
						entityName: 'Account',
						recordIds: ['001000000000000101'],
						changedFields: ['Name'],
						commitTimestamp: '2026-12-01T10:00:00.101Z',
						commitUser: '005000000000001AAA',
						transactionKey: 't101',
						sequenceNumber: 1,
						replayId: 101,
						Name: 'Acme',
					},
				},
			},
			{
				stored: { channel: ACCOUNT.path, replayId: 101, occurredAt: '2026-12-01T10:00:00.101Z' },
				event: expect.objectContaining({
					replayId: 102,
					item: expect.objectContaining({ Name: 'Acme Corp', replayId: 102 }),
				}),
			},
		]);

		// Two hours idle: Salesforce has dropped the client.
		expect(talk.message.id).toBe('5');
		talk.answer([
			failed('/meta/connect', '5', '403::Unknown client', {
				advice: { reconnect: 'handshake', interval: 0 },
			}),
		]);
		expect(talk.delayMs).toBe(0);
		expect(talk.request).toEqual({
			purpose: 'handshake',
			path: '/cometd/62.0',
			body: [{ ...HANDSHAKE, id: '6' }],
			timeoutMs: 30_000,
		});
		talk.answer([handshakeOk('6', 'client2')], 200, cookie('b2'));

		// Resubscribed once, on the new client, from the last event delivered.
		expect(talk.request).toEqual({
			purpose: 'subscribe',
			path: '/cometd/62.0',
			body: [
				{
					channel: '/meta/subscribe',
					id: '7',
					clientId: 'client2',
					subscription: '/data/AccountChangeEvent',
					ext: { replay: { '/data/AccountChangeEvent': 102 } },
				},
			],
			cookie: 'BAYEUX_BROWSER=b2',
			timeoutMs: 30_000,
		});
		talk.answer([subscribeOk('7', ACCOUNT.path, 'client2')]);
		talk.answer([connectOk('8', 'client2')]);

		// Salesforce sends 102 again with 103: 102 is not run twice.
		talk.answer([
			accountChange(102, 'Acme Corp'),
			accountChange(103, 'Acme Inc'),
			connectOk('9', 'client2'),
		]);
		const emitted = talk.emitAll();
		expect(emitted.map(({ event }) => [event.replayId, event.item.Name])).toEqual([
			[103, 'Acme Inc'],
		]);
		expect(emitted[0].stored).toEqual({
			channel: ACCOUNT.path,
			replayId: 102,
			occurredAt: '2026-12-01T10:00:00.102Z',
		});
		expect(talk.session.storedReplay()).toEqual({
			channel: ACCOUNT.path,
			replayId: 103,
			occurredAt: '2026-12-01T10:00:00.103Z',
		});

		// Deactivation: the long poll is aborted by the node, the client disconnected.
		expect(talk.session.stop()).toEqual({
			kind: 'send',
			delayMs: 0,
			request: {
				purpose: 'disconnect',
				path: '/cometd/62.0',
				body: [{ channel: '/meta/disconnect', id: '11', clientId: 'client2' }],
				cookie: 'BAYEUX_BROWSER=b2',
				timeoutMs: 10_000,
			},
		});
		expect(talk.sent.filter((request) => request.purpose === 'subscribe')).toHaveLength(2);
	});
});

describe('n8n restarted before the first event arrived ("Replay From: new")', () => {
	it('the next activation asks for every retained event and drops those before the first activation: nothing published after it is lost', () => {
		const first = new Conversation(newSession()).connect();
		expect(first.session.queuedEvents).toBe(0);
		const stored = first.session.storedReplay(); // saved by n8n after the activation

		const talk = new Conversation(newSession({ stored }));
		talk.answer([handshakeOk('1', 'client9')], 200, { date: 'Tue, 01 Dec 2026 11:30:00 GMT' });
		expect(talk.message).toEqual({
			channel: '/meta/subscribe',
			id: '2',
			clientId: 'client9',
			subscription: ACCOUNT.path,
			ext: { replay: { [ACCOUNT.path]: -2 } },
		});
		talk.answer([subscribeOk('2', ACCOUNT.path, 'client9')]);
		talk.answer([
			accountChange(50, 'two days old', ACTIVATED - 2 * 86_400_000),
			accountChange(51, 'just before', ACTIVATED - 2_001),
			accountChange(52, 'while n8n was down', ACTIVATED + 1_800_000),
			accountChange(53, 'after the restart', ACTIVATED + 5_400_000),
			connectOk('3', 'client9'),
		]);
		expect(talk.emitAll().map(({ event }) => event.item.Name)).toEqual([
			'while n8n was down',
			'after the restart',
		]);
		expect(talk.session.storedReplay()).toEqual({
			channel: ACCOUNT.path,
			replayId: 53,
			occurredAt: '2026-12-01T11:30:00.000Z',
		});
	});
});

describe('a stored replay id Salesforce no longer holds', () => {
	it('reports the lost window, subscribes again on the same client from everything retained, and goes on', () => {
		const stored = { channel: ACCOUNT.path, replayId: 42, occurredAt: '2026-11-20T08:00:00.000Z' };
		const talk = new Conversation(newSession({ stored }));
		talk.answer([handshakeOk('1')]);
		expect(talk.message.ext).toEqual({ replay: { [ACCOUNT.path]: 42 } });
		talk.answer([
			failed(
				'/meta/subscribe',
				'2',
				'400::The replayId {42} you provided was invalid.  Please provide a valid ID, -2 to replay all events, or -1 to replay only new events.',
				{ subscription: ACCOUNT.path },
			),
		]);

		const notices: StreamingNotice[] = talk.session.takeNotices();
		expect(notices).toHaveLength(1);
		expect(notices[0].kind).toBe('windowLost');
		expect((notices[0] as { error: Error }).error.message).toMatch(
			/^Events on \/data\/AccountChangeEvent were lost: the last one delivered \(replay id 42, of 2026-11-20T08:00:00.000Z\) is older than Salesforce keeps events \(72 hours\)/,
		);

		expect(talk.request).toEqual({
			purpose: 'subscribe',
			path: '/cometd/62.0',
			body: [
				{
					channel: '/meta/subscribe',
					id: '3',
					clientId: 'client1',
					subscription: ACCOUNT.path,
					ext: { replay: { [ACCOUNT.path]: -2 } },
				},
			],
			timeoutMs: 30_000,
		});
		talk.answer([subscribeOk('3')]);
		talk.answer([accountChange(900, 'oldest retained', 0), connectOk('4')]);
		expect(talk.emitAll().map(({ event, stored: before }) => [event.replayId, before])).toEqual([
			[900, { channel: ACCOUNT.path }],
		]);
	});
});

describe('Salesforce ends the session', () => {
	it('401 on the long poll → one new session → handshake → resubscribe from the last event delivered', () => {
		const talk = new Conversation(
			newSession({ stored: { channel: ACCOUNT.path, replayId: 7 } }),
		).connect();
		talk.answer([accountChange(8, 'A'), connectOk('3')]);
		talk.emitAll();
		talk.answer([
			failed('/meta/connect', '4', '401::Authentication invalid', {
				clientId: 'client1',
				advice: { reconnect: 'none', interval: 0 },
			}),
		]);
		expect(talk.action).toEqual({ kind: 'renewSession', delayMs: 0 });

		talk.action = talk.session.sessionRenewed();
		expect(talk.message).toEqual({ ...HANDSHAKE, id: '5' });
		talk.answer([handshakeOk('5', 'client2')]);
		expect(talk.message).toEqual({
			channel: '/meta/subscribe',
			id: '6',
			clientId: 'client2',
			subscription: ACCOUNT.path,
			ext: { replay: { [ACCOUNT.path]: 8 } },
		});
	});
});

describe('the network drops in the middle of a long poll', () => {
	it('a new client (a fresh cookie), subscribed from the last event delivered — the lost answer may have carried events; backing off while it fails', () => {
		const talk = new Conversation(newSession({ stored: { channel: ACCOUNT.path, replayId: 7 } }));
		talk.answer([handshakeOk('1')], 200, cookie('b1'));
		talk.answer([subscribeOk('2')]);
		expect(talk.request).toMatchObject({ purpose: 'connect', cookie: 'BAYEUX_BROWSER=b1' });
		talk.noAnswer();
		expect(talk.request).toEqual({
			purpose: 'handshake',
			path: '/cometd/62.0',
			body: [{ ...HANDSHAKE, id: '4' }],
			timeoutMs: 30_000,
		});
		expect(talk.delayMs).toBe(0);
		talk.noAnswer();
		expect(talk.delayMs).toBe(1_000);
		talk.answer([handshakeOk('5', 'client2')], 200, cookie('b2'));
		expect(talk.request).toMatchObject({ purpose: 'subscribe', cookie: 'BAYEUX_BROWSER=b2' });
		expect(talk.message.ext).toEqual({ replay: { [ACCOUNT.path]: 7 } });
		// Subscribed anew: the old client, which the server may still hold, is told to go (with its own cookie) …
		talk.answer([subscribeOk('6', ACCOUNT.path, 'client2')]);
		expect(talk.request).toEqual({
			purpose: 'disconnect',
			path: '/cometd/62.0',
			body: [{ channel: '/meta/disconnect', id: '7', clientId: 'client1' }],
			cookie: 'BAYEUX_BROWSER=b1',
			timeoutMs: 10_000,
		});
		// … whatever it answers (here: it was already gone, and a cookie of no concern), the new one connects.
		talk.answer([failed('/meta/disconnect', '7', '403::Unknown client')], 200, cookie('other'));
		expect(talk.request).toMatchObject({
			purpose: 'connect',
			cookie: 'BAYEUX_BROWSER=b2',
			body: [{ channel: '/meta/connect', clientId: 'client2' }],
		});
	});

	it('an old client that cannot be told to go (no answer) holds nothing up', () => {
		const talk = new Conversation(newSession());
		talk.connect();
		talk.noAnswer();
		talk.connect('client2');
		expect(talk.request.purpose).toBe('disconnect');
		talk.noAnswer();
		expect(talk.request).toMatchObject({ purpose: 'connect', body: [{ clientId: 'client2' }] });
		expect(talk.delayMs).toBe(0);
	});
});

describe('other channels', () => {
	it('a Platform Event: its fields and replayId per item', () => {
		const channel = platformEventChannel('Order_Shipped__e');
		const talk = new Conversation(newSession({ channel, replayFrom: 'allRetained' }));
		talk.answer([handshakeOk('1')]);
		expect(talk.message.ext).toEqual({ replay: { '/event/Order_Shipped__e': -2 } });
		talk.answer([subscribeOk('2', channel.path)]);
		talk.answer([
			{
				channel: channel.path,
				data: {
					schema: 'x',
					payload: {
						CreatedDate: '2026-12-01T10:00:01.000Z',
						CreatedById: '005000000000001AAA',
						Order_Number__c: 'O-1',
					},
					event: { EventUuid: 'u-1', replayId: 1 },
				},
			},
			connectOk('3'),
		]);
		expect(talk.emitAll()).toEqual([
			{
				stored: { channel: channel.path },
				event: {
					channel: channel.path,
					replayId: 1,
					occurredAt: Date.parse('2026-12-01T10:00:01.000Z'),
					item: {
						CreatedDate: '2026-12-01T10:00:01.000Z',
						CreatedById: '005000000000001AAA',
						Order_Number__c: 'O-1',
						replayId: 1,
						EventUuid: 'u-1',
					},
				},
			},
		]);
	});

	it('a PushTopic channel subscribes on its path', () => {
		const talk = new Conversation(
			newSession({ channel: parseChannel('/topic/InvoiceStatementUpdates') }),
		);
		talk.answer([handshakeOk('1')]);
		expect(talk.message.subscription).toBe('/topic/InvoiceStatementUpdates');
	});
});
