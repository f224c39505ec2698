/**
 * `npm start`: build the package, install it into a private n8n (`.n8n-demo/`) the way n8n installs
 * community packages, start the Salesforce stand-in (or use a real org, see real-org.ts), import a
 * credential and two demo workflows (a token for an HTTP Request node; a query and an API request with
 * no token in the workflow), and run the n8n editor until Ctrl-C.
 *
 * The stand-in plays the same org on every start: a fixed port (5690 unless told) and its state kept
 * in `.n8n-demo/salesforce-standin.json`, so credentials made against it — by hand, or by the
 * migration script from the sample workflow of the deprecated node — keep working after a restart.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import {
	API_USAGE_NODE,
	DATA_WORKFLOW_ID,
	DATA_WORKFLOW_NAME,
	dataWorkflow,
	DEMO_CREDENTIAL_ID,
	DEMO_WORKFLOW_ID,
	DEMO_WORKFLOW_NAME,
	demoWorkflow,
	FIND_ACCOUNTS_NODE,
	MIGRATION_SAMPLE_NAME,
	migrationSampleWorkflow,
	salesforceCredential,
	type SalesforceLogin,
} from './demo-workflow';
import { lastLines, runCommand, stopAllChildren } from './n8n/child-processes';
import {
	generatedOwner,
	N8nInstance,
	nodeOutputItems,
	type N8nServer,
	type Owner,
} from './n8n/cli';
import { installPackageLikeN8n } from './n8n/community-package';
import { ensureN8nRuntime } from './n8n/runtime';
import { readRealOrg } from './real-org';
import { installShutdownSignals, shutdownSignals } from './shutdown-signals';

const REPO_ROOT = join(__dirname, '..');
const USER_FOLDER = join(REPO_ROOT, '.n8n-demo');
const OWNER_FILE = join(USER_FOLDER, 'owner.json');
const STANDIN_CREDENTIAL_NAME = 'Local Demo Org';
/** The stand-in's org between starts (org id, users, sessions, records). */
const STANDIN_STATE_FILE = join(USER_FOLDER, 'salesforce-standin.json');
/** Written once the migration sample was imported: later starts leave it (or its migrated form) alone. */
const MIGRATION_SAMPLE_MARKER = join(USER_FOLDER, 'migration-sample-imported');
/** The stand-in's port unless `--standin-port` or SF_STANDIN_PORT says otherwise: the same on every start. */
const DEFAULT_STANDIN_PORT = 5690;

const startedAt = Date.now();
const cleanups: Array<() => Promise<void>> = [];

function step(message: string): void {
	const seconds = ((Date.now() - startedAt) / 1000).toFixed(1).padStart(5);
	console.log(`[${seconds}s] ${message}`);
}

function fail(message: string): never {
	// After a Ctrl-C the step in progress fails because its process was stopped: not worth a message.
	if (!shutdown.stopping) console.error(`\nnpm start failed: ${message}`);
	throw new StartFailure(message);
}

class StartFailure extends Error {}

async function stopEverything(): Promise<void> {
	for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
	await stopAllChildren(5_000);
}

/** The first Ctrl-C lets n8n shut down on its own, then stops the stand-in; a second one (a real one, see shutdown-signals.ts) forces it. */
const shutdown = shutdownSignals({
	stop: (signal) => {
		console.log(
			`\n${signal === 'SIGINT' ? 'Ctrl-C' : signal}: stopping n8n and the Salesforce stand-in (Ctrl-C again to force)…`,
		);
		void stopEverything().then(() => {
			console.log('Stopped.');
			process.exit(0);
		});
	},
	force: () => {
		console.log('Forcing shutdown.');
		process.exit(130);
	},
});

/** A port from a flag (`--port 5680`) or an environment variable, else the default. */
function requestedPort(flagName: string, variable: string, fallback: number): number {
	const flag = process.argv.indexOf(flagName);
	const raw = flag >= 0 ? process.argv[flag + 1] : (process.env[variable] ?? String(fallback));
	const port = Number(raw);
	if (!Number.isInteger(port) || port < 1 || port > 65535)
		fail(
			`"${raw}" is not a port number (use ${flagName} ${fallback + 2} or ${variable}=${fallback + 2}).`,
		);
	return port;
}

