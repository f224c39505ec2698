/**
 * Issue 15 in a real n8n, as a case so n8n 1.x runs it too (one n8n for all of it; binary data as
 * each version keeps it by default: on disk in 2.x, base64 in the items in 1.x): a file round trip
 * (Read/Write Files → Upload → Get Many → Download → Write, the same bytes); 20,000 records (3,000
 * in the smoke set) created by one Bulk API 2.0 job with some failing, each item its own result in
 * input order; a Bulk query whose output equals the REST query's for the same SOQL; a job whose
 * upload fails is aborted; and a workflow saved with version 1.1 still writes through sObject
 * Collections. The 200 MB transfers and their memory are the benchmark's (`npm run bench`).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startSalesforceStandin, type SalesforceStandin } from '../../../dev/salesforce-standin';
import {
	actionNode,
	autoMappedColumns,
	branches,
	generatedItemsNode,
	restRequests,
	runError,
	sobject,
	type CredentialRef,
} from '../operations/support/operations';
import {
	createN8n,
	salesforceCredential,
	type ExecuteResult,
	type N8nUnderTest,
	type WorkflowToImport,
} from '../support';
import {
	chain,
	manualTrigger,
	nodeOutput,
	succeededRun,
	type NodeSpec,
} from '../support/workflows';
import { beyondSmoke, titled, type E2eCaseOptions } from './options';

const SAVED_CREDENTIAL = { id: 'sfiFilesBulkCrd1', name: 'Files and Bulk Env' };
/** Every 1,000th account has no Name: Salesforce refuses it (REQUIRED_FIELD_MISSING). */
const FAILING_EVERY = 1000;
const FILE_BYTES = 5 * 1024 * 1024 + 123;
const INVOICE_QUERY =
	"SELECT Id, Name, Amount__c, Paid__c, Due_Date__c, CreatedDate, Account__r.Id, Account__r.Name, Account__r.NumberOfEmployees FROM Invoice__c WHERE Name LIKE 'E2E%' ORDER BY Name";

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Read/Write Files from Disk, version 1: the one both n8n 1.x and 2.x have. */
function readWriteFile(name: string, parameters: Record<string, unknown>): NodeSpec {
	return { name, type: 'n8n-nodes-base.readWriteFile', typeVersion: 1, parameters };
}

