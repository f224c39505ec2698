/**
 * The credential's JWT Bearer flow through n8n-core's real helpers against the stand-in, which verifies
 * each assertion with the certificate of an External Client App: login, reuse, renewal, the Test
 * button, edit detection by the private key, every Salesforce JWT refusal explained, and the private
 * key (and its passphrase) in no error, log or output.
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import { startSalesforceStandin, type SalesforceStandin } from '../../../dev/salesforce-standin';
import { SalesforceAuthError } from '../../../nodes/salesforce';
import {
	createLogCapture,
	CredentialStore,
	runLogin,
	runPreAuthentication,
	testCredential,
} from '../../support/n8n-harness';
import {
	credentialType,
	jwtCredentialDataFor,
	JWT_CONSUMER_KEY,
	runSalesforceAction,
	secretsOf,
	useStandin,
} from '../../support/fixtures';
import { makeTestKeyPair, type TestKeyPair } from '../../support/jwtKeys';

const standin = useStandin({ label: 'acme' });

let keys: TestKeyPair;
let otherKeys: TestKeyPair;
beforeAll(() => {
	keys = makeTestKeyPair();
	otherKeys = makeTestKeyPair();
});

const GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

function claimsOf(assertion: string | undefined): Record<string, unknown> {
	return JSON.parse(
		Buffer.from((assertion ?? '').split('.')[1] ?? '', 'base64url').toString('utf8'),
	) as Record<string, unknown>;
}

async function loginFailure(data: ICredentialDataDecryptedObject): Promise<SalesforceAuthError> {
	const logs = createLogCapture();
	const outcome = await runLogin(credentialType, data).then(
		() => undefined,
		(error: unknown) => error,
	);
	logs.stop();
	if (!(outcome instanceof SalesforceAuthError))
		throw new Error(`expected a SalesforceAuthError, got ${String(outcome)}`);
	const text = `${outcome.message}\n${outcome.description}\n${JSON.stringify(outcome)}\n${outcome.stack ?? ''}`;
	for (const secret of secretsOf(data)) expect(text).not.toContain(secret);
	expect(logs.findLeaks(secretsOf(data))).toEqual([]);
	return outcome;
}

describe('a JWT Bearer credential', () => {
	it('logs in with only grant_type and a signed assertion, and stores the session with its key', async () => {
		const sf = standin();
		const data = jwtCredentialDataFor(sf, keys);
		const stored = await runPreAuthentication(credentialType, data);
		expect(stored.accessToken).toMatch(new RegExp(`^${sf.orgId}!`));
		expect(stored.instanceUrl).toBe(sf.url);
		expect(stored.identityUrl).toBe(`${sf.url}/id/${sf.orgId}/${sf.users[0].userId}`);
		expect(stored.issuedAt).toMatch(/^\d{13}$/);
		expect(stored.sessionKey).toMatch(/^[0-9a-f]{64}$/);
		expect(sf.activeSessions()).toEqual([stored.accessToken]);

		const [request] = sf.tokenRequests();
		expect(Object.keys(request.form ?? {})).toEqual(['grant_type', 'assertion']);
		expect(request.form?.grant_type).toBe(GRANT);
		expect(request.query).toEqual({});
		expect(claimsOf(request.form?.assertion)).toMatchObject({
			iss: JWT_CONSUMER_KEY,
			sub: sf.demo.username,
			aud: sf.url,
		});
		// The key signs; it never travels.
		for (const secret of secretsOf(data))
			expect(request.rawBody).not.toContain(encodeURIComponent(secret).slice(0, 60));
	});

	it('reuses the stored session while Salesforce accepts it, and logs in again once it has ended', async () => {
		const sf = standin();
		const data = jwtCredentialDataFor(sf, keys);
		const stored = (await runPreAuthentication(
			credentialType,
			data,
		)) as ICredentialDataDecryptedObject;
		sf.resetRecords();

		expect(await runPreAuthentication(credentialType, { ...data, ...stored })).toEqual({});
		expect(sf.tokenRequests()).toHaveLength(0);

		sf.expireAllSessions();
		const renewed = await runPreAuthentication(credentialType, { ...data, ...stored });
		expect(renewed.accessToken).not.toBe(stored.accessToken);
		expect(sf.tokenRequests()).toHaveLength(1);
		expect(sf.activeSessions()).toEqual([renewed.accessToken]);
	});

	it('runs the Salesforce Action node: one login, then the next execution reuses the session', async () => {
		const sf = standin();
		const store = new CredentialStore();
		const credential = {
			id: 'jwt-cred',
			name: 'Production Env',
			type: credentialType.name,
			data: jwtCredentialDataFor(sf, keys),
		};
		const first = await runSalesforceAction({ credential, store });
		const token = first.output[0]?.[0]?.json.SF_ACCESS_TOKEN;
		expect(sf.activeSessions()).toEqual([token]);
		expect(sf.tokenRequests()).toHaveLength(1);

		sf.resetRecords();
		const second = await runSalesforceAction({ credential, store });
		expect(second.output[0]?.[0]?.json.SF_ACCESS_TOKEN).toBe(token);
		expect(sf.tokenRequests()).toHaveLength(0);
		for (const secret of secretsOf(credential.data))
			expect(JSON.stringify([first.output, second.output])).not.toContain(secret);
	});

	it('logs in with an encrypted key and its passphrase, and with a PKCS#1 key', async () => {
		const sf = standin();
		expect(
			(
				await runPreAuthentication(
					credentialType,
					jwtCredentialDataFor(sf, keys, {
						privateKey: keys.encrypted,
						passphrase: keys.passphrase,
					}),
				)
			).accessToken,
		).toBeTruthy();
		expect(
			(
				await runPreAuthentication(
					credentialType,
					jwtCredentialDataFor(sf, keys, { privateKey: keys.pkcs1 }),
				)
			).accessToken,
		).toBeTruthy();
	});

	it('logs in afresh after the private key was edited, and a key of another certificate is refused, not hidden behind the old session', async () => {
		const sf = standin();
		const data = jwtCredentialDataFor(sf, keys);
		const stored = (await runPreAuthentication(
			credentialType,
			data,
		)) as ICredentialDataDecryptedObject;
		sf.resetRecords();

		const error = await loginFailure({ ...data, ...stored, privateKey: otherKeys.pkcs8 });
		expect(error.reason).toBe('jwt-invalid-assertion');
		expect(sf.tokenRequests()).toHaveLength(1);
	});

	it('after a key rotation (new key in the credential, its certificate on the app) the next run logs in with the new key and never sends the old session', async () => {
		const sf = standin();
		const store = new CredentialStore();
		const credential = {
			id: 'jwt-rotated',
			name: 'Production Env',
			type: credentialType.name,
			data: jwtCredentialDataFor(sf, keys),
		};
		await runSalesforceAction({ credential, store });
		const oldToken = store.getData(credential.id).accessToken as string;
		sf.resetRecords();

		const app = sf.apps.find((candidate) => candidate.consumerKey === JWT_CONSUMER_KEY);
		if (app) app.jwtCertificate = otherKeys.certificate;
		store.patchData(credential.id, { privateKey: otherKeys.pkcs8 });
		const run = await runSalesforceAction({ credential, store });
		const newToken = run.output[0]?.[0]?.json.SF_ACCESS_TOKEN;
		expect(newToken).not.toBe(oldToken);
		expect(sf.tokenRequests()).toHaveLength(1);
		expect(
			sf.requests.filter((request) =>
				String(request.headers.authorization ?? '').includes(oldToken),
			),
		).toEqual([]);
		expect(store.getData(credential.id).accessToken).toBe(newToken);
	});

	it('the Test button logs in afresh and proves the session with userinfo', async () => {
		const sf = standin();
		const store = new CredentialStore();
		const result = await testCredential(credentialType, jwtCredentialDataFor(sf, keys), store);
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(sf.requests.map((request) => request.path)).toEqual([
			'/services/oauth2/token',
			'/services/oauth2/userinfo',
		]);
		expect(store.persisted.at(-1)?.data.accessToken).toBe(sf.activeSessions()[0]);
	});

	it('the Test button shows the clear message for a wrong certificate, with no secret in it or in any log', async () => {
		const sf = standin();
		const data = jwtCredentialDataFor(sf, keys, { privateKey: otherKeys.pkcs8 });
		const logs = createLogCapture();
		const result = await testCredential(credentialType, data);
		logs.stop();
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(
			/^Salesforce could not verify the JWT Bearer assertion with the app's certificate/,
		);
		for (const secret of secretsOf(data)) expect(result.message).not.toContain(secret);
		expect(logs.findLeaks(secretsOf(data))).toEqual([]);
	});

	it('does not send an assertion Salesforce refused again during the cool-down; uploading the certificate and pressing Test tries at once', async () => {
		const sf = standin();
		const store = new CredentialStore();
		const credential = {
			id: 'jwt-cooldown',
			name: 'Production Env',
			type: credentialType.name,
			data: jwtCredentialDataFor(sf, keys, { privateKey: otherKeys.pkcs8 }),
		};
		await expect(runSalesforceAction({ credential, store })).rejects.toThrow(/invalid assertion/);
		for (let run = 0; run < 3; run++)
			await expect(runSalesforceAction({ credential, store })).rejects.toThrow(/Not retried/);
		expect(sf.tokenRequests()).toHaveLength(1);

		const app = sf.apps.find((candidate) => candidate.consumerKey === JWT_CONSUMER_KEY);
		if (app) app.jwtCertificate = otherKeys.certificate;
		expect(
			await testCredential(credentialType, credential.data, store, { credentialId: credential.id }),
		).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(
			(await runSalesforceAction({ credential, store })).output[0]?.[0]?.json.SF_ACCESS_TOKEN,
		).toBe(sf.activeSessions()[0]);
	});

	it('refuses a certificate pasted as the key before any request', async () => {
		const sf = standin();
		const error = await loginFailure(
			jwtCredentialDataFor(sf, keys, { privateKey: keys.certificate }),
		);
		expect(error.message).toMatch(/^Private Key: holds a certificate/);
		expect(sf.requests).toHaveLength(0);
	});
});

describe('every Salesforce JWT refusal reads as what is wrong and what to do, and is never retried', () => {
	type Case = [
		string,
		(sf: SalesforceStandin) => ICredentialDataDecryptedObject,
		string,
		RegExp,
		RegExp,
	];
	const cases: Case[] = [
		[
			'a key that does not match the uploaded certificate',
			(sf) => jwtCredentialDataFor(sf, keys, { privateKey: otherKeys.pkcs8 }),
			'jwt-invalid-assertion',
			/could not verify the JWT Bearer assertion/,
			/openssl x509 -noout -modulus/,
		],
		[
			'a user not pre-authorized',
			(sf) => {
				sf.users[0].appAccess = false;
				return jwtCredentialDataFor(sf, keys);
			},
			'jwt-not-pre-authorized',
			/user hasn't approved this consumer/,
			/Admin approved users are pre-authorized/,
		],
		[
			'an unknown user',
			(sf) => jwtCredentialDataFor(sf, keys, { username: 'nobody@acme.standin.example' }),
			'jwt-not-pre-authorized',
			/not pre-authorized/,
			/Username is this org's user/,
		],
		[
			'login.salesforce.com as audience of an External Client App',
			(sf) => jwtCredentialDataFor(sf, keys, { audience: 'login' }),
			'jwt-audience-invalid',
			/audience https:\/\/login\.salesforce\.com \(audience is invalid\)/,
			/External Client Apps.*My Domain/,
		],
		[
			'an unknown consumer key',
			(sf) => jwtCredentialDataFor(sf, keys, { consumerKey: '3MVG9wrong' }),
			'invalid-client-id',
			/does not know this Consumer Key/,
			/certificate is uploaded/,
		],
		[
			'a deactivated user',
			(sf) => {
				sf.users[0].status = 'inactive';
				return jwtCredentialDataFor(sf, keys);
			},
			'inactive-user',
			/deactivated/,
			/Reactivate/,
		],
	];

	it.each(cases)('%s', async (_name, prepare, reason, message, fix) => {
		const sf = standin();
		const error = await loginFailure(prepare(sf));
		expect(error.reason).toBe(reason);
		expect(error.message).toMatch(message);
		expect(error.description).toMatch(fix);
		expect(error.isAuthenticationFailure).toBe(true);
		expect(sf.tokenRequests()).toHaveLength(1);
	});

	it.each([
		['behind', -10 * 60_000],
		['ahead of', 10 * 60_000],
	])(
		"an n8n clock 10 minutes %s Salesforce's (expired or not yet valid assertion)",
		async (_name, skewMs) => {
			const sf = await startSalesforceStandin({ label: 'skewed', clockSkewMs: -skewMs });
			try {
				const error = await loginFailure(jwtCredentialDataFor(sf, keys));
				expect(error.reason).toBe('jwt-assertion-expired');
				expect(error.message).toMatch(/expired or not yet valid \(expired authorization code\)/);
				expect(error.description).toMatch(/clock/);
				expect(sf.tokenRequests()).toHaveLength(1);
			} finally {
				await sf.close();
			}
		},
	);

	it("test.salesforce.com as audience of a sandbox's older connected app", async () => {
		const sf = await startSalesforceStandin({ label: 'uat', sandbox: true });
		try {
			const data = jwtCredentialDataFor(sf, keys, { audience: 'test' });
			sf.apps[sf.apps.length - 1].externalClientApp = false;
			expect((await runPreAuthentication(credentialType, data)).accessToken).toBeTruthy();
			expect(claimsOf(sf.tokenRequests()[0].form?.assertion).aud).toBe(
				'https://test.salesforce.com',
			);
		} finally {
			await sf.close();
		}
	});
});
