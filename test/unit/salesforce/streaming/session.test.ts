import {
	backoffMs,
	ORG_LIMIT_RETRY_MS,
	SalesforceStreamingError,
	type StreamingAction,
} from '../../../../nodes/salesforce';
import {
	accountChange,
	connectOk,
	Conversation,
	failed,
	handshakeOk,
	newSession,
	subscribeOk,
} from './sessionDriver';

/** A conversation in the long poll: handshake, subscribe, first connect answered. */
function running(): Conversation {
	return new Conversation(newSession()).connect().answer([connectOk('3')]);
}

function describeAction(action: StreamingAction): string {
	if (action.kind === 'stop') {
		if (!action.error) return 'stop';
		// The problem only: the fix that follows it is tested with the errors.
		const { message, description } = action.error as { message: string; description?: string };
		return `stop: ${description && message.endsWith(`. ${description}`) ? message.slice(0, -description.length - 2) : message}`;
	}
	if (action.kind === 'renewSession') return `renewSession after ${action.delayMs}`;
	return `${action.request.purpose} after ${action.delayMs}`;
}

describe('backoff: immediate once, then 1 s doubling to 60 s, the same every time', () => {
	it.each([
		[1, 0],
		[2, 1_000],
		[3, 2_000],
		[4, 4_000],
		[7, 32_000],
		[8, 60_000],
		[50, 60_000],
	])('after %i failures in a row: %i ms', (failures, delay) => {
		expect(backoffMs(failures)).toBe(delay);
	});
});

