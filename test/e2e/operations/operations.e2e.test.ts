/**
 * Issue 9: every data operation of Salesforce Action in a real n8n (`n8n execute`, the packed
 * package installed as a community package) against the stand-in — what each outputs, and what the
 * stand-in received (paths, SOQL, headers, bodies, how many requests). Then a session that dies
 * between two pages of a query, and the scan of every saved execution for the access token.
 *
 * One n8n user folder and one org for the file; the tests run in order and each sets up the org
 * state it checks (the org starts empty: `seedData: false`).
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
	allKeys,
	autoMappedColumns,
	bearerOf,
	branches,
	definedColumns,
	headerOf,
	itemsNode,
	jsonBody,
	queryRequests,
	restRequests,
	runError,
	soqlLiteral,
	sobject,
	TokenLedger,
	tokensInExecutions,
	type CredentialRef,
} from './support/operations';

jest.setTimeout(E2E_TIMEOUT_MS);

const API = '/services/data/v62.0';
const PAGED_ACCOUNTS = 450;
const PAGE = 200;

/** Condition values written to break out of a SOQL string literal, or to mean more than they say. */
const HOSTILE = {
	quoteBreakout: "x' OR Name != '",
	backslashQuote: "\\' OR Name != \\'",
	windowsPath: 'C:\\temp\\new',
	percent: '100%',
	newline: 'Line one\nLine two',
};
/** Near misses that an unescaped or mis-escaped value would match (or a LIKE would). */
const DECOYS = [
	'x',
	'100% Cotton',
	'1000',
	'Line one',
	'C:\ttemp',
	"O'Brien & Sons",
	"O'Brien Ltd",
	'OBrien Holdings',
];

