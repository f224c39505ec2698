import { API, closeAll, connect, login, rest, type QueryResult } from './restSupport';

/** query and queryAll as the fact sheet (§2) describes them, against the started stand-in. */

afterEach(closeAll);

function invoices(count: number, prefix = 'P'): Array<Record<string, unknown>> {
	return Array.from({ length: count }, (_, i) => ({
		Invoice_Number__c: `${prefix}-${String(i).padStart(5, '0')}`,
		Amount__c: i,
	}));
}

describe('query: shape', () => {
	it('answers records with attributes {type, url}, only the selected fields, totalSize and done', async () => {
		const { api } = await connect({ label: 'uat' });
		const answer = await api.query<QueryResult>('SELECT Id, Name FROM Account ORDER BY Name');
		expect(answer.status).toBe(200);
		expect(answer.headers.get('content-type')).toBe('application/json;charset=UTF-8');
		const { totalSize, done, records } = answer.body;
		expect([totalSize, done]).toEqual([3, true]);
		expect(answer.body).not.toHaveProperty('nextRecordsUrl');
		expect(records.map((record) => record.Name)).toEqual([
			'Burlington Textiles Corp of America (uat)',
			'Edge Communications (uat)',
			'Pyramid Construction Inc. (uat)',
		]);
		expect(Object.keys(records[0])).toEqual(['attributes', 'Id', 'Name']);
		expect(records[0].Id).toMatch(/^001[A-Za-z0-9]{15}$/);
		expect(records[0].attributes).toEqual({
			type: 'Account',
			url: `${API}/sobjects/Account/${records[0].Id}`,
		});
	});

	it('nests parent fields under the relationship name, with their own attributes, or null without a parent', async () => {
		const { standin, api } = await connect();
		const [orphan] = standin.insertRecords('Contact', [{ LastName: 'Orphan' }]);
		const answer = await api.query<QueryResult>(
			"SELECT Name, Account.Name, Account.Industry FROM Contact WHERE LastName IN ('Gonzalez', 'Orphan') ORDER BY LastName",
		);
		expect(answer.status).toBe(200);
		const [rose, lone] = answer.body.records;
		expect(rose.Name).toBe('Rose Gonzalez');
		expect(rose.Account).toEqual({
			attributes: {
				type: 'Account',
				url: expect.stringMatching(new RegExp(`^${API}/sobjects/Account/001`)),
			},
			Name: 'Edge Communications (demo)',
			Industry: 'Electronics',
		});
		expect(lone.attributes.url).toBe(`${API}/sobjects/Contact/${orphan}`);
		expect(lone.Account).toBeNull();

		const custom = await api.query<QueryResult>(
			"SELECT Account__r.Name FROM Invoice__c WHERE Invoice_Number__c = 'INV-0002'",
		);
		expect(custom.body.records[0].Account__r.Name).toBe(
			'Burlington Textiles Corp of America (demo)',
		);
	});

	it('answers COUNT() with totalSize and no records', async () => {
		const { api } = await connect();
		const answer = await api.query<QueryResult>(
			"SELECT COUNT() FROM Lead WHERE Company LIKE 'Abbott%'",
		);
		expect(answer.body).toEqual({ totalSize: 1, done: true, records: [] });
	});

	it('returns stored types: numbers, booleans, dates, API datetimes', async () => {
		const { api } = await connect();
		const answer = await api.query<QueryResult>(
			"SELECT Amount__c, Paid__c, Due_Date__c, CreatedDate FROM Invoice__c WHERE Invoice_Number__c = 'INV-0001'",
		);
		expect(answer.body.records[0]).toMatchObject({
			Amount__c: 1200.5,
			Paid__c: false,
			Due_Date__c: '2026-01-31',
		});
		expect(answer.body.records[0].CreatedDate).toMatch(
			/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/,
		);
	});
});

