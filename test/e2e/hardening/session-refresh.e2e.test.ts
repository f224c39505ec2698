/**
 * Issue 4, a REST session dying while n8n uses it, and the HTTP Request node authenticated by the
 * package's credential ("Predefined Credential Type" → "Salesforce Integration API") — the way the
 * README tells users to call Salesforce without mapping the token into any item.
 *
 * What n8n 2.41's HTTP Request node (v4.2) does with this credential, as these tests pin down:
 * - the URL must be absolute (the node refuses anything not starting with http:// or https:// before
 *   any request), e.g. `{{ $json.SF_INSTANCE_URL }}/services/data/v62.0/limits` after a Salesforce
 *   Action that maps only the instance URL, or the org's instance URL typed in;
 * - n8n calls the credential's `authenticate` (the Bearer header) and, with no stored session, its
 *   preAuthentication (a login) first;
 * - when Salesforce answers 401 for a dead session, n8n logs in again through preAuthentication and
 *   retries once.
 * n8n-core's legacy `requestWithAuthentication`, which this node uses, re-runs preAuthentication after
 * ANY error: the credential keeps a session Salesforce still accepts (so a 400 costs no login and is
 * not re-sent) and answers the immediate retry of a refused login with the same refusal. A refused
 * login is stored in the credential, so this path gets the cool-down too, as does every `n8n execute`.
 */
import type { SalesforceStandin } from '../../../dev/salesforce-standin';
import {
	createN8n,
	E2E_TIMEOUT_MS,
	executionError,
	nodeOutputItems,
	savedNodeOutput,
	type N8nUnderTest,
	type SavedExecution,
	type Sink,
	type WebhookWorkflow,
} from '../support';
import { bearerOf, DEBUG_LOGGING } from '../support/secret-scan';
import { scanEnvironment } from './support/hygiene';
import {
	chain,
	httpRequestWithCredentialNode,
	LIMITS_PATH,
	loginDataFor,
	manualTrigger,
	plainHttpRequestNode,
	salesforceActionNode,
	salesforceApiRequestNode,
	webhookNode,
	type CredentialRef,
} from '../support/workflows';

jest.setTimeout(E2E_TIMEOUT_MS);

