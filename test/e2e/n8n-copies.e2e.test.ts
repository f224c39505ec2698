/**
 * The unit tests run n8n-core on a copy of n8n's credentials helper (the n8n CLI cannot load
 * without the runtime these tests install): test/support/n8n-harness-credentials.ts. Each function it
 * copies is compared, by fingerprint, with the pinned n8n installed here, so an n8n upgrade that
 * changes any of them fails here, by name, instead of leaving the unit tests modelling an n8n that no
 * longer exists.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { ensureN8nRuntime, N8N_VERSION } from '../../dev/n8n/runtime';
import { COPIED_FROM_N8N } from '../support/n8n-harness-credentials';
import { fingerprintFunctions } from '../support/n8n-source-fingerprints';
import { E2E_TIMEOUT_MS } from './support';

jest.setTimeout(E2E_TIMEOUT_MS);

describe(`the harness's copy of n8n's credentials helper, against n8n ${N8N_VERSION}`, () => {
	it('copies functions that are unchanged in the pinned n8n', async () => {
		const runtime = await ensureN8nRuntime({
			n8nVersion: N8N_VERSION,
			log: (line) => process.stderr.write(`[e2e] ${line}\n`),
		});
		// n8nBin is node_modules/.bin/n8n: the package is its sibling folder.
		const copiedFile = join(dirname(dirname(runtime.n8nBin)), 'n8n', COPIED_FROM_N8N.file);
		const recorded = COPIED_FROM_N8N.fingerprints;
		const installed = fingerprintFunctions(readFileSync(copiedFile, 'utf8'), Object.keys(recorded));

		const changed = Object.keys(recorded)
			.filter((name) => installed[name] !== recorded[name])
			.map(
				(name) =>
					`${name}: copied ${recorded[name]}, n8n ${N8N_VERSION} has ${installed[name] ?? 'no such function'}`,
			);
		// When this fails: re-read these functions in ${copiedFile}, bring test/support/n8n-harness-credentials.ts
		// in line, then record n8n's fingerprints (listed here) and its version in COPIED_FROM_N8N.
		expect(changed).toEqual([]);
	});
});
