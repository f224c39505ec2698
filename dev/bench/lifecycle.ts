/**
 * What every benchmark script does around its work: the clean-ups it registered (n8n, the stand-in,
 * the temporary user folder) run once — at the end, on a failure, or on Ctrl-C — and a failure exits 1.
 */
import { stopAllChildren } from '../n8n/child-processes';

const cleanups: Array<() => Promise<void>> = [];

/** Registers a clean-up; they run in reverse order. */
export function onCleanUp(cleanup: () => Promise<void>): void {
	cleanups.push(cleanup);
}

async function cleanUp(): Promise<void> {
	for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
	cleanups.length = 0;
	await stopAllChildren(5_000);
}

/** Runs `main` as the script `command` (for messages), cleaning up after it whatever happens. */
export function runBenchmark(command: string, main: () => Promise<void>): void {
	for (const signal of ['SIGINT', 'SIGTERM'] as const) {
		process.once(signal, () => {
			console.log(`\n${signal}: stopping n8n and the stand-in…`);
			void cleanUp().then(() => process.exit(130));
		});
	}
	main()
		.then(cleanUp)
		.catch(async (error: unknown) => {
			console.error(
				`\n${command} failed: ${error instanceof Error ? error.message : String(error)}`,
			);
			await cleanUp();
			process.exit(1);
		});
}
