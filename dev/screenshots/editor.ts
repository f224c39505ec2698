/**
 * What every screenshot does in n8n's editor: progress lines, sign-in, waiting for the page to
 * settle, closing what a fresh instance pops up, opening a node, and cropping to the node panel.
 */
import { statSync } from 'node:fs';
import { basename } from 'node:path';

import type { Locator, Page } from 'playwright-core';

import type { N8nServer } from '../n8n/cli';

export const VIEWPORT = { width: 1440, height: 900 };
/** For a node's panel: tall enough that its parameters fit unscrolled (and dropdowns open downwards). */
export const NODE_VIEWPORT = { width: 1440, height: 1300 };
/** For a trigger's panel: its output has many columns. */
export const WIDE_NODE_VIEWPORT = { width: 1760, height: 1300 };

export interface Clip {
	x: number;
	y: number;
	width: number;
	height: number;
}

/** A failure the script explains itself (no stack trace). */
export class ScreenshotFailure extends Error {}

const startedAt = Date.now();

export function step(message: string): void {
	const seconds = ((Date.now() - startedAt) / 1000).toFixed(1).padStart(5);
	console.log(`[${seconds}s] ${message}`);
}

export function fail(message: string): never {
	throw new ScreenshotFailure(message);
}

export async function settle(page: Page, ms = 600): Promise<void> {
	await page.waitForLoadState('networkidle', { timeout: 15_000 }).catch(() => undefined);
	await page.waitForTimeout(ms);
}

/** Closes whatever n8n pops up on a fresh instance (what's new, tours, banners, toasts). */
export async function dismissNoise(page: Page): Promise<void> {
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
		for (let index = 0; index < count; index++)
			await closers
				.nth(index)
				.click({ timeout: 1_000 })
				.catch(() => undefined);
		await page.waitForTimeout(300);
	}
}

export async function signIn(page: Page, server: N8nServer): Promise<void> {
	step('Signing in to the editor…');
	await page.goto(`${server.url}/signin`);
	await page
		.locator('input[type="email"], input[name="emailOrLdapLoginId"]')
		.first()
		.fill(server.owner.email);
	await page.locator('input[type="password"]').first().fill(server.owner.password);
	await page.getByRole('button', { name: /sign in/i }).click();
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'), { timeout: 30_000 });
	await settle(page);
}

export async function shoot(page: Page, file: string, clip: Clip): Promise<void> {
	const rounded = {
		x: Math.floor(clip.x),
		y: Math.floor(clip.y),
		width: Math.ceil(clip.width),
		height: Math.ceil(clip.height),
	};
	await page.screenshot({ path: file, clip: rounded, animations: 'disabled', caret: 'hide' });
	const kb = Math.round(statSync(file).size / 1024);
	step(`  ✓ ${basename(file)} (${rounded.width}×${rounded.height}, ${kb} KB)`);
}

export async function box(locator: Locator): Promise<Clip> {
	const found = await locator.boundingBox();
	if (!found) fail(`${locator.toString()} is not visible.`);
	return found;
}

/** Toasts ("Workflow executed successfully") would cover the panels: hide them on every page load. */
export const HIDE_TOASTS = `
document.addEventListener('DOMContentLoaded', () => {
	const style = document.createElement('style');
	style.textContent = '.el-notification { display: none !important; }';
	document.head.appendChild(style);
});`;

/** Nothing hovered or focused: hover states (field toolbars, button outlines) would show in the image. */
export async function restMouse(page: Page): Promise<void> {
	const viewport = page.viewportSize() ?? VIEWPORT;
	await page.mouse.move(viewport.width - 4, viewport.height - 4);
	// A string: this file is type-checked without the DOM library.
	await page.evaluate('document.activeElement && document.activeElement.blur()');
	await page.waitForTimeout(300);
}

/**
 * Blurs every text on the page that is a Salesforce session id (`00D…!…`, an access token): the
 * stand-in's are throwaway, but an image in the docs shows no token, and a reader still sees one is
 * there. Fails when `expected` tokens should be on the page and none was found (the pattern is stale).
 */