describe('Salesforce Action data operations in real n8n', () => {
	let standin: SalesforceStandin;
	let n8n: N8nUnderTest;
	let credential: CredentialRef;
	const tokens = new TokenLedger();
	const workflows: Record<string, string> = {};
	const dataWorkflowIds: string[] = [];

	let paged: string[];
	let hostileIds: Record<keyof typeof HOSTILE, string>;
	let getTarget: string;
	let updateTarget: string;
	let deleteTarget: string;
	let contactId: string;
	let seededInvoice: string;

	/** Runs one imported workflow with a clean request log; remembers the sessions it used. */
	async function execute(key: string): Promise<ExecuteResult> {
		standin.resetRecords();
		const result = await n8n.cli.execute(workflows[key]);
		tokens.record(standin);
		return result;
	}

	function outputOf(result: ExecuteResult, node: string) {
		return nodeOutput(succeededRun(result), node);
	}

	function live(sobjectName: string) {
		return standin.records(sobjectName).filter((record) => !record.IsDeleted);
	}

	beforeAll(async () => {
		standin = await startSalesforceStandin({ label: 'ops', seedData: false });
		paged = standin.insertRecords(
			'Account',
			Array.from({ length: PAGED_ACCOUNTS }, (_, index) => ({
				Name: `Paged Account ${String(index).padStart(3, '0')}`,
				NumberOfEmployees: index,
			})),
		);
		const hostile = standin.insertRecords(
			'Account',
			Object.values(HOSTILE).map((Name) => ({ Name })),
		);
		hostileIds = Object.fromEntries(
			Object.keys(HOSTILE).map((key, index) => [key, hostile[index]]),
		) as typeof hostileIds;
		standin.insertRecords(
			'Account',
			DECOYS.map((Name) => ({ Name })),
		);
		[getTarget, updateTarget, deleteTarget] = standin.insertRecords('Account', [
			{ Name: 'Get Me Inc.', Phone: '555-0100', Industry: 'Energy' },
			{ Name: 'Update Me Inc.', Phone: '555-0111' },
			{ Name: 'Delete Me Inc.' },
		]);
		[contactId] = standin.insertRecords('Contact', [
			{ LastName: 'Child', FirstName: 'Carla', AccountId: getTarget },
		]);
		[seededInvoice] = standin.insertRecords('Invoice__c', [
			{ Invoice_Number__c: 'INV-0001', Amount__c: 10 },
		]);

		n8n = await createN8n({ name: 'ops-operations' });
		[credential] = await n8n.cli.importCredentials([
			salesforceCredential('Ops Env', {
				authFlow: 'password',
				domain: standin.url,
				...standin.demo,
			}),
		]);

		const action = (name: string, parameters: Record<string, unknown>, options = {}) =>
			actionNode(name, credential, parameters, options);
		const soql = (query: string, extra: Record<string, unknown> = {}) => ({
			resource: 'query',
			operation: 'soql',
			query,
			...extra,
		});
		const record = (operation: string, extra: Record<string, unknown>) => ({
			resource: 'record',
			operation,
			sobject: sobject('Account'),
			...extra,
		});
		const api = (method: string, path: string, extra: Record<string, unknown> = {}) => ({
			resource: 'apiRequest',
			operation: 'send',
			method,
			path,
			...extra,
		});

		const definitions: Record<string, WorkflowToImport> = {
			soqlAll: chain('Run SOQL: return all, pages of 200', [
				manualTrigger(),
				action(
					'Run SOQL',
					soql('SELECT Id, Name FROM Account', { returnAll: true, options: { batchSize: PAGE } }),
				),
			]),
			soqlLimit: chain('Run SOQL: limit 5', [
				manualTrigger(),
				action('Run SOQL', soql('SELECT Id, Name FROM Account', { limit: 5 })),
			]),
			soqlPerItem: chain('Run SOQL per input item', [
				manualTrigger(),
				itemsNode('Items', [{ take: 2 }, { take: 3 }]),
				action(
					'Run SOQL',
					soql(
						"=SELECT Id, Name FROM Account WHERE Name LIKE 'Paged %' ORDER BY Name LIMIT {{ $json.take }}",
						{ returnAll: true },
					),
				),
			]),
			soqlNested: branches(
				'Run SOQL: a parent relationship, attributes removed or kept',
				manualTrigger(),
				[
					[action('Without attributes', soql('SELECT Id, LastName, Account.Name FROM Contact'))],
					[
						action(
							'With attributes',
							soql('SELECT Id, LastName, Account.Name FROM Contact', {
								options: { includeAttributes: true },
							}),
						),
					],
				],
			),
			get: branches('Record Get: chosen fields, all fields', manualTrigger(), [
				[
					itemsNode('Id', [{ id: getTarget }]),
					action(
						'Get fields',
						record('get', {
							recordId: '={{ $json.id }}',
							options: { fields: ['Id', 'Name', 'Phone'] },
						}),
					),
				],
				[
					action(
						'Get all',
						record('get', { sobject: sobject('Account', 'list'), recordId: getTarget }),
					),
				],
			]),
			getManyHostile: chain('Record Get Many with hostile condition values', [
				manualTrigger(),
				itemsNode('Values', [
					...Object.values(HOSTILE).map((value) => ({ operator: 'equal', value })),
					{ operator: 'like', value: "O'Brien%" },
				]),
				action(
					'Get Many',
					record('getAll', {
						fields: ['Id', 'Name'],
						conditions: {
							conditions: [
								{ field: 'Name', operator: '={{ $json.operator }}', value: '={{ $json.value }}' },
							],
						},
					}),
				),
			]),
			create: chain('Record Create, fields mapped automatically', [
				manualTrigger(),
				itemsNode('New accounts', [
					{ Name: 'Created by n8n 1', Phone: '555-0201' },
					{ Name: 'Created by n8n 2' },
				]),
				action('Create', record('create', { columns: autoMappedColumns(['Name', 'Phone']) })),
			]),
			update: chain('Record Update, fields defined below', [
				manualTrigger(),
				itemsNode('Changes', [{ id: updateTarget, phone: '555-0199' }]),
				action(
					'Update',
					record('update', {
						recordId: '={{ $json.id }}',
						columns: definedColumns({ Phone: '={{ $json.phone }}', Description: 'Updated by n8n' }),
					}),
				),
			]),
			upsert: chain('Record Upsert Invoice__c on Invoice_Number__c', [
				manualTrigger(),
				itemsNode('Invoices', [
					{ Invoice_Number__c: 'INV-0001', Amount__c: 99.5 },
					{ Invoice_Number__c: 'INV-0002', Amount__c: 12, Due_Date__c: '2026-01-31' },
				]),
				action(
					'Upsert',
					record('upsert', {
						sobject: sobject('Invoice__c'),
						externalIdField: 'Invoice_Number__c',
						columns: autoMappedColumns(['Invoice_Number__c', 'Amount__c', 'Due_Date__c']),
					}),
				),
			]),
			delete: chain('Record Delete', [
				manualTrigger(),
				itemsNode('Doomed', [{ id: deleteTarget }]),
				action('Delete', record('delete', { recordId: '={{ $json.id }}' })),
			]),
			queryAll: branches('Run SOQL with and without Include Deleted', manualTrigger(), [
				[
					action(
						'Include deleted',
						soql(`SELECT Id, Name, IsDeleted FROM Account WHERE Id = '${deleteTarget}'`, {
							includeDeleted: true,
						}),
					),
				],
				[
					action(
						'Live only',
						soql(`SELECT Id, Name, IsDeleted FROM Account WHERE Id = '${deleteTarget}'`),
					),
				],
			]),
			apiGet: branches('API Request GET', manualTrigger(), [
				[action('Limits', api('GET', 'limits'))],
				[action('Versions', api('GET', '/services/data/'))],
				[
					action(
						'Query',
						api('GET', 'query', {
							queryParameters: {
								parameters: [
									{ name: 'q', value: "SELECT Id, Name FROM Account WHERE Name = 'Get Me Inc.'" },
								],
							},
						}),
					),
				],
			]),
			apiPost: chain('API Request POST then DELETE', [
				manualTrigger(),
				action(
					'Post',
					api('POST', 'sobjects/Account', {
						body: '{ "Name": "Posted by API Request", "Phone": "555-0300" }',
					}),
				),
				action('Remove', api('DELETE', "={{ 'sobjects/Account/' + $json.id }}")),
			]),
			apiRefused: chain('API Request refused paths', [
				manualTrigger(),
				itemsNode('Paths', [
					{ path: 'https://evil.example/services/data/v62.0/limits' },
					{ path: `${standin.url}/services/data/v62.0/limits` },
					{ path: '../../oauth2/token' },
					{ path: '/services/data/v62.0/../../oauth2/token' },
					{ path: '/secur/frontdoor.jsp' },
				]),
				action('Send', api('GET', '={{ $json.path }}'), { onError: 'continueRegularOutput' }),
			]),
		};
		const ids = await n8n.cli.importWorkflows(Object.values(definitions));
		Object.keys(definitions).forEach((key, index) => {
			workflows[key] = ids[index];
			dataWorkflowIds.push(ids[index]);
		});
	});

	afterAll(async () => {
		await n8n?.cleanup();
		await standin?.close();
	});

	describe('Query → Run SOQL', () => {
		it('Return All follows nextRecordsUrl page by page, asking for the page size, and outputs every record once', async () => {
			const result = await execute('soqlAll');
			const items = outputOf(result, 'Run SOQL');
			const accounts = live('Account');
			expect(accounts.length).toBeGreaterThan(PAGED_ACCOUNTS);

			expect(items.map((item) => item.json.Id)).toEqual(accounts.map((account) => account.Id));
			expect(items[0].json).toEqual({ Id: paged[0], Name: 'Paged Account 000' });
			expect(allKeys(items.map((item) => item.json))).not.toContain('attributes');
			expect(new Set(items.map((item) => JSON.stringify(item.pairedItem)))).toEqual(
				new Set([JSON.stringify({ item: 0 })]),
			);

			const pages = queryRequests(standin);
			expect(pages).toHaveLength(Math.ceil(accounts.length / PAGE));
			expect(pages[0].path).toBe(`${API}/query`);
			expect(pages[0].query.q).toBe('SELECT Id, Name FROM Account');
			expect(headerOf(pages[0], 'Sforce-Query-Options')).toBe(`batchSize=${PAGE}`);
			// The next pages are the nextRecordsUrl locators, each asked for exactly once.
			for (const next of pages.slice(1))
				expect(next.path).toMatch(new RegExp(`^${API}/query/[^/]+$`));
			expect(new Set(pages.map((page) => page.path)).size).toBe(pages.length);
			expect(restRequests(standin)).toHaveLength(pages.length);
		});

		it('Limit stops after that many records: one page, five items', async () => {
			const items = outputOf(await execute('soqlLimit'), 'Run SOQL');
			expect(items.map((item) => item.json)).toEqual(
				paged.slice(0, 5).map((Id, index) => ({ Id, Name: `Paged Account 00${index}` })),
			);
			expect(queryRequests(standin)).toHaveLength(1);
		});

		it('runs once per input item, each record paired with the item that ran its query', async () => {
			const items = outputOf(await execute('soqlPerItem'), 'Run SOQL');
			expect(items.map((item) => item.json.Name)).toEqual([
				'Paged Account 000',
				'Paged Account 001',
				'Paged Account 000',
				'Paged Account 001',
				'Paged Account 002',
			]);
			expect(items.map((item) => item.pairedItem)).toEqual([
				{ item: 0 },
				{ item: 0 },
				{ item: 1 },
				{ item: 1 },
				{ item: 1 },
			]);
			expect(queryRequests(standin).map((request) => request.query.q)).toEqual([
				"SELECT Id, Name FROM Account WHERE Name LIKE 'Paged %' ORDER BY Name LIMIT 2",
				"SELECT Id, Name FROM Account WHERE Name LIKE 'Paged %' ORDER BY Name LIMIT 3",
			]);
		});

		it('removes attributes from the record and its nested parent, and keeps them when asked', async () => {
			const result = await execute('soqlNested');
			expect(outputOf(result, 'Without attributes').map((item) => item.json)).toEqual([
				{ Id: contactId, LastName: 'Child', Account: { Name: 'Get Me Inc.' } },
			]);
			const [kept] = outputOf(result, 'With attributes').map((item) => item.json) as Array<{
				attributes?: { type?: string };
				Account?: { attributes?: { type?: string } };
			}>;
			expect(kept.attributes?.type).toBe('Contact');
			expect(kept.Account?.attributes?.type).toBe('Account');
		});
	});

	describe('Record', () => {
		it('Get reads one record with the chosen fields, or all of them, without attributes', async () => {
			const result = await execute('get');
			expect(outputOf(result, 'Get fields').map((item) => item.json)).toEqual([
				{ Id: getTarget, Name: 'Get Me Inc.', Phone: '555-0100' },
			]);
			const [all] = outputOf(result, 'Get all').map((item) => item.json);
			expect(all).toMatchObject({
				Id: getTarget,
				Name: 'Get Me Inc.',
				Phone: '555-0100',
				Industry: 'Energy',
				IsDeleted: false,
			});
			expect(all).not.toHaveProperty('attributes');

			const gets = restRequests(standin).filter(
				(request) =>
					request.method === 'GET' && request.path === `${API}/sobjects/Account/${getTarget}`,
			);
			expect(gets).toHaveLength(2);
			expect(gets[0].query).toEqual({ fields: 'Id,Name,Phone' });
			expect(gets[1].query).toEqual({});
		});

		it('Get Many keeps hostile condition values literal: each matches only the record of exactly that name', async () => {
			const items = outputOf(await execute('getManyHostile'), 'Get Many');
			const byInput = (index: number) =>
				items
					.filter((item) => (item.pairedItem as { item: number }).item === index)
					.map((item) => item.json);
			Object.entries(HOSTILE).forEach(([key, value], index) => {
				expect({ value, rows: byInput(index) }).toEqual({
					value,
					rows: [{ Id: hostileIds[key as keyof typeof HOSTILE], Name: value }],
				});
			});
			// LIKE keeps its wildcard, but the quote in the pattern stays inside the literal.
			expect(
				byInput(Object.keys(HOSTILE).length)
					.map((row) => row.Name)
					.sort(),
			).toEqual(["O'Brien & Sons", "O'Brien Ltd"]);

			const soql = queryRequests(standin).map((request) => request.query.q);
			expect(soql).toHaveLength(Object.keys(HOSTILE).length + 1);
			Object.values(HOSTILE).forEach((value, index) => {
				expect(soql[index]).toContain(`Name = ${soqlLiteral(value)}`);
				expect(soql[index]).toMatch(/^SELECT Id, Name FROM Account WHERE /);
				// Nothing after the literal but the limit: the value could not add a condition.
				expect(
					soql[index].slice(soql[index].indexOf(soqlLiteral(value)) + soqlLiteral(value).length),
				).toMatch(/^\)?\s*(LIMIT \d+)?$/);
			});
			expect(soql[Object.keys(HOSTILE).length]).toContain("Name LIKE 'O\\'Brien%'");
		});

		it('Create writes the items through sObject Collections and outputs each new id, paired', async () => {
			const items = outputOf(await execute('create'), 'Create');
			expect(items.map((item) => item.json)).toEqual([
				{ id: expect.any(String), success: true },
				{ id: expect.any(String), success: true },
			]);
			expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
			const created = items.map((item) =>
				standin.records('Account').find((account) => account.Id === item.json.id),
			);
			expect(created).toEqual([
				expect.objectContaining({ Name: 'Created by n8n 1', Phone: '555-0201', IsDeleted: false }),
				expect.objectContaining({ Name: 'Created by n8n 2' }),
			]);
			const writes = restRequests(standin).filter((request) => request.method !== 'GET');
			expect(writes.map((request) => `${request.method} ${request.path}`)).toEqual([
				`POST ${API}/composite/sobjects`,
			]);
			expect(jsonBody(writes[0])).toMatchObject({
				allOrNone: true,
				records: [
					{ attributes: { type: 'Account' }, Name: 'Created by n8n 1', Phone: '555-0201' },
					{ attributes: { type: 'Account' }, Name: 'Created by n8n 2' },
				],
			});
		});

		it('Update changes only the fields defined below', async () => {
			const items = outputOf(await execute('update'), 'Update');
			expect(items.map((item) => item.json)).toEqual([{ id: updateTarget, success: true }]);
			expect(
				standin.records('Account').find((account) => account.Id === updateTarget),
			).toMatchObject({
				Name: 'Update Me Inc.',
				Phone: '555-0199',
				Description: 'Updated by n8n',
			});
			const writes = restRequests(standin).filter((request) => request.method !== 'GET');
			expect(writes).toHaveLength(1);
			expect(writes[0].method).toBe('PATCH');
		});

		it('Upsert on the custom Invoice__c matches on Invoice_Number__c: updates the existing one, creates the new one', async () => {
			const items = outputOf(await execute('upsert'), 'Upsert');
			expect(items.map((item) => item.json)).toEqual([
				{ id: seededInvoice, success: true, created: false },
				{ id: expect.any(String), success: true, created: true },
			]);
			const invoices = live('Invoice__c');
			expect(invoices).toHaveLength(2);
			expect(invoices.find((invoice) => invoice.Invoice_Number__c === 'INV-0001')).toMatchObject({
				Id: seededInvoice,
				Amount__c: 99.5,
			});
			expect(invoices.find((invoice) => invoice.Invoice_Number__c === 'INV-0002')).toMatchObject({
				Id: items[1].json.id,
				Amount__c: 12,
				Due_Date__c: '2026-01-31',
			});
			const writes = restRequests(standin).filter((request) => request.method !== 'GET');
			expect(writes.map((request) => `${request.method} ${request.path}`)).toEqual([
				`PATCH ${API}/composite/sobjects/Invoice__c/Invoice_Number__c`,
			]);
		});

		it('Delete moves the record to the Recycle Bin; Run SOQL finds it only with Include Deleted (queryAll)', async () => {
			const items = outputOf(await execute('delete'), 'Delete');
			expect(items.map((item) => item.json)).toEqual([{ id: deleteTarget, success: true }]);
			expect(
				standin.records('Account').find((account) => account.Id === deleteTarget),
			).toMatchObject({ IsDeleted: true });
			expect(restRequests(standin).filter((request) => request.method === 'DELETE')).toHaveLength(
				1,
			);

			const result = await execute('queryAll');
			expect(runError(result)).toBe('');
			expect(outputOf(result, 'Include deleted').map((item) => item.json)).toEqual([
				{ Id: deleteTarget, Name: 'Delete Me Inc.', IsDeleted: true },
			]);
			expect(outputOf(result, 'Live only')).toEqual([]);
			expect(queryRequests(standin).map((request) => request.path)).toEqual([
				`${API}/queryAll`,
				`${API}/query`,
			]);
		});
	});

	describe('API Request → Send', () => {
		it('GET: a path relative to the API version, any /services/ path, query parameters; a top-level array is one item per element', async () => {
			const result = await execute('apiGet');
			const [limits] = outputOf(result, 'Limits').map((item) => item.json);
			expect(limits.DailyApiRequests).toEqual({ Max: 15000, Remaining: expect.any(Number) });
			const versions = outputOf(result, 'Versions').map((item) => item.json);
			expect(versions.length).toBeGreaterThan(10);
			expect(versions).toContainEqual({
				label: "Winter '25",
				url: '/services/data/v62.0',
				version: '62.0',
			});
			expect(outputOf(result, 'Query').map((item) => item.json)).toEqual([
				expect.objectContaining({
					totalSize: 1,
					done: true,
					records: [expect.objectContaining({ Id: getTarget, Name: 'Get Me Inc.' })],
				}),
			]);
			expect(restRequests(standin).map((request) => `${request.method} ${request.path}`)).toEqual([
				`GET ${API}/limits`,
				'GET /services/data/',
				`GET ${API}/query`,
			]);
			expect(restRequests(standin)[2].query).toEqual({
				q: "SELECT Id, Name FROM Account WHERE Name = 'Get Me Inc.'",
			});
		});

		it('POST sends the JSON body and outputs the answer; DELETE answering 204 outputs success', async () => {
			const result = await execute('apiPost');
			const [posted] = outputOf(result, 'Post').map((item) => item.json);
			expect(posted).toEqual({ id: expect.any(String), success: true, errors: [] });
			expect(outputOf(result, 'Remove').map((item) => item.json)).toEqual([
				expect.objectContaining({ success: true }),
			]);
			const [post, remove] = restRequests(standin);
			expect(`${post.method} ${post.path}`).toBe(`POST ${API}/sobjects/Account`);
			expect(headerOf(post, 'content-type')).toMatch(/^application\/json/);
			expect(jsonBody(post)).toEqual({ Name: 'Posted by API Request', Phone: '555-0300' });
			expect(`${remove.method} ${remove.path}`).toBe(
				`DELETE ${API}/sobjects/Account/${String(posted.id)}`,
			);
			expect(standin.records('Account').find((account) => account.Id === posted.id)).toMatchObject({
				Name: 'Posted by API Request',
				IsDeleted: true,
			});
		});

		it('refuses a full URL, `..` and a path outside /services/, naming the Path parameter, before any request', async () => {
			const items = outputOf(await execute('apiRefused'), 'Send');
			expect(items).toHaveLength(5);
			for (const item of items) expect(String(item.json.error)).toMatch(/Path/);
			expect(items.map((item) => item.pairedItem)).toEqual(
				[0, 1, 2, 3, 4].map((item) => ({ item })),
			);
			expect(standin.requests).toEqual([]);
		});
	});

	it('a session that dies between page 1 and page 2 costs one login and one retry of page 2; every record comes out once', async () => {
		const [before] = standin.activeSessions();
		expect(before).toBeDefined();
		standin.resetRecords();
		// After page 1 is answered, Salesforce ends every session.
		standin.expireSessionsAfterRequests(1);
		const result = await n8n.cli.execute(workflows.soqlAll);
		tokens.record(standin);
		const items = outputOf(result, 'Run SOQL');
		const accounts = live('Account');
		expect(items.map((item) => item.json.Id)).toEqual(accounts.map((account) => account.Id));

		expect(standin.tokenRequests()).toHaveLength(1);
		expect(standin.loginCount).toBe(1);
		const [after] = standin.activeSessions();
		expect(after).not.toBe(before);

		const pages = queryRequests(standin);
		const expectedPages = Math.ceil(accounts.length / PAGE);
		// Page 1 on the old session; page 2 refused on it (401), then retried once on the new one; the rest on the new one.
		expect(pages).toHaveLength(expectedPages + 1);
		expect(bearerOf(pages[0])).toBe(before);
		expect(pages[1].path).toBe(pages[2].path);
		expect(bearerOf(pages[1])).toBe(before);
		expect(pages.slice(2).map(bearerOf)).toEqual(Array(expectedPages - 1).fill(after));
	});

	it('no saved execution of a data operation holds the access token, in any spelling', async () => {
		tokens.record(standin);
		const { leaks, scanned, rawData } = await tokensInExecutions(
			n8n.cli,
			dataWorkflowIds,
			tokens.all,
		);
		// Every workflow ran at least once (soqlAll twice), and the scan reads real data: the records' ids are there.
		expect(scanned).toBeGreaterThanOrEqual(dataWorkflowIds.length + 1);
		expect(tokens.all.length).toBeGreaterThanOrEqual(2);
		expect(rawData.some((text) => text.includes(paged[0]))).toBe(true);
		expect(leaks).toEqual([]);
	});
});
