import { API, closeAll, connect, setOrgTime, type Rest } from './restSupport';

/**
 * POST composite (REST API Developer Guide, "Send Multiple Requests Using Composite"): subrequests
 * in order through the stand-in's own routes, `@{ref.path}` references, 25 subrequests of which 5
 * queries/collections, allOrNone rollback, ONE API request for the lot.
 */

afterEach(closeAll);

interface SubrequestResult {
	body: any;
	httpHeaders: Record<string, string>;
	httpStatusCode: number;
	referenceId: string | null;
}

async function composite(
	api: Rest,
	compositeRequest: unknown[],
	allOrNone = false,
): Promise<SubrequestResult[]> {
	const answer = await api.call<{ compositeResponse: SubrequestResult[] }>('POST', 'composite', {
		allOrNone,
		compositeRequest,
	});
	expect(answer.status).toBe(200);
	return answer.body.compositeResponse;
}

const soql = (text: string) => `${API}/query/?q=${encodeURIComponent(text)}`;
const HALTED =
	'The transaction was rolled back since another operation in the same transaction failed.';

describe('POST composite', () => {
	it('runs getUpdated and a query in one request, counted as ONE API request', async () => {
		const { standin, api } = await connect({ seedData: false });
		setOrgTime(standin, '2026-12-04T10:00:07.000Z');
		const [id] = standin.insertRecords('Account', [{ Name: 'Polled' }]);
		setOrgTime(standin, '2026-12-04T10:10:00.000Z');
		standin.resetRecords();
		const results = await composite(api, [
			{
				method: 'GET',
				url: `${API}/sobjects/Account/updated/?start=2026-12-04T10%3A00%3A00%2B00%3A00&end=2026-12-04T10%3A09%3A00%2B00%3A00`,
				referenceId: 'changes',
			},
			{
				method: 'GET',
				url: soql(
					'SELECT Id, Name, SystemModstamp FROM Account WHERE SystemModstamp >= 2026-12-04T10:00:00Z ORDER BY SystemModstamp, Id',
				),
				referenceId: 'rows',
			},
		]);
		expect(standin.apiRequestCount).toBe(1);
		expect(results).toEqual([
			{
				body: { ids: [id], latestDateCovered: '2026-12-04T10:09:00.000+0000' },
				httpHeaders: {},
				httpStatusCode: 200,
				referenceId: 'changes',
			},
			{
				body: {
					totalSize: 1,
					done: true,
					records: [
						{
							attributes: { type: 'Account', url: `${API}/sobjects/Account/${id}` },
							Id: id,
							Name: 'Polled',
							SystemModstamp: '2026-12-04T10:00:07.000+0000',
						},
					],
				},
				httpHeaders: {},
				httpStatusCode: 200,
				referenceId: 'rows',
			},
		]);
		expect(standin.requests.map((request) => request.path)).toEqual([`${API}/composite`]);
	});

	it('resolves @{ref.path} references into earlier answers, in urls and bodies', async () => {
		const { standin, api } = await connect({ seedData: false });
		standin.insertRecords('Account', [{ Name: 'Found by query', Phone: '555' }]);
		const results = await composite(api, [
			{
				method: 'POST',
				url: `${API}/sobjects/Account`,
				referenceId: 'newAccount',
				body: { Name: 'Parent' },
			},
			{
				method: 'POST',
				url: `${API}/sobjects/Contact`,
				referenceId: 'newContact',
				body: { LastName: 'Child of @{newAccount.id}', AccountId: '@{newAccount.id}' },
			},
			{
				method: 'GET',
				url: soql("SELECT Id, Phone FROM Account WHERE Name = 'Found by query'"),
				referenceId: 'found',
			},
			{
				method: 'PATCH',
				url: `${API}/sobjects/Account/@{found.records[0].Id}`,
				referenceId: 'renamed',
				body: { Name: 'Renamed, phone @{found.records[0].Phone}' },
			},
		]);
		expect(results.map((result) => [result.referenceId, result.httpStatusCode])).toEqual([
			['newAccount', 201],
			['newContact', 201],
			['found', 200],
			['renamed', 204],
		]);
		const parent = results[0].body.id as string;
		expect(results[0].httpHeaders).toEqual({ Location: `${API}/sobjects/Account/${parent}` });
		expect(results[3].body).toBeNull();
		expect(standin.records('Contact')[0]).toMatchObject({
			AccountId: parent,
			LastName: `Child of ${parent}`,
		});
		expect(standin.records('Account').map((row) => row.Name)).toContain('Renamed, phone 555');
	});

	it('a latestDateCovered referenced into SOQL is the +0000 form, which SOQL refuses', async () => {
		const { standin, api } = await connect({ seedData: false });
		setOrgTime(standin, '2026-12-04T10:10:00.000Z');
		const results = await composite(api, [
			{
				method: 'GET',
				url: `${API}/sobjects/Account/updated/?start=2026-12-04T10%3A00%3A00Z&end=2026-12-04T10%3A09%3A00Z`,
				referenceId: 'changes',
			},
			// The reference stays unencoded in the url (percent-encoded, `%40%7B…` is no reference).
			{
				method: 'GET',
				url: `${soql('SELECT Id FROM Account WHERE SystemModstamp > ')}@{changes.latestDateCovered}`,
				referenceId: 'rows',
			},
		]);
		expect(results[1].httpStatusCode).toBe(400);
		expect(results[1].body[0]).toMatchObject({
			errorCode: 'MALFORMED_QUERY',
			message: expect.stringContaining("unexpected token: '2026-12-04T10:09:00.000"),
		});
	});

	it('allOrNone true: the first failure stops the request, rolls back every write, and every other result is PROCESSING_HALTED', async () => {
		const { standin, api } = await connect({ seedData: false });
		const results = await composite(
			api,
			[
				{
					method: 'POST',
					url: `${API}/sobjects/Account`,
					referenceId: 'good',
					body: { Name: 'Rolled back' },
				},
				{
					method: 'POST',
					url: `${API}/composite/sobjects`,
					referenceId: 'collection',
					body: { records: [{ attributes: { type: 'Account' }, Name: 'Also rolled back' }] },
				},
				{
					method: 'POST',
					url: `${API}/sobjects/Contact`,
					referenceId: 'bad',
					body: { FirstName: 'No last name' },
				},
				{
					method: 'POST',
					url: `${API}/sobjects/Account`,
					referenceId: 'never',
					body: { Name: 'Never run' },
				},
			],
			true,
		);
		expect(results.map((result) => [result.referenceId, result.httpStatusCode])).toEqual([
			['good', 400],
			['collection', 400],
			['bad', 400],
			['never', 400],
		]);
		expect(results[2].body).toEqual([
			{
				errorCode: 'REQUIRED_FIELD_MISSING',
				message: 'Required fields are missing: [LastName]',
				fields: ['LastName'],
			},
		]);
		for (const index of [0, 1, 3])
			expect(results[index].body).toEqual([{ errorCode: 'PROCESSING_HALTED', message: HALTED }]);
		expect(standin.records('Account')).toEqual([]);
	});

	it('allOrNone false: the others run and stay written; those depending on a failed one are not executed', async () => {
		const { standin, api } = await connect({ seedData: false });
		const results = await composite(api, [
			{
				method: 'POST',
				url: `${API}/sobjects/Account`,
				referenceId: 'bad',
				body: { Phone: 'no name' },
			},
			{
				method: 'POST',
				url: `${API}/sobjects/Contact`,
				referenceId: 'dependent',
				body: { LastName: 'Orphan', AccountId: '@{bad.id}' },
			},
			{
				method: 'POST',
				url: `${API}/sobjects/Account`,
				referenceId: 'independent',
				body: { Name: 'Kept' },
			},
			{
				method: 'GET',
				url: `${API}/sobjects/Account/@{nobody.id}`,
				referenceId: 'unknownReference',
			},
		]);
		expect(results.map((result) => [result.referenceId, result.httpStatusCode])).toEqual([
			['bad', 400],
			['dependent', 400],
			['independent', 201],
			['unknownReference', 400],
		]);
		expect(results[1].body[0].errorCode).toBe('PROCESSING_HALTED');
		expect(results[3].body[0]).toMatchObject({
			errorCode: 'PROCESSING_HALTED',
			message: expect.stringContaining('nobody.id'),
		});
		expect(standin.records('Account').map((row) => row.Name)).toEqual(['Kept']);
		expect(standin.records('Contact')).toEqual([]);
	});

	it('refuses more than 25 subrequests, or more than 5 queries and collections, before running any', async () => {
		const { standin, api } = await connect({ seedData: false });
		const create = (i: number) => ({
			method: 'POST',
			url: `${API}/sobjects/Account`,
			referenceId: `a${i}`,
			body: { Name: `A${i}` },
		});
		const tooMany = await composite(
			api,
			Array.from({ length: 26 }, (_, i) => create(i)),
		);
		expect(tooMany).toEqual([
			{
				body: [
					{
						errorCode: 'LIMIT_EXCEEDED',
						message: 'The request can’t contain more than 25 operations.',
					},
				],
				httpHeaders: {},
				httpStatusCode: 400,
				referenceId: null,
			},
		]);
		expect(
			(
				await composite(
					api,
					Array.from({ length: 25 }, (_, i) => create(i)),
				)
			).every((result) => result.httpStatusCode === 201),
		).toBe(true);

		const query = (i: number) => ({
			method: 'GET',
			url: soql('SELECT Id FROM Account LIMIT 1'),
			referenceId: `q${i}`,
		});
		const collection = {
			method: 'GET',
			url: `${API}/composite/sobjects/Account?ids=001000000000000AAA&fields=Id`,
			referenceId: 'c',
		};
		const queryAll = {
			method: 'GET',
			url: `${API}/queryAll/?q=${encodeURIComponent('SELECT Id FROM Account')}`,
			referenceId: 'all',
		};
		const six = await composite(api, [
			query(1),
			query(2),
			query(3),
			queryAll,
			collection,
			query(4),
			create(99),
		]);
		expect(six).toHaveLength(1);
		expect(six[0].body[0].errorCode).toBe('LIMIT_EXCEEDED');
		expect(standin.records('Account').some((row) => row.Name === 'A99')).toBe(false);
		expect(
			(await composite(api, [query(1), query(2), query(3), queryAll, collection, create(99)])).map(
				(result) => result.httpStatusCode,
			),
		).toEqual([200, 200, 200, 200, 200, 201]);
	});

	it('serves sObject resources, query, queryAll and sObject Collections only: limits answers NOT_FOUND in its result', async () => {
		const { api } = await connect();
		const results = await composite(api, [
			{ method: 'GET', url: `${API}/sobjects/Account/describe`, referenceId: 'describe' },
			{ method: 'GET', url: `${API}/sobjects`, referenceId: 'global' },
			{ method: 'GET', url: `${API}/limits`, referenceId: 'limits' },
			{ method: 'GET', url: '/services/data/v99.0/sobjects', referenceId: 'badVersion' },
		]);
		expect(results.map((result) => result.httpStatusCode)).toEqual([200, 200, 404, 404]);
		expect(results[0].body.name).toBe('Account');
		expect(results[0].httpHeaders).toEqual({ 'Last-Modified': expect.any(String) });
		expect(results[2].body).toEqual([
			{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' },
		]);
	});

	it('passes a subrequest its httpHeaders (Sforce-Query-Options), but never Authorization, Accept or Content-Type', async () => {
		const { standin, api } = await connect({ seedData: false });
		standin.insertRecords(
			'Account',
			Array.from({ length: 250 }, (_, i) => ({ Name: `P${i}` })),
		);
		const [paged] = await composite(api, [
			{
				method: 'GET',
				url: soql('SELECT Id FROM Account'),
				referenceId: 'paged',
				httpHeaders: { 'Sforce-Query-Options': 'batchSize=200' },
			},
		]);
		expect(paged.body.records).toHaveLength(200);
		expect(paged.body.nextRecordsUrl).toMatch(/-200$/);
		const [next] = await composite(api, [
			{ method: 'GET', url: paged.body.nextRecordsUrl, referenceId: 'next' },
		]);
		expect(next.body.records).toHaveLength(50);

		const refused = await api.call('POST', 'composite', {
			compositeRequest: [
				{
					method: 'GET',
					url: `${API}/sobjects`,
					referenceId: 'x',
					httpHeaders: { Authorization: 'Bearer other' },
				},
			],
		});
		expect(refused.status).toBe(400);
		expect(refused.body[0].errorCode).toBe('INVALID_API_INPUT');
	});

	it('refuses a malformed body whole with 400', async () => {
		const { api } = await connect();
		for (const body of [
			{},
			{ compositeRequest: [{ method: 'GET', referenceId: 'no url' }] },
			{ compositeRequest: [{ method: 'get', url: `${API}/sobjects`, referenceId: 'x' }] },
			{
				compositeRequest: [
					{ method: 'GET', url: `${API}/sobjects`, referenceId: 'x' },
					{ method: 'GET', url: `${API}/sobjects`, referenceId: 'x' },
				],
			},
		]) {
			const answer = await api.call('POST', 'composite', body);
			expect(answer.status).toBe(400);
			expect(answer.body[0].errorCode).toBe('JSON_PARSER_ERROR');
		}
		expect((await api.get('composite')).status).toBe(405);
	});

	it('lets injected REST faults meet a subrequest by its own path', async () => {
		const { standin, api } = await connect();
		standin.setRestFault({ kind: 'server-unavailable' }, { path: /\/query/, times: 1 });
		const results = await composite(api, [
			{ method: 'GET', url: soql('SELECT Id FROM Account'), referenceId: 'rows' },
			{ method: 'GET', url: `${API}/sobjects/Account/describe`, referenceId: 'describe' },
		]);
		expect(results.map((result) => result.httpStatusCode)).toEqual([503, 200]);
		expect(results[0].body[0].errorCode).toBe('SERVER_UNAVAILABLE');
	});
});
