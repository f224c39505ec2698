/**
 * The Salesforce Integration API credential, run through n8n-core's real request helper against the
 * local Salesforce stand-in: what it sends, what it stores, and how every failure reads.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import { startSalesforceStandin } from '../../../dev/salesforce-standin';
import type { SalesforceStandin, StandinFault } from '../../../dev/salesforce-standin';
import { SalesforceAuthError } from '../../../nodes/salesforce';
import {
	createLogCapture,
	CredentialStore,
	runLogin,
	runPreAuthentication,
	testCredential,
} from '../../support/n8n-harness';
import { credentialDataFor, credentialType, secretsOf, useStandin } from '../../support/fixtures';

const standin = useStandin();

async function loginFailure(data: ICredentialDataDecryptedObject): Promise<SalesforceAuthError> {
	const outcome = await runLogin(credentialType, data).then(
		() => undefined,
		(error: unknown) => error,
	);
	if (!(outcome instanceof SalesforceAuthError)) {
		throw new Error(`expected a SalesforceAuthError, got ${String(outcome)}`);
	}
	const text = `${outcome.message}\n${outcome.description}`;
	for (const secret of secretsOf(data)) expect(text).not.toContain(secret);
	return outcome;
}

describe('preAuthentication', () => {
	it('logs in with a form-encoded POST and returns the session to store', async () => {
		const sf = standin();
		const stored = await runPreAuthentication(credentialType, credentialDataFor(sf));
		expect(stored.accessToken).toMatch(new RegExp(`^${sf.orgId}!`));
		expect(stored.instanceUrl).toBe(sf.url);
		expect(stored.identityUrl).toMatch(/\/id\/00D\w+\/005\w+$/);
		expect(stored.issuedAt).toMatch(/^\d{13}$/);
		expect(sf.activeSessions()).toContain(stored.accessToken);

		const [request] = sf.tokenRequests();
		expect(request.method).toBe('POST');
		expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
		expect(request.query).toEqual({});
		expect(request.form).toEqual({
			grant_type: 'password',
			client_id: sf.demo.consumerKey,
			client_secret: sf.demo.consumerSecret,
			username: sf.demo.username,
			password: sf.demo.password + sf.demo.securityToken,
		});
	});

	it('keeps a stored session Salesforce still accepts for the same details (no login, nothing to store)', async () => {
		const sf = standin();
		const data = credentialDataFor(sf);
		const stored = (await runPreAuthentication(
			credentialType,
			data,
		)) as ICredentialDataDecryptedObject;
		expect(stored.sessionKey).toMatch(/^[0-9a-f]{64}$/);
		sf.resetRecords();

		expect(await runPreAuthentication(credentialType, { ...data, ...stored })).toEqual({});
		expect(sf.tokenRequests()).toHaveLength(0);
		expect(sf.requests.map((request) => request.path)).toEqual(['/services/data/v62.0/limits']);

		sf.expireAllSessions();
		const renewed = await runPreAuthentication(credentialType, { ...data, ...stored });
		expect(renewed.accessToken).not.toBe(stored.accessToken);
		expect(sf.tokenRequests()).toHaveLength(1);
	});

	it('logs in afresh when the details changed, even while the old session lives (the Test button proves the new ones)', async () => {
		const sf = standin();
		sf.users.push({ username: 'second.user@demo.standin.example', password: 'Second-Pw#1' });
		const data = credentialDataFor(sf);
		const stored = (await runPreAuthentication(
			credentialType,
			data,
		)) as ICredentialDataDecryptedObject;
		sf.resetRecords();

		const edited = {
			...data,
			...stored,
			username: 'second.user@demo.standin.example',
			password: 'Second-Pw#1',
			securityToken: '',
		};
		const fresh = await runPreAuthentication(credentialType, edited);
		expect(sf.tokenRequests()).toHaveLength(1);
		expect(sf.tokenRequests()[0].form?.username).toBe('second.user@demo.standin.example');
		expect(fresh.accessToken).not.toBe(stored.accessToken);
		expect(fresh.sessionKey).not.toBe(stored.sessionKey);
		expect(sf.activeSessions()).toContain(stored.accessToken);

		// A wrong new password is refused, not hidden behind the old session.
		await expect(
			runLogin(credentialType, { ...data, ...stored, password: 'wrong' }),
		).rejects.toThrow(/refused the username and password/);
	});

	it('sends a password with every special character byte for byte, no hand-encoding needed', async () => {
		const sf = standin();
		const password = `#42LBMDEH & + % = ? / space é 漢 %23 '"<>\\ ${'x'.repeat(40)}`;
		sf.users[0].password = password;
		const stored = await runPreAuthentication(credentialType, credentialDataFor(sf, { password }));
		expect(stored.accessToken).toBeTruthy();
		expect(sf.tokenRequests()[0].form?.password).toBe(password + sf.demo.securityToken);
		expect(sf.tokenRequests()[0].rawBody).not.toContain('#');
	});

	it('logs in with the Client Credentials flow without any user details', async () => {
		const sf = standin();
		const stored = await runPreAuthentication(
			credentialType,
			credentialDataFor(sf, {
				authFlow: 'clientCredentials',
				username: '',
				password: '',
				securityToken: '',
			}),
		);
		expect(stored.accessToken).toBeTruthy();
		expect(sf.tokenRequests()[0].form).toEqual({
			grant_type: 'client_credentials',
			client_id: sf.demo.consumerKey,
			client_secret: sf.demo.consumerSecret,
		});
	});

	it('refuses bad input before any request', async () => {
		const sf = standin();
		const error = await loginFailure(credentialDataFor(sf, { username: 'not-an-email' }));
		expect(error.reason).toBe('invalid-input');
		expect(error.message).toMatch(/^Username:/);
		expect(sf.requests).toHaveLength(0);
	});
});

describe('every Salesforce refusal reads as what is wrong and what to do, and is never retried', () => {
	type Case = [string, (sf: SalesforceStandin) => ICredentialDataDecryptedObject, string, RegExp];
	const cases: Case[] = [
		[
			'wrong password',
			(sf) => credentialDataFor(sf, { password: 'wrong' }),
			'authentication-failure',
			/Login History/,
		],
		[
			'missing security token',
			(sf) => credentialDataFor(sf, { securityToken: '' }),
			'authentication-failure',
			/Security Token/,
		],
		[
			'locked user',
			(sf) => {
				sf.users[0].status = 'locked';
				return credentialDataFor(sf);
			},
			'authentication-failure',
			/locked out/,
		],
		[
			'IP restricted',
			(sf) => {
				sf.users[0].ipRestricted = true;
				return credentialDataFor(sf);
			},
			'ip-restricted',
			/Login IP Ranges/,
		],
		[
			'wrong consumer key',
			(sf) => credentialDataFor(sf, { consumerKey: '3MVG9wrong' }),
			'invalid-client-id',
			/2–10 minutes/,
		],
		[
			'wrong consumer secret',
			(sf) => credentialDataFor(sf, { consumerSecret: 'wrong-secret' }),
			'invalid-client-secret',
			/Manage Consumer Details/,
		],
		[
			'username-password flow blocked',
			(sf) => {
				sf.apps[0].passwordFlow = false;
				return credentialDataFor(sf);
			},
			'unsupported-grant-type',
			/Allow OAuth Username-Password Flows/,
		],
		[
			'deactivated user',
			(sf) => {
				sf.users[0].status = 'inactive';
				return credentialDataFor(sf);
			},
			'inactive-user',
			/Reactivate/,
		],
		[
			'user without app access',
			(sf) => {
				sf.users[0].appAccess = false;
				return credentialDataFor(sf);
			},
			'app-access',
			/permission set/,
		],
		[
			'no Run-As user for client credentials',
			(sf) => {
				sf.apps[0].clientCredentialsRunAs = undefined;
				return credentialDataFor(sf, { authFlow: 'clientCredentials' });
			},
			'no-run-as-user',
			/Run As/,
		],
	];

	it.each(cases)('%s', async (_name, prepare, reason, fix) => {
		const sf = standin();
		const error = await loginFailure(prepare(sf));
		expect(error.reason).toBe(reason);
		expect(error.description).toMatch(fix);
		expect(error.isAuthenticationFailure).toBe(true);
		expect(sf.tokenRequests()).toHaveLength(1);
	});

	it('inactive org', async () => {
		const sf = await startSalesforceStandin({ orgStatus: 'inactive' });
		try {
			const error = await loginFailure(credentialDataFor(sf));
			expect(error.reason).toBe('inactive-org');
			expect(sf.tokenRequests()).toHaveLength(1);
		} finally {
			await sf.close();
		}
	});

	it('login rate exceeded', async () => {
		const sf = await startSalesforceStandin({ loginRateLimitPerHour: 0 });
		try {
			const error = await loginFailure(credentialDataFor(sf));
			expect(error.reason).toBe('login-rate-exceeded');
			expect(error.message).toMatch(/3,600/);
			expect(sf.tokenRequests()).toHaveLength(1);
		} finally {
			await sf.close();
		}
	});

	it('client credentials on a generic login host', async () => {
		const sf = await startSalesforceStandin({ myDomain: false });
		try {
			const error = await loginFailure(credentialDataFor(sf, { authFlow: 'clientCredentials' }));
			expect(error.reason).toBe('client-credentials-on-generic-host');
			expect(error.description).toMatch(/My Domain/);
		} finally {
			await sf.close();
		}
	});
});

describe('answers that are not a token', () => {
	const faults: Array<[string, StandinFault, string, RegExp]> = [
		['a wrong signature', { kind: 'bad-signature' }, 'bad-signature', /signature check/],
		[
			'200 without access_token',
			{ kind: 'no-access-token' },
			'bad-response',
			/without access_token/,
		],
		[
			'an HTML maintenance page',
			{ kind: 'html', status: 500 },
			'server-error',
			/HTTP 500 with an HTML page/,
		],
		['truncated JSON', { kind: 'truncated-json' }, 'bad-response', /JSON that could not be read/],
		['invalid JSON', { kind: 'invalid-json' }, 'bad-response', /HTTP 200/],
		[
			'a 302 redirect',
			{
				kind: 'redirect',
				status: 302,
				location: 'https://acme.my.salesforce.com/services/oauth2/token',
			},
			'redirect',
			/redirect \(HTTP 302\) to acme\.my\.salesforce\.com/,
		],
		[
			'a 307 redirect',
			{ kind: 'redirect', status: 307, location: 'https://evil.test/steal' },
			'redirect',
			/never re-sent/,
		],
		[
			'an unknown OAuth error',
			{ kind: 'error', status: 400, error: 'invalid_request', error_description: 'bad things' },
			'oauth-error',
			/invalid_request: bad things/,
		],
	];

	it.each(faults)('%s', async (_name, fault, reason, message) => {
		const sf = standin();
		sf.setFault(fault);
		const data = credentialDataFor(sf);
		const error = await loginFailure(data);
		expect(error.reason).toBe(reason);
		expect(error.message).toMatch(message);
		// Only the request itself: a redirect is never followed, nothing is retried.
		expect(sf.requests).toHaveLength(1);
		expect(error.message).not.toMatch(/00D\w+!/);
	});
});

describe('network faults', () => {
	it('gives up at the configured timeout and names the host and the limit', async () => {
		const sf = standin();
		sf.setFault({ kind: 'hang' });
		const error = await loginFailure(credentialDataFor(sf, { timeout: 1 }));
		expect(error.reason).toBe('timeout');
		expect(error.message).toBe('Salesforce did not answer within 1 seconds (127.0.0.1).');
		expect(sf.tokenRequests()).toHaveLength(1);
	});

	it('succeeds when the answer is slow but within the timeout', async () => {
		const sf = standin();
		sf.setFault({ kind: 'delay', ms: 300 });
		const stored = await runPreAuthentication(
			credentialType,
			credentialDataFor(sf, { timeout: 5 }),
		);
		expect(stored.accessToken).toBeTruthy();
	});

	it('retries a reset connection and a gateway error a bounded number of times', async () => {
		const sf = standin();
		sf.setFault({ kind: 'reset' }, { times: 1 });
		expect(
			(await runPreAuthentication(credentialType, credentialDataFor(sf))).accessToken,
		).toBeTruthy();
		expect(sf.tokenRequests()).toHaveLength(2);

		const other = await startSalesforceStandin({ label: 'gateway' });
		try {
			other.setFault({ kind: 'html', status: 503 }, { times: 2 });
			expect(
				(await runPreAuthentication(credentialType, credentialDataFor(other))).accessToken,
			).toBeTruthy();
			expect(other.tokenRequests()).toHaveLength(3);
		} finally {
			await other.close();
		}
	});

	it('stops retrying after three attempts and says the connection was reset', async () => {
		const sf = standin();
		sf.setFault({ kind: 'reset' });
		const error = await loginFailure(credentialDataFor(sf));
		expect(error.reason).toBe('connection-reset');
		expect(sf.tokenRequests()).toHaveLength(3);
	});

	it('explains a DNS failure with the outdated-My-Domain hint', async () => {
		const error = await loginFailure(
			credentialDataFor(standin(), {
				domain: 'n8n-sfi-test-does-not-exist.develop.my.salesforce.com',
			}),
		);
		expect(['dns', 'network']).toContain(error.reason);
		if (error.reason === 'dns')
			expect(error.description).toMatch(/xyz\.develop\.my\.salesforce\.com/);
	});

	// The self-signed certificate and its key: removed after these tests, also when one fails or times out.
	let tlsDirectory: string | undefined;
	afterAll(() => {
		if (tlsDirectory) rmSync(tlsDirectory, { recursive: true, force: true });
	});

	it('refuses a certificate it cannot trust and says how to fix it', async () => {
		const directory = (tlsDirectory = mkdtempSync(join(tmpdir(), 'sfi-tls-')));
		execFileSync(
			'openssl',
			[
				'req',
				'-x509',
				'-newkey',
				'rsa:2048',
				'-nodes',
				'-subj',
				'/CN=127.0.0.1',
				'-days',
				'1',
				'-keyout',
				join(directory, 'key.pem'),
				'-out',
				join(directory, 'cert.pem'),
			],
			{ stdio: 'ignore' },
		);
		const sf = await startSalesforceStandin({
			tls: {
				key: readFileSync(join(directory, 'key.pem')),
				cert: readFileSync(join(directory, 'cert.pem')),
			},
		});
		try {
			expect(sf.url).toMatch(/^https:/);
			const error = await loginFailure(credentialDataFor(sf));
			expect(error.reason).toBe('tls');
			expect(error.description).toMatch(/NODE_EXTRA_CA_CERTS/);
			expect(sf.loginCount).toBe(0);
		} finally {
			await sf.close();
		}
	});
});

describe('the Test button', () => {
	it('logs in afresh, proves the session with userinfo, and stores it', async () => {
		const sf = standin();
		const store = new CredentialStore();
		const result = await testCredential(credentialType, credentialDataFor(sf), store);
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(sf.loginCount).toBe(1);
		expect(sf.requests.map((r) => r.path)).toEqual([
			'/services/oauth2/token',
			'/services/oauth2/userinfo',
		]);
		expect(store.persisted.at(-1)?.data.accessToken).toBe(sf.activeSessions()[0]);
	});

	it('shows the clear message, not an HTTP status text, and no secret', async () => {
		const sf = standin();
		const data = credentialDataFor(sf, { password: 'Wr0ng#Pass' });
		const logs = createLogCapture();
		const result = await testCredential(credentialType, data);
		logs.stop();
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/^Salesforce refused the username and password/);
		for (const secret of secretsOf(data)) expect(result.message).not.toContain(secret);
		expect(logs.findLeaks(secretsOf(data))).toEqual([]);
	});
});
