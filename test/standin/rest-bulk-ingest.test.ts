import { API, closeAll, connect } from './restSupport';
import { bulk, csvRecords, parseCsv } from './bulkSupport';

/**
 * Bulk API 2.0 ingest jobs (fact sheet §11; Bulk API 2.0 Developer Guide: Create a Job, Upload Job
 * Data, Upload Complete, Get Job Info, Get Job Successful/Failed/Unprocessed Record Results,
 * Prepare CSV Files, Relationship Fields in a Header Row, Abort a Job, Delete a Job).
 */

afterEach(closeAll);

describe('create, upload, close', () => {
	it('creates an Open job with the documented fields and its upload URL', async () => {
		const { api } = await connect();
		const answer = await bulk(api).createIngest({
			object: 'account',
			operation: 'upsert',
			externalIdFieldName: 'external_id__c',
			lineEnding: 'CRLF',
			columnDelimiter: 'PIPE',
		});
		expect(answer.status).toBe(200);
		expect(answer.body).toEqual({
			id: expect.stringMatching(/^750[A-Za-z0-9]{15}$/),
			operation: 'upsert',
			object: 'Account',
			createdById: expect.stringMatching(/^005/),
			createdDate: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000\+0000$/),
			systemModstamp: expect.any(String),
			state: 'Open',
			externalIdFieldName: 'External_Id__c',
			concurrencyMode: 'Parallel',
			contentType: 'CSV',
			apiVersion: 62,
			contentUrl: `services/data/v62.0/jobs/ingest/${answer.body.id}/batches`,
			lineEnding: 'CRLF',
			columnDelimiter: 'PIPE',
		});
		expect(Object.keys(answer.body)).toEqual([
			'id',
			'operation',
			'object',
			'createdById',
			'createdDate',
			'systemModstamp',
			'state',
			'externalIdFieldName',
			'concurrencyMode',
			'contentType',
			'apiVersion',
			'contentUrl',
			'lineEnding',
			'columnDelimiter',
		]);
	});

	it('refuses jobs it cannot run: unknown object or operation, upsert without an external id, other formats', async () => {
		const { api } = await connect();
		const refused = async (body: Record<string, unknown>) => {
			const answer = await bulk(api).createIngest(body);
			expect(answer.status).toBe(400);
			return answer.body[0].message as string;
		};
		expect(await refused({ object: 'Invoice', operation: 'insert' })).toBe(
			'Unable to find object: Invoice',
		);
		expect(await refused({ object: 'Account', operation: 'merge' })).toMatch(
			/^Invalid operation: merge/,
		);
		expect(await refused({ object: 'Account', operation: 'upsert' })).toBe(
			'External ID was blank for Account. An External ID must be specified for upsert.',
		);
		expect(
			await refused({ object: 'Account', operation: 'upsert', externalIdFieldName: 'Name' }),
		).toMatch(/not an External ID field/);
		expect(await refused({ object: 'Account', operation: 'insert', contentType: 'JSON' })).toMatch(
			/Unsupported contentType/,
		);
		expect(
			await refused({ object: 'Account', operation: 'insert', columnDelimiter: 'COLON' }),
		).toMatch(/Invalid columnDelimiter/);
		expect(await refused({ object: 'Account', operation: 'insert', lineEnding: 'CR' })).toMatch(
			/Invalid lineEnding/,
		);
		const oldVersion = await api.call('POST', '/services/data/v40.0/jobs/ingest', {
			object: 'Account',
			operation: 'insert',
		});
		expect(oldVersion.status).toBe(404);
	});

	it('takes one upload, only as text/csv and only while Open; answers 201 with no body; counts every request', async () => {
		const { standin, api } = await connect();
		const calls = bulk(api);
		const { body: job } = await calls.createIngest({ object: 'Account', operation: 'insert' });
		standin.resetRecords();
		expect((await calls.upload(job.id, 'Name\nA\n', 'application/json')).status).toBe(415);
		const first = await calls.upload(job.id, 'Name\nA\n');
		expect(first.status).toBe(201);
		expect(first.text).toBe('');
		expect(standin.requests.at(-1)).toMatchObject({ method: 'PUT', streamed: true, rawBody: '' });
		const second = await calls.upload(job.id, 'Name\nB\n');
		expect(second.status).toBe(409);
		expect((await calls.close(job.id)).body).toMatchObject({ id: job.id, state: 'UploadComplete' });
		expect((await calls.upload(job.id, 'Name\nC\n')).status).toBe(409);
		expect((await calls.close(job.id)).status).toBe(409);
		const done = await calls.waitFor('ingest', job.id);
		expect(done.body).toMatchObject({
			state: 'JobComplete',
			numberRecordsProcessed: 1,
			numberRecordsFailed: 0,
			jobType: 'V2Ingest',
			retries: 0,
		});
		expect(done.body).not.toHaveProperty('contentUrl');
		expect(standin.apiRequestCount).toBe(standin.requests.length);
		expect(standin.records('Account').filter((row) => row.Name === 'A')).toHaveLength(1);
	});

	it('runs asynchronously: UploadComplete, then InProgress for at least processingMs, then JobComplete', async () => {
		const { standin, api } = await connect({ bulk: { processingMs: 60_000 } });
		const calls = bulk(api);
		const { body: job } = await calls.createIngest({ object: 'Account', operation: 'insert' });
		await calls.upload(job.id, 'Name\nSlow\n');
		await calls.close(job.id);
		const running = await calls.waitFor('ingest', job.id, ['InProgress']);
		expect(running.body.state).toBe('InProgress');
		// The records are written while the job runs; the job is still not complete.
		await new Promise((resolve) => setTimeout(resolve, 50));
		expect((await calls.info('ingest', job.id)).body.state).toBe('InProgress');
		expect((await calls.results(job.id, 'successfulResults')).status).toBe(412);
		standin.setBulkOptions({ processingMs: 0 });
		// A job already running keeps its timing: abort it instead.
		expect((await calls.abort('ingest', job.id)).body.state).toBe('Aborted');
		expect((await calls.info('ingest', job.id)).body.state).toBe('Aborted');
	});
});

