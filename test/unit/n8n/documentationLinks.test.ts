/**
 * The documentation links n8n shows for the credential and the nodes. n8n's editor appends
 * `?utm_source=…` to a node's codex link by plain string concatenation, so a link with a `#anchor`
 * lands at the top of the page (the query ends up inside the fragment): every link must be
 * anchor-free and point at a page of this repository that exists.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SalesforceIntegrationApi } from '../../../credentials/SalesforceIntegrationApi.credentials';
import { SalesforceAction } from '../../../nodes/SalesforceAction/SalesforceAction.node';
import { SalesforceAuth } from '../../../nodes/SalesforceAuth/SalesforceAuth.node';
import { SalesforceTrigger } from '../../../nodes/SalesforceTrigger/SalesforceTrigger.node';

const ROOT = join(__dirname, '../../..');
const REPOSITORY = 'https://github.com/n8n-nodes-salesforce-integration/n8n-nodes-salesforce-integration';

function codexLinks(file: string): string[] {
	const codex = JSON.parse(readFileSync(join(ROOT, file), 'utf8')) as { resources: Record<string, Array<{ url: string }>> };
	return Object.values(codex.resources).flatMap((links) => links.map((link) => link.url));
}

const links: Array<[string, string]> = [
	['credential documentationUrl', new SalesforceIntegrationApi().documentationUrl],
	...codexLinks('nodes/SalesforceAction/SalesforceAction.node.json').map((url): [string, string] => ['Salesforce Action codex', url]),
	...codexLinks('nodes/SalesforceAuth/SalesforceAuth.node.json').map((url): [string, string] => ['deprecated node codex', url]),
	...codexLinks('nodes/SalesforceTrigger/SalesforceTrigger.node.json').map((url): [string, string] => ['Salesforce Trigger codex', url]),
];

describe('documentation links', () => {
	it.each(links)('%s (%s) survives n8n appending ?utm_… and names a page that exists', (_where, url) => {
		expect(url).not.toContain('#');
		expect(url).not.toContain('?');
		expect(url.startsWith(`${REPOSITORY}/blob/main/`)).toBe(true);
		expect(existsSync(join(ROOT, url.slice(`${REPOSITORY}/blob/main/`.length)))).toBe(true);
	});

	it('the deprecated node\'s notice links to the migration guide', () => {
		const notice = new SalesforceAuth().description.properties.find((property) => property.type === 'notice');
		expect(notice?.displayName).toContain(`${REPOSITORY}/blob/main/docs/migrating-from-salesforce-authentication.md`);
	});

	it('the node can be found by what people search for', () => {
		const codex = JSON.parse(readFileSync(join(ROOT, 'nodes/SalesforceAction/SalesforceAction.node.json'), 'utf8')) as { alias: string[]; node: string };
		expect(codex.node).toBe(`n8n-nodes-salesforce-integration.${new SalesforceAction().description.name}`);
		for (const term of ['access token', 'token', 'SOQL', 'OAuth']) expect(codex.alias).toContain(term);
	});

	it('the trigger can be found by what people search for', () => {
		const codex = JSON.parse(readFileSync(join(ROOT, 'nodes/SalesforceTrigger/SalesforceTrigger.node.json'), 'utf8')) as { alias: string[]; node: string };
		expect(codex.node).toBe(`n8n-nodes-salesforce-integration.${new SalesforceTrigger().description.name}`);
		for (const term of ['record created', 'record updated', 'record deleted', 'SFDC']) expect(codex.alias).toContain(term);
	});
});
