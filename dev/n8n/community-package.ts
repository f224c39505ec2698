import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { lastLines, runCommand } from './child-processes';

export interface InstalledCommunityPackage {
	name: string;
	version: string;
	/** `<userFolder>/.n8n/nodes/node_modules/<name>` */
	directory: string;
}

export interface InstallPackageOptions {
	/** The repository whose already-built `dist/` is packed (`npm run build` is the caller's job). */
	repoRoot: string;
	/** A tarball packed earlier (see `packPackage`), so several user folders can share one pack. */
	tarball?: string;
}

interface PackageJson {
	name: string;
	version: string;
	dependencies?: Record<string, string>;
	[key: string]: unknown;
}

function readJson<T>(file: string): T {
	return JSON.parse(readFileSync(file, 'utf8')) as T;
}

async function runOrThrow(
	command: string,
	args: string[],
	cwd: string,
	what: string,
): Promise<string> {
	const result = await runCommand(command, args, { cwd, timeoutMs: 120_000 });
	if (result.exitCode !== 0) {
		throw new Error(
			`${what} failed (${command} ${args.join(' ')} in ${cwd}):\n${lastLines(result.stderr + result.stdout, 20)}`,
		);
	}
	return result.stdout;
}

/** `npm pack`s the repository into `destination`; returns the tarball's path. What npm would publish. */
export async function packPackage(repoRoot: string, destination: string): Promise<string> {
	if (!existsSync(join(repoRoot, 'dist'))) {
		throw new Error(
			`${repoRoot}/dist does not exist: run \`npm run build\` before installing the package into n8n.`,
		);
	}
	mkdirSync(destination, { recursive: true });
	const stdout = await runOrThrow(
		'npm',
		['pack', '--json', '--pack-destination', destination],
		repoRoot,
		'Packing the package',
	);
	const [packed] = JSON.parse(stdout) as Array<{ filename: string }>;
	return join(destination, packed.filename);
}

/**
 * Installs the packed package the way n8n 2.41 installs a community package
 * (`CommunityPackagesService.downloadPackage`), so n8n loads exactly what users would get and the
 * node types read `<name>.<nodeName>`.
 */
export async function installPackageLikeN8n(
	userFolder: string,
	options: InstallPackageOptions,
): Promise<InstalledCommunityPackage> {
	const packDirectory = options.tarball ? undefined : mkdtempSync(join(tmpdir(), 'sfi-pack-'));
	try {
		const tarball =
			options.tarball ?? (await packPackage(options.repoRoot, packDirectory as string));
		const nodesFolder = join(userFolder, '.n8n', 'nodes');
		const { name } = readJson<PackageJson>(join(options.repoRoot, 'package.json'));
		const directory = join(nodesFolder, 'node_modules', name);
		rmSync(directory, { recursive: true, force: true });
		mkdirSync(directory, { recursive: true });
		await runOrThrow(
			'tar',
			['-xzf', tarball, '-C', directory, '--strip-components=1'],
			nodesFolder,
			'Unpacking the package',
		);

		// n8n drops these before installing, so a peer dependency on n8n-workflow resolves to n8n's own.
		const packageJsonPath = join(directory, 'package.json');
		const { devDependencies, peerDependencies, optionalDependencies, ...packageJson } =
			readJson<PackageJson>(packageJsonPath);
		writeFileSync(packageJsonPath, JSON.stringify(packageJson, null, 2), 'utf-8');
		await runOrThrow(
			'npm',
			[
				'install',
				'--audit=false',
				'--fund=false',
				'--bin-links=false',
				'--install-strategy=shallow',
				'--ignore-scripts=true',
				'--package-lock=false',
			],
			directory,
			"Installing the package's dependencies",
		);

		const nodesPackageJsonPath = join(nodesFolder, 'package.json');
		// The same file n8n itself keeps there (`ensurePackageJson`).
		const nodesPackageJson = existsSync(nodesPackageJsonPath)
			? readJson<Pick<PackageJson, 'dependencies'>>(nodesPackageJsonPath)
			: { name: 'installed-nodes', private: true, dependencies: {} };
		nodesPackageJson.dependencies = {
			...nodesPackageJson.dependencies,
			[name]: packageJson.version,
		};
		writeFileSync(nodesPackageJsonPath, JSON.stringify(nodesPackageJson, null, 2), 'utf-8');
		return { name, version: packageJson.version, directory };
	} finally {
		if (packDirectory) rmSync(packDirectory, { recursive: true, force: true });
	}
}
