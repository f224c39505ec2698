/**
 * The trigger within n8n's rules for polling nodes: Fetch Test Event moves nothing, overlapping polls,
 * parameters that change what the state means, the scheduler that builds a context per poll, and
 * the editor's lists.
 */
import type { INodeParameters } from 'n8n-workflow';
import { SalesforceTrigger } from '../../../../nodes/SalesforceTrigger/SalesforceTrigger.node';
import { listSearch, loadOptions } from '../../../../nodes/SalesforceTrigger/methods';
import { loadOptionsContext } from '../../../support/n8n-contexts';
import { CredentialStore } from '../../../support/n8n-harness';
import { credentialType, storedCredential } from '../../../support/fixtures';
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

describe('Fetch Test Event', () => {
	it('shows the latest matching record, attributes removed, and moves no cursor', async () => {
		const sf = standin();
		const { n8n } = await activeTrigger(sf, {
			event: 'created',
			sobject: object('Account'),
			fields: ['Name'],
			conditions: { conditions: [{ field: 'Name', operator: 'like', value: 'Acme%' }] },
		});
		sf.insertRecords('Account', [{ Name: 'Acme Old' }]);
		passTime(2_000);
		sf.insertRecords('Account', [{ Name: 'Acme Latest' }, { Name: 'Other' }]);
		const savedBefore = n8n.saved;
		sf.resetRecords();
		const sample = await n8n.fetchTestEvent();
		expect(sample.items).toEqual([
			{ Id: expect.any(String), CreatedDate: expect.any(String), Name: 'Acme Latest' },
		]);
		expect(sf.apiRequestCount).toBe(1);
		expect(n8n.saved).toBe(savedBefore);
		// The scheduled poll still emits both new matching records.
		passTime(60_000);
		expect(names((await n8n.tick()).items).sort()).toEqual(['Acme Latest', 'Acme Old']);
	});

	it('updated: the latest change after a creation, never a creation', async () => {
		const sf = standin();
		setOrgTime(sf, ORG_START);
		const [changed] = sf.insertRecords('Account', [{ Name: 'Changed' }]);
		passTime(5_000);
		sf.updateRecords('Account', [{ Id: changed, Phone: '1' }]);
		passTime(5_000);
		sf.insertRecords('Account', [{ Name: 'Only created' }]);
		const { n8n } = salesforceTrigger(sf, {
			event: 'updated',
			sobject: object('Account'),
			fields: ['Name', 'Phone'],
		});
		expect((await n8n.fetchTestEvent()).items).toEqual([
			expect.objectContaining({ Name: 'Changed', Phone: '1' }),
		]);
	});

	it('nothing matches yet: says so, and what to do', async () => {
		const sf = standin();
		const { n8n } = salesforceTrigger(sf, {
			event: 'deleted',
			sobject: object('Account'),
			fields: ['Name'],
		});
		const sample = await n8n.fetchTestEvent();
		expect(sample.error?.message).toBe(
			'No deleted Account record in the Recycle Bin matches the trigger yet',
		);
		expect(sample.error?.description).toMatch(
			/Delete Account records that meet the conditions in Salesforce, then fetch again\./,
		);
	});
});

it("overlapping polls (n8n's next tick while a poll still runs): one reads, the other returns nothing; each change once", async () => {
	const sf = standin();
	const { n8n } = await activeTrigger(sf, {
		event: 'created',
		sobject: object('Account'),
		fields: ['Name'],
	});
	sf.insertRecords('Account', [{ Name: 'Once' }]);
	passTime(60_000);
	sf.resetRecords();
	const [first, second] = await n8n.overlappingTicks();
	expect([...first.items, ...second.items].map((item) => item.Name)).toEqual(['Once']);
	expect(sf.apiRequestCount).toBe(1);
	passTime(60_000);
	expect((await n8n.tick()).items).toEqual([]);
});

describe('parameters the state belongs to', () => {
	it('another object or event: the trigger starts afresh at the next activation, emitting nothing from before it', async () => {
		const sf = standin();
		setOrgTime(sf, ORG_START);
		const parameters: INodeParameters = {
			event: 'created',
			sobject: object('Account'),
			fields: ['Name'],
		};
		const { n8n, credential, store } = salesforceTrigger(sf, parameters);
		await n8n.activate();
		sf.insertRecords('Contact', [{ LastName: 'Before the re-publish' }]);
		passTime(60_000);
		await n8n.tick();
		// Re-published on Contact: the Account state does not apply.
		const republished = salesforceTrigger(
			sf,
			{ event: 'created', sobject: object('Contact'), fields: ['LastName'] },
			{ credential, store },
		);
		republished.n8n.saved = n8n.saved;
		expect((await republished.n8n.activate('update')).items).toEqual([]);
		sf.insertRecords('Contact', [{ LastName: 'After' }]);
		passTime(60_000);
		expect((await republished.n8n.tick()).items.map((item) => item.LastName)).toEqual(['After']);
	});

	it('other fields or conditions: the state goes on (each change once, shaped by the new parameters)', async () => {
		const sf = standin();
		const { n8n, credential, store } = await activeTrigger(sf, {
			event: 'created',
			sobject: object('Account'),
			fields: ['Name'],
		});
		sf.insertRecords('Account', [{ Name: 'While re-publishing', Phone: '7' }]);
		const republished = salesforceTrigger(
			sf,
			{ event: 'created', sobject: object('Account'), fields: ['Name', 'Phone'] },
			{ credential, store },
		);
		republished.n8n.saved = n8n.saved;
		passTime(30_000);
		await republished.n8n.activate('update');
		passTime(60_000);
		await republished.n8n.tick();
		expect(republished.n8n.emitted).toEqual([
			expect.objectContaining({ Name: 'While re-publishing', Phone: '7' }),
		]);
	});
});

it("n8n's durable scheduler (a new context each poll): its polls are scheduled ones — a lost window is reported, not kept", async () => {
	const sf = standin();
	setOrgTime(sf, ORG_START);
	const [purged] = sf.insertRecords('Account', [{ Name: 'Purged' }]);
	const { n8n } = salesforceTrigger(sf, {
		event: 'deleted',
		sobject: object('Account'),
		fields: ['Name'],
	});
	await n8n.activate();
	passTime(160_000);
	sf.deleteRecords('Account', [purged]);
	sf.emptyRecycleBin('Account');
	passTime(230_000);
	expect((await n8n.durableTick()).error?.message).toMatch(
		/^Deletions of Account between .* cannot be recovered/,
	);
});

describe('the editor', () => {
	const editor = (sf: ReturnType<typeof standin>, parameters: INodeParameters) =>
		loadOptionsContext({
			node: new SalesforceTrigger(),
			parameters,
			credential: storedCredential(sf),
			credentialTypes: [credentialType],
			store: new CredentialStore(),
		});

	it('offers the objects whose changes Salesforce reports (replicateable), not the others', async () => {
		const sf = standin();
		const { results } = await listSearch.searchObjects.call(editor(sf, {}));
		const offered = results.map((entry) => entry.value);
		expect(offered).toEqual(
			expect.arrayContaining(['Account', 'Contact', 'Invoice__c', 'ContentVersion']),
		);
		expect(offered).not.toContain('ContentDocumentLink');
		expect(offered).not.toContain('Order_Shipped__e');
	});

	it("lists the chosen object's fields", async () => {
		const sf = standin();
		const fields = await loadOptions.getFields.call(
			editor(sf, { event: 'created', sobject: object('Invoice__c') }),
		);
		expect(fields.map((field) => field.value)).toEqual(
			expect.arrayContaining(['Amount__c', 'SystemModstamp']),
		);
	});
});
