/**
 * The harness's copy of n8n's credentials helper (test/support/n8n-harness-credentials.ts) names the
 * n8n it was copied from. The unit tests cannot load that n8n (it is installed only for the
 * end-to-end tests, which compare the copied functions' fingerprints: test/e2e/n8n-copies.e2e.test.ts),
 * so here they fail as soon as the pinned n8n moves away from the copy's.
 */
import { N8N_VERSION } from '../../../dev/n8n/runtime';
import { COPIED_FROM_N8N } from '../../support/n8n-harness-credentials';
import { fingerprintFunctions } from '../../support/n8n-source-fingerprints';

describe("the harness's copy of n8n's credentials helper", () => {
	it('is a copy of the n8n the package is tested with', () => {
		// When this fails: re-read COPIED_FROM_N8N's functions in the newly pinned n8n (the end-to-end
		// test names those that changed), bring the copy in line, then update its version and fingerprints.
		expect(COPIED_FROM_N8N.n8nVersion).toBe(N8N_VERSION);
	});
});

describe('fingerprintFunctions', () => {
	const original = `
		"use strict";
		function restrict(helpers, credentials) {
			// a comment
			return { helpers, credentials };
		}
		let Helper = class Helper extends Base {
			async authenticate(credentials, options) {
				if (credentials.token) { return { ...options, token: credentials.token }; }
				return options;
			}
		};
	`;
	const names = ['restrict', 'Helper.authenticate', 'Helper.missing', 'missing'];

	it('finds top-level functions and methods of a class expression (as TypeScript compiles a decorated class)', () => {
		const fingerprints = fingerprintFunctions(original, names);
		expect(fingerprints.restrict).toMatch(/^[0-9a-f]{16}$/);
		expect(fingerprints['Helper.authenticate']).toMatch(/^[0-9a-f]{16}$/);
		expect(fingerprints['Helper.missing']).toBeUndefined();
		expect(fingerprints.missing).toBeUndefined();
	});

	it('ignores layout and comments, and notices a change of code', () => {
		const relaidOut = original
			.replace('// a comment', '/* another */')
			.replace(/\n\t\t\t\t/g, '\n  ');
		expect(fingerprintFunctions(relaidOut, names)).toEqual(fingerprintFunctions(original, names));

		const changed = original.replace('credentials.token }', 'credentials.accessToken }');
		expect(fingerprintFunctions(changed, names)['Helper.authenticate']).not.toBe(
			fingerprintFunctions(original, names)['Helper.authenticate'],
		);
		expect(fingerprintFunctions(changed, names).restrict).toBe(
			fingerprintFunctions(original, names).restrict,
		);
	});
});
