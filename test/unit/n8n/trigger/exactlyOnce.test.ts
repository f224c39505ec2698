/**
 * Every creation, change and deletion emitted once, over consecutive polls, through n8n-core's real
 * poll context against the stand-in — and what a poll costs, counted at the stand-in.
 */
import {
	activeTrigger,
	apiRequestsSince,
	names,
	object,
	ORG_START,
	passTime,
	salesforceTrigger,
	setOrgTime,
	useTriggerTests,
} from './support';

const standin = useTriggerTests();

describe('over consecutive polls', () => {
	it('created: each new record once, nothing from before the activation', async () => {
		const sf = standin();
		setOrgTime(sf, ORG_START);
		sf.insertRecords('Account', [{ Name: 'Before' }]);
		const { n8n } = salesforceTrigger(sf, {
			event: 'created',
			sobject: object('Account'),
			fields: ['Name'],
		});
		expect((await n8n.activate()).items).toEqual([]);

		sf.insertRecords('Account', [{ Name: 'First' }, { Name: 'Second' }]);
		passTime(60_000);
		expect(names((await n8n.tick()).items).sort()).toEqual(['First', 'Second']);
		expect((await n8n.tick()).items).toEqual([]);
		passTime(60_000);
		sf.insertRecords('Account', [{ Name: 'Third' }]);
		expect(names((await n8n.tick()).items)).toEqual(['Third']);
		passTime(60_000);
		expect((await n8n.tick()).items).toEqual([]);
		expect(names(n8n.emitted).sort()).toEqual(['First', 'Second', 'Third']);
	});

	it('createdOrUpdated: a record changed several times between polls once, in its latest state', async () => {
		const sf = standin();
		setOrgTime(sf, ORG_START);
		const [kept] = sf.insertRecords('Account', [{ Name: 'Kept' }]);
		const { n8n } = salesforceTrigger(sf, {
			event: 'createdOrUpdated',
			sobject: object('Account'),
			fields: ['Name', 'Phone'],
		});
		await n8n.activate();

		passTime(10_000);
		sf.updateRecords('Account', [{ Id: kept, Phone: '1' }]);
		passTime(10_000);
		sf.updateRecords('Account', [{ Id: kept, Phone: '2' }]);
		passTime(10_000);
		sf.updateRecords('Account', [{ Id: kept, Phone: '3' }]);
		const [fresh] = sf.insertRecords('Account', [{ Name: 'Fresh' }]);
		const first = await n8n.tick();
		// Both changes share a second, and records of one second come in Id order (ORDER BY stamp, Id):
		// the stand-in's Ids are random, so the two may come either way round.
		const byName = first.items
			.map(({ Name, Phone }) => ({ Name, Phone }))
			.sort((a, b) => String(a.Name).localeCompare(String(b.Name)));
		expect(byName).toEqual([
			{ Name: 'Fresh', Phone: null },
			{ Name: 'Kept', Phone: '3' },
		]);
		expect(first.items[0]).not.toHaveProperty('attributes');

		passTime(60_000);
		sf.updateRecords('Account', [{ Id: fresh, Phone: '9' }]);
		passTime(60_000);
		expect((await n8n.tick()).items.map(({ Id, Phone }) => ({ Id, Phone }))).toEqual([
			{ Id: fresh, Phone: '9' },
		]);
		expect((await n8n.tick()).items).toEqual([]);
	});

	it('updated: changes after the creation, also of a record created and changed between two polls; not the creation itself', async () => {
		const sf = standin();
		setOrgTime(sf, ORG_START);
		const [old] = sf.insertRecords('Account', [{ Name: 'Old' }]);
		const { n8n } = salesforceTrigger(sf, {
			event: 'updated',
			sobject: object('Account'),
			fields: ['Name'],
		});
		await n8n.activate();

		passTime(5_000);
		const [young] = sf.insertRecords('Account', [{ Name: 'Young' }]);
		sf.insertRecords('Account', [{ Name: 'Untouched' }]);
		passTime(5_000);
		sf.updateRecords('Account', [
			{ Id: young, Name: 'Young, changed' },
			{ Id: old, Name: 'Old, changed' },
		]);
		expect(names((await n8n.tick()).items).sort()).toEqual(['Old, changed', 'Young, changed']);
		passTime(60_000);
		expect((await n8n.tick()).items).toEqual([]);
	});

	it('deleted: each deletion once, with the fields the Recycle Bin holds', async () => {
		const sf = standin();
		setOrgTime(sf, ORG_START);
		const [gone, alsoGone] = sf.insertRecords('Account', [
			{ Name: 'Gone' },
			{ Name: 'Also gone' },
			{ Name: 'Stays' },
		]);
		const { n8n } = salesforceTrigger(sf, {
			event: 'deleted',
			sobject: object('Account'),
			fields: ['Name'],
		});
		await n8n.activate();

		passTime(65_000);
		sf.deleteRecords('Account', [gone]);
		passTime(65_000);
		const first = await n8n.tick();
		expect(first.items).toEqual([
			{
				Id: gone,
				deletedDate: expect.stringMatching(/^2026-12-04T10:01:35/),
				inRecycleBin: true,
				Name: 'Gone',
				SystemModstamp: expect.any(String),
			},
		]);
		sf.deleteRecords('Account', [alsoGone]);
		passTime(65_000);
		expect(names((await n8n.tick()).items)).toEqual(['Also gone']);
		passTime(65_000);
		expect((await n8n.tick()).items).toEqual([]);
	});
});

