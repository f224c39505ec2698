/**
 * The JWT Bearer flow in the pure core: the assertion it signs (claims, RS256 signature verifiable with
 * the certificate's public key, exp at most 3 minutes ahead, the audience choices), the private keys it
 * reads (PKCS#1, PKCS#8, encrypted), every refusal before a request (naming the field, sending nothing),
 * the answer without signature or issued_at, and the session key that covers the key.
 */
import { createHash, createVerify, generateKeyPairSync, X509Certificate } from 'node:crypto';
import {
	ASSERTION_LIFETIME_SECONDS,
	buildTokenRequest,
	requestToken,
	LoginGuard,
	loginKey,
	normaliseDomain,
	obtainSession,
	parseTokenResponse,
	readLoginDetails,
	readPrivateKey,
	restorePemLineBreaks,
	SalesforceAuthError,
	sessionKeyFor,
} from '../../../nodes/salesforce';
import type { LoginFields, SalesforceHttpRequest } from '../../../nodes/salesforce';
import { makeTestKeyPair, type TestKeyPair } from '../../support/jwtKeys';

let keys: TestKeyPair;
beforeAll(() => {
	keys = makeTestKeyPair();
});

function fields(changes: Record<string, unknown> = {}): LoginFields {
	return {
		authFlow: 'jwtBearer',
		domain: 'acme.my.salesforce.com',
		consumerKey: '3MVG9jwtKey',
		username: 'api.user@acme.com',
		privateKey: keys.pkcs8,
		timeout: 10,
		...changes,
	};
}

function decode(assertion: string) {
	const [header, claims, signature] = assertion.split('.');
	return {
		header: JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as Record<
			string,
			unknown
		>,
		claims: JSON.parse(Buffer.from(claims, 'base64url').toString('utf8')) as Record<
			string,
			unknown
		>,
		signingInput: `${header}.${claims}`,
		signature: Buffer.from(signature, 'base64url'),
	};
}

