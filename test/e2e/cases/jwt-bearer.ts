/**
 * The JWT Bearer flow end to end in a real n8n: the credential holds the consumer key, the API user's
 * username and the private key of the certificate uploaded to an External Client App (no secret, no
 * password); each login posts an RS256 assertion the stand-in verifies with that certificate, and n8n
 * keeps the session for the next execution. A key of another certificate fails with the package's
 * explanation — and the private key is nowhere n8n prints or keeps things.
 */
import { startSalesforceStandin, type SalesforceStandin } from '../../../dev/salesforce-standin';
import { makeTestKeyPair, pemBodyLines, type TestKeyPair } from '../../support/jwtKeys';
import { createN8n, CREDENTIAL_TYPE, type ExecuteResult, type N8nUnderTest } from '../support';
import { leakedSecrets, n8nStateFiles } from '../support/secret-scan';
import {
	chain,
	manualTrigger,
	nodeOutput,
	salesforceActionNode,
	succeededRun,
} from '../support/workflows';
import { beyondSmoke, titled, type E2eCaseOptions } from './options';

const API_USERNAME = 'integration.jwt@acme.standin.example';
const CONSUMER_KEY = '3MVG9JwtBearerExternalClientApp.e2e';
const GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

function claimsOf(assertion: string | undefined): Record<string, unknown> {
	return JSON.parse(
		Buffer.from((assertion ?? '').split('.')[1] ?? '', 'base64url').toString('utf8'),
	) as Record<string, unknown>;
}

