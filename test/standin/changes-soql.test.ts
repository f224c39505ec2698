import { closeAll, connect, setOrgTime, type QueryResult, type Rest } from './restSupport';

/**
 * SOQL on time (SOQL and SOSL Reference, "Date Formats and Date Literals"; fact sheet §9):
 * datetime literals `…Z`, `…+hh:mm`, `…-hh:mm` (milliseconds too), never the `+0000` form the API
 * writes; comparisons on datetime fields; ORDER BY several fields; paging that keeps one order.
 */

afterEach(closeAll);

async function names(api: Rest, soql: string): Promise<string[]> {
	const answer = await api.query<QueryResult>(soql);
	expect(answer.status).toBe(200);
	return answer.body.records.map((record) => record.Name);
}

/** Three accounts at 10:00:00, 10:00:07 (two of them) and 10:05:00. */
async function timeline(): Promise<{ api: Rest; ids: Record<string, string> }> {
	const { standin, api } = await connect({ seedData: false });
	const ids: Record<string, string> = {};
	for (const [at, batch] of [
		['2026-12-04T10:00:00.000Z', ['A']],
		['2026-12-04T10:00:07.000Z', ['B1', 'B2']],
		['2026-12-04T10:05:00.000Z', ['C']],
	] as const) {
		setOrgTime(standin, at);
		standin
			.insertRecords(
				'Account',
				batch.map((Name) => ({ Name })),
			)
			.forEach((id, i) => (ids[batch[i]] = id));
	}
	return { api, ids };
}

describe('SOQL datetime literals', () => {
	it.each([
		['UTC with Z', '2026-12-04T10:00:07Z'],
		['an offset ahead', '2026-12-04T11:00:07+01:00'],
		['an offset behind', '2026-12-04T05:00:07-05:00'],
		['milliseconds', '2026-12-04T10:00:07.000Z'],
		['milliseconds and an offset', '2026-12-04T10:30:07.000+00:30'],
	])('reads %s as the same instant', async (_name, literal) => {
		const { api } = await timeline();
		expect(
			await names(api, `SELECT Name FROM Account WHERE SystemModstamp = ${literal} ORDER BY Name`),
		).toEqual(['B1', 'B2']);
	});

	it('keeps milliseconds in comparisons: 10:00:07.500 is after every row of 10:00:07', async () => {
		const { api } = await timeline();
		expect(
			await names(
				api,
				'SELECT Name FROM Account WHERE CreatedDate >= 2026-12-04T10:00:07.500Z ORDER BY Name',
			),
		).toEqual(['C']);
		expect(
			await names(
				api,
				'SELECT Name FROM Account WHERE CreatedDate < 2026-12-04T10:00:07.5Z ORDER BY Name',
			),
		).toEqual(['A', 'B1', 'B2']);
	});

	it.each([
		['the +0000 form the API writes in its answers', '2026-12-04T10:00:07.000+0000'],
		['an offset without a colon', '2026-12-04T10:00:07+0100'],
		['no zone', '2026-12-04T10:00:07'],
		['no seconds', '2026-12-04T10:00Z'],
		['an hour out of range', '2026-12-04T24:00:07Z'],
	])('refuses %s with MALFORMED_QUERY at the literal', async (_name, literal) => {
		const { api } = await timeline();
		const soql = `SELECT Name FROM Account WHERE SystemModstamp > ${literal}`;
		const answer = await api.query(soql);
		expect(answer.status).toBe(400);
		expect(answer.body).toHaveLength(1);
		expect(answer.body[0].errorCode).toBe('MALFORMED_QUERY');
		expect(answer.body[0].message).toContain(
			`ERROR at Row:1:Column:${soql.indexOf(literal) + 1}\n`,
		);
	});

	it('refuses a quoted datetime, or a date against a datetime field, as Salesforce words it', async () => {
		const { api } = await timeline();
		const quoted = await api.query(
			"SELECT Name FROM Account WHERE SystemModstamp > '2026-12-04T10:00:07Z'",
		);
		expect(quoted.body[0].message).toMatch(
			/value of filter criterion for field 'SystemModstamp' must be of type dateTime and should not be enclosed in quotes$/,
		);
		const dateOnly = await api.query('SELECT Name FROM Account WHERE SystemModstamp > 2026-12-04');
		expect(dateOnly.body[0].errorCode).toBe('INVALID_FIELD');
	});
});