export function describeFilesAndBulk(options: E2eCaseOptions = {}): void {
	const BULK_ITEMS = options.smoke ? 3_000 : 20_000;
	const full = beyondSmoke(options);
	describe(titled('Salesforce Action files and Bulk API 2.0 in real n8n', options), () => {
		let standin: SalesforceStandin;
		let n8n: N8nUnderTest;
		let credential: CredentialRef;
		let files: string;
		let accountId: string;
		const workflows: Record<string, string> = {};

		async function execute(key: string): Promise<ExecuteResult> {
			standin.resetRecords();
			return await n8n.cli.execute(workflows[key]);
		}

		beforeAll(async () => {
			standin = await startSalesforceStandin({
				label: 'files-bulk',
				bulk: { queueMs: 0, processingMs: 0 },
			});
			files = mkdtempSync(join(tmpdir(), 'sfi-e2e-files-'));
			n8n = await createN8n({
				name: 'files-bulk',
				n8nVersion: options.n8nVersion,
				// Binary data as each version keeps it by default (2.x: on disk; 1.x: base64 in the items).
				env: { N8N_RESTRICT_FILE_ACCESS_TO: files },
			});
			[credential] = await n8n.cli.importCredentials([
				{
					...salesforceCredential(SAVED_CREDENTIAL.name, {
						authFlow: 'password',
						domain: standin.url,
						...standin.demo,
					}),
					id: SAVED_CREDENTIAL.id,
				},
			]);
			[accountId] = standin.insertRecords('Account', [
				{ Name: 'E2E Files Account', NumberOfEmployees: 12 },
			]);
			standin.insertRecords('Invoice__c', [
				{
					Name: 'E2E 1',
					Invoice_Number__c: 'E2E-1',
					Amount__c: 1250.75,
					Paid__c: true,
					Due_Date__c: '2026-05-31',
					Account__c: accountId,
				},
				{ Name: 'E2E 2', Invoice_Number__c: 'E2E-2', Amount__c: null, Paid__c: false },
			]);
			writeFileSync(join(files, 'contract.pdf'), randomBytes(FILE_BYTES));

			const action = (
				name: string,
				parameters: Record<string, unknown>,
				onError?: 'continueRegularOutput',
			) => actionNode(name, credential, parameters, { onError });
			const soql = (name: string, useBulkApi: boolean) =>
				action(name, {
					resource: 'query',
					operation: 'soql',
					query: INVOICE_QUERY,
					returnAll: true,
					options: { includeAttributes: true, useBulkApi },
				});
			const definitions: Record<string, WorkflowToImport> = {
				roundTrip: chain('File round trip', [
					manualTrigger(),
					readWriteFile('Read File', {
						operation: 'read',
						fileSelector: join(files, 'contract.pdf'),
						options: {},
					}),
					action('Upload', {
						resource: 'file',
						operation: 'upload',
						binaryPropertyName: 'data',
						linkedRecordId: accountId,
						title: 'E2E contract',
					}),
					action('Get Many', { resource: 'file', operation: 'getAll', recordId: accountId }),
					action('Download', {
						resource: 'file',
						operation: 'download',
						contentVersionId: '={{ $json.contentVersionId }}',
						binaryPropertyName: 'data',
					}),
					readWriteFile('Write File', {
						operation: 'write',
						fileName: join(files, 'downloaded.pdf'),
						dataPropertyName: 'data',
						options: {},
					}),
				]),
				bulkCreate: chain(`Create ${BULK_ITEMS} accounts (Bulk API automatically)`, [
					manualTrigger(),
					generatedItemsNode(
						'Accounts',
						`return Array.from({ length: ${BULK_ITEMS} }, (_, n) => n % ${FAILING_EVERY} === 999 ? { Phone: 'no name ' + n } : { Name: 'E2E Bulk ' + n, NumberOfEmployees: n });`,
					),
					action(
						'Create',
						{
							resource: 'record',
							operation: 'create',
							sobject: sobject('Account'),
							columns: autoMappedColumns(['Name', 'Phone', 'NumberOfEmployees']),
						},
						'continueRegularOutput',
					),
				]),
				sameOutput: branches('Bulk query and REST query of the same SOQL', manualTrigger(), [
					[soql('REST Query', false)],
					[soql('Bulk Query', true)],
				]),
				failedUpload: chain('A Bulk job whose upload fails', [
					manualTrigger(),
					generatedItemsNode(
						'Accounts',
						"return Array.from({ length: 300 }, (_, n) => ({ Name: 'E2E Cut ' + n }));",
					),
					action('Create', {
						resource: 'record',
						operation: 'create',
						sobject: sobject('Account'),
						columns: autoMappedColumns(['Name']),
						options: { api: 'bulk' },
					}),
				]),
			};
			const ids = await n8n.cli.importWorkflows(Object.values(definitions));
			Object.keys(definitions).forEach((key, index) => (workflows[key] = ids[index]));
			const saved = JSON.parse(
				readFileSync(join(__dirname, '..', 'cases', 'saved-v1.1-create.json'), 'utf8'),
			) as WorkflowToImport[];
			[workflows.savedV11] = await n8n.cli.importWorkflows(saved);
		});

		afterAll(async () => {
			await n8n?.cleanup();
			await standin?.close();
			if (files) rmSync(files, { recursive: true, force: true });
		});

		it('a file round trip: upload → Get Many → download gives back the same bytes, in 2 + 1 + 2 requests', async () => {
			const run = succeededRun(await execute('roundTrip'));
			const uploaded = nodeOutput(run, 'Upload')[0].json;
			expect(uploaded).toEqual({
				contentVersionId: expect.stringMatching(/^068/),
				contentDocumentId: expect.stringMatching(/^069/),
				fileName: 'contract.pdf',
				size: FILE_BYTES,
			});
			expect(nodeOutput(run, 'Get Many').map((item) => item.json)).toEqual([
				expect.objectContaining({
					contentVersionId: uploaded.contentVersionId,
					contentDocumentId: uploaded.contentDocumentId,
					title: 'E2E contract',
					fileName: 'contract.pdf',
					size: FILE_BYTES,
				}),
			]);
			expect(nodeOutput(run, 'Download')[0].json).toMatchObject({
				fileName: 'contract.pdf',
				mimeType: 'application/pdf',
				size: FILE_BYTES,
			});
			expect(sha256(readFileSync(join(files, 'downloaded.pdf')))).toBe(
				sha256(readFileSync(join(files, 'contract.pdf'))),
			);
			expect(
				restRequests(standin).filter(
					(request) => !request.path.endsWith('/sobjects/Account/describe'),
				),
			).toHaveLength(5);
			expect(
				standin.requests.find(
					(request) =>
						request.method === 'POST' && request.path.endsWith('/sobjects/ContentVersion'),
				)?.streamed,
			).toBe(true);
		});

		it(`${BULK_ITEMS.toLocaleString('en-US')} accounts in one Bulk API job: at most 10 API requests, failing records on their own items, every item its own id in input order`, async () => {
			const run = succeededRun(await execute('bulkCreate'));
			const items = nodeOutput(run, 'Create');
			expect(items).toHaveLength(BULK_ITEMS);
			const nameById = new Map(standin.records('Account').map((row) => [row.Id, row.Name]));
			items.forEach((item, index) => {
				expect((item.pairedItem as { item: number }).item).toBe(index);
				if (index % FAILING_EVERY === 999)
					expect(String(item.json.error)).toMatch(
						/REQUIRED_FIELD_MISSING|Required fields are missing/,
					);
				else expect(nameById.get(String(item.json.id))).toBe(`E2E Bulk ${index}`);
			});
			expect(standin.apiRequestCount).toBeLessThanOrEqual(10);
			expect(
				restRequests(standin).some((request) => request.path.endsWith('/composite/sobjects')),
			).toBe(false);
			expect(standin.bulkJobs().at(-1)).toMatchObject({
				state: 'JobComplete',
				numberRecordsProcessed: BULK_ITEMS,
				numberRecordsFailed: BULK_ITEMS / FAILING_EVERY,
			});
		});

		it("a Bulk query gives exactly the REST query's output for the same SOQL (types, nested parents, attributes)", async () => {
			const run = succeededRun(await execute('sameOutput'));
			const rest = nodeOutput(run, 'REST Query').map((item) => item.json);
			const bulk = nodeOutput(run, 'Bulk Query').map((item) => item.json);
			expect(rest).toHaveLength(2);
			expect(rest[0]).toMatchObject({
				Amount__c: 1250.75,
				Paid__c: true,
				Account__r: { Name: 'E2E Files Account', NumberOfEmployees: 12 },
			});
			expect(JSON.stringify(bulk)).toBe(JSON.stringify(rest));
			expect(restRequests(standin).some((request) => request.path.endsWith('/jobs/query'))).toBe(
				true,
			);
		});

		full('a Bulk job whose upload fails is aborted, and the error says so', async () => {
			standin.resetUploadsAfterBytes(2000, { times: 1 });
			const result = await execute('failedUpload');
			expect(result.ok).toBe(false);
			expect(runError(result)).toMatch(/uploading the records of Bulk API job 750\w+ failed/i);
			const job = standin.bulkJobs().at(-1);
			expect(job).toMatchObject({ type: 'ingest', state: 'Aborted' });
			expect(
				standin.records('Account').filter((row) => String(row.Name).startsWith('E2E Cut')),
			).toEqual([]);
		});

		full(
			'a workflow saved with version 1.1 writes 2,500 records through sObject Collections, as before',
			async () => {
				const run = succeededRun(await execute('savedV11'));
				expect(nodeOutput(run, 'Create Leads')).toHaveLength(2500);
				const requests = restRequests(standin).map(
					(request) => `${request.method} ${request.path}`,
				);
				expect(requests).toEqual(Array(13).fill('POST /services/data/v62.0/composite/sobjects'));
				expect(
					standin.records('Lead').filter((row) => String(row.LastName).startsWith('Saved 1.1 ')),
				).toHaveLength(2500);
			},
		);
	});
}
