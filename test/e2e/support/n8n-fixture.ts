import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { stopAllChildren } from '../../../dev/n8n/child-processes';
import { commandTimeoutMs, N8nInstance, type N8nServer } from '../../../dev/n8n/cli';
import { installPackageLikeN8n, type InstalledCommunityPackage } from '../../../dev/n8n/community-package';
import { ensureN8nRuntime, type N8nRuntime } from '../../../dev/n8n/runtime';
import { buildAndPackOnce, REPO_ROOT } from '../../../dev/n8n/packed-package';

/**
 * For `jest.setTimeout` in every e2e file: a fresh machine installs n8n (~3-6 min) in `beforeAll`.
 * Kept well above one n8n command's own timeout (`N8N_SFI_COMMAND_TIMEOUT_MS`, 5 min by default), so
 * a hung command is reported by the harness, saying why, before jest gives up on the whole test.
 */
export const E2E_TIMEOUT_MS = Math.max(15 * 60_000, 3 * commandTimeoutMs());

export interface N8nFixture {
	n8n: N8nInstance;
	runtime: N8nRuntime;
	userFolder: string;
	installedPackage: InstalledCommunityPackage;
	/** `n8n start` on a free loopback port, logged in; stopped by `cleanup()` if the test does not. */
	startServer: () => Promise<N8nServer>;
	/** Stops servers, removes the user folder (kept when E2E_KEEP_USER_FOLDERS=1, for debugging). */
	cleanup: () => Promise<void>;
}

/** jest buffers console.log until a test ends; progress of a minutes-long install must show now. */
function progress(line: string): void {
	process.stderr.write(`[e2e] ${line}\n`);
}

export interface N8nFixtureOptions {
	/** One of the pinned n8n versions (dev/n8n/runtime.ts); N8N_VERSION (2.41.1) unless told. */
	n8nVersion?: string;
}

/**
 * A private n8n user folder with the packed package installed as a community package, ready to
 * import credentials and workflows into. Call in `beforeAll`; call `cleanup()` in `afterAll`.
 */
export async function createN8nFixture(name = 'n8n', options: N8nFixtureOptions = {}): Promise<N8nFixture> {
	const tarball = await buildAndPackOnce(progress);
	const runtime = await ensureN8nRuntime({ log: progress, n8nVersion: options.n8nVersion });
	const userFolder = mkdtempSync(join(tmpdir(), `sfi-e2e-${name}-`));
	const installedPackage = await installPackageLikeN8n(userFolder, { repoRoot: REPO_ROOT, tarball });
	const n8n = new N8nInstance({ userFolder, runtime });
	const servers: N8nServer[] = [];
	return {
		n8n,
		runtime,
		userFolder,
		installedPackage,
		startServer: async () => {
			const server = await n8n.startServer();
			servers.push(server);
			return server;
		},
		cleanup: async () => {
			await Promise.all(servers.map(async (server) => await server.stop()));
			// Anything an aborted test left running (an `n8n execute` that timed out…).
			await stopAllChildren(5_000);
			if (process.env.E2E_KEEP_USER_FOLDERS === '1') progress(`Kept ${userFolder}`);
			else rmSync(userFolder, { recursive: true, force: true });
		},
	};
}
