/**
 * The editor lists every node shares, called as n8n's editor calls them: in n8n-core's real
 * LoadOptionsContext holding the node's current parameters, the credential's session through
 * n8n-core's request helpers, against the stand-in. Which objects a node offers is its own rule.
 */
import type { ILoadOptionsFunctions, INodeParameters, INodeType } from 'n8n-workflow';
import { getFields, objectSearch, queryableObjects } from '../../../nodes/editor';
import { forgetAllSessions } from '../../../nodes/client/liveSessions';
import { SalesforceAction } from '../../../nodes/SalesforceAction/SalesforceAction.node';
import { listSearch } from '../../../nodes/SalesforceAction/methods';
import { SalesforceEventTrigger } from '../../../nodes/SalesforceEventTrigger/SalesforceEventTrigger.node';
import { listSearch as eventListSearch } from '../../../nodes/SalesforceEventTrigger/methods';
import { loadOptionsContext } from '../../support/n8n-contexts';
import { CredentialStore, type StoredCredential } from '../../support/n8n-harness';
import { credentialType, storedCredential, useStandin } from '../../support/fixtures';
import { transportProbe } from '../../support/transportProbe';

const standin = useStandin();

beforeEach(() => forgetAllSessions());

function editor(
	parameters: INodeParameters,
	credential: StoredCredential,
	node: INodeType = new SalesforceAction(),
): ILoadOptionsFunctions {
	return loadOptionsContext({
		node,
		parameters,
		credential,
		credentialTypes: [credentialType],
		store: new CredentialStore(),
	});
}

const describeRequests = (sf: ReturnType<typeof standin>) =>
	sf.requests.filter((request) => request.path.startsWith('/services/data/v62.0/sobjects'));

describe('the object search', () => {
	it("offers what the node's rule offers: a trigger's queryable objects, read-only ones included", async () => {
		const sf = standin();
		const searchQueryable = objectSearch(queryableObjects);
		const { results } = await searchQueryable.call(
			editor(
				{},
				storedCredential(sf),
				transportProbe(async () => undefined),
			),
		);
		expect(results.map((entry) => entry.value)).toEqual(
			expect.arrayContaining(['Account', 'Contact', 'Lead', 'Invoice__c', 'User']),
		);
		expect(results.find((entry) => entry.value === 'User')?.name).toBe('User (User)');
	});

	it("the Action node's rule: per operation (no read-only object to create), filtered by the text typed", async () => {
		const sf = standin();
		const credential = storedCredential(sf);
		const forCreate = await listSearch.searchObjects.call(
			editor({ resource: 'record', operation: 'create' }, credential),
		);
		expect(forCreate.results.map((entry) => entry.value)).not.toContain('User');
		expect(forCreate.results.map((entry) => entry.value)).toContain('Account');
		const forGet = await listSearch.searchObjects.call(
			editor({ resource: 'record', operation: 'get' }, credential),
			'USE',
		);
		expect(forGet.results).toEqual([{ name: 'User (User)', value: 'User' }]);
	});

	it('asks Salesforce once a minute per credential, however often the list opens', async () => {
		const sf = standin();
		const credential = storedCredential(sf);
		const search = objectSearch(queryableObjects);
		for (let open = 0; open < 3; open++) await search.call(editor({}, credential));
		expect(describeRequests(sf)).toHaveLength(1);
		await search.call(editor({}, storedCredential(sf, {}, 'Another environment')));
		expect(describeRequests(sf)).toHaveLength(2);
	});
});

describe("the event trigger's lists", () => {
	it('Object: the objects describe lists a change event for (selected in Setup or not), no platform event, no change event itself', async () => {
		const sf = standin();
		const { results } = await eventListSearch.searchChangeEventObjects.call(
			editor({ source: 'changeEvents' }, storedCredential(sf), new SalesforceEventTrigger()),
		);
		expect(results.map((entry) => entry.value).sort()).toEqual([
			'Account',
			'Contact',
			'Invoice__c',
			'Lead',
			'User',
		]);
		expect(results.find((entry) => entry.value === 'Invoice__c')?.name).toBe(
			'Invoice (Invoice__c)',
		);
	});

	it("Event: the org's platform events, filtered by the text typed", async () => {
		const sf = standin();
		const credential = storedCredential(sf);
		const trigger = new SalesforceEventTrigger();
		expect(
			(
				await eventListSearch.searchPlatformEvents.call(
					editor({ source: 'platformEvent' }, credential, trigger),
				)
			).results,
		).toEqual([{ name: 'Order Shipped (Order_Shipped__e)', value: 'Order_Shipped__e' }]);
		expect(
			(
				await eventListSearch.searchPlatformEvents.call(
					editor({ source: 'platformEvent' }, credential, trigger),
					'invoice',
				)
			).results,
		).toEqual([]);
	});
});

describe('the field lists', () => {
	it("list the chosen object's fields with their types, by label", async () => {
		const sf = standin();
		const options = await getFields.call(
			editor(
				{
					resource: 'record',
					operation: 'getAll',
					sobject: { __rl: true, mode: 'list', value: 'Invoice__c' },
				},
				storedCredential(sf),
			),
		);
		expect(options.find((option) => option.value === 'Amount__c')).toEqual({
			name: expect.stringMatching(/\(Amount__c\)$/),
			value: 'Amount__c',
			description: 'currency',
		});
		expect(options.map((option) => option.name)).toEqual(
			[...options.map((option) => option.name)].sort((a, b) => a.localeCompare(b)),
		);
	});

	it('are empty, without a request, until an object is chosen', async () => {
		const sf = standin();
		expect(
			await getFields.call(
				editor(
					{
						resource: 'record',
						operation: 'getAll',
						sobject: { __rl: true, mode: 'list', value: '' },
					},
					storedCredential(sf),
				),
			),
		).toEqual([]);
		expect(sf.requests).toEqual([]);
	});
});
