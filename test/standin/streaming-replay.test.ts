import { closeAll } from './restSupport';
import { connectReply, eventsOf, type Message } from './bayeuxClient';
import { streaming, until } from './streamingSupport';

/**
 * Durable streaming (Streaming API Developer Guide, "Message Durability"): replay ids, the replay
 * options -1 / -2 / a stored id, the retention window, bursts delivered in order over successive
 * connects, and the daily delivery allocation.
 */

afterEach(closeAll);

const ORDERS = '/event/Order_Shipped__e';
const ACCOUNTS = '/data/AccountChangeEvent';
const INVALID = (id: unknown) =>
	`400::The replayId {${String(id)}} you provided was invalid.  Please provide a valid ID, -2 to replay all events, or -1 to replay only new events.`;

const orders = (count: number, from = 1) =>
	Array.from({ length: count }, (_, index) => ({ Order_Number__c: `O-${from + index}` }));
const numbers = (events: Message[]) => events.map((event) => event.data.payload.Order_Number__c);

describe('replay ids', () => {
	it('increase within a stream but are not contiguous', async () => {
		const { standin } = await streaming();
		const ids = standin
			.publishPlatformEvents('Order_Shipped__e', orders(50))
			.map((event) => event.replayId);
		const steps = ids.slice(1).map((id, index) => id - ids[index]);
		expect(steps.every((step) => step > 0)).toBe(true);
		expect(steps.some((step) => step > 1)).toBe(true);
	});

	it('-1 delivers only what is published after the subscription (also the default without the extension)', async () => {
		const { standin, client, newClient } = await streaming();
		standin.publishPlatformEvents('Order_Shipped__e', orders(2));
		expect(await client.start({ [ORDERS]: -1 })).toEqual([]);
		const plain = newClient();
		expect(await plain.start({ [ORDERS]: undefined })).toEqual([]);
		standin.publishPlatformEvents('Order_Shipped__e', orders(1, 3));
		expect(numbers(await client.collect(1))).toEqual(['O-3']);
		expect(numbers(await plain.collect(1))).toEqual(['O-3']);
	});

	it('-2 delivers everything retained, then new events', async () => {
		const { standin, client } = await streaming();
		standin.publishPlatformEvents('Order_Shipped__e', orders(3));
		expect(numbers(await client.start({ [ORDERS]: -2 }))).toEqual(['O-1', 'O-2', 'O-3']);
		standin.publishPlatformEvents('Order_Shipped__e', orders(1, 4));
		expect(numbers(await client.collect(1))).toEqual(['O-4']);
	});

	it('a stored replay id delivers what came after it, nothing twice', async () => {
		const { standin, client } = await streaming();
		const [, second] = standin.publishPlatformEvents('Order_Shipped__e', orders(4));
		expect(numbers(await client.start({ [ORDERS]: second.replayId }))).toEqual(['O-3', 'O-4']);
	});

	it('refuses an id the bus does not hold (never given, not a number, or fallen out of retention), naming it', async () => {
		const { standin, client } = await streaming();
		const [first] = standin.publishPlatformEvents('Order_Shipped__e', orders(2));
		await client.handshake();
		for (const id of [first.replayId + 1_000_000, 'abc', String(first.replayId), -3, 1.5]) {
			expect(await client.subscribe(ORDERS, id)).toMatchObject({
				successful: false,
				subscription: ORDERS,
				error: INVALID(id),
			});
		}
		expect((await client.subscribe(ORDERS, first.replayId)).successful).toBe(true);
		expect(standin.dropRetainedEvents()).toBe(2);
		expect((await client.subscribe(ORDERS, first.replayId)).error).toBe(INVALID(first.replayId));
		expect((await client.subscribe(ORDERS, -2)).successful).toBe(true);
		standin.publishPlatformEvents('Order_Shipped__e', orders(1, 3));
		expect(numbers(eventsOf(await client.connect()))).toEqual(['O-3']);
	});

	it('accepts on a single-object channel a replay id from the shared change event stream', async () => {
		const { standin, client } = await streaming();
		standin.insertRecords('Invoice__c', [{ Name: 'INV-A' }]);
		standin.insertRecords('Account', [{ Name: 'After the invoice' }]);
		const [invoice] = standin.retainedEvents('/data/Invoice__ChangeEvent');
		expect(
			(await client.start({ [ACCOUNTS]: invoice.replayId })).map(
				(event) => event.data.payload.Name,
			),
		).toEqual(['After the invoice']);
	});
});

