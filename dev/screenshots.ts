/**
 * `npm run screenshots`: the docs' images (docs/credential.png, docs/node.png, docs/execution.png,
 * docs/query.png), taken from a real n8n editor with headless Chromium.
 *
 * Like `npm start`, it builds the package, installs it into a private n8n user folder the way n8n
 * installs community packages, starts the Salesforce stand-in and imports the "Local Demo Org"
 * credential and the two demo workflows — but in a throwaway temp folder, on a free port, so it neither
 * touches `.n8n-demo/` nor collides with a running `npm start`. Then it signs in, runs each demo
 * workflow once in the editor, and screenshots the credential modal, the token demo's run and its
 * Salesforce Action node (parameters and output), and the data demo's "Find Accounts" node
 * (Query → Run SOQL: parameters and output). Everything it started is stopped at the end.
 *
 * Needs a Chromium: Debian/Ubuntu `apt-get install chromium`; elsewhere point CHROMIUM_PATH at a
 * Chrome or Chromium binary.
 *
 * Flags: --out <folder> (default docs/), --keep (keep the temp user folder and print its path),
 * --pause (leave n8n running after the screenshots until Ctrl-C, to look at the editor yourself).
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';

import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

import {
	CREDENTIAL_TYPE,
	DATA_WORKFLOW_ID,
	dataWorkflow,
	DEMO_CREDENTIAL_ID,
	DEMO_WORKFLOW_ID,
	demoWorkflow,
	FIND_ACCOUNTS_NODE,
	SALESFORCE_ACTION_TYPE,
	salesforceCredential,
} from './demo-workflow';
import { lastLines, runCommand, stopAllChildren } from './n8n/child-processes';
import { findFreePort, generatedOwner, N8nInstance, type N8nServer } from './n8n/cli';
import { installPackageLikeN8n } from './n8n/community-package';
import { ensureN8nRuntime } from './n8n/runtime';
import { startSalesforceStandin } from './salesforce-standin';

const REPO_ROOT = join(__dirname, '..');
const CREDENTIAL_NAME = 'Local Demo Org';
const NODE_NAME = 'Salesforce Action';
const VIEWPORT = { width: 1440, height: 900 };
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

const SHOTS = ['credential.png', 'node.png', 'execution.png', 'query.png'];

const startedAt = Date.now();
const cleanups: Array<() => Promise<void>> = [];
/** Set while `--pause` waits for Ctrl-C. */
let onInterrupt: (() => void) | undefined;
/** For a screenshot of what the browser showed when something failed. */
let openPage: Page | undefined;
/** Ctrl-C: what fails from then on is the shutdown, not an error worth reporting. */
let interrupted = false;

class ScreenshotFailure extends Error {}

function step(message: string): void {
	const seconds = ((Date.now() - startedAt) / 1000).toFixed(1).padStart(5);
	console.log(`[${seconds}s] ${message}`);
}

function fail(message: string): never {
	throw new ScreenshotFailure(message);
}

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
	if (!existsSync(join(REPO_ROOT, 'node_modules'))) fail('node_modules is missing: run `npm install` first.');
	const result = await runCommand('npm', ['run', 'build'], { cwd: REPO_ROOT });
	if (result.exitCode !== 0) fail(`npm run build failed:\n${lastLines(result.stdout + result.stderr, 30)}`);
}

/** A fresh user folder with the package, the stand-in's credential and the demo workflow; n8n running on it. */
async function startDemoN8n(userFolder: string): Promise<N8nServer> {
	step('Preparing n8n (only the first run installs it: ~3 GB, 5–10 minutes on a 2-core machine)…');
	const runtime = await ensureN8nRuntime({ log: (line) => step(line) });

	step(`Installing the packed package into ${userFolder}…`);
	await installPackageLikeN8n(userFolder, { repoRoot: REPO_ROOT });

	step('Starting the Salesforce stand-in…');
	const standin = await startSalesforceStandin({ label: 'demo' });
	cleanups.push(async () => await standin.close());

	const n8n = new N8nInstance({ userFolder, runtime });
	step(`Importing the credential "${CREDENTIAL_NAME}" and the two demo workflows…`);
	const [credential] = await n8n.importCredentials([
		salesforceCredential(CREDENTIAL_NAME, { authFlow: 'password', domain: standin.url, ...standin.demo }, DEMO_CREDENTIAL_ID),
	]);
	await n8n.importWorkflow(demoWorkflow({ id: credential.id, name: credential.name }));
	await n8n.importWorkflow(dataWorkflow({ id: credential.id, name: credential.name }));

	const port = await findFreePort();
	step(`Starting n8n on port ${port}…`);
	const server = await n8n.startServer({ port, owner: generatedOwner() });
	cleanups.push(async () => await server.stop());
	await checkPackageLoaded(server);
	return server;
}

