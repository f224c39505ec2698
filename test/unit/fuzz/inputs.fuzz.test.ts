/**
 * Fuzzing every field a user fills in — the credential's, the Salesforce Action node's response
 * mapping, and the deprecated node's parameters — with generated and hand-picked nasty values.
 *
 * The dichotomy asserted for every value:
 * - accepted: what the stand-in received is exactly the value (compared as UTF-8 bytes, also straight
 *   off the wire), or for an output field name, the name is literally a key of the output item;
 * - refused: before any network connection (no socket was opened, the stand-in saw nothing), with a
 *   message that starts with the field's label as the form shows it.
 * And in the same loops: no password, consumer secret or security token in any error.
 *
 * Domains are the exception to "exactly": they are normalised. A refused domain must be refused before
 * any connection; an accepted one must be a Salesforce host the input names (never a look-alike), and
 * only loopback hosts (the stand-in) are actually sent to.
 *
 * Values that start with "=" are left out of the generators: n8n itself turns them into expressions
 * before the package sees them (n8n-io/n8n#13201); the last describe block pins that behaviour.
 */
import fc from 'fast-check';
import type { ICredentialDataDecryptedObject, INodeParameters } from 'n8n-workflow';
import { startSalesforceStandin } from '../../../dev/salesforce-standin';
import type { SalesforceStandin } from '../../../dev/salesforce-standin';
import { SalesforceAuth } from '../../../nodes/SalesforceAuth/SalesforceAuth.node';
import {
	buildTokenRequest,
	FIELD_LABELS,
	normaliseDomain,
	readLoginDetails,
	SalesforceAuthError,
	SESSION_FIELDS,
} from '../../../nodes/salesforce';
import type { SalesforceHost } from '../../../nodes/salesforce';
import { CredentialStore, runNode, runLogin } from '../../support/n8n-harness';
import {
	credentialDataFor,
	credentialType,
	runSalesforceAction,
	storedCredential,
} from '../../support/fixtures';
import type { StoredCredential } from '../../support/n8n-harness';
import {
	authErrorIn,
	describeValue,
	expectNoSecret,
	formFieldBytes,
	HAND_PICKED_TEXT,
	mostlyPrintableText,
	nastyText,
	notAnN8nExpression,
	settle,
	usernameText,
	utf8,
	watchConnections,
} from './fuzzSupport';

/** Generated runs per field, on top of the hand-picked examples. */
const RUNS_PER_FIELD = 300;

let connections: ReturnType<typeof watchConnections>;
beforeAll(() => {
	connections = watchConnections();
});
afterAll(() => {
	connections.restore();
});

type Outcome = 'accepted' | 'refused';
const tallies = new Map<string, { accepted: number; refused: number }>();
function count(field: string, outcome: Outcome): Outcome {
	const tally = tallies.get(field) ?? { accepted: 0, refused: 0 };
	tally[outcome]++;
	tallies.set(field, tally);
	return outcome;
}
afterAll(() => {
	const lines = [...tallies].map(
		([field, { accepted, refused }]) => `  ${field}: ${accepted} accepted, ${refused} refused`,
	);
	console.log(`inputs fuzz:\n${lines.join('\n')}`);
});

const examples = (values: readonly string[]): Array<[string]> =>
	values.filter(notAnN8nExpression).map((value) => [value]);

/** Every login detail unique to one case, so the login guard's one-minute memory never answers instead of the stand-in. */
let caseNumber = 0;
interface Details {
	consumerKey: string;
	consumerSecret: string;
	username: string;
	password: string;
	securityToken: string;
}
function freshDetails(): Details {
	const n = (++caseNumber).toString(36);
	return {
		consumerKey: `3MVG9fuzzKey${n}`,
		consumerSecret: `fuzzSecret${n}X9q`,
		username: `api.user${n}@acme.test`,
		password: `Fuzz#Pass${n}&1`,
		securityToken: `FuzzToken${n}Zq`,
	};
}

/** Makes the stand-in's app and user match the details, so an accepted value logs in. */
function configure(sf: SalesforceStandin, details: Details, withToken = true): void {
	sf.apps[0].consumerKey = details.consumerKey;
	sf.apps[0].consumerSecret = details.consumerSecret;
	sf.users[0].username = details.username;
	sf.users[0].password = details.password;
	sf.users[0].securityToken = withToken ? details.securityToken : undefined;
	sf.resetRecords();
}

function secretsOf(details: Details): string[] {
	return [
		details.password,
		details.consumerSecret,
		details.securityToken,
		details.password + details.securityToken,
	];
}

function expectRefusedBeforeAnyConnection(sf: SalesforceStandin, connectionsBefore: number): void {
	expect(sf.requests).toHaveLength(0);
	expect(connections.count()).toBe(connectionsBefore);
}

// ---------------------------------------------------------------------------------------------------
// The credential: consumer key and secret, username, password, security token
// ---------------------------------------------------------------------------------------------------

type CredentialField = keyof Details;

/** Which form parameter carries the field. */
const FORM_NAME: Record<CredentialField, string> = {
	consumerKey: 'client_id',
	consumerSecret: 'client_secret',
	username: 'username',
	password: 'password',
	securityToken: 'password',
};

const CREDENTIAL_ARBITRARY: Record<CredentialField, fc.Arbitrary<string>> = {
	consumerKey: mostlyPrintableText(),
	consumerSecret: mostlyPrintableText(),
	username: usernameText(),
	password: nastyText(),
	securityToken: mostlyPrintableText(),
};

