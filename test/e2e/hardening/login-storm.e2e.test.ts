/**
 * Issue 4, login storm: one running n8n, a published Webhook → Salesforce Action workflow, a credential
 * with no stored session, and 20 webhook calls at once. n8n runs them as 20 concurrent executions in
 * one process; the package's single-flight login must turn them into exactly one token request — and
 * again exactly one when the session dies under all 20 at once.
 *
 * Get Access Token does not ask Salesforce about a session this n8n process saw accepted in the last
 * minute (issue 9, docs/salesforce-action.md): right after the first burst it hands out the remembered
 * session even once Salesforce ended it — proven here. So the burst that meets the dead session runs
 * a workflow whose Salesforce Action asks Salesforce every time (API Request → GET limits): its 401s
 * make n8n-core ask the credential for a new session 20 times at once, which is what the single-flight
 * login is for.
 */
import type { SalesforceStandin } from '../../../dev/salesforce-standin';
import { createN8n, E2E_TIMEOUT_MS, type N8nUnderTest, type WebhookWorkflow } from '../support';
import { bearerOf, DEBUG_LOGGING } from '../support/secret-scan';
import { scanEnvironment } from './support/hygiene';
import {
	chain,
	LIMITS_PATH,
	loginDataFor,
	salesforceActionNode,
	salesforceApiRequestNode,
	webhookNode,
} from '../support/workflows';

jest.setTimeout(E2E_TIMEOUT_MS);

const CONCURRENT_CALLS = 20;

