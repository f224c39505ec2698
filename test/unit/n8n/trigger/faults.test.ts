/**
 * Faults: sessions that end, a refused login (the credential's message, the cursor unmoved, the
 * cool-down), fields and objects the user can no longer read, Salesforce out of reach — and what n8n
 * does with a failing activation (it fails for what the person publishing must fix; otherwise the
 * next poll tries again).
 */
import { createLogCapture } from '../../../support/n8n-harness';
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

describe('sessions', () => {
	it('ended between two polls: one login, nothing lost', async () => {
		const sf = standin();
		const { n8n } = await activeTrigger(sf, {
			event: 'created',
			sobject: object('Account'),
			fields: ['Name'],
		});
		sf.insertRecords('Account', [{ Name: 'After the session ended' }]);
		sf.expireAllSessions();
		sf.resetRecords();
		passTime(60_000);
		expect(names((await n8n.tick()).items)).toEqual(['After the session ended']);
		expect(sf.loginCount).toBe(1);
	});

	it('ended during a poll, between two pages: one login, the page asked again, nothing lost', async () => {
		const sf = standin();
		const { n8n } = await activeTrigger(sf, {
			event: 'created',
			sobject: object('Account'),
			fields: ['Name'],
		});
		sf.insertRecords(
			'Account',
			Array.from({ length: 2_100 }, (_, index) => ({ Name: `Row ${index}` })),
		);
		passTime(60_000);
		sf.resetRecords();
		sf.expireSessionsAfterRequests(1);
		const { items } = await n8n.tick();
		expect(new Set(items.map((item) => item.Id)).size).toBe(2_100);
		expect(sf.loginCount).toBe(1);
	});
});

describe('a refused login', () => {
	it("fails the poll with the credential's message and keeps the cursor; the cool-down holds; the changes come once the credential is fixed", async () => {
		const sf = standin();
		const { n8n, store, credential } = await activeTrigger(sf, {
			event: 'created',
			sobject: object('Account'),
			fields: ['Name'],
		});
		sf.insertRecords('Account', [{ Name: 'Waits for the fix' }]);
		// The admin changes the API user's password; the session ends.
		sf.users[0].password = 'changed-by-the-admin';
		sf.expireAllSessions();
		sf.resetRecords();
		const savedBefore = n8n.saved;
		passTime(60_000);
		const refused = await n8n.tick();
		expect(refused.error?.message).toMatch(/authentication failure/);
		expect(refused.items).toEqual([]);
		passTime(60_000);
		const coolingDown = await n8n.tick();
		expect(coolingDown.error?.message).toMatch(/authentication failure/);
		expect(coolingDown.error?.description).toMatch(/not sent again until/);
		expect(sf.tokenRequests()).toHaveLength(1);
		expect(sf.failedLoginCount).toBe(1);
		expect(n8n.saved).toBe(savedBefore);

		store.patchData(credential.id, { password: 'changed-by-the-admin' });
		passTime(60_000);
		expect(names((await n8n.tick()).items)).toEqual(['Waits for the fix']);
	});

	it("at the first activation: the activation fails with the credential's message", async () => {
		const sf = standin();
		const { n8n } = salesforceTrigger(sf, { event: 'created', sobject: object('Account') }, {});
		sf.users[0].password = 'not-what-the-credential-holds';
		const activation = await n8n.activate();
		expect(activation.error?.message).toMatch(/authentication failure/);
		expect(n8n.savedNodeData()).toBeUndefined();
	});

	it("at n8n's start: the activation goes ahead (a warning in the log), the scheduled polls report it", async () => {
		const sf = standin();
		const { n8n } = await activeTrigger(sf, {
			event: 'created',
			sobject: object('Account'),
			fields: ['Name'],
		});
		n8n.stop();
		sf.users[0].password = 'changed-by-the-admin';
		sf.expireAllSessions();
		const logs = createLogCapture();
		try {
			expect(await n8n.activate('init')).toEqual({ items: [] });
		} finally {
			logs.stop();
		}
		expect(
			logs.entries.filter((entry) => entry.level === 'warn').map((entry) => entry.message),
		).toEqual([
			expect.stringMatching(
				/^Salesforce Trigger "Salesforce Trigger" could not poll while the workflow was activated; the next poll tries again: .*authentication failure/,
			),
		]);
		passTime(60_000);
		expect((await n8n.tick()).error?.message).toMatch(/authentication failure/);
	});
});

