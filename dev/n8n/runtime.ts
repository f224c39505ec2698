import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';

import { lastLines, runCommand } from './child-processes';
import { withInstallLock } from './install-lock';

/** n8n 2.41.3 does not install here (a dependency version is missing from the registry); 2.41.1 does. */
export const N8N_VERSION = '2.41.1';
/**
 * The newest n8n 1.x (`npm view n8n@1.123 version`), the oldest line the package is tested with.
 * It pins `xlsx` to a tarball on the vendor's CDN (unreachable here), so its install overrides that
 * with the registry's last release; and it runs on the same Node 24 as 2.x (its isolated-vm 6
 * expression engine needs Node >= 22), with the same native rebuild.
 */
export const N8N_1X_VERSION = '1.123.81';
/** Every n8n the package is tested with; `dev/n8n/prepare.ts` installs them all. */
export const TESTED_N8N_VERSIONS: readonly string[] = [N8N_VERSION, N8N_1X_VERSION];

/** npm `overrides` the installing folder's package.json needs for an n8n version to install here. */
function installOverrides(n8nVersion: string): Record<string, string> | undefined {
	return n8nVersion.startsWith('1.') ? { xlsx: '0.18.5' } : undefined;
}
/** n8n 2.x needs Node >= 24; the registry's node-<os>-<arch> packages ship the binary and its headers. */
export const NODE_RUNTIME_VERSION = '24.22.3';

export interface N8nRuntime {
	/** The Node binary n8n runs on (Node 24 from the cache when the system Node is older). */
	nodeBinary: string;
	/** n8n's CLI script; run it as `nodeBinary n8nBin ...`. */
	n8nBin: string;
	/** process.env with that Node first on PATH, for anything that spawns `node` or `npm` for n8n. */
	env: NodeJS.ProcessEnv;
	/** The n8n version `n8nBin` runs (set by ensureN8nRuntime). */
	n8nVersion?: string;
}

export interface EnsureRuntimeOptions {
	log?: (line: string) => void;
	/** The pinned n8n to install or reuse; N8N_VERSION (2.41.1) unless told. */
	n8nVersion?: string;
}

interface Stamp {
	version: string;
	installedAt: string;
}

const STAMP_FILE = '.install-complete.json';
/** Written before an install starts and removed at the end: a folder holding it was interrupted. */
const IN_PROGRESS_FILE = '.install-in-progress';

export function runtimeCacheRoot(): string {
	if (process.env.N8N_SFI_CACHE) return process.env.N8N_SFI_CACHE;
	const cacheHome = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
	return join(cacheHome, 'n8n-nodes-salesforce-integration');
}

function nodePackageName(): string {
	return `node-${process.platform}-${process.arch}`;
}

function systemNodeIsRecentEnough(): boolean {
	return Number(process.versions.node.split('.')[0]) >= 24;
}

function readStamp(folder: string): Stamp | undefined {
	try {
		return JSON.parse(readFileSync(join(folder, STAMP_FILE), 'utf8')) as Stamp;
	} catch {
		return undefined;
	}
}

function writeStamp(folder: string, version: string): void {
	const stamp: Stamp = { version, installedAt: new Date().toISOString() };
	writeFileSync(join(folder, STAMP_FILE), JSON.stringify(stamp, null, '\t') + '\n');
}

