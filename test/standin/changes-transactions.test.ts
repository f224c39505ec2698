import { closeAll, connect, setOrgTime, type QueryResult, type Rest } from './restSupport';

/**
 * Late commits (fact sheet §9): a transaction stamps its changes with the time it started and
 * makes them visible only when it commits; until then getUpdated/getDeleted say latestDateCovered
 * is the start of the oldest open transaction (GetUpdatedResult: "the start time of that
 * long-running transaction until it completes").
 */

afterEach(closeAll);

interface Updated {
	ids: string[];
	latestDateCovered: string;
}

function updated(api: Rest, object: string, start: string, end: string) {
	return api.get<Updated>(
		`sobjects/${object}/updated/?start=${encodeURIComponent(start)}&end=${encodeURIComponent(end)}`,
	);
}

async function modstamps(api: Rest, since: string): Promise<Record<string, string>> {
	const answer = await api.query<QueryResult>(
		`SELECT Name, SystemModstamp FROM Account WHERE SystemModstamp > ${since} ORDER BY SystemModstamp, Id`,
	);
	expect(answer.status).toBe(200);
	return Object.fromEntries(
		answer.body.records.map((record) => [record.Name, record.SystemModstamp]),
	);
}

describe('a transaction that commits late', () => {
	it('stays invisible while open, then appears with the stamps of its start, older than changes already read', async () => {
		const { standin, api } = await connect({ seedData: false });
		setOrgTime(standin, '2026-12-04T09:00:00.000Z');
		const [old] = standin.insertRecords('Account', [{ Name: 'Old' }]);

		setOrgTime(standin, '2026-12-04T10:00:07.000Z');
		const transaction = standin.beginTransaction();
		expect(transaction.startedAt).toBe('2026-12-04T10:00:07.000+0000');
		// It works on for minutes; everything it writes carries its start.
		setOrgTime(standin, '2026-12-04T10:02:00.000Z');
		transaction.insert('Account', [{ Name: 'Late new' }]);
		transaction.update('Account', [{ Id: old, Name: 'Old, changed late' }]);

		setOrgTime(standin, '2026-12-04T10:04:30.000Z');
		standin.insertRecords('Account', [{ Name: 'Quick' }]);
		expect(await modstamps(api, '2026-12-04T09:30:00Z')).toEqual({
			Quick: '2026-12-04T10:04:30.000+0000',
		});
		// A poller that remembers "the newest stamp seen" now holds 10:04:30 ...
		transaction.commit();
		// ... and never finds these again: they are stamped 10:00:07.
		expect(await modstamps(api, '2026-12-04T10:04:30Z')).toEqual({});
		expect(await modstamps(api, '2026-12-04T09:30:00Z')).toEqual({
			'Late new': '2026-12-04T10:00:07.000+0000',
			'Old, changed late': '2026-12-04T10:00:07.000+0000',
			Quick: '2026-12-04T10:04:30.000+0000',
		});
		expect(() => transaction.commit()).toThrow(/already committed/);
	});

	it('holds latestDateCovered at its start until it ends, whatever end is asked; getUpdated then finds its rows', async () => {
		const { standin, api } = await connect({ seedData: false });
		setOrgTime(standin, '2026-12-04T10:00:07.000Z');
		const transaction = standin.beginTransaction();
		const [late] = transaction.insert('Account', [{ Name: 'Late' }]);

		setOrgTime(standin, '2026-12-04T10:06:30.000Z');
		const [quick] = standin.insertRecords('Account', [{ Name: 'Quick' }]);
		const during = await updated(api, 'Account', '2026-12-04T09:55:00Z', '2026-12-04T10:06:00Z');
		expect(during.status).toBe(200);
		expect(during.body).toEqual({ ids: [], latestDateCovered: '2026-12-04T10:00:00.000+0000' });

		transaction.commit();
		const after = await updated(
			api,
			'Account',
			during.body.latestDateCovered,
			'2026-12-04T10:06:00Z',
		);
		expect(after.body).toEqual({ ids: [late], latestDateCovered: '2026-12-04T10:06:00.000+0000' });
		// Quick (10:06:30) is past the end asked for; the next window finds it.
		expect(
			(await updated(api, 'Account', after.body.latestDateCovered, '2026-12-04T10:07:00Z')).body
				.ids,
		).toEqual([quick]);
	});

	it('is held back by the oldest of several open transactions, on every object', async () => {
		const { standin, api } = await connect({ seedData: false });
		setOrgTime(standin, '2026-12-04T10:01:00.000Z');
		const older = standin.beginTransaction();
		setOrgTime(standin, '2026-12-04T10:03:00.000Z');
		const newer = standin.beginTransaction();
		newer.insert('Lead', [{ LastName: 'Lead', Company: 'Co' }]);
		setOrgTime(standin, '2026-12-04T10:10:00.000Z');
		expect(
			(await updated(api, 'Contact', '2026-12-04T10:00:00Z', '2026-12-04T10:09:00Z')).body
				.latestDateCovered,
		).toBe('2026-12-04T10:01:00.000+0000');
		older.rollback();
		expect(
			(await updated(api, 'Contact', '2026-12-04T10:00:00Z', '2026-12-04T10:09:00Z')).body
				.latestDateCovered,
		).toBe('2026-12-04T10:03:00.000+0000');
		newer.commit();
		expect(
			(await updated(api, 'Contact', '2026-12-04T10:00:00Z', '2026-12-04T10:09:00Z')).body
				.latestDateCovered,
		).toBe('2026-12-04T10:09:00.000+0000');
	});

	it('rolls back: nothing it wrote ever appears, and the coverage moves on', async () => {
		const { standin, api } = await connect({ seedData: false });
		setOrgTime(standin, '2026-12-04T10:00:00.000Z');
		const [kept] = standin.insertRecords('Account', [{ Name: 'Kept' }]);
		const transaction = standin.beginTransaction();
		transaction.insert('Account', [{ Name: 'Never' }]);
		transaction.update('Account', [{ Id: kept, Name: 'Never renamed' }]);
		transaction.delete('Account', [kept]);
		transaction.rollback();
		expect(standin.records('Account').map((row) => [row.Name, row.IsDeleted])).toEqual([
			['Kept', false],
		]);
		expect(() => transaction.insert('Account', [{ Name: 'After' }])).toThrow(/already rolled back/);
		setOrgTime(standin, '2026-12-04T10:05:00.000Z');
		expect(
			(await updated(api, 'Account', '2026-12-04T09:00:00Z', '2026-12-04T10:04:00Z')).body
				.latestDateCovered,
		).toBe('2026-12-04T10:04:00.000+0000');
	});

	it('locks the rows it wrote: REST writes to them answer UNABLE_TO_LOCK_ROW until it ends, other rows are free', async () => {
		const { standin, api } = await connect({ seedData: false });
		const [held, free] = standin.insertRecords('Account', [{ Name: 'Held' }, { Name: 'Free' }]);
		const transaction = standin.beginTransaction();
		transaction.update('Account', [{ Id: held, Phone: '1' }]);
		const locked = await api.call('PATCH', `sobjects/Account/${held}`, { Phone: '2' });
		expect(locked.status).toBe(400);
		expect(locked.body).toEqual([
			{
				errorCode: 'UNABLE_TO_LOCK_ROW',
				message: 'unable to obtain exclusive access to this record',
				fields: [],
			},
		]);
		expect((await api.call('DELETE', `sobjects/Account/${held}`)).status).toBe(400);
		expect(() => standin.updateRecords('Account', [{ Id: held, Phone: '3' }])).toThrow(
			/UNABLE_TO_LOCK_ROW/,
		);
		expect((await api.call('PATCH', `sobjects/Account/${free}`, { Phone: '4' })).status).toBe(204);
		transaction.commit();
		expect((await api.call('PATCH', `sobjects/Account/${held}`, { Phone: '5' })).status).toBe(204);
		expect(standin.records('Account').find((row) => row.Id === held)?.Phone).toBe('5');
	});

	it('sees its own writes (references, unique values) and checks each call all or none', async () => {
		const { standin } = await connect({ seedData: false });
		const transaction = standin.beginTransaction();
		const [account] = transaction.insert('Account', [{ Name: 'Parent in the same transaction' }]);
		transaction.insert('Invoice__c', [{ Invoice_Number__c: 'T-1', Account__c: account }]);
		expect(() =>
			transaction.insert('Invoice__c', [
				{ Invoice_Number__c: 'T-2' },
				{ Invoice_Number__c: 'T-1' },
			]),
		).toThrow(/row 1: DUPLICATE_VALUE/);
		transaction.commit();
		expect(standin.records('Invoice__c').map((row) => row.Invoice_Number__c)).toEqual(['T-1']);
	});

	it('deletes late: the row stays live for everyone until commit, then leaves with the stamp of the start', async () => {
		const { standin, api } = await connect({ seedData: false });
		setOrgTime(standin, '2026-12-04T10:00:00.000Z');
		const [id] = standin.insertRecords('Account', [{ Name: 'Deleted late' }]);
		setOrgTime(standin, '2026-12-04T10:02:00.000Z');
		const transaction = standin.beginTransaction();
		transaction.delete('Account', [id]);
		setOrgTime(standin, '2026-12-04T10:08:00.000Z');
		expect((await api.query<QueryResult>('SELECT Id FROM Account')).body.totalSize).toBe(1);
		const during = await api.get(
			`sobjects/Account/deleted/?start=${encodeURIComponent('2026-12-04T10:00:00Z')}&end=${encodeURIComponent('2026-12-04T10:07:00Z')}`,
		);
		expect(during.body).toMatchObject({
			deletedRecords: [],
			latestDateCovered: '2026-12-04T10:02:00.000+0000',
		});
		transaction.commit();
		const after = await api.get(
			`sobjects/Account/deleted/?start=${encodeURIComponent('2026-12-04T10:02:00Z')}&end=${encodeURIComponent('2026-12-04T10:07:00Z')}`,
		);
		expect(after.body).toMatchObject({
			deletedRecords: [{ id, deletedDate: '2026-12-04T10:02:00.000+0000' }],
			latestDateCovered: '2026-12-04T10:07:00.000+0000',
		});
	});

	it('refuses a commit when another writer took one of its unique values meanwhile, and rolls it back', async () => {
		const { standin } = await connect({ seedData: false });
		const transaction = standin.beginTransaction();
		transaction.insert('Invoice__c', [{ Invoice_Number__c: 'RACE-1' }]);
		standin.insertRecords('Invoice__c', [{ Invoice_Number__c: 'RACE-1' }]);
		expect(() => transaction.commit()).toThrow(
			/DUPLICATE_VALUE: Invoice__c.Invoice_Number__c 'RACE-1'/,
		);
		expect(standin.records('Invoice__c')).toHaveLength(1);
		expect(() => transaction.rollback()).toThrow(/already rolled back/);
	});

	it('is ended by resetData', async () => {
		const { standin, api } = await connect({ seedData: false });
		setOrgTime(standin, '2026-12-04T10:00:00.000Z');
		standin.beginTransaction().insert('Account', [{ Name: 'Reset away' }]);
		standin.resetData();
		setOrgTime(standin, '2026-12-04T10:05:00.000Z');
		expect(
			(await updated(api, 'Account', '2026-12-04T09:00:00Z', '2026-12-04T10:04:00Z')).body
				.latestDateCovered,
		).toBe('2026-12-04T10:04:00.000+0000');
	});
});