describe('what the user can no longer read', () => {
	it('a chosen field that does not exist: the first activation fails naming it', async () => {
		const sf = standin();
		const { n8n } = salesforceTrigger(sf, {
			event: 'created',
			sobject: object('Account'),
			fields: ['Name', 'Nope__c'],
		});
		const activation = await n8n.activate();
		expect(activation.error?.message).toMatch(/Nope__c/);
		expect(activation.error?.message).toMatch(/INVALID_FIELD/);
	});

	it('a chosen field the remembered describe does not list: the describe is asked again, once; still unknown, the activation fails naming it', async () => {
		const sf = standin();
		const conditions = { conditions: [{ field: 'Industry', operator: 'equal', value: 'Energy' }] };
		const { credential, store } = await activeTrigger(sf, {
			event: 'created',
			sobject: object('Account'),
			fields: ['Name'],
			conditions,
		});
		sf.resetRecords();
		// Re-published with a field the org does not have (yet): the day-old describe may be stale.
		const republished = salesforceTrigger(
			sf,
			{
				event: 'created',
				sobject: object('Account'),
				fields: ['Name', 'Brand_New__c'],
				conditions,
			},
			{ credential, store },
		);
		const activation = await republished.n8n.activate();
		expect(activation.error?.message).toBe(
			'Field Names or IDs: Account has no field "Brand_New__c"',
		);
		expect(sf.requests.filter((request) => request.path.endsWith('/describe'))).toHaveLength(1);
	});

	it('an object the user cannot see: the first activation fails naming it', async () => {
		const sf = standin();
		const { n8n } = salesforceTrigger(sf, {
			event: 'createdOrUpdated',
			sobject: object('Secret__c'),
			fields: ['Name'],
		});
		const activation = await n8n.activate();
		expect(activation.error?.message).toMatch(/"Secret__c"/);
	});

	it('a field hidden later (INVALID_FIELD): the poll fails naming it and keeps its cursor; the changes come once it is readable again', async () => {
		const sf = standin();
		const { n8n } = await activeTrigger(sf, {
			event: 'created',
			sobject: object('Account'),
			fields: ['Name', 'Phone'],
		});
		sf.insertRecords('Account', [{ Name: 'Hidden phone', Phone: '555' }]);
		sf.setRestFault(
			{
				kind: 'error',
				status: 400,
				errorCode: 'INVALID_FIELD',
				message:
					"SELECT Id, CreatedDate, Name, Phone FROM Account\n                                 ^\nERROR at Row:1:Column:34\nNo such column 'Phone' on entity 'Account'.",
			},
			{ path: /\/query/, times: 1 },
		);
		passTime(60_000);
		const failed = await n8n.tick();
		expect(failed.error?.message).toMatch(/No such column 'Phone' on entity 'Account'/);
		passTime(60_000);
		expect(names((await n8n.tick()).items)).toEqual(['Hidden phone']);
	});

	it('every field (none chosen) with a day-old describe that lists a field gone since: the describe is asked again, once, and the poll goes on', async () => {
		const sf = standin();
		const { n8n } = await activeTrigger(sf, { event: 'created', sobject: object('Account') });
		sf.insertRecords('Account', [{ Name: 'Read again' }]);
		sf.setRestFault(
			{
				kind: 'error',
				status: 400,
				errorCode: 'INVALID_FIELD',
				message: "No such column 'Gone__c' on entity 'Account'.",
			},
			{ path: /\/query/, times: 1 },
		);
		passTime(60_000);
		sf.resetRecords();
		expect(names((await n8n.tick()).items)).toEqual(['Read again']);
		expect(sf.requests.filter((request) => request.path.endsWith('/describe'))).toHaveLength(1);
	});
});

describe('Salesforce out of reach, or the daily API limit used up', () => {
	it('at the first activation: the activation goes ahead, the first scheduled poll starts the trigger', async () => {
		const sf = standin();
		setOrgTime(sf, ORG_START);
		const { n8n } = salesforceTrigger(sf, {
			event: 'created',
			sobject: object('Account'),
			fields: ['Name'],
		});
		sf.setApiUsage({ used: 15_000, max: 15_000 });
		const logs = createLogCapture();
		try {
			expect(await n8n.activate()).toEqual({ items: [] });
		} finally {
			logs.stop();
		}
		expect(logs.text()).toMatch(/REQUEST_LIMIT_EXCEEDED/);
		expect(n8n.savedNodeData()).toBeUndefined();
		sf.setApiUsage({ used: 0 });
		passTime(60_000);
		expect(await n8n.tick()).toEqual({ items: [] });
		sf.insertRecords('Account', [{ Name: 'After the start' }]);
		passTime(60_000);
		expect(names((await n8n.tick()).items)).toEqual(['After the start']);
	});

	it('during scheduled polls: each fails (a failed execution), the cursor stays, the changes come after', async () => {
		const sf = standin();
		const { n8n } = await activeTrigger(sf, {
			event: 'created',
			sobject: object('Account'),
			fields: ['Name'],
		});
		sf.insertRecords('Account', [{ Name: 'Waited' }]);
		await sf.takeOffline();
		passTime(60_000);
		const failed = await n8n.tick();
		expect(failed.error?.message).toBe(
			`Polling Account for changes failed: Salesforce's REST API at ${sf.url} could not be reached.`,
		);
		expect(failed.items).toEqual([]);
		await sf.bringOnline();
		passTime(60_000);
		expect(names((await n8n.tick()).items)).toEqual(['Waited']);
	});
});
