/**
 * `npm run screenshots`: the docs' images (docs/*.png, listed in SHOTS), taken from a real n8n
 * editor with headless Chromium.
 *
 * Like `npm start`, it builds the package, installs it into a private n8n user folder the way n8n
 * installs community packages, starts the Salesforce stand-in and imports the "Local Demo Org"
 * credential, the two demo workflows and the screenshots' own (screenshots/workflows.ts) — but in a
 * throwaway temp folder, on a free port, so it neither touches `.n8n-demo/` nor collides with a
 * running `npm start`. Then it signs in, runs each workflow in the editor as a flow builder would
 * (Execute workflow, Fetch Test Event, a manual run of the Event Trigger that gets an Account change
 * from the stand-in) and crops each image to the panel that shows it (screenshots/shots.ts).
 * Everything it started is stopped at the end.
 *
 * Needs a Chromium: Debian/Ubuntu `apt-get install chromium`; elsewhere point CHROMIUM_PATH at a
 * Chrome or Chromium binary.
 *
 * Flags: --out <folder> (default docs/), --keep (keep the temp user folder and print its path),
 * --pause (leave n8n running after the screenshots until Ctrl-C, to look at the editor yourself).
 */
import {
	copyFileSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	rmSync,
	writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { chromium, type Browser, type Page } from 'playwright-core';

import {
	CREDENTIAL_TYPE,
	DATA_WORKFLOW_ID,
	dataWorkflow,
	DEMO_CREDENTIAL_ID,
	DEMO_WORKFLOW_ID,
	demoWorkflow,
	FIND_ACCOUNTS_NODE,
	SALESFORCE_ACTION_TYPE,
	SALESFORCE_EVENT_TRIGGER_TYPE,
	salesforceCredential,
} from './demo-workflow';
import { lastLines, runCommand, stopAllChildren } from './n8n/child-processes';
import { findFreePort, generatedOwner, N8nInstance, type N8nServer } from './n8n/cli';
import { installPackageLikeN8n } from './n8n/community-package';
import { ensureN8nRuntime } from './n8n/runtime';
import { startSalesforceStandin, type SalesforceStandin } from './salesforce-standin';
import { dismissNoise, fail, HIDE_TOASTS, signIn, step, VIEWPORT } from './screenshots/editor';
import {
	bulkShot,
	credentialShot,
	eventTriggerShot,
	executeWorkflow,
	executionShot,
	fileShot,
	mapperShot,
	nodeShot,
	queryShot,
	triggerShot,
} from './screenshots/shots';
import {
	accountFromList,
	BULK_WORKFLOW_ID,
	bulkWorkflow,
	EVENT_TRIGGER_WORKFLOW_ID,
	eventTriggerWorkflow,
	FILE_WORKFLOW_ID,
	fileWorkflow,
	TRIGGER_WORKFLOW_ID,
	triggerWorkflow,
	type MapperField,
} from './screenshots/workflows';
import { SALESFORCE_TRIGGER_TYPE } from './trigger-runs';

const REPO_ROOT = join(__dirname, '..');
const CREDENTIAL_NAME = 'Local Demo Org';
/** The token demo's Salesforce Action node. */
const TOKEN_NODE = 'Salesforce Action';
/** The Account the contract is uploaded to (one of the stand-in's sample Accounts). */
const CONTRACT_ACCOUNT = 'Burlington Textiles Corp of America';
/** The sample Accounts' phone numbers, as in Salesforce's own sample data (the outputs show them). */
const SAMPLE_PHONES: Record<string, string> = {
	'Edge Communications': '(512) 757-6000',
	'Burlington Textiles Corp of America': '(336) 222-7000',
	'Pyramid Construction Inc.': '(014) 427-4427',
};
/** Where Debian/Ubuntu and the usual installers put a Chromium or Chrome. */
const CHROMIUM_CANDIDATES = [
	'/usr/lib/chromium/chromium',
	'/usr/bin/chromium',
	'/usr/bin/chromium-browser',
	'/usr/bin/google-chrome',
	'/usr/bin/google-chrome-stable',
	'/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
	'/Applications/Chromium.app/Contents/MacOS/Chromium',
];

/** Every image the script takes, in the order it takes them. */
const SHOTS = [
	'credential.png',
	'execution.png',
	'node.png',
	'query.png',
	'mapper.png',
	'bulk.png',
	'file.png',
	'trigger.png',
	'event-trigger.png',
];

const cleanups: Array<() => Promise<void>> = [];
/** Set while `--pause` waits for Ctrl-C. */
let onInterrupt: (() => void) | undefined;
/** For a screenshot of what the browser showed when something failed. */
let openPage: Page | undefined;
/** Ctrl-C: what fails from then on is the shutdown, not an error worth reporting. */
let interrupted = false;

function flagValue(name: string): string | undefined {
	const index = process.argv.indexOf(name);
	return index >= 0 ? process.argv[index + 1] : undefined;
}

function findChromium(): string {
	const fromEnv = process.env.CHROMIUM_PATH;
	if (fromEnv) {
		if (!existsSync(fromEnv)) fail(`CHROMIUM_PATH=${fromEnv} does not exist.`);
		return fromEnv;
	}
	const found = CHROMIUM_CANDIDATES.find((candidate) => existsSync(candidate));
	if (!found) {
		fail(
			'no Chromium found. Install one (Debian/Ubuntu: `sudo apt-get install chromium`) ' +
				'or set CHROMIUM_PATH to a Chrome/Chromium binary.',
		);
	}
	return found;
}

async function stopEverything(): Promise<void> {
	for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
	cleanups.length = 0;
	await stopAllChildren(5_000);
}

async function build(): Promise<void> {
	step('Building the package (npm run build)…');
	if (!existsSync(join(REPO_ROOT, 'node_modules')))
		fail('node_modules is missing: run `npm install` first.');
	const result = await runCommand('npm', ['run', 'build'], { cwd: REPO_ROOT });
	if (result.exitCode !== 0)
		fail(`npm run build failed:\n${lastLines(result.stdout + result.stderr, 30)}`);
}

interface DemoN8n {
	server: N8nServer;
	standin: SalesforceStandin;
	credential: { id: string; name: string };
}

/** A fresh user folder with the package, the stand-in's credential and every workflow the images show; n8n running on it. */
async function startDemoN8n(userFolder: string): Promise<DemoN8n> {
	step('Preparing n8n (only the first run installs it: ~3 GB, 5–10 minutes on a 2-core machine)…');
	const runtime = await ensureN8nRuntime({ log: (line) => step(line) });

	step(`Installing the packed package into ${userFolder}…`);
	await installPackageLikeN8n(userFolder, { repoRoot: REPO_ROOT });

	step('Starting the Salesforce stand-in…');
	// Bulk jobs as quick as the stand-in allows: the image shows the job's results, not its wait.
	const standin = await startSalesforceStandin({
		label: 'demo',
		bulk: { queueMs: 0, processingMs: 0 },
	});
	cleanups.push(async () => await standin.close());
	const accounts = standin.records('Account');
	standin.updateRecords(
		'Account',
		accounts.flatMap((account) =>
			Object.entries(SAMPLE_PHONES)
				.filter(([name]) => String(account.Name).startsWith(name))
				.map(([, Phone]) => ({ Id: account.Id, Phone })),
		),
	);
	const contractAccount = accounts.find((record) =>
		String(record.Name).startsWith(CONTRACT_ACCOUNT),
	);
	if (!contractAccount)
		fail(`the stand-in has no "${CONTRACT_ACCOUNT}" Account to upload the contract to.`);

	const n8n = new N8nInstance({ userFolder, runtime });
	step(
		`Importing the credential "${CREDENTIAL_NAME}", the two demo workflows and the screenshots' four…`,
	);
	const [imported] = await n8n.importCredentials([
		salesforceCredential(
			CREDENTIAL_NAME,
			{ authFlow: 'password', domain: standin.url, ...standin.demo },
			DEMO_CREDENTIAL_ID,
		),
	]);
	const credential = { id: imported.id, name: imported.name };
	await n8n.importWorkflows([
		demoWorkflow(credential),
		dataWorkflow(credential),
		triggerWorkflow(credential),
		eventTriggerWorkflow(credential),
		fileWorkflow(credential, contractAccount.Id),
	]);

	const port = await findFreePort();
	step(`Starting n8n on port ${port}…`);
	const server = await n8n.startServer({ port, owner: generatedOwner() });
	cleanups.push(async () => await server.stop());
	await checkPackageLoaded(server);
	// The mapper's field list comes from the node through n8n, as when the editor picks the object.
	await n8n.importWorkflow(
		bulkWorkflow(credential, await accountFieldsForCreate(server, credential)),
	);
	return { server, standin, credential };
}

/** What n8n's editor asks when Account is picked for Record → Create (the node's getMappingColumns, through n8n). */
async function accountFieldsForCreate(
	server: N8nServer,
	credential: { id: string; name: string },
): Promise<MapperField[]> {
	const answer = await server.json<{ data: { fields: MapperField[] } }>(
		'/rest/dynamic-node-parameters/resource-mapper-fields',
		{
			method: 'POST',
			body: JSON.stringify({
				nodeTypeAndVersion: { name: SALESFORCE_ACTION_TYPE, version: 1.2 },
				currentNodeParameters: {
					resource: 'record',
					operation: 'create',
					sobject: accountFromList(),
					columns: { mappingMode: 'defineBelow', value: null },
				},
				path: 'parameters.columns',
				methodName: 'getMappingColumns',
				credentials: { [CREDENTIAL_TYPE]: credential },
			}),
		},
	);
	return answer.data.fields;
}

/** n8n skips a community package it cannot load and carries on: the screenshots would show "?" icons. */
async function checkPackageLoaded(server: N8nServer): Promise<void> {
	const credentialTypes = await server.json<Array<{ name: string }>>('/types/credentials.json');
	const nodeTypes = await server.json<Array<{ name: string }>>('/types/nodes.json');
	const missing = [
		...(credentialTypes.some((type) => type.name === CREDENTIAL_TYPE)
			? []
			: [`credential type ${CREDENTIAL_TYPE}`]),
		...[SALESFORCE_ACTION_TYPE, SALESFORCE_TRIGGER_TYPE, SALESFORCE_EVENT_TRIGGER_TYPE]
			.filter((name) => !nodeTypes.some((type) => type.name === name))
			.map((name) => `node type ${name}`),
	];
	if (missing.length > 0) {
		const log = existsSync(server.logFile)
			? lastLines(readFileSync(server.logFile, 'utf8'), 15)
			: '(no log)';
		fail(
			`n8n did not load the package (${missing.join(', ')} missing). Was dist/ rebuilt meanwhile? n8n's log:\n${log}`,
		);
	}
}

async function main(): Promise<void> {
	const outDir = resolve(flagValue('--out') ?? join(REPO_ROOT, 'docs'));
	const keep = process.argv.includes('--keep');
	const pause = process.argv.includes('--pause');
	const executablePath = findChromium();
	mkdirSync(outDir, { recursive: true });

	await build();
	const userFolder = mkdtempSync(join(tmpdir(), 'sfi-screenshots-'));
	if (!keep) cleanups.push(async () => rmSync(userFolder, { recursive: true, force: true }));
	const shotsDir = mkdtempSync(join(tmpdir(), 'sfi-screenshots-png-'));
	cleanups.push(async () => rmSync(shotsDir, { recursive: true, force: true }));
	const { server, standin, credential } = await startDemoN8n(userFolder);

	step(`Starting headless Chromium (${executablePath})…`);
	let browser: Browser;
	try {
		// Our signal handler closes the browser along with n8n; Playwright's own would exit at once.
		browser = await chromium.launch({
			executablePath,
			headless: true,
			handleSIGINT: false,
			handleSIGTERM: false,
			handleSIGHUP: false,
		});
	} catch (error) {
		fail(`Chromium (${executablePath}) did not start: ${(error as Error).message.split('\n')[0]}`);
	}
	cleanups.push(async () => await browser.close());
	const context = await browser.newContext({
		viewport: VIEWPORT,
		deviceScaleFactor: 1,
		colorScheme: 'light',
		locale: 'en-US',
		timezoneId: 'UTC',
	});
	context.setDefaultTimeout(20_000);
	await context.addInitScript({ content: HIDE_TOASTS });
	const page = await context.newPage();
	openPage = page;

	await signIn(page, server);
	await dismissNoise(page);

	const shot = (name: string) => join(shotsDir, name);
	await credentialShot(page, server, shot('credential.png'), credential);
	await executeWorkflow(page, server, DEMO_WORKFLOW_ID, 3);
	await executionShot(page, shot('execution.png'), TOKEN_NODE);
	await nodeShot(page, shot('node.png'), TOKEN_NODE);
	await executeWorkflow(page, server, DATA_WORKFLOW_ID, 3);
	await queryShot(page, shot('query.png'), FIND_ACCOUNTS_NODE);
	await executeWorkflow(page, server, BULK_WORKFLOW_ID, 3);
	await mapperShot(page, shot('mapper.png'));
	await bulkShot(page, shot('bulk.png'));
	await executeWorkflow(page, server, FILE_WORKFLOW_ID, 4);
	await fileShot(page, shot('file.png'));
	await triggerShot(page, server, shot('trigger.png'), TRIGGER_WORKFLOW_ID);
	await eventTriggerShot(
		page,
		server,
		shot('event-trigger.png'),
		EVENT_TRIGGER_WORKFLOW_ID,
		standin,
	);

	// Only now, with every image taken, replace the old images: a failed run leaves docs/ as it was.
	for (const name of SHOTS) copyFileSync(join(shotsDir, name), join(outDir, name));
	console.log(
		`\nScreenshots written to ${outDir}:\n${SHOTS.map((name) => `  ${join(outDir, name)}`).join('\n')}`,
	);
	if (keep) console.log(`User folder kept: ${userFolder}`);

	if (pause) {
		console.log(
			`\nn8n keeps running: ${server.url}/workflow/${DEMO_WORKFLOW_ID}  (${server.owner.email} / ${server.owner.password})\nCtrl-C to stop.`,
		);
		await new Promise<void>((resolvePause) => (onInterrupt = resolvePause));
	}
}

/** Ctrl-C stops n8n (it runs in a process group of its own), the stand-in and Chromium before exiting. */
function handleSignals(): void {
	const onSignal = (signal: NodeJS.Signals): void => {
		if (onInterrupt) {
			onInterrupt();
			onInterrupt = undefined;
			return;
		}
		if (interrupted) {
			console.log('Forcing shutdown.');
			process.exit(130);
		}
		interrupted = true;
		console.log(
			`\n${signal === 'SIGINT' ? 'Ctrl-C' : signal}: stopping n8n, the Salesforce stand-in and Chromium…`,
		);
		void stopEverything().then(() => process.exit(130));
	};
	process.on('SIGINT', onSignal);
	process.on('SIGTERM', onSignal);
}

handleSignals();

main()
	.then(async () => {
		await stopEverything();
		process.exit(0);
	})
	.catch(async (error: unknown) => {
		if (interrupted) return; // The signal handler stops everything and exits.
		console.error(
			`\nnpm run screenshots failed: ${error instanceof Error ? error.message : String(error)}`,
		);
		if (openPage) {
			const failureShot = join(tmpdir(), 'sfi-screenshots-failure.png');
			const taken = await openPage.screenshot({ path: failureShot, timeout: 5_000 }).then(
				() => true,
				() => false,
			);
			if (taken) console.error(`What the browser showed: ${failureShot}`);
			const html = await openPage.content().catch(() => undefined);
			if (html !== undefined) {
				const failureHtml = join(tmpdir(), 'sfi-screenshots-failure.html');
				writeFileSync(failureHtml, html, { mode: 0o600 });
				console.error(`Its HTML: ${failureHtml}`);
			}
		}
		if (!process.argv.includes('--keep'))
			console.error("Run it with --keep to keep n8n's user folder and its log (n8n-server.log).");
		await stopEverything();
		process.exit(1);
	});
