/**
 * Reconnects, as the stand-in plays Salesforce's documented behaviour: a forgotten client
 * (403::Unknown client), an ended session (401::Authentication invalid inside an HTTP 200), a fresh
 * session refused too, the network dropping, a server restart. No event lost, none twice, no tight
 * loop, never a second subscription.
 */
import { forgetAllSessions } from '../../../nodes/client/liveSessions';
import { useStandin } from '../../support/fixtures';
import { createLogCapture } from '../../support/n8n-harness';
import {
	ACCOUNT_CHANGES,
	activate,
	listening,
	setupFor,
	SHORT_STREAMING,
	sleep,
	until,
} from './support';

const standin = useStandin({ streaming: SHORT_STREAMING });

beforeEach(() => forgetAllSessions());

function names(items: Array<Record<string, unknown>>): unknown[] {
	return items.map((item) => item.Name);
}

describe('reconnects', () => {
	it('403::Unknown client: handshake and subscribe again from the last event delivered; one client, nothing twice', async () => {
		const sf = standin();
		const trigger = await activate(setupFor(sf), ACCOUNT_CHANGES);
		await until(() => listening(sf), 'the trigger listens');
		sf.insertRecords('Account', [{ Name: 'A' }]);
		await until(() => trigger.database.executions.length === 1, 'A');
		sf.forgetStreamingClients();
		sf.insertRecords('Account', [{ Name: 'B' }, { Name: 'C' }]);
		await until(() => trigger.database.executions.length === 3, 'B and C');
		await until(() => listening(sf), 'the trigger listens again');
		expect(sf.streamingCounts).toMatchObject({ handshakes: 2, subscribes: 2 });
		expect(sf.streamingClients()).toHaveLength(1);
		expect(sf.streamingClients()[0].channels).toEqual(['/data/AccountChangeEvent']);
		await trigger.close();
		expect(names(trigger.database.items())).toEqual(['A', 'B', 'C']);
		expect(trigger.errors).toEqual([]);
	});

	it('an ended session (401::Authentication invalid in an HTTP 200): one login through the credential, then on', async () => {
		const sf = standin();
		const setup = setupFor(sf);
		const trigger = await activate(setup, ACCOUNT_CHANGES);
		await until(() => listening(sf), 'the trigger listens');
		expect(sf.loginCount).toBe(1);
		const oldSession = setup.store.getData(setup.credential.id).accessToken;
		sf.expireAllSessions();
		await until(
			() => sf.loginCount === 2 && listening(sf),
			'a new login and the trigger listening again',
		);
		sf.insertRecords('Account', [{ Name: 'After renewal' }]);
		await until(() => trigger.database.executions.length === 1, 'the event');
		await trigger.close();
		expect(sf.loginCount).toBe(2);
		expect(setup.store.getData(setup.credential.id).accessToken).not.toBe(oldSession);
		expect(trigger.errors).toEqual([]);
		// The renewal cost one REST request (the session check that made n8n log in), no more.
		expect(sf.apiRequestCount).toBe(1);
	});

	it("a fresh session refused as well: stops with the credential's error, after one login attempt, never retried", async () => {
		const sf = standin();
		const trigger = await activate(setupFor(sf), ACCOUNT_CHANGES);
		await until(() => listening(sf), 'the trigger listens');
		sf.users[0].status = 'locked';
		sf.expireAllSessions();
		await until(() => trigger.errors.length === 1, 'the trigger reports its failure');
		const tokenRequests = sf.tokenRequests().length;
		await sleep(300);
		expect(sf.tokenRequests().length).toBe(tokenRequests);
		expect(sf.failedLoginCount).toBe(1);
		expect(trigger.errors[0].message).toMatch(/authentication failure|locked|password/i);
		await trigger.close();
	});

	it('the network drops: backs off (no tight loop), reconnects when it is back, events published meanwhile delivered in order', async () => {
		const sf = standin();
		const trigger = await activate(setupFor(sf), ACCOUNT_CHANGES);
		await until(() => listening(sf), 'the trigger listens');
		sf.insertRecords('Account', [{ Name: 'A' }]);
		await until(() => trigger.database.executions.length === 1, 'A');
		const logs = createLogCapture();
		await sf.takeOffline('refuse');
		sf.insertRecords('Account', [{ Name: 'B' }, { Name: 'C' }]);
		await sleep(3_000);
		// Each attempt that got no answer is logged: immediately, then after 1 s, 2 s … — a handful in 3 s, not thousands.
		const attempts = logs.entries.filter((entry) => /got no answer/.test(entry.message)).length;
		await sf.bringOnline();
		await until(() => trigger.database.executions.length === 3, 'B and C', 90_000);
		await until(() => listening(sf), 'the trigger listens again', 90_000);
		// A new client, subscribed from B's predecessor; the one given up was told to go: one subscription.
		expect(sf.streamingClients()).toHaveLength(1);
		expect(sf.streamingCounts.disconnects).toBe(1);
		await trigger.close();
		logs.stop();
		expect(attempts).toBeGreaterThanOrEqual(2);
		expect(attempts).toBeLessThanOrEqual(5);
		expect(logs.findLeaks(sf.activeSessions())).toEqual([]);
		expect(names(trigger.database.items())).toEqual(['A', 'B', 'C']);
		expect(sf.streamingClients()).toEqual([]);
		expect(trigger.errors).toEqual([]);
		// The backoff may have grown to 8 s or more by the time the stand-in is back on a loaded machine.
	}, 120_000);

	it('Salesforce restarts (connections dropped, clients forgotten): reconnects, nothing lost, nothing twice', async () => {
		const sf = standin();
		const trigger = await activate(setupFor(sf), ACCOUNT_CHANGES);
		await until(() => listening(sf), 'the trigger listens');
		sf.insertRecords('Account', [{ Name: 'A' }]);
		await until(() => trigger.database.executions.length === 1, 'A');
		sf.simulateRestart();
		sf.insertRecords('Account', [{ Name: 'B' }]);
		await until(() => trigger.database.executions.length === 2, 'B');
		await until(() => listening(sf), 'the trigger listens again');
		expect(sf.streamingClients()).toHaveLength(1);
		await trigger.close();
		expect(names(trigger.database.items())).toEqual(['A', 'B']);
		expect(trigger.database.duplicates).toEqual([]);
	});
});

describe('a client Salesforce forgets while an execution runs', () => {
	const forgetful = useStandin({ streaming: { ...SHORT_STREAMING, reconnectTimeoutMs: 200 } });

	it('(the 40 s reconnect timeout passed): the events after it come in order, none twice', async () => {
		const sf = forgetful();
		const trigger = await activate(setupFor(sf), ACCOUNT_CHANGES, { manualFinish: true });
		await until(() => listening(sf), 'the trigger listens');
		sf.insertRecords('Account', [{ Name: 'A' }, { Name: 'B' }]);
		await until(() => trigger.database.executions.length === 1, 'A running');
		await until(() => sf.streamingClients().length === 0, 'Salesforce forgets the client');
		sf.insertRecords('Account', [{ Name: 'C' }]);
		for (let index = 0; index < 3; index++) {
			await until(() => trigger.database.executions.length === index + 1, `execution ${index + 1}`);
			trigger.database.executions[index].finish?.();
		}
		await until(() => listening(sf), 'the trigger listens again');
		await trigger.close();
		expect(names(trigger.database.items())).toEqual(['A', 'B', 'C']);
		expect(trigger.database.duplicates).toEqual([]);
	});
});