/** n8n skips a community package it cannot load and carries on: the screenshots would show "?" icons. */
async function checkPackageLoaded(server: N8nServer): Promise<void> {
	const credentialTypes = await server.json<Array<{ name: string }>>('/types/credentials.json');
	const nodeTypes = await server.json<Array<{ name: string }>>('/types/nodes.json');
	const missing = [
		...(credentialTypes.some((type) => type.name === CREDENTIAL_TYPE) ? [] : [`credential type ${CREDENTIAL_TYPE}`]),
		...(nodeTypes.some((type) => type.name === SALESFORCE_ACTION_TYPE) ? [] : [`node type ${SALESFORCE_ACTION_TYPE}`]),
	];
	if (missing.length > 0) {
		const log = existsSync(server.logFile) ? lastLines(readFileSync(server.logFile, 'utf8'), 15) : '(no log)';
		fail(`n8n did not load the package (${missing.join(', ')} missing). Was dist/ rebuilt meanwhile? n8n's log:\n${log}`);
	}
}

// ───────────────────────────── in the browser ─────────────────────────────

async function settle(page: Page, ms = 600): Promise<void> {
	await page.waitForLoadState('networkidle', { timeout: 15_000 }).catch(() => undefined);
	await page.waitForTimeout(ms);
}

/** Closes whatever n8n pops up on a fresh instance (what's new, tours, banners, toasts). */
async function dismissNoise(page: Page): Promise<void> {
	for (let round = 0; round < 3; round++) {
		const closers = page.locator(
			[
				'.el-message-box__headerbtn',
				'.el-notification__closeBtn',
				'[data-test-id="banner-close-button"]',
				'[data-test-id="banners"] [role="button"][aria-label*="lose" i]',
			].join(', '),
		);
		const count = await closers.count();
		if (count === 0) break;
		for (let index = 0; index < count; index++) await closers.nth(index).click({ timeout: 1_000 }).catch(() => undefined);
		await page.waitForTimeout(300);
	}
}

async function signIn(page: Page, server: N8nServer): Promise<void> {
	step('Signing in to the editor…');
	await page.goto(`${server.url}/signin`);
	await page.locator('input[type="email"], input[name="emailOrLdapLoginId"]').first().fill(server.owner.email);
	await page.locator('input[type="password"]').first().fill(server.owner.password);
	await page.getByRole('button', { name: /sign in/i }).click();
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'), { timeout: 30_000 });
	await settle(page);
}

async function shoot(page: Page, file: string, clip: { x: number; y: number; width: number; height: number }): Promise<void> {
	const rounded = { x: Math.floor(clip.x), y: Math.floor(clip.y), width: Math.ceil(clip.width), height: Math.ceil(clip.height) };
	await page.screenshot({ path: file, clip: rounded, animations: 'disabled', caret: 'hide' });
	const kb = Math.round(statSync(file).size / 1024);
	step(`  ✓ ${basename(file)} (${rounded.width}×${rounded.height}, ${kb} KB)`);
}

async function box(locator: Locator): Promise<{ x: number; y: number; width: number; height: number }> {
	const found = await locator.boundingBox();
	if (!found) fail(`${locator.toString()} is not visible.`);
	return found;
}

/** Toasts ("Workflow executed successfully") would cover the panels: hide them on every page load. */
const HIDE_TOASTS = `
document.addEventListener('DOMContentLoaded', () => {
	const style = document.createElement('style');
	style.textContent = '.el-notification { display: none !important; }';
	document.head.appendChild(style);
});`;

