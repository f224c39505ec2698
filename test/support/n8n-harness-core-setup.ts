/**
 * The least n8n-core needs, outside the n8n server, for its real execution contexts and request
 * helpers to run in-process.
 *
 * n8n-core looks its services up in a dependency-injection container (`Container` from `@n8n/di`)
 * and builds them lazily on first use, reading their configuration from `N8N_*` environment
 * variables. Almost everything it needs for `this.helpers.httpRequest` (OutboundHttp, the SSRF
 * config, the DNS cache, the user agent) builds itself with n8n's defaults. Two services do not
 * suit a test run as they are:
 *
 * - `InstanceSettings` (built by every node execution context's constructor) loads or creates an
 *   encryption key in `~/.n8n/config` — it would write into the home folder of whoever runs the
 *   tests. We point its config at a temporary folder with a fixed key before anything builds it,
 *   and delete the folder once it is built.
 * - `Logger` (what a node's `this.logger` returns) is a winston logger that prints to the console,
 *   and whose constructor re-initialises `LoggerProxy`. We register a recording logger instead and
 *   give `LoggerProxy` the same one, so that everything n8n logs can be captured and scanned.
 *
 * n8n-core 2.41 ships its own copies of `@n8n/di`, `@n8n/config`, `@n8n/backend-common` under
 * `node_modules/n8n-core/node_modules` (newer than the hoisted ones). The class objects used as
 * container keys must come from n8n-core's copies, so they are loaded from n8n-core's folder. They
 * are loaded with the ambient `require` (not `module.createRequire`) so that under jest they come
 * from the same module registry as the n8n-core the tests use.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { InstanceSettings } from 'n8n-core';
import { LoggerProxy } from 'n8n-workflow';

import { harnessLogger } from './n8n-harness-logs';

/** The slice of `@n8n/di`'s `Container` the harness uses. */
interface DependencyContainer {
	get<T>(token: abstract new (...args: never[]) => T): T;
	set<T>(token: abstract new (...args: never[]) => T, instance: T): void;
}

/** The fields of `@n8n/config`'s `InstanceSettingsConfig` (read by `InstanceSettings`'s constructor). */
interface InstanceSettingsConfigShape {
	n8nFolder: string;
	userHome: string;
	encryptionKey: string;
	enforceSettingsFilePermissions: boolean;
}

type ServiceClass<T = unknown> = abstract new (...args: never[]) => T;

/** Fixed so that nothing the harness does depends on a generated key (n8n's `N8N_ENCRYPTION_KEY`). */
const HARNESS_ENCRYPTION_KEY = 'n8n-harness-fixed-encryption-key';

const n8nCoreFolder = dirname(require.resolve('n8n-core/package.json'));

/** Loads a package the way n8n-core itself resolves it (its nested copy if it has one). */
function requireAsN8nCore<T>(packageName: string): T {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	return require(require.resolve(packageName, { paths: [n8nCoreFolder] })) as T;
}

let configuredContainer: DependencyContainer | undefined;

/**
 * Prepares n8n-core's container once per module registry (so once per jest test file) and returns
 * it. Every harness entry point calls this before building a context.
 */
export function ensureN8nCoreContainer(): DependencyContainer {
	if (configuredContainer) return configuredContainer;

	const { Container } = requireAsN8nCore<{ Container: DependencyContainer }>('@n8n/di');
	const { Logger } = requireAsN8nCore<{ Logger: ServiceClass }>('@n8n/backend-common');
	const { InstanceSettingsConfig } = requireAsN8nCore<{
		InstanceSettingsConfig: ServiceClass<InstanceSettingsConfigShape>;
	}>('@n8n/config');

	// Must happen before anything asks the container for a Logger: the real one would replace
	// LoggerProxy's target with itself.
	Container.set(Logger, harnessLogger as never);
	LoggerProxy.init(harnessLogger);

	// Not guarded by `Container.has`: @n8n/di answers true for any decorated class, built or not.
	const userHome = mkdtempSync(join(tmpdir(), 'n8n-harness-'));
	const instanceSettingsConfig = Container.get(InstanceSettingsConfig);
	instanceSettingsConfig.userHome = userHome;
	instanceSettingsConfig.n8nFolder = join(userHome, '.n8n');
	instanceSettingsConfig.encryptionKey = HARNESS_ENCRYPTION_KEY;
	// Built now, while the config above is in place. It writes `<temp>/.n8n/config` and only reads
	// it in its constructor; the folder is otherwise used by file-system helpers our nodes never
	// call, so it can go at once.
	Container.get(InstanceSettings);
	rmSync(userHome, { recursive: true, force: true });

	configuredContainer = Container;
	return Container;
}
