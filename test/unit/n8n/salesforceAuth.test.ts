/**
 * The deprecated Salesforce Authentication node: hidden, tells users how to migrate, and keeps
 * working for saved workflows on the same core as the new node.
 */
import { NodeApiError } from 'n8n-workflow';
import type { INodeParameters } from 'n8n-workflow';
import type { SalesforceStandin } from '../../../dev/salesforce-standin';
import { SalesforceAuth } from '../../../nodes/SalesforceAuth/SalesforceAuth.node';
import { createLogCapture, runNode } from '../../support/n8n-harness';
import { credentialType, itemsOf, useStandin } from '../../support/fixtures';

const standin = useStandin();

/** The parameters a workflow saved with the old node holds (the security token appended to the password). */
function savedParameters(sf: SalesforceStandin, changes: INodeParameters = {}): INodeParameters {
	return {
		consumerKey: sf.demo.consumerKey,
		consumerSecret: sf.demo.consumerSecret,
		domain: sf.url,
		username: sf.demo.username,
		password: sf.demo.password + sf.demo.securityToken,
		outputField: 'SF_ACCESS_TOKEN',
		...changes,
	};
}

async function runLegacy(
	parameters: INodeParameters,
	options: { items?: number; continueOnFail?: boolean } = {},
) {
	return await runNode({
		node: new SalesforceAuth(),
		parameters,
		items: itemsOf(options.items ?? 1),
		credentialTypes: [credentialType],
		continueOnFail: options.continueOnFail,
	});
}

describe('Salesforce Authentication (Deprecated)', () => {
	it('is hidden from the nodes panel and first tells the user how to migrate', () => {
		const { description } = new SalesforceAuth();
		expect(description.hidden).toBe(true);
		expect(description.displayName).toMatch(/Deprecated/);
		const [notice] = description.properties;
		expect(notice.type).toBe('notice');
		expect(notice.displayName).toMatch(/Salesforce Integration API/);
		expect(notice.displayName).toMatch(/Salesforce Action/);
		expect(notice.displayName).toMatch(
			/href="https:\/\/github\.com\/[^"]+\/docs\/migrating-from-salesforce-authentication\.md"/,
		);
		expect(description.properties.map((property) => property.name)).toEqual([
			'deprecationNotice',
			'consumerKey',
			'consumerSecret',
			'domain',
			'username',
			'password',
			'outputField',
		]);
	});

	it('keeps saved workflows running: writes the token into the output field, one login for all items', async () => {
		const sf = standin();
		const { output } = await runLegacy(savedParameters(sf, { outputField: 'MY_TOKEN' }), {
			items: 3,
		});
		const token = sf.activeSessions()[0];
		expect(output[0].map((item) => item.json)).toEqual(
			[0, 1, 2].map((row) => ({ row, MY_TOKEN: token })),
		);
		expect(output[0].map((item) => item.pairedItem)).toEqual([0, 1, 2].map((item) => ({ item })));
		expect(sf.loginCount).toBe(1);
		expect(sf.tokenRequests()[0].form?.password).toBe(sf.demo.password + sf.demo.securityToken);
	});

	it('defaults the output field to SF_ACCESS_TOKEN', async () => {
		const sf = standin();
		const parameters = savedParameters(sf);
		delete parameters.outputField;
		const { output } = await runLegacy(parameters);
		expect(output[0][0].json.SF_ACCESS_TOKEN).toBe(sf.activeSessions()[0]);
	});

	it('accepts the domain forms of the new credential, sandboxes included', async () => {
		const sf = standin();
		const { output } = await runLegacy(savedParameters(sf, { domain: `${sf.url}/` }));
		expect(output[0][0].json.SF_ACCESS_TOKEN).toBeTruthy();
	});

	it('fails with the same clear, secret-free message as the new node', async () => {
		const sf = standin();
		const parameters = savedParameters(sf, { password: 'Wrong#1&' });
		const logs = createLogCapture();
		const failure = await runLegacy(parameters).catch((error: unknown) => error);
		logs.stop();
		expect(failure).toBeInstanceOf(NodeApiError);
		expect((failure as NodeApiError).message).toBe(
			'Salesforce refused the username and password (authentication failure).',
		);
		expect(JSON.stringify(failure)).not.toContain('Wrong#1&');
		expect(logs.findLeaks(['Wrong#1&', sf.demo.consumerSecret])).toEqual([]);
	});

	it('with continue-on-fail, outputs error items and keeps the input', async () => {
		const sf = standin();
		const { output } = await runLegacy(savedParameters(sf, { domain: 'https://evil.test' }), {
			items: 2,
			continueOnFail: true,
		});
		expect(output[0].map((item) => item.json.row)).toEqual([0, 1]);
		expect(output[0][0].json.error).toMatch(/^Domain: "evil.test" is not a Salesforce login host/);
		expect(sf.requests).toHaveLength(0);
	});
});
