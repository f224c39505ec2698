import {
	activationTime,
	changeEventsChannel,
	deliveryKey,
	readStoredReplay,
	ReplayBook,
	type StreamEvent,
} from '../../../../nodes/salesforce';

const CHANNEL = changeEventsChannel('Account');
const ACTIVATED = Date.parse('2026-12-01T10:00:00.000Z');

function event(replayId: number, occurredAt?: number): StreamEvent {
	return {
		channel: CHANNEL.path,
		replayId,
		...(occurredAt !== undefined ? { occurredAt } : {}),
		item: { replayId },
	};
}

/** Takes every queued event and reports it delivered, as the node does after each execution is stored. */
function deliverAll(book: ReplayBook): number[] {
	const delivered: number[] = [];
	for (let next = book.take(); next; next = book.take()) {
		book.delivered(next);
		delivered.push(next.replayId);
	}
	return delivered;
}

describe('activationTime: where "new" starts, by Salesforce\'s clock', () => {
	it("is the handshake answer's Date less 2 s", () => {
		expect(activationTime('Tue, 01 Dec 2026 10:00:00 GMT', 0)).toBe(ACTIVATED - 2_000);
	});

	it.each([undefined, 'not a date'])(
		"falls back to n8n's clock less 5 minutes without a Date (%p)",
		(date) => {
			expect(activationTime(date, ACTIVATED)).toBe(ACTIVATED - 300_000);
		},
	);
});

describe('readStoredReplay: what static data holds is checked, never trusted', () => {
	it.each<[string, unknown, object | undefined]>([
		[
			'a replay id',
			{ channel: CHANNEL.path, replayId: 42, occurredAt: '2026-12-01T10:00:00.000Z' },
			{ channel: CHANNEL.path, replayId: 42, occurredAt: '2026-12-01T10:00:00.000Z' },
		],
		[
			'an activation mark',
			{ channel: CHANNEL.path, since: '2026-12-01T09:59:58.000Z' },
			{ channel: CHANNEL.path, since: '2026-12-01T09:59:58.000Z' },
		],
		[
			'only the channel (all retained, nothing yet)',
			{ channel: CHANNEL.path },
			{ channel: CHANNEL.path },
		],
		[
			'a bad occurredAt, dropped',
			{ channel: CHANNEL.path, replayId: 42, occurredAt: 'soon' },
			{ channel: CHANNEL.path, replayId: 42 },
		],
		['nothing', undefined, undefined],
		["another channel's", { channel: '/data/ContactChangeEvent', replayId: 42 }, undefined],
		['a negative replay id', { channel: CHANNEL.path, replayId: -1 }, undefined],
		['a replay id as text', { channel: CHANNEL.path, replayId: '42' }, undefined],
		['a bad since', { channel: CHANNEL.path, since: 'yesterday' }, undefined],
		['a string', 'replay 42', undefined],
	])('%s', (_, stored, expected) => {
		expect(readStoredReplay(stored, CHANNEL.path)).toEqual(expected);
	});
});

