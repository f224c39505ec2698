/**
 * Issue 4, lockout protection in a real, long-running n8n: the package's cool-down lives in the n8n
 * process's memory, so it is tested across webhook executions of one `n8n start` (separate
 * `n8n execute` processes would each start with an empty memory).
 *
 * - A wrong password is sent to Salesforce once; later runs within the cool-down send nothing and say
 *   a cool-down is in force, until when, and what to change. Fixing the password in the credential
 *   (through the editor's REST API) logs in at once.
 * - "login rate exceeded" backs off for longer and says when to try again.
 */
import type { SalesforceStandin } from '../../../dev/salesforce-standin';
import {
	createN8n,
	CREDENTIAL_TYPE,
	E2E_TIMEOUT_MS,
	type N8nUnderTest,
	type WebhookWorkflow,
} from '../support';
import { DEBUG_LOGGING, type Haystack } from '../support/secret-scan';
import { scanEnvironment, workflowRunner } from './support/hygiene';
import {
	chain,
	loginDataFor,
	salesforceActionNode,
	salesforceApiRequestNode,
	webhookNode,
	type CredentialRef,
} from '../support/workflows';

jest.setTimeout(E2E_TIMEOUT_MS);

const MINUTE = 60_000;

/** "HH:MM UTC" in a message → the next such moment after `reference`, as epoch ms. */
function timesIn(text: string, reference: number): number[] {
	return [...text.matchAll(/\b(\d{2}):(\d{2}) UTC\b/g)].map((match) => {
		const at = new Date(reference);
		at.setUTCHours(Number(match[1]), Number(match[2]), 0, 0);
		// A time just before `reference` (minute truncation) stays; one far before is tomorrow's.
		if (at.getTime() < reference - 2 * MINUTE) at.setUTCDate(at.getUTCDate() + 1);
		return at.getTime();
	});
}