describe('the next step after each answer', () => {
	it('start → handshake; handshake ok → subscribe; subscribe ok → connect; connect ok → connect', () => {
		const talk = new Conversation(newSession());
		expect(describeAction(talk.action)).toBe('handshake after 0');
		talk.answer([handshakeOk('1')]);
		expect(describeAction(talk.action)).toBe('subscribe after 0');
		talk.answer([subscribeOk('2')]);
		expect(describeAction(talk.action)).toBe('connect after 0');
		expect(talk.session.isEstablished).toBe(true);
		talk.answer([connectOk('3')]);
		expect(describeAction(talk.action)).toBe('connect after 0');
	});

	it("a connect is given the server's hold time (advice.timeout) plus 30 s to answer; other requests 30 s", () => {
		const talk = new Conversation(newSession());
		expect(talk.request.timeoutMs).toBe(30_000);
		talk.connect();
		expect(talk.request.timeoutMs).toBe(140_000);
		talk.answer([
			{ ...connectOk('3'), advice: { reconnect: 'retry', interval: 0, timeout: 5_000 } },
		]);
		expect(talk.request.timeoutMs).toBe(35_000);
	});

	it('follows advice.interval before the next connect', () => {
		const talk = running();
		talk.answer([
			{ ...connectOk('4'), advice: { reconnect: 'retry', interval: 2_500, timeout: 110000 } },
		]);
		expect(describeAction(talk.action)).toBe('connect after 2500');
	});

	it('new advice replaces the old, it is not merged into it (Bayeux: "supersedes")', () => {
		const talk = running();
		talk.answer([{ ...connectOk('4'), advice: { reconnect: 'retry', interval: 2_500 } }]);
		talk.answer([{ ...connectOk('5'), advice: { reconnect: 'retry' } }]);
		expect(describeAction(talk.action)).toBe('connect after 0');
	});

	it('a new client does not inherit the "none" a denied handshake was told', () => {
		const talk = new Conversation(newSession());
		talk.answer([
			failed('/meta/handshake', '1', '403::Handshake denied', {
				ext: {
					sfdc: { failureReason: '503::Server is too busy. Please try your request again later.' },
				},
				advice: { reconnect: 'none' },
			}),
		]);
		talk.connect();
		talk.answer([failed('/meta/connect', talk.message.id as string, '500::Oops')]);
		expect(describeAction(talk.action)).toBe('connect after 1000'); // the second failure in a row
	});

	it('an answer or a failure without a request outstanding is a defect of the caller: stop', () => {
		const talk = running();
		talk.answer([failed('/meta/connect', '4', '401::Authentication invalid')]);
		expect(talk.session.noAnswer()).toMatchObject({
			kind: 'stop',
			error: {
				message: expect.stringMatching(
					/^The Streaming API client lost an answer it did not wait for/,
				),
			},
		});
		const other = running();
		other.answer([failed('/meta/connect', '4', '401::Authentication invalid')]);
		expect(other.session.answered({ status: 200, body: [connectOk('4')] })).toMatchObject({
			kind: 'stop',
			error: {
				message: expect.stringMatching(
					/^The Streaming API client got an answer it did not ask for/,
				),
			},
		});
	});

	it.each<[string, string, () => Conversation, unknown]>([
		[
			'connect: 403::Unknown client',
			'handshake after 0',
			running,
			[
				failed('/meta/connect', '4', '403::Unknown client', {
					advice: { reconnect: 'handshake', interval: 0 },
				}),
			],
		],
		[
			'connect: reconnect handshake advised',
			'handshake after 0',
			running,
			[failed('/meta/connect', '4', '', { advice: { reconnect: 'handshake' } })],
		],
		[
			'connect: 401::Authentication invalid, reconnect none',
			'renewSession after 0',
			running,
			[
				failed('/meta/connect', '4', '401::Authentication invalid', {
					advice: { reconnect: 'none', interval: 0 },
				}),
			],
		],
		[
			'connect: reconnect none for another reason',
			'stop: Salesforce ended the Streaming API connection (Salesforce: 500::Shutting down)',
			running,
			[failed('/meta/connect', '4', '500::Shutting down', { advice: { reconnect: 'none' } })],
		],
		[
			'connect: a failure with retry advice',
			'connect after 0',
			running,
			[failed('/meta/connect', '4', '500::Oops', { advice: { reconnect: 'retry' } })],
		],
		['connect: HTTP 503 page', 'handshake after 1000', running, '<html>Service Unavailable</html>'],
		['connect: HTTP 401', 'renewSession after 0', running, ''],
		[
			'handshake: denied for 401 (ext.sfdc.failureReason)',
			'renewSession after 0',
			() => new Conversation(newSession()),
			[
				failed('/meta/handshake', '1', '403::Handshake denied', {
					ext: { sfdc: { failureReason: '401::Authentication invalid' } },
					advice: { reconnect: 'none' },
				}),
			],
		],
		[
			'handshake: too many connections on the server',
			'handshake after 1000',
			() => new Conversation(newSession()),
			[
				failed('/meta/handshake', '1', '403::Handshake denied', {
					ext: {
						sfdc: {
							failureReason: '403::To protect all customers … Please try your request again later.',
						},
					},
					advice: { reconnect: 'none' },
				}),
			],
		],
		[
			'handshake: denied, reconnect none',
			'stop: Salesforce denied the Streaming API handshake (Salesforce: 403::Handshake denied)',
			() => new Conversation(newSession()),
			[failed('/meta/handshake', '1', '403::Handshake denied', { advice: { reconnect: 'none' } })],
		],
		[
			'handshake: no long polling offered',
			"stop: Salesforce's Streaming API offers no long-polling connection",
			() => new Conversation(newSession()),
			[{ ...handshakeOk('1'), supportedConnectionTypes: ['websocket'] }],
		],
		[
			'handshake: an HTML page with HTTP 404',
			'stop: The Streaming API endpoint /cometd/62.0 answered HTTP 404: "<html>Not found</html>"',
			() => new Conversation(newSession()),
			'<html>Not found</html>',
		],
		[
			'subscribe: 403::Unknown client',
			'handshake after 0',
			() => new Conversation(newSession()).answer([handshakeOk('1')]),
			[failed('/meta/subscribe', '2', '403::Unknown client')],
		],
		[
			'subscribe: 401',
			'renewSession after 0',
			() => new Conversation(newSession()).answer([handshakeOk('1')]),
			[failed('/meta/subscribe', '2', '401::Authentication invalid')],
		],
	])('%s → %s', (_label, expected, start, body) => {
		const talk = start();
		const status =
			body === ''
				? 401
				: typeof body === 'string' && body.includes('Not found')
					? 404
					: typeof body === 'string'
						? 503
						: 200;
		talk.answer(body, status);
		expect(describeAction(talk.action)).toBe(expected);
	});

	it.each<[string, RegExp]>([
		[
			'400::The channel you requested to subscribe to does not exist {/data/AccountChangeEvent}',
			/^Salesforce has no channel for the change events of Account .*Select Account in Setup → Integrations → Change Data Capture/,
		],
		[
			'403::User not allowed to subscribe CDC without required permissions',
			/^Salesforce does not let the API user subscribe to the change events of Account.*View All Records on Account/,
		],
		[
			'403::Organization concurrent user limit exceeded',
			/^Salesforce refused the Streaming API connection: an allocation of the org is used up/,
		],
		[
			'400::Client client1 has established a session, but no BAYEUX_BROWSER cookie present',
			/lost its session cookie \(BAYEUX_BROWSER\)/,
		],
		[
			'500::Unexpected',
			/^Subscribing to the change events of Account \(\/data\/AccountChangeEvent\) failed \(Salesforce: 500::Unexpected\)/,
		],
	])('a refused subscription stops the activation with what to change: %s', (error, message) => {
		const talk = new Conversation(newSession())
			.answer([handshakeOk('1')])
			.answer([failed('/meta/subscribe', '2', error)]);
		expect(talk.action.kind).toBe('stop');
		const stopError = (talk.action as { error?: Error }).error as SalesforceStreamingError;
		expect(stopError).toBeInstanceOf(SalesforceStreamingError);
		expect(stopError.message).toMatch(message);
	});
});

