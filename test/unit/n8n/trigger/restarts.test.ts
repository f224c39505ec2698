/**
 * Restarts and what Salesforce no longer holds: n8n saves the trigger's state only when a poll emits
 * (and after an activation), so a restart resumes from the last emitting poll's state; deletions
 * older than what getDeleted still reports fail a poll, naming the window and how to go on — never
 * a silent gap, and never a failed activation.
 */
import {
	activeTrigger,
	names,
	object,
	ORG_START,
	passTime,
	salesforceTrigger,
	setOrgTime,
	useTriggerTests,
} from './support';

const standin = useTriggerTests();

it('n8n stopped for ten minutes: the changes made meanwhile come at the first poll after the start, once', async () => {
	const sf = standin();
	const { n8n } = await activeTrigger(sf, {
		event: 'createdOrUpdated',
		sobject: object('Account'),
		fields: ['Name'],
	});
	sf.insertRecords('Account', [{ Name: 'Before the stop' }]);
	passTime(60_000);
	expect(names((await n8n.tick()).items)).toEqual(['Before the stop']);
	// Empty polls move the state in memory only: n8n saves nothing for them.
	const savedAfterLastEmit = n8n.saved;
	for (let poll = 0; poll < 3; poll++) {
		passTime(60_000);
		expect((await n8n.tick()).items).toEqual([]);
	}
	expect(n8n.saved).toBe(savedAfterLastEmit);

	n8n.stop();
	sf.insertRecords('Account', [{ Name: 'While stopped 1' }]);
	passTime(5 * 60_000);
	sf.insertRecords('Account', [{ Name: 'While stopped 2' }]);
	passTime(5 * 60_000);
	const start = await n8n.activate('init');
	expect(names(start.items)).toEqual(['While stopped 1', 'While stopped 2']);
	passTime(60_000);
	expect((await n8n.tick()).items).toEqual([]);
	expect(names(n8n.emitted)).toEqual(['Before the stop', 'While stopped 1', 'While stopped 2']);
});

it('a restart right after a poll that emitted: nothing emitted twice', async () => {
	const sf = standin();
	const { n8n } = await activeTrigger(sf, {
		event: 'created',
		sobject: object('Account'),
		fields: ['Name'],
	});
	sf.insertRecords('Account', [{ Name: 'Once' }]);
	passTime(60_000);
	await n8n.tick();
	n8n.stop();
	passTime(30_000);
	expect((await n8n.activate('init')).items).toEqual([]);
	passTime(60_000);
	expect((await n8n.tick()).items).toEqual([]);
	expect(names(n8n.emitted)).toEqual(['Once']);
});

it('a backlog larger than a page at the start: the activation poll reads one page, the next polls the rest', async () => {
	const sf = standin();
	const { n8n } = await activeTrigger(sf, {
		event: 'created',
		sobject: object('Account'),
		fields: ['Name'],
	});
	n8n.stop();
	for (let second = 0; second < 3; second++) {
		sf.insertRecords(
			'Account',
			Array.from({ length: 1_000 }, (_, index) => ({ Name: `Backlog ${second}-${index}` })),
		);
		passTime(1_000);
	}
	passTime(10 * 60_000);
	sf.resetRecords();
	const start = await n8n.activate('init');
	expect(sf.apiRequestCount).toBe(1);
	expect(start.items.length).toBeGreaterThanOrEqual(2_000);
	expect(start.items.length).toBeLessThan(3_000);
	passTime(60_000);
	await n8n.tick();
	expect(new Set(n8n.emitted.map((item) => item.Id)).size).toBe(3_000);
	expect(n8n.emitted).toHaveLength(3_000);
});

describe('deletions Salesforce no longer reports', () => {
	it("found by the poll at n8n's start: the activation succeeds, the next poll fails naming the window and how to go on, the one after goes on", async () => {
		const sf = standin();
		setOrgTime(sf, ORG_START);
		const [purged, alsoPurged, later] = sf.insertRecords('Account', [
			{ Name: 'Purged' },
			{ Name: 'Also purged' },
			{ Name: 'Later' },
		]);
		const { n8n } = salesforceTrigger(sf, {
			event: 'deleted',
			sobject: object('Account'),
			fields: ['Name'],
		});
		await n8n.activate();
		n8n.stop();

		setOrgTime(sf, '2026-12-04T10:05:10.000Z');
		sf.deleteRecords('Account', [purged]);
		setOrgTime(sf, '2026-12-04T10:10:20.000Z');
		sf.deleteRecords('Account', [alsoPurged]);
		sf.emptyRecycleBin('Account');
		setOrgTime(sf, '2026-12-04T10:20:00.000Z');
		sf.deleteRecords('Account', [later]);
		setOrgTime(sf, '2026-12-04T10:25:00.000Z');

		const start = await n8n.activate('init');
		expect(start).toEqual({ items: [] });
		passTime(60_000);
		const reported = await n8n.tick();
		expect(reported.items).toEqual([]);
		expect(reported.error?.message).toBe(
			'Deletions of Account between 2026-12-04 10:00:00 UTC and 2026-12-04 10:11:00 UTC cannot be recovered: Salesforce no longer reports them.',
		);
		expect(reported.error?.description).toMatch(
			/The trigger goes on: the deletions from 2026-12-04 10:11:00 UTC on are emitted by the next polls\./,
		);
		expect(reported.error?.description).toMatch(/Record → Get Many/);
		passTime(60_000);
		expect((await n8n.tick()).items).toEqual([
			{
				Id: later,
				deletedDate: expect.stringMatching(/^2026-12-04T10:20:00/),
				inRecycleBin: true,
				Name: 'Later',
				SystemModstamp: expect.any(String),
			},
		]);
		passTime(60_000);
		expect((await n8n.tick()).error).toBeUndefined();
	});

	it('found by a scheduled poll: that poll fails with it; the next emits what Salesforce still holds', async () => {
		const sf = standin();
		setOrgTime(sf, ORG_START);
		const [purged, kept] = sf.insertRecords('Account', [{ Name: 'Purged' }, { Name: 'Kept' }]);
		const { n8n } = salesforceTrigger(sf, {
			event: 'deleted',
			sobject: object('Account'),
			fields: ['Name'],
		});
		await n8n.activate();
		passTime(160_000);
		sf.deleteRecords('Account', [purged]);
		sf.emptyRecycleBin('Account');
		passTime(60_000);
		sf.deleteRecords('Account', [kept]);
		passTime(170_000);
		const failed = await n8n.tick();
		expect(failed.error?.message).toMatch(
			/^Deletions of Account between 2026-12-04 10:00:00 UTC and 2026-12-04 10:04:00 UTC cannot be recovered/,
		);
		passTime(60_000);
		expect(names((await n8n.tick()).items)).toEqual(['Kept']);
	});
});