describe('ReplayBook: where each subscription starts', () => {
	it('a stored replay id: every subscription resumes after the last event delivered', () => {
		const book = new ReplayBook(CHANNEL, { channel: CHANNEL.path, replayId: 42 }, 'new');
		expect(book.subscribeFrom()).toBe(42);
		book.receive(event(43));
		book.receive(event(47));
		expect(deliverAll(book)).toEqual([43, 47]);
		expect(book.subscribeFrom()).toBe(47);
		expect(book.storedReplay()).toEqual({ channel: CHANNEL.path, replayId: 47 });
	});

	it('"all retained", first activation: -2 until an event is delivered, also after a restart', () => {
		const book = new ReplayBook(CHANNEL, undefined, 'allRetained');
		expect(book.storedReplay()).toEqual({ channel: CHANNEL.path });
		expect(book.subscribeFrom()).toBe(-2);
		expect(book.subscribeFrom()).toBe(-2);
		const restarted = new ReplayBook(CHANNEL, book.storedReplay(), 'new');
		expect(restarted.subscribeFrom()).toBe(-2);
	});

	it('"new", first activation: -1 once; a resubscription before any event asks for -2 and drops what came before the activation', () => {
		const book = new ReplayBook(CHANNEL, undefined, 'new');
		expect(book.storedReplay()).toBeUndefined();
		book.activated(ACTIVATED);
		expect(book.storedReplay()).toEqual({
			channel: CHANNEL.path,
			since: '2026-12-01T10:00:00.000Z',
		});
		expect(book.subscribeFrom()).toBe(-1);
		// 403::Unknown client before any event: handshake, subscribe again.
		expect(book.subscribeFrom()).toBe(-2);
		expect(book.receive(event(1, ACTIVATED - 60_000))).toBe('beforeActivation');
		expect(book.receive(event(2, ACTIVATED))).toBe('queued');
		expect(book.receive(event(3))).toBe('queued');
		expect(deliverAll(book)).toEqual([2, 3]);
	});

	it('"new", n8n restarted before the first event: the stored mark makes it -2 from the activation on, nothing published after it lost', () => {
		const first = new ReplayBook(CHANNEL, undefined, 'new');
		first.activated(ACTIVATED);
		first.subscribeFrom();
		const stored = first.storedReplay();

		const restarted = new ReplayBook(CHANNEL, stored, 'new');
		restarted.activated(ACTIVATED + 3_600_000); // a later activation keeps the first mark
		expect(restarted.storedReplay()).toEqual(stored);
		expect(restarted.subscribeFrom()).toBe(-2);
		expect(
			[event(10, ACTIVATED - 1), event(11, ACTIVATED), event(12, ACTIVATED + 1_000)].map((each) =>
				restarted.receive(each),
			),
		).toEqual(['beforeActivation', 'queued', 'queued']);
		expect(deliverAll(restarted)).toEqual([11, 12]);
	});

	it('an event without a time is never dropped as too old', () => {
		const book = new ReplayBook(
			CHANNEL,
			{ channel: CHANNEL.path, since: '2026-12-01T10:00:00.000Z' },
			'new',
		);
		book.subscribeFrom();
		expect(book.receive(event(5))).toBe('queued');
	});

	it('skipped old events move the resume point while nothing is open, so the next reconnect does not read them again', () => {
		const book = new ReplayBook(
			CHANNEL,
			{ channel: CHANNEL.path, since: '2026-12-01T10:00:00.000Z' },
			'new',
		);
		expect(book.subscribeFrom()).toBe(-2);
		book.receive(event(1, ACTIVATED - 5_000));
		book.receive(event(2, ACTIVATED - 4_000));
		expect(book.subscribeFrom()).toBe(2);
	});

	it('an old event behind an open one does not move the resume point past the open one', () => {
		const book = new ReplayBook(
			CHANNEL,
			{ channel: CHANNEL.path, since: '2026-12-01T10:00:00.000Z' },
			'new',
		);
		book.subscribeFrom();
		book.receive(event(5, ACTIVATED + 1));
		book.receive(event(6, ACTIVATED - 1));
		const open = book.take() as StreamEvent;
		expect(book.subscribeFrom()).toBe(-2);
		book.delivered(open);
		expect(book.subscribeFrom()).toBe(5);
	});
});

