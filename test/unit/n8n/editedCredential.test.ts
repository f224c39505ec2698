/**
 * The environment you picked is the environment you get: after a credential is edited, no node
 * sends (or outputs) the session of its old details, and the Test button never passes on a stored
 * session. Through n8n-core's real request helpers, with the credential edited in the store the way
 * n8n's editor saves it: every field kept, hidden session fields included, one detail changed.
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import { sessionKeyFor } from '../../../nodes/salesforce';
import { startSalesforceStandin } from '../../../dev/salesforce-standin';
import type { SalesforceStandin } from '../../../dev/salesforce-standin';
import { CredentialStore, runNode, testCredential } from '../../support/n8n-harness';
import type { StoredCredential } from '../../support/n8n-harness';
import {
	credentialType,
	runSalesforceAction,
	secretsOf,
	storedCredential,
	useStandin,
} from '../../support/fixtures';
import { LegacyRequestNode } from '../../support/legacyRequestNode';

const standin = useStandin({ label: 'uat' });

/** A second org, as when "UAT Env" is repointed at production. */
let production: SalesforceStandin | undefined;
beforeEach(async () => {
	production = await startSalesforceStandin({ label: 'production' });
});
afterEach(async () => {
	await production?.close();
	production = undefined;
});
const prod = () => production as SalesforceStandin;

/** Every login detail of the production org: "UAT Env" repointed there. */
function productionDetails(): ICredentialDataDecryptedObject {
	const { url, demo } = prod();
	return {
		domain: url,
		consumerKey: demo.consumerKey,
		consumerSecret: demo.consumerSecret,
		username: demo.username,
		password: demo.password,
		securityToken: demo.securityToken,
	};
}

/** Every request either org received that carried this token. */
function requestsCarrying(token: string, ...orgs: SalesforceStandin[]) {
	return orgs.flatMap((org) =>
		org.requests.filter((request) => String(request.headers.authorization ?? '').includes(token)),
	);
}

async function credentialWithSession(
	store: CredentialStore,
	changes: ICredentialDataDecryptedObject = {},
): Promise<{ credential: StoredCredential; oldToken: string }> {
	const credential = storedCredential(standin(), changes);
	await runSalesforceAction({ credential, store });
	const oldToken = store.getData(credential.id).accessToken as string;
	expect(oldToken).toBeTruthy();
	standin().resetRecords();
	return { credential, oldToken };
}

async function outcomeOf<T>(promise: Promise<T>) {
	return await promise.then(
		(result) => ({ ok: true as const, result, error: undefined }),
		(error: unknown) => ({
			ok: false as const,
			result: undefined,
			error: error as Error & { description?: string },
		}),
	);
}