describe('results', () => {
	it('answers successful and failed records with sf__ columns then the input columns, not in input order', async () => {
		const { standin, api } = await connect({ seedData: false });
		const names = ['One', 'Two', '', 'Four', 'Five', '', 'Seven'];
		const { id, info } = await bulk(api).ingest(
			{ object: 'Account', operation: 'insert' },
			`Name,Phone\n${names.map((name, index) => `${name},${index}`).join('\n')}\n`,
		);
		expect(info.body).toMatchObject({
			state: 'JobComplete',
			numberRecordsProcessed: 7,
			numberRecordsFailed: 2,
		});
		const success = await bulk(api).results(id, 'successfulResults');
		expect(success.headers.get('content-type')).toBe('text/csv; charset=UTF-8');
		const [header, ...rows] = parseCsv(success.text);
		expect(header).toEqual(['sf__Id', 'sf__Created', 'Name', 'Phone']);
		expect(rows.map((row) => row[2]).sort()).toEqual(['Five', 'Four', 'One', 'Seven', 'Two']);
		expect(rows.map((row) => row[2])).not.toEqual(['One', 'Two', 'Four', 'Five', 'Seven']);
		for (const [sfId, created, name] of rows) {
			expect(created).toBe('true');
			expect(standin.records('Account').find((row) => row.Id === sfId)?.Name).toBe(name);
		}
		const failed = csvRecords((await bulk(api).results(id, 'failedResults')).text);
		expect(failed.map((row) => row.Phone).sort()).toEqual(['2', '5']);
		expect(failed[0]).toEqual({
			sf__Id: '',
			sf__Error: 'REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --',
			Name: '',
			Phone: expect.any(String),
		});
		expect(success.text.startsWith('"sf__Id","sf__Created","Name","Phone"\n"')).toBe(true);
	});

	it('processes internal batches in input order and shuffles results within each batch', async () => {
		const { api } = await connect({ seedData: false, bulk: { batchSize: 3 } });
		const { id } = await bulk(api).ingest(
			{ object: 'Account', operation: 'insert' },
			`Name\n${[1, 2, 3, 4, 5, 6, 7].map((n) => `N${n}`).join('\n')}`,
		);
		const order = csvRecords((await bulk(api).results(id, 'successfulResults')).text).map(
			(row) => row.Name,
		);
		expect(order.slice(0, 3).sort()).toEqual(['N1', 'N2', 'N3']);
		expect(order.slice(3, 6).sort()).toEqual(['N4', 'N5', 'N6']);
		expect(order[6]).toBe('N7');
		expect(order.slice(0, 3)).not.toEqual(['N1', 'N2', 'N3']);
	});

	it('refuses results before the job finished with 412 JOB_NOT_COMPLETE', async () => {
		const { api } = await connect();
		const { body: job } = await bulk(api).createIngest({ object: 'Account', operation: 'insert' });
		const early = await bulk(api).results(job.id, 'failedResults');
		expect(early.status).toBe(412);
		expect(early.body).toEqual([
			{
				errorCode: 'JOB_NOT_COMPLETE',
				message:
					'can only download query results of successfully completed bulk job with status: JOB_COMPLETE. Current status: OPEN',
			},
		]);
	});
});

