/**
 * Issue 9, frugal and honest writes in a real n8n: 1,000 items created in at most 5 API requests
 * (sObject Collections, 200 a request); a batch in which one record fails — with continue-on-fail
 * each item carries its own result, without it the node error says which items were written and
 * which not; the org's daily API limit reached — a clear error, one request, no retry. And no saved
 * execution holds the access token.
 */
import { startSalesforceStandin, type SalesforceStandin } from '../../../dev/salesforce-standin';
import {
	createN8n,
	E2E_TIMEOUT_MS,
	salesforceCredential,
	type ExecuteResult,
	type N8nUnderTest,
	type WorkflowToImport,
} from '../support';
import { chain, manualTrigger, nodeOutput, succeededRun } from '../support/workflows';
import {
	actionNode,
	autoMappedColumns,
	generatedItemsNode,
	jsonBody,
	restRequests,
	runError,
	sobject,
	TokenLedger,
	tokensInExecutions,
	type CredentialRef,
} from './support/operations';

jest.setTimeout(E2E_TIMEOUT_MS);

const API = '/services/data/v62.0';
const COLLECTIONS = `${API}/composite/sobjects`;
/** 450 leads in batches of 200: the one without a Company sits in the second batch. */
const PARTIAL_ITEMS = 450;
const MISSING_COMPANY_AT = 250;