describe('query: conditions', () => {
	const count = async (api: ReturnType<typeof rest>, where: string, object = 'Invoice__c') => {
		const answer = await api.query<QueryResult>(`SELECT Id FROM ${object} WHERE ${where}`);
		expect(answer.status).toBe(200);
		return answer.body.totalSize;
	};

	it('compares each type with its own literal', async () => {
		const { standin, api } = await connect({ seedData: false });
		const [account] = standin.insertRecords('Account', [{ Name: 'Acme' }]);
		standin.insertRecords('Invoice__c', [
			{
				Invoice_Number__c: 'A-1',
				Amount__c: 10.25,
				Paid__c: true,
				Due_Date__c: '2026-01-31',
				Account__c: account,
			},
			{ Invoice_Number__c: 'A-2', Amount__c: 99, Due_Date__c: '2026-03-01' },
			{ Invoice_Number__c: 'a_3%', Amount__c: null },
		]);
		expect(await count(api, "Invoice_Number__c = 'a-1'")).toBe(1); // text compares case-insensitively
		expect(await count(api, "Invoice_Number__c != 'A-1'")).toBe(2);
		expect(await count(api, 'Amount__c = 10.25')).toBe(1);
		expect(await count(api, 'Amount__c >= 10.25')).toBe(2);
		expect(await count(api, 'Amount__c < 50')).toBe(1);
		expect(await count(api, 'Amount__c = null')).toBe(1);
		expect(await count(api, 'Amount__c != null')).toBe(2);
		expect(await count(api, 'Paid__c = true')).toBe(1);
		expect(await count(api, 'Paid__c = false')).toBe(2);
		expect(await count(api, 'Due_Date__c = 2026-01-31')).toBe(1);
		expect(await count(api, 'Due_Date__c > 2026-01-31')).toBe(1);
		expect(await count(api, 'CreatedDate > 2020-01-01T00:00:00Z')).toBe(3);
		expect(await count(api, 'CreatedDate < 2020-01-01T00:00:00Z')).toBe(0);
		expect(await count(api, `Account__c = '${account}'`)).toBe(1);
		expect(await count(api, `Account__c = '${account.slice(0, 15)}'`)).toBe(1); // 15-character ids match too
		expect(await count(api, "Account__r.Name = 'ACME'")).toBe(1);
		expect(await count(api, "Invoice_Number__c IN ('A-1', 'A-2', 'nope')")).toBe(2);
		expect(await count(api, "Invoice_Number__c NOT IN ('A-1')")).toBe(2);
		expect(await count(api, "Invoice_Number__c LIKE 'A-%'")).toBe(2);
		expect(await count(api, "Invoice_Number__c LIKE 'A_1'")).toBe(1);
		// \_ and \% are a literal underscore and percent inside LIKE.
		expect(await count(api, "Invoice_Number__c LIKE 'a\\_3\\%'")).toBe(1);
		expect(await count(api, "Invoice_Number__c LIKE 'a\\_'")).toBe(0);
		expect(
			await count(api, "(Amount__c > 50 OR Paid__c = true) AND Invoice_Number__c != 'A-2'"),
		).toBe(1);
		expect(await count(api, "NOT Invoice_Number__c = 'A-1'")).toBe(2);
	});

	it('reads \\% and \\_ in LIKE as a literal percent and underscore, % and _ as wildcards', async () => {
		const { standin, api } = await connect({ seedData: false });
		standin.insertRecords('Account', [
			{ Name: '50% off_now' },
			{ Name: '50X offYnow' },
			{ Name: '50% off_now and more' },
		]);
		const names = async (pattern: string) =>
			(
				await api.query<QueryResult>(
					`SELECT Name FROM Account WHERE Name LIKE '${pattern}' ORDER BY Name`,
				)
			).body.records.map((record) => record.Name);
		expect(await names('50\\% off\\_now')).toEqual(['50% off_now']);
		expect(await names('50_ off_now')).toEqual(['50% off_now', '50X offYnow']);
		expect(await names('50\\%%')).toEqual(['50% off_now', '50% off_now and more']);
	});

	it('orders (nulls first ascending, last descending), limits and offsets', async () => {
		const { standin, api } = await connect({ seedData: false });
		standin.insertRecords('Invoice__c', [
			{ Invoice_Number__c: 'B', Amount__c: 2 },
			{ Invoice_Number__c: 'C', Amount__c: null },
			{ Invoice_Number__c: 'A', Amount__c: 3 },
		]);
		const numbers = async (soql: string) =>
			(await api.query<QueryResult>(soql)).body.records.map((record) => record.Invoice_Number__c);
		expect(await numbers('SELECT Invoice_Number__c FROM Invoice__c ORDER BY Amount__c')).toEqual([
			'C',
			'B',
			'A',
		]);
		expect(
			await numbers('SELECT Invoice_Number__c FROM Invoice__c ORDER BY Amount__c DESC'),
		).toEqual(['A', 'B', 'C']);
		expect(
			await numbers('SELECT Invoice_Number__c FROM Invoice__c ORDER BY Amount__c ASC NULLS LAST'),
		).toEqual(['B', 'A', 'C']);
		expect(
			await numbers('SELECT Invoice_Number__c FROM Invoice__c ORDER BY Invoice_Number__c LIMIT 2'),
		).toEqual(['A', 'B']);
		expect(
			await numbers(
				'SELECT Invoice_Number__c FROM Invoice__c ORDER BY Invoice_Number__c LIMIT 1 OFFSET 1',
			),
		).toEqual(['B']);
		const limited = await api.query<QueryResult>('SELECT Id FROM Invoice__c LIMIT 2');
		expect(limited.body.totalSize).toBe(2);
	});
});

