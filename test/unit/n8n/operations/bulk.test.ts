/**
 * Bulk API 2.0 through n8n-core against the stand-in: Record writes as one job (automatically
 * above 2,000 records in version 1.2, never in 1.1), results matched to their items by content
 * (the stand-in returns them shuffled), per-item failures, a failed job, the maximum wait, a
 * stopped execution and a failed upload aborting the job; Run SOQL as a query job giving exactly
 * the REST query's output.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import type { SalesforceStandin } from '../../../../dev/salesforce-standin';
import { useStandin } from '../../../support/fixtures';
import { failureOf, object, restRequests, runOperation } from './support';

const standin = useStandin({ bulk: { queueMs: 0, processingMs: 0 } });

const write = (operation: string, sobject: string, more: Record<string, unknown> = {}) => ({
	resource: 'record',
	operation,
	sobject: object(sobject),
	columns: { mappingMode: 'autoMapInputData', value: null },
	...more,
});
const bulk = (more: Record<string, unknown> = {}) => ({ options: { api: 'bulk', ...more } });
const soql = (
	query: string,
	options: IDataObject = {},
	more: IDataObject = {},
): INodeParameters => ({
	resource: 'query',
	operation: 'soql',
	query,
	returnAll: true,
	options: options as INodeParameters,
	...(more as INodeParameters),
});

function jobRequests(sf: SalesforceStandin): string[] {
	return restRequests(sf).map((line) => line.replace(/\/750\w+/, '/{job}'));
}

async function thrown(run: Promise<unknown>): Promise<{ message: string; description: string }> {
	const error = (await run.then(
		() => undefined,
		(caught: unknown) => caught,
	)) as { message?: string; description?: string } | undefined;
	if (!error) throw new Error('expected the run to fail');
	return { message: String(error.message), description: String(error.description ?? '') };
}

describe('Record writes through Bulk API 2.0', () => {
	it('version 1.2: 2,500 items go as one job (Automatic), each item gets its own id in input order although results come shuffled', async () => {
		const sf = standin();
		const items = Array.from({ length: 2500 }, (_, index) => ({
			json: index % 500 === 7 ? { Phone: `no name ${index}` } : { Name: `Bulk item ${index}` },
		}));
		sf.resetRecords();
		const { json, output } = await runOperation(sf, write('create', 'Account'), {
			items,
			continueOnFail: true,
		});
		expect(json).toHaveLength(2500);
		const ids = new Map(sf.records('Account').map((row) => [row.Id, row.Name]));
		json.forEach((result, index) => {
			if (index % 500 === 7) {
				expect(result.error).toMatch(/REQUIRED_FIELD_MISSING|Required fields are missing/);
			} else {
				expect(result).toEqual({ id: expect.any(String), success: true });
				expect(ids.get(result.id as string)).toBe(`Bulk item ${index}`);
			}
			expect(output[0][index].pairedItem).toEqual({ item: index });
		});
		const requests = jobRequests(sf);
		expect(requests.slice(0, 3)).toEqual([
			'POST /services/data/v62.0/jobs/ingest',
			'PUT /services/data/v62.0/jobs/ingest/{job}/batches',
			'PATCH /services/data/v62.0/jobs/ingest/{job}',
		]);
		expect(requests.slice(-2)).toEqual([
			'GET /services/data/v62.0/jobs/ingest/{job}/successfulResults/',
			'GET /services/data/v62.0/jobs/ingest/{job}/failedResults/',
		]);
		expect(requests.length).toBeLessThanOrEqual(8);
		expect(sf.requests.find((request) => request.method === 'PUT')?.streamed).toBe(true);
	});

	it('version 1.1 writes the same 2,500 items through sObject Collections, as saved workflows always did', async () => {
		const sf = standin();
		const items = Array.from({ length: 2500 }, (_, index) => ({
			json: { Name: `Saved ${index}` },
		}));
		const { json } = await runOperation(sf, write('create', 'Account'), {
			items,
			typeVersion: 1.1,
		});
		expect(json).toHaveLength(2500);
		expect(new Set(restRequests(sf))).toEqual(
			new Set(['POST /services/data/v62.0/composite/sobjects']),
		);
		expect(restRequests(sf)).toHaveLength(13);
	});

	it('upsert says which records were created; update and delete by Id; nulls clear a field (#N/A)', async () => {
		const sf = standin();
		const [existing] = sf.insertRecords('Invoice__c', [
			{ Name: 'Existing', Invoice_Number__c: 'INV-1', Amount__c: 10 },
		]);
		const upserted = await runOperation(
			sf,
			write('upsert', 'Invoice__c', { externalIdField: 'Invoice_Number__c', ...bulk() }),
			{
				items: [
					{ json: { Invoice_Number__c: 'INV-1', Amount__c: 20 } },
					{ json: { Invoice_Number__c: 'INV-2', Name: 'New', Amount__c: 5 } },
				],
			},
		);
		expect(upserted.json).toEqual([
			{ id: existing, success: true, created: false },
			{ id: expect.stringMatching(/^a0/), success: true, created: true },
		]);
		const updated = await runOperation(
			sf,
			write('update', 'Invoice__c', { recordId: '={{ $json.id }}', ...bulk() }),
			{
				items: upserted.json.map((row) => ({
					json: { id: row.id, Amount__c: null, Name: `Renamed ${String(row.id)}` },
				})),
			},
		);
		expect(updated.json.map((row) => row.success)).toEqual([true, true]);
		const rows = sf.records('Invoice__c');
		expect(rows.find((row) => row.Id === existing)).toMatchObject({
			Amount__c: null,
			Name: `Renamed ${existing}`,
		});
		const deleted = await runOperation(
			sf,
			{
				resource: 'record',
				operation: 'delete',
				sobject: object('Invoice__c'),
				recordId: '={{ $json.id }}',
				...bulk(),
			},
			{ items: upserted.json.map((row) => ({ json: row })) },
		);
		expect(deleted.json).toEqual(upserted.json.map((row) => ({ id: row.id, success: true })));
		const ours = new Set(upserted.json.map((row) => row.id));
		expect(sf.records('Invoice__c').filter((row) => ours.has(row.Id) && !row.IsDeleted)).toEqual(
			[],
		);
	});

	it('items naming one record with different values go in later jobs, in item order (no job names a record twice)', async () => {
		const sf = standin();
		const [id] = sf.insertRecords('Account', [{ Name: 'Before' }]);
		const columns = { mappingMode: 'defineBelow', value: { Name: '={{ $json.name }}' } };
		const { json } = await runOperation(
			sf,
			write('update', 'Account', { recordId: '={{ $json.id }}', columns, ...bulk() }),
			{
				items: [
					{ json: { id, name: 'First' } },
					{ json: { id, name: 'Second' } },
					{ json: { id: id.slice(0, 15), name: 'Second' } },
				],
			},
		);
		expect(json).toEqual([
			{ id, success: true },
			{ id, success: true },
			{ id, success: true },
		]);
		expect(sf.bulkJobs()).toHaveLength(2);
		expect(sf.records('Account').find((row) => row.Id === id)?.Name).toBe('Second');
	});

	it('without continue-on-fail the node fails once the job is done, naming what was written and what failed (Bulk has no all-or-none)', async () => {
		const sf = standin();
		const items = [
			{ json: { Name: 'Fine 0' } },
			{ json: { Phone: 'nameless' } },
			{ json: { Name: 'Fine 2' } },
		];
		const error = await thrown(runOperation(sf, write('create', 'Account', bulk()), { items }));
		expect(error.message).toMatch(
			/^Creating Account records failed: item 1 failed \(REQUIRED_FIELD_MISSING: .*\)\. 2 of 3 records were written\.$/,
		);
		const written = sf.records('Account').filter((row) => String(row.Name).startsWith('Fine '));
		expect(written).toHaveLength(2);
		expect(error.description).toContain(String(written.find((row) => row.Name === 'Fine 0')?.Id));
	});

	it('a job Salesforce fails: processed items keep their result, the others say the job failed and why', async () => {
		const sf = standin();
		sf.setBulkOptions({ batchSize: 5 });
		sf.setBulkJobFault({
			errorMessage: 'InternalServerError : the job was killed',
			afterRecords: 5,
		});
		const items = Array.from({ length: 12 }, (_, index) => ({
			json: { Name: `Faulted ${index}` },
		}));
		const { json } = await runOperation(sf, write('create', 'Account', bulk()), {
			items,
			continueOnFail: true,
		});
		expect(json.filter((row) => row.success === true)).toHaveLength(5);
		const notProcessed = json.filter((row) => row.error !== undefined);
		expect(notProcessed).toHaveLength(7);
		expect(notProcessed[0].error).toMatch(
			/^Not processed: Bulk API job 750\w+ failed before it reached this record \(InternalServerError : the job was killed\)\.$/,
		);

		sf.setBulkJobFault({ errorMessage: 'InternalServerError : killed again', afterRecords: 5 });
		const error = await thrown(runOperation(sf, write('create', 'Account', bulk()), { items }));
		expect(error.message).toMatch(
			/^Creating Account records failed: Bulk API job 750\w+ failed: InternalServerError : killed again\. Salesforce processed 5 records \(0 of them failed\) before it stopped\.$/,
		);
		expect(error.description).toContain('Setup → Bulk Data Load Jobs');
	});

	it('past Bulk Max Wait the job is aborted and the node fails naming it', async () => {
		const sf = standin();
		sf.setBulkOptions({ processingMs: 60_000 });
		const error = await thrown(
			runOperation(sf, write('create', 'Account', bulk({ bulkMaxWaitMinutes: 0.03 })), {
				items: [{ json: { Name: 'Slow' } }],
			}),
		);
		const [job] = sf.bulkJobs();
		expect(error.message).toBe(
			`Bulk API job ${job.id} did not finish within 1.8 seconds: it was InProgress after processing 1 record.`,
		);
		expect(error.description).toMatch(
			/^The node aborted it, so it writes nothing more\. Look the job up in Salesforce Setup → Bulk Data Load Jobs/,
		);
		expect(job.state).toBe('Aborted');
		// Polls back off: 1 s, then the rest of the 1.8 s wait.
		expect(
			jobRequests(sf).filter((line) => line === 'GET /services/data/v62.0/jobs/ingest/{job}'),
		).toHaveLength(2);
	});

	it('an execution the user stops aborts the open job', async () => {
		const sf = standin();
		sf.setBulkOptions({ processingMs: 60_000 });
		const stop = new AbortController();
		const running = runOperation(sf, write('create', 'Account', bulk()), {
			items: [{ json: { Name: 'Stopped' } }],
			abortSignal: stop.signal,
		});
		while (!sf.bulkJobs().some((job) => job.state === 'InProgress'))
			await new Promise((resolve) => setTimeout(resolve, 20));
		stop.abort();
		const error = await thrown(running);
		expect(error.message).toMatch(/^Running Bulk API job 750\w+ was cancelled\.$/);
		expect(error.description).toMatch(/Bulk API job 750\w+ was aborted: it writes nothing more/);
		expect(sf.bulkJobs()[0].state).toBe('Aborted');
	});

	it('a failed upload aborts the job it opened and says so', async () => {
		const sf = standin();
		sf.resetUploadsAfterBytes(1000, { times: 1 });
		const items = Array.from({ length: 200 }, (_, index) => ({
			json: { Name: `Upload cut ${index}` },
		}));
		const error = await thrown(runOperation(sf, write('create', 'Account', bulk()), { items }));
		expect(error.message).toMatch(/uploading the records of Bulk API job 750\w+ failed/i);
		expect(error.description).toMatch(/Bulk API job 750\w+ was aborted/);
		expect(sf.bulkJobs()[0].state).toBe('Aborted');
		expect(
			sf.records('Account').filter((row) => String(row.Name).startsWith('Upload cut')),
		).toEqual([]);
	});

	it('results that cannot be read: the job is over (not aborted), and the error says where its results are', async () => {
		const sf = standin();
		sf.setRestFault(
			{ kind: 'error', status: 400, errorCode: 'INVALIDJOB', message: 'results are gone' },
			{ path: /successfulResults/ },
		);
		const error = await thrown(
			runOperation(sf, write('create', 'Account', bulk()), {
				items: [{ json: { Name: 'Unread' } }],
			}),
		);
		expect(error.message).toMatch(/results are gone/);
		expect(error.description).toMatch(
			/Bulk API job 750\w+ ended JobComplete \(1 record processed, 0 failed\), but its results could not be read: Setup → Bulk Data Load Jobs shows them\.$/,
		);
		expect(sf.bulkJobs()[0].state).toBe('JobComplete');
		expect(restRequests(sf).filter((line) => line.startsWith('PATCH'))).toHaveLength(1);
	});

	it('an object value no field takes fails that item before sending; the others are written', async () => {
		const sf = standin();
		const { json } = await runOperation(sf, write('create', 'Account', bulk()), {
			items: [{ json: { Name: 'Plain' } }, { json: { Name: 'Nested', Phone: ['1', '2'] } }],
			continueOnFail: true,
		});
		expect(json[0]).toEqual({ id: expect.any(String), success: true });
		expect(json[1].error).toBe(
			'Fields: "Phone" holds a list, which a Salesforce field cannot take',
		);
	});
});

describe('Run SOQL as a Bulk API query job', () => {
	function seed(sf: SalesforceStandin) {
		const [account] = sf.insertRecords('Account', [
			{ Name: 'Parent, "quoted"', AnnualRevenue: 1500000, NumberOfEmployees: 42 },
		]);
		sf.insertRecords('Invoice__c', [
			{
				Name: 'Typed 1',
				Invoice_Number__c: 'T-1',
				Amount__c: 12.5,
				Paid__c: true,
				Due_Date__c: '2026-03-01',
				Account__c: account,
			},
			{
				Name: 'Typed 2',
				Invoice_Number__c: 'T-2',
				Amount__c: null,
				Paid__c: false,
				Due_Date__c: null,
			},
		]);
	}
	const QUERY =
		"SELECT Id, Name, Amount__c, Paid__c, Due_Date__c, CreatedDate, Account__r.Name, Account__r.NumberOfEmployees, Account__r.Id FROM Invoice__c WHERE Name LIKE 'Typed%' ORDER BY Name";

	it.each([false, true])(
		"gives exactly the REST query's output (typed values, nested parents; Include Attributes %p)",
		async (includeAttributes) => {
			const sf = standin();
			seed(sf);
			const rest = await runOperation(sf, soql(QUERY, { includeAttributes }));
			sf.resetRecords();
			const viaBulk = await runOperation(sf, soql(QUERY, { includeAttributes, useBulkApi: true }));
			expect(rest.json).toHaveLength(2);
			expect(viaBulk.json).toEqual(rest.json);
			expect(JSON.stringify(viaBulk.json)).toBe(JSON.stringify(rest.json));
			expect(jobRequests(sf).filter((line) => line.includes('/jobs/query'))[0]).toBe(
				'POST /services/data/v62.0/jobs/query',
			);
		},
	);

	it('pages with maxRecords and Sforce-Locator; a limit stops early; Include Deleted runs queryAll', async () => {
		const sf = standin();
		sf.setBulkOptions({ queryPageRecords: 1000 });
		sf.insertRecords(
			'Account',
			Array.from({ length: 2500 }, (_, index) => ({
				Name: `Paged ${String(index).padStart(4, '0')}`,
			})),
		);
		sf.resetRecords();
		const all = await runOperation(
			sf,
			soql("SELECT Id, Name FROM Account WHERE Name LIKE 'Paged%'", { useBulkApi: true }),
		);
		expect(all.json).toHaveLength(2500);
		const pages = sf.requests.filter((request) => request.path.endsWith('/results'));
		expect(pages.map((request) => request.query.locator ?? null)).toEqual([
			null,
			expect.any(String),
			expect.any(String),
		]);
		sf.resetRecords();
		const limited = await runOperation(
			sf,
			soql(
				"SELECT Id FROM Account WHERE Name LIKE 'Paged%'",
				{ useBulkApi: true },
				{ returnAll: false, limit: 1200 },
			),
		);
		expect(limited.json).toHaveLength(1200);
		expect(
			sf.requests
				.filter((request) => request.path.endsWith('/results'))
				.map((request) => request.query.maxRecords),
		).toEqual(['1200']);

		const [gone] = sf.insertRecords('Account', [{ Name: 'Deleted one' }]);
		sf.deleteRecords('Account', [gone]);
		const deleted = await runOperation(
			sf,
			soql(
				"SELECT Id FROM Account WHERE Name = 'Deleted one'",
				{ useBulkApi: true },
				{ includeDeleted: true },
			),
		);
		expect(deleted.json).toEqual([{ Id: gone }]);
		expect(
			sf.requests.some(
				(request) =>
					request.path.endsWith('/jobs/query') &&
					JSON.parse(request.rawBody).operation === 'queryAll',
			),
		).toBe(true);
	});

	it('a query job Salesforce fails says why', async () => {
		const sf = standin();
		sf.setBulkJobFault({ errorMessage: 'InternalServerError : query died' });
		const error = failureOf(
			await runOperation(sf, soql('SELECT Id FROM Account', { useBulkApi: true }), {
				continueOnFail: true,
			}),
		);
		expect(error.message).toMatch(
			/^Running the Bulk API query job failed: Bulk API job 750\w+ failed: InternalServerError : query died\.$/,
		);
	});

	it("a query Bulk cannot run (a subquery-free aggregate) is refused with Salesforce's words", async () => {
		const sf = standin();
		const error = failureOf(
			await runOperation(sf, soql('SELECT COUNT() FROM Account', { useBulkApi: true }), {
				continueOnFail: true,
			}),
		);
		expect(error.message).toMatch(/COUNT\(\) is not supported by Bulk API 2\.0 query/);
		expect(sf.bulkJobs()).toEqual([]);
	});
});
