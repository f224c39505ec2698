/**
 * The Salesforce Action node through n8n-core: it writes a live token, logs in once per execution,
 * reuses the stored session across executions, replaces a dead one, and fails clearly.
 */
import { NodeApiError } from 'n8n-workflow';
import { SalesforceIntegrationApi } from '../../../credentials/SalesforceIntegrationApi.credentials';
import { startSalesforceStandin } from '../../../dev/salesforce-standin';
import { SESSION_FIELDS } from '../../../nodes/salesforce';
import { forgetAllSessions } from '../../../nodes/client/liveSessions';
import { createLogCapture, CredentialStore, testCredential } from '../../support/n8n-harness';
import {
	itemsOf,
	runSalesforceAction,
	secretsOf,
	storedCredential,
	useStandin,
} from '../../support/fixtures';

const standin = useStandin();

describe('Salesforce Action — Get Access Token', () => {
	it('writes a live token into SF_ACCESS_TOKEN of every item, with one login', async () => {
		const sf = standin();
		const store = new CredentialStore();
		const items = itemsOf(3);
		items[1].binary = { file: { data: 'aGk=', mimeType: 'text/plain' } };
		const { output } = await runSalesforceAction({
			credential: storedCredential(sf),
			store,
			items,
		});

		expect(output[0]).toHaveLength(3);
		const token = sf.activeSessions()[0];
		output[0].forEach((item, index) => {
			expect(item.json).toEqual({ row: index, SF_ACCESS_TOKEN: token });
			expect(item.pairedItem).toEqual({ item: index });
		});
		expect(output[0][1].binary).toEqual(items[1].binary);
		expect(sf.loginCount).toBe(1);
		expect(sf.activeSessions()).toEqual([token]);
	});

	it('maps every value of the session into the fields the user names', async () => {
		const sf = standin();
		const mappings = SESSION_FIELDS.map((field) => ({
			objectPath: field.path,
			field: `sf_${field.path}`,
		}));
		const { output } = await runSalesforceAction({
			credential: storedCredential(sf),
			store: new CredentialStore(),
			parameters: { operation: 'getAccessToken', responseMapping: { mappings } },
		});
		const json = output[0][0].json;
		expect(json.sf_access_token).toBe(sf.activeSessions()[0]);
		expect(json.sf_instance_url).toBe(sf.url);
		expect(json.sf_id).toMatch(new RegExp(`/id/${sf.orgId}/005\\w+$`));
		expect(json.sf_token_type).toBe('Bearer');
		expect(json.sf_issued_at).toMatch(/^\d{13}$/);
		expect(json.sf_org_id).toBe(sf.orgId);
		expect(json.sf_user_id).toMatch(/^005\w{15}$/);
	});

	it('resolves a mapping that holds an expression for each item', async () => {
		const sf = standin();
		const items = [{ json: { env: 'UAT' } }, { json: { env: 'PROD' } }, { json: { env: 'DEV' } }];
		const { output } = await runSalesforceAction({
			credential: storedCredential(sf),
			store: new CredentialStore(),
			items,
			parameters: {
				operation: 'getAccessToken',
				responseMapping: {
					mappings: [
						{ objectPath: 'access_token', field: '={{ "SF_TOKEN_" + $json.env }}' },
						{ objectPath: 'org_id', field: 'SF_ORG_ID' },
					],
				},
			},
		});
		const token = sf.activeSessions()[0];
		expect(output[0].map((item) => item.json)).toEqual([
			{ env: 'UAT', SF_TOKEN_UAT: token, SF_ORG_ID: sf.orgId },
			{ env: 'PROD', SF_TOKEN_PROD: token, SF_ORG_ID: sf.orgId },
			{ env: 'DEV', SF_TOKEN_DEV: token, SF_ORG_ID: sf.orgId },
		]);
		expect(sf.loginCount).toBe(1);
	});

	it('reuses the stored session in later executions without logging in', async () => {
		const sf = standin();
		const store = new CredentialStore();
		const credential = storedCredential(sf);
		const first = await runSalesforceAction({ credential, store });
		const second = await runSalesforceAction({ credential, store });
		expect(sf.loginCount).toBe(1);
		expect(second.output[0][0].json.SF_ACCESS_TOKEN).toBe(first.output[0][0].json.SF_ACCESS_TOKEN);
		expect(store.getData(credential.id).accessToken).toBe(first.output[0][0].json.SF_ACCESS_TOKEN);
	});

	it('does not check again a session Salesforce accepted in the last minute: 5 executions, 1 check', async () => {
		const sf = standin();
		const store = new CredentialStore();
		const credential = storedCredential(sf);
		for (let run = 0; run < 5; run++) await runSalesforceAction({ credential, store });
		expect(sf.loginCount).toBe(1);
		expect(sf.requests.filter((request) => request.path.endsWith('/limits'))).toHaveLength(1);
	});

	it('with "Check the Session Every Run": every execution asks Salesforce (5 executions, 5 checks, 1 login), one check for all its items', async () => {
		const sf = standin();
		const store = new CredentialStore();
		const credential = storedCredential(sf);
		const parameters = { operation: 'getAccessToken', options: { checkEveryRun: true } };
		for (let run = 0; run < 5; run++)
			await runSalesforceAction({ credential, store, parameters, items: itemsOf(3) });
		expect(sf.loginCount).toBe(1);
		expect(sf.requests.filter((request) => request.path.endsWith('/limits'))).toHaveLength(5);
	});

	it('with the option, a session Salesforce ended within the minute is never handed out: the check replaces it', async () => {
		const sf = standin();
		const store = new CredentialStore();
		const credential = storedCredential(sf);
		const parameters = { operation: 'getAccessToken', options: { checkEveryRun: true } };
		const first = await runSalesforceAction({ credential, store, parameters });
		sf.expireAllSessions();
		const trusted = await runSalesforceAction({ credential, store });
		// Off: the session Salesforce accepted a moment ago is handed out unchecked, although it ended.
		expect(trusted.output[0][0].json.SF_ACCESS_TOKEN).toBe(first.output[0][0].json.SF_ACCESS_TOKEN);
		const checked = await runSalesforceAction({ credential, store, parameters });
		expect(checked.output[0][0].json.SF_ACCESS_TOKEN).not.toBe(
			first.output[0][0].json.SF_ACCESS_TOKEN,
		);
		expect(sf.activeSessions()).toEqual([checked.output[0][0].json.SF_ACCESS_TOKEN]);
	});

	it('replaces a session Salesforce has ended before writing it, with exactly one login', async () => {
		const sf = standin();
		const store = new CredentialStore();
		const credential = storedCredential(sf);
		const first = await runSalesforceAction({ credential, store });
		sf.expireAllSessions();
		// As after the minute in which a session this process saw accepted is not checked again.
		forgetAllSessions();
		sf.resetRecords();

		const second = await runSalesforceAction({ credential, store, items: itemsOf(3) });
		expect(sf.loginCount).toBe(1);
		const fresh = second.output[0][0].json.SF_ACCESS_TOKEN;
		expect(fresh).not.toBe(first.output[0][0].json.SF_ACCESS_TOKEN);
		expect(sf.activeSessions()).toEqual([fresh]);
		expect(second.output[0].every((item) => item.json.SF_ACCESS_TOKEN === fresh)).toBe(true);
		expect(store.getData(credential.id).accessToken).toBe(fresh);
	});

	it('makes one login between concurrent executions that all find no session', async () => {
		const sf = standin();
		sf.setFault({ kind: 'delay', ms: 200 }, { times: 1 });
		const store = new CredentialStore();
		const credential = storedCredential(sf);
		const runs = await Promise.all(
			Array.from({ length: 8 }, () => runSalesforceAction({ credential, store })),
		);
		expect(sf.loginCount).toBe(1);
		expect(new Set(runs.map((run) => run.output[0][0].json.SF_ACCESS_TOKEN)).size).toBe(1);
	});

	it('explains a session the REST API does not accept (High Assurance) instead of looping', async () => {
		const sf = standin();
		sf.users[0].highAssurance = true;
		const failure = await runSalesforceAction({
			credential: storedCredential(sf),
			store: new CredentialStore(),
		}).catch((error: unknown) => error);
		expect(failure).toBeInstanceOf(NodeApiError);
		expect((failure as NodeApiError).message).toMatch(/not valid for the REST API/);
		expect((failure as NodeApiError).description).toMatch(/High Assurance/);
		expect(sf.loginCount).toBeLessThanOrEqual(2);
	});
});