async function build(): Promise<void> {
	step('Building the package (npm run build)…');
	if (!existsSync(join(REPO_ROOT, 'node_modules')))
		fail('node_modules is missing: run `npm install` first.');
	const result = await runCommand('npm', ['run', 'build'], { cwd: REPO_ROOT });
	if (result.exitCode !== 0)
		fail(`npm run build failed:\n${lastLines(result.stdout + result.stderr, 30)}`);
}

/** The editor's owner account, created on the first start and kept for the next ones. */
function loadOrCreateOwner(): Owner {
	if (existsSync(OWNER_FILE)) return JSON.parse(readFileSync(OWNER_FILE, 'utf8')) as Owner;
	const owner = generatedOwner();
	writeFileSync(OWNER_FILE, JSON.stringify(owner, null, '\t') + '\n', { mode: 0o600 });
	return owner;
}

interface Org {
	credentialName: string;
	login: SalesforceLogin;
	description: string;
	/** The stand-in's live sessions (access tokens), to prove the data workflow's output holds none. */
	sessions?: () => string[];
	/** The stand-in's URL (its login host and instance), when the org is the stand-in. */
	standinUrl?: string;
}

async function startStandin(port: number): Promise<Org> {
	const kept = existsSync(STANDIN_STATE_FILE);
	step(
		`Starting the Salesforce stand-in on port ${port} (${kept ? 'the same org as last time' : 'a new org'}, kept in .n8n-demo/salesforce-standin.json)…`,
	);
	let standinModule: typeof import('./salesforce-standin');
	try {
		standinModule = await import('./salesforce-standin');
	} catch (error) {
		fail(
			`the Salesforce stand-in (dev/salesforce-standin) could not be loaded: ${(error as Error).message}`,
		);
	}
	let standin: Awaited<ReturnType<typeof standinModule.startSalesforceStandin>>;
	try {
		standin = await standinModule.startSalesforceStandin({
			label: 'demo',
			port,
			stateFile: STANDIN_STATE_FILE,
		});
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
		fail(
			`port ${port} for the Salesforce stand-in is already in use (another npm start?). Stop it, or choose another port: ` +
				`npm start -- --standin-port ${port + 1} (or SF_STANDIN_PORT=${port + 1}). Credentials you made against the stand-in name its port: edit their Domain then.`,
		);
	}
	cleanups.push(async () => await standin.close());
	return {
		credentialName: STANDIN_CREDENTIAL_NAME,
		login: { authFlow: 'password', domain: standin.url, ...standin.demo },
		description: `the local Salesforce stand-in at ${standin.url} (org ${standin.orgId}, user ${standin.demo.username})`,
		sessions: () => standin.activeSessions(),
		standinUrl: standin.url,
	};
}

/**
 * The deprecated node's sample workflow, imported on the first start only: after the user migrated
 * it (the migration keeps the workflow's id), a restart must not bring the old node back.
 */
async function importMigrationSampleOnce(n8n: N8nInstance, login: SalesforceLogin): Promise<void> {
	if (existsSync(MIGRATION_SAMPLE_MARKER)) return;
	await n8n.importWorkflow(
		migrationSampleWorkflow({ username: '', password: '', securityToken: '', ...login }),
	);
	writeFileSync(MIGRATION_SAMPLE_MARKER, `${new Date().toISOString()}\n`);
}

function chooseRealOrg(): Org | undefined {
	try {
		const realOrg = readRealOrg(REPO_ROOT);
		if (!realOrg) return undefined;
		const host = new URL(
			realOrg.login.domain.includes('://')
				? realOrg.login.domain
				: `https://${realOrg.login.domain}`,
		).host;
		return {
			credentialName: `Salesforce org ${host}`,
			login: realOrg.login,
			description: `your Salesforce org ${host} (${realOrg.login.authFlow} flow, from ${realOrg.source})`,
		};
	} catch (error) {
		return fail((error as Error).message);
	}
}

/** A Salesforce session id (`00D…!…`), whichever org issued it. */
const SESSION_ID = /\b00D[0-9A-Za-z]{12,15}![0-9A-Za-z._-]{20,}/;

