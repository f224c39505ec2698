import { closeAll, connect } from './restSupport';
import { bulk, csvRecords, parseCsv } from './bulkSupport';

/**
 * Bulk API 2.0 query jobs (fact sheet §11; Bulk API 2.0 Developer Guide: Create a Query Job, Get
 * Information About a Query Job, Get Results for a Query Job, Abort and Delete a Query Job).
 */

afterEach(closeAll);

describe('create and run', () => {
	it('creates an UploadComplete job that completes on its own; job info says how many records', async () => {
		const { api } = await connect();
		const created = await bulk(api).createQuery({
			operation: 'query',
			query: 'SELECT Id, Name FROM Account',
		});
		expect(created.status).toBe(200);
		expect(created.body).toEqual({
			id: expect.stringMatching(/^750/),
			operation: 'query',
			object: 'Account',
			createdById: expect.stringMatching(/^005/),
			createdDate: expect.any(String),
			systemModstamp: expect.any(String),
			state: 'UploadComplete',
			concurrencyMode: 'Parallel',
			contentType: 'CSV',
			apiVersion: 62,
			lineEnding: 'LF',
			columnDelimiter: 'COMMA',
		});
		const done = await bulk(api).waitFor('query', created.body.id);
		expect(done.body).toMatchObject({
			state: 'JobComplete',
			jobType: 'V2Query',
			numberRecordsProcessed: 3,
			retries: 0,
		});
	});

	it("checks the SOQL when the job is created, with the REST API's errors, and refuses what Bulk queries cannot do", async () => {
		const { api } = await connect();
		const bad = await bulk(api).createQuery({
			operation: 'query',
			query: 'SELECT Nme FROM Account',
		});
		expect(bad.status).toBe(400);
		expect(bad.body[0]).toMatchObject({
			errorCode: 'INVALID_FIELD',
			message: expect.stringContaining("No such column 'Nme' on entity 'Account'"),
		});
		for (const query of [
			'SELECT COUNT() FROM Account',
			'SELECT Id FROM Account LIMIT 1 OFFSET 1',
			'SELECT VersionData FROM ContentVersion',
		]) {
			const refused = await bulk(api).createQuery({ operation: 'query', query });
			expect(refused.status).toBe(400);
			expect(refused.body[0].message).toMatch(/not supported by Bulk API 2.0 query/);
		}
		expect(
			(await bulk(api).createQuery({ operation: 'select', query: 'SELECT Id FROM Account' }))
				.status,
		).toBe(400);
		expect((await bulk(api).createQuery({ operation: 'query' })).status).toBe(400);
		expect(
			(
				await api.call('POST', '/services/data/v46.0/jobs/query', {
					operation: 'query',
					query: 'SELECT Id FROM Account',
				})
			).status,
		).toBe(404);
	});
});

