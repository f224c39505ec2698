/**
 * A tool's output goes to a language model: Get Access Token (and the deprecated node) refuse to run
 * as an AI agent's tool, before any login, while the data operations are left to run.
 */
import type { IExecuteFunctions, INode } from 'n8n-workflow';
import { SalesforceAction } from '../../../nodes/SalesforceAction/SalesforceAction.node';
import { SalesforceAuth } from '../../../nodes/SalesforceAuth/SalesforceAuth.node';
import { refuseTokenToAiTool, runsAsAiTool } from '../../../nodes/n8n';
import { CredentialStore, PACKAGE_NODE_TYPE_PREFIX, runNode } from '../../support/n8n-harness';
import { credentialType, storedCredential, useStandin } from '../../support/fixtures';

const standin = useStandin();

function contextOf(node: Partial<INode>, isToolExecution?: () => boolean): IExecuteFunctions {
	return {
		getNode: () => ({ name: 'Salesforce Action', type: 'x.salesforceAction', ...node }),
		...(isToolExecution ? { isToolExecution } : {}),
	} as unknown as IExecuteFunctions;
}

describe('runsAsAiTool', () => {
	it('is true when n8n says the node runs as a tool', () => {
		expect(runsAsAiTool(contextOf({}, () => true))).toBe(true);
	});
	it('is true for the tool variant of the node type n8n builds (…Tool), also where n8n cannot say', () => {
		expect(
			runsAsAiTool(contextOf({ type: 'n8n-nodes-salesforce-integration.salesforceActionTool' })),
		).toBe(true);
	});
	it('is false for an ordinary run', () => {
		expect(runsAsAiTool(contextOf({}, () => false))).toBe(false);
		expect(runsAsAiTool(contextOf({}))).toBe(false);
	});
	it('refuses with a message saying why and what to use instead', () => {
		expect(() =>
			refuseTokenToAiTool(
				contextOf({}, () => true),
				'Use the Query operation.',
			),
		).toThrow(
			expect.objectContaining({
				message: 'An AI agent may not receive a Salesforce access token',
				description: expect.stringContaining('Use the Query operation.'),
			}),
		);
		expect(() =>
			refuseTokenToAiTool(
				contextOf({}, () => false),
				'x',
			),
		).not.toThrow();
	});
});

describe('through n8n-core, as the tool variant of the node', () => {
	it('Salesforce Action → Get Access Token is refused before any login', async () => {
		const sf = standin();
		const { error, output } = await runNode({
			node: new SalesforceAction(),
			nodeTypeName: `${PACKAGE_NODE_TYPE_PREFIX}salesforceActionTool`,
			parameters: { resource: 'session', operation: 'getAccessToken' },
			credential: storedCredential(sf),
			credentialTypes: [credentialType],
			store: new CredentialStore(),
			continueOnFail: true,
		});
		expect(String((error as Error)?.message)).toBe(
			'An AI agent may not receive a Salesforce access token',
		);
		expect(JSON.stringify(output)).not.toMatch(/SF_ACCESS_TOKEN/);
		expect(sf.requests).toHaveLength(0);
	});

	it('the deprecated Salesforce Authentication node is refused before any login', async () => {
		const sf = standin();
		const { error } = await runNode({
			node: new SalesforceAuth(),
			nodeTypeName: `${PACKAGE_NODE_TYPE_PREFIX}salesforceAuthTool`,
			parameters: {
				domain: sf.url,
				consumerKey: sf.demo.consumerKey,
				consumerSecret: sf.demo.consumerSecret,
				username: sf.demo.username,
				password: sf.demo.password + sf.demo.securityToken,
			},
			credentialTypes: [credentialType],
			continueOnFail: true,
		});
		expect(String((error as Error)?.message)).toBe(
			'An AI agent may not receive a Salesforce access token',
		);
		expect(sf.requests).toHaveLength(0);
	});
});
