/**
 * The Client Credentials flow end to end in a real n8n: the credential holds only the connected
 * app's key and secret, Salesforce issues the session for the app's Run-As user, and n8n keeps it
 * for the next execution like any other session.
 */
import { startSalesforceStandin, type SalesforceStandin } from '../../../dev/salesforce-standin';
import { createN8n, salesforceCredential, type N8nUnderTest } from '../support';
import {
	chain,
	manualTrigger,
	nodeOutput,
	salesforceActionNode,
	succeededRun,
} from '../support/workflows';
import { titled, type E2eCaseOptions } from './options';

const RUN_AS_USERNAME = 'integration.runas@acme.standin.example';

export function describeClientCredentials(options: E2eCaseOptions = {}): void {
	describe(titled('a Client Credentials credential in real n8n', options), () => {
		let standin: SalesforceStandin;
		let n8n: N8nUnderTest;
		let workflowId: string;

		beforeAll(async () => {
			standin = await startSalesforceStandin({
				label: 'acme',
				users: [{ username: RUN_AS_USERNAME, password: 'never-sent-by-this-flow' }],
				// The username-password flow is off for this app: only client credentials can succeed.
				apps: [
					{
						consumerKey: '3MVG9ClientCredentialsOnlyApp.e2e',
						consumerSecret: 'C1ient-Secret-For-E2E',
						passwordFlow: false,
						clientCredentialsRunAs: RUN_AS_USERNAME,
					},
				],
			});
			n8n = await createN8n({ name: 'client-credentials', n8nVersion: options.n8nVersion });
			const [credential] = await n8n.cli.importCredentials([
				salesforceCredential('Production Env', {
					authFlow: 'clientCredentials',
					domain: standin.url,
					consumerKey: standin.demo.consumerKey,
					consumerSecret: standin.demo.consumerSecret,
				}),
			]);
			workflowId = await n8n.cli.importWorkflow(
				chain('Token through client credentials', [
					manualTrigger(),
					salesforceActionNode('Salesforce Action', credential, {
						access_token: 'SF_ACCESS_TOKEN',
						user_id: 'SF_USER_ID',
						org_id: 'SF_ORG_ID',
					}),
				]),
			);
		});

		afterAll(async () => {
			await n8n?.cleanup();
			await standin?.close();
		});

		let token: unknown;

		it("gets a live session for the connected app's Run-As user with the app's key and secret only", async () => {
			const run = succeededRun(await n8n.cli.execute(workflowId));
			const [item] = nodeOutput(run, 'Salesforce Action').map((output) => output.json);

			const logins = standin.tokenRequests();
			expect(logins.map((login) => login.form)).toEqual([
				{
					grant_type: 'client_credentials',
					client_id: standin.demo.consumerKey,
					client_secret: standin.demo.consumerSecret,
				},
			]);
			token = item.SF_ACCESS_TOKEN;
			expect(standin.activeSessions()).toEqual([token]);
			expect(item).toEqual({
				SF_ACCESS_TOKEN: token,
				SF_USER_ID: standin.users[0].userId,
				SF_ORG_ID: standin.orgId,
			});
		});

		it('reuses that session in the next execution without logging in', async () => {
			standin.resetRecords();
			const run = succeededRun(await n8n.cli.execute(workflowId));

			expect(standin.tokenRequests()).toHaveLength(0);
			expect(nodeOutput(run, 'Salesforce Action')[0]?.json.SF_ACCESS_TOKEN).toBe(token);
		});
	});
}