describe('SOQL comparisons and order on datetime fields', () => {
	it.each([
		['=', ['B1', 'B2']],
		['!=', ['A', 'C']],
		['<', ['A']],
		['<=', ['A', 'B1', 'B2']],
		['>', ['C']],
		['>=', ['B1', 'B2', 'C']],
	])('SystemModstamp %s 10:00:07', async (operator, expected) => {
		const { api } = await timeline();
		expect(
			await names(
				api,
				`SELECT Name FROM Account WHERE SystemModstamp ${operator} 2026-12-04T10:00:07Z ORDER BY Name`,
			),
		).toEqual(expected);
	});

	it('orders by several fields, each ASC or DESC: SystemModstamp DESC, Id ASC breaks ties by Id', async () => {
		const { api, ids } = await timeline();
		const [first, second] = [ids.B1, ids.B2].sort();
		const byName = Object.fromEntries(Object.entries(ids).map(([name, id]) => [id, name]));
		const answer = await api.query<QueryResult>(
			'SELECT Id FROM Account ORDER BY SystemModstamp DESC, Id ASC',
		);
		expect(answer.body.records.map((record) => byName[record.Id])).toEqual([
			'C',
			byName[first],
			byName[second],
			'A',
		]);
		const reversed = await api.query<QueryResult>(
			'SELECT Id FROM Account ORDER BY SystemModstamp ASC, Id DESC',
		);
		expect(reversed.body.records.map((record) => byName[record.Id])).toEqual([
			'A',
			byName[second],
			byName[first],
			'C',
		]);
	});

	it('compares Ids for a (SystemModstamp, Id) keyset', async () => {
		const { api, ids } = await timeline();
		const [first, second] = [ids.B1, ids.B2].sort();
		const next = await api.query<QueryResult>(
			`SELECT Id FROM Account WHERE (SystemModstamp = 2026-12-04T10:00:07Z AND Id > '${first}') OR SystemModstamp > 2026-12-04T10:00:07Z ORDER BY SystemModstamp, Id`,
		);
		expect(next.body.records.map((record) => record.Id)).toEqual([second, ids.C]);
	});
});

describe('paging over ordered results', () => {
	it('splits 2,500 rows of one second across pages in one order, each row once, the same on every run', async () => {
		const { standin, api } = await connect({ seedData: false });
		setOrgTime(standin, '2026-12-04T10:00:07.000Z');
		const ids = standin.insertRecords(
			'Account',
			Array.from({ length: 2500 }, (_, i) => ({ Name: `Burst ${i}` })),
		);
		setOrgTime(standin, '2026-12-04T10:00:08.000Z');
		const [after] = standin.insertRecords('Account', [{ Name: 'After' }]);
		const soql =
			'SELECT Id, SystemModstamp FROM Account WHERE SystemModstamp >= 2026-12-04T10:00:07Z ORDER BY SystemModstamp, Id';

		const read = async (): Promise<string[]> => {
			const seen: string[] = [];
			let page = await api.query<QueryResult>(soql);
			expect(page.body.totalSize).toBe(2501);
			seen.push(...page.body.records.map((record) => record.Id));
			while (page.body.nextRecordsUrl) {
				page = await api.get<QueryResult>(page.body.nextRecordsUrl);
				seen.push(...page.body.records.map((record) => record.Id));
			}
			return seen;
		};
		const first = await read();
		expect(first).toEqual([...[...ids].sort(), after]);
		expect(await read()).toEqual(first);
		// Rows changed while a cursor is open do not reshuffle its later pages.
		const page = await api.query<QueryResult>(soql);
		standin.updateRecords('Account', [
			{ Id: first[1999], Name: 'Moved' },
			{ Id: first[2000], Name: 'Moved too' },
		]);
		const rest = await api.get<QueryResult>(page.body.nextRecordsUrl as string);
		expect([...page.body.records, ...rest.body.records].map((record) => record.Id)).toEqual(first);
	});
});

