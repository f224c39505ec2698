import {
	cometdPath,
	connectMessage,
	CookieJar,
	disconnectMessage,
	eventMessages,
	failureReason,
	findReply,
	handshakeMessage,
	offersLongPolling,
	parseAnswer,
	parseBayeuxError,
	readAdvice,
	subscribeMessage,
} from '../../../../nodes/salesforce';

describe('Bayeux messages as the Streaming API takes them', () => {
	it('handshake: version 1.0, long polling, the replay extension asked for', () => {
		expect(handshakeMessage('1')).toEqual({
			channel: '/meta/handshake',
			id: '1',
			version: '1.0',
			supportedConnectionTypes: ['long-polling'],
			ext: { replay: true },
		});
	});

	it('subscribe: the channel, and where to start in ext.replay keyed by channel', () => {
		expect(subscribeMessage('2', 'c1', '/data/AccountChangeEvent', 1234)).toEqual({
			channel: '/meta/subscribe',
			id: '2',
			clientId: 'c1',
			subscription: '/data/AccountChangeEvent',
			ext: { replay: { '/data/AccountChangeEvent': 1234 } },
		});
	});

	it('connect (long polling) and disconnect', () => {
		expect(connectMessage('3', 'c1')).toEqual({
			channel: '/meta/connect',
			id: '3',
			clientId: 'c1',
			connectionType: 'long-polling',
		});
		expect(disconnectMessage('4', 'c1')).toEqual({
			channel: '/meta/disconnect',
			id: '4',
			clientId: 'c1',
		});
	});

	it.each([
		['62.0', '/cometd/62.0'],
		['37.0', '/cometd/37.0'],
	])('the endpoint for API %s is %s', (version, path) => {
		expect(cometdPath(version)).toBe(path);
	});

	it.each(['36.0', '62', 'v62.0', ''])('refuses API version %p (replay needs 37.0)', (version) => {
		expect(() => cometdPath(version)).toThrow(RangeError);
	});
});

describe('parseAnswer', () => {
	const reply = { channel: '/meta/connect', id: '3', successful: true };

	it.each<[string, unknown]>([
		['an array', [reply]],
		['JSON text', JSON.stringify([reply])],
		['a buffer', Buffer.from(JSON.stringify([reply]))],
		['one message, not in an array', reply],
	])('reads %s', (_, body) => {
		expect(parseAnswer(body)).toEqual([reply]);
	});

	it("turns numeric ids (as in Salesforce's examples) into strings", () => {
		expect(parseAnswer([{ channel: '/meta/connect', id: 7 }])).toEqual([
			{ channel: '/meta/connect', id: '7' },
		]);
	});

	it.each<[string, unknown]>([
		['an HTML page', '<html><body>Maintenance</body></html>'],
		['an empty array', []],
		['messages without a channel', [{ id: '1' }]],
		['null', null],
		['a number', 5],
	])('is undefined for %s', (_, body) => {
		expect(parseAnswer(body)).toBeUndefined();
	});

	it('finds the reply to a request by channel and id, and tells events apart', () => {
		const event = { channel: '/data/AccountChangeEvent', data: {} };
		const messages = [
			event,
			{ channel: '/meta/connect', id: '2' },
			{ channel: '/meta/connect', id: '3', successful: true },
		];
		expect(findReply(messages, connectMessage('3', 'c1'))).toEqual(messages[2]);
		expect(findReply(messages, connectMessage('9', 'c1'))).toBeUndefined();
		expect(
			findReply([{ channel: '/meta/connect', successful: true }], connectMessage('9', 'c1')),
		).toEqual({ channel: '/meta/connect', successful: true });
		expect(eventMessages(messages)).toEqual([event]);
	});
});