describe('failures: backoff, never a tight loop', () => {
	it('a network that keeps failing: a new handshake after 0, 1, 2, 4 … 60 s, then 60 s', () => {
		const talk = running();
		const delays: number[] = [];
		for (let attempt = 0; attempt < 10; attempt++) {
			talk.noAnswer();
			expect(talk.request.purpose).toBe('handshake');
			delays.push(talk.delayMs);
		}
		expect(delays).toEqual([0, 1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000]);
	});

	it('a connect that got no answer is not sent again: its answer may have carried events, so a new client replays from the last one delivered', () => {
		const talk = running();
		talk.answer([accountChange(11, 'Delivered'), connectOk(talk.message.id as string)]);
		talk.emitAll();
		// This connect's answer (with event 12 in it) never arrives: the connection dropped.
		talk.noAnswer();
		expect(talk.request.purpose).toBe('handshake');
		talk.answer([handshakeOk(talk.message.id as string, 'client2')]);
		expect(talk.message).toMatchObject({
			channel: '/meta/subscribe',
			clientId: 'client2',
			ext: { replay: { '/data/AccountChangeEvent': 11 } },
		});
	});

	it('a 5xx or a page that is no Bayeux answer in reply to a connect: the same, after at least 1 s when busy', () => {
		const talk = running();
		talk.answer('<html>Bad gateway</html>', 502);
		expect(describeAction(talk.action)).toBe('handshake after 1000');
	});

	it('a handshake that gets no answer is sent again with the same backoff (the stand-in restarting)', () => {
		const talk = new Conversation(newSession());
		const delays = [0, 1, 2].map(() => talk.noAnswer().delayMs);
		expect(delays).toEqual([0, 1_000, 2_000]);
		expect(talk.request.purpose).toBe('handshake');
	});

	it('a lost subscribe answer: a new handshake (the old client may hold the subscription; a new one holds exactly one)', () => {
		const talk = new Conversation(newSession()).answer([handshakeOk('1')]).noAnswer();
		expect(talk.request.purpose).toBe('handshake');
	});

	it('the streak ends only after two good connects, so "accept, then forget the client" backs off', () => {
		const talk = running();
		const delays: number[] = [];
		for (let cycle = 0; cycle < 5; cycle++) {
			talk.answer([
				failed('/meta/connect', talk.message.id as string, '403::Unknown client', {
					advice: { reconnect: 'handshake' },
				}),
			]);
			delays.push(talk.delayMs);
			// The first connect of the new client is accepted at once; the next is refused again.
			talk
				.connect(`client${cycle + 2}`)
				.answer([connectOk(talk.message.id as string, `client${cycle + 2}`)]);
		}
		expect(delays).toEqual([0, 1_000, 2_000, 4_000, 8_000]);
		// Two good connects: back to an immediate retry.
		talk
			.answer([connectOk(talk.message.id as string, 'client6')])
			.answer([connectOk(talk.message.id as string, 'client6')]);
		talk.answer([
			failed('/meta/connect', talk.message.id as string, '403::Unknown client', {
				advice: { reconnect: 'handshake' },
			}),
		]);
		expect(talk.delayMs).toBe(0);
	});

	it('an allocation used up while running: handshake again in 5 minutes', () => {
		const talk = running();
		talk.answer([
			failed('/meta/connect', '4', '403::Organization concurrent user limit exceeded', {
				advice: { reconnect: 'handshake' },
			}),
		]);
		expect(describeAction(talk.action)).toBe(`handshake after ${ORG_LIMIT_RETRY_MS}`);
	});

	it('advice.interval below zero: do not reconnect', () => {
		const talk = running();
		talk.answer([{ ...connectOk('4'), advice: { interval: -1 } }]);
		expect(describeAction(talk.action)).toBe(
			'stop: Salesforce advised not to reconnect to the Streaming API',
		);
	});
});