describe('CSV rules', () => {
	it('empty leaves a field unchanged, #N/A sets it to null (update by Id)', async () => {
		const { standin, api } = await connect({ seedData: false });
		const [a, b] = standin.insertRecords('Account', [
			{ Name: 'A', Phone: '111', Website: 'a.example' },
			{ Name: 'B', Phone: '222', Website: 'b.example' },
		]);
		const { info } = await bulk(api).ingest(
			{ object: 'Account', operation: 'update' },
			`Id,Phone,Website\n${a},,#N/A\n${b},333,\n`,
		);
		expect(info.body).toMatchObject({ state: 'JobComplete', numberRecordsFailed: 0 });
		const rows = Object.fromEntries(standin.records('Account').map((row) => [row.Id, row]));
		expect(rows[a]).toMatchObject({ Phone: '111', Website: null });
		expect(rows[b]).toMatchObject({ Phone: '333', Website: 'b.example' });
	});

	it('reads quoted values: doubled quotes, delimiters and line breaks inside quotes, a UTF-8 BOM, no trailing line break', async () => {
		const { standin, api } = await connect({ seedData: false });
		const csv = '\uFEFFName,Description\n"Acme, ""the"" best","line one\nline two"\nPlain,"é ü ✓"';
		const { info } = await bulk(api).ingest({ object: 'Account', operation: 'insert' }, csv);
		expect(info.body).toMatchObject({
			state: 'JobComplete',
			numberRecordsProcessed: 2,
			numberRecordsFailed: 0,
		});
		expect(standin.records('Account').map((row) => [row.Name, row.Description])).toEqual([
			['Acme, "the" best', 'line one\nline two'],
			['Plain', 'é ü ✓'],
		]);
	});

	it("honours the job's lineEnding and columnDelimiter, in the upload and in the results", async () => {
		const { standin, api } = await connect({ seedData: false });
		const { id } = await bulk(api).ingest(
			{ object: 'Account', operation: 'insert', lineEnding: 'CRLF', columnDelimiter: 'TAB' },
			'Name\tPhone\r\nTabbed\t1\r\n"Has\ttab"\t2\r\n',
		);
		expect(standin.records('Account').map((row) => row.Name)).toEqual(['Tabbed', 'Has\ttab']);
		const text = (await bulk(api).results(id, 'successfulResults')).text;
		expect(text.startsWith('"sf__Id"\t"sf__Created"\t"Name"\t"Phone"\r\n')).toBe(true);
		expect(
			csvRecords(text, '\t')
				.map((row) => row.Name)
				.sort(),
		).toEqual(['Has\ttab', 'Tabbed']);
		for (const delimiter of ['PIPE', 'SEMICOLON', 'CARET', 'BACKQUOTE']) {
			const char = { PIPE: '|', SEMICOLON: ';', CARET: '^', BACKQUOTE: '`' }[delimiter];
			const { info } = await bulk(api).ingest(
				{ object: 'Account', operation: 'insert', columnDelimiter: delimiter },
				`Name${char}Phone\n${delimiter}${char}9\n`,
			);
			expect(info.body.numberRecordsFailed).toBe(0);
		}
		expect(standin.records('Account').map((row) => row.Name)).toEqual(
			expect.arrayContaining(['PIPE', 'SEMICOLON', 'CARET', 'BACKQUOTE']),
		);
	});

	it('converts values by field type; a value its type cannot take fails that record', async () => {
		const { standin, api } = await connect({ seedData: false });
		const csv =
			'Name,Invoice_Number__c,Amount__c,Paid__c,Due_Date__c\nI1,N-1,12.345,true,2026-03-01\nI2,N-2,7,1,2026-03-02Z\nI3,N-3,12x,false,\nI4,N-4,1,maybe,\nI5,N-5,1,false,31/12/2026\n';
		const { id, info } = await bulk(api).ingest({ object: 'Invoice__c', operation: 'insert' }, csv);
		expect(info.body).toMatchObject({ numberRecordsProcessed: 5, numberRecordsFailed: 3 });
		expect(
			standin
				.records('Invoice__c')
				.map((row) => [row.Name, row.Amount__c, row.Paid__c, row.Due_Date__c]),
		).toEqual([
			['I1', 12.35, true, '2026-03-01'],
			['I2', 7, true, '2026-03-02'],
		]);
		const errors = Object.fromEntries(
			csvRecords((await bulk(api).results(id, 'failedResults')).text).map((row) => [
				row.Name,
				row.sf__Error,
			]),
		);
		expect(errors.I3).toBe(
			"INVALID_FIELD:Failed to deserialize field at col 3. Due to, '12x' is not a valid value for the type xsd:double:Amount__c --",
		);
		expect(errors.I4).toMatch(
			/^INVALID_FIELD:Failed to deserialize field at col 4\. Due to, 'maybe' is not a valid value for the type xsd:boolean:Paid__c --$/,
		);
		expect(errors.I5).toMatch(/xsd:date:Due_Date__c --$/);
	});

	it('finds parents by external id in relationship columns (Account.External_Id__c, Account__r.Invoice_Number__c)', async () => {
		const { standin, api } = await connect({ seedData: false });
		const [acme] = standin.insertRecords('Account', [
			{ Name: 'Acme', External_Id__c: 'ACME' },
			{ Name: 'Twin 1', External_Id__c: 'TWIN' },
			{ Name: 'Twin 2', External_Id__c: 'twin' },
		]);
		const { id, info } = await bulk(api).ingest(
			{ object: 'Contact', operation: 'insert' },
			'LastName,Account.External_Id__c\nKnown,acme\nUnknown,NOPE\nAmbiguous,TWIN\nNone,#N/A\n',
		);
		expect(info.body).toMatchObject({ numberRecordsProcessed: 4, numberRecordsFailed: 2 });
		expect(standin.records('Contact').map((row) => [row.LastName, row.AccountId])).toEqual([
			['Known', acme],
			['None', null],
		]);
		const failed = Object.fromEntries(
			csvRecords((await bulk(api).results(id, 'failedResults')).text).map((row) => [
				row.LastName,
				row.sf__Error,
			]),
		);
		expect(failed.Unknown).toBe(
			'INVALID_FIELD:Foreign key external ID: NOPE not found for field External_Id__c in entity Account:--',
		);
		expect(failed.Ambiguous).toMatch(
			/^INVALID_FIELD:Foreign key external ID: TWIN matched more than one record/,
		);
		const success = csvRecords((await bulk(api).results(id, 'successfulResults')).text);
		expect(Object.keys(success[0])).toEqual([
			'sf__Id',
			'sf__Created',
			'LastName',
			'Account.External_Id__c',
		]);
	});

	it('fails the whole job, writing nothing, for data Salesforce cannot read; unprocessed records are the upload as sent', async () => {
		const { standin, api } = await connect({ seedData: false });
		const failure = async (csv: string, body: Record<string, unknown> = {}) => {
			const { id, info } = await bulk(api).ingest(
				{ object: 'Account', operation: 'insert', ...body },
				csv,
			);
			expect(info.body).toMatchObject({ state: 'Failed', numberRecordsProcessed: 0 });
			expect((await bulk(api).results(id, 'unprocessedrecords')).text).toBe(csv);
			return info.body.errorMessage as string;
		};
		expect(await failure('Name\r\nA\r\n')).toBe(
			'ClientInputError : LineEnding is invalid on user data. Current LineEnding setting is LF',
		);
		expect(await failure('Name\nA\n', { lineEnding: 'CRLF' })).toBe(
			'ClientInputError : LineEnding is invalid on user data. Current LineEnding setting is CRLF',
		);
		expect(await failure('Nmae\nA\n')).toBe('InvalidBatch : Field name not found : Nmae');
		expect(await failure('Account.Name,Name\nx,A\n')).toBe(
			'InvalidBatch : Field name not found : Account.Name',
		);
		expect(await failure('Name,name\nA,B\n')).toMatch(/^InvalidBatch : Duplicate field name/);
		expect(await failure('Name,Phone\nA\n')).toMatch(
			/^ClientInputError : Row 1 has 1 values; the header has 2 columns/,
		);
		expect(await failure('Name\n"unterminated\n')).toMatch(/^ClientInputError : .*not closed/);
		expect(await failure('Name,Phone\n"A", "1"\n')).toMatch(/^ClientInputError : Row 1/);
		expect(await failure('Name\nA "quoted" word\n')).toMatch(
			/^ClientInputError : Row 1: a double quote inside a value/,
		);
		expect(await failure('')).toBe('ClientInputError : The CSV data has no header row');
		expect(standin.records('Account')).toEqual([]);
	});
});

