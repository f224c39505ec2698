/**
 * One credential per Salesforce environment, both used in one workflow in a real n8n: a sandbox
 * ("UAT Env") and production ("Production Env"), each a separate org. Every Salesforce Action node
 * must get the session of its own credential's org, with one login per org — also when a later node
 * uses an environment again.
 */
import { startSalesforceStandin, type SalesforceStandin } from '../../../dev/salesforce-standin';
import { createN8n, salesforceCredential, type N8nUnderTest } from '../support';
import {
	chain,
	codeNodeOutputting,
	manualTrigger,
	nodeOutput,
	salesforceActionNode,
	succeededRun,
} from '../support/workflows';
import { titled, type E2eCaseOptions } from './options';

export function describeTwoEnvironments(options: E2eCaseOptions = {}): void {
	describe(titled('two Salesforce environments in one n8n', options), () => {
		// Named like the sandbox "uat" of the org "acme" (acme--uat.sandbox.my.salesforce.com); the
		// stand-in puts the label into its usernames and tokens. Both listen on loopback, which is what
		// the credentials' Domain must name (the only place plain http is accepted).
		let uat: SalesforceStandin;
		let production: SalesforceStandin;
		let n8n: N8nUnderTest;
		let output: Array<Record<string, unknown>>;

		beforeAll(async () => {
			uat = await startSalesforceStandin({ label: 'acme--uat' });
			production = await startSalesforceStandin({ label: 'acme' });
			n8n = await createN8n({ name: 'environments', n8nVersion: options.n8nVersion });
			const [uatCredential, productionCredential] = await n8n.cli.importCredentials([
				salesforceCredential('UAT Env', { authFlow: 'password', domain: uat.url, ...uat.demo }),
				salesforceCredential('Production Env', {
					authFlow: 'password',
					domain: production.url,
					...production.demo,
				}),
			]);
			const workflowId = await n8n.cli.importWorkflow(
				chain('Copy from UAT to Production', [
					manualTrigger(),
					codeNodeOutputting('Records', [{ record: 'A-1' }, { record: 'A-2' }]),
					salesforceActionNode('UAT Session', uatCredential, {
						access_token: 'UAT_TOKEN',
						org_id: 'UAT_ORG_ID',
						instance_url: 'UAT_URL',
					}),
					salesforceActionNode('Production Session', productionCredential, {
						access_token: 'PROD_TOKEN',
						org_id: 'PROD_ORG_ID',
						instance_url: 'PROD_URL',
					}),
					// A second node on the same environment finds the session the first one stored.
					salesforceActionNode('UAT Session Again', uatCredential, {
						access_token: 'UAT_TOKEN_AGAIN',
					}),
				]),
			);
			output = nodeOutput(succeededRun(await n8n.cli.execute(workflowId)), 'UAT Session Again').map(
				(item) => item.json,
			);
		});

		afterAll(async () => {
			await n8n?.cleanup();
			await uat?.close();
			await production?.close();
		});

		it('gives each node the session of its own environment, live there and unknown to the other org', () => {
			expect(output).toHaveLength(2);
			const [{ UAT_TOKEN, PROD_TOKEN }] = output;
			expect(UAT_TOKEN).not.toBe(PROD_TOKEN);
			expect(uat.activeSessions()).toEqual([UAT_TOKEN]);
			expect(production.activeSessions()).toEqual([PROD_TOKEN]);
			expect(UAT_TOKEN).toMatch(new RegExp(`^${uat.orgId}!acmeuat\\.`));
			expect(PROD_TOKEN).toMatch(new RegExp(`^${production.orgId}!acme\\.`));
			// All three nodes' fields end up side by side on every item, with the item's own input.
			expect(output).toEqual(
				['A-1', 'A-2'].map((record) => ({
					record,
					UAT_TOKEN,
					UAT_ORG_ID: uat.orgId,
					UAT_URL: uat.url,
					PROD_TOKEN,
					PROD_ORG_ID: production.orgId,
					PROD_URL: production.url,
					UAT_TOKEN_AGAIN: UAT_TOKEN,
				})),
			);
		});

		it("logs in once at each org (the second UAT node included), with that environment's own connected app and user", () => {
			for (const org of [uat, production]) {
				const logins = org.tokenRequests();
				expect(logins).toHaveLength(1);
				expect(logins[0].form).toMatchObject({
					grant_type: 'password',
					client_id: org.demo.consumerKey,
					username: org.demo.username,
				});
			}
			expect(uat.demo.username).not.toBe(production.demo.username);
			expect(uat.loginCount + production.loginCount).toBe(2);
		});
	});
}
