/**
 * Issue 4, login storm: one running n8n, a published Webhook → Salesforce Action workflow, a credential
 * with no stored session, and 20 webhook calls at once. n8n runs them as 20 concurrent executions in
 * one process; the package's single-flight login must turn them into exactly one token request — and
 * again exactly one when the session dies under all 20 at once.
 */
import type { SalesforceStandin } from '../../../dev/salesforce-standin';
import { E2E_TIMEOUT_MS } from '../support';
import { loginDataFor, startHardeningEnv, type ActiveWorkflow, type HardeningEnv } from './support/hardening-env';
import { scanEnvironment } from './support/hygiene';
import { chain, salesforceActionNode, webhookNode } from './support/workflows';

jest.setTimeout(E2E_TIMEOUT_MS);

const CONCURRENT_CALLS = 20;

describe('login storm: 20 concurrent webhook executions in one n8n', () => {
	let env: HardeningEnv;
	let sf: SalesforceStandin;
	let workflow: ActiveWorkflow;

	beforeAll(async () => {
		env = await startHardeningEnv('login-storm');
		sf = await env.standin({ label: 'storm' });
		const credential = await env.createCredential('Storm Env', loginDataFor(sf));
		workflow = await env.activateWorkflow(
			chain('Storm: webhook → token', [
				webhookNode('storm'),
				salesforceActionNode('Salesforce Action', credential, { access_token: 'SF_ACCESS_TOKEN', instance_url: 'SF_INSTANCE_URL' }),
			]),
			'storm',
			['SF_ACCESS_TOKEN'],
		);
	});

	afterAll(async () => {
		await env?.stop();
	});

	async function storm(): Promise<string[]> {
		const answers = await Promise.all(Array.from({ length: CONCURRENT_CALLS }, async () => await workflow.call()));
		for (const answer of answers) {
			if (answer.status !== 200) throw new Error(`The webhook answered ${answer.status}: ${answer.text.slice(0, 500)}`);
			expect(answer.body.SF_INSTANCE_URL).toBe(sf.url);
		}
		return answers.map((answer) => String(answer.body.SF_ACCESS_TOKEN));
	}

	it('logs in exactly once for 20 simultaneous executions with no stored session, and all get a live token', async () => {
		expect(sf.tokenRequests().length).toBe(0);
		const tokens = await storm();
		env.tokens.record(sf);

		expect(sf.tokenRequests().length).toBe(1);
		expect(sf.loginCount).toBe(1);
		expect(new Set(tokens).size).toBe(1);
		expect(sf.activeSessions()).toEqual([tokens[0]]);

		const executions = await env.finishedExecutionSummaries(workflow.id, CONCURRENT_CALLS);
		expect(executions.map((execution) => execution.status)).toEqual(Array(CONCURRENT_CALLS).fill('success'));
	});

	it('logs in exactly once more when the session dies under 20 simultaneous executions', async () => {
		const before = sf.tokenRequests().length;
		const [deadToken] = sf.activeSessions();
		env.tokens.expireAll(sf);

		const tokens = await storm();
		env.tokens.record(sf);

		expect(sf.tokenRequests().length).toBe(before + 1);
		expect(new Set(tokens).size).toBe(1);
		expect(tokens[0]).not.toBe(deadToken);
		expect(sf.activeSessions()).toEqual([tokens[0]]);
		await env.finishedExecutionSummaries(workflow.id, 2 * CONCURRENT_CALLS);
	});

	it('reuses the stored session for a later burst without logging in', async () => {
		const before = sf.tokenRequests().length;
		const tokens = await storm();
		expect(sf.tokenRequests().length).toBe(before);
		expect(new Set(tokens)).toEqual(new Set(sf.activeSessions()));
		await env.finishedExecutionSummaries(workflow.id, 3 * CONCURRENT_CALLS);
	});

	it('leaves no secret in the saved executions, the server log or the answers, and the token only where mapped', async () => {
		const report = await scanEnvironment(env);
		expect(report.leaks).toEqual([]);
		expect(report.executionsScanned).toBe(3 * CONCURRENT_CALLS);
		expect(report.tokensKnown).toBe(2);
		// The tokens searched for are the real ones: each execution shows its token in the mapped field.
		expect(report.mappedTokenSightings).toBeGreaterThanOrEqual(3 * CONCURRENT_CALLS);
		expect(report.tokensSeenInDatabase).toBe(2);
	});
});
