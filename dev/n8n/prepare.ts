/**
 * Installs (or checks) the cached n8n runtimes ahead of the tests — every n8n version the package is
 * tested with (2.41.1 and the newest 1.123.x) — so CI shows the long installs as a step of its own
 * instead of inside the first e2e test's `beforeAll`. `N8N_PREPARE_VERSIONS=1.123.81` limits it to
 * the versions listed (comma-separated).
 */
import { ensureN8nRuntime, runtimeCacheRoot, TESTED_N8N_VERSIONS } from './runtime';

function seconds(since: number): string {
	return ((Date.now() - since) / 1000).toFixed(1);
}

async function main(): Promise<void> {
	const startedAt = Date.now();
	console.log(`n8n runtime cache: ${runtimeCacheRoot()}`);
	const wanted = process.env.N8N_PREPARE_VERSIONS?.split(',')
		.map((version) => version.trim())
		.filter(Boolean);
	const versions = wanted?.length ? wanted : TESTED_N8N_VERSIONS;
	for (const n8nVersion of versions) {
		const versionStartedAt = Date.now();
		const runtime = await ensureN8nRuntime({ n8nVersion, log: (line) => console.log(line) });
		console.log(
			`n8n ${n8nVersion} ready in ${seconds(versionStartedAt)}s: ${runtime.n8nBin} on ${runtime.nodeBinary}`,
		);
	}
	console.log(`n8n runtimes (${versions.join(', ')}) ready in ${seconds(startedAt)}s`);
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