export function describeJwtBearer(options: E2eCaseOptions = {}): void {
	const outsideSmoke = beyondSmoke(options);

	describe(titled('a JWT Bearer credential in real n8n', options), () => {
		let standin: SalesforceStandin;
		let n8n: N8nUnderTest;
		let keys: TestKeyPair;
		let wrongKeys: TestKeyPair;
		let workflowId: string;
		let wrongKeyWorkflowId: string;
		/** Every form of both private keys and the passphrase, by name, for the scans. */
		let secrets: Record<string, string>;
		const results: ExecuteResult[] = [];

		beforeAll(async () => {
			keys = makeTestKeyPair();
			wrongKeys = makeTestKeyPair();
			secrets = {
				privateKey: keys.encrypted,
				passphrase: keys.passphrase,
				wrongPrivateKey: wrongKeys.pkcs8,
				...Object.fromEntries(
					pemBodyLines(keys.encrypted).map((line, index) => [`privateKey line ${index + 1}`, line]),
				),
				...Object.fromEntries(
					pemBodyLines(wrongKeys.pkcs8).map((line, index) => [
						`wrongPrivateKey line ${index + 1}`,
						line,
					]),
				),
				// The same key unencrypted: what a leak after decryption would show.
				...Object.fromEntries(
					pemBodyLines(keys.pkcs8).map((line, index) => [
						`decrypted privateKey line ${index + 1}`,
						line,
					]),
				),
			};
			standin = await startSalesforceStandin({
				label: 'acme',
				users: [{ username: API_USERNAME, password: 'never-sent-by-this-flow' }],
				apps: [
					{
						consumerKey: CONSUMER_KEY,
						consumerSecret: 'never-sent-by-this-flow',
						passwordFlow: false,
						jwtCertificate: keys.certificate,
						externalClientApp: true,
					},
				],
			});
			n8n = await createN8n({ name: 'jwt-bearer', n8nVersion: options.n8nVersion });
			n8n.cli.addSecrets(...Object.values(secrets));
			const login = {
				authFlow: 'jwtBearer',
				domain: standin.url,
				consumerKey: CONSUMER_KEY,
				username: API_USERNAME,
				audience: 'myDomain',
				timeout: 10,
			};
			const [credential, wrongKeyCredential] = await n8n.cli.importCredentials([
				{
					name: 'Production Env',
					type: CREDENTIAL_TYPE,
					data: { ...login, privateKey: keys.encrypted, passphrase: keys.passphrase },
				},
				{
					name: 'Production Env (old key)',
					type: CREDENTIAL_TYPE,
					data: { ...login, privateKey: wrongKeys.pkcs8, passphrase: '' },
				},
			]);
			const mapping = {
				access_token: 'SF_ACCESS_TOKEN',
				user_id: 'SF_USER_ID',
				org_id: 'SF_ORG_ID',
			};
			[workflowId, wrongKeyWorkflowId] = await n8n.cli.importWorkflows([
				chain('Token through JWT Bearer', [
					manualTrigger(),
					salesforceActionNode('Salesforce Action', credential, mapping),
				]),
				chain('Token through JWT Bearer with a key of another certificate', [
					manualTrigger(),
					salesforceActionNode('Salesforce Action', wrongKeyCredential, mapping),
				]),
			]);
		});

		afterAll(async () => {
			await n8n?.cleanup();
			await standin?.close();
		});

		let token: unknown;

		outsideSmoke(
			'gets a live session for the API user with one login: a signed assertion, no secret, no password',
			async () => {
				const result = await n8n.cli.execute(workflowId);
				results.push(result);
				const run = succeededRun(result);
				const [item] = nodeOutput(run, 'Salesforce Action').map((output) => output.json);

				const logins = standin.tokenRequests();
				expect(logins).toHaveLength(1);
				expect(Object.keys(logins[0].form ?? {})).toEqual(['grant_type', 'assertion']);
				expect(logins[0].form?.grant_type).toBe(GRANT);
				const claims = claimsOf(logins[0].form?.assertion);
				expect(claims).toMatchObject({ iss: CONSUMER_KEY, sub: API_USERNAME, aud: standin.url });
				expect((claims.exp as number) - Math.floor(logins[0].at / 1000)).toBeLessThanOrEqual(180);

				token = item.SF_ACCESS_TOKEN;
				expect(standin.activeSessions()).toEqual([token]);
				expect(item).toEqual({
					SF_ACCESS_TOKEN: token,
					SF_USER_ID: standin.users[0].userId,
					SF_ORG_ID: standin.orgId,
				});
			},
		);

		outsideSmoke('reuses that session in the next execution without logging in', async () => {
			standin.resetRecords();
			const result = await n8n.cli.execute(workflowId);
			results.push(result);
			const run = succeededRun(result);

			expect(standin.tokenRequests()).toHaveLength(0);
			expect(nodeOutput(run, 'Salesforce Action')[0]?.json.SF_ACCESS_TOKEN).toBe(token);
		});

		it('fails with the clear message when the key does not belong to the uploaded certificate, asking Salesforce once', async () => {
			standin.resetRecords();
			const result = await n8n.cli.execute(wrongKeyWorkflowId);
			results.push(result);

			expect(result.ok).toBe(false);
			expect(result.data?.data.resultData.lastNodeExecuted).toBe('Salesforce Action');
			const error = result.data?.data.resultData.error;
			expect(error?.message).toBe(
				"Salesforce could not verify the JWT Bearer assertion with the app's certificate (invalid assertion).",
			);
			expect(error?.description).toEqual(
				expect.stringContaining('certificate uploaded to the app'),
			);
			expect(error?.description).toEqual(expect.stringContaining('openssl x509 -noout -modulus'));
			expect(standin.tokenRequests()).toHaveLength(1);
			expect(standin.failedLoginCount).toBe(1);
		});

		outsideSmoke('prints no private key or passphrase on the CLI', () => {
			expect(results).toHaveLength(3);
			for (const result of results) {
				expect(leakedSecrets(result.stdout, secrets)).toEqual([]);
				expect(leakedSecrets(result.stderr, secrets)).toEqual([]);
			}
		});

		outsideSmoke(
			"saves no private key or passphrase in any execution, and none in plain form in n8n's user folder",
			async () => {
				const executions = await n8n.cli.listExecutions();
				expect(executions.map((execution) => execution.status).sort()).toEqual([
					'error',
					'success',
					'success',
				]);
				for (const execution of executions) {
					const saved = await n8n.cli.readExecution(execution.id);
					expect(leakedSecrets(saved.rawData, secrets)).toEqual([]);
					expect(leakedSecrets(JSON.stringify(saved.workflowData), secrets)).toEqual([]);
				}
				const [credential] = await n8n.cli.exportCredentials();
				expect(typeof credential.data).toBe('string');
				expect(leakedSecrets(JSON.stringify(credential), secrets)).toEqual([]);

				const leaks = n8nStateFiles(n8n.userFolder).flatMap((file) =>
					leakedSecrets(file.text, secrets, { latin1: true }).map(
						(leak) => `${file.label}: ${leak}`,
					),
				);
				expect(leaks).toEqual([]);
			},
		);
	});
}
