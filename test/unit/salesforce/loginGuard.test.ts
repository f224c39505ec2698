import {
	AUTH_FAILURE_COOLDOWN_MS,
	LoginGuard,
	RATE_LIMIT_COOLDOWN_MS,
	SalesforceAuthError,
} from '../../../nodes/salesforce';
import type { SalesforceSession } from '../../../nodes/salesforce';

function sessionWith(accessToken: string): SalesforceSession {
	return { accessToken, instanceUrl: 'https://acme.my.salesforce.com', identityUrl: '', tokenType: 'Bearer', issuedAt: '1', orgId: '', userId: '' };
}

const refused = () => new SalesforceAuthError('authentication-failure', 'Salesforce refused the username and password.', 'Check them.', { salesforceError: 'invalid_grant', httpStatus: 400 });

describe('LoginGuard', () => {
	let now = 1_000_000;
	const clock = () => now;
	beforeEach(() => {
		now = 1_000_000;
	});

	it('shares one login between callers that arrive while it runs', async () => {
		const guard = new LoginGuard(clock);
		let logins = 0;
		let finish: (session: SalesforceSession) => void = () => undefined;
		const login = () => {
			logins++;
			return new Promise<SalesforceSession>((resolve) => (finish = resolve));
		};
		const callers = Array.from({ length: 20 }, () => guard.login('key', '', login).then((result) => result.session));
		finish(sessionWith('T1'));
		const sessions = await Promise.all(callers);
		expect(logins).toBe(1);
		expect(new Set(sessions.map((s) => s.accessToken))).toEqual(new Set(['T1']));
	});

	it('hands a fresh session to a caller that missed it, but never the one the caller found dead', async () => {
		const guard = new LoginGuard(clock);
		let logins = 0;
		const login = async () => sessionWith(`T${++logins}`);
		expect((await guard.login('key', '', login)).session.accessToken).toBe('T1');
		expect((await guard.login('key', '', login)).session.accessToken).toBe('T1');
		expect(logins).toBe(1);
		expect((await guard.login('key', 'T1', login)).session.accessToken).toBe('T2');
		now += 61_000;
		expect((await guard.login('key', '', login)).session.accessToken).toBe('T3');
	});

	it('cools down after an authentication failure, and lifts it after the pause or on request', async () => {
		const guard = new LoginGuard(clock);
		await expect(guard.login('key', '', async () => { throw refused(); })).rejects.toThrow('refused');
		const coolingDown = guard.coolingDown('key');
		expect(coolingDown?.reason).toBe('cooling-down');
		expect(coolingDown?.message).toMatch(/Not retried/);
		expect(coolingDown?.description).toMatch(/Test button/);
		expect(guard.coolingDown('other-key')).toBeUndefined();
		now += AUTH_FAILURE_COOLDOWN_MS;
		expect(guard.coolingDown('key')).toBeUndefined();

		await expect(guard.login('key', '', async () => { throw refused(); })).rejects.toThrow();
		guard.lift('key');
		expect(guard.coolingDown('key')).toBeUndefined();
	});

	it('backs off longer after "login rate exceeded"', async () => {
		const guard = new LoginGuard(clock);
		const rateLimited = new SalesforceAuthError('login-rate-exceeded', 'login rate exceeded', 'wait');
		await expect(guard.login('key', '', async () => { throw rateLimited; })).rejects.toBe(rateLimited);
		now += AUTH_FAILURE_COOLDOWN_MS;
		expect(guard.coolingDown('key')).toBeDefined();
		now += RATE_LIMIT_COOLDOWN_MS - AUTH_FAILURE_COOLDOWN_MS;
		expect(guard.coolingDown('key')).toBeUndefined();
	});

	it('does not cool down after a network failure, and a success clears an earlier refusal', async () => {
		const guard = new LoginGuard(clock);
		const timeout = new SalesforceAuthError('timeout', 'no answer', 'later');
		await expect(guard.login('key', '', async () => { throw timeout; })).rejects.toBe(timeout);
		expect(guard.coolingDown('key')).toBeUndefined();
		await expect(guard.login('key', '', async () => { throw refused(); })).rejects.toThrow();
		await guard.login('key', '', async () => sessionWith('T'));
		expect(guard.coolingDown('key')).toBeUndefined();
	});
});
