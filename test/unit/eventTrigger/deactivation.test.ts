/**
 * Deactivation ends the long poll at once — the held request aborted, /meta/disconnect sent — and
 * leaves nothing behind: no timer, no socket (the process's active resources are as before), also
 * when it comes during a backoff wait or while an execution runs. And "Listen for test event".
 */
import { forgetAllSessions } from '../../../nodes/client/liveSessions';
import { useStandin } from '../../support/fixtures';
import {
	ACCOUNT_CHANGES,
	activate,
	listen,
	listening,
	setupFor,
	SHORT_STREAMING,
	sleep,
	until,
} from './support';

const standin = useStandin({ streaming: { ...SHORT_STREAMING, longPollTimeoutMs: 60_000 } });

beforeEach(() => forgetAllSessions());

/** Timers and sockets of this process, by kind (process.getActiveResourcesInfo); the stand-in runs in it too. */
function activeResources(): Record<string, number> {
	const counts: Record<string, number> = { Timeout: 0, TCPSocketWrap: 0 };
	for (const kind of process.getActiveResourcesInfo()) if (kind in counts) counts[kind]++;
	return counts;
}

/** The resources once nothing changes for a while (closed sockets go on later turns of the event loop). */
async function quiet(): Promise<Record<string, number>> {
	let last = JSON.stringify(activeResources());
	for (let same = 0, turns = 0; same < 10 && turns < 500; turns++) {
		await sleep(20);
		const now = JSON.stringify(activeResources());
		same = now === last ? same + 1 : 0;
		last = now;
	}
	return JSON.parse(last) as Record<string, number>;
}

/** No more timers or sockets than `before`, once they had time to close. */
async function expectNothingLeft(before: Record<string, number>): Promise<void> {
	const after = await quiet();
	for (const kind of Object.keys(before))
		expect(`${kind}: ${Math.max(0, after[kind] - before[kind])} more`).toBe(`${kind}: 0 more`);
}

describe('deactivation', () => {
	it('ends the held long poll at once with /meta/disconnect; no timer or socket left', async () => {
		const sf = standin();
		const setup = setupFor(sf);
		// A first activation logs in: n8n-core's one-off timers of the login are not the trigger's.
		await (await activate(setup, ACCOUNT_CHANGES)).close();
		const before = await quiet();
		const trigger = await activate(setup, ACCOUNT_CHANGES);
		await until(() => listening(sf), 'the trigger listens (a connect held for a minute)');
		// The held long poll: its socket, both ends (the stand-in runs in this process).
		expect(activeResources().TCPSocketWrap).toBeGreaterThanOrEqual(before.TCPSocketWrap + 2);
		await trigger.close();
		expect(sf.streamingClients()).toEqual([]);
		expect(sf.streamingCounts.disconnects).toBe(2);
		await expectNothingLeft(before);
	});

	it('during a backoff wait (Salesforce out of reach): returns, nothing left waiting', async () => {
		const sf = standin();
		const setup = setupFor(sf);
		await (await activate(setup, ACCOUNT_CHANGES)).close();
		const before = await quiet();
		const trigger = await activate(setup, ACCOUNT_CHANGES);
		await until(() => listening(sf), 'the trigger listens');
		await sf.takeOffline('refuse');
		await sleep(1_500);
		await trigger.close();
		await sf.bringOnline();
		await expectNothingLeft(before);
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
		expect(output).toEqual([
			[{ json: expect.objectContaining({ changeType: 'CREATE', Name: 'The test event' }) }],
		]);
		expect(sf.streamingCounts.disconnects).toBe(1);
		expect(sf.streamingClients()).toEqual([]);
	});

	it('bad input fails the test run at once, naming the fix', async () => {
		const sf = standin();
		const failure = await listen(setupFor(sf), {
			source: 'channel',
			channel: '/event/Unknown__e',
		}).then(
			() => undefined,
			(error: Error) => error,
		);
		expect(failure?.message).toMatch(
			/^Salesforce has no channel for the Platform Event Unknown__e/,
		);
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