describe('Salesforce Action batch writes and API limits in real n8n', () => {
	let standin: SalesforceStandin;
	let n8n: N8nUnderTest;
	let credential: CredentialRef;
	const tokens = new TokenLedger();
	const workflows: Record<string, string> = {};

	async function execute(key: string): Promise<ExecuteResult> {
		standin.resetRecords();
		const result = await n8n.cli.execute(workflows[key]);
		tokens.record(standin);
		return result;
	}

	function leadsNamed(prefix: string) {
		return standin
			.records('Lead')
			.filter((lead) => !lead.IsDeleted && String(lead.LastName).startsWith(prefix));
	}

	/** Leads `${prefix} <n>` for n = 0…count-1, one of them without its (required) Company. */
	function leads(prefix: string, count: number, withoutCompany?: number): string {
		return `return Array.from({ length: ${count} }, (_, n) => n === ${withoutCompany ?? -1} ? { LastName: '${prefix} ' + n } : { LastName: '${prefix} ' + n, Company: 'Batch Co' });`;
	}

	beforeAll(async () => {
		standin = await startSalesforceStandin({ label: 'writes', seedData: false });
		n8n = await createN8n({ name: 'ops-writes' });
		[credential] = await n8n.cli.importCredentials([
			salesforceCredential('Writes Env', {
				authFlow: 'password',
				domain: standin.url,
				...standin.demo,
			}),
		]);
		const create = (onError?: 'continueRegularOutput') =>
			actionNode(
				'Create',
				credential,
				{
					resource: 'record',
					operation: 'create',
					sobject: sobject('Lead'),
					columns: autoMappedColumns(['LastName', 'Company']),
				},
				{ onError },
			);
		const definitions: Record<string, WorkflowToImport> = {
			thousand: chain('Create 1,000 leads', [
				manualTrigger(),
				generatedItemsNode('Leads', leads('Bulk', 1000)),
				create(),
			]),
			allOrNone: chain('Create 450 leads, one without Company, stop on error', [
				manualTrigger(),
				generatedItemsNode('Leads', leads('Strict', PARTIAL_ITEMS, MISSING_COMPANY_AT)),
				create(),
			]),
			partial: chain('Create 450 leads, one without Company, continue on fail', [
				manualTrigger(),
				generatedItemsNode('Leads', leads('Lenient', PARTIAL_ITEMS, MISSING_COMPANY_AT)),
				create('continueRegularOutput'),
			]),
			// The user's flow (issue 18): Get Many runs once per input item (n8n's rule), so 3 items hand
			// Delete the same 6 records three times — 18 items, 6 ids.
			repeatedDelete: chain('Get Many once per item, then Delete 18 items naming 6 records', [
				manualTrigger(),
				generatedItemsNode('Three inputs', 'return [{ n: 1 }, { n: 2 }, { n: 3 }];'),
				actionNode('Get Many', credential, {
					resource: 'record',
					operation: 'getAll',
					sobject: sobject('Lead', 'list'),
					fields: ['Id', 'LastName'],
					conditions: { conditions: [{ field: 'LastName', operator: 'like', value: 'Repeat %' }] },
					returnAll: true,
				}),
				actionNode('Delete', credential, {
					resource: 'record',
					operation: 'delete',
					sobject: sobject('Lead', 'list'),
					recordId: '={{ $json.Id }}',
				}),
			]),
			limitReached: chain('Run SOQL when the daily API limit is used up', [
				manualTrigger(),
				actionNode('Run SOQL', credential, {
					resource: 'query',
					operation: 'soql',
					query: 'SELECT Id FROM Lead',
					returnAll: true,
				}),
			]),
		};
		const ids = await n8n.cli.importWorkflows(Object.values(definitions));
		Object.keys(definitions).forEach((key, index) => (workflows[key] = ids[index]));
	});

	afterAll(async () => {
		await n8n?.cleanup();
		await standin?.close();
	});

	it('creates 1,000 records in at most 5 API requests, all of them in the org, each item with its own id', async () => {
		const result = await execute('thousand');
		const items = nodeOutput(succeededRun(result), 'Create');

		expect(standin.apiRequestCount).toBeLessThanOrEqual(5);
		expect(restRequests(standin).length).toBeLessThanOrEqual(5);
		const posts = restRequests(standin).filter(
			(request) => request.method === 'POST' && request.path === COLLECTIONS,
		);
		expect(
			posts.map((request) => (jsonBody(request) as { records: unknown[] }).records.length),
		).toEqual([200, 200, 200, 200, 200]);

		const stored = leadsNamed('Bulk ');
		expect(stored).toHaveLength(1000);
		expect(new Set(stored.map((lead) => lead.LastName))).toEqual(
			new Set(Array.from({ length: 1000 }, (_, n) => `Bulk ${n}`)),
		);
		expect(items).toHaveLength(1000);
		// Output item n is input item n's record.
		const nameById = new Map(stored.map((lead) => [lead.Id, lead.LastName]));
		expect(items.map((item) => nameById.get(String(item.json.id)))).toEqual(
			Array.from({ length: 1000 }, (_, n) => `Bulk ${n}`),
		);
		expect(items.every((item) => item.json.success === true)).toBe(true);
		expect(items.map((item) => (item.pairedItem as { item: number }).item)).toEqual(
			Array.from({ length: 1000 }, (_, n) => n),
		);
	});

	it('without continue-on-fail: the failing batch is rolled back, the rest never sent, and the error says which items were written', async () => {
		const result = await execute('allOrNone');
		expect(result.ok).toBe(false);
		const error = runError(result);

		const posts = restRequests(standin).filter(
			(request) => request.method === 'POST' && request.path === COLLECTIONS,
		);
		expect(posts).toHaveLength(2);
		expect(
			posts.map((request) => (jsonBody(request) as { allOrNone?: boolean }).allOrNone),
		).toEqual([true, true]);
		const written = leadsNamed('Strict ');
		expect(written.map((lead) => lead.LastName)).toEqual(
			Array.from({ length: 200 }, (_, n) => `Strict ${n}`),
		);

		// What was written (items and ids), what was rolled back and why, what was never sent.
		for (const lead of written) expect(error).toContain(lead.Id);
		expect(error).toMatch(/written/i);
		expect(error).toMatch(/rolled back/i);
		expect(error).toMatch(/REQUIRED_FIELD_MISSING|required field/i);
		expect(error).toMatch(/Company/);
		expect(error).toMatch(new RegExp(`\\b(${MISSING_COMPANY_AT}|${MISSING_COMPANY_AT + 1})\\b`));
		expect(error).toMatch(/not sent|never sent|were not sent/i);
		expect(error).not.toMatch(/undefined|\[object Object\]/);
	});

	it('with continue-on-fail: every item carries its own result, only the bad one fails, all others are written', async () => {
		const result = await execute('partial');
		const items = nodeOutput(succeededRun(result), 'Create');
		expect(items).toHaveLength(PARTIAL_ITEMS);
		expect(items.map((item) => (item.pairedItem as { item: number }).item)).toEqual(
			Array.from({ length: PARTIAL_ITEMS }, (_, n) => n),
		);

		const failed = items.filter((item) => item.json.success !== true);
		expect(failed.map((item) => (item.pairedItem as { item: number }).item)).toEqual([
			MISSING_COMPANY_AT,
		]);
		expect(JSON.stringify(failed[0].json)).toMatch(/Company/);
		expect(failed[0].json).not.toHaveProperty('id', expect.stringMatching(/^00Q/));

		const written = leadsNamed('Lenient ');
		expect(written).toHaveLength(PARTIAL_ITEMS - 1);
		const nameById = new Map(written.map((lead) => [lead.Id, lead.LastName]));
		items.forEach((item, n) => {
			if (n !== MISSING_COMPANY_AT)
				expect({ n, name: nameById.get(String(item.json.id)), success: item.json.success }).toEqual(
					{ n, name: `Lenient ${n}`, success: true },
				);
		});

		const posts = restRequests(standin).filter(
			(request) => request.method === 'POST' && request.path === COLLECTIONS,
		);
		expect(
			posts.map((request) => (jsonBody(request) as { allOrNone?: boolean }).allOrNone),
		).toEqual([false, false, false]);
	});

	it('Delete of 18 items naming 6 records (Get Many once per input item): one request naming each record once, every item its outcome', async () => {
		const ids = standin.insertRecords(
			'Lead',
			Array.from({ length: 6 }, (_, n) => ({ LastName: `Repeat ${n}`, Company: 'Repeat Co' })),
		);
		const run = succeededRun(await execute('repeatedDelete'));
		const found = nodeOutput(run, 'Get Many');
		expect(found).toHaveLength(18);
		const deleted = nodeOutput(run, 'Delete');
		expect(deleted.map((item) => item.json)).toEqual(
			found.map((item) => ({ id: item.json.Id, success: true })),
		);
		expect(deleted.map((item) => (item.pairedItem as { item: number }).item)).toEqual(
			Array.from({ length: 18 }, (_, n) => n),
		);
		const deletes = restRequests(standin).filter((request) => request.method === 'DELETE');
		expect(deletes).toHaveLength(1);
		expect(deletes[0].query.ids.split(',').sort()).toEqual([...ids].sort());
		expect(
			standin
				.records('Lead')
				.filter((lead) => ids.includes(lead.Id))
				.every((lead) => lead.IsDeleted),
		).toBe(true);
	});

	it('daily API limit reached: a clear error that says it is not retried, after exactly one request', async () => {
		const { max } = standin.apiUsage;
		standin.setApiUsage({ used: max });
		try {
			const result = await execute('limitReached');
			expect(result.ok).toBe(false);
			const error = runError(result);
			expect(error).toMatch(/daily/i);
			expect(error).toMatch(/limit/i);
			expect(error).toMatch(/not retried|no retry|not be retried|won't retry|will not retry/i);
			expect(restRequests(standin)).toHaveLength(1);
			expect(standin.tokenRequests()).toHaveLength(0);
		} finally {
			standin.setApiUsage({ used: 0 });
		}
	});

	it('no saved execution holds the access token', async () => {
		tokens.record(standin);
		const { leaks, scanned, rawData } = await tokensInExecutions(
			n8n.cli,
			Object.values(workflows),
			tokens.all,
		);
		expect(scanned).toBe(5);
		expect(tokens.all.length).toBeGreaterThanOrEqual(1);
		expect(rawData.some((text) => text.includes('Bulk 999'))).toBe(true);
		expect(leaks).toEqual([]);
	});
});
