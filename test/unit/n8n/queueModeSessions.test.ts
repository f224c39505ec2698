/**
 * Queue mode through n8n-core's real request helpers: several n8n processes share one stored
 * credential, each with its own login guard. One worker's memory of a session it got earlier must
 * never stand in for the session another worker stored and Salesforce has since ended (issue 11).
 */
import { sessionKeyFor } from '../../../nodes/salesforce';
import { CredentialStore } from '../../support/n8n-harness';
import {
	credentialDataFor,
	runSalesforceAction,
	storedCredential,
	useStandin,
} from '../../support/fixtures';
import type { SalesforceStandin } from '../../../dev/salesforce-standin';
import { forgetAllSessions } from '../../../nodes/client/liveSessions';

const standin = useStandin();

/** A login another worker made (outside this process's guard), as n8n would store it. */
async function loginElsewhere(sf: SalesforceStandin): Promise<Record<string, string>> {
	const data = credentialDataFor(sf);
	const response = await fetch(`${sf.url}/services/oauth2/token`, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({
			grant_type: 'password',
			client_id: String(data.consumerKey),
			client_secret: String(data.consumerSecret),
			username: String(data.username),
			password: `${String(data.password)}${String(data.securityToken)}`,
		}),
	});
	const body = (await response.json()) as Record<string, string>;
	if (!response.ok) throw new Error(`login elsewhere failed: ${JSON.stringify(body)}`);
	return {
		accessToken: body.access_token,
		instanceUrl: body.instance_url,
		identityUrl: body.id,
		issuedAt: body.issued_at,
		sessionKey: sessionKeyFor(data),
	};
}

describe('two workers, one stored session', () => {
	it("renews with a new login when every session ended, instead of handing out this worker's remembered (also ended) one", async () => {
		const sf = standin();
		const store = new CredentialStore();
		const credential = storedCredential(sf);
		// This worker logs in (and remembers its session for a minute)…
		const first = await runSalesforceAction({ credential, store });
		const remembered = String(
			first.output[0][0].json.access_token ?? store.getData(credential.id).accessToken,
		);
		// …then the other worker's session is stored, issued a moment later, and used by everyone.
		await new Promise((resolve) => setTimeout(resolve, 5));
		const other = await loginElsewhere(sf);
		store.patchData(credential.id, other);
		expect(other.accessToken).not.toBe(remembered);

		sf.expireAllSessions();
		// As after the minute in which a session this process saw accepted is not checked again.
		forgetAllSessions();
		sf.resetRecords();
		const renewed = await runSalesforceAction({ credential, store });
		expect(sf.tokenRequests()).toHaveLength(1);
		const token = store.getData(credential.id).accessToken;
		expect(sf.activeSessions()).toEqual([token]);
		expect([remembered, other.accessToken]).not.toContain(token);
		expect(renewed.output[0]).toHaveLength(1);
	});

	it("still shares this worker's fresh session with an execution that found the same dead session", async () => {
		const sf = standin();
		const store = new CredentialStore();
		const credential = storedCredential(sf);
		await runSalesforceAction({ credential, store });
		const dead = store.getData(credential.id);
		sf.expireAllSessions();
		// As after the minute in which a session this process saw accepted is not checked again.
		forgetAllSessions();
		await runSalesforceAction({ credential, store });
		expect(sf.tokenRequests()).toHaveLength(2);
		// An execution that read the credential before the renewal was stored: it gets the renewed one.
		const late = storedCredential(sf);
		late.id = 'late-reader';
		const lateStore = new CredentialStore([{ ...late, data: { ...late.data, ...dead } }]);
		await runSalesforceAction({
			credential: { ...late, data: { ...late.data, ...dead } },
			store: lateStore,
		});
		expect(sf.tokenRequests()).toHaveLength(2);
		expect(lateStore.getData('late-reader').accessToken).toBe(
			store.getData(credential.id).accessToken,
		);
	});
});