/** (a) The credential modal, stretched so every field shows at once. */
async function credentialShot(page: Page, server: N8nServer, file: string): Promise<void> {
	step(`Opening the credential "${CREDENTIAL_NAME}"…`);
	await page.setViewportSize({ width: VIEWPORT.width, height: 1400 });
	await page.goto(`${server.url}/home/credentials/${DEMO_CREDENTIAL_ID}`);
	const modal = page.locator('[data-test-id="editCredential-modal"]');
	await modal.waitFor();
	await page.locator('[data-test-id="parameter-input-timeout"]').waitFor();
	// n8n tests the connection when the modal opens: wait for its verdict so it shows.
	await page
		.locator('[data-test-id="credentials-config-container-test-success"]')
		.waitFor({ timeout: 30_000 })
		.catch(() => fail(`the credential "${CREDENTIAL_NAME}" did not show "Connection tested successfully" against the stand-in.`));
	await page.addStyleTag({
		content: [
			'[data-test-id="editCredential-modal"] { max-height: none !important; height: auto !important; }',
			'[data-test-id="editCredential-modal"] .el-dialog__body, [data-test-id="editCredential-modal"] .modal-content,',
			'[data-test-id="credential-edit-dialog"], [data-test-id="credential-edit-dialog"] > * { height: auto !important; max-height: none !important; overflow: visible !important; }',
		].join('\n'),
	});
	await settle(page);
	await dismissNoise(page);
	await restMouse(page);
	// The stretched modal ends in blank space: stop just below the form.
	const dialog = await box(modal);
	const form = await box(page.locator('[data-test-id="node-credentials-config-container"]'));
	await shoot(page, file, { ...dialog, height: Math.min(dialog.height, form.y + form.height + 28 - dialog.y) });
	await page.setViewportSize(VIEWPORT);
}

/** Runs a demo workflow from the canvas, as a user would; waits for all three nodes to succeed. */
async function executeDemo(page: Page, server: N8nServer, workflowId: string): Promise<void> {
	step(`Running the demo workflow ${workflowId} in the editor…`);
	await page.goto(`${server.url}/workflow/${workflowId}`);
	await page.locator('[data-test-id="canvas-node"]').nth(2).waitFor();
	await settle(page);
	await dismissNoise(page);
	await page.locator('[data-test-id="execute-workflow-button"]').click();
	try {
		await page.locator('[data-test-id="canvas-node-status-success"]').nth(2).waitFor({ timeout: 60_000 });
	} catch {
		fail(`the demo workflow ${workflowId} did not finish successfully in the editor (not all three nodes turned green).`);
	}
	await settle(page);
}

/** Nothing hovered or focused: hover states (field toolbars, button outlines) would show in the image. */
async function restMouse(page: Page): Promise<void> {
	await page.mouse.move(VIEWPORT.width - 4, VIEWPORT.height - 4);
	// A string: this file is type-checked without the DOM library.
	await page.evaluate('document.activeElement && document.activeElement.blur()');
	await page.waitForTimeout(300);
}

/** (c) The finished run: canvas with every node green, the logs panel showing Salesforce Action's output. */
async function executionShot(page: Page, file: string): Promise<void> {
	step('Opening the run\'s logs…');
	// On "Logs" itself: the open header also holds "Clear execution".
	await page.locator('[data-test-id="logs-overview-header"]').getByText('Logs', { exact: true }).click();
	const logs = page.locator('[data-test-id="logs-overview-body"]');
	await logs.waitFor();
	await logs.getByText(NODE_NAME, { exact: true }).click();
	const output = page.locator('[data-test-id="log-details-output"]');
	await output.getByText('SF_ACCESS_TOKEN').first().waitFor();
	await page.locator('[data-test-id="zoom-to-fit"]').click();
	await settle(page);
	await dismissNoise(page);
	await restMouse(page);
	// Without the icon sidebar, down to just below the output table.
	const table = await box(output.locator('table').first());
	const left = (await box(page.locator('[data-test-id="logs-panel"]'))).x;
	await shoot(page, file, { x: left, y: 0, width: VIEWPORT.width - left, height: Math.min(VIEWPORT.height, table.y + table.height + 40) });
}

/** (b) Salesforce Action's parameters (credential, operation, the Response Mapping rows) next to its output. */
async function nodeShot(page: Page, file: string): Promise<void> {
	step(`Opening the ${NODE_NAME} node…`);
	await page.locator('[data-test-id="canvas-node"]', { hasText: NODE_NAME }).dblclick();
	const parameters = page.locator('[data-test-id="node-parameters"]');
	await parameters.waitFor();
	const addMapping = page.locator('[data-test-id="fixed-collection-add"]');
	await addMapping.waitFor();
	const outputPanel = page.locator('[data-test-id="output-panel"]');
	await outputPanel.getByText('SF_ACCESS_TOKEN').first().waitFor();
	// The buttons that jump to the neighbouring nodes overlap the panel's edge.
	await page.addStyleTag({ content: '[data-test-id="floating-nodes"] { display: none !important; }' });
	await settle(page);
	await dismissNoise(page);
	await restMouse(page);
	// From the Parameters tab to the NDV's right edge (the output table), down to "Add Mapping".
	const ndv = await box(page.locator('[data-test-id="ndv"]'));
	const panel = await box(page.locator('.node-settings').filter({ has: parameters }));
	const bottom = await box(addMapping);
	await shoot(page, file, { x: panel.x, y: panel.y, width: ndv.x + ndv.width - panel.x, height: bottom.y + bottom.height + 24 - panel.y });
}

