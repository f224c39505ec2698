/**
 * Issue 8, in a real, long-running n8n: the environment you picked is the environment you get.
 * The credential is edited and tested exactly as the editor does it — `GET /rest/credentials/:id?
 * includeData=true` (secrets and the hidden session fields come back redacted), the form's data with
 * one field changed sent back with `PATCH /rest/credentials/:id` (n8n restores the redacted values,
 * so the stored session survives the edit), and `POST /rest/credentials/test` with what the form holds.
 *
 * - Repointed at another org, the next request of every node using it (Salesforce Action, the HTTP
 *   Request node with the credential) runs with a session of the new org; the old session is never
 *   sent anywhere again. A wrong new password is the error the user sees. A timeout change keeps
 *   the session.
 * - Test logs in afresh every time and reports what Salesforce (or the domain check) says.
 * - The deprecated node, which holds its details inline, follows an edit of the workflow.
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
import {
	chain,
	httpRequestWithCredentialNode,
	legacyAuthNode,
	LIMITS_PATH,
	loginDataFor,
	salesforceActionNode,
	webhookNode,
	type CredentialRef,
} from '../support/workflows';
import { scanEnvironment, workflowRunner } from './support/hygiene';

jest.setTimeout(E2E_TIMEOUT_MS);

/** Typed into the form along the way: secrets like any password, to be found nowhere. */
const WRONG_PASSWORDS = ['Wrong-Passw0rd-#2', 'Wrong-Passw0rd-#3'];