describe('ReplayBook: nothing twice, in order', () => {
	it('drops an event Salesforce sends again after a reconnect (same replay id), queued or handed over', () => {
		const book = new ReplayBook(CHANNEL, { channel: CHANNEL.path, replayId: 1 }, 'new');
		book.subscribeFrom();
		expect(book.receive(event(2))).toBe('queued');
		expect(book.receive(event(2))).toBe('duplicate');
		const taken = book.take() as StreamEvent;
		expect(book.receive(event(2))).toBe('duplicate');
		book.delivered(taken);
		expect(book.receive(event(2))).toBe('duplicate');
	});

	it('a resubscription drops events queued and not taken (they come again from the resume point), keeps the ones handed over as sent', () => {
		const book = new ReplayBook(CHANNEL, { channel: CHANNEL.path, replayId: 1 }, 'new');
		book.subscribeFrom();
		[2, 3, 4].forEach((id) => book.receive(event(id)));
		const inFlight = book.take() as StreamEvent;
		expect(book.queued).toBe(2);
		expect(book.subscribeFrom()).toBe(1);
		expect(book.queued).toBe(0);
		book.delivered(inFlight);
		expect([2, 3, 4, 5].map((id) => book.receive(event(id)))).toEqual([
			'duplicate',
			'queued',
			'queued',
			'queued',
		]);
		expect(deliverAll(book)).toEqual([3, 4, 5]);
	});

	it('stores, before each emit, the last event n8n has — never the one being emitted', () => {
		const book = new ReplayBook(CHANNEL, { channel: CHANNEL.path, replayId: 1 }, 'new');
		book.subscribeFrom();
		book.receive(event(2, ACTIVATED));
		book.receive(event(3, ACTIVATED + 1));
		const second = book.take() as StreamEvent;
		expect(book.storedReplay()).toEqual({ channel: CHANNEL.path, replayId: 1 });
		book.delivered(second);
		book.take();
		expect(book.storedReplay()).toEqual({
			channel: CHANNEL.path,
			replayId: 2,
			occurredAt: '2026-12-01T10:00:00.000Z',
		});
	});
});

describe('ReplayBook: a burst', () => {
	it('hands 3,000 events over in order, counting what is left, none lost where the queue is cut down', () => {
		const book = new ReplayBook(CHANNEL, { channel: CHANNEL.path, replayId: 1 }, 'new');
		book.subscribeFrom();
		for (let id = 2; id < 3_002; id++) book.receive(event(id));
		const taken: number[] = [];
		for (let index = 0; index < 2_000; index++) taken.push((book.take() as StreamEvent).replayId);
		expect(book.queued).toBe(1_000);
		expect(book.receive(event(3_002))).toBe('queued');
		taken.push(...deliverAll(book));
		expect(taken).toEqual(Array.from({ length: 3_001 }, (_, index) => index + 2));
		expect(book.queued).toBe(0);
	});
});

describe('ReplayBook: a stored replay id Salesforce no longer holds', () => {
	it('gives the lost window and starts again from everything retained', () => {
		const book = new ReplayBook(
			CHANNEL,
			{ channel: CHANNEL.path, replayId: 42, occurredAt: '2026-11-20T08:00:00.000Z' },
			'new',
		);
		expect(book.subscribeFrom()).toBe(42);
		expect(book.replayRefused()).toEqual({ replayId: 42, occurredAt: '2026-11-20T08:00:00.000Z' });
		expect(book.subscribeFrom()).toBe(-2);
		expect(book.receive(event(100, 0))).toBe('queued');
	});

	it.each<[string, unknown, 'new' | 'allRetained']>([
		['-1', undefined, 'new'],
		['-2', undefined, 'allRetained'],
	])('is no lost window when the subscription asked for %s', (_, stored, replayFrom) => {
		const book = new ReplayBook(CHANNEL, stored, replayFrom);
		book.subscribeFrom();
		expect(book.replayRefused()).toBeUndefined();
	});
});

describe("deliveryKey: n8n's deduplication key of an event's execution", () => {
	it("is the same for the same trigger, channel and replay id; different otherwise; within n8n's 255 characters", () => {
		const key = deliveryKey('workflow 7/node 3', '/data/AccountChangeEvent', 42);
		expect(key).toMatch(/^salesforce-event:[0-9a-f]{32}:42$/);
		expect(deliveryKey('workflow 7/node 3', '/data/AccountChangeEvent', 42)).toBe(key);
		expect(deliveryKey('workflow 8/node 3', '/data/AccountChangeEvent', 42)).not.toBe(key);
		expect(deliveryKey('workflow 7/node 3', '/data/ContactChangeEvent', 42)).not.toBe(key);
		expect(
			deliveryKey('w'.repeat(1_000), `/topic/${'x'.repeat(1_000)}`, Number.MAX_SAFE_INTEGER).length,
		).toBeLessThanOrEqual(255);
	});
});
