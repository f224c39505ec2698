/**
 * On Salesforce's clock, not n8n's: a skewed org clock, a transaction that commits after later
 * changes were read (late commit), many records in one second across a page boundary, and a burst
 * of 5,000 changes read 2,000 a page.
 */
import {
	activeTrigger,
	apiRequestsSince,
	names,
	object,
	passTime,
	salesforceTrigger,
	setLocalClock,
	setOrgTime,
	useTriggerTests,
} from './support';

const standin = useTriggerTests();

describe.each([
	['ahead of', 7 * 60_000],
	['behind', -7 * 60_000],
])("an org clock minutes %s n8n's", (_, skew) => {
	it('every change once, nothing from before the activation', async () => {
		const sf = standin();
		sf.setClockSkew(skew);
		sf.insertRecords('Account', [{ Name: 'Before' }]);
		const { n8n } = salesforceTrigger(sf, {
			event: 'createdOrUpdated',
			sobject: object('Account'),
			fields: ['Name'],
		});
		await n8n.activate();
		const seen: unknown[][] = [];
		for (let poll = 0; poll < 4; poll++) {
			sf.insertRecords('Account', [{ Name: `Poll ${poll}` }]);
			passTime(60_000);
			seen.push(names((await n8n.tick()).items));
		}
		expect(seen).toEqual([['Poll 0'], ['Poll 1'], ['Poll 2'], ['Poll 3']]);
		// The state follows the org's time (what latestDateCovered allows: the last whole minute), not n8n's.
		const horizon = Date.parse(
			String((n8n.savedNodeData()?.changes as { horizon: string }).horizon),
		);
		const orgNow = sf.now().getTime();
		expect(orgNow - horizon).toBeGreaterThanOrEqual(0);
		expect(orgNow - horizon).toBeLessThan(2 * 60_000 + 5_000);
	});
});

it("n8n's clock set 5 minutes back, then 10 on, between polls: nothing lost, nothing repeated", async () => {
	const sf = standin();
	const { n8n } = await activeTrigger(sf, {
		event: 'created',
		sobject: object('Account'),
		fields: ['Name'],
	});
	sf.insertRecords('Account', [{ Name: 'A' }]);
	passTime(60_000);
	expect(names((await n8n.tick()).items)).toEqual(['A']);
	setLocalClock(sf, -5 * 60_000);
	sf.insertRecords('Account', [{ Name: 'B' }]);
	passTime(60_000);
	await n8n.tick();
	setLocalClock(sf, 10 * 60_000);
	sf.insertRecords('Account', [{ Name: 'C' }]);
	passTime(60_000);
	await n8n.tick();
	passTime(60_000);
	await n8n.tick();
	expect(names(n8n.emitted)).toEqual(['A', 'B', 'C']);
});

it('a late commit: a change stamped before what a poll already read is emitted when it commits, once', async () => {
	const sf = standin();
	setOrgTime(sf, '2026-12-04T09:50:00.000Z');
	const [old] = sf.insertRecords('Account', [{ Name: 'Old' }]);
	setOrgTime(sf, '2026-12-04T10:00:07.000Z');
	const { n8n } = salesforceTrigger(sf, {
		event: 'createdOrUpdated',
		sobject: object('Account'),
		fields: ['Name'],
	});
	await n8n.activate();

	const transaction = sf.beginTransaction();
	passTime(30_000);
	transaction.insert('Account', [{ Name: 'Late new' }]);
	transaction.update('Account', [{ Id: old, Name: 'Old, changed late' }]);
	passTime(60_000);
	sf.insertRecords('Account', [{ Name: 'Quick' }]);
	passTime(60_000);
	expect(names((await n8n.tick()).items)).toEqual(['Quick']);
	passTime(60_000);
	expect((await n8n.tick()).items).toEqual([]);
	// Committed four minutes on, stamped 10:00:07: older than Quick, which the trigger read already.
	transaction.commit();
	passTime(60_000);
	expect(names((await n8n.tick()).items).sort()).toEqual(['Late new', 'Old, changed late']);
	passTime(60_000);
	expect((await n8n.tick()).items).toEqual([]);
	expect(names(n8n.emitted).sort()).toEqual(['Late new', 'Old, changed late', 'Quick']);
});

it('2,500 records of one second, across a page boundary: each once, in one poll (two pages)', async () => {
	const sf = standin();
	const { n8n } = await activeTrigger(sf, {
		event: 'created',
		sobject: object('Account'),
		fields: ['Name'],
	});
	sf.insertRecords(
		'Account',
		Array.from({ length: 2_500 }, (_, index) => ({ Name: `Same second ${index}` })),
	);
	passTime(60_000);
	apiRequestsSince(sf);
	const { items } = await n8n.tick();
	expect(apiRequestsSince(sf)).toBe(2);
	expect(new Set(items.map((item) => item.Id)).size).toBe(2_500);
	expect(items).toHaveLength(2_500);
	passTime(60_000);
	expect((await n8n.tick()).items).toEqual([]);
});

it('a burst of 5,000 changes between two polls: all emitted in one execution, 2,000 a page (⌈5,000 / 2,000⌉ = 3 requests)', async () => {
	const sf = standin();
	const { n8n } = await activeTrigger(sf, {
		event: 'createdOrUpdated',
		sobject: object('Account'),
		fields: ['Name'],
	});
	for (let second = 0; second < 5; second++) {
		sf.insertRecords(
			'Account',
			Array.from({ length: 1_000 }, (_, index) => ({ Name: `Burst ${second}-${index}` })),
		);
		passTime(1_000);
	}
	passTime(60_000);
	apiRequestsSince(sf);
	const { items } = await n8n.tick();
	expect(apiRequestsSince(sf)).toBe(3);
	expect(new Set(items.map((item) => item.Name)).size).toBe(5_000);
	expect(items).toHaveLength(5_000);
	passTime(60_000);
	expect((await n8n.tick()).items).toEqual([]);
	expect(apiRequestsSince(sf)).toBe(1);
});
