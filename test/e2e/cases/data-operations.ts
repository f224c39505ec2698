/**
 * The data operations' smoke set, as a case so other n8n versions run it too (the full set is
 * test/e2e/operations/ in 2.41.1): Run SOQL across pages while Salesforce ends the session between
 * two pages (n8n 1.x's request helper treats that 401 differently from 2.x: the client must still
 * log in once and go on), a 450-item Create in 3 sObject Collections requests, and API Request →
 * limits. The token appears in no output.
 */
import { startSalesforceStandin, type SalesforceStandin } from '../../../dev/salesforce-standin';
import {
	actionNode,
	autoMappedColumns,
	generatedItemsNode,
	sobject,
} from '../operations/support/operations';
import { createN8n, salesforceCredential, type N8nUnderTest } from '../support';
import { chain, manualTrigger, nodeOutput, succeededRun } from '../support/workflows';
import { titled, type E2eCaseOptions } from './options';

const QUERY_PAGES = 3;
const PAGE_SIZE = 200;
const ACCOUNTS = PAGE_SIZE * (QUERY_PAGES - 1) + 50;
const CREATES = 450;

export function describeDataOperations(options: E2eCaseOptions = {}): void {
	describe(titled('Salesforce Action data operations', options), () => {
		let sf: SalesforceStandin;
		let n8n: N8nUnderTest;
		let ids: { query: string; create: string; api: string };

		beforeAll(async () => {
			sf = await startSalesforceStandin({ label: 'dataops', seedData: false });
			sf.insertRecords(
				'Account',
				Array.from({ length: ACCOUNTS }, (_, index) => ({
					Name: `Paged ${String(index).padStart(4, '0')}`,
				})),
			);
			n8n = await createN8n({ name: 'data-operations', n8nVersion: options.n8nVersion });
			const [credential] = await n8n.cli.importCredentials([
				salesforceCredential('Data Env', { authFlow: 'password', domain: sf.url, ...sf.demo }),
			]);
			const [query, create, api] = await n8n.cli.importWorkflows([
				chain('Data: query pages', [
					manualTrigger(),
					actionNode('Query', credential, {
						resource: 'query',
						operation: 'soql',
						query: 'SELECT Id, Name FROM Account ORDER BY Name',
						returnAll: true,
						options: { batchSize: PAGE_SIZE },
					}),
				]),
				chain('Data: create', [
					manualTrigger(),
					generatedItemsNode(
						'Leads',
						`return Array.from({ length: ${CREATES} }, (_, i) => ({ LastName: 'Smoke ' + i, Company: 'Smoke Co' }));`,
					),
					actionNode('Create', credential, {
						resource: 'record',
						operation: 'create',
						sobject: sobject('Lead'),
						columns: autoMappedColumns(['LastName', 'Company']),
					}),
				]),
				chain('Data: API request', [
					manualTrigger(),
					actionNode('Limits', credential, {
						resource: 'apiRequest',
						operation: 'send',
						method: 'GET',
						path: 'limits',
					}),
				]),
			]);
			ids = { query, create, api };
		});

		afterAll(async () => {
			await n8n?.cleanup();
			await sf?.close();
		});

		it('Run SOQL reads every page; a session Salesforce ends between two pages costs one login and one retry', async () => {
			// A first run stores a session; then Salesforce ends it right after the first page.
			succeededRun(await n8n.cli.execute(ids.api));
			sf.resetRecords();
			sf.expireSessionsAfterRequests(1);
			const run = succeededRun(await n8n.cli.execute(ids.query));
			const names = nodeOutput(run, 'Query').map((item) => item.json.Name);
			expect(names).toHaveLength(ACCOUNTS);
			expect(names[0]).toBe('Paged 0000');
			expect(names[ACCOUNTS - 1]).toBe(`Paged ${String(ACCOUNTS - 1).padStart(4, '0')}`);
			expect(sf.loginCount).toBe(1);
			const queries = sf.requests.filter((request) => request.path.includes('/query'));
			// 3 pages, the second one asked twice (401 on the ended session, then with the new one).
			expect(queries).toHaveLength(QUERY_PAGES + 1);
		});

		it(`Create sends ${CREATES} items in 3 requests of at most 200, and every record is there`, async () => {
			sf.resetRecords();
			const run = succeededRun(await n8n.cli.execute(ids.create));
			const output = nodeOutput(run, 'Create').map((item) => item.json);
			expect(output).toHaveLength(CREATES);
			expect(output.every((json) => json.success === true && typeof json.id === 'string')).toBe(
				true,
			);
			expect(
				sf.requests.filter((request) => request.path.endsWith('/composite/sobjects')),
			).toHaveLength(3);
			expect(
				sf.records('Lead').filter((row) => String(row.LastName).startsWith('Smoke ')),
			).toHaveLength(CREATES);
		});

		it("API Request → Send answers with Salesforce's JSON, and no output holds a token", async () => {
			const run = succeededRun(await n8n.cli.execute(ids.api));
			expect(nodeOutput(run, 'Limits')[0].json).toHaveProperty('DailyApiRequests');
			const everything = JSON.stringify(run);
			for (const token of sf.activeSessions()) expect(everything).not.toContain(token);
		});
	});
}