describe("SOQL date literals (day and month ones), counted from the org's clock in GMT", () => {
	async function calendar(): Promise<Rest> {
		const { standin, api } = await connect({ seedData: false });
		for (const [at, Name, due] of [
			['2026-11-30T12:00:00.000Z', 'Last month', '2026-11-30'],
			['2026-12-02T23:59:59.000Z', 'Two days ago', '2026-12-02'],
			['2026-12-03T12:00:00.000Z', 'Yesterday', '2026-12-03'],
			['2026-12-04T00:00:00.000Z', 'Today', '2026-12-04'],
			['2026-12-05T08:00:00.000Z', 'Tomorrow', '2026-12-05'],
			['2027-01-01T00:00:00.000Z', 'Next month', '2027-01-01'],
		]) {
			setOrgTime(standin, at);
			standin.insertRecords('Invoice__c', [{ Name, Due_Date__c: due }]);
		}
		setOrgTime(standin, '2026-12-04T10:00:00.000Z');
		return api;
	}

	it.each([
		['CreatedDate = TODAY', ['Today']],
		['CreatedDate = YESTERDAY', ['Yesterday']],
		['CreatedDate = TOMORROW', ['Tomorrow']],
		['CreatedDate > YESTERDAY', ['Today', 'Tomorrow', 'Next month']],
		['CreatedDate < TODAY', ['Last month', 'Two days ago', 'Yesterday']],
		['CreatedDate <= YESTERDAY', ['Last month', 'Two days ago', 'Yesterday']],
		['CreatedDate >= TODAY', ['Today', 'Tomorrow', 'Next month']],
		['CreatedDate != TODAY', ['Last month', 'Two days ago', 'Yesterday', 'Tomorrow', 'Next month']],
		['CreatedDate = LAST_N_DAYS:1', ['Yesterday', 'Today']],
		['CreatedDate = LAST_N_DAYS:2', ['Two days ago', 'Yesterday', 'Today']],
		['Due_Date__c = NEXT_N_DAYS:1', ['Tomorrow']],
		['Due_Date__c = THIS_MONTH', ['Two days ago', 'Yesterday', 'Today', 'Tomorrow']],
		['Due_Date__c = LAST_MONTH', ['Last month']],
		['Due_Date__c = NEXT_MONTH', ['Next month']],
		['Due_Date__c IN (YESTERDAY, TOMORROW)', ['Yesterday', 'Tomorrow']],
	])('%s', async (where, expected) => {
		const api = await calendar();
		expect(
			await names(api, `SELECT Name FROM Invoice__c WHERE ${where} ORDER BY CreatedDate`),
		).toEqual(expected);
	});

	it('refuses a literal it does not know with MALFORMED_QUERY, and one on a text field as a wrong value', async () => {
		const api = await calendar();
		const weeks = await api.query('SELECT Name FROM Invoice__c WHERE CreatedDate = LAST_N_WEEKS:2');
		expect(weeks.body[0]).toMatchObject({
			errorCode: 'MALFORMED_QUERY',
			message: expect.stringMatching(/unexpected token: 'LAST_N_WEEKS:2'$/),
		});
		const text = await api.query('SELECT Name FROM Invoice__c WHERE Name = TODAY');
		expect(text.body[0]).toMatchObject({
			errorCode: 'INVALID_FIELD',
			message: expect.stringMatching(/must be of type string and should be enclosed in quotes$/),
		});
		const bind = await api.query('SELECT Name FROM Invoice__c WHERE Name = :name');
		expect(bind.body[0].message).toMatch(/Bind variables only allowed in Apex code$/);
	});
});

describe('queryAll and the Recycle Bin', () => {
	it('finds deleted rows with IsDeleted = true and their deletion stamps, until the Recycle Bin is emptied', async () => {
		const { standin, api } = await connect({ seedData: false });
		setOrgTime(standin, '2026-12-04T10:00:00.000Z');
		const [gone, live] = standin.insertRecords('Account', [{ Name: 'Gone' }, { Name: 'Live' }]);
		setOrgTime(standin, '2026-12-04T10:01:00.000Z');
		standin.deleteRecords('Account', [gone]);
		const soql = encodeURIComponent(
			'SELECT Id, IsDeleted, SystemModstamp FROM Account WHERE IsDeleted = true AND SystemModstamp > 2026-12-04T10:00:30Z',
		);
		const bin = await api.get<QueryResult>(`queryAll?q=${soql}`);
		expect(
			bin.body.records.map(({ Id, IsDeleted, SystemModstamp }) => ({
				Id,
				IsDeleted,
				SystemModstamp,
			})),
		).toEqual([{ Id: gone, IsDeleted: true, SystemModstamp: '2026-12-04T10:01:00.000+0000' }]);
		expect((await api.get<QueryResult>(`query?q=${soql}`)).body.totalSize).toBe(0);
		standin.emptyRecycleBin('Account');
		expect((await api.get<QueryResult>(`queryAll?q=${soql}`)).body.totalSize).toBe(0);
		expect(
			(
				await api.get<QueryResult>(`queryAll?q=${encodeURIComponent('SELECT Id FROM Account')}`)
			).body.records.map((record) => record.Id),
		).toEqual([live]);
	});
});
