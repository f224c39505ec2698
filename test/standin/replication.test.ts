import { API, closeAll, connect, setOrgTime, type QueryResult, type Rest } from './restSupport';

/**
 * sObject Get Updated / Get Deleted with the rules of the SOAP API's getUpdated()/getDeleted() and
 * "Data Replication": seconds ignored, UTC, start at least a minute before end, 30 / 15 days back,
 * an end in the future, the id limit, the Recycle Bin purged.
 */

afterEach(closeAll);

function window(
	api: Rest,
	kind: 'updated' | 'deleted',
	start: string,
	end: string,
	object = 'Account',
) {
	return api.get(
		`sobjects/${object}/${kind}/?start=${encodeURIComponent(start)}&end=${encodeURIComponent(end)}`,
	);
}

describe('getUpdated', () => {
	it('answers {ids, latestDateCovered} for rows created or changed in the window, by SystemModstamp', async () => {
		const { standin, api } = await connect({ seedData: false });
		setOrgTime(standin, '2026-12-04T10:00:00.000Z');
		const [created, changed, untouched] = standin.insertRecords('Account', [
			{ Name: 'Created' },
			{ Name: 'Changed' },
			{ Name: 'Untouched' },
		]);
		void created;
		setOrgTime(standin, '2026-12-04T09:00:00.000Z');
		standin.updateRecords('Account', [
			{ Id: untouched, Name: 'Untouched (stamped before the window)' },
		]);
		setOrgTime(standin, '2026-12-04T10:20:00.000Z');
		standin.updateRecords('Account', [{ Id: changed, Phone: '1' }], { automation: true });

		setOrgTime(standin, '2026-12-04T11:00:00.000Z');
		const answer = await window(api, 'updated', '2026-12-04T10:10:00Z', '2026-12-04T10:30:00Z');
		expect(answer.status).toBe(200);
		expect(answer.body).toEqual({
			ids: [changed],
			latestDateCovered: '2026-12-04T10:30:00.000+0000',
		});
		const wide = await window(
			api,
			'updated',
			'2026-12-04T09:30:00+00:00',
			'2026-12-04T10:30:00+00:00',
		);
		expect(new Set(wide.body.ids)).toEqual(new Set([created, changed]));
	});

	it('ignores the seconds of start and end, and includes both minutes (12:30:15..12:35:15 reads 12:30:00..12:35:00)', async () => {
		const { standin, api } = await connect({ seedData: false });
		setOrgTime(standin, '2026-12-04T12:30:00.000Z');
		const [atStart] = standin.insertRecords('Account', [{ Name: 'At 12:30:00' }]);
		setOrgTime(standin, '2026-12-04T12:35:00.000Z');
		const [atEnd] = standin.insertRecords('Account', [{ Name: 'At 12:35:00' }]);
		setOrgTime(standin, '2026-12-04T12:35:10.000Z');
		const [afterEnd] = standin.insertRecords('Account', [{ Name: 'At 12:35:10' }]);
		setOrgTime(standin, '2026-12-04T13:00:00.000Z');
		const answer = await window(api, 'updated', '2026-12-04T12:30:15Z', '2026-12-04T12:35:15Z');
		expect(answer.body).toEqual({
			ids: [atStart, atEnd],
			latestDateCovered: '2026-12-04T12:35:00.000+0000',
		});
		// The next window starts where this one was covered: 12:35:00 comes again (inclusive), then 12:35:10.
		expect(
			(await window(api, 'updated', answer.body.latestDateCovered, '2026-12-04T12:40:00Z')).body
				.ids,
		).toEqual([atEnd, afterEnd]);
	});

	it('reads offsets as UTC', async () => {
		const { standin, api } = await connect({ seedData: false });
		setOrgTime(standin, '2026-12-04T10:05:00.000Z');
		const [id] = standin.insertRecords('Account', [{ Name: 'UTC' }]);
		setOrgTime(standin, '2026-12-04T11:00:00.000Z');
		const answer = await window(
			api,
			'updated',
			'2026-12-04T11:00:00+01:00',
			'2026-12-04T05:10:00-05:00',
		);
		expect(answer.body).toEqual({ ids: [id], latestDateCovered: '2026-12-04T10:10:00.000+0000' });
	});

	it('refuses a start not at least a minute before end with INVALID_REPLICATION_DATE (Salesforce words it backwards)', async () => {
		const { standin, api } = await connect({ seedData: false });
		setOrgTime(standin, '2026-12-04T11:00:00.000Z');
		const expected = [
			{
				errorCode: 'INVALID_REPLICATION_DATE',
				message: 'startDate must be at least one minute greater than endDate',
			},
		];
		for (const [start, end] of [
			['2026-12-04T10:00:00Z', '2026-12-04T10:00:59Z'],
			['2026-12-04T10:05:00Z', '2026-12-04T10:00:00Z'],
		]) {
			const answer = await window(api, 'updated', start, end);
			expect(answer.status).toBe(400);
			expect(answer.body).toEqual(expected);
		}
		expect(
			(await window(api, 'updated', '2026-12-04T10:00:59Z', '2026-12-04T10:01:00Z')).status,
		).toBe(200);
	});

	it('answers no more than 30 days back', async () => {
		const { standin, api } = await connect({ seedData: false });
		setOrgTime(standin, '2026-12-31T12:00:00.000Z');
		const tooOld = await window(api, 'updated', '2026-12-01T11:59:00Z', '2026-12-02T00:00:00Z');
		expect(tooOld.status).toBe(400);
		expect(tooOld.body[0].errorCode).toBe('INVALID_REPLICATION_DATE');
		expect(
			(await window(api, 'updated', '2026-12-01T12:01:00Z', '2026-12-02T00:00:00Z')).status,
		).toBe(200);
	});

	it("accepts an end in the future and covers only up to the org's current minute, by its own clock", async () => {
		const { standin, api } = await connect({ seedData: false });
		setOrgTime(standin, '2026-12-04T10:07:40.000Z');
		const [id] = standin.insertRecords('Account', [{ Name: 'Just now' }]);
		const answer = await window(api, 'updated', '2026-12-04T10:00:00Z', '2026-12-04T12:00:00Z');
		expect(answer.body).toEqual({ ids: [id], latestDateCovered: '2026-12-04T10:07:00.000+0000' });
		// n8n's clock does not matter: the org's runs three hours behind this machine's here.
		standin.setClockSkew(standin.clockSkewMs - 3 * 60 * 60_000);
		expect(
			(await window(api, 'updated', '2026-12-04T07:00:00Z', '2026-12-04T12:00:00Z')).body
				.latestDateCovered,
		).toBe('2026-12-04T07:07:00.000+0000');
	});

	it('leaves out rows in the Recycle Bin, and finds an undeleted row again', async () => {
		const { standin, api } = await connect({ seedData: false });
		setOrgTime(standin, '2026-12-04T10:00:00.000Z');
		const [deleted, restored] = standin.insertRecords('Account', [
			{ Name: 'Deleted' },
			{ Name: 'Restored' },
		]);
		standin.deleteRecords('Account', [deleted, restored]);
		setOrgTime(standin, '2026-12-04T10:03:00.000Z');
		standin.undeleteRecords('Account', [restored]);
		setOrgTime(standin, '2026-12-04T10:10:00.000Z');
		expect(
			(await window(api, 'updated', '2026-12-04T09:00:00Z', '2026-12-04T10:09:00Z')).body.ids,
		).toEqual([restored]);
	});

	it('answers EXCEEDED_ID_LIMIT above the id limit (settable), and 600,000 again when unset', async () => {
		const { standin, api } = await connect({ seedData: false });
		setOrgTime(standin, '2026-12-04T10:00:00.000Z');
		standin.insertRecords('Account', [{ Name: 'A' }, { Name: 'B' }, { Name: 'C' }]);
		setOrgTime(standin, '2026-12-04T10:10:00.000Z');
		standin.setReplicationIdLimit(3);
		expect(
			(await window(api, 'updated', '2026-12-04T09:00:00Z', '2026-12-04T10:09:00Z')).status,
		).toBe(200);
		standin.setReplicationIdLimit(2);
		const over = await window(api, 'updated', '2026-12-04T09:00:00Z', '2026-12-04T10:09:00Z');
		expect(over.status).toBe(400);
		expect(over.body[0].errorCode).toBe('EXCEEDED_ID_LIMIT');
		const narrower = await window(api, 'updated', '2026-12-04T09:00:00Z', '2026-12-04T09:59:00Z');
		expect(narrower.body.ids).toEqual([]);
		standin.setReplicationIdLimit(undefined);
		expect(
			(await window(api, 'updated', '2026-12-04T09:00:00Z', '2026-12-04T10:09:00Z')).status,
		).toBe(200);
		expect(() => standin.setReplicationIdLimit(-1)).toThrow(/not a whole number/);
	});

	it('needs start and end as URL-encoded datetimes: an unencoded + reads as a space', async () => {
		const { standin, api } = await connect({ seedData: false });
		setOrgTime(standin, '2026-12-04T11:00:00.000Z');
		const raw = await api.get(
			'sobjects/Account/updated/?start=2026-12-04T10:00:00+00:00&end=2026-12-04T10:30:00+00:00',
		);
		expect(raw.status).toBe(400);
		expect(raw.body[0]).toMatchObject({
			errorCode: 'INVALID_REPLICATION_DATE',
			message: expect.stringMatching(
				/^start: '2026-12-04T10:00:00 00:00' is not a valid date and time/,
			),
		});
		const missing = await api.get('sobjects/Account/updated/?start=2026-12-04T10%3A00%3A00Z');
		expect(missing.status).toBe(400);
		expect(missing.body[0]).toMatchObject({
			errorCode: 'MISSING_ARGUMENT',
			message: expect.stringMatching(/^end:/),
		});
	});

	it('is a GET on a known object (404 NOT_FOUND otherwise), counted as an API request', async () => {
		const { standin, api } = await connect({ seedData: false });
		setOrgTime(standin, '2026-12-04T11:00:00.000Z');
		expect(
			(await window(api, 'updated', '2026-12-04T10:00:00Z', '2026-12-04T10:30:00Z', 'Invoice'))
				.status,
		).toBe(404);
		expect(
			(
				await api.call(
					'POST',
					`sobjects/Account/updated/?start=2026-12-04T10%3A00%3A00Z&end=2026-12-04T10%3A30%3A00Z`,
					{},
				)
			).status,
		).toBe(405);
		standin.resetRecords();
		await window(api, 'updated', '2026-12-04T10:00:00Z', '2026-12-04T10:30:00Z', 'Invoice__c');
		expect(standin.apiRequestCount).toBe(1);
	});
});

