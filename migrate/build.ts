/**
 * Bundles migrate/src into the one self-contained file users download and run with plain Node
 * (no install): migrate/salesforce-auth-migration.mjs. Run `npm run build:migration` after editing
 * migrate/src (or the nodes/salesforce files it uses); a unit test fails while the file is stale.
 * The file is committed, and not published: package.json "files" only lists dist/.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { build } from 'esbuild';

export const BUNDLE_FILE = join(__dirname, 'salesforce-auth-migration.mjs');

const BANNER = `#!/usr/bin/env node
// Salesforce Authentication → Salesforce Action migration for n8n (n8n-nodes-salesforce-integration).
// GENERATED from migrate/src by \`npm run build:migration\`: edit the sources, not this file.
// Needs only Node.js >= 18 (the one n8n runs on). Guide:
// https://github.com/n8n-nodes-salesforce-integration/n8n-nodes-salesforce-integration/blob/main/docs/migrating-from-salesforce-authentication.md`;

/** The bundle's text, built in memory. */
export async function bundleMigration(): Promise<string> {
	const result = await build({
		entryPoints: [join(__dirname, 'src', 'main.ts')],
		bundle: true,
		platform: 'node',
		format: 'esm',
		target: 'node18',
		write: false,
		legalComments: 'none',
		charset: 'utf8',
		banner: { js: BANNER },
		logLevel: 'silent',
	});
	return result.outputFiles[0].text;
}

if (require.main === module) {
	void bundleMigration().then((text) => {
		writeFileSync(BUNDLE_FILE, text);
		console.log(`Wrote ${BUNDLE_FILE}`);
	});
}
