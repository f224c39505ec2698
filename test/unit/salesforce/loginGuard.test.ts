import {
	AUTH_FAILURE_COOLDOWN_MS,
	LoginGuard,
	parseStoredRefusal,
	RATE_LIMIT_COOLDOWN_MS,
	SalesforceAuthError,
	storedRefusalInForce,
} from '../../../nodes/salesforce';
import type { SalesforceSession } from '../../../nodes/salesforce';

function sessionWith(accessToken: string, issuedAt = '1'): SalesforceSession {
	return {
		accessToken,
		instanceUrl: 'https://acme.my.salesforce.com',
		identityUrl: '',
		tokenType: 'Bearer',
		issuedAt,
		orgId: '',
		userId: '',
	};
}

const refused = () =>
	new SalesforceAuthError(
		'authentication-failure',
		'Salesforce refused the username and password.',
		'Check them.',
		{ salesforceError: 'invalid_grant', httpStatus: 400 },
	);

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
		const callers = Array.from({ length: 20 }, () =>
			guard.login('key', '', login).then((result) => result.session),
		);
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
		await expect(
			guard.login('key', '', async () => {
				throw refused();
			}),
		).rejects.toThrow('refused');
		const coolingDown = guard.coolingDown('key');
		expect(coolingDown?.reason).toBe('cooling-down');
		expect(coolingDown?.message).toMatch(/Not retried/);
		expect(coolingDown?.description).toMatch(
			/open the credential \(n8n tests it on opening; Retry tests it again\), to try again at once/,
		);
		expect(guard.coolingDown('other-key')).toBeUndefined();
		now += AUTH_FAILURE_COOLDOWN_MS;
		expect(guard.coolingDown('key')).toBeUndefined();

		await expect(
			guard.login('key', '', async () => {
				throw refused();
			}),
		).rejects.toThrow();
		guard.lift('key');
		expect(guard.coolingDown('key')).toBeUndefined();
	});

	it('backs off longer after "login rate exceeded"', async () => {
		const guard = new LoginGuard(clock);
		const rateLimited = new SalesforceAuthError(
			'login-rate-exceeded',
			'login rate exceeded',
			'wait',
		);
		await expect(
			guard.login('key', '', async () => {
				throw rateLimited;
			}),
		).rejects.toBe(rateLimited);
		now += AUTH_FAILURE_COOLDOWN_MS;
		expect(guard.coolingDown('key')).toBeDefined();
		now += RATE_LIMIT_COOLDOWN_MS - AUTH_FAILURE_COOLDOWN_MS;
		expect(guard.coolingDown('key')).toBeUndefined();
	});

	it('does not cool down after a network failure, and a success clears an earlier refusal', async () => {
		const guard = new LoginGuard(clock);
		const timeout = new SalesforceAuthError('timeout', 'no answer', 'later');
		await expect(
			guard.login('key', '', async () => {
				throw timeout;
			}),
		).rejects.toBe(timeout);
		expect(guard.coolingDown('key')).toBeUndefined();
		await expect(
			guard.login('key', '', async () => {
				throw refused();
			}),
		).rejects.toThrow();
		await guard.login('key', '', async () => sessionWith('T'));
		expect(guard.coolingDown('key')).toBeUndefined();
	});

	describe('short memory in queue mode (two workers, one stored session)', () => {
		// Worker A logged in (A1, remembered here); worker B logged in too and stored its own B1, which
		// every execution used since. Salesforce ends all sessions: B1 is found dead.
		it('does not hand out a remembered session that is no newer than the dead one', async () => {
			const guard = new LoginGuard(clock);
			let logins = 0;
			const login = async () => sessionWith(`A${++logins + 1}`, String(2000 + logins));
			await guard.login('key', '', async () => sessionWith('A1', '1000'));
			const renewed = await guard.login('key', { accessToken: 'B1', issuedAt: '1500' }, login);
			expect(renewed).toEqual({
				session: expect.objectContaining({ accessToken: 'A2' }),
				fromMemory: false,
			});
			expect(logins).toBe(1);
		});

		it('does not hand out one issued after the dead one either, when its login did not replace that one', async () => {
			// A1 was issued a moment after B1, but B1 was stored last (the race of two logins at once).
			const guard = new LoginGuard(clock);
			await guard.login('key', '', async () => sessionWith('A1', '1600'));
			const renewed = await guard.login('key', { accessToken: 'B1', issuedAt: '1500' }, async () =>
				sessionWith('A2', '3000'),
			);
			expect(renewed.fromMemory).toBe(false);
			expect(renewed.session.accessToken).toBe('A2');
		});

		it("still hands this process's fresh session to callers that found dead the session it replaced", async () => {
			const guard = new LoginGuard(clock);
			const dead = { accessToken: 'S0', issuedAt: '1000' };
			await guard.login('key', dead, async () => sessionWith('S1', '2000'));
			expect(await guard.login('key', dead, async () => sessionWith('never', '9'))).toEqual({
				session: expect.objectContaining({ accessToken: 'S1' }),
				fromMemory: true,
			});
			expect(await guard.login('key', '', async () => sessionWith('never', '9'))).toEqual({
				session: expect.objectContaining({ accessToken: 'S1' }),
				fromMemory: true,
			});
			// S1 itself found dead: log in.
			expect(
				(
					await guard.login('key', { accessToken: 'S1', issuedAt: '2000' }, async () =>
						sessionWith('S2', '3000'),
					)
				).session.accessToken,
			).toBe('S2');
		});

		it('forgets a remembered session as soon as a 401 shows it dead', async () => {
			const guard = new LoginGuard(clock);
			await guard.login('key', '', async () => sessionWith('S1', '2000'));
			guard.forgetSession('key', 'S1');
			expect(
				(await guard.login('key', '', async () => sessionWith('S2', '3000'))).session.accessToken,
			).toBe('S2');
		});
	});

	describe('the refusal as the credential stores it for every process', () => {
		it('holds the texts and times, no secret, and reads back as the same cool-down in a process that never saw it', async () => {
			const guard = new LoginGuard(clock);
			await expect(
				guard.login('key', '', async () => {
					throw refused();
				}),
			).rejects.toThrow();
			const stored = guard.refusalToStore('key');
			expect(stored).toEqual({
				key: 'key',
				reason: 'authentication-failure',
				message: 'Salesforce refused the username and password.',
				description: 'Check them.',
				salesforceError: 'invalid_grant',
				httpStatus: 400,
				at: now,
				until: now + AUTH_FAILURE_COOLDOWN_MS,
			});
			const text = JSON.stringify(stored);
			expect(parseStoredRefusal(text)).toEqual(stored);
			now += 60_000;
			const elsewhere = new LoginGuard(clock);
			const fromStore = elsewhere.storedRefusalInForce(text, 'key');
			const here = guard.coolingDown('key');
			expect(fromStore).toBeInstanceOf(SalesforceAuthError);
			expect(fromStore?.reason).toBe('cooling-down');
			expect(fromStore?.message).toBe(here?.message);
			expect(fromStore?.description).toBe(here?.description);
			expect(fromStore?.httpStatus).toBe(400);
			// Other details (an edited credential), or after the pause: not in force.
			expect(storedRefusalInForce(text, 'other-key', now)).toBeUndefined();
			expect(storedRefusalInForce(text, 'key', now + AUTH_FAILURE_COOLDOWN_MS)).toBeUndefined();
			expect(storedRefusalInForce('', 'key', now)).toBeUndefined();
			expect(storedRefusalInForce('{not json', 'key', now)).toBeUndefined();
		});

		it('has nothing to store without a refusal in force', async () => {
			const guard = new LoginGuard(clock);
			expect(guard.refusalToStore('key')).toBeUndefined();
			await expect(
				guard.login('key', '', async () => {
					throw new SalesforceAuthError('timeout', 'no answer', 'later');
				}),
			).rejects.toThrow();
			expect(guard.refusalToStore('key')).toBeUndefined();
		});
	});
});