describe('cool-down after Salesforce refuses a login, in one running n8n', () => {
	let n8n: N8nUnderTest;
	const errorTexts: Haystack[] = [];
	let run: ReturnType<typeof workflowRunner>;

	beforeAll(async () => {
		n8n = await createN8n({ name: 'cooldown', start: true, env: DEBUG_LOGGING });
		run = workflowRunner(errorTexts);
	});

	afterAll(async () => {
		await n8n?.cleanup();
	});

	describe('wrong password', () => {
		let sf: SalesforceStandin;
		let credential: CredentialRef;
		let workflow: WebhookWorkflow;
		let goodData: Record<string, unknown>;
		let firstFailureAt: number;

		beforeAll(async () => {
			sf = await n8n.standin({ label: 'lockout' });
			goodData = loginDataFor(sf);
			credential = await n8n.createCredential('Lockout Env', {
				...goodData,
				password: 'Wrong-Passw0rd-#1',
			});
			workflow = await n8n.publishWebhook(
				chain('Cool-down: wrong password', [
					webhookNode('cooldown-password'),
					salesforceActionNode('Salesforce Action', credential, {
						instance_url: 'SF_INSTANCE_URL',
						access_token: 'SF_ACCESS_TOKEN',
					}),
				]),
				'cooldown-password',
				['SF_ACCESS_TOKEN'],
			);
		});

		it('sends the wrong password once and says Salesforce refused the username and password', async () => {
			firstFailureAt = Date.now();
			const first = await run(workflow);
			expect(first.status).toBe(500);
			expect(first.error).toContain(
				'Salesforce refused the username and password (authentication failure).',
			);
			expect(first.error).toMatch(/Check the Username and Password/);
			expect(sf.tokenRequests().length).toBe(1);
			expect(sf.failedLoginCount).toBe(1);
		});

		it('sends nothing on the next runs and says a cool-down is in force, until when, and what to change', async () => {
			for (let attempt = 0; attempt < 3; attempt++) {
				const later = await run(workflow);
				expect(later.status).toBe(500);
				expect(later.error).toContain(
					'Salesforce refused the username and password (authentication failure).',
				);
				expect(later.error).toMatch(
					/Not retried: the same details were refused at \d{2}:\d{2} UTC\./,
				);
				expect(later.error).toMatch(/not sent again until \d{2}:\d{2} UTC \(about [1-5] min\)/);
				expect(later.error).toMatch(
					/Fix and save the credential.*open the credential \(n8n tests it on opening; Retry tests it again\), to try again at once\./,
				);
				const [refusedAt, until] = timesIn(later.error, firstFailureAt);
				expect(Math.abs(refusedAt - firstFailureAt)).toBeLessThanOrEqual(MINUTE);
				// Five minutes after the refusal (both shown to the minute).
				expect(until - refusedAt).toBe(5 * MINUTE);
			}
			expect(sf.tokenRequests().length).toBe(1);
		});

		it("still tries when the user presses the credential's Test button (and reports the refusal)", async () => {
			const { data: stored } = await n8n.server.json<{ data: { data: Record<string, unknown> } }>(
				`/rest/credentials/${credential.id}?includeData=true`,
			);
			const answer = await n8n.server.fetch('/rest/credentials/test', {
				method: 'POST',
				body: JSON.stringify({
					credentials: {
						id: credential.id,
						name: credential.name,
						type: CREDENTIAL_TYPE,
						data: stored.data,
					},
				}),
			});
			const text = await answer.text();
			n8n.scan.haystacks.push({ label: 'credential test answer (wrong password)', text });
			expect(answer.status).toBe(200);
			const result = (JSON.parse(text) as { data: { status: string; message: string } }).data;
			expect(result.status).toBe('Error');
			expect(result.message).toMatch(/authentication failure/);
			expect(sf.tokenRequests().length).toBe(2);
		});

		it('logs in at once, and succeeds, after the password is fixed in the credential', async () => {
			// What the editor does: read the credential (secrets come back redacted), change the
			// password, save the whole form back.
			const { data: stored } = await n8n.server.json<{
				data: { name: string; data: Record<string, unknown> };
			}>(`/rest/credentials/${credential.id}?includeData=true`);
			expect(stored.data.consumerSecret).not.toBe(goodData.consumerSecret);
			const saved = await n8n.server.fetch(`/rest/credentials/${credential.id}`, {
				method: 'PATCH',
				body: JSON.stringify({
					name: stored.name,
					type: CREDENTIAL_TYPE,
					data: { ...stored.data, password: goodData.password },
				}),
			});
			n8n.scan.haystacks.push({ label: 'credential update answer', text: await saved.text() });
			expect(saved.status).toBe(200);

			const before = sf.tokenRequests().length;
			const fixed = await run(workflow);
			n8n.scan.tokens.record(sf);
			expect(fixed.error).toBe('');
			expect(fixed.status).toBe(200);
			expect(sf.tokenRequests().length).toBe(before + 1);
			expect(sf.activeSessions()).toEqual([fixed.body.SF_ACCESS_TOKEN]);
			expect(fixed.body.SF_INSTANCE_URL).toBe(sf.url);
		});
	});

	describe('login rate exceeded', () => {
		let sf: SalesforceStandin;
		let workflow: WebhookWorkflow;

		beforeAll(async () => {
			// An org whose API user may log in once an hour: the second login is over the budget.
			sf = await n8n.standin({ label: 'ratelimit', loginRateLimitPerHour: 1 });
			const credential = await n8n.createCredential('Rate Limited Env', loginDataFor(sf));
			workflow = await n8n.publishWebhook(
				chain('Cool-down: login rate exceeded', [
					webhookNode('cooldown-rate'),
					// API Request → GET limits rather than Get Access Token: this test is about the login guard
					// backing off when the renewal of an ended session is refused. Get Access Token would hand
					// out the session it proved alive a moment ago without asking Salesforce (issue 9's
					// one-minute memory), so it would never meet the ended session; a REST call always asks,
					// meets the 401, and n8n-core asks the credential to log in again. No token in any item.
					salesforceApiRequestNode('Salesforce Action', credential),
				]),
				'cooldown-rate',
			);
		});

		it('backs off after "login rate exceeded" and says when to try again', async () => {
			const ok = await run(workflow);
			expect(ok.error).toBe('');
			expect(ok.body.DailyApiRequests).toEqual({ Max: 15000, Remaining: expect.any(Number) });
			expect(sf.tokenRequests().length).toBe(1);

			// The session ends; the next run must log in again, and Salesforce says the budget is spent.
			n8n.scan.tokens.expireAll(sf);
			const refusedAt = Date.now();
			const refused = await run(workflow);
			expect(refused.status).toBe(500);
			expect(refused.error).toContain('login rate exceeded');
			expect(refused.error).toMatch(/do not send these details again for 15 minutes/);
			expect(sf.tokenRequests().length).toBe(2);

			for (let attempt = 0; attempt < 2; attempt++) {
				const later = await run(workflow);
				expect(later.error).toContain('login rate exceeded');
				expect(later.error).toMatch(/not sent again until \d{2}:\d{2} UTC \(about (1[1-5]) min\)/);
				const [at, until] = timesIn(later.error, refusedAt);
				expect(until - at).toBe(15 * MINUTE);
			}
			expect(sf.tokenRequests().length).toBe(2);
		});
	});

	it('leaves no secret in the saved executions, the server log, the REST answers or the error messages', async () => {
		const report = await scanEnvironment(n8n, errorTexts);
		expect(report.leaks).toEqual([]);
		expect(report.executionsScanned).toBe(9);
		expect(report.tokensKnown).toBeGreaterThanOrEqual(2);
	});
});
