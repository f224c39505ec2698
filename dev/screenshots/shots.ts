/**
 * One function per image in docs/: each opens what it shows in the running editor, runs it as a
 * flow builder would (Execute workflow, Fetch Test Event, Execute step), waits for the result and
 * crops to the panel that matters.
 */
import type { Page } from 'playwright-core';

import type { SalesforceStandin } from '../salesforce-standin';
import type { N8nServer } from '../n8n/cli';
import {
	blurAccessTokens,
	box,
	dismissNoise,
	fail,
	lastAddOption,
	nodePanelClip,
	openNode,
	openWorkflow,
	outputTable,
	parameterInput,
	restMouse,
	settle,
	shoot,
	step,
	VIEWPORT,
	WIDE_NODE_VIEWPORT,
} from './editor';
import { CREATE_NODE, EVENT_TRIGGER_NODE, TRIGGER_NODE, UPLOAD_NODE } from './workflows';

/** The credential modal, stretched so every field shows at once. */
export async function credentialShot(
	page: Page,
	server: N8nServer,
	file: string,
	credential: { id: string; name: string },
): Promise<void> {
	step(`Opening the credential "${credential.name}"…`);
	await page.setViewportSize({ width: VIEWPORT.width, height: 1400 });
	await page.goto(`${server.url}/home/credentials/${credential.id}`);
	const modal = page.locator('[data-test-id="editCredential-modal"]');
	await modal.waitFor();
	await page.locator('[data-test-id="parameter-input-timeout"]').waitFor();
	// n8n tests the connection when the modal opens: wait for its verdict so it shows.
	await page
		.locator('[data-test-id="credentials-config-container-test-success"]')
		.waitFor({ timeout: 30_000 })
		.catch(() =>
			fail(
				`the credential "${credential.name}" did not show "Connection tested successfully" against the stand-in.`,
			),
		);
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
	await shoot(page, file, {
		...dialog,
		height: Math.min(dialog.height, form.y + form.height + 28 - dialog.y),
	});
	await page.setViewportSize(VIEWPORT);
}

/** Runs a workflow from the canvas, as a user would; waits for all `nodes` of it to succeed. */
export async function executeWorkflow(
	page: Page,
	server: N8nServer,
	workflowId: string,
	nodes: number,
): Promise<void> {
	step(`Running the workflow ${workflowId} in the editor…`);
	await openWorkflow(page, server, workflowId, nodes);
	await page.locator('[data-test-id="execute-workflow-button"]').click();
	try {
		await page
			.locator('[data-test-id="canvas-node-status-success"]')
			.nth(nodes - 1)
			.waitFor({ timeout: 60_000 });
	} catch {
		fail(
			`the workflow ${workflowId} did not finish successfully in the editor (not all ${nodes} nodes turned green).`,
		);
	}
	await settle(page);
}

/** The token demo's finished run: canvas with every node green, the logs panel showing `nodeName`'s output (token blurred). */
export async function executionShot(page: Page, file: string, nodeName: string): Promise<void> {
	step("Opening the run's logs…");
	// On "Logs" itself: the open header also holds "Clear execution".
	await page
		.locator('[data-test-id="logs-overview-header"]')
		.getByText('Logs', { exact: true })
		.click();
	const logs = page.locator('[data-test-id="logs-overview-body"]');
	await logs.waitFor();
	await logs.getByText(nodeName, { exact: true }).click();
	const output = page.locator('[data-test-id="log-details-output"]');
	await output.getByText('SF_ACCESS_TOKEN').first().waitFor();
	await page.locator('[data-test-id="zoom-to-fit"]').click();
	await settle(page);
	await dismissNoise(page);
	await restMouse(page);
	await blurAccessTokens(page, 1);
	// Without the icon sidebar, down to just below the output table.
	const table = await box(output.locator('table').first());
	const left = (await box(page.locator('[data-test-id="logs-panel"]'))).x;
	await shoot(page, file, {
		x: left,
		y: 0,
		width: VIEWPORT.width - left,
		height: Math.min(VIEWPORT.height, table.y + table.height + 40),
	});
}

/** Salesforce Action → Get Access Token: credential, operation, the Response Mapping rows, Options, next to its output (token blurred). */
export async function nodeShot(page: Page, file: string, nodeName: string): Promise<void> {
	const parameters = await openNode(page, nodeName);
	await outputTable(page, 'SF_ACCESS_TOKEN');
	// Down to the Options ("Add option") below the Response Mapping rows.
	const clip = await nodePanelClip(page, [await lastAddOption(parameters)]);
	await blurAccessTokens(page, 1);
	await shoot(page, file, clip);
}

/** Query → Run SOQL: resource, operation, the query, next to the Accounts it found. */
export async function queryShot(page: Page, file: string, nodeName: string): Promise<void> {
	const parameters = await openNode(page, nodeName);
	await parameterInput(parameters, 'query');
	// Down to the last parameter (Options' "Add option") or the output table, whichever ends lower.
	await shoot(
		page,
		file,
		await nodePanelClip(page, [
			await lastAddOption(parameters),
			await outputTable(page, 'Industry'),
		]),
	);
}