describe('credential fields: sent exactly as given, or refused naming the field before any connection', () => {
	let sf: SalesforceStandin;
	beforeAll(async () => {
		sf = await startSalesforceStandin({
			label: 'fuzz-credential',
			loginRateLimitPerHour: 1_000_000,
		});
	});
	afterAll(async () => {
		await sf.close();
	});

	async function credentialCase(field: CredentialField, value: string): Promise<Outcome> {
		const details = { ...freshDetails(), [field]: value };
		configure(sf, details);
		const before = connections.count();
		const outcome = await settle(runLogin(credentialType, credentialDataFor(sf, { ...details })));

		if (outcome.ok) {
			expect(outcome.value.accessToken).toBeTruthy();
			const requests = sf.tokenRequests();
			expect(requests).toHaveLength(1);
			const expected = {
				grant_type: 'password',
				client_id: details.consumerKey,
				client_secret: details.consumerSecret,
				username: details.username,
				password: details.password + details.securityToken,
			};
			expect(requests[0].form).toEqual(expected);
			const sent = expected[FORM_NAME[field] as keyof typeof expected];
			expect(formFieldBytes(requests[0].rawBody, FORM_NAME[field])?.equals(utf8(sent))).toBe(true);
			return count(`credential ${field}`, 'accepted');
		}
		const error = authErrorIn(outcome.error);
		if (!error)
			throw new Error(
				`${field} = ${describeValue(value)} failed without naming the field: ${String(outcome.error)}`,
			);
		expect(error.reason).toBe('invalid-input');
		expect(error.message.startsWith(`${FIELD_LABELS[field]}: `)).toBe(true);
		expectRefusedBeforeAnyConnection(sf, before);
		expectNoSecret(outcome.error, secretsOf(details));
		return count(`credential ${field}`, 'refused');
	}

	it('(sanity) the connection watch sees a login', async () => {
		const before = connections.count();
		expect(await credentialCase('password', 'Sanity#Check1')).toBe('accepted');
		expect(connections.count()).toBeGreaterThan(before);
	});

	it.each(Object.keys(FORM_NAME) as CredentialField[])(
		'%s: hand-picked and generated values',
		async (field) => {
			await fc.assert(
				fc.asyncProperty(CREDENTIAL_ARBITRARY[field], async (value) => {
					await credentialCase(field, value);
				}),
				{ numRuns: RUNS_PER_FIELD, examples: examples(HAND_PICKED_TEXT) },
			);
		},
	);

	it('Client Credentials: key and secret exactly as given; the (hidden) user fields, whatever they hold, are never sent', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.constantFrom<'consumerKey' | 'consumerSecret'>('consumerKey', 'consumerSecret'),
				mostlyPrintableText(),
				nastyText(),
				nastyText(),
				async (field, value, username, password) => {
					const details = { ...freshDetails(), [field]: value };
					configure(sf, details);
					sf.apps[0].clientCredentialsRunAs = sf.users[0].username;
					const before = connections.count();
					const data = credentialDataFor(sf, {
						...details,
						authFlow: 'clientCredentials',
						username,
						password,
					});
					const outcome = await settle(runLogin(credentialType, data));
					if (outcome.ok) {
						const requests = sf.tokenRequests();
						expect(requests).toHaveLength(1);
						expect(requests[0].form).toEqual({
							grant_type: 'client_credentials',
							client_id: details.consumerKey,
							client_secret: details.consumerSecret,
						});
						expect(
							formFieldBytes(requests[0].rawBody, FORM_NAME[field])?.equals(utf8(details[field])),
						).toBe(true);
						count('credential (client credentials) key/secret', 'accepted');
						return;
					}
					expect((outcome.error as Error).message.startsWith(`${FIELD_LABELS[field]}: `)).toBe(
						true,
					);
					expectRefusedBeforeAnyConnection(sf, before);
					expectNoSecret(outcome.error, [...secretsOf(details), password]);
					count('credential (client credentials) key/secret', 'refused');
				},
			),
			{ numRuns: RUNS_PER_FIELD },
		);
	});

	// The listed special cases, with the side of the dichotomy each one falls on.
	const cases: Array<[CredentialField, string, Outcome]> = [
		['password', ' leading and trailing ', 'accepted'],
		['password', '   ', 'accepted'],
		['password', '', 'refused'],
		['password', 'line\nbreak', 'refused'],
		['password', 'tab\tinside', 'refused'],
		['password', 'nul\u0000inside', 'refused'],
		['password', '%00', 'accepted'],
		['password', '%23%2B', 'accepted'],
		['password', '#&+%=?/;', 'accepted'],
		['password', '../../', 'accepted'],
		['password', '@home', 'accepted'],
		['password', 'é漢字😀\u{10FFFF}', 'accepted'],
		['password', 'x'.repeat(1000), 'accepted'],
		['password', 'x'.repeat(1001), 'refused'],
		['username', 'api.user@acme.com', 'accepted'],
		['username', 'api.user@acme.com.uat', 'accepted'],
		['username', 'ünïcode.用户@acme.com', 'accepted'],
		['username', 'a+tag#1%00/../@acme.com', 'accepted'],
		['username', 'no-at-sign', 'refused'],
		['username', ' api.user@acme.com', 'refused'],
		['username', 'api.user@acme.com\n', 'refused'],
		['username', '', 'refused'],
		['username', `${'u'.repeat(992)}@acme.com`, 'refused'],
		['consumerKey', '3MVG9%00#&+=', 'accepted'],
		['consumerKey', ' 3MVG9', 'refused'],
		['consumerKey', '3MVG9\r\n', 'refused'],
		['consumerKey', '', 'refused'],
		['consumerKey', ' ', 'refused'],
		['consumerSecret', 'S3cr3t/../#%00@', 'accepted'],
		['consumerSecret', 'secret ', 'refused'],
		['consumerSecret', 'sec\u007fret', 'refused'],
		['consumerSecret', 's'.repeat(1001), 'refused'],
		['securityToken', '', 'accepted'],
		['securityToken', 'Tok%23#+', 'accepted'],
		['securityToken', ' Tok', 'refused'],
		['securityToken', 'Tok\u0085', 'refused'],
	];

	it.each(cases)('%s = %j is %s', async (field, value, expected) => {
		expect(await credentialCase(field, value)).toBe(expected);
	});
});

