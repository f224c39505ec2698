/**
 * Installs (or checks) the cached n8n runtime ahead of the tests, so CI shows the long install as a
 * step of its own instead of inside the first e2e test's `beforeAll`.
 */
import { ensureN8nRuntime, runtimeCacheRoot } from './runtime';

async function main(): Promise<void> {
	const startedAt = Date.now();
	console.log(`n8n runtime cache: ${runtimeCacheRoot()}`);
	const runtime = await ensureN8nRuntime({ log: (line) => console.log(line) });
	console.log(`n8n runtime ready in ${((Date.now() - startedAt) / 1000).toFixed(1)}s: ${runtime.n8nBin} on ${runtime.nodeBinary}`);
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
