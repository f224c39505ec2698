/**
 * Every event becomes one execution, in the order Salesforce delivered it: through n8n-core's real
 * TriggerContext against the stand-in's CometD endpoint — the replay state stored before each emit,
 * each execution awaited before the next, n8n's deduplication key on each; what an item holds for
 * change events, platform events and full records.
 */
import { forgetAllSessions } from '../../../nodes/client/liveSessions';
import { useStandin } from '../../support/fixtures';
import {
	ACCOUNT_CHANGES,
	accountNames,
	activate,
	listening,
	ORDER_SHIPPED,
	setupFor,
	SHORT_STREAMING,
	until,
} from './support';

const standin = useStandin({ streaming: SHORT_STREAMING });

beforeEach(() => forgetAllSessions());

const COLLECTIONS_READ = /^\/services\/data\/v62\.0\/composite\/sobjects\/\w+$/;

describe('delivery', () => {
	it('one execution per change event, in order; before each emit the replay state names the event before it', async () => {
		const sf = standin();
		const trigger = await activate(setupFor(sf), ACCOUNT_CHANGES);
		// Saved after the activation: "New Events" starts from Salesforce's clock, no replay id yet.
		const { replay: activated } = trigger.database.staticData['node:Salesforce Event Trigger'] as {
			replay: Record<string, unknown>;
		};
		expect(activated).toEqual({ channel: '/data/AccountChangeEvent', since: expect.any(String) });
		await until(() => listening(sf), 'the trigger listens');

		const ids = sf.insertRecords('Account', accountNames(3));
		sf.updateRecords('Account', [{ Id: ids[1], Phone: '555-0101' }]);
		sf.deleteRecords('Account', [ids[2]]);
		await until(() => trigger.database.executions.length === 5, 'five executions');
		await trigger.close();

		const executions = trigger.database.executions;
		const items = trigger.database.items();
		expect(items.map((item) => [item.changeType, (item.recordIds as string[])[0]])).toEqual([
			['CREATE', ids[0]],
			['CREATE', ids[1]],
			['CREATE', ids[2]],
			['UPDATE', ids[1]],
			['DELETE', ids[2]],
		]);
		const retained = sf.retainedEvents('/data/AccountChangeEvent').map((event) => event.replayId);
		expect(items.map((item) => item.replayId)).toEqual(retained);
		expect(items[3]).toMatchObject({
			entityName: 'Account',
			Phone: '555-0101',
			commitTimestamp: expect.stringMatching(/Z$/),
		});
		expect([...(items[3].changedFields as string[])].sort()).toEqual(['LastModifiedDate', 'Phone']);
		// What n8n saved at each emit: the state after the previous event (the first: the activation's mark).
		const storedAtEmit = executions.map(
			(execution) =>
				(
					execution.staticDataAtEmit['node:Salesforce Event Trigger'] as {
						replay: Record<string, unknown>;
					}
				).replay,
		);
		expect(storedAtEmit[0]).toEqual(activated);
		for (let index = 1; index < 5; index++)
			expect(storedAtEmit[index]).toMatchObject({
				channel: '/data/AccountChangeEvent',
				replayId: retained[index - 1],
			});
		// One deduplication key per event, the same workflow and node throughout.
		const keys = executions.map((execution) => execution.deduplicationKey as string);
		expect(new Set(keys).size).toBe(5);
		keys.forEach((key, index) =>
			expect(key).toMatch(new RegExp(`^salesforce-event:[0-9a-f]{32}:${retained[index]}$`)),
		);
		// One handshake, one subscription, no REST request per event; the goodbye on deactivation.
		expect(sf.streamingCounts).toMatchObject({ handshakes: 1, subscribes: 1, disconnects: 1 });
		expect(sf.apiRequestCount).toBe(0);
		expect(sf.streamingClients()).toEqual([]);
	});

	it('waits for each execution before it emits the next', async () => {
		const sf = standin();
		const trigger = await activate(setupFor(sf), ACCOUNT_CHANGES, { manualFinish: true });
		await until(() => listening(sf), 'the trigger listens');
		sf.insertRecords('Account', accountNames(3));
		for (let finished = 0; finished < 3; finished++) {
			await until(
				() => trigger.database.executions.length === finished + 1,
				`execution ${finished + 1}`,
			);
			// Salesforce has delivered all three; the next one waits for this execution to finish.
			await until(
				() => sf.streamingCounts.deliveredEvents === 3,
				'all three delivered to the client',
			);
			expect(trigger.database.executions).toHaveLength(finished + 1);
			trigger.database.executions[finished].finish?.();
		}
		await until(
			() => trigger.database.executions.every((execution) => !execution.finish),
			'the last execution finished',
		);
		expect(trigger.database.items().map((item) => item.Name)).toEqual([
			'Account 0',
			'Account 1',
			'Account 2',
		]);
		await trigger.close();
	});

	it('an execution n8n could not run (its done promise rejected): reported as a failed execution naming the event, the next one runs', async () => {
		const sf = standin();
		const trigger = await activate(setupFor(sf), ACCOUNT_CHANGES, { refuseToRun: [2] });
		await until(() => listening(sf), 'the trigger listens');
		sf.insertRecords('Account', accountNames(3));
		await until(() => trigger.database.executions.length === 2, 'the first and the third');
		await trigger.close();
		const replayIds = sf.retainedEvents('/data/AccountChangeEvent').map((event) => event.replayId);
		expect(trigger.database.items().map((item) => item.replayId)).toEqual([
			replayIds[0],
			replayIds[2],
		]);
		expect(trigger.failedExecutions.map((error) => error.message)).toEqual([
			`n8n could not run the execution of the event with replay id ${replayIds[1]} on /data/AccountChangeEvent (SQLITE_BUSY: database is locked); the trigger went on with the next event`,
		]);
	});

	it('a Platform Event: its payload, replayId and EventUuid', async () => {
		const sf = standin();
		const trigger = await activate(setupFor(sf), ORDER_SHIPPED);
		await until(() => listening(sf), 'the trigger listens');
		const [published] = sf.publishPlatformEvents('Order_Shipped__e', [
			{ Order_Number__c: 'ORD-1', Carrier__c: 'DHL', Weight_Kg__c: 2.5 },
		]);
		await until(() => trigger.database.executions.length === 1, 'one execution');
		await trigger.close();
		expect(trigger.database.items()[0]).toMatchObject({
			Order_Number__c: 'ORD-1',
			Carrier__c: 'DHL',
			Weight_Kg__c: 2.5,
			CreatedDate: expect.any(String),
			replayId: published.replayId,
			EventUuid: published.eventUuid,
		});
	});

	it('every selected object (/data/ChangeEvents), and a channel typed as a path', async () => {
		const sf = standin();
		const setup = setupFor(sf);
		const all = await activate(setup, { source: 'changeEvents', objects: 'allSelected' });
		const typed = await activate(
			setup,
			{ source: 'channel', channel: '/data/Invoice__ChangeEvent' },
			{ nodeName: 'Typed Channel' },
		);
		await until(
			() => sf.streamingClients().filter((client) => client.connectHeld).length === 2,
			'both triggers listen',
		);
		const [account] = sf.insertRecords('Account', accountNames(1));
		const [invoice] = sf.insertRecords('Invoice__c', [{ Account__c: account, Amount__c: 10 }]);
		await until(
			() => all.database.executions.length === 2 && typed.database.executions.length === 1,
			'the executions',
		);
		await Promise.all([all.close(), typed.close()]);
		expect(
			all.database.items().map((item) => [item.entityName, (item.recordIds as string[])[0]]),
		).toEqual([
			['Account', account],
			['Invoice__c', invoice],
		]);
		expect(typed.database.items().map((item) => item.entityName)).toEqual(['Invoice__c']);
	});

	it('a burst of 2,000 events over several connects: every one delivered once, in order', async () => {
		const sf = standin();
		const trigger = await activate(setupFor(sf), ACCOUNT_CHANGES);
		await until(() => listening(sf), 'the trigger listens');
		for (let batch = 0; batch < 4; batch++)
			sf.insertRecords('Account', accountNames(500, `Burst ${batch}`));
		await until(() => trigger.database.executions.length === 2000, '2,000 executions', 60_000);
		await trigger.close();
		const replayIds = trigger.database.items().map((item) => item.replayId);
		expect(replayIds).toEqual(
			sf.retainedEvents('/data/AccountChangeEvent').map((event) => event.replayId),
		);
		expect(trigger.database.duplicates).toEqual([]);
		expect(sf.streamingCounts.connects).toBeGreaterThan(2);
	});
});