// A lone UTF-16 surrogate cannot be sent as UTF-8 at all, so the only right answer is a refusal that
// names the field. Today encodeForm's encodeURIComponent throws "URIError: URI malformed" instead, from
// requestToken, after validation passed (no request is made, but the message names nothing and is not
// a SalesforceAuthError). Such a value arrives from an expression ({{ "\ud800" }}), the public API, or
// a broken paste.
describe('lone surrogates', () => {
	let sf: SalesforceStandin;
	beforeAll(async () => {
		sf = await startSalesforceStandin({ label: 'fuzz-surrogates' });
	});
	afterAll(async () => {
		await sf.close();
	});

	it.each([
		['password', 'pass\ud800word'],
		['username', 'api\udc00@acme.com'],
		['consumerKey', '3MVG9\ud83d'],
		['consumerSecret', 'secret\udfff'],
		['securityToken', 'tok\ud800'],
	] as Array<[CredentialField, string]>)(
		'%s with a lone surrogate is refused with a message naming the field',
		async (field, value) => {
			const details = { ...freshDetails(), [field]: value };
			configure(sf, details);
			const outcome = await settle(runLogin(credentialType, credentialDataFor(sf, { ...details })));
			expect(outcome.ok).toBe(false);
			if (outcome.ok) return;
			expect(outcome.error).toBeInstanceOf(SalesforceAuthError);
			expect((outcome.error as Error).message.startsWith(`${FIELD_LABELS[field]}: `)).toBe(true);
			expect(sf.requests).toHaveLength(0);
		},
	);

	it('never reaches the network and never shows the secret', async () => {
		const details = { ...freshDetails(), password: 'Secret\ud800Password' };
		configure(sf, details);
		const before = connections.count();
		const outcome = await settle(runLogin(credentialType, credentialDataFor(sf, { ...details })));
		expect(outcome.ok).toBe(false);
		if (!outcome.ok) expectNoSecret(outcome.error, secretsOf(details));
		expectRefusedBeforeAnyConnection(sf, before);
	});
});

// ---------------------------------------------------------------------------------------------------
// Domain
// ---------------------------------------------------------------------------------------------------

const SALESFORCE_HOST =
	/^(?:(?:login|test)\.salesforce\.com|[a-z0-9-]+\.(?:(?:sandbox|develop|scratch|trailblaze|demo|patch|free)\.)?my\.salesforce\.com|[a-z0-9-]+\.(?:sandbox\.)?my\.salesforce\.mil|[a-z0-9-]+\.(?:sandbox\.)?my\.sfcrmproducts\.cn)$/;

/**
 * The accepted host must be one the input names: the input's host itself, the My Domain of a bare
 * org name, or the My Domain behind a Lightning or Setup address of the same org. Never a look-alike.
 */
function expectNamedSalesforceHost(input: string, host: SalesforceHost): void {
	if (host.kind === 'loopback') {
		expect(host.hostname).toMatch(/^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])$/);
		expect(host.origin).toMatch(/^https?:\/\/(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d+)?$/);
		return;
	}
	expect(host.hostname).toMatch(SALESFORCE_HOST);
	expect(host.origin).toBe(`https://${host.hostname}`);
	const named = input
		.trim()
		.replace(/^https:\/\//i, '')
		.replace(/\/$/, '')
		.toLowerCase();
	const candidates = [
		named,
		`${named}.my.salesforce.com`,
		`${named}.sandbox.my.salesforce.com`,
		named.replace(/\.lightning\.force\.com$/, '.my.salesforce.com'),
		named.replace(/\.my\.salesforce-setup\.com$/, '.my.salesforce.com'),
	];
	if (!candidates.includes(host.hostname)) {
		throw new Error(
			`${describeValue(input)} was turned into ${host.hostname}, which it does not name`,
		);
	}
	// A bare org name only ever gains Salesforce's own suffix.
	if (!named.includes('.')) expect(host.hostname.startsWith(`${named}.`)).toBe(true);
}

function domainOutcome(input: string): { host: SalesforceHost } | { error: SalesforceAuthError } {
	try {
		return { host: normaliseDomain(input) };
	} catch (error) {
		if (!(error instanceof SalesforceAuthError))
			throw new Error(`${describeValue(input)} threw ${String(error)}`);
		return { error };
	}
}

const DOMAIN_PIECES = [
	'acme',
	'acme--uat',
	'login',
	'test',
	'.',
	'..',
	'my',
	'salesforce',
	'com',
	'salesforce.com',
	'my.salesforce.com',
	'sandbox',
	'develop',
	'lightning',
	'force',
	'lightning.force.com',
	'mil',
	'cn',
	'sfcrmproducts',
	'salesforce-setup',
	'evil',
	'evil.test',
	'.evil.test',
	'xn--',
	'-',
	'--',
	'_',
	'*',
	'https://',
	'http://',
	'HTTPS://',
	'ftp://',
	'//',
	'/',
	'../',
	'#',
	'@',
	'?',
	'%00',
	'%2e',
	'%23',
	':',
	'443',
	':443',
	'\\',
	' ',
	'\t',
	'\n',
	'\u0000',
	'é',
	'\u0430',
	'\u3002',
	'\uff0e',
	'127.0.0.1',
	'localhost',
	'[::1]',
	'0',
	'user:pw@',
	';',
	',',
];
const domainText = fc.oneof(
	{ arbitrary: fc.string({ unit: fc.constantFrom(...DOMAIN_PIECES), maxLength: 10 }), weight: 5 },
	{ arbitrary: nastyText({ maxLength: 300 }), weight: 1 },
	{ arbitrary: fc.stringMatching(/^[a-z0-9-]{1,82}$/), weight: 1 },
);

