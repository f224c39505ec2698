/**
 * Restarts (n8n stopped and started again, or the workflow deactivated and reactivated): what n8n
 * saved — static data at each emit and after activation, never at deactivation; executions with
 * their deduplication keys — is all the next activation has. Events published meanwhile come first,
 * none lost and none run twice; a stored replay id Salesforce no longer holds is reported.
 */
import { forgetAllSessions } from '../../../nodes/client/liveSessions';
import { useStandin } from '../../support/fixtures';
import { N8nDatabase } from '../../support/n8n-trigger';
import {
	ACCOUNT_CHANGES,
	activate,
	listening,
	setupFor,
	SHORT_STREAMING,
	until,
	type TriggerSetup,
} from './support';

const standin = useStandin({ streaming: SHORT_STREAMING });

beforeEach(() => forgetAllSessions());

async function deliverWhileActive(
	setup: TriggerSetup,
	database: N8nDatabase,
	sf: ReturnType<typeof standin>,
	names: string[],
	options = {},
) {
	const trigger = await activate(setup, ACCOUNT_CHANGES, { database, ...options });
	await until(() => listening(sf), 'the trigger listens');
	const before = database.executions.length;
	sf.insertRecords(
		'Account',
		names.map((Name) => ({ Name })),
	);
	await until(
		() => database.executions.length === before + names.length,
		`${names.length} executions`,
	);
	await trigger.close();
}

function names(database: N8nDatabase): unknown[] {
	return database.items().map((item) => item.Name);
}

describe('restarts within retention', () => {
	it('events published while n8n was down come first, from the last replay id; the last one delivered is not run twice', async () => {
		const sf = standin();
		const setup = setupFor(sf);
		const database = new N8nDatabase();
		await deliverWhileActive(setup, database, sf, ['A', 'B']);
		// Down: B's replay id was never saved (n8n saves at the next emit), so B comes again.
		sf.insertRecords('Account', [{ Name: 'C' }, { Name: 'D' }]);
		const restarted = await activate(setup, ACCOUNT_CHANGES, { database });
		await until(() => database.executions.length === 4, 'C and D');
		await until(() => listening(sf), 'the trigger listens again');
		sf.insertRecords('Account', [{ Name: 'E' }]);
		await until(() => database.executions.length === 5, 'E');
		await restarted.close();
		expect(names(database)).toEqual(['A', 'B', 'C', 'D', 'E']);
		// n8n refused B's second execution by its deduplication key.
		expect(database.duplicates).toHaveLength(1);
		expect(database.duplicates[0]).toBe(database.executions[1].deduplicationKey);
		expect(restarted.failedExecutions).toEqual([]);
	});

	it('"New Events", restarted before the first event: nothing published after the activation is lost', async () => {
		const sf = standin();
		const setup = setupFor(sf);
		const database = new N8nDatabase();
		// (Events from the 2 s before it could come too — the margin for Salesforce's clock, see replay.ts; not tested here.)
		const first = await activate(setup, ACCOUNT_CHANGES, { database });
		await until(() => listening(sf), 'the trigger listens');
		await first.close();
		sf.insertRecords('Account', [{ Name: 'While down 1' }, { Name: 'While down 2' }]);
		const restarted = await activate(setup, ACCOUNT_CHANGES, { database });
		await until(() => database.executions.length === 2, 'the two events published while down');
		await until(() => listening(sf), 'the trigger listens again');
		await restarted.close();
		expect(names(database)).toEqual(['While down 1', 'While down 2']);
	});

	it('"All Retained Events": the first activation starts with what Salesforce holds', async () => {
		const sf = standin();
		const setup = setupFor(sf);
		sf.insertRecords('Account', [{ Name: 'Old 1' }, { Name: 'Old 2' }]);
		const trigger = await activate(setup, { ...ACCOUNT_CHANGES, replayFrom: 'allRetained' });
		await until(() => trigger.database.executions.length === 2, 'the retained events');
		await trigger.close();
		expect(names(trigger.database)).toEqual(['Old 1', 'Old 2']);
	});

	it("another source starts afresh (the stored replay id is the old channel's)", async () => {
		const sf = standin();
		const setup = setupFor(sf);
		const database = new N8nDatabase();
		await deliverWhileActive(setup, database, sf, ['A', 'B']);
		const invoices = await activate(
			setup,
			{ source: 'channel', channel: '/data/Invoice__ChangeEvent' },
			{ database },
		);
		await until(() => listening(sf), 'the trigger listens');
		expect(database.executions).toHaveLength(2);
		await invoices.close();
		expect(database.staticData['node:Salesforce Event Trigger']).toMatchObject({
			replay: { channel: '/data/Invoice__ChangeEvent', since: expect.any(String) },
		});
	});
});

describe('a stored replay id outside retention', () => {
	it('is a failed execution naming the lost window; delivery goes on with what Salesforce still holds', async () => {
		const sf = standin();
		const setup = setupFor(sf);
		const database = new N8nDatabase();
		await deliverWhileActive(setup, database, sf, ['A', 'B']);
		const stored = (
			database.staticData['node:Salesforce Event Trigger'] as {
				replay: { replayId: number; occurredAt: string };
			}
		).replay;
		// Down longer than the retention: A and B age out; C and D are published later.
		sf.dropRetainedEvents();
		sf.insertRecords('Account', [{ Name: 'C' }, { Name: 'D' }]);
		const restarted = await activate(setup, ACCOUNT_CHANGES, { database });
		await until(() => database.executions.length === 4, 'C and D');
		await restarted.close();
		expect(names(database)).toEqual(['A', 'B', 'C', 'D']);
		expect(restarted.failedExecutions).toHaveLength(1);
		const [report] = restarted.failedExecutions;
		expect(report.message).toContain(
			`Events on /data/AccountChangeEvent were lost: the last one delivered (replay id ${stored.replayId}, of ${stored.occurredAt})`,
		);
		expect(report.message).toContain('72 hours');
		expect(restarted.errors).toEqual([]);
	});

	it('n8n 1.x has no failed execution for a running trigger: the log says it, and delivery goes on', async () => {
		const sf = standin();
		const setup = setupFor(sf);
		const database = new N8nDatabase();
		await deliverWhileActive(setup, database, sf, ['A'], { n8n1x: true });
		sf.dropRetainedEvents();
		sf.insertRecords('Account', [{ Name: 'B' }]);
		const restarted = await activate(setup, ACCOUNT_CHANGES, { database, n8n1x: true });
		await until(() => database.executions.length === 2, 'B');
		await restarted.close();
		expect(names(database)).toEqual(['A', 'B']);
		expect(restarted.errors).toEqual([]);
	});
});

describe('n8n 1.x (no deduplication key)', () => {
	it('the last event delivered before a restart can run a second time: the documented limit', async () => {
		const sf = standin();
		const setup = setupFor(sf);
		const database = new N8nDatabase();
		await deliverWhileActive(setup, database, sf, ['A', 'B'], { n8n1x: true });
		const restarted = await activate(setup, ACCOUNT_CHANGES, { database, n8n1x: true });
		await until(() => database.executions.length === 3, 'B again');
		await restarted.close();
		expect(names(database)).toEqual(['A', 'B', 'B']);
	});
});
