import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

import { lastLines, runCommand } from './child-processes';
import { packPackage } from './community-package';
import { withInstallLock } from './install-lock';

export const REPO_ROOT = join(__dirname, '..', '..');

/** What goes into `dist/`: when none of it changed, the last build and pack are still good. */
const BUILD_INPUTS = [
	'package.json',
	'tsconfig.json',
	'tsconfig.build.json',
	'gulpfile.js',
	'README.md',
	'LICENSE',
	'icons',
	'nodes',
	'credentials',
];

function filesUnder(path: string): string[] {
	if (!existsSync(path)) return [];
	if (!statSync(path).isDirectory()) return [path];
	return readdirSync(path)
		.sort()
		.flatMap((entry) => filesUnder(join(path, entry)));
}

function sourceHash(): string {
	const hash = createHash('sha256');
	for (const input of BUILD_INPUTS) {
		for (const file of filesUnder(join(REPO_ROOT, input))) {
			hash.update(relative(REPO_ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
		}
	}
	return hash.digest('hex').slice(0, 16);
}

let packedInThisProcess: Promise<string> | undefined;

/**
 * Builds the package (`npm run build`) and packs it, once for all e2e test files: jest runs files in
 * parallel workers, and a second `npm run build` would wipe `dist/` under a worker that is packing.
 * The tarball is keyed by a hash of the sources and kept in node_modules/.cache, so an unchanged
 * tree is not rebuilt by the next test run either.
 */
export async function buildAndPackOnce(log: (line: string) => void): Promise<string> {
	packedInThisProcess ??= (async () => {
		const cacheFolder = join(REPO_ROOT, 'node_modules', '.cache', 'sfi-e2e');
		mkdirSync(cacheFolder, { recursive: true });
		const tarball = join(cacheFolder, `package-${sourceHash()}.tgz`);
		return await withInstallLock(
			join(cacheFolder, 'build.lock'),
			{ log, activity: 'building and packing the package', timeoutMs: 10 * 60_000 },
			async () => {
				if (existsSync(tarball)) return tarball;
				log('Building the package (npm run build)…');
				const build = await runCommand('npm', ['run', 'build'], {
					cwd: REPO_ROOT,
					timeoutMs: 5 * 60_000,
				});
				if (build.exitCode !== 0) {
					throw new Error(`npm run build failed:\n${lastLines(build.stdout + build.stderr, 30)}`);
				}
				const packed = await packPackage(REPO_ROOT, join(cacheFolder, 'staging'));
				// Renamed into place only when complete, so a reader never sees half a tarball.
				renameSync(packed, tarball);
				return tarball;
			},
		);
	})();
	return await packedInThisProcess;
}
