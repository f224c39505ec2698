/**
 * Issue 16 in real n8n (2.41.1, the packed package as a community package), one `n8n start` and a
 * stand-in per scenario, the scenarios side by side: every event one execution in delivery order;
 * a restart of n8n — the stored replay id survives it (read from n8n's database), also when n8n
 * restarts before the first event ("New Events"), events published while n8n was down come first
 * and none runs twice; deactivate/reactivate with a lost window reported as a failed execution;
 * reconnects (an ended session: one login; a forgotten client); bad input failing the activation
 * with the fix in the message; deactivation ending the long poll at once.
 */
import type { SalesforceStandin } from '../../../dev/salesforce-standin';
import { E2E_TIMEOUT_MS } from '../support';
import {
	listensOn,
	startTriggerEnv,
	until,
	type TriggerEnv,
	type TriggerRun,
} from './support/trigger-env';

jest.setTimeout(E2E_TIMEOUT_MS);

const ACCOUNT = '/data/AccountChangeEvent';
const ORDER_SHIPPED = '/event/Order_Shipped__e';
const accountChanges = {
	source: 'changeEvents',
	sobject: { __rl: true, mode: 'list', value: 'Account' },
};

function names(runs: TriggerRun[]): unknown[] {
	return runs.map((run) => run.item?.Name);
}

