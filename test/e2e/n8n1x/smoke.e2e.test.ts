/**
 * The smoke set in n8n 1.x (the newest 1.123.x, the oldest line the package supports), beside the
 * full suite in 2.41.1: the same test bodies (test/e2e/cases/), run in the other pinned n8n —
 * token mapping with one login, reuse across executions, renewal, two environments, the deprecated
 * node, a wrong password (message and hygiene), a bad JWT signature, Client Credentials, the data
 * operations (paging across an ended session, a batched Create, API Request), files (binary data in
 * memory, 1.x's default) and Bulk API 2.0, the event trigger (activation, one event, deactivation), the
 * Salesforce Trigger (published, two polls: each change once), and the end-to-end harness's
 * publish/restart/stop on 1.x's synchronous activation. And the package uses nothing of `n8n-workflow`
 * that 1.x lacks.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { lastLines, runCommand } from '../../../dev/n8n/child-processes';
import { ensureN8nRuntime } from '../../../dev/n8n/runtime';
import { describeClientCredentials } from '../cases/client-credentials';
import { describeDataOperations } from '../cases/data-operations';
import { describeEventTriggerSmoke } from '../cases/event-trigger';
import { describeTwoEnvironments } from '../cases/environments';
import { describeWrongPassword } from '../cases/failures';
import { describeFilesAndBulk } from '../cases/files-bulk';
import { describeHarness } from '../cases/harness';
import { describeJwtBearer } from '../cases/jwt-bearer';
import { describeLegacyNode } from '../cases/legacy-node';
import type { E2eCaseOptions } from '../cases/options';
import { describeSalesforceAction } from '../cases/salesforce-action';
import { describeSalesforceTrigger } from '../cases/salesforce-trigger';
import { buildAndPackOnce, E2E_TIMEOUT_MS, N8N_1X_VERSION } from '../support';

jest.setTimeout(E2E_TIMEOUT_MS);

const n8n1x: E2eCaseOptions = { n8nVersion: N8N_1X_VERSION, smoke: true };

/** Every `n8n_workflow_1.<name>` the built package uses at run time. */
function n8nWorkflowNamesUsed(folder: string): Set<string> {
	const names = new Set<string>();
	for (const entry of readdirSync(folder, { withFileTypes: true, recursive: true })) {
		if (!entry.isFile() || !entry.name.endsWith('.js')) continue;
		const text = readFileSync(join(entry.parentPath, entry.name), 'utf8');
		for (const match of text.matchAll(/\bn8n_workflow_\d*\.(\w+)/g)) names.add(match[1]);
	}
	return names;
}

/**
 * The names used by the tarball n8n installs. Not the checkout's dist/: buildAndPackOnce reuses the
 * tarball packed for unchanged sources without building, so dist/ may be missing or from other sources.
 */
async function n8nWorkflowNamesInTarball(tarball: string): Promise<Set<string>> {
	const scratch = mkdtempSync(join(tmpdir(), 'sfi-e2e-tarball-'));
	try {
		const unpacked = await runCommand('tar', ['-xzf', tarball, '-C', scratch], {
			cwd: scratch,
			timeoutMs: 60_000,
		});
		if (unpacked.exitCode !== 0)
			throw new Error(
				`tar -xzf ${tarball} failed:\n${lastLines(unpacked.stdout + unpacked.stderr, 20)}`,
			);
		return n8nWorkflowNamesUsed(join(scratch, 'package', 'dist'));
	} finally {
		rmSync(scratch, { recursive: true, force: true });
	}
}

describe(`the package's use of n8n-workflow (n8n ${N8N_1X_VERSION})`, () => {
	it("needs only names n8n 1.x's own n8n-workflow exports", async () => {
		const tarball = await buildAndPackOnce((line) => process.stderr.write(`[e2e] ${line}\n`));
		const runtime = await ensureN8nRuntime({
			n8nVersion: N8N_1X_VERSION,
			log: (line) => process.stderr.write(`[e2e] ${line}\n`),
		});
		// n8n's own copy, the one a community package's peer dependency resolves to.
		const n8nPackage = join(dirname(dirname(runtime.n8nBin)), 'n8n');
		const workflowEntry = require.resolve('n8n-workflow', { paths: [n8nPackage] });
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const exported = require(workflowEntry) as Record<string, unknown>;
		const used = [...(await n8nWorkflowNamesInTarball(tarball))].sort();

		expect(used).toEqual(expect.arrayContaining(['NodeApiError', 'NodeOperationError']));
		expect(used.filter((name) => exported[name] === undefined)).toEqual([]);
	});
});

describeSalesforceAction(n8n1x);
describeTwoEnvironments(n8n1x);
describeLegacyNode(n8n1x);
describeWrongPassword(n8n1x);
describeJwtBearer(n8n1x);
describeClientCredentials(n8n1x);
describeDataOperations(n8n1x);
describeFilesAndBulk(n8n1x);
describeEventTriggerSmoke(n8n1x);
describeSalesforceTrigger(n8n1x);
describeHarness(n8n1x);
