/** Entry point of the bundled script: `node salesforce-auth-migration.mjs --input=… [--apply]`. */
import { runCli } from './cli';

process.exitCode = runCli(process.argv.slice(2), {
	out: (text) => process.stdout.write(`${text}\n`),
	err: (text) => process.stderr.write(`${text}\n`),
});