describe("an edited credential never serves the old details' session", () => {
	it("repointed at another org: the next run logs in there and outputs that org's session; the old one goes nowhere", async () => {
		const store = new CredentialStore();
		const { credential, oldToken } = await credentialWithSession(store);
		store.patchData(credential.id, productionDetails());

		const { output } = await runSalesforceAction({
			credential,
			store,
			parameters: {
				operation: 'getAccessToken',
				responseMapping: {
					mappings: [
						{ objectPath: 'access_token', field: 'SF_ACCESS_TOKEN' },
						{ objectPath: 'instance_url', field: 'SF_INSTANCE_URL' },
					],
				},
			},
		});

		expect(output[0][0].json).toEqual({
			SF_ACCESS_TOKEN: prod().activeSessions()[0],
			SF_INSTANCE_URL: prod().url,
		});
		expect(prod().loginCount).toBe(1);
		expect(standin().requests).toEqual([]);
		expect(requestsCarrying(oldToken, standin(), prod())).toEqual([]);
		expect(store.getData(credential.id).instanceUrl).toBe(prod().url);
	});

	it('only the timeout changed: the stored session is kept, no login', async () => {
		const store = new CredentialStore();
		const { credential, oldToken } = await credentialWithSession(store);
		store.patchData(credential.id, { timeout: 30 });

		const { output } = await runSalesforceAction({ credential, store });
		expect(output[0][0].json.SF_ACCESS_TOKEN).toBe(oldToken);
		expect(standin().tokenRequests()).toHaveLength(0);
	});

	const wrongValues: Array<[string, ICredentialDataDecryptedObject, RegExp]> = [
		['Password', { password: 'Wrong-Pw#9' }, /refused the username and password/],
		['Security Token', { securityToken: 'WRONGTOKEN123' }, /refused the username and password/],
		[
			'Username',
			{ username: 'someone.else@demo.standin.example' },
			/refused the username and password/,
		],
		['Consumer Key', { consumerKey: '3MVG9WRONGKEY' }, /consumer key/i],
		['Consumer Secret', { consumerSecret: 'WRONGSECRET' }, /consumer secret/i],
	];
	it.each(wrongValues)(
		'%s changed to a value Salesforce refuses: the run fails with that refusal, not the old session',
		async (_field, changes, message) => {
			const store = new CredentialStore();
			const { credential, oldToken } = await credentialWithSession(store);
			store.patchData(credential.id, changes);

			const outcome = await outcomeOf(runSalesforceAction({ credential, store }));
			expect(outcome.ok).toBe(false);
			expect(`${outcome.error?.message} ${outcome.error?.description}`).toMatch(message);
			expect(standin().tokenRequests()).toHaveLength(1);
			expect(requestsCarrying(oldToken, standin())).toEqual([]);
			for (const secret of secretsOf(store.getData(credential.id)))
				expect(JSON.stringify(outcome.error)).not.toContain(secret);
		},
	);

	it("switched to Client Credentials: the next run logs in with that flow, not the old user's session", async () => {
		const store = new CredentialStore();
		const { credential, oldToken } = await credentialWithSession(store);
		store.patchData(credential.id, { authFlow: 'clientCredentials' });

		const { output } = await runSalesforceAction({ credential, store });
		expect(
			standin()
				.tokenRequests()
				.map((request) => request.form?.grant_type),
		).toEqual(['client_credentials']);
		expect(output[0][0].json.SF_ACCESS_TOKEN).not.toBe(oldToken);
		expect(output[0][0].json.SF_ACCESS_TOKEN).toBe(standin().activeSessions().at(-1));
		expect(requestsCarrying(oldToken, standin())).toEqual([]);
	});

	it("a domain that is no Salesforce host: the domain check's message, and nothing is sent", async () => {
		const store = new CredentialStore();
		const { credential } = await credentialWithSession(store);
		store.patchData(credential.id, { domain: 'evil.test' });

		const outcome = await outcomeOf(runSalesforceAction({ credential, store }));
		expect(outcome.error?.message).toMatch(/Domain: "evil.test" is not a Salesforce login host/);
		expect(standin().requests).toEqual([]);
	});

	it("n8n's HTTP Request path (requestWithAuthentication) logs in with the new details before sending", async () => {
		const store = new CredentialStore();
		const { credential, oldToken } = await credentialWithSession(store);
		store.patchData(credential.id, productionDetails());

		await runNode({
			node: new LegacyRequestNode(),
			parameters: { url: `${prod().url}/services/data/v62.0/limits` },
			credential,
			credentialTypes: [credentialType],
			store,
		});
		expect(prod().loginCount).toBe(1);
		const limits = prod().requests.filter(
			(request) => request.path === '/services/data/v62.0/limits',
		);
		expect(limits).toHaveLength(1);
		expect(limits[0].headers.authorization).toBe(`Bearer ${prod().activeSessions()[0]}`);
		expect(requestsCarrying(oldToken, standin(), prod())).toEqual([]);
	});
});