function assertionOf(changes: Record<string, unknown> = {}, nowMs = Date.now()): string {
	const request = buildTokenRequest(readLoginDetails(fields(changes)), nowMs);
	const form = new URLSearchParams(request.body);
	expect([...form.keys()]).toEqual(['grant_type', 'assertion']);
	expect(form.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
	return form.get('assertion') as string;
}

function refusal(changes: Record<string, unknown>): SalesforceAuthError {
	try {
		readLoginDetails(fields(changes));
	} catch (error) {
		if (error instanceof SalesforceAuthError) return error;
		throw error;
	}
	throw new Error('expected the details to be refused');
}

describe('the assertion', () => {
	it('is an RS256 JWT with iss = consumer key, sub = username, aud = the My Domain URL, posted as a form to the My Domain host', () => {
		const nowMs = Date.UTC(2026, 0, 15, 12, 0, 0, 400);
		const request = buildTokenRequest(readLoginDetails(fields()), nowMs);
		expect(request.url).toBe('https://acme.my.salesforce.com/services/oauth2/token');
		expect(request.headers['Content-Type']).toBe('application/x-www-form-urlencoded');
		expect(request.body).not.toMatch(/client_id|client_secret|password/);

		const { header, claims } = decode(assertionOf({}, nowMs));
		expect(header).toEqual({ alg: 'RS256', typ: 'JWT' });
		expect(claims).toEqual({
			iss: '3MVG9jwtKey',
			sub: 'api.user@acme.com',
			aud: 'https://acme.my.salesforce.com',
			exp: Math.floor(nowMs / 1000) + ASSERTION_LIFETIME_SECONDS,
		});
	});

	it('expires within 3 minutes of signing, in whole seconds', () => {
		const nowMs = Date.now();
		const { exp } = decode(assertionOf({}, nowMs)).claims as { exp: number };
		expect(Number.isInteger(exp)).toBe(true);
		expect(exp * 1000).toBeGreaterThan(nowMs);
		expect(exp - nowMs / 1000).toBeLessThanOrEqual(180);
	});

	it("carries a signature the certificate's public key verifies, and that fails for any other claims or key", () => {
		const { signingInput, signature } = decode(assertionOf());
		const certificateKey = new X509Certificate(keys.certificate).publicKey;
		expect(createVerify('RSA-SHA256').update(signingInput).verify(certificateKey, signature)).toBe(
			true,
		);
		expect(
			createVerify('RSA-SHA256').update(`${signingInput}x`).verify(certificateKey, signature),
		).toBe(false);
		const other = makeTestKeyPair();
		expect(createVerify('RSA-SHA256').update(signingInput).verify(other.publicKey, signature)).toBe(
			false,
		);
	});

	it.each([
		[
			'myDomain',
			'acme--uat.sandbox.my.salesforce.com',
			'https://acme--uat.sandbox.my.salesforce.com',
		],
		[undefined, 'acme.my.salesforce.com', 'https://acme.my.salesforce.com'],
		['login', 'acme.my.salesforce.com', 'https://login.salesforce.com'],
		['login', 'login.salesforce.com', 'https://login.salesforce.com'],
		['test', 'acme--uat.sandbox.my.salesforce.com', 'https://test.salesforce.com'],
		['test', 'test.salesforce.com', 'https://test.salesforce.com'],
	])('audience %s on %s is %s', (audience, domain, expected) => {
		expect(decode(assertionOf({ audience, domain })).claims.aud).toBe(expected);
	});

	it.each([
		['PKCS#8', () => ({ privateKey: keys.pkcs8 })],
		['PKCS#1', () => ({ privateKey: keys.pkcs1 })],
		[
			'encrypted PKCS#8 with its passphrase',
			() => ({ privateKey: keys.encrypted, passphrase: keys.passphrase }),
		],
		[
			'legacy encrypted PKCS#1 with its passphrase',
			() => ({ privateKey: keys.encryptedPkcs1, passphrase: keys.passphrase }),
		],
		['PKCS#8 with Windows line breaks', () => ({ privateKey: keys.pkcs8.replace(/\n/g, '\r\n') })],
		[
			'PKCS#8 whose line breaks became spaces',
			() => ({ privateKey: keys.pkcs8.replace(/\n/g, ' ') }),
		],
		[
			'PKCS#8 with literal \\n (as in an environment variable)',
			() => ({ privateKey: keys.pkcs8.replace(/\n/g, '\\n') }),
		],
		['PKCS#8 with surrounding blank lines', () => ({ privateKey: `\n\n${keys.pkcs8}\n\n` })],
	])('signs with: %s', (_name, key) => {
		const { signingInput, signature } = decode(assertionOf(key()));
		expect(createVerify('RSA-SHA256').update(signingInput).verify(keys.publicKey, signature)).toBe(
			true,
		);
	});

	it('reads a key once (the details are read before every request) and never remembers a refusal', () => {
		expect(readPrivateKey(keys.encrypted, keys.passphrase)).toBe(
			readPrivateKey(keys.encrypted, keys.passphrase),
		);
		expect(() => readPrivateKey(keys.encrypted, 'wrong')).toThrow(/does not decrypt/);
		expect(() => readPrivateKey(keys.encrypted, 'wrong')).toThrow(/does not decrypt/);
		expect(readPrivateKey(keys.encrypted, keys.passphrase).asymmetricKeyType).toBe('rsa');
	});

	it('rebuilds a PEM only when its line breaks were lost', () => {
		expect(restorePemLineBreaks(keys.pkcs8.replace(/\n/g, ' '))).toBe(keys.pkcs8);
		expect(restorePemLineBreaks(keys.pkcs1)).toBe(keys.pkcs1);
	});
});

describe('a retried login', () => {
	it('signs a new assertion for the retry, so a slow first attempt never sends an expired one', async () => {
		let now = Date.parse('2026-12-01T12:00:00Z');
		const clock = jest.spyOn(Date, 'now').mockImplementation(() => now);
		try {
			const sent: string[] = [];
			const send = async (request: SalesforceHttpRequest) => {
				sent.push(new URLSearchParams(request.body).get('assertion') as string);
				// The first attempt takes 200 s and ends in a reset (transient: retried).
				if (sent.length === 1) {
					now += 200_000;
					throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
				}
				return { statusCode: 503, headers: {}, body: '' };
			};
			await requestToken(readLoginDetails(fields()), send, {
				delaysMs: [0],
				wait: async () => undefined,
			}).catch(() => undefined);
			expect(sent).toHaveLength(2);
			const [first, second] = sent.map((assertion) => decode(assertion).claims.exp as number);
			expect(second - first).toBe(200);
			expect(second * 1000 - now).toBeLessThanOrEqual(ASSERTION_LIFETIME_SECONDS * 1000);
		} finally {
			clock.mockRestore();
		}
	});
});

describe('refused before any request, naming the field', () => {
	const cases: Array<[string, () => Record<string, unknown>, RegExp, RegExp]> = [
		['no key', () => ({ privateKey: '' }), /^Private Key: is empty\./, /BEGIN PRIVATE KEY/],
		[
			'a key of spaces',
			() => ({ privateKey: '   \n ' }),
			/^Private Key: is empty\./,
			/BEGIN PRIVATE KEY/,
		],
		[
			'the certificate instead of the key',
			() => ({ privateKey: keys.certificate }),
			/^Private Key: holds a certificate, not a private key\./,
			/upload/,
		],
		[
			'the public key instead of the private key',
			() => ({ privateKey: keys.publicKey }),
			/^Private Key: holds a public key/,
			/private key/,
		],
		[
			'a key that does not parse',
			() => ({ privateKey: keys.pkcs8.replace(/\n[A-Za-z0-9+/]{64}\n/, '\nnot-base64-at-all\n') }),
			/^Private Key: could not be read/,
			/whole private key file/,
		],
		[
			'a key cut off',
			() => ({ privateKey: keys.pkcs8.slice(0, 400) }),
			/^Private Key: is not a PEM private key|^Private Key: could not be read/,
			/BEGIN PRIVATE KEY/,
		],
		[
			'something else entirely',
			() => ({ privateKey: 'my secret' }),
			/^Private Key: is not a PEM private key/,
			/BEGIN PRIVATE KEY/,
		],
		[
			'an encrypted key without passphrase',
			() => ({ privateKey: keys.encrypted }),
			/^Private Key Passphrase: is empty, but the Private Key is encrypted\./,
			/passphrase/,
		],
		[
			'an encrypted key with a wrong passphrase',
			() => ({ privateKey: keys.encrypted, passphrase: 'wrong' }),
			/^Private Key Passphrase: does not decrypt the Private Key\./,
			/passphrase/,
		],
		[
			'a legacy encrypted PKCS#1 key without passphrase',
			() => ({ privateKey: keys.encryptedPkcs1 }),
			/^Private Key Passphrase: is empty, but the Private Key is encrypted\./,
			/passphrase/,
		],
		[
			'an EC key',
			() => ({ privateKey: ecKey() }),
			/^Private Key: is an EC key; .*RSA \(RS256\)/,
			/openssl req -x509 -newkey rsa:2048/,
		],
		['no username', () => ({ username: '' }), /^Username: is empty\./, /username/],
		[
			'a username that is no username',
			() => ({ username: 'api-user' }),
			/^Username: is not a Salesforce username/,
			/api\.user@acme\.com/,
		],
		[
			'no consumer key',
			() => ({ consumerKey: '' }),
			/^Consumer Key: is empty\./,
			/Manage Consumer Details/,
		],
		[
			'a generic login host with the My Domain audience',
			() => ({ domain: 'login.salesforce.com' }),
			/^Domain: login\.salesforce\.com is not a My Domain/,
			/My Domain/,
		],
		[
			'test.salesforce.com with the My Domain audience',
			() => ({ domain: 'test.salesforce.com', audience: 'myDomain' }),
			/^Domain: test\.salesforce\.com is not a My Domain/,
			/Setup → My Domain/,
		],
		[
			'a sandbox with the production audience',
			() => ({ domain: 'acme--uat.sandbox.my.salesforce.com', audience: 'login' }),
			/^Audience: "login\.salesforce\.com" is the production audience/,
			/test\.salesforce\.com/,
		],
		[
			'login.salesforce.com with the sandbox audience',
			() => ({ domain: 'login.salesforce.com', audience: 'test' }),
			/^Audience: "test\.salesforce\.com" is the sandbox audience/,
			/production/,
		],
		['an unknown audience', () => ({ audience: 'https://evil.test' }), /^Audience: /, /My Domain/],
		[
			'a domain that is not Salesforce',
			() => ({ domain: 'acme.my.salesforce.com.evil.test' }),
			/^Domain: /,
			/Setup → My Domain/,
		],
	];

	it.each(cases)('%s', async (_name, changes, message, fix) => {
		const error = refusal(changes());
		expect(error.reason).toBe('invalid-input');
		expect(error.message).toMatch(message);
		expect(error.description).toMatch(fix);
		const text = `${error.message}\n${error.description}`;
		for (const line of keys.pkcs8
			.split('\n')
			.filter((l) => l.length > 20 && !l.startsWith('-----')))
			expect(text).not.toContain(line);
		expect(text).not.toContain(keys.passphrase);

		const sent: SalesforceHttpRequest[] = [];
		const send = async (request: SalesforceHttpRequest) => {
			sent.push(request);
			return { statusCode: 500, headers: {}, body: '' };
		};
		await expect(
			obtainSession(fields(changes()), send, { guard: new LoginGuard() }),
		).rejects.toThrow(message);
		expect(sent).toEqual([]);
	});

	it('needs no consumer secret, and never sends one that was left in the form', () => {
		const request = buildTokenRequest(
			readLoginDetails(
				fields({ consumerSecret: 'left-over-secret', password: 'left-over-password' }),
			),
		);
		expect(request.body).not.toContain('left-over');
	});
});

function ecKey(): string {
	return generateKeyPairSync('ec', { namedCurve: 'P-256' })
		.privateKey.export({ type: 'pkcs8', format: 'pem' })
		.toString();
}

describe("Salesforce's answer", () => {
	const host = normaliseDomain('acme.my.salesforce.com');
	const body = {
		access_token: '00Dxx0000001gPL!AR8AQJXg',
		scope: 'api',
		instance_url: 'https://acme.my.salesforce.com',
		id: 'https://login.salesforce.com/id/00Dxx0000001gPLEAY/005xx000001SwiUAAS',
		token_type: 'Bearer',
	};

	it('has no signature or issued_at, and is not refused for it: issued_at is when it arrived', () => {
		const session = parseTokenResponse(
			{ statusCode: 200, headers: {}, body: JSON.stringify(body) },
			{ host, flow: 'jwtBearer', consumerSecret: '', receivedAtMs: 1_767_000_000_123 },
		);
		expect(session).toEqual({
			accessToken: body.access_token,
			instanceUrl: body.instance_url,
			identityUrl: body.id,
			tokenType: 'Bearer',
			issuedAt: '1767000000123',
			orgId: '00Dxx0000001gPLEAY',
			userId: '005xx000001SwiUAAS',
		});
	});

	it('still checks the instance URL and the required fields', () => {
		expect(() =>
			parseTokenResponse(
				{ statusCode: 200, headers: {}, body: { ...body, instance_url: 'https://evil.test' } },
				{ host, flow: 'jwtBearer', consumerSecret: '' },
			),
		).toThrow(/not a Salesforce host/);
		expect(() =>
			parseTokenResponse(
				{ statusCode: 200, headers: {}, body: { ...body, access_token: '' } },
				{ host, flow: 'jwtBearer', consumerSecret: '' },
			),
		).toThrow(/without access_token/);
	});

	it('for the other flows the signature stays required', () => {
		expect(() =>
			parseTokenResponse(
				{ statusCode: 200, headers: {}, body },
				{ host, flow: 'password', consumerSecret: 's' },
			),
		).toThrow(/without issued_at, signature/);
	});

	const errors: Array<[string, string, string, string, RegExp]> = [
		[
			'not pre-authorized',
			'invalid_grant',
			"user hasn't approved this consumer",
			'jwt-not-pre-authorized',
			/Admin approved users are pre-authorized.*profile or a permission set/,
		],
		[
			'a wrong audience',
			'invalid_grant',
			'audience is invalid',
			'jwt-audience-invalid',
			/External Client Apps.*My Domain/,
		],
		[
			'an expired assertion (clock skew)',
			'invalid_grant',
			'expired authorization code',
			'jwt-assertion-expired',
			/clock/,
		],
		[
			'a certificate that does not match the key',
			'invalid_grant',
			'invalid assertion',
			'jwt-invalid-assertion',
			/certificate uploaded to the app.*openssl x509 -noout -modulus/,
		],
		[
			'an unknown consumer key',
			'invalid_client_id',
			'client identifier invalid',
			'invalid-client-id',
			/app the certificate is uploaded to/,
		],
		[
			'the flow not enabled',
			'unsupported_grant_type',
			'grant type not supported',
			'unsupported-grant-type',
			/Use digital signatures/,
		],
	];

	it.each(errors)(
		'%s is explained and counts as a refusal (never retried, cooled down)',
		(_name, error, description, reason, fix) => {
			let thrown: unknown;
			try {
				parseTokenResponse(
					{ statusCode: 400, headers: {}, body: { error, error_description: description } },
					{
						host,
						flow: 'jwtBearer',
						consumerSecret: '',
						audience: 'https://acme.my.salesforce.com',
					},
				);
			} catch (caught) {
				thrown = caught;
			}
			expect(thrown).toBeInstanceOf(SalesforceAuthError);
			const failure = thrown as SalesforceAuthError;
			expect(failure.reason).toBe(reason);
			expect(failure.description).toMatch(fix);
			expect(failure.salesforceError).toBe(error);
			expect(failure.isAuthenticationFailure).toBe(true);
			expect(failure.isTransient).toBe(false);
			if (reason === 'jwt-audience-invalid')
				expect(failure.message).toContain('https://acme.my.salesforce.com');
		},
	);
});

describe('the session key', () => {
	it('changes with the private key, its passphrase, the audience, the username and the consumer key', () => {
		const base = sessionKeyFor(fields());
		const other = makeTestKeyPair();
		expect(sessionKeyFor(fields({ privateKey: other.pkcs8 }))).not.toBe(base);
		expect(
			sessionKeyFor(fields({ privateKey: keys.encrypted, passphrase: keys.passphrase })),
		).not.toBe(base);
		expect(sessionKeyFor(fields({ audience: 'login' }))).not.toBe(base);
		expect(sessionKeyFor(fields({ username: 'other.user@acme.com' }))).not.toBe(base);
		expect(sessionKeyFor(fields({ consumerKey: '3MVG9other' }))).not.toBe(base);
		expect(sessionKeyFor(fields({ timeout: 30 }))).toBe(base);
		expect(base).toMatch(/^[0-9a-f]{64}$/);
		expect(base).not.toContain(keys.pkcs8.slice(40, 80));
	});

	it('of the other flows is what it was before JWT Bearer existed', () => {
		const details = readLoginDetails({
			authFlow: 'clientCredentials',
			domain: 'acme.my.salesforce.com',
			consumerKey: 'k',
			consumerSecret: 's',
		});
		// sha256 of the same six-element JSON array the key was built from before.
		const before = createHash('sha256')
			.update(
				JSON.stringify(['clientCredentials', 'https://acme.my.salesforce.com', 'k', 's', '', '']),
			)
			.digest('hex');
		expect(loginKey(details)).toBe(before);
	});
});