describe('query: string literals and injection', () => {
	it('decodes every documented escape', async () => {
		const { standin, api } = await connect({ seedData: false });
		const name = 'a\\b\'c"d\ne\rf\tg\bh\fi\u00e9';
		standin.insertRecords('Account', [{ Name: name }, { Name: 'other' }]);
		const answer = await api.query<QueryResult>(
			"SELECT Name FROM Account WHERE Name = 'a\\\\b\\'c\\\"d\\ne\\rf\\tg\\bh\\fi\\u00e9'",
		);
		expect(answer.status).toBe(200);
		expect(answer.body.records.map((record) => record.Name)).toEqual([name]);
	});

	it('keeps an escaped hostile value a literal; the same value unescaped changes the query', async () => {
		const { standin, api } = await connect({ seedData: false });
		standin.insertRecords('Account', [
			{ Name: 'alpha' },
			{ Name: 'beta' },
			{ Name: "x' OR Name != '" },
		]);
		const hostile = "x' OR Name != '";
		const escaped = hostile.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
		const safe = await api.query<QueryResult>(`SELECT Name FROM Account WHERE Name = '${escaped}'`);
		expect(safe.status).toBe(200);
		expect(safe.body.records.map((record) => record.Name)).toEqual([hostile]);

		const injected = await api.query<QueryResult>(
			`SELECT Name FROM Account WHERE Name = '${hostile}'`,
		);
		expect(injected.status).toBe(200);
		expect(injected.body.totalSize).toBe(3);
	});

	it("refuses SQL's doubled quote and unknown backslash escapes with MALFORMED_QUERY", async () => {
		const { api } = await connect();
		const doubled = await api.query("SELECT Id FROM Account WHERE Name = 'O''Brien'");
		expect(doubled.status).toBe(400);
		expect(doubled.body[0].errorCode).toBe('MALFORMED_QUERY');

		const backslash = await api.query("SELECT Id FROM Account WHERE Name = 'a\\qb'");
		expect(backslash.status).toBe(400);
		expect(backslash.body).toEqual([
			{
				errorCode: 'MALFORMED_QUERY',
				message:
					"\nSELECT Id FROM Account WHERE Name = 'a\\qb'\n                                    ^\nERROR at Row:1:Column:37\nInvalid string literal 'a\\qb'. Illegal character sequence '\\q' in string literal.",
			},
		]);
		const shortUnicode = await api.query("SELECT Id FROM Account WHERE Name = '\\u12'");
		expect(shortUnicode.body[0].errorCode).toBe('MALFORMED_QUERY');
	});
});