describe('login storm: 20 concurrent webhook executions in one n8n', () => {
	let n8n: N8nUnderTest;
	let sf: SalesforceStandin;
	let workflow: WebhookWorkflow;
	let apiWorkflow: WebhookWorkflow;
	/** The tokens the first burst handed out. */
	let workflowTokens: string[] = [];

	beforeAll(async () => {
		n8n = await createN8n({ name: 'login-storm', start: true, env: DEBUG_LOGGING });
		sf = await n8n.standin({ label: 'storm' });
		const credential = await n8n.createCredential('Storm Env', loginDataFor(sf));
		workflow = await n8n.publishWebhook(
			chain('Storm: webhook → token', [
				webhookNode('storm'),
				salesforceActionNode('Salesforce Action', credential, {
					access_token: 'SF_ACCESS_TOKEN',
					instance_url: 'SF_INSTANCE_URL',
				}),
			]),
			'storm',
			['SF_ACCESS_TOKEN'],
		);
		apiWorkflow = await n8n.publishWebhook(
			chain('Storm: webhook → REST call', [
				webhookNode('storm-api'),
				salesforceApiRequestNode('Salesforce limits', credential),
			]),
			'storm-api',
		);
	});

	afterAll(async () => {
		await n8n?.cleanup();
	});

	async function storm(): Promise<string[]> {
		const answers = await Promise.all(
			Array.from({ length: CONCURRENT_CALLS }, async () => await workflow.call()),
		);
		for (const answer of answers) {
			if (answer.status !== 200)
				throw new Error(`The webhook answered ${answer.status}: ${answer.text.slice(0, 500)}`);
			expect(answer.body.SF_INSTANCE_URL).toBe(sf.url);
		}
		return answers.map((answer) => String(answer.body.SF_ACCESS_TOKEN));
	}

	it('logs in exactly once for 20 simultaneous executions with no stored session, and all get a live token', async () => {
		expect(sf.tokenRequests().length).toBe(0);
		const tokens = await storm();
		n8n.scan.tokens.record(sf);

		expect(sf.tokenRequests().length).toBe(1);
		expect(sf.loginCount).toBe(1);
		workflowTokens = tokens;
		expect(new Set(tokens).size).toBe(1);
		expect(sf.activeSessions()).toEqual([tokens[0]]);

		const executions = await n8n.executions.waitForFinished(workflow.id, CONCURRENT_CALLS);
		expect(executions.map((execution) => execution.status)).toEqual(
			Array(CONCURRENT_CALLS).fill('success'),
		);
	});

	it('within the minute, Get Access Token hands out the remembered session without asking Salesforce, even once Salesforce ended it', async () => {
		// The first burst proved the session alive moments ago; Salesforce now ends it. The next Get
		// Access Token sends no session check (no GET …/limits), no login, and outputs the remembered
		// token: documented behaviour — a session used in the last minute cannot have hit the org's
		// inactivity timeout, and the next REST request with the credential renews it on its 401.
		const [remembered] = sf.activeSessions();
		n8n.scan.tokens.expireAll(sf);
		const requestsBefore = sf.requests.length;

		const answer = await workflow.call();

		expect({ status: answer.status, text: answer.status === 200 ? '' : answer.text }).toEqual({
			status: 200,
			text: '',
		});
		expect(answer.body.SF_ACCESS_TOKEN).toBe(remembered);
		expect(
			sf.requests.slice(requestsBefore).filter((request) => request.path === LIMITS_PATH),
		).toEqual([]);
		expect(sf.requests.length).toBe(requestsBefore);
		expect(sf.activeSessions()).toEqual([]);
		await n8n.executions.waitForFinished(workflow.id, CONCURRENT_CALLS + 1);
	});

	it('logs in exactly once more when the dead session meets 20 simultaneous executions that ask Salesforce', async () => {
		// API Request → GET limits, not Get Access Token: the previous test showed Get Access Token would
		// hand out the remembered session unchecked within the minute. Each of these sends the dead
		// session, gets 401, and n8n-core asks the credential for a new one: 20 at once, one login.
		const before = sf.tokenRequests().length;
		const requestsBefore = sf.requests.length;
		const deadToken = String(workflowTokens[0]);

		const answers = await Promise.all(
			Array.from({ length: CONCURRENT_CALLS }, async () => await apiWorkflow.call()),
		);
		n8n.scan.tokens.record(sf);

		for (const answer of answers) {
			expect({ status: answer.status, text: answer.status === 200 ? '' : answer.text }).toEqual({
				status: 200,
				text: '',
			});
			expect(answer.body.DailyApiRequests).toEqual({ Max: 15000, Remaining: expect.any(Number) });
		}
		expect(sf.tokenRequests().length).toBe(before + 1);
		const [renewed] = sf.activeSessions();
		expect(sf.activeSessions()).toEqual([renewed]);
		expect(renewed).not.toBe(deadToken);
		// Every REST call carried either the dead session (answered 401) or the one renewed session.
		const bearers = sf.requests
			.slice(requestsBefore)
			.filter((request) => request.path === LIMITS_PATH)
			.map(bearerOf);
		expect(new Set(bearers)).toEqual(new Set([deadToken, renewed]));
		// Each execution's successful call: at least one per execution with the renewed session.
		expect(bearers.filter((bearer) => bearer === renewed).length).toBeGreaterThanOrEqual(
			CONCURRENT_CALLS,
		);
		const executions = await n8n.executions.waitForFinished(apiWorkflow.id, CONCURRENT_CALLS);
		expect(executions.map((execution) => execution.status)).toEqual(
			Array(CONCURRENT_CALLS).fill('success'),
		);
	});

	it('reuses the stored session for a later burst without logging in', async () => {
		const before = sf.tokenRequests().length;
		const tokens = await storm();
		expect(sf.tokenRequests().length).toBe(before);
		expect(new Set(tokens)).toEqual(new Set(sf.activeSessions()));
		await n8n.executions.waitForFinished(workflow.id, 2 * CONCURRENT_CALLS + 1);
	});

	it('leaves no secret in the saved executions, the server log or the answers, and the token only where mapped', async () => {
		const report = await scanEnvironment(n8n);
		expect(report.leaks).toEqual([]);
		// Two Get Access Token bursts and the one remembered-session run, the REST-call burst.
		expect(report.executionsScanned).toBe(3 * CONCURRENT_CALLS + 1);
		expect(report.tokensKnown).toBe(2);
		// The tokens searched for are the real ones: each Get Access Token execution shows its token in
		// the mapped field (the REST-call executions map none).
		expect(report.mappedTokenSightings).toBeGreaterThanOrEqual(2 * CONCURRENT_CALLS + 1);
		expect(report.tokensSeenInDatabase).toBe(2);
	});
});