const LOOK_ALIKES = [
	'acme.my.salesforce.com.evil.test',
	'evil.test#.my.salesforce.com',
	'https://evil.test#.my.salesforce.com',
	'evil.test/.my.salesforce.com',
	'evil.test?.my.salesforce.com',
	'evil.test%00.my.salesforce.com',
	'evil.test%23.my.salesforce.com',
	'acme.my.salesforce.com%00.evil.test',
	'acme.my.salesforce.com@evil.test',
	'evil.test@acme.my.salesforce.com',
	'https://acme.my.salesforce.com@evil.test/',
	'acme.my.salesforce.com/../evil.test',
	'../acme.my.salesforce.com',
	'acme.my.salesforce.com\\.evil.test',
	'acme.my.salesforce.com;evil.test',
	'acme.my.salesforce.com,evil.test',
	'acme.my.salesforce.com.',
	'acme..my.salesforce.com',
	'a.b.my.salesforce.com',
	'acme.evil.my.salesforce.com',
	'\u0430cme.my.salesforce.com',
	'acme.my.salesforce.com\u3002evil.test',
	'acme\uff0emy\uff0esalesforce\uff0ecom',
	'xn--cme-8na.my.salesforce.com',
	'login.salesforce.com.evil.test',
	'my.salesforce.com.evil.test',
	'acme.my.salesforce.co',
	'acme.my-salesforce.com',
	'acme.salesforce.com',
	'acme.my.salesforce.com:443',
	'acme.my.salesforce.com:',
	'http://acme.my.salesforce.com',
	'https:acme.my.salesforce.com',
	'javascript://acme.my.salesforce.com',
	'//evil.test',
	'evil.test',
	'',
	' ',
	'\t\n',
	'acme\u0000.my.salesforce.com',
	'acme .my.salesforce.com',
	'a'.repeat(300),
	`${'a'.repeat(81)}.my.salesforce.com`,
];

