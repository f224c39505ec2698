import { closeAll, connect } from './restSupport';
import { bulk } from './bulkSupport';

/**
 * seedSyntheticRecords: rows that exist only as a function of their index (for the benchmark's
 * million-record query), read like stored rows and stored once written.
 */

afterEach(closeAll);

describe('synthetic rows', () => {
	it('are read through SOQL, sObject rows and Collections like stored rows, after the stored ones', async () => {
		const { standin, api } = await connect({ seedData: false });
		standin.insertRecords('Account', [{ Name: 'Stored' }]);
		const seeded = standin.seedSyntheticRecords('Account', 5, (index) => ({
			Name: `S${index}`,
			Industry: index % 2 ? 'Energy' : 'Banking',
		}));
		const all = await api.query('SELECT Name, Industry, OwnerId FROM Account');
		expect(all.body.records.map((row: any) => row.Name)).toEqual([
			'Stored',
			'S0',
			'S1',
			'S2',
			'S3',
			'S4',
		]);
		expect(all.body.records[1].OwnerId).toBe(standin.users[0].userId);
		expect(
			(
				await api.query("SELECT Name FROM Account WHERE Industry = 'Energy' ORDER BY Name DESC")
			).body.records.map((row: any) => row.Name),
		).toEqual(['S3', 'S1']);
		expect((await api.get(`sobjects/Account/${seeded.idOf(3)}`)).body).toMatchObject({
			Id: seeded.idOf(3),
			Name: 'S3',
			IsDeleted: false,
		});
		const ids = [seeded.idOf(0), seeded.idOf(4)].join(',');
		expect(
			(await api.get(`composite/sobjects/Account?ids=${ids}&fields=Name`)).body.map(
				(row: any) => row.Name,
			),
		).toEqual(['S0', 'S4']);
		expect(standin.records('Account')).toHaveLength(6);
		// A second seed has its own ids.
		const more = standin.seedSyntheticRecords('Account', 2, (index) => ({ Name: `T${index}` }));
		expect(more.idOf(0)).not.toBe(seeded.idOf(0));
		expect((await api.query('SELECT COUNT() FROM Account')).body.totalSize).toBe(8);
	});

	it('once written are stored rows: updates, deletes and hard deletes show, each row once', async () => {
		const { standin, api } = await connect({ seedData: false });
		const seeded = standin.seedSyntheticRecords('Account', 4, (index) => ({ Name: `S${index}` }));
		expect(
			(await api.call('PATCH', `sobjects/Account/${seeded.idOf(1)}`, { Name: 'Renamed' })).status,
		).toBe(204);
		expect((await api.call('DELETE', `sobjects/Account/${seeded.idOf(2)}`)).status).toBe(204);
		await bulk(api).ingest(
			{ object: 'Account', operation: 'hardDelete' },
			`Id\n${seeded.idOf(3)}\n`,
		);
		const live = await api.query('SELECT Name FROM Account');
		expect(live.body.records.map((row: any) => row.Name).sort()).toEqual(['Renamed', 'S0']);
		const withBin = await api.get(
			`queryAll?q=${encodeURIComponent('SELECT Name, IsDeleted FROM Account')}`,
		);
		expect(withBin.body.records.map((row: any) => `${row.Name}:${row.IsDeleted}`).sort()).toEqual([
			'Renamed:false',
			'S0:false',
			'S2:true',
		]);
		expect((await api.get(`sobjects/Account/${seeded.idOf(3)}`)).status).toBe(404);
	});

	it('are checked like an insert (first row) and refuse indexed fields; resetData removes them', async () => {
		const { standin, api } = await connect({ seedData: false });
		expect(() => standin.seedSyntheticRecords('Account', 3, () => ({ Phone: '1' }))).toThrow(
			/REQUIRED_FIELD_MISSING/,
		);
		expect(() =>
			standin.seedSyntheticRecords('Account', 3, () => ({ Name: 'x', External_Id__c: 'E' })),
		).toThrow(/indexed/);
		expect(() =>
			standin.seedSyntheticRecords('Invoice__c', 3, () => ({ Invoice_Number__c: 'N' })),
		).toThrow(/indexed/);
		expect(() => standin.seedSyntheticRecords('User', 3)).toThrow(/no writable object/);
		standin.seedSyntheticRecords('Invoice__c', 3);
		expect((await api.query('SELECT Name FROM Invoice__c')).body.totalSize).toBe(3);
		standin.resetData();
		expect((await api.query('SELECT Name FROM Invoice__c')).body.totalSize).toBe(0);
	});
});