/** The Record → Create mapper with "Add field to send" open: the fields shown, those one click away. Parameters only. */
export async function mapperShot(page: Page, file: string): Promise<void> {
	const parameters = await openNode(page, CREATE_NODE);
	const addField = parameters.locator('[data-test-id="add-fields-select"]');
	await addField.waitFor();
	await parameters
		.locator('[data-test-id="resource-mapper-container"]')
		.getByText('Account Phone', { exact: false })
		.first()
		.waitFor();
	await addField.getByRole('button').first().click();
	const menu = page.locator('.el-dropdown-menu:visible, [role="menu"]:visible').last();
	await menu.getByText('Website', { exact: false }).first().waitFor();
	// The menu reaches over the input panel's edge: leave that edge blank rather than cut its words.
	await page.addStyleTag({
		content: '[data-test-id="ndv-input-panel"] { visibility: hidden !important; }',
	});
	const panel = await box(page.locator('.node-settings').filter({ has: parameters }));
	const menuBox = await box(menu);
	const button = await box(addField);
	await page.mouse.move(panel.x + panel.width - 8, panel.y + 8);
	await page.waitForTimeout(300);
	// The menu may reach left of the panel: start where it starts.
	const left = Math.min(panel.x, menuBox.x - 8);
	const bottom = Math.max(menuBox.y + menuBox.height, button.y + button.height) + 16;
	await shoot(page, file, {
		x: left,
		y: panel.y,
		width: panel.x + panel.width - left,
		height: bottom - panel.y,
	});
	await page.keyboard.press('Escape');
	await page.waitForTimeout(300);
}

/** Record → Create with Options → API "Bulk API 2.0", next to the created records (one item per input, its new Id). */
export async function bulkShot(page: Page, file: string): Promise<void> {
	const parameters = await openNode(page, CREATE_NODE);
	await parameterInput(parameters, 'api');
	await shoot(
		page,
		file,
		await nodePanelClip(page, [
			await lastAddOption(parameters),
			await outputTable(page, 'success'),
		]),
	);
}

/** File → Upload: input binary field, title, linked record, next to the new file's ids. */
export async function fileShot(page: Page, file: string): Promise<void> {
	const parameters = await openNode(page, UPLOAD_NODE);
	const lastParameter = await parameterInput(parameters, 'contentDocumentId');
	await shoot(
		page,
		file,
		await nodePanelClip(page, [lastParameter, await outputTable(page, 'contentDocumentId')]),
	);
}

/** The Salesforce Trigger's parameters and the record Fetch Test Event found. */
export async function triggerShot(
	page: Page,
	server: N8nServer,
	file: string,
	workflowId: string,
): Promise<void> {
	await openWorkflow(page, server, workflowId, 1);
	const parameters = await openNode(page, TRIGGER_NODE, WIDE_NODE_VIEWPORT);
	// The last parameter: Options' "Add option".
	const addOption = await lastAddOption(parameters);
	step('  Fetch Test Event…');
	await page.locator('[data-test-id="node-execute-button"]').click();
	await shoot(
		page,
		file,
		await nodePanelClip(page, [addOption, await outputTable(page, 'Industry', 60_000)]),
	);
}

/**
 * The Salesforce Event Trigger's parameters and the event of a manual run: it listens (a CometD
 * client subscribed to the Account change channel at the stand-in), then an Account is changed.
 */
export async function eventTriggerShot(
	page: Page,
	server: N8nServer,
	file: string,
	workflowId: string,
	standin: SalesforceStandin,
): Promise<void> {
	await openWorkflow(page, server, workflowId, 1);
	const parameters = await openNode(page, EVENT_TRIGGER_NODE, WIDE_NODE_VIEWPORT);
	await parameterInput(parameters, 'replayFrom');
	const addOption = await lastAddOption(parameters);
	step('  Listening for a test event…');
	await page.locator('[data-test-id="node-execute-button"]').click();
	await waitForSubscriber(standin, '/data/AccountChangeEvent');
	const [account] = standin
		.records('Account')
		.filter((record) => String(record.Name).startsWith('Edge Communications'));
	if (!account) fail('the stand-in has no "Edge Communications" Account to change.');
	step('  Changing an Account while it listens…');
	standin.updateRecords('Account', [
		{ Id: account.Id, Phone: '(512) 757-9000', NumberOfEmployees: 1250 },
	]);
	await shoot(
		page,
		file,
		await nodePanelClip(page, [addOption, await outputTable(page, 'changedFields', 60_000)]),
	);
}

/** Until a CometD client holds a subscription to `channel` and waits for events (a held /meta/connect). */
async function waitForSubscriber(standin: SalesforceStandin, channel: string): Promise<void> {
	const deadline = Date.now() + 60_000;
	while (
		!standin
			.streamingClients()
			.some((client) => client.channels.includes(channel) && client.connectHeld)
	) {
		if (Date.now() > deadline)
			fail(`the Event Trigger did not subscribe to ${channel} at the stand-in within 60 s.`);
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
}