describe('operations go through the same rules as the REST API', () => {
	it('update needs an Id per record; a missing or unknown one fails only that record', async () => {
		const { standin, api } = await connect({ seedData: false });
		const [a] = standin.insertRecords('Account', [{ Name: 'A' }]);
		const { id } = await bulk(api).ingest(
			{ object: 'Account', operation: 'update' },
			`Id,Name\n${a},A2\n,No id\n001000000000000AAA,Nobody\nnot-an-id,Bad\n`,
		);
		const failed = Object.fromEntries(
			csvRecords((await bulk(api).results(id, 'failedResults')).text).map((row) => [row.Name, row]),
		);
		expect(failed['No id'].sf__Error).toBe(
			'MISSING_ARGUMENT:Id not specified in an update call:--',
		);
		expect(failed.Nobody).toMatchObject({
			sf__Id: '001000000000000AAA',
			sf__Error: 'INVALID_CROSS_REFERENCE_KEY:invalid cross reference id:--',
		});
		expect(failed.Bad.sf__Error).toMatch(/^MALFORMED_ID:/);
		const [success] = csvRecords((await bulk(api).results(id, 'successfulResults')).text);
		expect(success).toEqual({ sf__Id: a, sf__Created: 'false', Id: a, Name: 'A2' });
		expect(standin.records('Account')[0].Name).toBe('A2');
	});

	it('upsert by external id creates or updates (sf__Created), and refuses keys repeated in a batch', async () => {
		const { standin, api } = await connect({ seedData: false });
		const [existing] = standin.insertRecords('Invoice__c', [
			{ Invoice_Number__c: 'INV-1', Amount__c: 1 },
		]);
		const { id } = await bulk(api).ingest(
			{ object: 'Invoice__c', operation: 'upsert', externalIdFieldName: 'Invoice_Number__c' },
			'Invoice_Number__c,Amount__c\ninv-1,10\nINV-2,20\nINV-3,30\nINV-3,31\n,40\n',
		);
		const success = Object.fromEntries(
			csvRecords((await bulk(api).results(id, 'successfulResults')).text).map((row) => [
				row.Invoice_Number__c,
				row,
			]),
		);
		expect(success['inv-1']).toMatchObject({ sf__Id: existing, sf__Created: 'false' });
		expect(success['INV-2']).toMatchObject({ sf__Created: 'true' });
		const failed = csvRecords((await bulk(api).results(id, 'failedResults')).text)
			.map((row) => row.sf__Error)
			.sort();
		expect(failed).toEqual([
			'DUPLICATE_EXTERNAL_ID:Duplicate external id specified: INV-3:Invoice_Number__c --',
			'DUPLICATE_EXTERNAL_ID:Duplicate external id specified: INV-3:Invoice_Number__c --',
			'MISSING_ARGUMENT:Invoice_Number__c not specified:Invoice_Number__c --',
		]);
		expect(
			standin.records('Invoice__c').map((row) => [row.Invoice_Number__c, row.Amount__c]),
		).toEqual([
			['INV-1', 10],
			['INV-2', 20],
		]);
	});

	it('validation rules, unique values and references fail their records', async () => {
		const { standin, api } = await connect({ seedData: false });
		standin.addValidationRule({
			sobject: 'Account',
			message: 'Phone must have 10 digits',
			field: 'Phone',
			errorCondition: (row) => row.Phone !== null && String(row.Phone).length !== 10,
		});
		standin.insertRecords('Invoice__c', [{ Invoice_Number__c: 'TAKEN' }]);
		const accounts = await bulk(api).ingest(
			{ object: 'Account', operation: 'insert' },
			'Name,Phone,ParentId\nGood,0123456789,\nShort,123,\nOrphan,,001000000000000AAA\n',
		);
		const accountErrors = csvRecords((await bulk(api).results(accounts.id, 'failedResults')).text)
			.map((row) => row.sf__Error.split(':')[0])
			.sort();
		expect(accountErrors).toEqual([
			'FIELD_CUSTOM_VALIDATION_EXCEPTION',
			'INVALID_CROSS_REFERENCE_KEY',
		]);
		const invoices = await bulk(api).ingest(
			{ object: 'Invoice__c', operation: 'insert' },
			'Invoice_Number__c\nTAKEN\nFREE\n',
		);
		expect(
			csvRecords((await bulk(api).results(invoices.id, 'failedResults')).text)[0].sf__Error,
		).toMatch(/^DUPLICATE_VALUE:duplicate value found: Invoice_Number__c/);
		const cannot = await bulk(api).ingest(
			{ object: 'Account', operation: 'insert' },
			'Name,CreatedDate\nX,2026-01-01T00:00:00Z\n',
		);
		expect(
			csvRecords((await bulk(api).results(cannot.id, 'failedResults')).text)[0].sf__Error,
		).toMatch(/^INVALID_FIELD_FOR_INSERT_UPDATE:/);
	});

	it('commits each internal batch as one transaction: change events say the Bulk API made them', async () => {
		const { standin, api } = await connect({ seedData: false, bulk: { batchSize: 2 } });
		await bulk(api).ingest({ object: 'Account', operation: 'insert' }, 'Name\nA\nB\nC\n');
		const headers = standin
			.retainedEvents('/data/AccountChangeEvent')
			.map((event) => event.payload.ChangeEventHeader as Record<string, any>);
		expect(headers.map((header) => header.changeType)).toEqual(['CREATE', 'CREATE', 'CREATE']);
		expect(new Set(headers.map((header) => header.changeOrigin))).toEqual(
			new Set(['com/salesforce/api/bulkapi/62.0']),
		);
		// Two batches, two transactions.
		expect(new Set(headers.map((header) => header.transactionKey)).size).toBe(2);
	});

	it('delete sends records to the Recycle Bin; hardDelete removes them for good', async () => {
		const { standin, api } = await connect({ seedData: false });
		const [a, b] = standin.insertRecords('Account', [{ Name: 'Soft' }, { Name: 'Hard' }]);
		const soft = await bulk(api).ingest(
			{ object: 'Account', operation: 'delete' },
			`Id\n${a}\n${a}\n`,
		);
		expect(soft.info.body).toMatchObject({ numberRecordsProcessed: 2, numberRecordsFailed: 1 });
		expect(csvRecords((await bulk(api).results(soft.id, 'failedResults')).text)[0].sf__Error).toBe(
			'ENTITY_IS_DELETED:entity is deleted:--',
		);
		await bulk(api).ingest({ object: 'Account', operation: 'hardDelete' }, `Id\n${b}\n`);
		expect(standin.records('Account').map((row) => [row.Name, row.IsDeleted])).toEqual([
			['Soft', true],
		]);
		expect(
			(await api.query(`SELECT Id FROM Account WHERE Id = '${b}'`.replace('query', 'queryAll')))
				.body.totalSize,
		).toBe(0);
		expect(
			(await api.get(`queryAll?q=${encodeURIComponent('SELECT Id FROM Account')}`)).body.totalSize,
		).toBe(1);
	});
});

