/**
 * The file side of the migration: reads what `n8n export:workflow` (and, optionally,
 * `n8n export:credentials`) wrote, prints the plan, and with --apply writes the files for
 * `n8n import:credentials` and `n8n import:workflow` into a private folder. The transformation
 * itself is transform.ts. Bundled into ../salesforce-auth-migration.mjs (see ../build.ts).
 */
import {
	chmodSync,
	closeSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	openSync,
	readdirSync,
	readFileSync,
	statSync,
	writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import {
	describePlan,
	MigrationInputError,
	planMigration,
	type ChosenCredential,
	type ExistingCredential,
	type MigrationPlan,
	type Workflow,
} from './transform';

export const CREDENTIALS_FILE = 'salesforce-credentials.json';
export const WORKFLOWS_FILE = 'migrated-workflows.json';
export const REPORT_FILE = 'migration-report.txt';

const USAGE = `Migrates saved workflows off the deprecated Salesforce Authentication node.

Usage:
  node salesforce-auth-migration.mjs --input=<workflows export> [--credentials=<credentials export>]
      [--use-credential=<environment>=<credential>]... [--apply] [--output=<folder>]

  --input        What "n8n export:workflow --all --output=<file>" wrote (a file), or the folder of
                 "n8n export:workflow --all --separate --output=<folder>". Keep it: it is your backup.
  --credentials  Optional, recommended: what "n8n export:credentials --all --output=<file>" wrote
                 (encrypted, the default; only ids and names are read). Recognises the credentials an
                 earlier run created, so none is created twice.
  --no-credentials  This n8n holds no credentials yet ("n8n export:credentials" finds none).
  --use-credential  Use a credential you already have for an environment instead of creating one:
                 <environment> is the id or host the dry run shows for it, <credential> your
                 credential's name or id (from --credentials). Once per environment, e.g.
                 --use-credential="acme.my.salesforce.com=Production Env".
  --apply        Write the files to import (needs --credentials or --no-credentials). Without it: a dry
                 run that only prints what would change.
  --output       A new or empty folder for the files (default: a new private folder in ${tmpdir()}).

Guide: https://github.com/n8n-nodes-salesforce-integration/n8n-nodes-salesforce-integration/blob/main/docs/migrating-from-salesforce-authentication.md`;

export interface CliIo {
	out: (text: string) => void;
	err: (text: string) => void;
}

class UsageError extends Error {}

interface Options {
	input: string;
	credentials?: string;
	/** The user says this n8n holds no credentials yet (so none can be recognised, or overwritten). */
	noCredentials: boolean;
	apply: boolean;
	output?: string;
	chosenCredentials: ChosenCredential[];
}

function parseArguments(argv: string[]): Options | 'help' {
	const options: Partial<Options> = { apply: false, noCredentials: false, chosenCredentials: [] };
	for (let index = 0; index < argv.length; index++) {
		const argument = argv[index];
		if (argument === '--help' || argument === '-h') return 'help';
		if (argument === '--apply') {
			options.apply = true;
			continue;
		}
		if (argument === '--no-credentials') {
			options.noCredentials = true;
			continue;
		}
		const match = /^--(input|credentials|output|use-credential)(?:=(.*))?$/.exec(argument);
		if (!match) throw new UsageError(`Unknown argument "${argument}".`);
		const value = match[2] ?? argv[++index];
		if (value === undefined || value === '') throw new UsageError(`--${match[1]} needs a value.`);
		if (match[1] === 'use-credential') {
			// Hosts and ids hold no "=": the first one ends the environment, the rest is the credential.
			const separator = value.indexOf('=');
			if (separator <= 0 || separator === value.length - 1) {
				throw new UsageError(
					`--use-credential needs <environment>=<credential>, e.g. --use-credential="acme.my.salesforce.com=Production Env", not "${value}".`,
				);
			}
			options.chosenCredentials?.push({
				environment: value.slice(0, separator).trim(),
				credential: value.slice(separator + 1).trim(),
			});
			continue;
		}
		options[match[1] as 'input' | 'credentials' | 'output'] = value;
	}
	if (!options.input) throw new UsageError('--input is missing.');
	if (options.credentials && options.noCredentials)
		throw new UsageError('--credentials and --no-credentials contradict each other.');
	// n8n import:credentials replaces a credential with the same id: without the export, a credential
	// an earlier run created (and the user may have edited since) would be written over.
	if (options.apply && !options.credentials && !options.noCredentials) {
		throw new UsageError(
			'--apply needs --credentials=<what "n8n export:credentials --all --output=<file>" wrote>, so the credentials an earlier run created — which you may have edited since — are recognised and never overwritten. If this n8n holds no credentials at all (export:credentials says "No credentials found"), pass --no-credentials instead.',
		);
	}
	return options as Options;
}

/** JSON.parse's messages quote the text around the error, which may be a secret: say only where. */
function parseJsonFile(file: string): unknown {
	const text = readFileSync(file, 'utf8');
	try {
		return JSON.parse(text) as unknown;
	} catch (error) {
		const position = /position (\d+)/.exec((error as Error).message)?.[1];
		throw new UsageError(
			`${file} is not valid JSON${position ? ` (at character ${position})` : ''}.`,
		);
	}
}

/** A file holding one object or an array of them, or a folder of such files (n8n's --separate). */
function readExport(path: string): unknown[] {
	if (!existsSync(path)) throw new UsageError(`${path} does not exist.`);
	const files = statSync(path).isDirectory()
		? readdirSync(path)
				.filter((entry) => entry.endsWith('.json'))
				.sort()
				.map((entry) => join(path, entry))
		: [path];
	return files.flatMap((file) => {
		const content = parseJsonFile(file);
		return Array.isArray(content) ? (content as unknown[]) : [content];
	});
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readWorkflows(path: string): Workflow[] {
	return readExport(path).map((workflow, index) => {
		if (!isObject(workflow) || typeof workflow.id !== 'string' || !Array.isArray(workflow.nodes)) {
			throw new UsageError(
				`${path}: entry ${index + 1} is not a workflow exported by "n8n export:workflow" (it needs an id and nodes).`,
			);
		}
		return workflow as Workflow;
	});
}

function readCredentials(path: string): ExistingCredential[] {
	return readExport(path).map((credential, index) => {
		if (
			!isObject(credential) ||
			typeof credential.id !== 'string' ||
			typeof credential.type !== 'string'
		) {
			throw new UsageError(
				`${path}: entry ${index + 1} is not a credential exported by "n8n export:credentials".`,
			);
		}
		// Only these three are kept: the data (encrypted or not) is never read further.
		return { id: credential.id, name: String(credential.name ?? ''), type: credential.type };
	});
}

/** A folder only this user can read: new (a private temp folder by default), or an existing empty one. */
function outputFolder(requested: string | undefined): string {
	if (requested === undefined) return mkdtempSync(join(tmpdir(), 'salesforce-migration-'));
	const folder = resolve(requested);
	if (existsSync(folder)) {
		if (!statSync(folder).isDirectory() || readdirSync(folder).length > 0) {
			throw new UsageError(
				`--output ${folder} must be a new or empty folder, so no earlier file is overwritten or mixed in.`,
			);
		}
		// It will hold the credentials file: only this user may list or enter it.
		chmodSync(folder, 0o700);
	} else {
		mkdirSync(folder, { recursive: true, mode: 0o700 });
	}
	return folder;
}

/** Written with mode 0600, never over an existing file. */
function writePrivateFile(file: string, content: string): void {
	const descriptor = openSync(file, 'wx', 0o600);
	try {
		writeSync(descriptor, content);
	} finally {
		closeSync(descriptor);
	}
}

function shellQuote(path: string): string {
	return /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}

function nextSteps(plan: MigrationPlan, folder: string): string[] {
	const credentialsFile = shellQuote(join(folder, CREDENTIALS_FILE));
	const lines = ['', `Written to ${folder} (readable only by you). Next:`];
	let step = 1;
	if (plan.credentialImports.length > 0) {
		lines.push(`  ${step++}. n8n import:credentials --input=${credentialsFile}`);
	}
	lines.push(
		`  ${step++}. n8n import:workflow --input=${shellQuote(join(folder, WORKFLOWS_FILE))}`,
	);
	const active = plan.workflows.filter(
		(workflow) => workflow.wasActive && workflow.replaced.length > 0,
	);
	for (const workflow of active)
		lines.push(
			`  ${step++}. n8n publish:workflow --id=${workflow.id}    # "${workflow.name}" was active`,
		);
	if (plan.credentialImports.length > 0) {
		lines.push(
			`  ${step++}. rm ${credentialsFile}    # it holds the secrets in plain text; n8n keeps them encrypted`,
		);
	}
	lines.push(`  ${step}. Restart n8n (if it runs) and run each migrated workflow once.`);
	return lines;
}

export function runCli(argv: string[], io: CliIo): number {
	let options: Options | 'help';
	try {
		options = parseArguments(argv);
		if (options === 'help') {
			io.out(USAGE);
			return 0;
		}
		const workflows = readWorkflows(options.input);
		const existingCredentials = options.credentials
			? readCredentials(options.credentials)
			: undefined;
		const plan = planMigration({
			workflows,
			existingCredentials,
			chosenCredentials: options.chosenCredentials,
		});
		const report = describePlan(plan);
		io.out(report.join('\n'));
		if (!existingCredentials) {
			io.out(
				'\n(No --credentials export given: credentials an earlier run created are recognised only where migrated workflows use them.)',
			);
		}
		if (plan.migratedWorkflows.length === 0) {
			io.out('\nNothing to migrate: no file written.');
			return 0;
		}
		if (!options.apply) {
			io.out(
				'\nDry run: nothing was written. Run again with --apply to write the files to import.',
			);
			return 0;
		}
		const folder = outputFolder(options.output);
		if (plan.credentialImports.length > 0) {
			writePrivateFile(
				join(folder, CREDENTIALS_FILE),
				JSON.stringify(plan.credentialImports, null, '\t') + '\n',
			);
		}
		writePrivateFile(
			join(folder, WORKFLOWS_FILE),
			JSON.stringify(plan.migratedWorkflows, null, '\t') + '\n',
		);
		const steps = nextSteps(plan, folder);
		writePrivateFile(join(folder, REPORT_FILE), [...report, ...steps].join('\n') + '\n');
		io.out(steps.join('\n'));
		return 0;
	} catch (error) {
		if (error instanceof MigrationInputError) {
			io.err(error.message);
			return 2;
		}
		if (error instanceof UsageError) {
			io.err(`${error.message}\n\n${USAGE}`);
			return 2;
		}
		const code = (error as NodeJS.ErrnoException).code;
		// File-system errors name a path and a code; nothing else is shown, so no content leaks.
		io.err(
			code
				? `${code}: ${(error as Error).message}`
				: 'The migration failed unexpectedly; nothing was written.',
		);
		return 1;
	}
}
