import { closeAll, login } from './restSupport';
import { connectReply, eventsOf, TestBayeuxClient } from './bayeuxClient';
import { streaming, until } from './streamingSupport';

/**
 * The CometD endpoint as the Streaming API Developer Guide describes it: handshake, subscribe,
 * long-polling connect, disconnect, the BAYEUX_BROWSER cookie, the 40 s / 110 s timeouts (short
 * here), and its errors inside HTTP 200 answers.
 */

afterEach(closeAll);

const ACCOUNTS = '/data/AccountChangeEvent';

describe('handshake', () => {
	it('answers with a clientId, long-polling, the replay extension and advice, and sets the BAYEUX_BROWSER cookie', async () => {
		const { client } = await streaming();
		const answer = await client.post({
			channel: '/meta/handshake',
			version: '1.0',
			supportedConnectionTypes: ['long-polling'],
			id: '7',
		});
		expect(answer.status).toBe(200);
		expect(answer.headers.get('content-type')).toBe('application/json;charset=UTF-8');
		expect(answer.messages).toEqual([
			{
				channel: '/meta/handshake',
				id: '7',
				ext: { replay: true, 'payload.format': true },
				minimumVersion: '1.0',
				clientId: expect.stringMatching(/^[a-z0-9]{20,}$/),
				supportedConnectionTypes: ['long-polling'],
				advice: { interval: 0, timeout: 400, reconnect: 'retry' },
				version: '1.0',
				successful: true,
			},
		]);
		const cookie = answer.headers.getSetCookie();
		expect(cookie).toEqual([
			expect.stringMatching(/^BAYEUX_BROWSER=[a-z0-9]+; Path=\/; HttpOnly$/),
		]);
	});

	it('keeps one browser id per browser: a second handshake with the cookie sets none', async () => {
		const { client } = await streaming();
		await client.handshake();
		const again = await client.post({
			channel: '/meta/handshake',
			version: '1.0',
			supportedConnectionTypes: ['long-polling'],
		});
		expect(again.messages[0].successful).toBe(true);
		expect(again.headers.getSetCookie()).toEqual([]);
	});

	it('is denied without a live session: 403::Handshake denied, the reason in ext.sfdc.failureReason, reconnect none', async () => {
		const { standin } = await streaming();
		const dead = await new TestBayeuxClient(standin, 'not-a-session').handshake();
		expect(dead).toMatchObject({
			channel: '/meta/handshake',
			successful: false,
			error: '403::Handshake denied',
			ext: { sfdc: { failureReason: '401::Authentication invalid' } },
			advice: { reconnect: 'none' },
		});
		const noHeader = await fetch(`${standin.url}/cometd/62.0`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify([
				{ channel: '/meta/handshake', version: '1.0', supportedConnectionTypes: ['long-polling'] },
			]),
		});
		expect(noHeader.status).toBe(200);
		expect(((await noHeader.json()) as unknown[])[0]).toMatchObject({
			error: '403::Handshake denied',
			ext: { sfdc: { failureReason: '401::Request requires authentication' } },
		});
	});
});