/** (d) "Find Accounts" (Query → Run SOQL): its parameters (resource, operation, the query) next to the Accounts it found. */
async function queryShot(page: Page, file: string): Promise<void> {
	step(`Opening the ${FIND_ACCOUNTS_NODE} node…`);
	await page.locator('[data-test-id="canvas-node"]', { hasText: FIND_ACCOUNTS_NODE }).dblclick();
	const parameters = page.locator('[data-test-id="node-parameters"]');
	await parameters.waitFor();
	await parameters.locator('[data-test-id="parameter-input-query"]').waitFor();
	const outputPanel = page.locator('[data-test-id="output-panel"]');
	const table = outputPanel.locator('table').first();
	await table.getByText('Industry', { exact: true }).first().waitFor();
	await page.addStyleTag({ content: '[data-test-id="floating-nodes"] { display: none !important; }' });
	await settle(page);
	await dismissNoise(page);
	await restMouse(page);
	// From the Parameters tab to the NDV's right edge, down to the last parameter (Options' "Add option") or the output table, whichever ends lower.
	const ndv = await box(page.locator('[data-test-id="ndv"]'));
	const panel = await box(page.locator('.node-settings').filter({ has: parameters }));
	const addOption = await box(parameters.locator('[data-test-id="collection-parameter-add"]').last());
	const rows = await box(table);
	const bottom = Math.min(ndv.y + ndv.height, Math.max(addOption.y + addOption.height, rows.y + rows.height) + 24);
	await shoot(page, file, { x: panel.x, y: panel.y, width: ndv.x + ndv.width - panel.x, height: bottom - panel.y });
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
	const server = await startDemoN8n(userFolder);

	step(`Starting headless Chromium (${executablePath})…`);
	let browser: Browser;
	try {
		// Our signal handler closes the browser along with n8n; Playwright's own would exit at once.
		browser = await chromium.launch({ executablePath, headless: true, handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false });
	} catch (error) {
		fail(`Chromium (${executablePath}) did not start: ${(error as Error).message.split('\n')[0]}`);
	}
	cleanups.push(async () => await browser.close());
	const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1, colorScheme: 'light', locale: 'en-US', timezoneId: 'UTC' });
	context.setDefaultTimeout(20_000);
	await context.addInitScript({ content: HIDE_TOASTS });
	const page = await context.newPage();
	openPage = page;

	await signIn(page, server);
	await dismissNoise(page);

	await credentialShot(page, server, join(shotsDir, 'credential.png'));
	await executeDemo(page, server, DEMO_WORKFLOW_ID);
	await executionShot(page, join(shotsDir, 'execution.png'));
	await nodeShot(page, join(shotsDir, 'node.png'));
	await executeDemo(page, server, DATA_WORKFLOW_ID);
	await queryShot(page, join(shotsDir, 'query.png'));

	// Only now, with all four taken, replace the old images: a failed run leaves docs/ as it was.
	for (const name of SHOTS) copyFileSync(join(shotsDir, name), join(outDir, name));
	console.log(`\nScreenshots written to ${outDir}:\n${SHOTS.map((name) => `  ${join(outDir, name)}`).join('\n')}`);
	if (keep) console.log(`User folder kept: ${userFolder}`);

	if (pause) {
		console.log(`\nn8n keeps running: ${server.url}/workflow/${DEMO_WORKFLOW_ID}  (${server.owner.email} / ${server.owner.password})\nCtrl-C to stop.`);
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
		console.log(`\n${signal === 'SIGINT' ? 'Ctrl-C' : signal}: stopping n8n, the Salesforce stand-in and Chromium…`);
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
		console.error(`\nnpm run screenshots failed: ${error instanceof Error ? error.message : String(error)}`);
		if (openPage) {
			const failureShot = join(tmpdir(), 'sfi-screenshots-failure.png');
			const taken = await openPage.screenshot({ path: failureShot, timeout: 5_000 }).then(() => true, () => false);
			if (taken) console.error(`What the browser showed: ${failureShot}`);
			const html = await openPage.content().catch(() => undefined);
			if (html !== undefined) {
				const failureHtml = join(tmpdir(), 'sfi-screenshots-failure.html');
				writeFileSync(failureHtml, html, { mode: 0o600 });
				console.error(`Its HTML: ${failureHtml}`);
			}
		}
		if (!process.argv.includes('--keep')) console.error('Run it with --keep to keep n8n\'s user folder and its log (n8n-server.log).');
		await stopEverything();
		process.exit(1);
	});