export async function blurAccessTokens(page: Page, expected: number): Promise<void> {
	const blurred = (await page.evaluate(`(() => {
		const token = /00D[0-9A-Za-z]{12,15}![0-9A-Za-z._-]{20,}/;
		let count = 0;
		for (const element of document.querySelectorAll('body *')) {
			if (element.children.length > 0 || !token.test(element.textContent || '')) continue;
			element.style.filter = 'blur(5px)';
			count++;
		}
		return count;
	})()`)) as number;
	if (blurred < expected)
		fail(`expected ${expected} access token(s) on the page to blur, found ${blurred}.`);
}

/**
 * Opens a node's panel (NDV) from the canvas, in a view of `viewport`; the panels that jump to its
 * neighbours are hidden (they overlap its edge).
 */
export async function openNode(
	page: Page,
	name: string,
	viewport = NODE_VIEWPORT,
): Promise<Locator> {
	step(`Opening the ${name} node…`);
	const ndv = page.locator('[data-test-id="ndv"]');
	if (await ndv.isVisible()) {
		await page.keyboard.press('Escape');
		await ndv.waitFor({ state: 'hidden' });
	}
	await page.setViewportSize(viewport);
	await page.locator('[data-test-id="canvas-node"]', { hasText: name }).first().dblclick();
	const parameters = page.locator('[data-test-id="node-parameters"]');
	await parameters.waitFor();
	await page.addStyleTag({
		content: '[data-test-id="floating-nodes"] { display: none !important; }',
	});
	return parameters;
}

/** The open node's output table, once it has a column `header`. */
export async function outputTable(page: Page, header: string, timeout?: number): Promise<Locator> {
	const table = page.locator('[data-test-id="output-panel"] table').first();
	await table.getByText(header, { exact: true }).first().waitFor({ timeout });
	return table;
}

/** A parameter's input in the open node's panel, once shown. */
export async function parameterInput(parameters: Locator, name: string): Promise<Locator> {
	const input = parameters.locator(`[data-test-id="parameter-input-${name}"]`);
	await input.waitFor();
	return input;
}

/** The panel's last "Add option" button: Options is the last parameter of most operations. */
export async function lastAddOption(parameters: Locator): Promise<Locator> {
	const button = parameters.locator('[data-test-id="collection-parameter-add"]').last();
	await button.waitFor();
	return button;
}

/** Opens a saved workflow in the editor and waits for its nodes. */
export async function openWorkflow(
	page: Page,
	server: N8nServer,
	workflowId: string,
	nodes: number,
): Promise<void> {
	await page.setViewportSize(VIEWPORT);
	await page.goto(`${server.url}/workflow/${workflowId}`);
	await page
		.locator('[data-test-id="canvas-node"]')
		.nth(nodes - 1)
		.waitFor();
	await settle(page);
	await dismissNoise(page);
}

/**
 * The open node panel from its Parameters tab to its right edge (the output), down to the lowest
 * of `bottoms` plus a margin, never below the panel. Waits for the page to settle first.
 */
export async function nodePanelClip(
	page: Page,
	bottoms: Locator[],
	options: { withOutput?: boolean } = {},
): Promise<Clip> {
	await settle(page);
	await dismissNoise(page);
	await restMouse(page);
	const ndv = await box(page.locator('[data-test-id="ndv"]'));
	const panel = await box(
		page
			.locator('.node-settings')
			.filter({ has: page.locator('[data-test-id="node-parameters"]') }),
	);
	let lowest = 0;
	for (const bottom of bottoms) {
		const found = await box(bottom);
		lowest = Math.max(lowest, found.y + found.height);
	}
	const right = options.withOutput === false ? panel.x + panel.width : ndv.x + ndv.width;
	return {
		x: panel.x,
		y: panel.y,
		width: right - panel.x,
		height: Math.min(ndv.y + ndv.height, lowest + 24) - panel.y,
	};
}
