import { createSign } from 'node:crypto';
import { closeAll, connect, login, setOrgTime, start, type QueryResult } from './restSupport';
import { makeTestKeyPair } from '../support/jwtKeys';

/**
 * The org's clock and its audit fields (fact sheet §9): one clock per org, this machine's plus a
 * skew that can change while running, stamps every audit field to the second, every answer's Date
 * header, issued_at, and the JWT exp check; SystemModstamp moves on every change, LastModifiedDate
 * and LastModifiedById only on a user's.
 */

afterEach(closeAll);

const MINUTE = 60_000;

/** The Date header in milliseconds (it has whole seconds). */
function dateHeader(response: { headers: Headers }): number {
	return Date.parse(response.headers.get('date') ?? '');
}

describe("the org's clock", () => {
	it('stamps the Date header of REST answers and of the token endpoint, and issued_at, with its skew', async () => {
		const { standin, api } = await connect({ clockSkewMs: -60 * MINUTE });
		const before = Date.now();
		const answer = await api.get('limits');
		expect(dateHeader(answer)).toBeGreaterThanOrEqual(
			Math.floor((before - 60 * MINUTE) / 1000) * 1000,
		);
		expect(dateHeader(answer)).toBeLessThanOrEqual(Date.now() - 60 * MINUTE);

		const token = await fetch(`${standin.url}/services/oauth2/token`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({
				grant_type: 'password',
				client_id: standin.demo.consumerKey,
				client_secret: standin.demo.consumerSecret,
				username: standin.demo.username,
				password: standin.demo.password + standin.demo.securityToken,
			}).toString(),
		});
		expect(dateHeader(token)).toBeLessThanOrEqual(Date.now() - 60 * MINUTE);
		const issuedAt = Number(((await token.json()) as { issued_at: string }).issued_at);
		expect(issuedAt).toBeLessThanOrEqual(Date.now() - 60 * MINUTE);
		expect(issuedAt).toBeGreaterThanOrEqual(before - 60 * MINUTE);
		expect(standin.clockSkewMs).toBe(-60 * MINUTE);
	});

	it('changes its skew while running: the next answers, stamps and now() follow at once', async () => {
		const { standin, api } = await connect({ seedData: false });
		standin.setClockSkew(7 * MINUTE);
		expect(standin.clockSkewMs).toBe(7 * MINUTE);
		expect(standin.now().getTime()).toBeGreaterThanOrEqual(Date.now() + 7 * MINUTE - 1000);
		const answer = await api.call<{ id: string }>('POST', 'sobjects/Account', { Name: 'Ahead' });
		expect(dateHeader(answer)).toBeGreaterThan(Date.now() + 6 * MINUTE);
		const created = Date.parse(
			String(standin.records('Account')[0].CreatedDate).replace('+0000', 'Z'),
		);
		expect(created).toBeGreaterThan(Date.now() + 6 * MINUTE);
		expect(() => standin.setClockSkew(Number.NaN)).toThrow(/clock skew must be a number/);
	});

	it('checks a JWT assertion against the same clock: a skew set while running expires it', async () => {
		const keys = makeTestKeyPair();
		const standin = await start();
		standin.apps.push({
			consumerKey: '3MVG9ClockApp',
			consumerSecret: 'unused',
			jwtCertificate: keys.certificate,
			externalClientApp: true,
		});
		const exchange = async () => {
			const b64 = (value: string) => Buffer.from(value).toString('base64url');
			const input = `${b64(JSON.stringify({ alg: 'RS256' }))}.${b64(JSON.stringify({ iss: '3MVG9ClockApp', sub: standin.demo.username, aud: standin.url, exp: Math.floor(Date.now() / 1000) + 120 }))}`;
			const assertion = `${input}.${Buffer.from(createSign('RSA-SHA256').update(input).sign(keys.pkcs8)).toString('base64url')}`;
			const response = await fetch(`${standin.url}/services/oauth2/token`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams({
					grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
					assertion,
				}).toString(),
			});
			return { status: response.status, body: (await response.json()) as Record<string, string> };
		};
		expect((await exchange()).status).toBe(200);
		standin.setClockSkew(10 * MINUTE);
		expect(await exchange()).toEqual({
			status: 400,
			body: { error: 'invalid_grant', error_description: 'expired authorization code' },
		});
		standin.setClockSkew(0);
		expect((await exchange()).status).toBe(200);
	});
});