describe('query: errors', () => {
	it('answers an unknown column with INVALID_FIELD and its position', async () => {
		const { api } = await connect();
		const answer = await api.query('SELECT Nme FROM Account');
		expect(answer.status).toBe(400);
		expect(answer.body).toHaveLength(1);
		expect(answer.body[0].errorCode).toBe('INVALID_FIELD');
		expect(answer.body[0].message).toMatch(
			/^\nSELECT Nme FROM Account\n {7}\^\nERROR at Row:1:Column:8\nNo such column 'Nme' on entity 'Account'\. If you are attempting to use a custom field, be sure to append the '__c'/,
		);
	});

	it('answers an unexpected token with MALFORMED_QUERY, row and column', async () => {
		const { api } = await connect();
		const bogus = await api.query('bogus');
		expect(bogus.body).toEqual([
			{
				errorCode: 'MALFORMED_QUERY',
				message: "\nbogus\n^\nERROR at Row:1:Column:1\nunexpected token: 'bogus'",
			},
		]);
		const second = await api.query('SELECT Id\nFROM Account WHERE');
		expect(second.body[0].message).toBe(
			"\nFROM Account WHERE\n                  ^\nERROR at Row:2:Column:19\nunexpected token: '<EOF>'",
		);
		const mixed = await api.query(
			"SELECT Id FROM Account WHERE Name = 'a' AND Name = 'b' OR Name = 'c'",
		);
		expect(mixed.body[0]).toMatchObject({
			errorCode: 'MALFORMED_QUERY',
			message: expect.stringMatching(/unexpected token: 'OR'$/),
		});
	});

	it('answers an unknown object with INVALID_TYPE', async () => {
		const { api } = await connect();
		const answer = await api.query('SELECT Id FROM Invoice');
		expect(answer.status).toBe(400);
		expect(answer.body[0].errorCode).toBe('INVALID_TYPE');
		expect(answer.body[0].message).toMatch(
			/ERROR at Row:1:Column:16\nsObject type 'Invoice' is not supported\. If you are attempting to use a custom object, be sure to append the '__c'/,
		);
	});

	it('answers a value of the wrong kind the way Salesforce words it', async () => {
		const { api } = await connect();
		const unquoted = await api.query('SELECT Id FROM Account WHERE Name = Acme');
		expect(unquoted.status).toBe(400);
		expect(unquoted.body[0].message).toMatch(
			/Column:30\nvalue of filter criterion for field 'Name' must be of type string and should be enclosed in quotes$/,
		);
		const number = await api.query('SELECT Id FROM Account WHERE Name = 42');
		expect(number.body[0].message).toMatch(
			/must be of type string and should be enclosed in quotes$/,
		);
		const quoted = await api.query("SELECT Id FROM Invoice__c WHERE Amount__c = '5'");
		expect(quoted.body[0].message).toMatch(
			/value of filter criterion for field 'Amount__c' must be of type double and should not be enclosed in quotes$/,
		);
		const badId = await api.query("SELECT Id FROM Account WHERE Id = 'nope'");
		expect(badId.body[0]).toMatchObject({
			errorCode: 'INVALID_QUERY_FILTER_OPERATOR',
			message: expect.stringMatching(/invalid ID field: nope$/),
		});
		const relationship = await api.query('SELECT Acount.Name FROM Contact');
		expect(relationship.body[0]).toMatchObject({
			errorCode: 'INVALID_FIELD',
			message: expect.stringMatching(/Didn't understand relationship 'Acount'/),
		});
	});

	it('answers a missing q with MALFORMED_QUERY', async () => {
		const { api } = await connect();
		const answer = await api.get('query');
		expect(answer.status).toBe(400);
		expect(answer.body[0].errorCode).toBe('MALFORMED_QUERY');
	});
});

describe('query: paging', () => {
	it('pages 2,000 at a time by default; nextRecordsUrl is /services/data/vXX.X/query/<locator>-<offset>', async () => {
		const { standin, api } = await connect({ seedData: false });
		standin.insertRecords('Invoice__c', invoices(4500));
		const first = await api.query<QueryResult>('SELECT Invoice_Number__c FROM Invoice__c');
		expect(first.body).toMatchObject({ totalSize: 4500, done: false });
		expect(first.body.records).toHaveLength(2000);
		expect(first.body.nextRecordsUrl).toMatch(
			/^\/services\/data\/v62\.0\/query\/01g[A-Za-z0-9]{15}-2000$/,
		);
		const second = await api.get<QueryResult>(first.body.nextRecordsUrl as string);
		expect(second.body.records).toHaveLength(2000);
		expect(second.body.nextRecordsUrl).toMatch(/-4000$/);
		const third = await api.get<QueryResult>(second.body.nextRecordsUrl as string);
		expect(third.body).toMatchObject({ totalSize: 4500, done: true });
		expect(third.body).not.toHaveProperty('nextRecordsUrl');
		const all = [...first.body.records, ...second.body.records, ...third.body.records].map(
			(record) => record.Invoice_Number__c,
		);
		expect(new Set(all).size).toBe(4500);
		expect(all[2000]).toBe('P-02000');
	});

	it('honours Sforce-Query-Options: batchSize, clamped to 200..2,000', async () => {
		const { standin, api } = await connect({ seedData: false });
		standin.insertRecords('Invoice__c', invoices(700));
		const sizes = async (header: string) =>
			(
				await api.query<QueryResult>('SELECT Id FROM Invoice__c', {
					'Sforce-Query-Options': header,
				})
			).body.records.length;
		expect(await sizes('batchSize=500')).toBe(500);
		expect(await sizes('batchSize=10')).toBe(200);
		expect(await sizes('batchSize=5000')).toBe(700);
	});

	it('keeps the cursor valid for a new session of the same user after the first one died mid-paging', async () => {
		const { standin, api } = await connect({ seedData: false });
		standin.insertRecords('Invoice__c', invoices(450));
		standin.expireSessionsAfterRequests(1);
		const first = await api.query<QueryResult>('SELECT Invoice_Number__c FROM Invoice__c', {
			'Sforce-Query-Options': 'batchSize=200',
		});
		expect(first.status).toBe(200);
		const next = first.body.nextRecordsUrl as string;

		const dead = await api.get(next);
		expect(dead.status).toBe(401);
		expect(dead.body).toEqual([
			{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' },
		]);

		const renewed = rest(standin, await login(standin));
		const second = await renewed.get<QueryResult>(next);
		expect(second.status).toBe(200);
		expect(second.body.records[0].Invoice_Number__c).toBe('P-00200');
		const third = await renewed.get<QueryResult>(second.body.nextRecordsUrl as string);
		expect(third.body).toMatchObject({ done: true, totalSize: 450 });
		expect(third.body.records).toHaveLength(50);
	});

	it("refuses another user's, an unknown and an expired locator with INVALID_QUERY_LOCATOR", async () => {
		const { standin, api } = await connect({ seedData: false });
		standin.users.push({ username: 'other@standin.example', password: 'Other-Pw#1' });
		standin.insertRecords('Invoice__c', invoices(300));
		const first = await api.query<QueryResult>('SELECT Id FROM Invoice__c', {
			'Sforce-Query-Options': 'batchSize=200',
		});
		const next = first.body.nextRecordsUrl as string;

		const other = rest(standin, await login(standin, 'other@standin.example', 'Other-Pw#1'));
		const foreign = await other.get(next);
		expect(foreign.status).toBe(400);
		expect(foreign.body[0].errorCode).toBe('INVALID_QUERY_LOCATOR');

		const unknown = await api.get(`${API}/query/01gXX0000000000AAA-200`);
		expect(unknown.body[0].errorCode).toBe('INVALID_QUERY_LOCATOR');

		expect((await api.get(next)).status).toBe(200);
		standin.expireQueryLocators();
		const expired = await api.get(next);
		expect(expired.status).toBe(400);
		expect(expired.body).toEqual([
			{ errorCode: 'INVALID_QUERY_LOCATOR', message: 'invalid query locator' },
		]);
	});
});

describe('queryAll', () => {
	it('includes rows in the Recycle Bin (IsDeleted true); query does not', async () => {
		const { standin, api } = await connect();
		const [id] = standin.insertRecords('Lead', [{ LastName: 'Gone', Company: 'Bin Ltd' }]);
		expect((await api.call('DELETE', `sobjects/Lead/${id}`)).status).toBe(204);

		const soql = "SELECT Id, IsDeleted FROM Lead WHERE Company = 'Bin Ltd'";
		const live = await api.query<QueryResult>(soql);
		expect(live.body.totalSize).toBe(0);
		const all = await api.get<QueryResult>(`queryAll?q=${encodeURIComponent(soql)}`);
		expect(all.status).toBe(200);
		expect(all.body.records).toEqual([
			{ attributes: { type: 'Lead', url: `${API}/sobjects/Lead/${id}` }, Id: id, IsDeleted: true },
		]);
		const bin = await api.get<QueryResult>(
			`queryAll?q=${encodeURIComponent('SELECT Id FROM Lead WHERE IsDeleted = true')}`,
		);
		expect(bin.body.totalSize).toBe(1);
		expect(standin.records('Lead').find((row) => row.Id === id)?.IsDeleted).toBe(true);
	});

	it('pages with a nextRecordsUrl that still says /query/', async () => {
		const { standin, api } = await connect({ seedData: false });
		standin.insertRecords('Invoice__c', invoices(250));
		const first = await api.get<QueryResult>(
			`queryAll?q=${encodeURIComponent('SELECT Id FROM Invoice__c')}`,
			{ 'Sforce-Query-Options': 'batchSize=200' },
		);
		expect(first.body.nextRecordsUrl).toMatch(/^\/services\/data\/v62\.0\/query\/.+-200$/);
		expect(
			(await api.get<QueryResult>(first.body.nextRecordsUrl as string)).body.records,
		).toHaveLength(50);
	});
});
