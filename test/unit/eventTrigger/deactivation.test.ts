/**
 * Deactivation ends the long poll at once — the held request aborted, /meta/disconnect sent — and
 * leaves nothing behind: no timer, no socket (the process's active resources are as before), also
 * when it comes during a backoff wait or while an execution runs. And "Listen for test event".
 */
import { forgetAllSessions } from '../../../nodes/client/liveSessions';
import { storedCredential, useStandin } from '../../support/fixtures';
import { CredentialStore } from '../../support/n8n-harness';
import { ACCOUNT_CHANGES, activate, listen, listening, SHORT_STREAMING, sleep, until } from './support';

const standin = useStandin({ streaming: { ...SHORT_STREAMING, longPollTimeoutMs: 60_000 } });

beforeEach(() => forgetAllSessions());

function setupFor(sf: ReturnType<typeof standin>) {
	return { store: new CredentialStore(), credential: storedCredential(sf) };
}

/** Timers and sockets of this process, by kind (process.getActiveResourcesInfo). */
function activeResources(): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const kind of process.getActiveResourcesInfo()) if (kind === 'Timeout' || kind === 'TCPSocketWrap') counts[kind] = (counts[kind] ?? 0) + 1;
	return counts;
}

/** What is left once closed sockets are gone (they close on the next turns of the event loop). */
async function settled(expected: Record<string, number>): Promise<Record<string, number>> {
	for (let attempt = 0; attempt < 100 && JSON.stringify(activeResources()) !== JSON.stringify(expected); attempt++) await sleep(20);
	return activeResources();
}

describe('deactivation', () => {
	it('ends the held long poll at once with /meta/disconnect; no timer or socket left', async () => {
		const sf = standin();
		const setup = setupFor(sf);
		// A first activation logs in: n8n-core's one-off timers of the login are not the trigger's.
		await (await activate(setup, ACCOUNT_CHANGES)).close();
		const before = await settled(activeResources());
		const trigger = await activate(setup, ACCOUNT_CHANGES);
		await until(() => listening(sf), 'the trigger listens (a connect held for a minute)');
		expect(activeResources()).not.toEqual(before);
		await trigger.close();
		expect(sf.streamingClients()).toEqual([]);
		expect(sf.streamingCounts.disconnects).toBe(2);
		expect(await settled(before)).toEqual(before);
	});

	it('during a backoff wait (Salesforce out of reach): returns, nothing left waiting', async () => {
		const sf = standin();
		const setup = setupFor(sf);
		await (await activate(setup, ACCOUNT_CHANGES)).close();
		const before = await settled(activeResources());
		const trigger = await activate(setup, ACCOUNT_CHANGES);
		await until(() => listening(sf), 'the trigger listens');
		await sf.takeOffline('refuse');
		await sleep(1_500);
		await trigger.close();
		await sf.bringOnline();
		expect(await settled(before)).toEqual(before);
		expect(trigger.errors).toEqual([]);
	});

	it('while an execution runs: does not wait for it', async () => {
		const sf = standin();
		const trigger = await activate(setupFor(sf), ACCOUNT_CHANGES, { manualFinish: true });
		await until(() => listening(sf), 'the trigger listens');
		sf.insertRecords('Account', [{ Name: 'A' }, { Name: 'B' }]);
		await until(() => trigger.database.executions.length === 1, 'A running');
		await trigger.close();
		expect(sf.streamingCounts.disconnects).toBe(1);
		trigger.database.executions[0].finish?.();
		await sleep(100);
		expect(trigger.database.executions).toHaveLength(1);
	});
});

describe('Listen for test event (manual mode)', () => {
	it('waits for the next event and outputs it; stores nothing; disconnects when n8n closes it', async () => {
		const sf = standin();
		sf.insertRecords('Account', [{ Name: 'Before listening' }]);
		const run = await listen(setupFor(sf), { ...ACCOUNT_CHANGES, replayFrom: 'allRetained' });
		await until(() => listening(sf), 'the trigger listens');
		sf.insertRecords('Account', [{ Name: 'The test event' }]);
		const output = await run.output;
		await run.close();
		expect(output).toEqual([[{ json: expect.objectContaining({ changeType: 'CREATE', Name: 'The test event' }) }]]);
		expect(sf.streamingCounts.disconnects).toBe(1);
		expect(sf.streamingClients()).toEqual([]);
	});

	it('bad input fails the test run at once, naming the fix', async () => {
		const sf = standin();
		const failure = await listen(setupFor(sf), { source: 'channel', channel: '/event/Unknown__e' }).then(
			() => undefined,
			(error: Error) => error,
		);
		expect(failure?.message).toMatch(/^Salesforce has no channel for the Platform Event Unknown__e/);
	});

	it('stopped by the user before any event: ends without output', async () => {
		const sf = standin();
		const run = await listen(setupFor(sf), ACCOUNT_CHANGES);
		await until(() => listening(sf), 'the trigger listens');
		await run.close();
		expect(sf.streamingClients()).toEqual([]);
		expect(sf.streamingCounts.disconnects).toBe(1);
	});
});