describe('audit fields', () => {
	it('are stored to the second, so rows written in one second share one value', async () => {
		const { standin, api } = await connect({ seedData: false });
		setOrgTime(standin, '2026-12-04T10:00:07.000Z');
		standin.insertRecords(
			'Account',
			Array.from({ length: 50 }, (_, i) => ({ Name: `Same second ${i}` })),
		);
		const rows = standin.records('Account');
		expect(new Set(rows.map((row) => row.SystemModstamp))).toEqual(
			new Set(['2026-12-04T10:00:07.000+0000']),
		);
		expect(
			rows.every(
				(row) =>
					row.CreatedDate === row.SystemModstamp && row.LastModifiedDate === row.SystemModstamp,
			),
		).toBe(true);

		// REST writes too: whole seconds, whatever the millisecond.
		setOrgTime(standin, '2026-12-04T10:00:09.750Z');
		await api.call('POST', 'sobjects/Account', { Name: 'Through REST' });
		const rest = standin.records('Account').find((row) => row.Name === 'Through REST');
		expect(rest?.SystemModstamp).toMatch(/^2026-12-04T10:00:\d{2}\.000\+0000$/);
	});

	it("move on a user's change: LastModifiedDate, LastModifiedById and SystemModstamp; CreatedDate never", async () => {
		const { standin, api } = await connect({ seedData: false });
		setOrgTime(standin, '2026-12-04T10:00:00.000Z');
		const [id] = standin.insertRecords('Lead', [{ LastName: 'Audit', Company: 'Stamp Ltd' }]);
		setOrgTime(standin, '2026-12-04T10:05:00.000Z');
		standin.updateRecords('Lead', [{ Id: id, Company: 'Stamp plc' }]);
		expect(standin.records('Lead')[0]).toMatchObject({
			Company: 'Stamp plc',
			CreatedDate: '2026-12-04T10:00:00.000+0000',
			LastModifiedDate: '2026-12-04T10:05:00.000+0000',
			SystemModstamp: '2026-12-04T10:05:00.000+0000',
			LastModifiedById: standin.users[0].userId,
		});

		setOrgTime(standin, '2026-12-04T10:10:00.000Z');
		expect((await api.call('PATCH', `sobjects/Lead/${id}`, { Company: 'Stamp & Co' })).status).toBe(
			204,
		);
		const row = standin.records('Lead')[0];
		expect(row.LastModifiedDate).toBe(row.SystemModstamp);
		expect(row.SystemModstamp).toMatch(/^2026-12-04T10:10:/);
	});

	it('move only SystemModstamp on a change by automation', async () => {
		const { standin, api } = await connect({ seedData: false });
		setOrgTime(standin, '2026-12-04T10:00:00.000Z');
		const [id] = standin.insertRecords('Lead', [{ LastName: 'Automated', Company: 'Flow Inc' }]);
		setOrgTime(standin, '2026-12-04T10:03:00.000Z');
		standin.updateRecords('Lead', [{ Id: id, Status: 'Working - Contacted' }], {
			automation: true,
		});
		const row = standin.records('Lead')[0];
		expect(row).toMatchObject({
			Status: 'Working - Contacted',
			LastModifiedDate: '2026-12-04T10:00:00.000+0000',
			SystemModstamp: '2026-12-04T10:03:00.000+0000',
		});

		// What a poller sees: SystemModstamp finds the change, LastModifiedDate does not.
		const since = '2026-12-04T10:01:00Z';
		expect(
			(await api.query<QueryResult>(`SELECT Id FROM Lead WHERE SystemModstamp > ${since}`)).body
				.totalSize,
		).toBe(1);
		expect(
			(await api.query<QueryResult>(`SELECT Id FROM Lead WHERE LastModifiedDate > ${since}`)).body
				.totalSize,
		).toBe(0);
	});

	it('move on delete (IsDeleted true) and on undelete (IsDeleted false), as a change by the user', async () => {
		const { standin } = await connect({ seedData: false });
		setOrgTime(standin, '2026-12-04T10:00:00.000Z');
		const [id] = standin.insertRecords('Account', [{ Name: 'Binned' }]);
		setOrgTime(standin, '2026-12-04T10:02:00.000Z');
		standin.deleteRecords('Account', [id]);
		expect(standin.records('Account')[0]).toMatchObject({
			IsDeleted: true,
			SystemModstamp: '2026-12-04T10:02:00.000+0000',
			LastModifiedDate: '2026-12-04T10:02:00.000+0000',
			CreatedDate: '2026-12-04T10:00:00.000+0000',
		});
		expect(() => standin.updateRecords('Account', [{ Id: id, Name: 'Too late' }])).toThrow(
			/ENTITY_IS_DELETED/,
		);

		setOrgTime(standin, '2026-12-04T10:04:00.000Z');
		standin.undeleteRecords('Account', [id]);
		expect(standin.records('Account')[0]).toMatchObject({
			IsDeleted: false,
			SystemModstamp: '2026-12-04T10:04:00.000+0000',
			LastModifiedDate: '2026-12-04T10:04:00.000+0000',
		});
		expect(() => standin.undeleteRecords('Account', [id])).toThrow(
			/UNDELETE_FAILED: Entity is not in the recycle bin/,
		);
	});

	it('deleting through REST moves them too', async () => {
		const { standin, api } = await connect({ seedData: false });
		setOrgTime(standin, '2026-12-04T10:00:00.000Z');
		const [id] = standin.insertRecords('Account', [{ Name: 'Gone by REST' }]);
		setOrgTime(standin, '2026-12-04T11:00:00.000Z');
		expect((await api.call('DELETE', `sobjects/Account/${id}`)).status).toBe(204);
		expect(standin.records('Account')[0].SystemModstamp).toMatch(/^2026-12-04T11:00:/);
	});

	it('an undelete refuses a unique value a live row has taken meanwhile', async () => {
		const { standin } = await connect({ seedData: false });
		const [first] = standin.insertRecords('Invoice__c', [{ Invoice_Number__c: 'U-1' }]);
		standin.deleteRecords('Invoice__c', [first]);
		standin.insertRecords('Invoice__c', [{ Invoice_Number__c: 'U-1' }]);
		expect(() => standin.undeleteRecords('Invoice__c', [first])).toThrow(/DUPLICATE_VALUE/);
	});

	it('the write hooks name the object and the row they cannot find', async () => {
		const { standin } = await connect({ seedData: false });
		expect(() => standin.updateRecords('Nope', [{ Id: 'x' }])).toThrow(/no object 'Nope'/);
		expect(() =>
			standin.updateRecords('Account', [{ Id: '001000000000000AAA', Name: 'x' }]),
		).toThrow(/no row with Id 001000000000000AAA/);
		expect(() => standin.deleteRecords('Account', ['001000000000000AAA'])).toThrow(/no row/);
		// a REST login still works with the data hooks around (they count no API request)
		expect(standin.apiRequestCount).toBe(0);
		await login(standin);
	});
});