describe('Salesforce Action — failures', () => {
	it('fails with what is wrong and what to do, never a secret', async () => {
		const sf = standin();
		const credential = storedCredential(sf, { password: 'Wr0ng#Pass&' });
		const logs = createLogCapture();
		const failure = await runSalesforceAction({ credential, store: new CredentialStore() }).catch(
			(error: unknown) => error,
		);
		logs.stop();
		expect(failure).toBeInstanceOf(NodeApiError);
		const error = failure as NodeApiError;
		expect(error.message).toBe(
			'Salesforce refused the username and password (authentication failure).',
		);
		expect(error.description).toMatch(/Setup → Login History/);
		const everything = JSON.stringify({
			message: error.message,
			description: error.description,
			context: error.context,
		});
		for (const secret of secretsOf(credential.data)) expect(everything).not.toContain(secret);
		expect(logs.findLeaks(secretsOf(credential.data))).toEqual([]);
		expect(sf.tokenRequests()).toHaveLength(1);
	});

	it('with continue-on-fail, outputs an error item per input item and keeps the input', async () => {
		const sf = standin();
		const { output } = await runSalesforceAction({
			credential: storedCredential(sf, { password: 'wrong' }),
			store: new CredentialStore(),
			items: itemsOf(3),
			continueOnFail: true,
		});
		expect(output[0]).toHaveLength(3);
		output[0].forEach((item, index) => {
			expect(item.json.row).toBe(index);
			expect(item.json.error).toMatch(/authentication failure/);
			expect(item.json.errorDescription).toMatch(/Security Token/);
			expect(item.json.SF_ACCESS_TOKEN).toBeUndefined();
			expect(item.pairedItem).toEqual({ item: index });
		});
		expect(sf.tokenRequests()).toHaveLength(1);
	});

	it('reports an unreachable REST API, naming the instance it tried, without leaking the session it was checking', async () => {
		const sf = await startSalesforceStandin({ instanceUrl: 'http://127.0.0.1:9' });
		try {
			const failure = await runSalesforceAction({
				credential: storedCredential(sf),
				store: new CredentialStore(),
			}).catch((error: unknown) => error);
			expect(failure).toBeInstanceOf(NodeApiError);
			expect((failure as NodeApiError).message).toBe(
				"Salesforce's REST API at http://127.0.0.1:9 could not be reached when the session was checked.",
			);
			expect((failure as NodeApiError).description).toMatch(
				/instance URL \(http:\/\/127\.0\.0\.1:9, from the credential's session\)/,
			);
			const token = sf.activeSessions()[0];
			expect(token).toBeTruthy();
			expect(JSON.stringify(failure)).not.toContain(token);
			expect(JSON.stringify((failure as NodeApiError).cause)).not.toContain(token);
		} finally {
			await sf.close();
		}
	});

	it('refuses a bad mapping before it costs a login', async () => {
		const sf = standin();
		const failure = await runSalesforceAction({
			credential: storedCredential(sf),
			store: new CredentialStore(),
			parameters: {
				operation: 'getAccessToken',
				responseMapping: { mappings: [{ objectPath: 'access_token', field: ' ' }] },
			},
		}).catch((error: unknown) => error);
		expect((failure as Error).message).toBe('Response Mapping row 1, Field Name: is empty.');
		expect(sf.requests).toHaveLength(0);
	});

	it('does not send refused details again during the cool-down; the Test button tries at once', async () => {
		const sf = standin();
		const store = new CredentialStore();
		const credential = storedCredential(sf, { password: 'stale-password' });
		await expect(runSalesforceAction({ credential, store })).rejects.toThrow(
			/authentication failure/,
		);
		for (let run = 0; run < 5; run++) {
			await expect(runSalesforceAction({ credential, store })).rejects.toThrow(/Not retried/);
		}
		expect(sf.tokenRequests()).toHaveLength(1);

		// The admin resets the user's password to the one in the credential; the user presses Test.
		sf.users[0].password = 'stale-password';
		const test = await testCredential(new SalesforceIntegrationApi(), credential.data, store, {
			credentialId: credential.id,
		});
		expect(test.status).toBe('OK');
		const { output } = await runSalesforceAction({ credential, store });
		expect(output[0][0].json.SF_ACCESS_TOKEN).toBe(sf.activeSessions().at(-1));
	});

	it('lifts the cool-down as soon as the credential is edited', async () => {
		const sf = standin();
		const store = new CredentialStore();
		const credential = storedCredential(sf, { password: 'typo' });
		await expect(runSalesforceAction({ credential, store })).rejects.toThrow(
			/authentication failure/,
		);
		store.patchData(credential.id, { password: sf.demo.password });
		const { output } = await runSalesforceAction({ credential, store });
		expect(output[0][0].json.SF_ACCESS_TOKEN).toBeTruthy();
		expect(sf.tokenRequests()).toHaveLength(2);
	});

	it('a workflow saved with n8n\'s "Custom API Call" entry is told where custom calls go, before any login', async () => {
		const sf = standin();
		const failure = await runSalesforceAction({
			credential: storedCredential(sf),
			store: new CredentialStore(),
			parameters: { operation: '__CUSTOM_API_CALL__' },
		}).catch((error: unknown) => error as NodeApiError);
		expect((failure as Error).message).toBe('"Custom API Call" is not an operation of this node');
		expect((failure as NodeApiError).description).toMatch(/Resource "API Request" → "Send"/);
		expect(sf.requests).toEqual([]);
	});
});