describe('a new session: one login, never a second', () => {
	it('401 → renew → handshake with the new session; refused again before the connection works → stop', () => {
		const talk = running();
		talk.answer([
			failed('/meta/connect', '4', '401::Authentication invalid', {
				advice: { reconnect: 'none' },
			}),
		]);
		expect(talk.action.kind).toBe('renewSession');
		talk.action = talk.session.sessionRenewed();
		expect(talk.request.purpose).toBe('handshake');
		talk.answer([
			failed('/meta/handshake', talk.message.id as string, '403::Handshake denied', {
				ext: { sfdc: { failureReason: '401::Authentication invalid' } },
				advice: { reconnect: 'none' },
			}),
		]);
		expect(talk.action.kind).toBe('stop');
		expect((talk.action as { error: Error }).error.message).toMatch(
			/^Salesforce's Streaming API refused the session, also a new one \(Salesforce: 401::Authentication invalid \/ 403::Handshake denied\)/,
		);
	});

	it('renewing again is fine once the connection has worked again', () => {
		const talk = running();
		talk.answer([
			failed('/meta/connect', '4', '401::Authentication invalid', {
				advice: { reconnect: 'none' },
			}),
		]);
		talk.action = talk.session.sessionRenewed();
		talk
			.connect('client2')
			.answer([connectOk(talk.message.id as string, 'client2')])
			.answer([connectOk(talk.message.id as string, 'client2')]);
		talk.answer([
			failed('/meta/connect', talk.message.id as string, '401::Authentication invalid', {
				advice: { reconnect: 'none' },
			}),
		]);
		expect(talk.action.kind).toBe('renewSession');
	});

	it("a login that fails stops with the credential's own error", () => {
		const talk = running();
		talk.answer([failed('/meta/connect', '4', '401::Authentication invalid')]);
		const loginError = new Error('Login failed: the password is wrong.');
		expect(talk.session.renewalFailed(loginError)).toEqual({ kind: 'stop', error: loginError });
	});
});

describe('deactivation', () => {
	it('sends /meta/disconnect for the client, then stops whatever comes back', () => {
		const talk = running();
		const action = talk.session.stop();
		expect(action).toEqual({
			kind: 'send',
			delayMs: 0,
			request: {
				purpose: 'disconnect',
				path: '/cometd/62.0',
				body: [{ channel: '/meta/disconnect', id: '5', clientId: 'client1' }],
				timeoutMs: 10_000,
			},
		});
		expect(talk.session.noAnswer()).toEqual({ kind: 'stop' });
		expect(
			talk.session.answered({
				status: 200,
				body: [{ channel: '/meta/connect', id: '4', successful: true }],
			}),
		).toEqual({ kind: 'stop' });
		expect(talk.session.stop()).toEqual({ kind: 'stop' });
	});

	it('without a client (before the handshake, or while renewing) there is nothing to disconnect', () => {
		expect(newSession().stop()).toEqual({ kind: 'stop' });
	});

	it('an answer nobody asked for after a stop is ignored', () => {
		const session = newSession();
		session.start();
		session.answered({ status: 200, body: [handshakeOk('1')] });
		session.stop();
		expect(session.answered({ status: 200, body: [subscribeOk('2')] })).toEqual({ kind: 'stop' });
	});
});

describe('events in answers', () => {
	it('are queued in the order they came, from connect and subscribe answers alike', () => {
		const talk = new Conversation(newSession()).answer([handshakeOk('1')]);
		talk.answer([subscribeOk('2'), accountChange(10, 'A')]);
		talk.answer([accountChange(11, 'B'), accountChange(12, 'C'), connectOk('3')]);
		expect(talk.session.queuedEvents).toBe(3);
		expect(talk.emitAll().map(({ event }) => event.replayId)).toEqual([10, 11, 12]);
	});

	it('a message that is no event becomes a notice for the log, not an item', () => {
		const talk = running();
		talk.answer([{ channel: ACCOUNT_PATH, data: { payload: {} } }, connectOk('4')]);
		expect(talk.session.takeNotices()).toEqual([
			{ kind: 'unreadable', channel: ACCOUNT_PATH, problem: expect.stringMatching(/no replay id/) },
		]);
		expect(talk.session.takeNotices()).toEqual([]);
		expect(talk.session.queuedEvents).toBe(0);
	});
});

const ACCOUNT_PATH = '/data/AccountChangeEvent';