describe('conditions', () => {
	it('created or updated: a record is emitted when a change makes it match, as it stands when read', async () => {
		const sf = standin();
		const [lead] = sf.insertRecords('Account', [{ Name: 'Lead', Industry: 'Apparel' }]);
		const { n8n } = await activeTrigger(sf, {
			event: 'createdOrUpdated',
			sobject: object('Account'),
			fields: ['Name', 'Industry'],
			conditions: { conditions: [{ field: 'Industry', operator: 'equal', value: 'Energy' }] },
		});
		sf.insertRecords('Account', [{ Name: 'Other', Industry: 'Banking' }]);
		passTime(60_000);
		expect((await n8n.tick()).items).toEqual([]);
		sf.updateRecords('Account', [{ Id: lead, Industry: 'Energy' }]);
		passTime(60_000);
		expect((await n8n.tick()).items.map(({ Name, Industry }) => ({ Name, Industry }))).toEqual([
			{ Name: 'Lead', Industry: 'Energy' },
		]);
	});

	it('deleted: a matching deletion with the fields the Recycle Bin holds; one that does not match, not at all', async () => {
		const sf = standin();
		setOrgTime(sf, ORG_START);
		const [energy, banking] = sf.insertRecords('Account', [
			{ Name: 'Energy', Industry: 'Energy' },
			{ Name: 'Banking', Industry: 'Banking' },
		]);
		const { n8n } = salesforceTrigger(sf, {
			event: 'deleted',
			sobject: object('Account'),
			fields: ['Name'],
			conditions: { conditions: [{ field: 'Industry', operator: 'equal', value: 'Energy' }] },
		});
		await n8n.activate();
		passTime(65_000);
		sf.deleteRecords('Account', [energy, banking]);
		passTime(65_000);
		expect((await n8n.tick()).items).toEqual([
			expect.objectContaining({ Id: energy, Name: 'Energy', inRecycleBin: true }),
		]);
	});
});

describe('cost', () => {
	it('one API request per poll with a stored session and a field list chosen; no login per poll', async () => {
		const sf = standin();
		const { n8n } = await activeTrigger(sf, {
			event: 'createdOrUpdated',
			sobject: object('Account'),
			fields: ['Name'],
		});
		expect(sf.loginCount).toBe(1);
		apiRequestsSince(sf);
		for (let poll = 0; poll < 3; poll++) {
			sf.insertRecords('Account', [{ Name: `Poll ${poll}` }]);
			passTime(60_000);
			expect((await n8n.tick()).items).toHaveLength(1);
			expect(apiRequestsSince(sf)).toBe(1);
		}
		expect(sf.loginCount).toBe(0);
	});

	it('every field the user can read when none is chosen: the describe is asked once, not every poll', async () => {
		const sf = standin();
		const { n8n } = await activeTrigger(sf, { event: 'created', sobject: object('Account') });
		sf.insertRecords('Account', [{ Name: 'All fields', Phone: '555' }]);
		passTime(60_000);
		apiRequestsSince(sf);
		const [item] = (await n8n.tick()).items;
		expect(item).toMatchObject({
			Name: 'All fields',
			Phone: '555',
			Industry: null,
			External_Id__c: null,
			CreatedDate: expect.any(String),
		});
		expect(apiRequestsSince(sf)).toBe(1);
	});

	it('deleted: one request a poll too (getDeleted and the Recycle Bin in one Composite request)', async () => {
		const sf = standin();
		setOrgTime(sf, ORG_START);
		const ids = sf.insertRecords('Account', [{ Name: 'A' }, { Name: 'B' }]);
		const { n8n } = salesforceTrigger(sf, {
			event: 'deleted',
			sobject: object('Account'),
			fields: ['Name'],
		});
		await n8n.activate();
		apiRequestsSince(sf);
		passTime(65_000);
		sf.deleteRecords('Account', ids);
		passTime(65_000);
		expect((await n8n.tick()).items).toHaveLength(2);
		expect(apiRequestsSince(sf)).toBe(1);
	});
});