describe('retention', () => {
	it('purges events older than the retention window (72 hours by default, settable)', async () => {
		const { standin, client } = await streaming({ streaming: { eventRetentionMs: 150 } });
		const [old] = standin.publishPlatformEvents('Order_Shipped__e', orders(1));
		expect(standin.retainedEvents(ORDERS)).toHaveLength(1);
		await until(() => standin.retainedEvents(ORDERS).length === 0, 'the event is purged');
		await client.handshake();
		expect((await client.subscribe(ORDERS, old.replayId)).error).toBe(INVALID(old.replayId));
	});

	it('dropRetainedEvents(olderThanMs) keeps what is younger', async () => {
		const { standin } = await streaming();
		standin.publishPlatformEvents('Order_Shipped__e', orders(1));
		expect(standin.dropRetainedEvents(60_000)).toBe(0);
		expect(standin.retainedEvents(ORDERS)).toHaveLength(1);
	});
});

describe('bursts and order', () => {
	it('delivers 10,000 events in order over successive connects, none twice, at most maxEventsPerConnect each', async () => {
		const { standin, client } = await streaming({ streaming: { maxEventsPerConnect: 1000 } });
		await client.start({ [ORDERS]: -1 });
		standin.publishPlatformEvents('Order_Shipped__e', orders(10_000));
		const received: Message[] = [];
		let connects = 0;
		while (received.length < 10_000) {
			const messages = await client.connect();
			expect(connectReply(messages)?.successful).toBe(true);
			const events = eventsOf(messages);
			expect(events.length).toBeLessThanOrEqual(1000);
			received.push(...events);
			connects++;
		}
		expect(connects).toBeGreaterThanOrEqual(10);
		expect(numbers(received)).toEqual(orders(10_000).map((order) => order.Order_Number__c));
		const ids = received.map((event) => event.data.event.replayId);
		expect(new Set(ids).size).toBe(10_000);
		expect(standin.streamingCounts.deliveredEvents).toBe(10_000);
	});

	it('answers a held connect with a burst published in one go, the rest on the next connects', async () => {
		const { standin, client } = await streaming({
			streaming: { longPollTimeoutMs: 60_000, maxEventsPerConnect: 100 },
		});
		await client.start({ [ORDERS]: -1 });
		const held = client.connect();
		await until(() => standin.streamingClients()[0]?.connectHeld === true, 'the connect is held');
		standin.publishPlatformEvents('Order_Shipped__e', orders(250));
		const first = eventsOf(await held);
		expect(first).toHaveLength(100);
		const rest = await client.collect(150);
		expect(numbers([...first, ...rest])).toEqual(orders(250).map((order) => order.Order_Number__c));
	});

	it('interleaves several channels in publication order', async () => {
		const { standin, client } = await streaming();
		await client.start({ [ORDERS]: -1, [ACCOUNTS]: -1 });
		standin.publishPlatformEvents('Order_Shipped__e', orders(1));
		standin.insertRecords('Account', [{ Name: 'Second' }]);
		standin.publishPlatformEvents('Order_Shipped__e', orders(1, 3));
		const events = await client.collect(3);
		expect(
			events.map((event) => event.data.payload.Order_Number__c ?? event.data.payload.Name),
		).toEqual(['O-1', 'Second', 'O-3']);
	});
});

describe('the daily delivery allocation', () => {
	it('delivers up to the allocation, then refuses connect and subscribe with 403::Organization total events daily limit exceeded', async () => {
		const { standin, client } = await streaming();
		standin.setEventDeliveryUsage({ max: 3 });
		expect(standin.eventDeliveryUsage).toEqual({ used: 0, max: 3 });
		await client.start({ [ORDERS]: -1 });
		standin.publishPlatformEvents('Order_Shipped__e', orders(5));
		expect(numbers(eventsOf(await client.connect()))).toEqual(['O-1', 'O-2', 'O-3']);
		expect(connectReply(await client.connect())).toMatchObject({
			successful: false,
			error: '403::Organization total events daily limit exceeded',
		});
		expect((await client.subscribe(ACCOUNTS, -1)).error).toBe(
			'403::Organization total events daily limit exceeded',
		);
		standin.setEventDeliveryUsage({ used: 0 });
		expect(numbers(eventsOf(await client.connect()))).toEqual(['O-4', 'O-5']);
	});
});