describe('stopping and failing', () => {
	it('aborts an Open job: no more uploads, unprocessed records are all of them', async () => {
		const { api } = await connect();
		const calls = bulk(api);
		const { body: job } = await calls.createIngest({ object: 'Account', operation: 'insert' });
		await calls.upload(job.id, 'Name\nA\nB\n');
		expect((await calls.abort('ingest', job.id)).body.state).toBe('Aborted');
		expect((await calls.close(job.id)).status).toBe(409);
		expect((await calls.abort('ingest', job.id)).status).toBe(409);
		expect((await calls.results(job.id, 'unprocessedrecords')).text).toBe('"Name"\n"A"\n"B"\n');
		expect((await calls.results(job.id, 'successfulResults')).text).toBe(
			'"sf__Id","sf__Created"\n',
		);
	});

	it('a job Salesforce fails says why and what it processed; the rest are unprocessed records', async () => {
		const { standin, api } = await connect({ seedData: false });
		standin.setBulkJobFault({
			errorMessage: 'InvalidBatch : Failed to process query: UNABLE_TO_LOCK_ROW',
			afterRecords: 2,
		});
		const { id, info } = await bulk(api).ingest(
			{ object: 'Account', operation: 'insert' },
			'Name\nA\nB\nC\nD\n',
		);
		expect(info.body).toMatchObject({
			state: 'Failed',
			errorMessage: 'InvalidBatch : Failed to process query: UNABLE_TO_LOCK_ROW',
			numberRecordsProcessed: 2,
		});
		expect(
			csvRecords((await bulk(api).results(id, 'successfulResults')).text)
				.map((row) => row.Name)
				.sort(),
		).toEqual(['A', 'B']);
		expect((await bulk(api).results(id, 'unprocessedrecords')).text).toBe('"Name"\n"C"\n"D"\n');
		expect(standin.bulkJobs().find((job) => job.id === id)).toMatchObject({
			state: 'Failed',
			numberRecordsProcessed: 2,
		});
		// One job only: the next one runs normally.
		expect(
			(await bulk(api).ingest({ object: 'Account', operation: 'insert' }, 'Name\nE\n')).info.body
				.state,
		).toBe('JobComplete');
	});

	it('an upload cut part-way leaves the job Open without data, ready for another try', async () => {
		const { standin, api } = await connect();
		const calls = bulk(api);
		const { body: job } = await calls.createIngest({ object: 'Account', operation: 'insert' });
		standin.resetUploadsAfterBytes(1000, { times: 1 });
		await expect(calls.upload(job.id, `Name\n${'x'.repeat(50_000)}\n`)).rejects.toThrow();
		await new Promise((resolve) => setTimeout(resolve, 50));
		expect((await calls.info('ingest', job.id)).body.state).toBe('Open');
		expect((await calls.upload(job.id, 'Name\nRetried\n')).status).toBe(201);
	});

	it('refuses an upload over the limit and keeps the job Open', async () => {
		const { standin, api } = await connect();
		standin.setBulkOptions({ uploadBytes: 100 });
		const calls = bulk(api);
		const { body: job } = await calls.createIngest({ object: 'Account', operation: 'insert' });
		const big = await calls.upload(job.id, `Name\n${'y'.repeat(200)}\n`);
		expect(big.status).toBe(400);
		expect(big.body[0].errorCode).toBe('INVALIDBATCH');
		expect((await calls.upload(job.id, 'Name\nSmall\n')).status).toBe(201);
	});

	it('closing a job without data fails it', async () => {
		const { api } = await connect();
		const { body: job } = await bulk(api).createIngest({ object: 'Account', operation: 'insert' });
		await bulk(api).close(job.id);
		expect((await bulk(api).waitFor('ingest', job.id)).body).toMatchObject({
			state: 'Failed',
			errorMessage: expect.stringContaining('No data'),
		});
	});
});