describe('results', () => {
	it('writes CSV as Salesforce does: SELECT order, relationship columns, empty for null, true/false, dates, datetimes with Z', async () => {
		const { standin, api } = await connect({ seedData: false });
		const [acme] = standin.insertRecords('Account', [{ Name: 'Acme, "Inc"' }]);
		standin.insertRecords('Invoice__c', [
			{
				Name: 'Paid',
				Amount__c: 1200.5,
				Paid__c: true,
				Due_Date__c: '2026-01-31',
				Account__c: acme,
			},
			{ Name: 'Open', Paid__c: false },
		]);
		const soql =
			'SELECT Name, Amount__c, Paid__c, Due_Date__c, Account__r.Name, CreatedDate, Id FROM Invoice__c ORDER BY Name DESC';
		const { body: job } = await bulk(api).createQuery({ operation: 'query', query: soql });
		await bulk(api).waitFor('query', job.id);
		const answer = await bulk(api).queryResults(job.id);
		expect(answer.status).toBe(200);
		expect(answer.headers.get('content-type')).toBe('text/csv; charset=UTF-8');
		expect(answer.headers.get('sforce-locator')).toBe('null');
		expect(answer.headers.get('sforce-numberofrecords')).toBe('2');
		const [header, paid, open] = parseCsv(answer.text);
		expect(header).toEqual([
			'Name',
			'Amount__c',
			'Paid__c',
			'Due_Date__c',
			'Account__r.Name',
			'CreatedDate',
			'Id',
		]);
		expect(paid.slice(0, 5)).toEqual(['Paid', '1200.5', 'true', '2026-01-31', 'Acme, "Inc"']);
		expect(paid[5]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
		expect(open.slice(0, 5)).toEqual(['Open', '', 'false', '', '']);
		expect(answer.text.split('\n')[0]).toBe(
			'"Name","Amount__c","Paid__c","Due_Date__c","Account__r.Name","CreatedDate","Id"',
		);

		// The same values as the REST query gives, once typed.
		const restRows = (await api.query(soql)).body.records;
		expect(restRows[0]).toMatchObject({
			Name: paid[0],
			Amount__c: Number(paid[1]),
			Paid__c: true,
			Account__r: { Name: paid[4] },
			CreatedDate: paid[5].replace('Z', '+0000'),
			Id: paid[6],
		});
	});

	it('pages with maxRecords and Sforce-Locator (the string null after the last page); a locator can be read again', async () => {
		const { standin, api } = await connect({ seedData: false });
		standin.insertRecords(
			'Account',
			['A', 'B', 'C', 'D', 'E'].map((Name) => ({ Name })),
		);
		const { body: job } = await bulk(api).createQuery({
			operation: 'query',
			query: 'SELECT Name FROM Account ORDER BY Name',
		});
		await bulk(api).waitFor('query', job.id);
		const pages: string[][] = [];
		let locator = '';
		const locators: string[] = [];
		do {
			const answer = await bulk(api).queryResults(
				job.id,
				`?maxRecords=2${locator ? `&locator=${locator}` : ''}`,
			);
			expect(answer.status).toBe(200);
			const rows = csvRecords(answer.text).map((row) => row.Name);
			expect(answer.headers.get('sforce-numberofrecords')).toBe(String(rows.length));
			pages.push(rows);
			locator = answer.headers.get('sforce-locator') as string;
			locators.push(locator);
		} while (locator !== 'null');
		expect(pages).toEqual([['A', 'B'], ['C', 'D'], ['E']]);
		expect(locators[0]).toBe(Buffer.from('2').toString('base64').replace(/=+$/, ''));
		expect(
			csvRecords(
				(await bulk(api).queryResults(job.id, `?locator=${locators[0]}&maxRecords=2`)).text,
			).map((row) => row.Name),
		).toEqual(['C', 'D']);
		expect((await bulk(api).queryResults(job.id, '?locator=bm9wZQ')).status).toBe(400);
		expect((await bulk(api).queryResults(job.id, '?maxRecords=0')).status).toBe(400);
		standin.setBulkOptions({ queryPageRecords: 4 });
		expect((await bulk(api).queryResults(job.id)).headers.get('sforce-numberofrecords')).toBe('4');
	});

	it('answers 409 when the results are asked with another API version than the job was created with', async () => {
		const { api } = await connect();
		const { body: job } = await bulk(api).createQuery({
			operation: 'query',
			query: 'SELECT Id FROM Account',
		});
		await bulk(api).waitFor('query', job.id);
		expect((await bulk(api).queryResults(job.id, '', 'v62.0')).status).toBe(200);
		const other = await bulk(api).queryResults(job.id, '', 'v61.0');
		expect(other.status).toBe(409);
		expect(other.body[0]).toMatchObject({ message: expect.stringContaining('API version 62.0') });
	});

	it('refuses results before JobComplete with 412 JOB_NOT_COMPLETE; aborts and deletes', async () => {
		const { api } = await connect({ bulk: { processingMs: 60_000 } });
		const { body: job } = await bulk(api).createQuery({
			operation: 'query',
			query: 'SELECT Id FROM Account',
		});
		const early = await bulk(api).queryResults(job.id);
		expect(early.status).toBe(412);
		expect(early.body[0]).toMatchObject({
			errorCode: 'JOB_NOT_COMPLETE',
			message: expect.stringMatching(/Current status: (UPLOAD_COMPLETE|IN_PROGRESS)$/),
		});
		// Running (its rows already selected), still not complete.
		await bulk(api).waitFor('query', job.id, ['InProgress']);
		expect((await bulk(api).queryResults(job.id)).body[0].message).toMatch(
			/Current status: IN_PROGRESS$/,
		);
		expect((await api.call('DELETE', `jobs/query/${job.id}`)).status).toBe(409);
		expect((await bulk(api).abort('query', job.id)).body.state).toBe('Aborted');
		expect((await bulk(api).abort('query', job.id)).status).toBe(409);
		expect((await bulk(api).queryResults(job.id)).body[0].message).toMatch(
			/Current status: ABORTED$/,
		);
		expect((await api.call('DELETE', `jobs/query/${job.id}`)).status).toBe(204);
		expect((await bulk(api).info('query', job.id)).status).toBe(404);
	});

	it('queryAll also reads the Recycle Bin; a failed job says why', async () => {
		const { standin, api } = await connect({ seedData: false });
		const [gone] = standin.insertRecords('Account', [{ Name: 'Gone' }, { Name: 'Here' }]);
		await api.call('DELETE', `sobjects/Account/${gone}`);
		const counts: Record<string, number> = {};
		for (const operation of ['query', 'queryAll']) {
			const { body: job } = await bulk(api).createQuery({
				operation,
				query: 'SELECT Id, IsDeleted FROM Account',
			});
			counts[operation] = (await bulk(api).waitFor('query', job.id)).body.numberRecordsProcessed;
		}
		expect(counts).toEqual({ query: 1, queryAll: 2 });
		standin.setBulkJobFault({ errorMessage: 'InternalServerError : query timed out' });
		const { body: failing } = await bulk(api).createQuery({
			operation: 'query',
			query: 'SELECT Id FROM Account',
		});
		expect((await bulk(api).waitFor('query', failing.id)).body).toMatchObject({
			state: 'Failed',
			errorMessage: 'InternalServerError : query timed out',
		});
	});

	it("writes the job's delimiter and line ending", async () => {
		const { api } = await connect();
		const { body: job } = await bulk(api).createQuery({
			operation: 'query',
			query: 'SELECT Name FROM Account LIMIT 1',
			columnDelimiter: 'SEMICOLON',
			lineEnding: 'CRLF',
		});
		expect(job).toMatchObject({ columnDelimiter: 'SEMICOLON', lineEnding: 'CRLF' });
		await bulk(api).waitFor('query', job.id);
		expect((await bulk(api).queryResults(job.id)).text).toMatch(/^"Name"\r\n"[^"]+"\r\n$/);
	});
});