describe('a run that overlaps an edit', () => {
	it('never outputs a session another run stored for the earlier details between its check and its read', async () => {
		// The record after an execution that started before the edit (production's details in memory)
		// logged in there and n8n saved its result over the edited record: current details, old session.
		const foreign = {
			accessToken: '00DFOREIGN!old.details.session',
			instanceUrl: prod().url,
			sessionKey: sessionKeyFor(productionDetails()),
		};
		let tampered = false;
		class OverlappingStore extends CredentialStore {
			override async load(...args: Parameters<CredentialStore['load']>) {
				const checked = standin().requests.some(
					(request) => request.path === '/services/data/v62.0/limits',
				);
				if (checked && !tampered) {
					tampered = true;
					this.patchData(args[0].id as string, foreign);
				}
				return await super.load(...args);
			}
		}
		const store = new OverlappingStore();
		const credential = storedCredential(standin());

		const { output } = await runSalesforceAction({ credential, store });
		expect(tampered).toBe(true);
		expect(output[0][0].json.SF_ACCESS_TOKEN).not.toBe(foreign.accessToken);
		expect(standin().activeSessions()).toContain(output[0][0].json.SF_ACCESS_TOKEN);
		expect(requestsCarrying(foreign.accessToken, standin(), prod())).toEqual([]);
	});
});

describe('the Test button never passes on a stored session', () => {
	/** What the editor sends when Test is pressed on a saved credential: its stored data, one field edited. */
	async function testEdited(
		store: CredentialStore,
		credential: StoredCredential,
		changes: ICredentialDataDecryptedObject,
	) {
		return await testCredential(
			credentialType,
			{ ...store.getData(credential.id), ...changes },
			store,
			{ credentialId: credential.id, credentialName: credential.name },
		);
	}

	it('unchanged details: logs in afresh and proves the new session', async () => {
		const store = new CredentialStore();
		const { credential } = await credentialWithSession(store);
		const result = await testEdited(store, credential, {});
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(standin().tokenRequests()).toHaveLength(1);
		const fresh =
			standin().tokenRequests().length === 1 ? standin().activeSessions().at(-1) : undefined;
		const userinfo = standin().requests.filter(
			(request) => request.path === '/services/oauth2/userinfo',
		);
		expect(userinfo).toHaveLength(1);
		expect(userinfo[0].headers.authorization).toBe(`Bearer ${fresh}`);
		// The marker that tells authenticate a test is running never leaves n8n.
		expect(
			Object.keys(userinfo[0].headers).filter((name) => name.includes('credential-test')),
		).toEqual([]);
	});

	it('a new credential (no session yet) logs in once, not twice', async () => {
		const result = await testCredential(credentialType, storedCredential(standin()).data);
		expect(result.status).toBe('OK');
		expect(standin().tokenRequests()).toHaveLength(1);
	});

	it.each([
		[
			'evil.test as Domain',
			{ domain: 'evil.test' },
			/^Domain: "evil.test" is not a Salesforce login host/,
		],
		[
			'a wrong password',
			{ password: 'Wrong-Pw#9' },
			/^Salesforce refused the username and password/,
		],
		[
			'an unreachable My Domain',
			{ domain: 'n8n-sfi-test-does-not-exist.develop.my.salesforce.com' },
			/^The host n8n-sfi-test-does-not-exist\.develop\.my\.salesforce\.com could not be found \(DNS\)\./,
		],
	])('%s: reports exactly what is wrong', async (_case, changes, message) => {
		const store = new CredentialStore();
		const { credential, oldToken } = await credentialWithSession(store);
		const result = await testEdited(store, credential, changes);
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(message);
		expect(requestsCarrying(oldToken, standin())).toEqual([]);
	});

	it('a wrong password is sent to Salesforce once per press', async () => {
		const store = new CredentialStore();
		const { credential } = await credentialWithSession(store);
		await testEdited(store, credential, { password: 'Wrong-Pw#9' });
		expect(standin().tokenRequests()).toHaveLength(1);
	});
});