/** Runs both demos once headless, so a broken setup shows here rather than in the browser. */
async function checkDemoRuns(n8n: N8nInstance, org: Org): Promise<void> {
	step('Running the demo workflows once to check them…');
	const tokens = new Set<string>();
	const result = await n8n.execute(DEMO_WORKFLOW_ID);
	if (!result.ok || !result.data) {
		console.warn(
			`  ! "${DEMO_WORKFLOW_NAME}" failed: ${result.errorMessage ?? lastLines(result.stdout + result.stderr, 10)}`,
		);
		console.warn('    The editor still starts: open the workflow to see the error.');
	} else {
		const [token] = nodeOutputItems(result.data, 'Salesforce Action');
		const [query] = nodeOutputItems(result.data, 'Query Accounts');
		const records = Array.isArray(query?.records) ? query.records.length : 0;
		if (typeof token?.SF_ACCESS_TOKEN === 'string') tokens.add(token.SF_ACCESS_TOKEN);
		const tokenText =
			typeof token?.SF_ACCESS_TOKEN === 'string'
				? `${token.SF_ACCESS_TOKEN.slice(0, 12)}…`
				: '(none)';
		step(
			`  ✓ Salesforce Action wrote SF_ACCESS_TOKEN ${tokenText}; Query Accounts returned ${records} records.`,
		);
	}

	const data = await n8n.execute(DATA_WORKFLOW_ID);
	if (!data.ok || !data.data) {
		console.warn(
			`  ! "${DATA_WORKFLOW_NAME}" failed: ${data.errorMessage ?? lastLines(data.stdout + data.stderr, 10)}`,
		);
		console.warn('    The editor still starts: open the workflow to see the error.');
		return;
	}
	const accounts = nodeOutputItems(data.data, FIND_ACCOUNTS_NODE);
	const [usage] = nodeOutputItems(data.data, API_USAGE_NODE);
	const daily = usage?.DailyApiRequests as { Max?: number; Remaining?: number } | undefined;
	const usageText =
		typeof daily?.Max === 'number' && typeof daily.Remaining === 'number'
			? `${daily.Remaining} of ${daily.Max} daily API requests left`
			: 'no DailyApiRequests';
	// The whole run n8n printed (every node's items), against every session the org has issued.
	for (const session of org.sessions?.() ?? []) tokens.add(session);
	const runText = JSON.stringify(data.data);
	const leaked =
		[...tokens].some((token) => token.length >= 8 && runText.includes(token)) ||
		SESSION_ID.test(runText);
	if (leaked) {
		console.warn(
			`  ! "${DATA_WORKFLOW_NAME}": an access token appears in its output. That is a bug in the package.`,
		);
		return;
	}
	step(
		`  ✓ ${FIND_ACCOUNTS_NODE} returned ${accounts.length} Account${accounts.length === 1 ? '' : 's'}; ${API_USAGE_NODE}: ${usageText}; ` +
			`no access token in that workflow's output (checked against ${tokens.size} session${tokens.size === 1 ? '' : 's'}).`,
	);
}