describe('the URI and the request', () => {
	it('needs an API version of 37.0 or later in the URI (HTTP 400)', async () => {
		const { client } = await streaming();
		const handshake = {
			channel: '/meta/handshake',
			version: '1.0',
			supportedConnectionTypes: ['long-polling'],
		};
		const missing = await client.post(handshake, { path: '/cometd/' });
		expect(missing.status).toBe(400);
		expect(missing.messages[0]).toMatchObject({
			channel: '/meta/handshake',
			successful: false,
			error: "400::API version in the URI is mandatory. URI format: '/cometd/68.0'",
		});
		const old = await client.post(handshake, { path: '/cometd/36.0' });
		expect(old.status).toBe(400);
		expect(old.messages[0].error).toBe(
			"400::Unsupported API version. Only API versions '37.0' and later are supported. URI format: '/cometd/68.0'",
		);
		expect((await client.post(handshake, { path: '/cometd/37.0/' })).messages[0].successful).toBe(
			true,
		);
	});

	it('refuses a body over 32,768 bytes (413), one that is not Bayeux JSON (400), and anything but POST (405)', async () => {
		const { standin, client } = await streaming();
		const big = await client.post({ channel: '/meta/handshake', padding: 'x'.repeat(33_000) });
		expect(big.status).toBe(413);
		expect(big.text).toBe('Maximum Request Size Exceeded');
		const garbage = await fetch(client.url, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: '{nope',
		});
		expect(garbage.status).toBe(400);
		expect((await fetch(`${standin.url}/cometd/62.0`)).status).toBe(405);
	});

	it('counts handshakes, subscribes and connects apart from REST API requests', async () => {
		const { standin, client } = await streaming();
		await client.start({ [ACCOUNTS]: -1 });
		await client.unsubscribe(ACCOUNTS);
		await client.disconnect();
		expect(standin.streamingCounts).toEqual({
			handshakes: 1,
			subscribes: 1,
			unsubscribes: 1,
			connects: 1,
			disconnects: 1,
			deliveredEvents: 0,
		});
		expect(standin.apiRequestCount).toBe(0);
		standin.resetRecords();
		expect(standin.streamingCounts.handshakes).toBe(0);
	});
});

describe('after the handshake', () => {
	it('needs the BAYEUX_BROWSER cookie back, and the same browser', async () => {
		const { standin, newClient } = await streaming();
		const cookieless = newClient({ keepCookies: false });
		await cookieless.handshake();
		const subscribe = await cookieless.subscribe(ACCOUNTS, -1);
		expect(subscribe).toMatchObject({
			successful: false,
			error: `400::Client ${cookieless.clientId} has established a session, but no BAYEUX_BROWSER cookie present`,
		});
		const connect = connectReply(await cookieless.connect());
		expect(connect?.error).toBe(
			`400::Client ${cookieless.clientId} has established a session, but no BAYEUX_BROWSER cookie present`,
		);

		const other = newClient();
		await other.handshake();
		cookieless.cookie = other.cookie;
		expect(connectReply(await cookieless.connect())).toMatchObject({
			successful: false,
			error: '403::Unknown client',
			advice: { reconnect: 'handshake' },
		});
		expect(standin.streamingClients().map((client) => client.clientId)).toContain(
			cookieless.clientId,
		);
	});

	it('answers an unknown client with 403::Unknown client and reconnect handshake, a missing one with "Client has not completed handshake"', async () => {
		const { client } = await streaming();
		await client.handshake();
		client.clientId = 'nosuchclient';
		expect(connectReply(await client.connect())).toEqual({
			channel: '/meta/connect',
			id: expect.any(String),
			error: '403::Unknown client',
			successful: false,
			advice: { interval: 0, reconnect: 'handshake' },
		});
		expect(
			(await client.post({ channel: '/meta/subscribe', subscription: ACCOUNTS })).messages[0].error,
		).toBe('403::Client has not completed handshake');
	});

	it('refuses another user’s session on a client: "Authenticated user id does not match the session\'s user id"', async () => {
		const { standin, client } = await streaming({
			users: [
				{ username: 'integration@acme.example', password: 'Pw-1' },
				{ username: 'other@acme.example', password: 'Pw-2' },
			],
		});
		await client.handshake();
		client.token = await login(standin, 'other@acme.example', 'Pw-2');
		expect((await client.subscribe(ACCOUNTS, -1)).error).toBe(
			"400::Authenticated user id does not match the session's user id",
		);
	});

	it('refuses a connection type other than long-polling', async () => {
		const { client } = await streaming();
		await client.handshake();
		const [reply] = (
			await client.post({
				channel: '/meta/connect',
				clientId: client.clientId,
				connectionType: 'websocket',
			})
		).messages;
		expect(reply).toMatchObject({
			successful: false,
			error: '400::Invalid connection type {websocket}',
		});
	});

	it('lets no client publish', async () => {
		const { client } = await streaming();
		await client.handshake();
		const [reply] = (
			await client.post({
				channel: '/event/Order_Shipped__e',
				clientId: client.clientId,
				data: { Order_Number__c: '1' },
			})
		).messages;
		expect(reply).toMatchObject({
			channel: '/event/Order_Shipped__e',
			successful: false,
			error: '403::Publish denied',
		});
	});
});

