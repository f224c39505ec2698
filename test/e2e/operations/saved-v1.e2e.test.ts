/**
 * Saved workflows keep working (issue 9): workflow JSON exactly as the package before the data
 * operations saved it — typeVersion 1 with `operation: getAccessToken` and the Response Mapping as
 * the editor stores it (a first row left at its defaults is `{}`), typeVersion 1 with no parameters
 * at all, and today's default version 1.1 as a fresh node is stored — imported unchanged from
 * test/e2e/cases/saved-v1-*.json and run in real n8n: the same SF_ACCESS_TOKEN as before, a live
 * session, no other fields, and no REST call beyond the one session check.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { startSalesforceStandin, type SalesforceStandin } from '../../../dev/salesforce-standin';
import {
	createN8n,
	E2E_TIMEOUT_MS,
	salesforceCredential,
	type N8nUnderTest,
	type WorkflowToImport,
} from '../support';
import { nodeOutput, succeededRun } from '../support/workflows';
import { restRequests } from './support/operations';

jest.setTimeout(E2E_TIMEOUT_MS);

const CASES = join(__dirname, '..', 'cases');
/** The credential the saved workflows point at, by id and name, as they were exported. */
const SAVED_CREDENTIAL = { id: 'sfiSavedV1Cred01', name: 'Production Env' };

function savedWorkflows(file: string): WorkflowToImport[] {
	const parsed = JSON.parse(readFileSync(join(CASES, file), 'utf8')) as
		| WorkflowToImport
		| WorkflowToImport[];
	return Array.isArray(parsed) ? parsed : [parsed];
}

describe('workflows saved with Salesforce Action 1 / 1.1 run unchanged in real n8n', () => {
	let standin: SalesforceStandin;
	let n8n: N8nUnderTest;
	const [mapped] = savedWorkflows('saved-v1-token-mapping.json');
	const [noParameters, freshV11] = savedWorkflows('saved-v1-no-parameters.json');

	beforeAll(async () => {
		standin = await startSalesforceStandin({ label: 'saved' });
		n8n = await createN8n({ name: 'ops-saved-v1' });
		await n8n.cli.importCredentials([
			{
				...salesforceCredential(SAVED_CREDENTIAL.name, {
					authFlow: 'password',
					domain: standin.url,
					...standin.demo,
				}),
				id: SAVED_CREDENTIAL.id,
			},
		]);
		await n8n.cli.importWorkflows([mapped, noParameters, freshV11]);
	});

	afterAll(async () => {
		await n8n?.cleanup();
		await standin?.close();
	});

	it('the fixtures are what the old package stored: version 1, no resource, the first row at its defaults', () => {
		const action = (workflow: WorkflowToImport) =>
			(workflow.nodes as Array<{ type: string; typeVersion: number; parameters: unknown }>).find(
				(node) => node.type.endsWith('.salesforceAction'),
			);
		expect(action(mapped)).toMatchObject({
			typeVersion: 1,
			parameters: {
				operation: 'getAccessToken',
				responseMapping: {
					mappings: [{}, { objectPath: 'instance_url', field: 'SF_INSTANCE_URL' }],
				},
			},
		});
		expect(action(noParameters)).toMatchObject({ typeVersion: 1, parameters: {} });
		expect(action(freshV11)).toMatchObject({
			typeVersion: 1.1,
			parameters: { responseMapping: { mappings: [{}] } },
		});
	});

	it('version 1, token and instance URL mapped: the same two fields, and the HTTP Request after it works with them', async () => {
		standin.resetRecords();
		const run = succeededRun(await n8n.cli.execute(mapped.id as string));
		const [token] = standin.activeSessions();
		expect(standin.activeSessions()).toHaveLength(1);
		expect(nodeOutput(run, 'Salesforce Action').map((item) => item.json)).toEqual([
			{ SF_ACCESS_TOKEN: token, SF_INSTANCE_URL: standin.url },
		]);
		expect(nodeOutput(run, 'Salesforce Action').map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
		]);
		// The token really is the session: the HTTP Request node built from it got the org's accounts.
		const accounts = nodeOutput(run, 'Query Accounts')[0]?.json as {
			records?: Array<{ Name: string }>;
		};
		expect(accounts.records?.map((record) => record.Name)).toEqual(
			expect.arrayContaining([expect.stringContaining('Edge Communications')]),
		);
		expect(standin.tokenRequests()).toHaveLength(1);
	});

	it('version 1 with no parameters at all: SF_ACCESS_TOKEN only, the stored session reused', async () => {
		standin.resetRecords();
		const run = succeededRun(await n8n.cli.execute(noParameters.id as string));
		const [token] = standin.activeSessions();
		expect(nodeOutput(run, 'Salesforce Action').map((item) => item.json)).toEqual([
			{ SF_ACCESS_TOKEN: token },
		]);
		expect(standin.tokenRequests()).toHaveLength(0);
		// At most the one session check Get Access Token makes; no data-operation request.
		expect(restRequests(standin).length).toBeLessThanOrEqual(1);
		expect(restRequests(standin).every((request) => request.method === 'GET')).toBe(true);
	});

	it('version 1.1 as the editor stores a fresh node: SF_ACCESS_TOKEN only', async () => {
		standin.resetRecords();
		const run = succeededRun(await n8n.cli.execute(freshV11.id as string));
		const [token] = standin.activeSessions();
		expect(nodeOutput(run, 'Salesforce Action').map((item) => item.json)).toEqual([
			{ SF_ACCESS_TOKEN: token },
		]);
		expect(restRequests(standin).length).toBeLessThanOrEqual(1);
	});

	it('after Salesforce ended the session, version 1 logs in exactly once and outputs the new live token', async () => {
		const [old] = standin.activeSessions();
		standin.expireAllSessions();
		standin.resetRecords();
		const run = succeededRun(await n8n.cli.execute(noParameters.id as string));
		const [renewed] = standin.activeSessions();
		expect(renewed).not.toBe(old);
		expect(nodeOutput(run, 'Salesforce Action').map((item) => item.json)).toEqual([
			{ SF_ACCESS_TOKEN: renewed },
		]);
		expect(standin.tokenRequests()).toHaveLength(1);
	});
});