describe('Salesforce Event Trigger in n8n 2.41', () => {
	let env: TriggerEnv;
	const sf: Record<'delivery' | 'firstEvent' | 'window' | 'reconnect' | 'bad', SalesforceStandin> =
		{} as never;
	const workflow: Record<'delivery' | 'firstEvent' | 'window' | 'reconnect' | 'bad', string> =
		{} as never;

	beforeAll(async () => {
		env = await startTriggerEnv('event-trigger');
		for (const scenario of ['delivery', 'firstEvent', 'window', 'reconnect', 'bad'] as const)
			sf[scenario] = await env.standin({ label: scenario });
		const credential = async (scenario: keyof typeof sf) =>
			await env.createCredential(`Event ${scenario}`, sf[scenario]);
		workflow.delivery = await env.publishTrigger(
			'Delivery',
			await credential('delivery'),
			accountChanges,
		);
		workflow.firstEvent = await env.publishTrigger(
			'Restart before the first event',
			await credential('firstEvent'),
			accountChanges,
		);
		workflow.window = await env.publishTrigger('Lost window', await credential('window'), {
			source: 'platformEvent',
			eventName: { __rl: true, mode: 'name', value: 'Order_Shipped__e' },
		});
		workflow.reconnect = await env.publishTrigger(
			'Reconnects',
			await credential('reconnect'),
			accountChanges,
		);
		// Lead is not selected for Change Data Capture in the stand-in's org.
		workflow.bad = await env.publishTrigger('Object not selected', await credential('bad'), {
			source: 'changeEvents',
			sobject: { __rl: true, mode: 'name', value: 'Lead' },
		});
		await until(
			'the four triggers listen',
			() =>
				listensOn(sf.delivery, ACCOUNT) &&
				listensOn(sf.firstEvent, ACCOUNT) &&
				listensOn(sf.window, ORDER_SHIPPED) &&
				listensOn(sf.reconnect, ACCOUNT),
		);
	});

	afterAll(async () => {
		await env?.stop();
	});

	it('every event one execution, in the order Salesforce delivered them; no REST request per event', async () => {
		const ids = sf.delivery.insertRecords('Account', [
			{ Name: 'A1' },
			{ Name: 'A2' },
			{ Name: 'A3' },
		]);
		sf.delivery.updateRecords('Account', [{ Id: ids[0], Phone: '555-0100' }]);
		const runs = await env.runs(workflow.delivery, 4);
		expect(runs.map((run) => run.status)).toEqual(['success', 'success', 'success', 'success']);
		expect(runs.map((run) => [run.item?.changeType, (run.item?.recordIds as string[])[0]])).toEqual(
			[
				['CREATE', ids[0]],
				['CREATE', ids[1]],
				['CREATE', ids[2]],
				['UPDATE', ids[0]],
			],
		);
		expect(runs.map((run) => run.item?.replayId)).toEqual(
			sf.delivery.retainedEvents(ACCOUNT).map((event) => event.replayId),
		);
		expect(sf.delivery.apiRequestCount).toBe(0);
		expect(sf.delivery.streamingCounts).toMatchObject({ handshakes: 1, subscribes: 1 });
	});

	it('bad input: the activation fails with a message naming the object and the Setup page', async () => {
		const error = await (async () => {
			for (let attempt = 0; attempt < 120; attempt++) {
				const text = await env.activationError(workflow.bad);
				if (text) return text;
				await new Promise((resolve) => setTimeout(resolve, 500));
			}
			return '';
		})();
		expect(error).toContain(
			'Salesforce has no channel for the change events of Lead (/data/LeadChangeEvent)',
		);
		expect(error).toContain('Select Lead in Setup → Integrations → Change Data Capture');
	});

	it('reconnects: an ended session costs one login; a client Salesforce forgot subscribes again from the last event', async () => {
		const logins = sf.reconnect.loginCount;
		sf.reconnect.expireAllSessions();
		await until(
			'a new login and the trigger listening again',
			() => sf.reconnect.loginCount === logins + 1 && listensOn(sf.reconnect, ACCOUNT),
		);
		sf.reconnect.insertRecords('Account', [{ Name: 'After renewal' }]);
		await env.runs(workflow.reconnect, 1);
		sf.reconnect.forgetStreamingClients();
		sf.reconnect.insertRecords('Account', [{ Name: 'After being forgotten' }]);
		const runs = await env.runs(workflow.reconnect, 2);
		expect(names(runs)).toEqual(['After renewal', 'After being forgotten']);
		expect(sf.reconnect.loginCount).toBe(logins + 1);
		await until('one client listening', () => listensOn(sf.reconnect, ACCOUNT));
		expect(sf.reconnect.streamingClients()).toHaveLength(1);
	});

	it('deactivation ends the long poll at once; a stored replay id Salesforce no longer holds is a failed execution naming the lost window, then delivery goes on', async () => {
		sf.window.publishPlatformEvents('Order_Shipped__e', [
			{ Order_Number__c: 'O-1' },
			{ Order_Number__c: 'O-2' },
		]);
		await env.runs(workflow.window, 2);
		await env.deactivate(workflow.window);
		await until('the client disconnected', () => sf.window.streamingClients().length === 0, 30_000);
		expect(sf.window.streamingCounts.disconnects).toBe(1);
		const stored = await env.replayState(workflow.window);
		expect(stored).toMatchObject({ channel: ORDER_SHIPPED, replayId: expect.any(Number) });
		// Inactive longer than Salesforce keeps events: O-1 and O-2 age out; O-3 is published later.
		sf.window.dropRetainedEvents();
		sf.window.publishPlatformEvents('Order_Shipped__e', [{ Order_Number__c: 'O-3' }]);
		await env.activate(workflow.window);
		const runs = await env.runs(workflow.window, 4);
		expect(runs.map((run) => run.status)).toEqual(['success', 'success', 'error', 'success']);
		expect(runs[2].error).toContain(
			`Events on ${ORDER_SHIPPED} were lost: the last one delivered (replay id ${String(stored?.replayId)}`,
		);
		expect(runs[2].error).toContain('72 hours');
		expect(runs[3].item?.Order_Number__c).toBe('O-3');
	});

	it('n8n restarted: the stored replay id survives; events published while it was down come first, none twice — also before the first event', async () => {
		const before = await env.runs(workflow.delivery, 4);
		const storedBefore = await env.replayState(workflow.delivery);
		// n8n saves the replay state at each emit: the one before the last event's.
		expect(storedBefore).toMatchObject({ channel: ACCOUNT, replayId: before[2].item?.replayId });
		expect(await env.replayState(workflow.firstEvent)).toEqual({
			channel: ACCOUNT,
			since: expect.any(String),
		});
		const disconnects = sf.delivery.streamingCounts.disconnects;

		await env.restart(async () => {
			// n8n's shutdown closed the triggers: each said goodbye.
			expect(sf.delivery.streamingCounts.disconnects).toBe(disconnects + 1);
			expect(await env.replayState(workflow.delivery)).toEqual(storedBefore);
			sf.delivery.insertRecords('Account', [{ Name: 'While down 1' }, { Name: 'While down 2' }]);
			sf.firstEvent.insertRecords('Account', [{ Name: 'First while down' }]);
		});

		const delivery = await env.runs(workflow.delivery, 6);
		expect(names(delivery)).toEqual(['A1', 'A2', 'A3', undefined, 'While down 1', 'While down 2']);
		expect(delivery.every((run) => run.status === 'success')).toBe(true);
		const firstEvent = await env.runs(workflow.firstEvent, 1);
		expect(names(firstEvent)).toEqual(['First while down']);
		await until(
			'both triggers listen again',
			() => listensOn(sf.delivery, ACCOUNT) && listensOn(sf.firstEvent, ACCOUNT),
		);
		sf.delivery.insertRecords('Account', [{ Name: 'After restart' }]);
		expect(names(await env.runs(workflow.delivery, 7)).at(-1)).toBe('After restart');
		// The last event before the restart came again and n8n refused its second execution: 7 runs, not 8.
		expect((await env.runs(workflow.delivery, 7)).length).toBe(7);
	});
});