describe('Fetch Full Records', () => {
	const FULL_RECORDS = { ...ACCOUNT_CHANGES, options: { fetchFullRecords: true } };

	it('adds each changed record as it is now: an update carries all fields; a deletion none', async () => {
		const sf = standin();
		const [id] = sf.insertRecords('Account', [
			{ Name: 'Full Inc', Phone: '555-0100', Industry: 'Energy' },
		]);
		const trigger = await activate(setupFor(sf), FULL_RECORDS);
		await until(() => listening(sf), 'the trigger listens');
		sf.updateRecords('Account', [{ Id: id, Phone: '555-0199' }]);
		await until(() => trigger.database.executions.length === 1, "the update's execution");
		// Read when its event is handed over: a record deleted by then is gone (events that arrive together are read together).
		sf.deleteRecords('Account', [id]);
		await until(() => trigger.database.executions.length === 2, 'two executions');
		await trigger.close();
		const [update, deletion] = trigger.database.items();
		expect(update).toMatchObject({ changeType: 'UPDATE', Phone: '555-0199' });
		expect(update.Name).toBeUndefined();
		expect(update.records).toEqual([
			expect.objectContaining({ Id: id, Name: 'Full Inc', Phone: '555-0199', Industry: 'Energy' }),
		]);
		expect((update.records as Array<Record<string, unknown>>)[0].attributes).toBeUndefined();
		expect(deletion).toMatchObject({ changeType: 'DELETE', records: [] });
	});

	it('makes gap events useful; ⌈ids/200⌉ Collections requests, whatever the number of events', async () => {
		const sf = standin();
		const ids = sf.insertRecords('Account', accountNames(250, 'Gap'));
		const trigger = await activate(setupFor(sf), FULL_RECORDS);
		await until(() => listening(sf), 'the trigger listens');
		sf.resetRecords();
		sf.raiseGapEvent('Account', 'UPDATE', ids);
		sf.raiseOverflowEvent('Account');
		await until(() => trigger.database.executions.length === 2, 'two executions');
		const [gap, overflow] = trigger.database.items();
		expect(gap.changeType).toBe('GAP_UPDATE');
		expect((gap.records as Array<Record<string, unknown>>).map((record) => record.Id)).toEqual(ids);
		expect(overflow).toMatchObject({ changeType: 'GAP_OVERFLOW', records: [] });
		// 250 ids: two reads (200 + 50), and the object's describe once for its fields.
		expect(
			sf.requests
				.filter((request) => COLLECTIONS_READ.test(request.path))
				.map((request) => JSON.parse(request.rawBody).ids.length),
		).toEqual([200, 50]);
		expect(sf.apiRequestCount).toBe(3);

		// 250 separate events (one record each) also cost two reads: events are read together.
		sf.resetRecords();
		sf.updateRecords(
			'Account',
			ids.map((id, index) => ({ Id: id, Phone: `555-${index}` })),
		);
		await until(() => trigger.database.executions.length === 252, '250 more executions');
		await trigger.close();
		expect(
			trigger.database
				.items()
				.slice(2)
				.every((item) => (item.records as unknown[]).length === 1),
		).toBe(true);
		expect(
			sf.requests.filter((request) => COLLECTIONS_READ.test(request.path)).length,
		).toBeLessThanOrEqual(3);
	});

	it('a read Salesforce refuses: the event still runs, saying why its records are missing', async () => {
		const sf = standin();
		const trigger = await activate(setupFor(sf), FULL_RECORDS);
		await until(() => listening(sf), 'the trigger listens');
		sf.setRestFault(
			{
				kind: 'error',
				status: 403,
				errorCode: 'INSUFFICIENT_ACCESS',
				message: 'insufficient access rights on object id',
			},
			{ path: /composite\/sobjects/ },
		);
		sf.insertRecords('Account', accountNames(1));
		await until(() => trigger.database.executions.length === 1, 'one execution');
		await trigger.close();
		const [item] = trigger.database.items();
		expect(item.records).toBeUndefined();
		expect(item.recordsError).toMatch(/insufficient access/i);
	});
});
