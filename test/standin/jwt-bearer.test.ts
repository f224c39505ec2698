/**
 * The stand-in's JWT Bearer grant: it verifies each assertion with the public key of the certificate
 * configured for the app (signature, iss, sub, aud, exp) and answers as Salesforce does — a session
 * without signature or issued_at, or Salesforce's own invalid_grant descriptions. Assertions here are
 * signed with node:crypto directly, not with the package's code, so the two check each other.
 */
import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import {
	startSalesforceStandin,
	type SalesforceStandin,
	type StandinOptions,
} from '../../dev/salesforce-standin';
import { makeTestKeyPair, type TestKeyPair } from '../support/jwtKeys';

const GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const CONSUMER_KEY = '3MVG9StandinJwtApp';

let keys: TestKeyPair;
let otherKeys: TestKeyPair;
beforeAll(() => {
	keys = makeTestKeyPair();
	otherKeys = makeTestKeyPair();
});

const started: SalesforceStandin[] = [];
afterEach(async () => {
	await Promise.all(started.splice(0).map((standin) => standin.close()));
});

async function start(
	options: StandinOptions = {},
	app: { externalClientApp?: boolean; jwtCertificate?: string } = {},
): Promise<SalesforceStandin> {
	const standin = await startSalesforceStandin(options);
	standin.apps.push({
		consumerKey: CONSUMER_KEY,
		consumerSecret: 'unused',
		jwtCertificate: keys.certificate,
		externalClientApp: true,
		...app,
	});
	started.push(standin);
	return standin;
}

const b64 = (value: string | Buffer) => Buffer.from(value).toString('base64url');

function sign(
	claims: Record<string, unknown>,
	key: KeyObject | string,
	header: Record<string, unknown> = { alg: 'RS256' },
): string {
	const input = `${b64(JSON.stringify(header))}.${b64(JSON.stringify(claims))}`;
	return `${input}.${b64(createSign('RSA-SHA256').update(input).sign(key))}`;
}

function claimsFor(
	standin: SalesforceStandin,
	changes: Record<string, unknown> = {},
): Record<string, unknown> {
	return {
		iss: CONSUMER_KEY,
		sub: standin.demo.username,
		aud: standin.url,
		exp: Math.floor(Date.now() / 1000) + 150,
		...changes,
	};
}

async function exchange(
	standin: SalesforceStandin,
	assertion: string | undefined,
): Promise<{ status: number; body: Record<string, string> }> {
	const fields: Record<string, string> = { grant_type: GRANT };
	if (assertion !== undefined) fields.assertion = assertion;
	const response = await fetch(`${standin.url}/services/oauth2/token`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams(fields).toString(),
	});
	return { status: response.status, body: (await response.json()) as Record<string, string> };
}

