/** Query → Run SOQL through n8n-core: pages, limits, queryAll, attributes, pairing, the session. */
import { useStandin } from '../../../support/fixtures';
import { failureOf, restRequests, runOperation } from './support';

const standin = useStandin();

function seedAccounts(count: number, sf = standin()) {
	sf.insertRecords(
		'Account',
		Array.from({ length: count }, (_, index) => ({
			Name: `Bulk ${String(index).padStart(5, '0')}`,
		})),
	);
	return sf;
}

const soql = (query: string, more: Record<string, unknown> = {}) => ({
	resource: 'query',
	operation: 'soql',
	query,
	...more,
});

describe('Query → Run SOQL', () => {
	it('Return All follows nextRecordsUrl: 4,500 records in 3 requests of 2,000, attributes removed', async () => {
		const sf = seedAccounts(4500);
		sf.resetRecords();
		const { json, output } = await runOperation(
			sf,
			soql("SELECT Id, Name FROM Account WHERE Name LIKE 'Bulk%'", { returnAll: true }),
		);
		expect(json).toHaveLength(4500);
		expect(json[0]).toEqual({ Id: expect.stringMatching(/^001\w{15}$/), Name: 'Bulk 00000' });
		expect(new Set(json.map((record) => record.Id)).size).toBe(4500);
		expect(
			output[0].every((item) => JSON.stringify(item.pairedItem) === JSON.stringify({ item: 0 })),
		).toBe(true);
		expect(restRequests(sf).filter((line) => !line.endsWith('/limits'))).toHaveLength(3);
	});

	it('a Page Size asks Salesforce for smaller pages (Sforce-Query-Options)', async () => {
		const sf = seedAccounts(700);
		sf.resetRecords();
		const { json } = await runOperation(
			sf,
			soql("SELECT Id FROM Account WHERE Name LIKE 'Bulk%'", {
				returnAll: true,
				options: { batchSize: 200 },
			}),
		);
		expect(json).toHaveLength(700);
		const queries = sf.requests.filter((request) => request.path.includes('/query'));
		expect(queries).toHaveLength(4);
		expect(queries[0].headers['sforce-query-options']).toBe('batchSize=200');
	});

	it('a limit stops reading pages once it is reached', async () => {
		const sf = seedAccounts(4500);
		sf.resetRecords();
		const { json } = await runOperation(
			sf,
			soql("SELECT Id FROM Account WHERE Name LIKE 'Bulk%'", { limit: 2100 }),
		);
		expect(json).toHaveLength(2100);
		expect(sf.requests.filter((request) => request.path.includes('/query'))).toHaveLength(2);
	});

	it('keeps attributes when asked, and Include Deleted reads the Recycle Bin (queryAll)', async () => {
		const sf = standin();
		const [id] = sf.insertRecords('Account', [{ Name: 'Soon deleted' }]);
		await runOperation(sf, {
			resource: 'record',
			operation: 'delete',
			sobject: { __rl: true, mode: 'name', value: 'Account' },
			recordId: id,
		});
		const live = await runOperation(
			sf,
			soql("SELECT Id, Name FROM Account WHERE Name = 'Soon deleted'"),
		);
		expect(live.json).toEqual([]);
		const all = await runOperation(
			sf,
			soql("SELECT Id, Name FROM Account WHERE Name = 'Soon deleted'", {
				includeDeleted: true,
				options: { includeAttributes: true },
			}),
		);
		expect(all.json).toEqual([
			{
				attributes: { type: 'Account', url: expect.stringContaining(id) },
				Id: id,
				Name: 'Soon deleted',
			},
		]);
		expect(sf.requests.some((request) => request.path.endsWith('/queryAll'))).toBe(true);
	});

	it('each input item runs its own query; its records are paired with it', async () => {
		const sf = standin();
		sf.insertRecords('Account', [{ Name: 'Pair A' }, { Name: 'Pair B' }, { Name: 'Pair B' }]);
		const { output } = await runOperation(
			sf,
			soql('={{ "SELECT Name FROM Account WHERE Name = \'" + $json.name + "\'" }}'),
			{
				items: [{ json: { name: 'Pair A' } }, { json: { name: 'Pair B' } }],
			},
		);
		expect(output[0].map((item) => [item.json.Name, item.pairedItem])).toEqual([
			['Pair A', { item: 0 }],
			['Pair B', { item: 1 }],
			['Pair B', { item: 1 }],
		]);
	});

	it('a session that dies between two pages is renewed once and paging goes on', async () => {
		const sf = seedAccounts(4500);
		const store = undefined;
		sf.resetRecords();
		sf.expireSessionsAfterRequests(1);
		const { json } = await runOperation(
			sf,
			soql("SELECT Id FROM Account WHERE Name LIKE 'Bulk%'", { returnAll: true }),
			{ store },
		);
		expect(json).toHaveLength(4500);
		expect(sf.loginCount).toBe(2);
	});

	it('a malformed query says where Salesforce stopped reading, and is not retried', async () => {
		const sf = standin();
		const error = failureOf(
			await runOperation(sf, soql('SELECT Id FROM Account WHERE'), { continueOnFail: true }),
		);
		const shown = error as { message: string; description?: string };
		expect(shown.message).toMatch(/MALFORMED_QUERY|query/i);
		expect(`${shown.message} ${shown.description}`).toMatch(/column \d+/i);
		expect(sf.requests.filter((request) => request.path.includes('/query'))).toHaveLength(1);
	});

	it('an empty query is refused naming the field, before any request', async () => {
		const sf = standin();
		const error = failureOf(await runOperation(sf, soql('  '), { continueOnFail: true }));
		expect((error as Error).message).toMatch(/^SOQL Query: is empty/);
		expect(restRequests(sf)).toEqual([]);
	});

	it('the daily API limit: a clear error saying it is not retried, one request sent', async () => {
		const sf = standin();
		sf.setApiUsage({ used: 15000, max: 15000 });
		sf.resetRecords();
		const error = failureOf(
			await runOperation(sf, soql('SELECT Id FROM Account'), { continueOnFail: true }),
		);
		const shown = error as { message: string; description?: string };
		expect(`${shown.message} ${shown.description}`).toMatch(/daily/i);
		expect(`${shown.message} ${shown.description}`).toMatch(
			/not (be )?retried|never retried|does not retry/i,
		);
		expect(restRequests(sf)).toHaveLength(1);
	});
});
