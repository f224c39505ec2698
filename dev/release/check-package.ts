/**
 * The release check `.ci/run` runs after `npm run build` and `npm run lint`: is the package that
 * `npm publish` would upload one that n8n can verify?
 *
 * 1. `npm pack` (what `npm publish` uploads) into a temp folder and list the tarball: it may hold
 *    only compiled code, type declarations, source maps without embedded sources, icons, codex
 *    files, package.json, README.md and LICENSE (see package-contents.ts).
 * 2. The packed package.json: no runtime dependencies, no install lifecycle scripts, every node and
 *    credential it lists is in the tarball (and every one in the tarball is listed), codex files
 *    beside the nodes, the icons the code names are packed.
 * 3. n8n's verification scanner (`@n8n/scan-community-package`, pinned, installed into the cache
 *    outside the repository by scanner.ts) on both legs n8n scans: the source tree with its
 *    SOURCE_FILE_PATTERNS and the unpacked tarball with ['**\/*.js', 'package.json'].
 *
 * Exits 1 naming every problem. Usage: npx tsx dev/release/check-package.ts
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { lastLines, runCommand } from '../n8n/child-processes';
import { packPackage } from '../n8n/community-package';
import {
	contentProblems,
	manifestProblems,
	unexpectedFiles,
	type PackedManifest,
} from './package-contents';
import { loadScanner, SCANNER_VERSION, TARBALL_FILE_PATTERNS, type ScanResult } from './scanner';

const REPO_ROOT = join(__dirname, '..', '..');

function seconds(since: number): string {
	return `${((Date.now() - since) / 1000).toFixed(1)}s`;
}

async function run(command: string, args: string[], cwd: string): Promise<string> {
	const result = await runCommand(command, args, { cwd, timeoutMs: 120_000 });
	if (result.exitCode !== 0)
		throw new Error(
			`${command} ${args.join(' ')} failed:\n${lastLines(result.stderr + result.stdout, 20)}`,
		);
	return result.stdout;
}

function report(title: string, problems: string[]): boolean {
	if (problems.length === 0) {
		console.log(`ok   ${title}`);
		return true;
	}
	console.log(`FAIL ${title}:`);
	for (const problem of problems) console.log(`       - ${problem}`);
	return false;
}

function reportScan(title: string, result: ScanResult): boolean {
	if (result.passed) {
		console.log(`ok   ${title}${result.message ? ` (${result.message})` : ''}`);
		return true;
	}
	console.log(`FAIL ${title}: ${result.message ?? 'the scanner reports problems'}`);
	if (result.details) console.log(result.details.replace(/^/gm, '       '));
	return false;
}

async function main(): Promise<void> {
	const startedAt = Date.now();
	const scratch = mkdtempSync(join(tmpdir(), 'sfi-check-package-'));
	let passed = true;
	try {
		// Packing first: it is quick and fails clearly when dist/ is missing.
		const tarball = await packPackage(REPO_ROOT, scratch);
		const unpacked = join(scratch, 'package');
		await run('tar', ['-xzf', tarball, '-C', scratch], scratch);
		const files = (await run('tar', ['-tzf', tarball], scratch))
			.split('\n')
			.filter((line) => line !== '' && !line.endsWith('/'))
			.map((line) => line.replace(/^package\//, ''))
			.sort();
		console.log(
			`Packed ${files.length} files (${tarball.split('/').pop()}) in ${seconds(startedAt)}.`,
		);

		const read = (file: string) => readFileSync(join(unpacked, file), 'utf8');
		const manifest = JSON.parse(read('package.json')) as PackedManifest;
		passed =
			report(
				'tarball holds only compiled code, icons, codex files, README.md, LICENSE and package.json',
				unexpectedFiles(files),
			) && passed;
		passed =
			report(
				'package.json: no dependencies, no install scripts, n8n section matches the tarball',
				manifestProblems(manifest, files),
			) && passed;
		passed =
			report('source maps, codex files and icon references', contentProblems(files, read)) &&
			passed;

		const scannerStartedAt = Date.now();
		const scanner = await loadScanner((line) => console.log(line), scratch);
		console.log(
			`n8n's scanner @n8n/scan-community-package ${SCANNER_VERSION} ready in ${seconds(scannerStartedAt)}.`,
		);
		let legStartedAt = Date.now();
		const sourceResult = await scanner.analyzePackage(REPO_ROOT, scanner.SOURCE_FILE_PATTERNS);
		passed =
			reportScan(
				`n8n's scanner on the source (${scanner.SOURCE_FILE_PATTERNS.join(', ')}; ${seconds(legStartedAt)})`,
				sourceResult,
			) && passed;
		legStartedAt = Date.now();
		const tarballResult = await scanner.analyzePackage(unpacked, TARBALL_FILE_PATTERNS);
		passed =
			reportScan(
				`n8n's scanner on the packed files (${TARBALL_FILE_PATTERNS.join(', ')}; ${seconds(legStartedAt)})`,
				tarballResult,
			) && passed;
	} finally {
		rmSync(scratch, { recursive: true, force: true });
	}
	if (!passed) {
		console.log(`\nThe package is not one n8n can verify (see FAIL above; ${seconds(startedAt)}).`);
		process.exit(1);
	}
	console.log(`\nThe package is one n8n can verify (${seconds(startedAt)}).`);
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