describe("the stand-in's JWT Bearer grant", () => {
	it("issues a live session for the assertion's user, answering as Salesforce does (no signature, no issued_at)", async () => {
		const standin = await start();
		const { status, body } = await exchange(standin, sign(claimsFor(standin), keys.pkcs8));
		expect(status).toBe(200);
		expect(Object.keys(body).sort()).toEqual([
			'access_token',
			'id',
			'instance_url',
			'scope',
			'token_type',
		]);
		expect(body).toMatchObject({
			instance_url: standin.url,
			token_type: 'Bearer',
			scope: 'api',
			id: `${standin.url}/id/${standin.orgId}/${standin.users[0].userId}`,
		});
		expect(standin.activeSessions()).toEqual([body.access_token]);
		expect(standin.loginCount).toBe(1);

		const userinfo = await fetch(`${standin.url}/services/oauth2/userinfo`, {
			headers: { Authorization: `Bearer ${body.access_token}` },
		});
		expect(userinfo.status).toBe(200);
		expect(((await userinfo.json()) as { preferred_username: string }).preferred_username).toBe(
			standin.demo.username,
		);
	});

	it('verifies with a configured PEM public key as well as with a certificate', async () => {
		const standin = await start({}, { jwtCertificate: keys.publicKey });
		expect((await exchange(standin, sign(claimsFor(standin), keys.pkcs8))).status).toBe(200);
	});

	type Case = [string, (sf: SalesforceStandin) => string | undefined, string, string];
	const refusals: Case[] = [
		[
			'a key that does not belong to the certificate',
			(sf) => sign(claimsFor(sf), otherKeys.pkcs8),
			'invalid_grant',
			'invalid assertion',
		],
		[
			'claims altered after signing',
			(sf) => {
				const [header, , signature] = sign(claimsFor(sf), keys.pkcs8).split('.');
				return `${header}.${b64(JSON.stringify(claimsFor(sf, { sub: 'someone.else@demo.standin.example' })))}.${signature}`;
			},
			'invalid_grant',
			'invalid assertion',
		],
		['no assertion', () => undefined, 'invalid_grant', 'invalid assertion'],
		['a private key sent as the assertion', () => keys.pkcs8, 'invalid_grant', 'invalid assertion'],
		[
			'alg none',
			(sf) => `${b64(JSON.stringify({ alg: 'none' }))}.${b64(JSON.stringify(claimsFor(sf)))}.`,
			'invalid_grant',
			'invalid assertion',
		],
		[
			'HS256',
			(sf) => sign(claimsFor(sf), keys.pkcs8, { alg: 'HS256' }),
			'invalid_grant',
			'invalid assertion',
		],
		[
			'an unknown consumer key',
			(sf) => sign(claimsFor(sf, { iss: '3MVG9unknown' }), keys.pkcs8),
			'invalid_client_id',
			'client identifier invalid',
		],
		[
			'login.salesforce.com to an External Client App',
			(sf) => sign(claimsFor(sf, { aud: 'https://login.salesforce.com' }), keys.pkcs8),
			'invalid_grant',
			'audience is invalid',
		],
		[
			"another org's My Domain",
			(sf) => sign(claimsFor(sf, { aud: 'https://other.my.salesforce.com' }), keys.pkcs8),
			'invalid_grant',
			'audience is invalid',
		],
		[
			'an expired assertion',
			(sf) => sign(claimsFor(sf, { exp: Math.floor(Date.now() / 1000) - 60 }), keys.pkcs8),
			'invalid_grant',
			'expired authorization code',
		],
		[
			'exp more than 3 minutes ahead (a clock running fast)',
			(sf) => sign(claimsFor(sf, { exp: Math.floor(Date.now() / 1000) + 600 }), keys.pkcs8),
			'invalid_grant',
			'expired authorization code',
		],
		[
			'exp as a string',
			(sf) => sign(claimsFor(sf, { exp: String(Math.floor(Date.now() / 1000) + 60) }), keys.pkcs8),
			'invalid_grant',
			'expired authorization code',
		],
		[
			'an unknown user',
			(sf) => sign(claimsFor(sf, { sub: 'nobody@demo.standin.example' }), keys.pkcs8),
			'invalid_grant',
			"user hasn't approved this consumer",
		],
		[
			'a user not pre-authorized for the app',
			(sf) => {
				sf.users[0].appAccess = false;
				return sign(claimsFor(sf), keys.pkcs8);
			},
			'invalid_grant',
			"user hasn't approved this consumer",
		],
		[
			'a deactivated user',
			(sf) => {
				sf.users[0].status = 'inactive';
				return sign(claimsFor(sf), keys.pkcs8);
			},
			'inactive_user',
			'user is inactive',
		],
	];

	it.each(refusals)(
		'refuses %s as Salesforce does',
		async (_name, assertion, error, description) => {
			const standin = await start();
			const answer = await exchange(standin, assertion(standin));
			expect(answer).toEqual({ status: 400, body: { error, error_description: description } });
			expect(standin.activeSessions()).toEqual([]);
			expect(standin.failedLoginCount).toBe(1);
		},
	);

	it('refuses an app without a certificate', async () => {
		const standin = await start({}, { jwtCertificate: undefined });
		expect(
			(await exchange(standin, sign(claimsFor(standin), keys.pkcs8))).body.error_description,
		).toBe('invalid assertion');
	});

	it('accepts login.salesforce.com (production) or test.salesforce.com (sandbox) from an older connected app, never the other one', async () => {
		const production = await start({}, { externalClientApp: false });
		expect(
			(
				await exchange(
					production,
					sign(claimsFor(production, { aud: 'https://login.salesforce.com' }), keys.pkcs8),
				)
			).status,
		).toBe(200);
		expect(
			(
				await exchange(
					production,
					sign(claimsFor(production, { aud: 'https://test.salesforce.com' }), keys.pkcs8),
				)
			).body.error_description,
		).toBe('audience is invalid');
		expect(
			(
				await exchange(
					production,
					sign(claimsFor(production, { aud: `${production.url}/` }), keys.pkcs8),
				)
			).status,
		).toBe(200);

		const sandbox = await start({ sandbox: true }, { externalClientApp: false });
		expect(
			(
				await exchange(
					sandbox,
					sign(claimsFor(sandbox, { aud: 'https://test.salesforce.com' }), keys.pkcs8),
				)
			).status,
		).toBe(200);
		expect(
			(
				await exchange(
					sandbox,
					sign(claimsFor(sandbox, { aud: 'https://login.salesforce.com' }), keys.pkcs8),
				)
			).body.error_description,
		).toBe('audience is invalid');
	});

	it('refuses an RSA key it was not configured with even when the claims are perfect', async () => {
		const standin = await start();
		const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
		expect((await exchange(standin, sign(claimsFor(standin), privateKey))).body).toEqual({
			error: 'invalid_grant',
			error_description: 'invalid assertion',
		});
	});
});
