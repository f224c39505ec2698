/**
 * The path n8n's HTTP Request node takes with "Predefined Credential Type": n8n-core's legacy
 * `requestWithAuthentication` (see LegacyRequestNode).
 */
import { CredentialStore, runNode } from '../../support/n8n-harness';
import { AUTH_FAILURE_COOLDOWN_MS, loginGuard, sessionKeyFor } from '../../../nodes/salesforce';
import {
	credentialDataFor,
	credentialType,
	storedCredential,
	useStandin,
} from '../../support/fixtures';
import { LegacyRequestNode } from '../../support/legacyRequestNode';

const standin = useStandin();

async function runLegacyRequest(
	credential: ReturnType<typeof storedCredential>,
	store: CredentialStore,
	path?: string,
) {
	const parameters = path ? { path } : {};
	return await runNode({
		node: new LegacyRequestNode(),
		parameters,
		credential,
		credentialTypes: [credentialType],
		store,
	}).then(
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
		if (!first.ok)
			expect(first.error.message).toMatch(/Salesforce refused the username and password/);
		expect(sf.tokenRequests()).toHaveLength(1);

		// A later run (a new credentials object) sends nothing: the refusal is stored in the credential.
		const later = await runLegacyRequest(credential, store);
		expect(later.ok).toBe(false);
		if (!later.ok)
			expect(
				`${later.error.message}\n${(later.error as { description?: string }).description ?? ''}`,
			).toMatch(/Not retried: the same details were refused at \d{2}:\d{2} UTC\./);
		expect(sf.tokenRequests()).toHaveLength(1);
	});

	it('stores a refusal where every process finds it: another worker (its own memory) sends nothing, an edit lifts it', async () => {
		const sf = standin();
		const store = new CredentialStore();
		const credential = storedCredential(sf, { password: 'wrong-password' });
		await runLegacyRequest(credential, store);
		expect(sf.tokenRequests()).toHaveLength(1);
		const stored = store.getData(credential.id);
		expect(stored.accessToken).toBe('');
		const refusal = JSON.parse(stored.loginRefusal as string) as Record<string, unknown>;
		expect(refusal).toMatchObject({ key: sessionKeyFor(stored), reason: 'authentication-failure' });
		expect(Number(refusal.until) - Number(refusal.at)).toBe(AUTH_FAILURE_COOLDOWN_MS);
		// No secret in it (the key is the one-way hash stored as sessionKey already).
		for (const secret of ['wrong-password', stored.consumerSecret as string])
			expect(stored.loginRefusal).not.toContain(secret);

		// Another process: nothing in its memory, only the store.
		loginGuard.lift(sessionKeyFor(stored));
		const otherWorker = await runLegacyRequest(credential, store);
		expect(otherWorker.ok).toBe(false);
		if (!otherWorker.ok)
			expect(
				`${otherWorker.error.message}\n${(otherWorker.error as { description?: string }).description ?? ''}`,
			).toMatch(/Not retried/);
		expect(sf.tokenRequests()).toHaveLength(1);

		// Fixing the password changes the details' key: the refusal no longer applies.
		store.patchData(credential.id, { password: credentialDataFor(sf).password });
		const fixed = await runLegacyRequest(credential, store);
		expect(fixed.ok).toBe(true);
		expect(sf.tokenRequests()).toHaveLength(2);
		expect(store.getData(credential.id).loginRefusal).toBe('');
	});

	it('keeps a live session when a request fails for another reason: no login, the request is not sent again', async () => {
		const sf = standin();
		const store = new CredentialStore();
		const credential = storedCredential(sf);
		expect((await runLegacyRequest(credential, store)).ok).toBe(true);
		const token = store.getData(credential.id).accessToken;
		sf.resetRecords();

		const badQuery = await runLegacyRequest(
			credential,
			store,
			'/services/data/v62.0/query?q=bogus',
		);
		expect(badQuery.ok).toBe(false);
		expect(sf.tokenRequests()).toHaveLength(0);
		// The failed query once, the session check; not the query a second time.
		expect(sf.requests.map((request) => request.path)).toEqual([
			'/services/data/v62.0/query',
			'/services/data/v62.0/limits',
		]);
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