describe('sessions that die while n8n uses them, and the HTTP Request node with the credential', () => {
	let n8n: N8nUnderTest;
	let hooks: Sink;
	let sf: SalesforceStandin;
	let credential: CredentialRef;
	/** sf.requests.length when the hook ended the sessions. */
	let requestsAtExpiry = -1;

	beforeAll(async () => {
		n8n = await createN8n({ name: 'session-refresh', start: true, env: DEBUG_LOGGING });
		sf = await n8n.standin({ label: 'refresh' });
		credential = await n8n.createCredential('Refresh Env', loginDataFor(sf));
		hooks = await n8n.sink();
		// Ends every session, as the org's inactivity timeout would, between two nodes.
		hooks.on('expire-sessions', () => {
			requestsAtExpiry = sf.requests.length;
			n8n.scan.tokens.expireAll(sf);
		});
	});

	afterAll(async () => {
		await n8n?.cleanup();
	});

	/** Calls the workflow's webhook and returns the saved execution. */
	async function run(
		workflow: WebhookWorkflow,
	): Promise<{ status: number; body: Record<string, unknown>; execution: SavedExecution }> {
		const answer = await workflow.run();
		n8n.scan.tokens.record(sf);
		return answer;
	}

	describe('session dying between two nodes of one execution', () => {
		let workflow: WebhookWorkflow;

		beforeAll(async () => {
			// The node after "Sessions end" is an API Request (GET limits), not a second Get Access Token:
			// this test is about the credential renewing a session that died mid-execution, and Get Access
			// Token within a minute of the first node's check hands out the remembered session without
			// asking Salesforce (issue 9; login-storm proves that memory). A data operation always asks,
			// so it meets the dead session's 401 and n8n-core logs in through the credential and retries.
			workflow = await n8n.publishWebhook(
				chain('Refresh: token, sessions end, REST call, REST call', [
					webhookNode('refresh-mid'),
					salesforceActionNode('First token', credential, { instance_url: 'SF_INSTANCE_URL' }),
					plainHttpRequestNode('Sessions end', hooks.url('expire-sessions')),
					salesforceApiRequestNode('Salesforce limits', credential),
					httpRequestWithCredentialNode(
						'Limits',
						credential,
						`={{ $('First token').item.json.SF_INSTANCE_URL }}${LIMITS_PATH}`,
					),
				]),
				'refresh-mid',
			);
		});

		it('renews the session for the later node with exactly one more login, and the next REST call uses it', async () => {
			const before = sf.tokenRequests().length;
			const { status, body, execution } = await run(workflow);
			expect(executionError(execution)).toBe('');
			expect(status).toBe(200);
			expect(hooks.received('expire-sessions')).toHaveLength(1);
			// One login for the first node (no stored session), one after the sessions ended.
			expect(sf.tokenRequests().length).toBe(before + 2);

			const [live] = sf.activeSessions();
			expect(sf.activeSessions().length).toBe(1);
			// After the sessions ended: the API Request's call with the dead session (401), the credential's
			// own check (401), the one login, the retry with the new session; then the HTTP Request node
			// sends the session the credential now stores, without another login.
			const afterExpiry = sf.requests.slice(requestsAtExpiry);
			expect(afterExpiry.map((request) => request.path)).toEqual([
				LIMITS_PATH,
				LIMITS_PATH,
				'/services/oauth2/token',
				LIMITS_PATH,
				LIMITS_PATH,
			]);
			const [deadCall, deadCheck, , retried, httpCall] = afterExpiry;
			expect(bearerOf(deadCall)).not.toBe(live);
			expect(bearerOf(deadCheck)).toBe(bearerOf(deadCall));
			expect(bearerOf(retried)).toBe(live);
			expect(bearerOf(httpCall)).toBe(live);
			// Both brought back Salesforce's data without the token ever being in an item.
			expect(savedNodeOutput(execution, 'Salesforce limits')).toEqual([
				expect.objectContaining({
					DailyApiRequests: { Max: 15000, Remaining: expect.any(Number) },
				}),
			]);
			expect(body.DailyApiRequests).toEqual({ Max: 15000, Remaining: expect.any(Number) });
			expect(savedNodeOutput(execution, 'First token')).toEqual([
				expect.objectContaining({ SF_INSTANCE_URL: sf.url }),
			]);
		});
	});

	describe('HTTP Request node with the credential as its only Salesforce node', () => {
		let workflow: WebhookWorkflow;
		let freshCredential: CredentialRef;

		beforeAll(async () => {
			// A credential that has never logged in: the HTTP Request node is the first to use it. Its own
			// API user, so the login guard has no recent session for these details to hand over.
			const user = { username: 'http.only@refresh.standin.example', password: 'Http-Only-Pw#2&+ü' };
			sf.users.push(user);
			freshCredential = await n8n.createCredential(
				'Refresh Env (HTTP only)',
				loginDataFor(sf, { ...user, securityToken: '' }),
			);
			workflow = await n8n.publishWebhook(
				chain('Refresh: HTTP Request with the credential', [
					webhookNode('refresh-http'),
					// The instance URL typed in, as a user who knows their org would.
					httpRequestWithCredentialNode('Limits', freshCredential, `${sf.url}${LIMITS_PATH}`),
				]),
				'refresh-http',
			);
		});

		it("logs in through the credential when it holds no session, and returns Salesforce's data", async () => {
			const before = sf.tokenRequests().length;
			const { status, body, execution } = await run(workflow);
			expect(executionError(execution)).toBe('');
			expect(status).toBe(200);
			expect(body.DailyApiRequests).toEqual({ Max: 15000, Remaining: expect.any(Number) });
			expect(sf.tokenRequests().length).toBe(before + 1);
		});

		it('reuses the stored session on the next run', async () => {
			const before = sf.tokenRequests().length;
			const { status } = await run(workflow);
			expect(status).toBe(200);
			expect(sf.tokenRequests().length).toBe(before);
		});

		it('logs in again once and retries when Salesforce answers 401 for a dead session', async () => {
			n8n.scan.tokens.expireAll(sf);
			const before = sf.tokenRequests().length;
			const requestsBefore = sf.requests.length;
			const { status, body, execution } = await run(workflow);
			expect(executionError(execution)).toBe('');
			expect(status).toBe(200);
			expect(body.DailyApiRequests).toEqual({ Max: 15000, Remaining: expect.any(Number) });
			expect(sf.tokenRequests().length).toBe(before + 1);
			// 401 with the dead session, the credential's own check (401 again), the login, the retry.
			const sequence = sf.requests.slice(requestsBefore).map((request) => request.path);
			expect(sequence).toEqual([LIMITS_PATH, LIMITS_PATH, '/services/oauth2/token', LIMITS_PATH]);
		});
	});

	describe('HTTP Request node URL forms', () => {
		it('refuses a relative URL before sending anything: the instance URL has to be in the URL', async () => {
			const workflow = await n8n.publishWebhook(
				chain('Refresh: relative URL', [
					webhookNode('refresh-relative'),
					httpRequestWithCredentialNode('Limits', credential, LIMITS_PATH),
				]),
				'refresh-relative',
			);
			const requestsBefore = sf.requests.length;
			const { status, execution } = await run(workflow);
			expect(status).toBe(500);
			expect(executionError(execution)).toMatch(
				/Invalid URL: \/services\/data\/v62\.0\/limits\. URL must start with "http" or "https"/,
			);
			expect(sf.requests.length).toBe(requestsBefore);
		});

		it('works with the instance URL mapped by a Salesforce Action that outputs no token', async () => {
			const workflow = await n8n.publishWebhook(
				chain('Refresh: instance URL from the Action', [
					webhookNode('refresh-mapped-url'),
					salesforceActionNode('Salesforce Action', credential, {
						instance_url: 'SF_INSTANCE_URL',
					}),
					httpRequestWithCredentialNode(
						'Query Accounts',
						credential,
						`={{ $json.SF_INSTANCE_URL }}/services/data/v62.0/query?q=SELECT+Id,Name+FROM+Account`,
					),
				]),
				'refresh-mapped-url',
			);
			const { status, body, execution } = await run(workflow);
			expect(executionError(execution)).toBe('');
			expect(status).toBe(200);
			expect(body).toMatchObject({ totalSize: 3, done: true });
		});
	});

	describe('what n8n-core does after a failed request with the credential', () => {
		it('keeps the live session when a request fails for another reason: no login, the request is not re-sent', async () => {
			const workflow = await n8n.publishWebhook(
				chain('Refresh: malformed query', [
					webhookNode('refresh-bad-query'),
					httpRequestWithCredentialNode(
						'Bad query',
						credential,
						`${sf.url}/services/data/v62.0/query?q=bogus`,
					),
				]),
				'refresh-bad-query',
			);
			for (let attempt = 0; attempt < 2; attempt++) {
				const before = sf.tokenRequests().length;
				const requestsBefore = sf.requests.length;
				const { status, execution } = await run(workflow);
				expect(status).toBe(500);
				expect(executionError(execution)).toMatch(/unexpected token: 'bogus'/);
				// n8n-core asks the credential for a new session after any error; the credential checks the
				// stored one, finds it alive, and keeps it: n8n reports the 400 without sending it again.
				expect(sf.requests.slice(requestsBefore).map((request) => request.path)).toEqual([
					'/services/data/v62.0/query',
					LIMITS_PATH,
				]);
				expect(sf.tokenRequests().length).toBe(before);
			}
		});

		it('sends a refused login once, not again when n8n-core retries it, nor on the next run (the cool-down is stored in the credential)', async () => {
			const user = {
				username: 'rotated.password@refresh.standin.example',
				password: 'Rotated-Pw#3',
			};
			sf.users.push(user);
			const stale = await n8n.createCredential(
				'Refresh Env (stale password)',
				loginDataFor(sf, { ...user, password: 'Old-Pw-Before-Rotation#3', securityToken: '' }),
			);
			const workflow = await n8n.publishWebhook(
				chain('Refresh: stale password, HTTP Request only', [
					webhookNode('refresh-stale-password'),
					httpRequestWithCredentialNode('Limits', stale, `${sf.url}${LIMITS_PATH}`),
				]),
				'refresh-stale-password',
			);
			for (let attempt = 0; attempt < 2; attempt++) {
				const before = sf.tokenRequests().length;
				const { status, execution } = await run(workflow);
				expect(status).toBe(500);
				// The message itself is the package's clear one.
				expect(executionError(execution)).toMatch(
					/^Salesforce refused the username and password \(authentication failure\)\./,
				);
				// n8n-core asks the credential a second time; it answers with the same refusal. The next run
				// sends nothing: the refusal is stored in the credential, as for the Salesforce Action node.
				expect(sf.tokenRequests().length).toBe(before + (attempt === 0 ? 1 : 0));
				if (attempt > 0)
					expect(executionError(execution)).toMatch(
						/Not retried: the same details were refused at \d{2}:\d{2} UTC\./,
					);
			}
		});
	});

	describe('the same through `n8n execute` (CLI), once the server has stopped', () => {
		let cliCredential: CredentialRef;

		beforeAll(async () => {
			await n8n.stop();
			const user = { username: 'cli.user@refresh.standin.example', password: 'Cli-User-Pw#4 &+%' };
			sf.users.push(user);
			cliCredential = await n8n.importCredential(
				'CLI Env',
				loginDataFor(sf, { ...user, securityToken: '' }),
			);
		});

		it('runs Salesforce Action (instance URL only) → HTTP Request with the credential with one login and no token in the output', async () => {
			const workflowId = await n8n.cli.importWorkflow(
				chain('CLI: instance URL, then REST through the credential', [
					manualTrigger(),
					salesforceActionNode('Salesforce Action', cliCredential, {
						instance_url: 'SF_INSTANCE_URL',
					}),
					httpRequestWithCredentialNode(
						'Limits',
						cliCredential,
						`={{ $json.SF_INSTANCE_URL }}${LIMITS_PATH}`,
					),
				]),
			);
			n8n.scan.tokenFieldsByWorkflow.set(workflowId, []);
			const before = sf.tokenRequests().length;
			const result = await n8n.cli.execute(workflowId);
			n8n.scan.tokens.record(sf);
			expect(result.errorMessage).toBeUndefined();
			expect(result.ok).toBe(true);
			expect(sf.tokenRequests().length).toBe(before + 1);
			expect(result.data && nodeOutputItems(result.data, 'Limits')).toEqual([
				expect.objectContaining({
					DailyApiRequests: { Max: 15000, Remaining: expect.any(Number) },
				}),
			]);
		});

		it('reports a refused login in the CLI run without any secret, and the next `n8n execute` process keeps the stored cool-down', async () => {
			const user = { username: 'cli.wrong@refresh.standin.example', password: 'Cli-Right-Pw#5' };
			sf.users.push(user);
			const wrong = await n8n.importCredential(
				'CLI Env (wrong password)',
				loginDataFor(sf, { ...user, password: 'Cli-Wrong-Pw#5 &+%', securityToken: '' }),
			);
			const workflowId = await n8n.cli.importWorkflow(
				chain('CLI: wrong password', [
					manualTrigger(),
					salesforceActionNode('Salesforce Action', wrong, { instance_url: 'SF_INSTANCE_URL' }),
				]),
			);
			n8n.scan.tokenFieldsByWorkflow.set(workflowId, []);
			for (let attempt = 0; attempt < 2; attempt++) {
				const before = sf.tokenRequests().length;
				const result = await n8n.cli.execute(workflowId);
				expect(result.ok).toBe(false);
				expect(result.errorMessage).toMatch(
					/^Salesforce refused the username and password \(authentication failure\)\./,
				);
				// The refusal is stored in the credential: a new `n8n execute` process does not send it again.
				expect(sf.tokenRequests().length).toBe(before + (attempt === 0 ? 1 : 0));
				if (attempt > 0) expect(result.errorMessage).toMatch(/Not retried/);
			}
		});
	});

	it('leaves no secret and no access token in any execution (none maps the token), the log or the answers', async () => {
		const report = await scanEnvironment(n8n);
		expect(report.leaks).toEqual([]);
		// 6 + 4 through the server, 3 through the CLI.
		expect(report.executionsScanned).toBe(13);
		expect(report.tokensKnown).toBeGreaterThanOrEqual(5);
		expect(report.filesScanned).toEqual(
			expect.arrayContaining([
				'user folder file .n8n/database.sqlite',
				'user folder file .n8n/n8nEventLog.log',
			]),
		);
	});
});