describe('getDeleted', () => {
	it('answers {deletedRecords: [{id, deletedDate}], earliestDateAvailable, latestDateCovered}; deletedDate is the SystemModstamp', async () => {
		const { standin, api } = await connect({ seedData: false });
		setOrgTime(standin, '2026-12-04T10:00:00.000Z');
		const [first, second, kept] = standin.insertRecords('Account', [
			{ Name: '1' },
			{ Name: '2' },
			{ Name: 'kept' },
		]);
		void kept;
		setOrgTime(standin, '2026-12-04T10:02:17.000Z');
		standin.deleteRecords('Account', [first]);
		setOrgTime(standin, '2026-12-04T10:04:00.000Z');
		expect((await api.call('DELETE', `sobjects/Account/${second}`)).status).toBe(204);

		setOrgTime(standin, '2026-12-04T11:00:00.000Z');
		const answer = await window(api, 'deleted', '2026-12-04T10:00:00Z', '2026-12-04T10:03:00Z');
		expect(answer.status).toBe(200);
		expect(answer.body).toEqual({
			deletedRecords: [{ id: first, deletedDate: '2026-12-04T10:02:17.000+0000' }],
			earliestDateAvailable: '2026-11-19T11:00:00.000+0000',
			latestDateCovered: '2026-12-04T10:03:00.000+0000',
		});
		const both = await window(api, 'deleted', '2026-12-04T10:00:00Z', '2026-12-04T10:59:00Z');
		expect(both.body.deletedRecords.map((record: { id: string }) => record.id)).toEqual([
			first,
			second,
		]);
	});

	it('answers no more than 15 days back: an older start is INVALID_REPLICATION_DATE', async () => {
		const { standin, api } = await connect({ seedData: false });
		setOrgTime(standin, '2026-12-20T12:00:00.000Z');
		const old = await window(api, 'deleted', '2026-12-05T11:59:00Z', '2026-12-06T00:00:00Z');
		expect(old.status).toBe(400);
		expect(old.body[0]).toMatchObject({
			errorCode: 'INVALID_REPLICATION_DATE',
			message: expect.stringContaining('2026-12-05T12:00:00.000+0000'),
		});
		expect(
			(await window(api, 'deleted', '2026-12-05T12:00:00Z', '2026-12-06T00:00:00Z')).status,
		).toBe(200);
	});

	it('after the Recycle Bin is emptied: queryAll no longer finds the rows, and getDeleted cannot answer from before the last deletion purged', async () => {
		const { standin, api } = await connect({ seedData: false });
		setOrgTime(standin, '2026-12-04T10:00:00.000Z');
		const [early, late, other] = standin.insertRecords('Account', [
			{ Name: 'Early' },
			{ Name: 'Late' },
			{ Name: 'Other object stays' },
		]);
		const [lead] = standin.insertRecords('Lead', [{ LastName: 'Binned', Company: 'Co' }]);
		setOrgTime(standin, '2026-12-04T10:05:00.000Z');
		standin.deleteRecords('Account', [early]);
		standin.deleteRecords('Lead', [lead]);
		setOrgTime(standin, '2026-12-04T10:20:30.000Z');
		standin.deleteRecords('Account', [late]);
		setOrgTime(standin, '2026-12-04T11:00:00.000Z');

		// A poller that read deletions up to 10:10 is fine before the purge ...
		expect(
			(await window(api, 'deleted', '2026-12-04T10:10:00Z', '2026-12-04T10:59:00Z')).body
				.deletedRecords,
		).toEqual([{ id: late, deletedDate: '2026-12-04T10:20:30.000+0000' }]);
		standin.emptyRecycleBin('Account');
		const bin = await api.get<QueryResult>(
			`queryAll?q=${encodeURIComponent('SELECT Id FROM Account WHERE IsDeleted = true')}`,
		);
		expect(bin.body.totalSize).toBe(0);
		expect((await api.get(`sobjects/Account/${late}`)).status).toBe(404);
		expect((await api.get(`sobjects/Account/${late}`)).body[0].errorCode).toBe('NOT_FOUND');
		expect(standin.records('Account').map((row) => row.Id)).toEqual([other]);

		// ... and after it, that deletion cannot be recovered: the call fails instead of answering a gap.
		const lost = await window(api, 'deleted', '2026-12-04T10:10:00Z', '2026-12-04T10:59:00Z');
		expect(lost.status).toBe(400);
		expect(lost.body[0]).toMatchObject({
			errorCode: 'INVALID_REPLICATION_DATE',
			message: expect.stringContaining('2026-12-04T10:20:30.000+0000'),
		});
		const since = await window(api, 'deleted', '2026-12-04T10:21:00Z', '2026-12-04T10:59:00Z');
		expect(since.body).toEqual({
			deletedRecords: [],
			earliestDateAvailable: '2026-12-04T10:20:30.000+0000',
			latestDateCovered: '2026-12-04T10:59:00.000+0000',
		});
		// Another object's Recycle Bin is untouched.
		expect(
			(await window(api, 'deleted', '2026-12-04T10:00:00Z', '2026-12-04T10:59:00Z', 'Lead')).body
				.deletedRecords,
		).toEqual([{ id: lead, deletedDate: '2026-12-04T10:05:00.000+0000' }]);
	});

	it('empties only the given rows when ids are given; a purge of nothing moves nothing', async () => {
		const { standin, api } = await connect({ seedData: false });
		setOrgTime(standin, '2026-12-04T10:00:00.000Z');
		const [a, b] = standin.insertRecords('Account', [{ Name: 'A' }, { Name: 'B' }]);
		standin.deleteRecords('Account', [a, b]);
		setOrgTime(standin, '2026-12-04T11:00:00.000Z');
		standin.emptyRecycleBin('Account', [a.slice(0, 15)]);
		expect(standin.records('Account').map((row) => row.Id)).toEqual([b]);
		standin.emptyRecycleBin('Lead');
		expect(
			(await window(api, 'deleted', '2026-12-04T09:00:00Z', '2026-12-04T10:59:00Z', 'Lead')).status,
		).toBe(200);
	});

	it('setEarliestDateAvailable moves the mark directly, as when Salesforce purges its delete log', async () => {
		const { standin, api } = await connect({ seedData: false });
		setOrgTime(standin, '2026-12-04T11:00:00.000Z');
		standin.setEarliestDateAvailable('Account', '2026-12-04T10:30:00Z');
		expect(
			(await window(api, 'deleted', '2026-12-04T10:29:00Z', '2026-12-04T10:59:00Z')).status,
		).toBe(400);
		const answer = await window(api, 'deleted', '2026-12-04T10:30:00Z', '2026-12-04T10:59:00Z');
		expect(answer.body.earliestDateAvailable).toBe('2026-12-04T10:30:00.000+0000');
		standin.setEarliestDateAvailable('Account', new Date('2026-12-04T10:40:00Z'));
		expect(
			(await window(api, 'deleted', '2026-12-04T10:30:00Z', '2026-12-04T10:59:00Z')).status,
		).toBe(400);
		expect(() => standin.setEarliestDateAvailable('Account', 'soon')).toThrow(/not a date/);
		standin.resetData();
		expect(
			(await window(api, 'deleted', '2026-12-04T10:30:00Z', '2026-12-04T10:59:00Z')).status,
		).toBe(200);
	});

	it('answers EXCEEDED_ID_LIMIT above the id limit', async () => {
		const { standin, api } = await connect({ seedData: false });
		setOrgTime(standin, '2026-12-04T10:00:00.000Z');
		const ids = standin.insertRecords('Account', [{ Name: 'A' }, { Name: 'B' }]);
		standin.deleteRecords('Account', ids);
		setOrgTime(standin, '2026-12-04T11:00:00.000Z');
		standin.setReplicationIdLimit(1);
		const over = await window(api, 'deleted', '2026-12-04T09:00:00Z', '2026-12-04T10:59:00Z');
		expect(over.status).toBe(400);
		expect(over.body[0].errorCode).toBe('EXCEEDED_ID_LIMIT');
	});

	it('lives at /services/data/vXX.X/sobjects/{X}/deleted/', async () => {
		const { standin, api } = await connect({ seedData: false });
		setOrgTime(standin, '2026-12-04T11:00:00.000Z');
		const answer = await api.get(
			`${API}/sobjects/Account/deleted?start=2026-12-04T10%3A00%3A00Z&end=2026-12-04T10%3A01%3A00Z`,
		);
		expect(answer.status).toBe(200);
	});
});
