import { API, closeAll, connect, login, rest } from './restSupport';

/**
 * API request accounting (fact sheet §7), the daily limit, injected REST faults (§6, §8) and the
 * stand-in's data hooks.
 */

afterEach(closeAll);

describe('API request accounting', () => {
	it('counts every REST request under the version, says so in Sforce-Limit-Info, and not the version list', async () => {
		const { standin, api } = await connect();
		expect(standin.apiUsage).toEqual({ used: 0, max: 15000 });
		const versions = await fetch(`${standin.url}/services/data/`);
		expect(versions.headers.get('sforce-limit-info')).toBeNull();

		const first = await api.get('limits');
		expect(first.headers.get('sforce-limit-info')).toBe('api-usage=1/15000');
		expect(first.body.DailyApiRequests).toEqual({ Max: 15000, Remaining: 14999 });
		const failed = await api.query('SELECT Nme FROM Account');
		expect(failed.status).toBe(400);
		expect(failed.headers.get('sforce-limit-info')).toBe('api-usage=2/15000');
		await api.call('POST', 'composite/sobjects', {
			records: Array.from({ length: 50 }, (_, i) => ({
				attributes: { type: 'Lead' },
				LastName: `L${i}`,
				Company: 'C',
			})),
		});
		expect(standin.apiRequestCount).toBe(3);
		expect(standin.apiUsage.used).toBe(3);

		// Refused for the session: not counted.
		expect((await rest(standin, 'dead').get('limits')).status).toBe(401);
		expect(standin.apiRequestCount).toBe(3);

		standin.resetRecords();
		expect(standin.apiRequestCount).toBe(0);
		expect(standin.apiUsage.used).toBe(3);
	});

	it("records which API user's session sent each request (none for a dead session or none at all)", async () => {
		const { standin, api } = await connect();
		const other = {
			username: 'other.user@demo.standin.example',
			password: standin.demo.password,
			securityToken: standin.demo.securityToken,
		};
		standin.users.push(other);
		const otherApi = rest(
			standin,
			await login(standin, other.username, other.password + other.securityToken),
		);
		standin.resetRecords();
		await api.get('limits');
		await otherApi.get('limits');
		await rest(standin, 'dead').get('limits');
		await fetch(`${standin.url}/services/data/`);
		expect(standin.requests.map((request) => request.username)).toEqual([
			standin.demo.username,
			other.username,
			undefined,
			undefined,
		]);
	});

	it('uses a configured allocation and refuses with 403 REQUEST_LIMIT_EXCEEDED once it is used up', async () => {
		const { standin, api } = await connect({ dailyApiRequests: 3 });
		expect((await api.get('limits')).body.DailyApiRequests).toEqual({ Max: 3, Remaining: 2 });
		await api.get('sobjects');
		const last = await api.query('SELECT Id FROM Account');
		expect(last.status).toBe(200);
		expect(last.headers.get('sforce-limit-info')).toBe('api-usage=3/3');

		const refused = await api.query('SELECT Id FROM Account');
		expect(refused.status).toBe(403);
		expect(refused.body).toEqual([
			{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' },
		]);
		expect(refused.headers.get('sforce-limit-info')).toBe('api-usage=3/3');
		const write = await api.call('POST', 'sobjects/Account', { Name: 'Over the limit' });
		expect(write.status).toBe(403);
		expect(standin.records('Account').some((row) => row.Name === 'Over the limit')).toBe(false);
		expect(standin.apiRequestCount).toBe(3);

		standin.setApiUsage({ max: 10 });
		expect((await api.get('limits')).body.DailyApiRequests).toEqual({ Max: 10, Remaining: 6 });
		standin.setApiUsage({ used: 10 });
		expect((await api.get('limits')).status).toBe(403);
		standin.setApiUsage({ used: 0 });
		expect((await api.get('limits')).status).toBe(200);
	});

	it('still answers limits, versions and userinfo as before', async () => {
		const { standin, api } = await connect();
		const resources = await api.get('');
		expect(resources.body).toMatchObject({
			limits: `${API}/limits`,
			query: `${API}/query`,
			sobjects: `${API}/sobjects`,
		});
		const userinfo = await fetch(`${standin.url}/services/oauth2/userinfo`, {
			headers: { Authorization: `Bearer ${api.token}` },
		});
		expect(userinfo.status).toBe(200);
		expect(userinfo.headers.get('sforce-limit-info')).toBeNull();
		expect((await api.get('/services/data/v19.0/limits')).status).toBe(404);
	});
});

describe('REST faults', () => {
	it.each([
		[{ kind: 'server-unavailable' } as const, 503, 'SERVER_UNAVAILABLE', undefined],
		[
			{ kind: 'unable-to-lock-row' } as const,
			400,
			'UNABLE_TO_LOCK_ROW',
			'unable to obtain exclusive access to this record',
		],
		[
			{ kind: 'concurrent-limit' } as const,
			403,
			'REQUEST_LIMIT_EXCEEDED',
			'ConcurrentRequests (Concurrent API Requests) Limit exceeded.',
		],
	])('%o answers %i %s and writes nothing', async (fault, status, errorCode, message) => {
		const { standin, api } = await connect({ seedData: false });
		standin.setRestFault(fault, { times: 1 });
		const answer = await api.call('POST', 'sobjects/Account', { Name: 'Faulted' });
		expect(answer.status).toBe(status);
		expect(answer.body).toHaveLength(1);
		expect(answer.body[0].errorCode).toBe(errorCode);
		if (message) expect(answer.body[0].message).toBe(message);
		expect(answer.headers.get('sforce-limit-info')).toBe('api-usage=1/15000');
		expect(standin.records('Account')).toEqual([]);

		const retried = await api.call('POST', 'sobjects/Account', { Name: 'Faulted' });
		expect(retried.status).toBe(201);
		expect(standin.records('Account')).toHaveLength(1);
	});

	it('applies only to matching methods and paths, for `times` requests, and not to the token endpoint', async () => {
		const { standin, api } = await connect();
		standin.setRestFault(
			{ kind: 'unable-to-lock-row' },
			{ times: 2, method: 'PATCH', path: /\/composite\/sobjects/ },
		);
		expect((await api.get('limits')).status).toBe(200);
		expect((await api.call('POST', 'composite/sobjects', { records: [] })).status).toBe(200);
		const [id] = standin.insertRecords('Account', [{ Name: 'Not on the path' }]);
		expect((await api.call('PATCH', `sobjects/Account/${id}`, { Phone: '1' })).status).toBe(204);
		const patch = () => api.call('PATCH', 'composite/sobjects', { records: [] });
		expect([(await patch()).status, (await patch()).status, (await patch()).status]).toEqual([
			400, 400, 200,
		]);

		standin.setRestFault({
			kind: 'error',
			status: 500,
			errorCode: 'UNKNOWN_EXCEPTION',
			message: 'An unexpected error occurred.',
		});
		expect((await api.get('limits')).body).toEqual([
			{ errorCode: 'UNKNOWN_EXCEPTION', message: 'An unexpected error occurred.' },
		]);
		expect(await login(standin)).toBeTruthy();
		standin.setRestFault(undefined);
		expect((await api.get('limits')).status).toBe(200);
	});

	it('expireSessionsAfterRequests ends every session after N more REST requests', async () => {
		const { standin, api } = await connect();
		standin.expireSessionsAfterRequests(2);
		expect((await api.get('limits')).status).toBe(200);
		expect((await api.get('limits')).status).toBe(200);
		expect(standin.activeSessions()).toEqual([]);
		expect((await api.get('limits')).status).toBe(401);
		const renewed = rest(standin, await login(standin));
		expect((await renewed.get('limits')).status).toBe(200);
		expect((await renewed.get('limits')).status).toBe(200);
	});
});

describe('data hooks', () => {
	it('seeds the sample data, inserts with the API rules (all or none), and resets', async () => {
		const { standin } = await connect({ label: 'qa' });
		expect(standin.records('Account').map((row) => row.Name)).toEqual([
			'Edge Communications (qa)',
			'Burlington Textiles Corp of America (qa)',
			'Pyramid Construction Inc. (qa)',
		]);
		expect(standin.records('Contact')).toHaveLength(2);
		expect(standin.records('Lead')).toHaveLength(2);
		expect(standin.records('Invoice__c').map((row) => row.Invoice_Number__c)).toEqual([
			'INV-0001',
			'INV-0002',
		]);
		expect(standin.records('User').map((row) => row.Username)).toEqual([standin.demo.username]);

		const ids = standin.insertRecords('invoice__c', [
			{ invoice_number__c: 'H-1' },
			{ Invoice_Number__c: 'H-2' },
		]);
		expect(ids).toEqual([
			expect.stringMatching(/^a0X[A-Za-z0-9]{15}$/),
			expect.stringMatching(/^a0X/),
		]);
		expect(() =>
			standin.insertRecords('Invoice__c', [
				{ Invoice_Number__c: 'H-3' },
				{ Invoice_Number__c: 'H-1' },
			]),
		).toThrow(/row 1: DUPLICATE_VALUE/);
		expect(standin.records('Invoice__c').map((row) => row.Invoice_Number__c)).toEqual([
			'INV-0001',
			'INV-0002',
			'H-1',
			'H-2',
		]);
		expect(() => standin.insertRecords('Opportunity', [{}])).toThrow(/no object 'Opportunity'/);
		expect(() => standin.insertRecords('Account', [{ Nme: 'x' }])).toThrow(/INVALID_FIELD/);
		expect(standin.apiRequestCount).toBe(0);

		standin.addValidationRule({ sobject: 'Account', message: 'never', errorCondition: () => true });
		standin.resetData();
		expect(standin.records('Invoice__c')).toHaveLength(2);
		expect(standin.insertRecords('Account', [{ Name: 'after reset' }])).toHaveLength(1);
	});

	it('starts empty with seedData: false', async () => {
		const { standin, api } = await connect({ seedData: false });
		expect((await api.query('SELECT Id FROM Account')).body).toEqual({
			totalSize: 0,
			done: true,
			records: [],
		});
		expect(standin.records('Account')).toEqual([]);
	});

	it('inserts 10,000 rows quickly enough for the benchmark', async () => {
		const { standin } = await connect({ seedData: false });
		const started = Date.now();
		standin.insertRecords(
			'Invoice__c',
			Array.from({ length: 10000 }, (_, i) => ({ Invoice_Number__c: `B-${i}` })),
		);
		expect(Date.now() - started).toBeLessThan(5000);
		expect(standin.records('Invoice__c')).toHaveLength(10000);
	});
});
