/**
 * The path n8n's HTTP Request node takes with "Predefined Credential Type": n8n-core's legacy
 * `requestWithAuthentication` (see LegacyRequestNode).
 */
import { CredentialStore, runNode } from '../../support/n8n-harness';
import { credentialType, storedCredential, useStandin } from '../../support/fixtures';
import { LegacyRequestNode } from '../../support/legacyRequestNode';

const standin = useStandin();

async function runLegacyRequest(credential: ReturnType<typeof storedCredential>, store: CredentialStore, path?: string) {
	const parameters = path ? { path } : {};
	return await runNode({ node: new LegacyRequestNode(), parameters, credential, credentialTypes: [credentialType], store }).then(
		(result) => ({ ok: true as const, result }),
		(error: unknown) => ({ ok: false as const, error: error as Error }),
	);
}

describe("n8n-core's requestWithAuthentication (the HTTP Request node's path)", () => {
	it('logs in once, stores the session, and calls the REST API with it', async () => {
		const sf = standin();
		const store = new CredentialStore();
		const credential = storedCredential(sf);
		const outcome = await runLegacyRequest(credential, store);
		expect(outcome.ok).toBe(true);
		expect(sf.loginCount).toBe(1);
		expect(store.getData(credential.id).accessToken).toBe(sf.activeSessions()[0]);
	});

	it('sends refused details to Salesforce once per request, not again when n8n-core retries the login', async () => {
		const sf = standin();
		const store = new CredentialStore();
		const credential = storedCredential(sf, { password: 'wrong-password' });
		const first = await runLegacyRequest(credential, store);
		expect(first.ok).toBe(false);
		if (!first.ok) expect(first.error.message).toMatch(/Salesforce refused the username and password/);
		expect(sf.tokenRequests()).toHaveLength(1);

		// A later run (a new credentials object) asks Salesforce again: the cool-down is the nodes' job.
		await runLegacyRequest(credential, store);
		expect(sf.tokenRequests()).toHaveLength(2);
	});

	it('keeps a live session when a request fails for another reason: no login, the request is not sent again', async () => {
		const sf = standin();
		const store = new CredentialStore();
		const credential = storedCredential(sf);
		expect((await runLegacyRequest(credential, store)).ok).toBe(true);
		const token = store.getData(credential.id).accessToken;
		sf.resetRecords();

		const badQuery = await runLegacyRequest(credential, store, '/services/data/v62.0/query?q=bogus');
		expect(badQuery.ok).toBe(false);
		expect(sf.tokenRequests()).toHaveLength(0);
		// The failed query once, the session check; not the query a second time.
		expect(sf.requests.map((request) => request.path)).toEqual(['/services/data/v62.0/query', '/services/data/v62.0/limits']);
		expect(store.getData(credential.id).accessToken).toBe(token);
	});

	it('logs in once and retries when the stored session has ended (401)', async () => {
		const sf = standin();
		const store = new CredentialStore();
		const credential = storedCredential(sf);
		await runLegacyRequest(credential, store);
		sf.expireAllSessions();
		sf.resetRecords();

		const outcome = await runLegacyRequest(credential, store);
		expect(outcome.ok).toBe(true);
		expect(sf.tokenRequests()).toHaveLength(1);
		expect(store.getData(credential.id).accessToken).toBe(sf.activeSessions()[0]);
	});
});
