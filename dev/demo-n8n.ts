/**
 * `npm run n8n -- <args>`: n8n's CLI for the demo that `npm start` runs — the same pinned n8n, the
 * Node 24 it runs on, the demo's user folder (`.n8n-demo/`) and encryption key — e.g.
 *
 *   npm run n8n -- export:workflow --all --output=workflows.json
 *
 * Relative paths are read from the folder `npm run` was started in. It works while `npm start`
 * runs (n8n's CLI and server share the SQLite database); import commands take effect in the editor
 * after a reload, or a restart of `npm start`.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { findFreePort, N8nInstance } from './n8n/cli';
import { ensureN8nRuntime } from './n8n/runtime';

const USER_FOLDER = join(__dirname, '..', '.n8n-demo');

async function main(): Promise<number> {
	const args = process.argv.slice(2);
	if (!existsSync(USER_FOLDER)) {
		console.error(
			'There is no demo yet: run `npm start` once first (it installs n8n and creates .n8n-demo/).',
		);
		return 1;
	}
	if (args.length === 0) {
		console.error(
			"Give n8n's command after --, e.g.: npm run n8n -- export:workflow --all --output=workflows.json",
		);
		return 1;
	}
	const runtime = await ensureN8nRuntime({ log: (line) => console.error(line) });
	const n8n = new N8nInstance({ userFolder: USER_FOLDER, runtime });
	// Plain log lines for a person; its own task broker port, so it never collides with the running editor's.
	const env = n8n.env({
		N8N_LOG_FORMAT: 'text',
		N8N_RUNNERS_BROKER_PORT: String(await findFreePort()),
	});
	const child = spawn(runtime.nodeBinary, [runtime.n8nBin, ...args], {
		cwd: process.env.INIT_CWD ?? process.cwd(),
		env,
		stdio: 'inherit',
	});
	return await new Promise<number>((resolve) => {
		child.once('error', (error) => {
			console.error(`n8n could not be started: ${error.message}`);
			resolve(1);
		});
		child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
	});
}

main().then(
	(code) => process.exit(code),
	(error: unknown) => {
		console.error(`npm run n8n failed: ${error instanceof Error ? error.message : String(error)}`);
		process.exit(1);
	},
);