function formatDuration(ms: number): string {
	const seconds = Math.round(ms / 1000);
	return seconds < 60
		? `${seconds}s`
		: `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
}

/** npm prints nothing while it works; its http log and the unpacked folders show it is moving. */
function describeProgress(folder: string, logFile: string): string {
	const modules = join(folder, 'node_modules');
	const unpacked = existsSync(modules) ? readdirSync(modules).length : 0;
	const downloads = existsSync(logFile)
		? (readFileSync(logFile, 'utf8').match(/http fetch GET 200/g) ?? []).length
		: 0;
	return `, ${downloads} registry downloads, ${unpacked} packages unpacked`;
}

interface Component {
	label: string;
	folder: string;
	version: string;
	/** A file the finished install has: a stamp without it means the folder was tampered with. */
	mainFile: string;
	/** Proves an install works; used to adopt a folder installed by hand before stamps existed. */
	verify: () => Promise<boolean>;
	install: (logFile: string) => Promise<void>;
}

function isComplete(component: Component): boolean {
	return (
		readStamp(component.folder)?.version === component.version && existsSync(component.mainFile)
	);
}

async function ensureComponent(component: Component, log: (line: string) => void): Promise<void> {
	if (isComplete(component)) return;
	const { folder, label } = component;
	if (
		existsSync(folder) &&
		!existsSync(join(folder, IN_PROGRESS_FILE)) &&
		(await component.verify())
	) {
		log(`Reusing ${label} found in ${folder}.`);
		writeStamp(folder, component.version);
		return;
	}
	if (existsSync(folder)) log(`Removing an incomplete ${label} install in ${folder}.`);
	rmSync(folder, { recursive: true, force: true });
	mkdirSync(folder, { recursive: true });
	writeFileSync(join(folder, IN_PROGRESS_FILE), `${process.pid}\n`);
	const logFile = join(dirname(folder), `${label.replace(/\W+/g, '-')}.install.log`);
	writeFileSync(logFile, '');
	const startedAt = Date.now();
	const heartbeat = setInterval(() => {
		log(
			`  … still installing ${label}: ${formatDuration(Date.now() - startedAt)}${describeProgress(folder, logFile)}`,
		);
	}, 15_000);
	try {
		await component.install(logFile);
	} finally {
		clearInterval(heartbeat);
	}
	if (!(await component.verify())) {
		throw new Error(`${label} was installed into ${folder} but does not run. See ${logFile}.`);
	}
	rmSync(join(folder, IN_PROGRESS_FILE), { force: true });
	writeStamp(folder, component.version);
	log(`Installed ${label} in ${formatDuration(Date.now() - startedAt)}.`);
}

async function npm(
	args: string[],
	cwd: string,
	env: NodeJS.ProcessEnv,
	logFile: string,
	what: string,
): Promise<void> {
	const result = await runCommand('npm', args, { cwd, env, logFile });
	if (result.exitCode !== 0) {
		throw new Error(
			`${what} failed (npm ${args.join(' ')}, exit ${result.exitCode ?? result.signal}).\n` +
				`${lastLines(result.stdout + result.stderr, 25)}\n` +
				`Full log: ${logFile}. It needs access to the npm registry` +
				(what.includes('rebuild')
					? ', and python3, make and a C++ compiler to build sqlite3.'
					: '.'),
		);
	}
}

async function printsVersion(
	command: string,
	args: string[],
	env: NodeJS.ProcessEnv,
	expected: string,
): Promise<boolean> {
	if (!existsSync(command)) return false;
	const result = await runCommand(command, args, { cwd: dirname(command), env, timeoutMs: 60_000 });
	return result.exitCode === 0 && result.stdout.trim().replace(/^v/, '') === expected;
}

function envWithNodeFirst(nodeBinary: string): NodeJS.ProcessEnv {
	return { ...process.env, PATH: `${dirname(nodeBinary)}${delimiter}${process.env.PATH ?? ''}` };
}

/**
 * Makes sure a pinned n8n and a Node it can run on are installed in the cache (outside the repo,
 * ~3 GB), installing what is missing. Layout, shared with installs done by hand:
 *   <cache>/node24/node_modules/node-<os>-<arch>/bin/node
 *   <cache>/n8n-<version>/node_modules/.bin/n8n
 */
export async function ensureN8nRuntime(options: EnsureRuntimeOptions = {}): Promise<N8nRuntime> {
	const log = options.log ?? ((line: string) => console.log(line));
	const n8nVersion = options.n8nVersion ?? N8N_VERSION;
	const root = runtimeCacheRoot();
	const nodeFolder = join(root, 'node24');
	const nodePackageFolder = join(nodeFolder, 'node_modules', nodePackageName());
	const nodeBinary = systemNodeIsRecentEnough()
		? process.execPath
		: join(nodePackageFolder, 'bin', 'node');
	const n8nFolder = join(root, `n8n-${n8nVersion}`);
	const n8nBin = join(n8nFolder, 'node_modules', '.bin', 'n8n');
	const env = envWithNodeFirst(nodeBinary);

	const nodeComponent: Component = {
		label: `Node ${NODE_RUNTIME_VERSION}`,
		folder: nodeFolder,
		version: NODE_RUNTIME_VERSION,
		mainFile: nodeBinary,
		verify: async () =>
			await printsVersion(nodeBinary, ['--version'], process.env, NODE_RUNTIME_VERSION),
		install: async (logFile) => {
			log(
				`Downloading Node ${NODE_RUNTIME_VERSION} (${nodePackageName()}, ~60 MB) for n8n, which needs Node 24…`,
			);
			const args = [
				'install',
				'--prefix',
				nodeFolder,
				'--no-save',
				'--no-package-lock',
				'--ignore-scripts',
			];
			await npm(
				[...args, '--no-audit', '--no-fund', `${nodePackageName()}@${NODE_RUNTIME_VERSION}`],
				nodeFolder,
				process.env,
				logFile,
				'Installing Node 24',
			);
		},
	};
	const n8nComponent: Component = {
		label: `n8n ${n8nVersion}`,
		folder: n8nFolder,
		version: n8nVersion,
		mainFile: n8nBin,
		verify: async () =>
			(await printsVersion(nodeBinary, [n8nBin, '--version'], env, n8nVersion)) &&
			// The native module n8n's SQLite database needs; a half-done rebuild leaves it unloadable.
			(
				await runCommand(nodeBinary, ['-e', "require('sqlite3')"], {
					cwd: n8nFolder,
					env,
					timeoutMs: 60_000,
				})
			).exitCode === 0,
		install: async (logFile) => {
			log(
				`Installing n8n ${n8nVersion} into ${n8nFolder} (2.9 GB, once: about 6 minutes on a 2-core machine; later starts reuse it)…`,
			);
			const overrides = installOverrides(n8nVersion);
			if (overrides)
				log(
					`Overriding ${Object.entries(overrides)
						.map(([name, version]) => `${name}@${version}`)
						.join(', ')} (n8n ${n8nVersion} pins a tarball this machine may not reach)…`,
				);
			writeFileSync(
				join(n8nFolder, 'package.json'),
				JSON.stringify({
					name: 'n8n-runtime',
					private: true,
					...(overrides ? { overrides } : {}),
				}) + '\n',
			);
			// A plain install fails building the Kafka client (it downloads zlib), so scripts are off,
			// and only the two native modules n8n needs are then built, against Node 24's headers.
			await npm(
				[
					'install',
					`n8n@${n8nVersion}`,
					'--save-exact',
					'--omit=dev',
					'--ignore-scripts',
					'--no-audit',
					'--no-fund',
					'--loglevel=http',
				],
				n8nFolder,
				env,
				logFile,
				`Installing n8n ${n8nVersion}`,
			);
			log("Building n8n's native modules (sqlite3, isolated-vm) for Node 24…");
			const buildEnv: NodeJS.ProcessEnv = { ...env };
			if (!systemNodeIsRecentEnough()) buildEnv.npm_config_nodedir = nodePackageFolder;
			await npm(
				['rebuild', 'sqlite3', 'isolated-vm', '--ignore-scripts=false', '--foreground-scripts'],
				n8nFolder,
				buildEnv,
				logFile,
				'The native module rebuild',
			);
		},
	};

	const components = systemNodeIsRecentEnough() ? [n8nComponent] : [nodeComponent, n8nComponent];
	if (!components.every(isComplete)) {
		mkdirSync(root, { recursive: true });
		await withInstallLock(join(root, '.install.lock'), { log }, async () => {
			for (const component of components) await ensureComponent(component, log);
		});
	}
	return { nodeBinary, n8nBin, env, n8nVersion };
}