describe('an edited credential, in one running n8n', () => {
	let n8n: N8nUnderTest;
	let uat: SalesforceStandin;
	let production: SalesforceStandin;
	let credential: CredentialRef;
	let action: WebhookWorkflow;
	let httpRequest: WebhookWorkflow;
	const errorTexts: Haystack[] = [];
	let run: ReturnType<typeof workflowRunner>;

	beforeAll(async () => {
		n8n = await createN8n({ name: 'edited-credential', start: true, env: DEBUG_LOGGING });
		run = workflowRunner(errorTexts);
		uat = await n8n.standin({ label: 'uat' });
		production = await n8n.standin({ label: 'production' });
		credential = await n8n.createCredential('UAT Env', loginDataFor(uat));
		for (const [index, value] of WRONG_PASSWORDS.entries())
			n8n.scan.secrets.push({ label: `wrong password #${index + 1}`, value });
		action = await n8n.publishWebhook(
			chain('Edited credential: Salesforce Action', [
				webhookNode('edited-action'),
				salesforceActionNode('Salesforce Action', credential, {
					access_token: 'SF_ACCESS_TOKEN',
					instance_url: 'SF_INSTANCE_URL',
				}),
			]),
			'edited-action',
			['SF_ACCESS_TOKEN'],
		);
		// The user's URL names the org they now mean; the credential alone decides which session goes there.
		httpRequest = await n8n.publishWebhook(
			chain('Edited credential: HTTP Request', [
				webhookNode('edited-http'),
				httpRequestWithCredentialNode('Limits', credential, `${production.url}${LIMITS_PATH}`),
			]),
			'edited-http',
		);
	});

	afterAll(async () => {
		await n8n?.cleanup();
	});

	/** What the editor holds for the credential: its stored data, secrets and session redacted. */
	async function form(): Promise<{ name: string; data: Record<string, unknown> }> {
		const { data } = await n8n.server.json<{
			data: { name: string; data: Record<string, unknown> };
		}>(`/rest/credentials/${credential.id}?includeData=true`);
		n8n.scan.haystacks.push({
			label: 'credential as the editor reads it',
			text: JSON.stringify(data),
		});
		return data;
	}

	/** Save, as the editor's Save does: the whole form back, with the user's changes. */
	async function save(changes: Record<string, unknown>): Promise<void> {
		const current = await form();
		const answer = await n8n.server.fetch(`/rest/credentials/${credential.id}`, {
			method: 'PATCH',
			body: JSON.stringify({
				name: current.name,
				type: CREDENTIAL_TYPE,
				data: { ...current.data, ...changes },
			}),
		});
		n8n.scan.haystacks.push({ label: 'credential save answer', text: await answer.text() });
		expect(answer.status).toBe(200);
	}

	/** The Test button, with the form's data and the user's (unsaved) changes. */
	async function test(
		changes: Record<string, unknown> = {},
	): Promise<{ status: string; message: string }> {
		const current = await form();
		const answer = await n8n.server.fetch('/rest/credentials/test', {
			method: 'POST',
			body: JSON.stringify({
				credentials: {
					id: credential.id,
					name: current.name,
					type: CREDENTIAL_TYPE,
					data: { ...current.data, ...changes },
				},
			}),
		});
		const text = await answer.text();
		n8n.scan.haystacks.push({ label: 'credential test answer', text });
		expect(answer.status).toBe(200);
		const result = (JSON.parse(text) as { data: { status: string; message: string } }).data;
		errorTexts.push({ label: 'credential test message', text: result.message });
		return result;
	}

	/** Requests that carried this token, at either org, since `since` (an index into each org's log). */
	function requestsCarrying(token: string, since: Map<SalesforceStandin, number>) {
		return [uat, production].flatMap((org) =>
			org.requests
				.slice(since.get(org) ?? 0)
				.filter((request) => String(request.headers.authorization ?? '').includes(token)),
		);
	}
	const marks = () =>
		new Map([
			[uat, uat.requests.length],
			[production, production.requests.length],
		]);

	let uatToken: string;

	it('holds a UAT session after a first run (the state in which the editor used to lie)', async () => {
		const first = await run(action);
		expect(first.error).toBe('');
		uatToken = first.body.SF_ACCESS_TOKEN as string;
		expect(uat.activeSessions()).toEqual([uatToken]);
		expect(first.body.SF_INSTANCE_URL).toBe(uat.url);
		n8n.scan.tokens.record(uat);
	});

	it('Test with unchanged details logs in afresh (a stored session never makes it pass)', async () => {
		const before = uat.tokenRequests().length;
		const result = await test();
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(uat.tokenRequests().length).toBe(before + 1);
		n8n.scan.tokens.record(uat);
	});

	it.each([
		[
			'evil.test as Domain',
			{ domain: 'evil.test' },
			/^Domain: "evil\.test" is not a Salesforce login host\./,
		],
		[
			'a wrong password',
			{ password: WRONG_PASSWORDS[0] },
			/^Salesforce refused the username and password/,
		],
		[
			'an unreachable lightning host',
			{ domain: 'https://n8n-sfi-no-such-org.lightning.force.com/' },
			/n8n-sfi-no-such-org\.my\.salesforce\.com/,
		],
	])(
		'Test with %s reports exactly that, whatever session is stored',
		async (_case, changes, message) => {
			const since = marks();
			const result = await test(changes);
			expect(result.status).toBe('Error');
			expect(result.message).toMatch(message);
			expect(requestsCarrying(uatToken, since)).toEqual([]);
		},
	);

	it('after repointing at production, the HTTP Request node logs in there first and never sends the UAT session', async () => {
		await save({
			domain: production.url,
			consumerKey: production.demo.consumerKey,
			consumerSecret: production.demo.consumerSecret,
			username: production.demo.username,
			password: production.demo.password,
			securityToken: production.demo.securityToken,
		});
		const since = marks();
		const answer = await run(httpRequest);
		expect(answer.error).toBe('');
		expect(answer.status).toBe(200);
		expect(production.loginCount).toBe(1);
		const productionToken = production.activeSessions()[0];
		const limits = production.requests
			.slice(since.get(production))
			.filter((request) => request.path === LIMITS_PATH);
		expect(limits.map((request) => request.headers.authorization)).toEqual([
			`Bearer ${productionToken}`,
		]);
		expect(requestsCarrying(uatToken, since)).toEqual([]);
		expect(uat.requests.length).toBe(since.get(uat));
		n8n.scan.tokens.record(production);
	});

	it('the Salesforce Action node then outputs the production session and instance, without another login', async () => {
		const answer = await run(action);
		expect(answer.error).toBe('');
		expect(answer.body.SF_ACCESS_TOKEN).toBe(production.activeSessions()[0]);
		expect(answer.body.SF_INSTANCE_URL).toBe(production.url);
		expect(production.loginCount).toBe(1);
	});

	it('changing only the timeout keeps the session: no login', async () => {
		const before = production.tokenRequests().length;
		await save({ timeout: 20 });
		const answer = await run(action);
		expect(answer.error).toBe('');
		expect(answer.body.SF_ACCESS_TOKEN).toBe(production.activeSessions()[0]);
		expect(production.tokenRequests().length).toBe(before);
	});

	it('a wrong new password is the error the user sees, not the old session', async () => {
		const productionToken = production.activeSessions()[0];
		await save({ password: WRONG_PASSWORDS[1] });
		const since = marks();
		const answer = await run(action);
		expect(answer.status).toBe(500);
		expect(answer.error).toContain('Salesforce refused the username and password');
		expect(requestsCarrying(productionToken, since)).toEqual([]);
		expect(production.tokenRequests().length - 1).toBe(production.loginCount);
	});

	it('Test with the wrong password saved says so; fixed and saved, the next run logs in at once', async () => {
		const refused = await test();
		expect(refused.status).toBe('Error');
		expect(refused.message).toMatch(/^Salesforce refused the username and password/);

		await save({ password: production.demo.password });
		const answer = await run(action);
		expect(answer.error).toBe('');
		expect(answer.body.SF_INSTANCE_URL).toBe(production.url);
		expect(production.activeSessions()).toContain(answer.body.SF_ACCESS_TOKEN);
		n8n.scan.tokens.record(production);
	});

	it('leaves no secret in the saved executions, the server log, the REST answers or the messages', async () => {
		const report = await scanEnvironment(n8n, errorTexts);
		expect(report.leaks).toEqual([]);
		// At least the first UAT session and the two production sessions (before and after the wrong password).
		expect(report.tokensKnown).toBeGreaterThanOrEqual(3);
	});
});