describe('parseBayeuxError: code ":" args ":" message (Bayeux 1.0, "error")', () => {
	it.each<[string, object]>([
		['403::Unknown client', { code: 403, args: [], text: 'Unknown client' }],
		['401::Authentication invalid', { code: 401, args: [], text: 'Authentication invalid' }],
		[
			'402:xj3sjdsjdsjad:Unknown Client ID',
			{ code: 402, args: ['xj3sjdsjdsjad'], text: 'Unknown Client ID' },
		],
		[
			'403:xj3sjdsjdsjad,/foo/bar:Subscription denied',
			{ code: 403, args: ['xj3sjdsjdsjad', '/foo/bar'], text: 'Subscription denied' },
		],
		[
			'400::The replayId {12} you provided was invalid.  Please provide a valid ID, -2 to replay all events, or -1 to replay only new events.',
			{
				code: 400,
				args: [],
				text: 'The replayId {12} you provided was invalid.  Please provide a valid ID, -2 to replay all events, or -1 to replay only new events.',
			},
		],
		[
			'503::Server is too busy: try later',
			{ code: 503, args: [], text: 'Server is too busy: try later' },
		],
		['Authentication failed', { args: [], text: 'Authentication failed' }],
	])('%s', (error, parsed) => {
		expect(parseBayeuxError(error)).toEqual(parsed);
	});

	it.each([undefined, '', '  ', 42])('is undefined for %p', (error) => {
		expect(parseBayeuxError(error)).toBeUndefined();
	});
});

describe('advice and the handshake reply', () => {
	it('keeps the well-formed advice fields only', () => {
		expect(
			readAdvice({
				channel: '/meta/connect',
				advice: { reconnect: 'retry', interval: 0, timeout: 110000 },
			}),
		).toEqual({ reconnect: 'retry', interval: 0, timeout: 110000 });
		expect(
			readAdvice({
				channel: '/meta/connect',
				advice: { reconnect: 'later', interval: '5', timeout: -1 },
			}),
		).toEqual({});
		expect(readAdvice({ channel: '/meta/connect', advice: { interval: -1 } })).toEqual({
			interval: -1,
		});
		expect(readAdvice({ channel: '/meta/connect' })).toBeUndefined();
	});

	it('reads why a handshake was denied from ext.sfdc.failureReason', () => {
		const denied = {
			channel: '/meta/handshake',
			successful: false,
			error: '403::Handshake denied',
			ext: { sfdc: { failureReason: '401::Authentication invalid' } },
			advice: { reconnect: 'none' },
		};
		expect(failureReason(denied)).toBe('401::Authentication invalid');
		expect(failureReason({ channel: '/meta/handshake', ext: { replay: true } })).toBeUndefined();
	});

	it('checks the server offers long polling', () => {
		expect(
			offersLongPolling({ channel: '/meta/handshake', supportedConnectionTypes: ['long-polling'] }),
		).toBe(true);
		expect(
			offersLongPolling({ channel: '/meta/handshake', supportedConnectionTypes: ['websocket'] }),
		).toBe(false);
		expect(offersLongPolling({ channel: '/meta/handshake' })).toBe(true);
	});
});

describe('CookieJar: the BAYEUX_BROWSER cookie goes back with every request', () => {
	it('keeps name=value pairs of Set-Cookie headers, one header per name', () => {
		const jar = new CookieJar();
		expect(jar.header()).toBeUndefined();
		jar.remember(['BAYEUX_BROWSER=abc123; Path=/; Secure', 'sfdc-stream=!x1; Path=/; HttpOnly']);
		expect(jar.header()).toBe('BAYEUX_BROWSER=abc123; sfdc-stream=!x1');
		jar.remember('BAYEUX_BROWSER=def456; Path=/');
		expect(jar.header()).toBe('BAYEUX_BROWSER=def456; sfdc-stream=!x1');
	});

	it('splits a joined header only where a new cookie starts, not in an Expires date', () => {
		const jar = new CookieJar();
		jar.remember(
			'BAYEUX_BROWSER=abc; Expires=Wed, 21 Oct 2026 07:28:00 GMT; Path=/, other=1; Path=/',
		);
		expect(jar.header()).toBe('BAYEUX_BROWSER=abc; other=1');
	});

	it('drops a cookie set to expire, ignores junk, and clears', () => {
		const jar = new CookieJar();
		jar.remember(['BAYEUX_BROWSER=abc', 'junk', '=novalue', 42]);
		jar.remember('BAYEUX_BROWSER=; Max-Age=0');
		expect(jar.header()).toBeUndefined();
		jar.remember('a=1');
		jar.clear();
		expect(jar.header()).toBeUndefined();
	});
});
