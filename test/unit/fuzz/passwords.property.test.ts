/**
 * Property: any password a user can type either reaches Salesforce byte for byte (with the security
 * token appended) or is refused before any request with a message that starts with "Password:".
 *
 * 1,000 generated passwords, each through the credential's preAuthentication (n8n-core's real
 * httpRequest) to one shared stand-in whose user has that password. Every run gets its own security
 * token, so the in-process login guard (which remembers a fresh session per set of details for a
 * minute) never answers a repeated password from memory: every accepted run is a real request.
 */
import fc from 'fast-check';
import { startSalesforceStandin } from '../../../dev/salesforce-standin';
import type { SalesforceStandin } from '../../../dev/salesforce-standin';
import { runLogin } from '../../support/n8n-harness';
import { credentialDataFor, credentialType } from '../../support/fixtures';
import {
	authErrorIn,
	describeValue,
	expectNoSecret,
	formFieldBytes,
	NASTY_PIECES,
	notAnN8nExpression,
	settle,
	utf8,
	watchConnections,
} from './fuzzSupport';

const RUNS = 1000;

/** Characters form encoders, URL parsers and shells treat specially. */
const SPECIAL = [
	'#',
	'&',
	'+',
	'%',
	'=',
	'?',
	'/',
	';',
	' ',
	'%00',
	'%23',
	'%2B',
	'%25',
	'\\',
	'"',
	"'",
	'<',
	'>',
	'@',
	':',
	'!',
	'$',
	'*',
];

const password: fc.Arbitrary<string> = fc
	.oneof(
		// Full unicode, astral planes included (fast-check's "binary" unit: any code point, no lone surrogates).
		{ arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 60 }), weight: 4 },
		// Special characters mixed with letters and astral characters.
		{
			arbitrary: fc.string({
				unit: fc.constantFrom(
					...SPECIAL,
					'a',
					'Z',
					'7',
					'é',
					'漢',
					'😀',
					'\u{1D11E}',
					'\u00a0',
					'\u200b',
				),
				minLength: 1,
				maxLength: 40,
			}),
			weight: 4,
		},
		// The nasty pieces of the issue (control characters included: those must be refused).
		{
			arbitrary: fc.string({ unit: fc.constantFrom(...NASTY_PIECES), minLength: 1, maxLength: 10 }),
			weight: 2,
		},
		// Leading and trailing spaces: a password may legitimately have them.
		{
			arbitrary: fc
				.tuple(
					fc.constantFrom(' ', '  ', '\u00a0', '\u3000', ''),
					fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }),
					fc.constantFrom(' ', '   ', '\u2003', ''),
				)
				.map(([before, middle, after]) => before + middle + after),
			weight: 2,
		},
		// Very long, up to and around the 1,000-character limit (an astral character counts twice).
		{ arbitrary: fc.string({ unit: 'binary', minLength: 500, maxLength: 1000 }), weight: 1 },
		{
			arbitrary: fc
				.tuple(
					fc.integer({ min: 990, max: 1000 }),
					fc.constantFrom('a', '#', '%', '+', ' ', 'é', '漢'),
				)
				.map(([count, character]) => character.repeat(count)),
			weight: 1,
		},
	)
	.filter(notAnN8nExpression);

describe('passwords round-trip exactly (property, ' + RUNS + ' runs)', () => {
	let sf: SalesforceStandin;
	let connections: ReturnType<typeof watchConnections>;
	const tally = { accepted: 0, refused: 0, refusedBecause: new Map<string, number>() };

	beforeAll(async () => {
		sf = await startSalesforceStandin({ label: 'passwords', loginRateLimitPerHour: 1_000_000 });
		connections = watchConnections();
	});

	afterAll(async () => {
		connections.restore();
		await sf.close();
		const reasons = [...tally.refusedBecause]
			.map(([message, count]) => `  ${count} × ${message}`)
			.join('\n');
		console.log(
			`passwords: ${tally.accepted} accepted and sent byte for byte, ${tally.refused} refused before any request\n${reasons}`,
		);
	});

	it('either reaches Salesforce byte for byte, or is refused with "Password:" before any request', async () => {
		let run = 0;
		await fc.assert(
			fc.asyncProperty(password, async (generated) => {
				run++;
				// Unique per run (and per shrink step), alphanumeric like Salesforce's tokens.
				const securityToken = `ST${run.toString(36).padStart(6, '0')}Zq`;
				sf.users[0].password = generated;
				sf.users[0].securityToken = securityToken;
				sf.resetRecords();
				const connectionsBefore = connections.count();
				const data = credentialDataFor(sf, { password: generated, securityToken });

				const outcome = await settle(runLogin(credentialType, data));

				if (outcome.ok) {
					tally.accepted++;
					expect(outcome.value.accessToken).toBeTruthy();
					const requests = sf.tokenRequests();
					expect(requests).toHaveLength(1);
					const expected = utf8(generated + securityToken);
					// What the stand-in decoded…
					expect(utf8(requests[0].form?.password ?? '').equals(expected)).toBe(true);
					// …and the bytes on the wire, percent-decoded here without any JS string in between.
					expect(formFieldBytes(requests[0].rawBody, 'password')?.equals(expected)).toBe(true);
					expect(requests[0].form?.username).toBe(sf.demo.username);
				} else {
					tally.refused++;
					const error = authErrorIn(outcome.error);
					if (!error)
						throw new Error(
							`${describeValue(generated)} failed without a SalesforceAuthError: ${String(outcome.error)}`,
						);
					expect(error.reason).toBe('invalid-input');
					expect(error.message).toMatch(/^Password: /);
					expect(sf.requests).toHaveLength(0);
					expect(connections.count()).toBe(connectionsBefore);
					expectNoSecret(outcome.error, [generated, securityToken, data.consumerSecret]);
					const reason = error.message.replace(/\d+ characters/, 'N characters');
					tally.refusedBecause.set(reason, (tally.refusedBecause.get(reason) ?? 0) + 1);
				}
			}),
			{ numRuns: RUNS },
		);
		// Sanity: the generator exercises both sides of the property.
		expect(tally.accepted).toBeGreaterThan(RUNS / 2);
		expect(tally.refused).toBeGreaterThan(0);
	});
});