describe('long polling', () => {
	it('answers the first connect at once (CometD hands over its advice), holds the next', async () => {
		const { standin, client } = await streaming({ streaming: { longPollTimeoutMs: 60_000 } });
		await client.handshake();
		await client.subscribe(ACCOUNTS, -1);
		const first = await client.post(
			{ channel: '/meta/connect', clientId: client.clientId, connectionType: 'long-polling' },
			{ signal: AbortSignal.timeout(5_000) },
		);
		expect(first.messages).toEqual([
			{
				channel: '/meta/connect',
				id: expect.any(String),
				clientId: client.clientId,
				successful: true,
				advice: { interval: 0, timeout: 60_000, reconnect: 'retry' },
			},
		]);
		const held = client.connect();
		await until(
			() => standin.streamingClients()[0]?.connectHeld === true,
			'the second connect is held',
		);
		await client.disconnect();
		await held;
	});

	it('answers a held connect at the long-poll timeout, successful, with advice', async () => {
		const { standin, client } = await streaming();
		await client.start({ [ACCOUNTS]: -1 });
		expect(await client.connect()).toEqual([
			{
				channel: '/meta/connect',
				id: expect.any(String),
				clientId: client.clientId,
				successful: true,
				advice: { interval: 0, timeout: 400, reconnect: 'retry' },
			},
		]);
		expect(standin.streamingClients()[0].connectHeld).toBe(false);
	});

	it('answers a held connect as soon as an event arrives', async () => {
		const { standin, client } = await streaming({ streaming: { longPollTimeoutMs: 60_000 } });
		await client.start({ [ACCOUNTS]: -1 });
		const held = client.connect();
		await until(() => standin.streamingClients()[0]?.connectHeld === true, 'the connect is held');
		standin.insertRecords('Account', [{ Name: 'Wakes the poll' }]);
		const answer = await held;
		expect(eventsOf(answer).map((event) => event.data.payload.Name)).toEqual(['Wakes the poll']);
		expect(connectReply(answer)?.successful).toBe(true);
	});

	it('forgets a client that does not come back within the reconnect timeout: 403::Unknown client, then handshake again', async () => {
		const { standin, client } = await streaming({ streaming: { reconnectTimeoutMs: 200 } });
		await client.start({ [ACCOUNTS]: -1 });
		await until(() => standin.streamingClients().length === 0, 'the client expires');
		expect(connectReply(await client.connect())).toMatchObject({
			successful: false,
			error: '403::Unknown client',
			advice: { reconnect: 'handshake' },
		});
		expect((await client.handshake()).successful).toBe(true);
	});

	it('keeps a client whose connect is held, however long the hold', async () => {
		const { standin, client } = await streaming({
			streaming: { longPollTimeoutMs: 60_000, reconnectTimeoutMs: 100 },
		});
		await client.start({ [ACCOUNTS]: -1 });
		const held = client.connect();
		await until(() => standin.streamingClients()[0]?.connectHeld === true, 'the connect is held');
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(standin.streamingClients()).toHaveLength(1);
		standin.insertRecords('Account', [{ Name: 'Still there' }]);
		expect(eventsOf(await held)).toHaveLength(1);
	});

	it('answers the held connect when the same client connects again (one long poll per client)', async () => {
		const { standin, client } = await streaming({ streaming: { longPollTimeoutMs: 60_000 } });
		await client.start({ [ACCOUNTS]: -1 });
		const first = client.connect();
		await until(
			() => standin.streamingClients()[0]?.connectHeld === true,
			'the first connect is held',
		);
		const second = client.connect();
		expect(connectReply(await first)).toMatchObject({ successful: true });
		await until(
			() => standin.streamingClients()[0]?.connectHeld === true,
			'the second connect is held',
		);
		await client.disconnect();
		expect(connectReply(await second)).toMatchObject({
			successful: true,
			advice: { reconnect: 'none' },
		});
	});

	it('answers at once, with multiple-clients advice, a second client of the same browser while one is held', async () => {
		const { standin, newClient } = await streaming({ streaming: { longPollTimeoutMs: 60_000 } });
		const first = newClient();
		await first.start({ [ACCOUNTS]: -1 });
		const held = first.connect();
		await until(
			() => standin.streamingClients()[0]?.connectHeld === true,
			'the first client is held',
		);
		const second = newClient();
		second.cookie = first.cookie;
		await second.start({ [ACCOUNTS]: -1 });
		const reply = connectReply(await second.connect());
		expect(reply).toMatchObject({
			successful: true,
			advice: { 'multiple-clients': true, interval: 2000, reconnect: 'retry' },
		});
		await first.disconnect();
		await held;
	});

	it('ends a held connect at once on /meta/disconnect, with reconnect none, and forgets the client', async () => {
		const { standin, client } = await streaming({ streaming: { longPollTimeoutMs: 60_000 } });
		await client.start({ [ACCOUNTS]: -1 });
		const held = client.connect();
		await until(() => standin.streamingClients()[0]?.connectHeld === true, 'the connect is held');
		expect(await client.disconnect()).toEqual({
			channel: '/meta/disconnect',
			id: expect.any(String),
			clientId: client.clientId,
			successful: true,
		});
		expect(connectReply(await held)).toMatchObject({
			successful: true,
			advice: { reconnect: 'none', interval: 0 },
		});
		expect(standin.streamingClients()).toEqual([]);
		expect(standin.streamingCounts.disconnects).toBe(1);
	});

	it('lets a client that aborted its connect come back within the reconnect timeout', async () => {
		const { standin, client } = await streaming({
			streaming: { longPollTimeoutMs: 60_000, reconnectTimeoutMs: 60_000 },
		});
		await client.start({ [ACCOUNTS]: -1 });
		const abort = new AbortController();
		const held = client.connect(abort.signal).catch((error: Error) => error.name);
		await until(() => standin.streamingClients()[0]?.connectHeld === true, 'the connect is held');
		abort.abort();
		expect(await held).toBe('AbortError');
		await until(() => standin.streamingClients()[0]?.connectHeld === false, 'the server notices');
		standin.insertRecords('Account', [{ Name: 'After the abort' }]);
		expect(eventsOf(await client.connect()).map((event) => event.data.payload.Name)).toEqual([
			'After the abort',
		]);
	});
});