// Its own n8n: the deprecated node keeps its secrets inline, in the workflow, so a secret scan of
// this instance would find them by design (the reason to migrate).
describe('the deprecated node, its inline details edited, in one running n8n', () => {
	let n8n: N8nUnderTest;
	let uat: SalesforceStandin;
	let production: SalesforceStandin;
	let run: ReturnType<typeof workflowRunner>;

	beforeAll(async () => {
		n8n = await createN8n({ name: 'edited-legacy', start: true, env: DEBUG_LOGGING });
		uat = await n8n.standin({ label: 'uat' });
		production = await n8n.standin({ label: 'production' });
		run = workflowRunner([]);
	});

	afterAll(async () => {
		await n8n?.cleanup();
	});

	it('the deprecated node follows an edit of its inline details to the other org', async () => {
		const legacyFor = (org: SalesforceStandin) =>
			legacyAuthNode('Salesforce Authentication', {
				consumerKey: org.demo.consumerKey,
				consumerSecret: org.demo.consumerSecret,
				domain: org.url,
				username: org.demo.username,
				password: org.demo.password + org.demo.securityToken,
				outputField: 'SF_ACCESS_TOKEN',
			});
		const legacy = await n8n.publishWebhook(
			chain('Edited credential: deprecated node', [webhookNode('edited-legacy'), legacyFor(uat)]),
			'edited-legacy',
			['SF_ACCESS_TOKEN'],
		);
		const first = await run(legacy);
		expect(uat.activeSessions()).toContain(first.body.SF_ACCESS_TOKEN);

		// The editor saves the workflow with the node's fields changed.
		const { data: saved } = await n8n.server.json<{
			data: {
				name: string;
				nodes: Array<{ name: string; parameters: Record<string, unknown> }>;
				connections: unknown;
				versionId: string;
			};
		}>(`/rest/workflows/${legacy.id}`);
		const nodes = saved.nodes.map((node) =>
			node.name === 'Salesforce Authentication'
				? { ...node, parameters: legacyFor(production).parameters }
				: node,
		);
		const updated = await n8n.server.fetch(`/rest/workflows/${legacy.id}`, {
			method: 'PATCH',
			body: JSON.stringify({ ...saved, nodes }),
		});
		const updatedText = await updated.text();
		n8n.scan.haystacks.push({ label: 'workflow save answer', text: updatedText });
		expect(updated.status).toBe(200);
		const { versionId } = (JSON.parse(updatedText) as { data: { versionId: string } }).data;
		await n8n.publish(legacy.id, { versionId });

		const tokenBefore = first.body.SF_ACCESS_TOKEN as string;
		const second = await waitForNewAnswer(legacy, tokenBefore);
		expect(production.activeSessions()).toContain(second);
	});

	/** Until the new version's webhook answers (bounded), though publish() waited for its triggers. */
	async function waitForNewAnswer(workflow: WebhookWorkflow, oldToken: string): Promise<string> {
		for (let attempt = 0; attempt < 20; attempt++) {
			const answer = await run(workflow);
			if (answer.body.SF_ACCESS_TOKEN && answer.body.SF_ACCESS_TOKEN !== oldToken)
				return answer.body.SF_ACCESS_TOKEN as string;
			await new Promise((resolve) => setTimeout(resolve, 500));
		}
		throw new Error('the published workflow kept answering with the old version');
	}
});
