import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeAll, login, rest, start } from './restSupport';

/** The org kept in a state file (npm start's demo): the same org, users, sessions and records after a restart. */

let folder: string;
beforeEach(() => (folder = mkdtempSync(join(tmpdir(), 'sfi-standin-state-'))));
afterEach(async () => {
	await closeAll();
	rmSync(folder, { recursive: true, force: true });
});

describe('stateFile', () => {
	it('a restart serves the same org: org id, user id, a session issued before, and the records written', async () => {
		const stateFile = join(folder, 'org.json');
		const first = await start({ label: 'demo', stateFile });
		const token = await login(first);
		const created = await rest(first, token).call('POST', 'sobjects/Account', {
			Name: 'Made before the restart',
		});
		expect(created.status).toBe(201);
		const deleted = first.records('Account')[0].Id;
		expect((await rest(first, token).call('DELETE', `sobjects/Account/${deleted}`)).status).toBe(
			204,
		);
		const before = {
			orgId: first.orgId,
			userId: first.users[0].userId,
			usage: first.apiUsage.used,
		};
		await first.close();

		const second = await start({ label: 'demo', stateFile });
		expect({ orgId: second.orgId, userId: second.users[0].userId }).toEqual({
			orgId: before.orgId,
			userId: before.userId,
		});
		expect(second.apiUsage.used).toBe(before.usage);
		// The stored session still works: no new login needed.
		const api = rest(second, token);
		const found = await api.query(
			"SELECT Id, Name FROM Account WHERE Name = 'Made before the restart'",
		);
		expect(found.status).toBe(200);
		expect(found.body.records).toEqual([
			expect.objectContaining({ Id: (created.body as { id: string }).id }),
		]);
		expect(second.records('Account').find((row) => row.Id === deleted)?.IsDeleted).toBe(true);
		expect(second.loginCount).toBe(0);
	});

	it('another org (another label), or a damaged file, starts afresh', async () => {
		const stateFile = join(folder, 'org.json');
		const demo = await start({ label: 'demo', stateFile });
		await demo.close();
		const other = await start({ label: 'uat', stateFile });
		expect(other.orgId).not.toBe(demo.orgId);
		await other.close();
		writeFileSync(stateFile, '{"version": 1, "label": "demo", "orgId": ');
		const fresh = await start({ label: 'demo', stateFile });
		expect(fresh.orgId).not.toBe(demo.orgId);
		expect(fresh.records('Account')).toHaveLength(3);
	});
});