describe('sessions', () => {
	it('answers a held connect 401::Authentication invalid with reconnect none when the session ends', async () => {
		const { standin, client } = await streaming({ streaming: { longPollTimeoutMs: 60_000 } });
		await client.start({ [ACCOUNTS]: -1 });
		const held = client.connect();
		await until(() => standin.streamingClients()[0]?.connectHeld === true, 'the connect is held');
		standin.expireAllSessions();
		expect(connectReply(await held)).toEqual({
			channel: '/meta/connect',
			id: expect.any(String),
			clientId: client.clientId,
			error: '401::Authentication invalid',
			successful: false,
			advice: { reconnect: 'none', interval: 0 },
		});
		expect(standin.streamingClients()).toEqual([]);
	});

	it('notices a session that ends some other way while a connect is held (regular validation)', async () => {
		const { standin, client } = await streaming({ streaming: { longPollTimeoutMs: 60_000 } });
		await client.start({ [ACCOUNTS]: -1 });
		const held = client.connect();
		await until(() => standin.streamingClients()[0]?.connectHeld === true, 'the connect is held');
		standin.users[0].status = 'inactive';
		expect(connectReply(await held)?.error).toBe('401::Authentication invalid');
	});

	it('answers any later message of a dead session 401::Authentication invalid; a new session handshakes again', async () => {
		const { standin, client } = await streaming();
		await client.start({ [ACCOUNTS]: -1 });
		standin.revoke(client.token);
		expect(connectReply(await client.connect())).toMatchObject({
			successful: false,
			error: '401::Authentication invalid',
			advice: { reconnect: 'none' },
		});
		client.token = await login(standin);
		expect(connectReply(await client.connect())).toMatchObject({ error: '403::Unknown client' });
		expect((await client.handshake()).successful).toBe(true);
	});
});

