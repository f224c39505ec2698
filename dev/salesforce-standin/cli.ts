/**
 * Run the stand-in on its own:
 *   npx tsx dev/salesforce-standin/cli.ts [--port N] [--host H] [--label L]
 * Prints one JSON line with its URL and the demo credentials, and stops on SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { startSalesforceStandin } from './index';

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: { port: { type: 'string' }, host: { type: 'string' }, label: { type: 'string' } },
	});
	const port = values.port === undefined ? 0 : Number(values.port);
	if (!Number.isInteger(port) || port < 0 || port > 65535) {
		throw new Error(`--port must be a whole number from 0 to 65535, got '${values.port}'`);
	}
	const standin = await startSalesforceStandin({ port, host: values.host, label: values.label });
	process.stdout.write(
		`${JSON.stringify({ url: standin.url, orgId: standin.orgId, ...standin.demo })}\n`,
	);

	const stop = () => {
		void standin.close().then(() => process.exit(0));
	};
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
	process.stderr.write(
		`salesforce-standin: ${error instanceof Error ? error.message : String(error)}\n`,
	);
	process.exit(1);
});