describe('domain', () => {
	it('normaliseDomain: every generated value is refused ("Domain: …") or becomes a Salesforce host the input names', () => {
		fc.assert(
			fc.property(domainText, (input) => {
				const outcome = domainOutcome(input);
				if ('host' in outcome) {
					expectNamedSalesforceHost(input, outcome.host);
					count('domain (normaliseDomain)', 'accepted');
				} else {
					expect(outcome.error.reason).toBe('invalid-input');
					expect(outcome.error.message).toMatch(/^Domain: /);
					count('domain (normaliseDomain)', 'refused');
				}
			}),
			{ numRuns: 5000, examples: examples([...LOOK_ALIKES, ...HAND_PICKED_TEXT]) },
		);
	});

	it.each(LOOK_ALIKES)('look-alike or malformed %j is refused', (input) => {
		const outcome = domainOutcome(input);
		expect('error' in outcome && outcome.error.message).toMatch(/^Domain: /);
	});

	it.each([
		['  acme.my.salesforce.com  ', 'https://acme.my.salesforce.com'],
		['\tacme.my.salesforce.com\n', 'https://acme.my.salesforce.com'],
		['ACME.MY.SALESFORCE.COM', 'https://acme.my.salesforce.com'],
		['https://acme.my.salesforce.com/', 'https://acme.my.salesforce.com'],
		['acme', 'https://acme.my.salesforce.com'],
		['acme--uat', 'https://acme--uat.sandbox.my.salesforce.com'],
		['acme.lightning.force.com', 'https://acme.my.salesforce.com'],
		['login.salesforce.com', 'https://login.salesforce.com'],
		[`${'a'.repeat(80)}.my.salesforce.com`, `https://${'a'.repeat(80)}.my.salesforce.com`],
	])('%j is normalised to %s', (input, origin) => {
		expect(normaliseDomain(input).origin).toBe(origin);
	});

	describe('through the credential', () => {
		let sf: SalesforceStandin;
		let port: string;
		beforeAll(async () => {
			sf = await startSalesforceStandin({ label: 'fuzz-domain', loginRateLimitPerHour: 1_000_000 });
			port = new URL(sf.url).port;
		});
		afterAll(async () => {
			await sf.close();
		});

		async function domainCase(domain: string): Promise<Outcome> {
			const details = freshDetails();
			configure(sf, details);
			const expectation = domainOutcome(domain);
			if ('host' in expectation && expectation.host.origin !== sf.url) {
				// Accepted, but not the stand-in: a real Salesforce host (checked above) or another
				// loopback port. Nothing is sent.
				expectNamedSalesforceHost(domain, expectation.host);
				return count('credential domain (not sent)', 'accepted');
			}
			const before = connections.count();
			const outcome = await settle(
				runLogin(credentialType, credentialDataFor(sf, { ...details, domain })),
			);
			if ('host' in expectation) {
				if (!outcome.ok)
					throw new Error(
						`${describeValue(domain)} names the stand-in but failed: ${String(outcome.error)}`,
					);
				const requests = sf.tokenRequests();
				expect(requests).toHaveLength(1);
				expect(requests[0].path).toBe('/services/oauth2/token');
				expect(requests[0].query).toEqual({});
				expect(requests[0].form).toEqual({
					grant_type: 'password',
					client_id: details.consumerKey,
					client_secret: details.consumerSecret,
					username: details.username,
					password: details.password + details.securityToken,
				});
				return count('credential domain (sent to the stand-in)', 'accepted');
			}
			expect(outcome.ok).toBe(false);
			if (outcome.ok) return 'accepted';
			expect((outcome.error as Error).message).toMatch(/^Domain: /);
			expectRefusedBeforeAnyConnection(sf, before);
			expectNoSecret(outcome.error, secretsOf(details));
			return count('credential domain', 'refused');
		}

		it('the stand-in written every way a user might: sent to it, or refused before any connection', async () => {
			const url = sf.url;
			const reaches = [
				url,
				`${url}/`,
				`  ${url}  `,
				`\t${url}\n`,
				url.toUpperCase(),
				`http://127.1:${port}`,
				`http://0x7f.0.0.1:${port}`,
			];
			const refused = [
				`${url}/services/oauth2/token`,
				`${url}/../`,
				`${url}/..`,
				`${url}?x=1`,
				`${url}#x`,
				`${url}#.my.salesforce.com`,
				`${url}%00`,
				`${url}%23`,
				`http://user@127.0.0.1:${port}`,
				`http://127.0.0.1:${port}@evil.test`,
				`http://evil.test#@127.0.0.1:${port}`,
				`ftp://127.0.0.1:${port}`,
				`ws://127.0.0.1:${port}`,
				`http://127.0.0.1.evil.test:${port}`,
				`http://localhost.evil.test:${port}`,
				`${url}\u0000`,
				`${url} x`,
				`${url}\\`,
				`http://127.0.0.1:${port}\u0430`,
				`http://[::ffff:127.0.0.1]:${port}`,
			];
			for (const domain of reaches) expect(await domainCase(domain)).toBe('accepted');
			for (const domain of refused) expect(await domainCase(domain)).toBe('refused');
		});

		it('look-alikes and generated values around the stand-in URL', async () => {
			for (const domain of LOOK_ALIKES) expect(await domainCase(domain)).toBe('refused');
			const piece = fc.constantFrom(...DOMAIN_PIECES, '', '/', ' ');
			await fc.assert(
				fc.asyncProperty(piece, piece, fc.boolean(), async (before, after, bare) => {
					const target = bare ? sf.url.replace(/^http:\/\//, '') : sf.url;
					await domainCase(`${before}${target}${after}`);
				}),
				{ numRuns: RUNS_PER_FIELD },
			);
			await fc.assert(
				fc.asyncProperty(domainText, async (domain) => {
					await domainCase(domain);
				}),
				{ numRuns: RUNS_PER_FIELD },
			);
		});
	});
});

// ---------------------------------------------------------------------------------------------------
// Timeout and flow (checked without a network: the value is not sent, it sets a limit)
// ---------------------------------------------------------------------------------------------------

describe('timeout and authentication flow', () => {
	const base = {
		domain: 'acme.my.salesforce.com',
		consumerKey: '3MVG9',
		consumerSecret: 'secretXYZ12',
		username: 'api@acme.com',
		password: 'Pass#word1',
	};

	it.each([
		[undefined, 10_000],
		['', 10_000],
		[null, 10_000],
		[10, 10_000],
		['10', 10_000],
		[1, 1_000],
		[300, 300_000],
		[0, 'refused'],
		[-1, 'refused'],
		[301, 'refused'],
		[Number.NaN, 'refused'],
		[Number.POSITIVE_INFINITY, 'refused'],
		['abc', 'refused'],
		['10 s', 'refused'],
		['../', 'refused'],
		['%00', 'refused'],
	] as Array<[unknown, number | 'refused']>)('timeout %p → %p ms', (timeout, expected) => {
		if (expected === 'refused') {
			expect(() => readLoginDetails({ ...base, timeout })).toThrow(/^Timeout \(Seconds\): /);
		} else {
			expect(buildTokenRequest(readLoginDetails({ ...base, timeout })).timeoutMs).toBe(expected);
		}
	});

	// A sub-second timeout such as 0.0004 s would round to timeoutMs 0, which n8n passes to axios as
	// `timeout: 0` — no limit at all, so a token endpoint that never answers would hang the execution.
	it.each([0.0004, 0.0001, 1e-9, 0.999])(
		'timeout %p s is refused, never turned into "no limit"',
		(timeout) => {
			const outcome = (() => {
				try {
					return buildTokenRequest(readLoginDetails({ ...base, timeout }));
				} catch (error) {
					return error as Error;
				}
			})();
			if (outcome instanceof Error) expect(outcome.message).toMatch(/^Timeout \(Seconds\): /);
			else expect(outcome.timeoutMs).toBeGreaterThan(0);
		},
	);

	it.each(['Password', 'client_credentials', ' password', 'password\n', '../', '%00', 'jwt'])(
		'flow %j is refused naming the field',
		(authFlow) => {
			expect(() => readLoginDetails({ ...base, authFlow })).toThrow(/^Authentication Flow: /);
		},
	);

	it('a refused flow or timeout never shows the secrets', () => {
		for (const fields of [
			{ ...base, authFlow: 'jwt' },
			{ ...base, timeout: 'abc' },
		]) {
			let error: unknown;
			try {
				readLoginDetails(fields);
			} catch (caught) {
				error = caught;
			}
			expect(error).toBeInstanceOf(SalesforceAuthError);
			expectNoSecret(error, [base.password, base.consumerSecret]);
		}
	});
});

// ---------------------------------------------------------------------------------------------------
// Salesforce Action: Response Mapping
// ---------------------------------------------------------------------------------------------------

const PATHS = SESSION_FIELDS.map((field) => field.path);
const RESERVED = ['__proto__', 'constructor', 'prototype'];

/** An independent statement of the field-name rules, to check that a refusal points at a bad cell. */
function fieldNameIsBad(field: string): boolean {
	return (
		field.trim() === '' ||
		field !== field.trim() ||
		/[\u0000-\u001f\u007f-\u009f]/.test(field) ||
		field.length > 200 ||
		RESERVED.includes(field)
	);
}

interface Row {
	objectPath: string;
	field: string;
}

/** The field a row writes to: from node version 1.1 an empty name means SF_ + the value's name. */
function fieldOf(row: Row, typeVersion: number): string {
	return typeVersion >= 1.1 && row.field === '' ? `SF_${row.objectPath.toUpperCase()}` : row.field;
}

/** Whether an earlier row already writes into the same field (from 1.1, an exact repeat is harmless). */
function clashesWithEarlier(row: Row, earlier: Row[], typeVersion: number): boolean {
	return earlier.some(
		(other) =>
			fieldOf(other, typeVersion) === fieldOf(row, typeVersion) &&
			(typeVersion < 1.1 || other.objectPath !== row.objectPath),
	);
}

const fieldName = fc
	.oneof(
		{ arbitrary: mostlyPrintableText(), weight: 4 },
		{ arbitrary: nastyText({ maxLength: 210 }), weight: 2 },
		{
			arbitrary: fc
				.tuple(fc.integer({ min: 195, max: 205 }), fc.constantFrom('F', '.', 'é', '😀'))
				.map(([n, c]) => c.repeat(n)),
			weight: 1,
		},
	)
	.filter(notAnN8nExpression);
const objectPath = fc
	.oneof(
		{ arbitrary: fc.constantFrom(...PATHS), weight: 6 },
		{
			arbitrary: fc.constantFrom(
				'',
				' access_token',
				'access_token ',
				'ACCESS_TOKEN',
				'../access_token',
				'access_token#',
				'access_token%00',
				'accessToken',
				'signature',
				'refresh_token',
				'__proto__',
				'constructor',
				'toString',
			),
			weight: 1,
		},
		{ arbitrary: mostlyPrintableText(), weight: 1 },
	)
	.filter(notAnN8nExpression);
const rows = fc.array(fc.record({ objectPath, field: fieldName }), { minLength: 1, maxLength: 3 });

describe('Salesforce Action: Response Mapping field names and object paths', () => {
	let sf: SalesforceStandin;
	let credential: StoredCredential;
	let store: CredentialStore;
	beforeAll(async () => {
		sf = await startSalesforceStandin({ label: 'fuzz-mapping' });
		credential = storedCredential(sf);
		store = new CredentialStore();
	});
	afterAll(async () => {
		await sf.close();
	});

	function sessionValues(): Record<string, string> {
		const data = store.getData(credential.id);
		const identityUrl = String(data.identityUrl);
		return {
			access_token: String(data.accessToken),
			instance_url: String(data.instanceUrl),
			id: identityUrl,
			token_type: 'Bearer',
			issued_at: String(data.issuedAt),
			org_id: sf.orgId,
			user_id: identityUrl.split('/').at(-1) ?? '',
		};
	}

	async function mappingCase(mappings: Row[], typeVersion = 1): Promise<Outcome> {
		sf.resetRecords();
		const before = connections.count();
		const outcome = await settle(
			runSalesforceAction({
				credential,
				store,
				typeVersion,
				parameters: {
					operation: 'getAccessToken',
					responseMapping: { mappings: mappings as unknown as INodeParameters[] },
				},
			}),
		);

		if (outcome.ok) {
			const json = outcome.value.output[0][0].json;
			const values = sessionValues();
			for (const row of mappings) {
				const field = fieldOf(row, typeVersion);
				expect(PATHS).toContain(row.objectPath);
				expect(Object.prototype.hasOwnProperty.call(json, field)).toBe(true);
				expect(json[field]).toBe(values[row.objectPath]);
				expect(fieldNameIsBad(field)).toBe(false);
			}
			expect(Object.keys(json).sort()).toEqual(
				[...new Set(mappings.map((row) => fieldOf(row, typeVersion)))].sort(),
			);
			expect(
				mappings.some((row, index) =>
					clashesWithEarlier(row, mappings.slice(0, index), typeVersion),
				),
			).toBe(false);
			return count('Salesforce Action mapping', 'accepted');
		}

		const message = (outcome.error as Error).message;
		const match = /^Response Mapping row (\d+), (Field Name|Object Path): /.exec(message);
		if (!match)
			throw new Error(
				`${JSON.stringify(mappings)} failed without naming the row and column: ${message}`,
			);
		const index = Number(match[1]) - 1;
		expect(index).toBeLessThan(mappings.length);
		// Every earlier row is good; the named cell is bad.
		const earlier = mappings.slice(0, index);
		for (const row of earlier) {
			expect(PATHS).toContain(row.objectPath);
			expect(fieldNameIsBad(fieldOf(row, typeVersion))).toBe(false);
		}
		const named = mappings[index];
		if (match[2] === 'Object Path') {
			expect(PATHS).not.toContain(named.objectPath);
		} else {
			expect(PATHS).toContain(named.objectPath);
			expect(
				fieldNameIsBad(fieldOf(named, typeVersion)) ||
					clashesWithEarlier(named, earlier, typeVersion),
			).toBe(true);
		}
		// Checked before the session is fetched: nothing reaches Salesforce, no connection is opened.
		expectRefusedBeforeAnyConnection(sf, before);
		expectNoSecret(outcome.error, [
			credential.data.password,
			credential.data.consumerSecret,
			credential.data.securityToken,
		]);
		return count('Salesforce Action mapping', 'refused');
	}

	it('the default mapping logs in once', async () => {
		expect(await mappingCase([{ objectPath: 'access_token', field: 'SF_ACCESS_TOKEN' }])).toBe(
			'accepted',
		);
	});

	it.each([
		['a.b.c', 'accepted'],
		['SF ACCESS TOKEN', 'accepted'],
		['../x', 'accepted'],
		['#', 'accepted'],
		['%00', 'accepted'],
		['@', 'accepted'],
		['é漢字😀', 'accepted'],
		['toString', 'accepted'],
		['hasOwnProperty', 'accepted'],
		['error', 'accepted'],
		['json', 'accepted'],
		['{{ $json }}', 'accepted'],
		['F'.repeat(200), 'accepted'],
		['x\ud800', 'accepted'],
		['', 'refused'],
		[' ', 'refused'],
		[' padded', 'refused'],
		['padded ', 'refused'],
		['line\nbreak', 'refused'],
		['nul\u0000', 'refused'],
		['F'.repeat(201), 'refused'],
		['__proto__', 'refused'],
		['constructor', 'refused'],
		['prototype', 'refused'],
	] as Array<[string, Outcome]>)('Field Name %j is %s', async (field, expected) => {
		expect(await mappingCase([{ objectPath: 'access_token', field }])).toBe(expected);
	});

	it.each([
		['', 'SF_ACCESS_TOKEN'],
		['SF_X', 'SF_X'],
	])('version 1.1: Field Name %j writes %s', async (field, written) => {
		expect(await mappingCase([{ objectPath: 'access_token', field }], 1.1)).toBe('accepted');
		expect(fieldOf({ objectPath: 'access_token', field }, 1.1)).toBe(written);
	});

	it('version 1.1: a row added as is (the defaults again) is harmless; another value into its field is not', async () => {
		await expect(
			mappingCase(
				[
					{ objectPath: 'access_token', field: '' },
					{ objectPath: 'access_token', field: '' },
				],
				1.1,
			),
		).resolves.toBe('accepted');
		await expect(
			mappingCase(
				[
					{ objectPath: 'access_token', field: '' },
					{ objectPath: 'instance_url', field: '' },
				],
				1.1,
			),
		).resolves.toBe('accepted');
		await expect(
			mappingCase(
				[
					{ objectPath: 'access_token', field: '' },
					{ objectPath: 'id', field: 'SF_ACCESS_TOKEN' },
				],
				1.1,
			),
		).resolves.toBe('refused');
	});

	it('a duplicate field name is refused naming the later row', async () => {
		await expect(
			mappingCase([
				{ objectPath: 'access_token', field: 'X' },
				{ objectPath: 'instance_url', field: 'X' },
			]),
		).resolves.toBe('refused');
	});

	it('generated tables of 1–3 rows', async () => {
		await fc.assert(
			fc.asyncProperty(rows, fc.constantFrom(1, 1.1), async (mappings, typeVersion) => {
				await mappingCase(mappings, typeVersion);
			}),
			{
				numRuns: RUNS_PER_FIELD,
				examples: [
					...HAND_PICKED_TEXT.filter(notAnN8nExpression).flatMap((field) =>
						[1, 1.1].map(
							(version) => [[{ objectPath: 'access_token', field }], version] as [Row[], number],
						),
					),
					...[
						'',
						' access_token',
						'ACCESS_TOKEN',
						'../access_token',
						'access_token#',
						'access_token%00',
						'__proto__',
						'toString',
						'refresh_token',
					].map((path) => [[{ objectPath: path, field: 'F' }], 1.1] as [Row[], number]),
				],
			},
		);
	});
});

// ---------------------------------------------------------------------------------------------------
// The deprecated Salesforce Authentication node's parameters
// ---------------------------------------------------------------------------------------------------

type LegacyField =
	| 'consumerKey'
	| 'consumerSecret'
	| 'domain'
	| 'username'
	| 'password'
	| 'outputField';
const LEGACY_LABEL: Record<LegacyField, string> = {
	consumerKey: FIELD_LABELS.consumerKey,
	consumerSecret: FIELD_LABELS.consumerSecret,
	domain: 'Domain',
	username: FIELD_LABELS.username,
	password: FIELD_LABELS.password,
	outputField: 'Output Field',
};
const LEGACY_ARBITRARY: Record<LegacyField, fc.Arbitrary<string>> = {
	consumerKey: mostlyPrintableText(),
	consumerSecret: mostlyPrintableText(),
	domain: domainText,
	username: usernameText(),
	password: nastyText(),
	outputField: fieldName,
};

describe('Salesforce Authentication (Deprecated): parameters', () => {
	let sf: SalesforceStandin;
	beforeAll(async () => {
		sf = await startSalesforceStandin({ label: 'fuzz-legacy', loginRateLimitPerHour: 1_000_000 });
	});
	afterAll(async () => {
		await sf.close();
	});

	async function legacyCase(field: LegacyField, value: string): Promise<Outcome | 'not sent'> {
		const details = freshDetails();
		// The old node has no security token field: it is part of the password.
		const parameters: Record<LegacyField, string> = {
			consumerKey: details.consumerKey,
			consumerSecret: details.consumerSecret,
			domain: sf.url,
			username: details.username,
			password: details.password,
			outputField: 'SF_ACCESS_TOKEN',
			[field]: value,
		};
		if (field === 'domain') {
			const expectation = domainOutcome(value);
			if ('host' in expectation && expectation.host.origin !== sf.url) {
				expectNamedSalesforceHost(value, expectation.host);
				return 'not sent';
			}
		}
		configure(
			sf,
			{
				...details,
				consumerKey: parameters.consumerKey,
				consumerSecret: parameters.consumerSecret,
				username: parameters.username,
				password: parameters.password,
			},
			false,
		);
		const before = connections.count();
		const outcome = await settle(
			runNode({
				node: new SalesforceAuth(),
				parameters: parameters as unknown as INodeParameters,
				credentialTypes: [credentialType],
			}),
		);

		if (outcome.ok) {
			const json = outcome.value.output[0][0].json;
			expect(Object.keys(json)).toEqual([parameters.outputField]);
			expect(sf.activeSessions()).toContain(json[parameters.outputField]);
			const requests = sf.tokenRequests();
			expect(requests).toHaveLength(1);
			const expected: Record<string, string> = {
				grant_type: 'password',
				client_id: parameters.consumerKey,
				client_secret: parameters.consumerSecret,
				username: parameters.username,
				password: parameters.password,
			};
			expect(requests[0].form).toEqual(expected);
			for (const [name, sent] of Object.entries(expected)) {
				expect(formFieldBytes(requests[0].rawBody, name)?.equals(utf8(sent))).toBe(true);
			}
			return count(`legacy ${field}`, 'accepted');
		}
		const message = (outcome.error as Error).message;
		if (!message.startsWith(`${LEGACY_LABEL[field]}: `)) {
			throw new Error(
				`${field} = ${describeValue(value)} failed without naming the field: ${message}`,
			);
		}
		expectRefusedBeforeAnyConnection(sf, before);
		expectNoSecret(outcome.error, [parameters.password, parameters.consumerSecret]);
		return count(`legacy ${field}`, 'refused');
	}

	it.each(Object.keys(LEGACY_LABEL) as LegacyField[])(
		'%s: hand-picked and generated values',
		async (field) => {
			await fc.assert(
				fc.asyncProperty(LEGACY_ARBITRARY[field], async (value) => {
					await legacyCase(field, value);
				}),
				{
					numRuns: RUNS_PER_FIELD / 2,
					examples: examples(
						field === 'domain' ? [...LOOK_ALIKES, ...HAND_PICKED_TEXT] : HAND_PICKED_TEXT,
					),
				},
			);
		},
	);

	it.each([
		['password', ' pass word ', 'accepted'],
		['password', 'Pass#1%00&+=?/;../@', 'accepted'],
		['password', 'x'.repeat(1001), 'refused'],
		['password', 'pass\nword', 'refused'],
		['username', 'no-at-sign', 'refused'],
		['outputField', 'MY.TOKEN', 'accepted'],
		['outputField', '../#%00@', 'accepted'],
		['outputField', ' MY_TOKEN', 'refused'],
		['outputField', '__proto__', 'refused'],
		['outputField', 'F'.repeat(201), 'refused'],
		['domain', 'acme.my.salesforce.com.evil.test', 'refused'],
		['domain', 'evil.test#.my.salesforce.com', 'refused'],
	] as Array<[LegacyField, string, Outcome]>)('%s = %j is %s', async (field, value, expected) => {
		expect(await legacyCase(field, value)).toBe(expected);
	});

	it('the stand-in URL with padding or a trailing slash is sent to the stand-in', async () => {
		for (const domain of [`${sf.url}/`, `  ${sf.url}\n`])
			expect(await legacyCase('domain', domain)).toBe('accepted');
		for (const domain of [`${sf.url}/x`, `${sf.url}#x`, `${sf.url}%00`, `${sf.url}@evil.test`])
			expect(await legacyCase('domain', domain)).toBe('refused');
	});
});

// ---------------------------------------------------------------------------------------------------
// n8n's own handling of a leading "=" (not the package's): pinned so the credential guide can say so
// ---------------------------------------------------------------------------------------------------

describe('n8n platform: a value that starts with "=" is an expression (n8n-io/n8n#13201)', () => {
	let sf: SalesforceStandin;
	beforeAll(async () => {
		sf = await startSalesforceStandin({ label: 'fuzz-expressions' });
	});
	afterAll(async () => {
		await sf.close();
	});

	it('a password typed as "=Secret#1" reaches Salesforce without its "=" (n8n strips it before the credential runs)', async () => {
		const details: ICredentialDataDecryptedObject = {
			...freshDetails(),
			password: '=Secret#1LongEnough',
		};
		sf.resetRecords();
		const outcome = await settle(runLogin(credentialType, credentialDataFor(sf, details)));
		expect(outcome.ok).toBe(false);
		expect(sf.tokenRequests()[0].form?.password).toBe(
			`Secret#1LongEnough${String(details.securityToken)}`,
		);
		if (!outcome.ok)
			expectNoSecret(outcome.error, [
				'=Secret#1LongEnough',
				'Secret#1LongEnough',
				details.consumerSecret,
			]);
	});

	it('an output field named "=MY_TOKEN" becomes "MY_TOKEN"', async () => {
		const { output } = await runSalesforceAction({
			credential: storedCredential(sf),
			store: new CredentialStore(),
			parameters: {
				operation: 'getAccessToken',
				responseMapping: { mappings: [{ objectPath: 'access_token', field: '=MY_TOKEN' }] },
			},
		});
		expect(Object.keys(output[0][0].json)).toEqual(['MY_TOKEN']);
	});
});
