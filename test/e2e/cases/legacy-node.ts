/**
 * A workflow saved with the deprecated Salesforce Authentication node (connected app and user typed
 * into the node itself) keeps running in a real n8n, while the editor no longer offers the node.
 */
import { startSalesforceStandin, type SalesforceStandin } from '../../../dev/salesforce-standin';
import { createN8n, LEGACY_AUTH_TYPE, type N8nUnderTest } from '../support';
import {
	chain,
	codeNodeOutputting,
	legacyAuthNode,
	manualTrigger,
	nodeOutput,
	succeededRun,
} from '../support/workflows';
import { titled, type E2eCaseOptions } from './options';

export function describeLegacyNode(options: E2eCaseOptions = {}): void {
	describe(
		titled('the deprecated Salesforce Authentication node in a saved workflow', options),
		() => {
			let standin: SalesforceStandin;
			let n8n: N8nUnderTest;
			let workflowId: string;

			beforeAll(async () => {
				standin = await startSalesforceStandin({ label: 'legacy' });
				n8n = await createN8n({ name: 'legacy-node', n8nVersion: options.n8nVersion });
				workflowId = await n8n.cli.importWorkflow(
					chain('Saved before the Salesforce Action node existed', [
						manualTrigger(),
						codeNodeOutputting('Orders', [{ order: 1001 }, { order: 1002 }]),
						legacyAuthNode('Salesforce Authentication', {
							consumerKey: standin.demo.consumerKey,
							consumerSecret: standin.demo.consumerSecret,
							domain: standin.url,
							username: standin.demo.username,
							// The old node had no Security Token field: users appended it to the password.
							password: standin.demo.password + standin.demo.securityToken,
							outputField: 'legacyToken',
						}),
					]),
				);
			});

			afterAll(async () => {
				await n8n?.cleanup();
				await standin?.close();
			});

			it('still runs, writing a live token into its Output Field on every item with one login', async () => {
				const run = succeededRun(await n8n.cli.execute(workflowId));
				const items = nodeOutput(run, 'Salesforce Authentication').map((item) => item.json);

				expect(standin.tokenRequests()).toHaveLength(1);
				const [token] = standin.activeSessions();
				expect(token).toMatch(new RegExp(`^${standin.orgId}!legacy\\.`));
				expect(items).toEqual([
					{ order: 1001, legacyToken: token },
					{ order: 1002, legacyToken: token },
				]);
			});

			it("is hidden from the editor's nodes panel, which shows the deprecation notice first", async () => {
				const server = await n8n.start();
				const nodeTypes =
					await server.json<Array<{ name: string; hidden?: boolean }>>('/types/nodes.json');
				expect(nodeTypes.find((type) => type.name === LEGACY_AUTH_TYPE)).toMatchObject({
					hidden: true,
				});

				const {
					data: [description],
				} = await server.json<{
					data: Array<{ properties: Array<{ name: string; type: string }> }>;
				}>('/rest/node-types', {
					method: 'POST',
					body: JSON.stringify({ nodeInfos: [{ name: LEGACY_AUTH_TYPE, version: 1 }] }),
				});
				expect(description.properties[0]).toMatchObject({
					name: 'deprecationNotice',
					type: 'notice',
				});
			});
		},
	);
}
