/**
 * n8n's verification scanner (`@n8n/scan-community-package`), installed on demand into the cache
 * outside the repository, beside the n8n runtime.
 *
 * It cannot be a devDependency: it pins TypeScript 7, which breaks the `@typescript-eslint` it
 * brings, and its peer dependencies conflict with the package's own, so it only installs with
 * `--legacy-peer-deps` and `typescript@5` beside it. `dev/release/scanner/` holds its own
 * package.json and package-lock.json, so every machine lints with exactly the same rule versions.
 * Layout: <cache>/scanner-<version>/node_modules/@n8n/scan-community-package/scanner/scanner.mjs
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { lastLines, runCommand } from '../n8n/child-processes';
import { withInstallLock } from '../n8n/install-lock';
import { runtimeCacheRoot } from '../n8n/runtime';

export const SCANNER_VERSION = '0.32.0';
const MANIFEST_FOLDER = join(__dirname, 'scanner');
const STAMP_FILE = '.install-complete.json';

export interface ScanResult {
	passed: boolean;
	message?: string;
	/** ESLint's "stylish" report of the violations. */
	details?: string;
}

export interface Scanner {
	/** Lints `dir` with the scanner's rule set, exactly as n8n's verification does. */
	analyzePackage(dir: string, patterns: string[]): Promise<ScanResult>;
	/** The source leg's patterns: package.json and `{nodes,credentials}/**`. */
	SOURCE_FILE_PATTERNS: string[];
}

/** The tarball leg's patterns, as `analyzePackageByName` runs them on the published tarball. */
export const TARBALL_FILE_PATTERNS = ['**/*.js', 'package.json'];

function lockHash(): string {
	const hash = createHash('sha256');
	for (const file of ['package.json', 'package-lock.json'])
		hash.update(readFileSync(join(MANIFEST_FOLDER, file)));
	return hash.digest('hex').slice(0, 16);
}

function readStampHash(folder: string): string | undefined {
	try {
		return (JSON.parse(readFileSync(join(folder, STAMP_FILE), 'utf8')) as { lockHash?: string })
			.lockHash;
	} catch {
		return undefined;
	}
}

/** Installs the pinned scanner into the cache if it is not there yet; returns its scanner.mjs. */
export async function ensureScanner(log: (line: string) => void): Promise<string> {
	const root = runtimeCacheRoot();
	const folder = join(root, `scanner-${SCANNER_VERSION}`);
	const entry = join(
		folder,
		'node_modules',
		'@n8n',
		'scan-community-package',
		'scanner',
		'scanner.mjs',
	);
	const wanted = lockHash();
	const isComplete = () => readStampHash(folder) === wanted && existsSync(entry);
	if (isComplete()) return entry;

	mkdirSync(root, { recursive: true });
	await withInstallLock(
		join(root, '.scanner-install.lock'),
		{ log, activity: "installing n8n's scanner", timeoutMs: 10 * 60_000 },
		async () => {
			if (isComplete()) return;
			const startedAt = Date.now();
			log(
				`Installing @n8n/scan-community-package ${SCANNER_VERSION} into ${folder} (about 220 MB, once; later runs reuse it)…`,
			);
			rmSync(folder, { recursive: true, force: true });
			mkdirSync(folder, { recursive: true });
			for (const file of ['package.json', 'package-lock.json'])
				copyFileSync(join(MANIFEST_FOLDER, file), join(folder, file));
			const logFile = join(root, `scanner-${SCANNER_VERSION}.install.log`);
			writeFileSync(logFile, '');
			const args = [
				'ci',
				'--legacy-peer-deps',
				'--ignore-scripts',
				'--no-audit',
				'--no-fund',
				'--loglevel=http',
			];
			const result = await runCommand('npm', args, {
				cwd: folder,
				logFile,
				timeoutMs: 10 * 60_000,
			});
			if (result.exitCode !== 0 || !existsSync(entry)) {
				throw new Error(
					`Installing n8n's scanner failed (npm ${args.join(' ')} in ${folder}, exit ${result.exitCode ?? result.signal}).\n` +
						`${lastLines(result.stdout + result.stderr, 25)}\nFull log: ${logFile}. It needs access to the npm registry.`,
				);
			}
			writeFileSync(
				join(folder, STAMP_FILE),
				JSON.stringify(
					{ version: SCANNER_VERSION, lockHash: wanted, installedAt: new Date().toISOString() },
					null,
					'\t',
				) + '\n',
			);
			log(`Installed n8n's scanner in ${Math.round((Date.now() - startedAt) / 1000)}s.`);
		},
	);
	return entry;
}

/**
 * Installs (if needed) and imports the scanner. Importing it creates a temp folder (for its CLI's
 * downloads) that it never removes, so `tempFolder` (the caller's, removed by the caller) is where
 * it goes.
 */
export async function loadScanner(
	log: (line: string) => void,
	tempFolder: string,
): Promise<Scanner> {
	const entry = await ensureScanner(log);
	const savedTmpdir = process.env.TMPDIR;
	process.env.TMPDIR = tempFolder;
	try {
		return (await import(pathToFileURL(entry).href)) as Scanner;
	} finally {
		if (savedTmpdir === undefined) delete process.env.TMPDIR;
		else process.env.TMPDIR = savedTmpdir;
	}
}