describe('listing and deleting', () => {
	it('lists ingest jobs; deletes finished ones (not Open ones); a deleted or unknown job is NOT_FOUND', async () => {
		const { standin, api } = await connect();
		const calls = bulk(api);
		const open = await calls.createIngest({ object: 'Account', operation: 'insert' });
		const { id } = await calls.ingest({ object: 'Account', operation: 'insert' }, 'Name\nListed\n');
		await calls.createQuery({ operation: 'query', query: 'SELECT Id FROM Account' });
		const list = await api.get('jobs/ingest');
		expect(list.body).toMatchObject({ done: true, nextRecordsUrl: null });
		expect(list.body.records.map((job: any) => job.id)).toEqual([open.body.id, id]);
		expect((await api.call('DELETE', `jobs/ingest/${open.body.id}`)).status).toBe(409);
		expect((await api.call('DELETE', `jobs/ingest/${id}`)).status).toBe(204);
		expect((await calls.info('ingest', id)).status).toBe(404);
		expect((await calls.info('ingest', '750000000000000AAA')).body).toEqual([
			{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' },
		]);
		expect(standin.bulkJobs().map((job) => job.type)).toEqual(['ingest', 'query']);
		expect((await api.get(`${API}/jobs/ingest/${open.body.id}/nonsense`)).status).toBe(404);
	});
});
