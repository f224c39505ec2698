/**
 * Get Access Token's live session through n8n-core, against the stand-in: proven alive at most
 * once a minute (by any request of the process), renewed when it ended, never one of old details.
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import { connect, getLiveSession, queryRecords } from '../../../nodes/client';
import { forgetAllSessions } from '../../../nodes/client/liveSessions';
import { CredentialStore } from '../../support/n8n-harness';
import { runSalesforceAction, storedCredential, useStandin } from '../../support/fixtures';
import { runProbe } from '../../support/transportProbe';

const standin = useStandin();

beforeEach(() => forgetAllSessions());

describe('Get Access Token proves a session alive at most once a minute', () => {
	it('50 executions in a row: one session check', async () => {
		const sf = standin();
		const store = new CredentialStore();
		const credential = storedCredential(sf);
		for (let run = 0; run < 50; run++) await runSalesforceAction({ credential, store });
		expect(
			sf.requests.filter((request) => request.path === '/services/data/v62.0/limits'),
		).toHaveLength(1);
		expect(sf.loginCount).toBe(1);
	});

	it('a session any REST request just used needs no check of its own', async () => {
		const sf = standin();
		const store = new CredentialStore();
		const credential = storedCredential(sf);
		await runProbe(
			sf,
			async function (this: IExecuteFunctions) {
				return await queryRecords(connect(this), 'SELECT Id FROM Account');
			},
			{ store, credential },
		);
		sf.resetRecords();
		const { output } = await runSalesforceAction({ credential, store });
		expect(output[0][0].json.SF_ACCESS_TOKEN).toBe(sf.activeSessions()[0]);
		expect(sf.requests).toHaveLength(0);
	});

	it('checks again once the minute is over, and replaces a session that ended meanwhile', async () => {
		const sf = standin();
		const store = new CredentialStore();
		const credential = storedCredential(sf);
		await runSalesforceAction({ credential, store });
		const first = sf.activeSessions()[0];
		sf.expireAllSessions();
		const now = Date.now();
		const clock = jest.spyOn(Date, 'now').mockReturnValue(now + 61_000);
		try {
			const { output } = await runSalesforceAction({ credential, store });
			expect(output[0][0].json.SF_ACCESS_TOKEN).not.toBe(first);
			expect(sf.loginCount).toBe(2);
		} finally {
			clock.mockRestore();
		}
	});

	it('never hands out a remembered session of details the credential no longer has', async () => {
		const sf = standin();
		const store = new CredentialStore();
		const credential = storedCredential(sf);
		await runSalesforceAction({ credential, store });
		const first = sf.activeSessions()[0];
		// The credential is edited (another user): its stored session belongs to the old details.
		sf.users.push({
			username: 'other@example.com',
			password: 'Other#Pass1',
			securityToken: sf.demo.securityToken,
		});
		store.patchData(credential.id, { username: 'other@example.com', password: 'Other#Pass1' });
		const { output } = await runSalesforceAction({ credential, store });
		expect(output[0][0].json.SF_ACCESS_TOKEN).not.toBe(first);
		expect(sf.loginCount).toBe(2);
	});

	it('getLiveSession remembers only a hash of the token', async () => {
		const sf = standin();
		const { result } = await runProbe(sf, async function (this: IExecuteFunctions) {
			return (await getLiveSession(connect(this))).accessToken;
		});
		const liveSessions = await import('../../../nodes/client/liveSessions');
		expect(liveSessions.provenAliveRecently(result)).toBe(true);
		expect(JSON.stringify(Object.values(liveSessions))).not.toContain(result);
	});
});