function printInstructions(server: N8nServer, org: Org): void {
	const workflowUrl = `${server.url}/workflow/${DEMO_WORKFLOW_ID}`;
	const dataUrl = `${server.url}/workflow/${DATA_WORKFLOW_ID}`;
	const standin = org.standinUrl
		? `
 6. The stand-in is the same org on every start (${org.standinUrl}; another port: npm start --
    --standin-port N, or SF_STANDIN_PORT=N). Records you create stay; a credential you make with
    Domain ${org.standinUrl} keeps working after a restart. Delete .n8n-demo/ for a new org.
 7. "${MIGRATION_SAMPLE_NAME}"
    uses the deprecated node: try the migration guide on it (its "Try it on the demo" section).
    The demo's n8n CLI: npm run n8n -- export:workflow --all --output=workflows.json`
		: '';
	console.log(`
────────────────────────────────────────────────────────────────────────────
 n8n is running with the Salesforce Integration package, connected to
 ${org.description}.

 1. Open ${workflowUrl}
    Sign in with  ${server.owner.email}  /  ${server.owner.password}
    (kept in .n8n-demo/owner.json)
 2. The workflow "${DEMO_WORKFLOW_NAME}" opens.
    Click "Execute workflow" at the bottom of the canvas.
 3. Double-click "Salesforce Action": its output has SF_ACCESS_TOKEN and SF_INSTANCE_URL.
    Double-click "Query Accounts": the Accounts fetched with that token.
 4. Open ${dataUrl}
    ("${DATA_WORKFLOW_NAME}"):
    the same credential, but the nodes do the Salesforce work themselves. Click "Execute workflow".
    Double-click "${FIND_ACCOUNTS_NODE}" (Query → Run SOQL): one item per Account, no token.
    Double-click "${API_USAGE_NODE}" (API Request → Send, GET limits): the org's limits.
    Both only read, so they are safe on a real org.
 5. The credential: Overview → Credentials → "${org.credentialName}". Opening it tests it at once
    (a login): "Connection tested successfully", or "Couldn't connect with these settings" with
    Salesforce's reason and a Retry button. Save tests it again.${standin}

 Stop with Ctrl-C (stops n8n and the stand-in). n8n's log: .n8n-demo/n8n-server.log
────────────────────────────────────────────────────────────────────────────`);
}

async function main(): Promise<void> {
	installShutdownSignals(shutdown);
	const port = requestedPort('--port', 'N8N_PORT', 5678);
	const standinPort = requestedPort('--standin-port', 'SF_STANDIN_PORT', DEFAULT_STANDIN_PORT);
	const realOrg = chooseRealOrg();
	await build();

	step(
		'Preparing n8n (only the first start installs it: ~3 GB, 5–10 minutes on a 2-core machine)…',
	);
	const runtime = await ensureN8nRuntime({ log: (line) => step(line) });

	step('Installing the packed package into .n8n-demo like n8n installs community packages…');
	mkdirSync(USER_FOLDER, { recursive: true });
	const installed = await installPackageLikeN8n(USER_FOLDER, { repoRoot: REPO_ROOT });
	step(`  ${installed.name}@${installed.version} → ${installed.directory}`);

	const org = realOrg ?? (await startStandin(standinPort));
	const n8n = new N8nInstance({ userFolder: USER_FOLDER, runtime });
	step(`Importing the credential "${org.credentialName}" and the demo workflows…`);
	const [credential] = await n8n.importCredentials([
		salesforceCredential(org.credentialName, org.login, DEMO_CREDENTIAL_ID),
	]);
	await n8n.importWorkflow(demoWorkflow({ id: credential.id, name: credential.name }));
	await n8n.importWorkflow(dataWorkflow({ id: credential.id, name: credential.name }));
	if (!realOrg) await importMigrationSampleOnce(n8n, org.login);
	if (!realOrg) await checkDemoRuns(n8n, org);

	step(`Starting n8n on port ${port}…`);
	const server = await n8n.startServer({
		port,
		listenAddress: process.env.N8N_LISTEN_ADDRESS ?? '127.0.0.1',
		owner: loadOrCreateOwner(),
	});
	cleanups.push(async () => {
		const stopStarted = Date.now();
		await server.stop();
		const { exitCode, signalCode } = server.process;
		const took = `${((Date.now() - stopStarted) / 1000).toFixed(1)}s`;
		console.log(
			signalCode === 'SIGKILL'
				? `  n8n did not stop in time and was killed (after ${took}).`
				: `  n8n shut down (exit code ${exitCode ?? signalCode}, ${took}).`,
		);
	});
	server.process.once('exit', (code) => {
		if (shutdown.stopping) return;
		console.error(`\nn8n exited unexpectedly (code ${code}). Its log: ${server.logFile}`);
		void stopEverything().then(() => process.exit(1));
	});
	printInstructions(server, org);
}

main().catch(async (error: unknown) => {
	// A Ctrl-C during the start makes the step in progress fail; the signal handler is stopping and exits.
	if (shutdown.stopping) return;
	if (!(error instanceof StartFailure))
		console.error(`\nnpm start failed: ${error instanceof Error ? error.message : String(error)}`);
	await stopEverything();
	process.exit(1);
});