describe('the server going away', () => {
	it('forgetStreamingClients: a held connect learns at once that the client is unknown', async () => {
		const { standin, client } = await streaming({ streaming: { longPollTimeoutMs: 60_000 } });
		await client.start({ [ACCOUNTS]: -1 });
		const held = client.connect();
		await until(() => standin.streamingClients()[0]?.connectHeld === true, 'the connect is held');
		standin.forgetStreamingClients();
		expect(connectReply(await held)).toMatchObject({
			successful: false,
			error: '403::Unknown client',
			advice: { reconnect: 'handshake' },
		});
	});

	it('simulateRestart: held connects drop unanswered, clients are unknown, retained events replay after a new handshake', async () => {
		const { standin, client } = await streaming({ streaming: { longPollTimeoutMs: 60_000 } });
		await client.start({ [ACCOUNTS]: -1 });
		standin.insertRecords('Account', [{ Name: 'Before the restart' }]);
		const [before] = eventsOf(await client.connect());
		const held = client.connect().then(
			() => 'answered',
			() => 'dropped',
		);
		await until(() => standin.streamingClients()[0]?.connectHeld === true, 'the connect is held');
		standin.simulateRestart();
		expect(await held).toBe('dropped');
		standin.insertRecords('Account', [{ Name: 'During the restart' }]);
		expect(connectReply(await client.connect())).toMatchObject({
			error: '403::Unknown client',
			advice: { reconnect: 'handshake' },
		});
		const replayed = await client.start({ [ACCOUNTS]: before.data.event.replayId });
		expect(replayed.map((event) => event.data.payload.Name)).toEqual(['During the restart']);
	});

	it('takeOffline refuses connections (or resets them) until bringOnline; a client back in time carries on', async () => {
		const { standin, client } = await streaming({
			streaming: { longPollTimeoutMs: 60_000, reconnectTimeoutMs: 60_000 },
		});
		await client.start({ [ACCOUNTS]: -1 });
		const held = client.connect().then(
			() => 'answered',
			(error: Error & { cause?: { code?: string } }) => error.cause?.code ?? error.message,
		);
		await until(() => standin.streamingClients()[0]?.connectHeld === true, 'the connect is held');
		await standin.takeOffline();
		expect(await held).not.toBe('answered');
		await expect(client.connect()).rejects.toMatchObject({ cause: { code: 'ECONNREFUSED' } });
		standin.insertRecords('Account', [{ Name: 'While offline' }]);
		await standin.bringOnline();
		expect(eventsOf(await client.connect()).map((event) => event.data.payload.Name)).toEqual([
			'While offline',
		]);

		await standin.takeOffline('reset');
		await expect(client.connect()).rejects.toMatchObject({
			cause: { code: expect.stringMatching(/ECONNRESET|UND_ERR_SOCKET/) },
		});
		standin.insertRecords('Account', [{ Name: 'While resetting' }]);
		await standin.bringOnline();
		expect(eventsOf(await client.connect()).map((event) => event.data.payload.Name)).toEqual([
			'While resetting',
		]);
		// Closing a stand-in that is offline still ends (afterEach closes it).
		await standin.takeOffline();
	});
});
