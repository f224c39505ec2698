/**
 * Capturing what n8n would log during a harness run, so tests can scan it for leaked secrets.
 *
 * n8n logs through two doors: `LoggerProxy` (n8n-workflow; used by n8n-core and n8n-workflow
 * internals) and the container's `Logger` (what a node's `this.logger` returns). The harness makes
 * both point at `harnessLogger` (see n8n-harness-core-setup.ts), which records every call at every
 * level — including `debug`, which a real instance only prints with `N8N_LOG_LEVEL=debug`; a
 * secret in a debug line is still a leak. Nothing is printed.
 *
 * Nodes and credentials must not use `console`, but n8n-core and libraries might, so a capture also
 * records `console.*` while it is active (and, unless `echo` is set, keeps it off the test output).
 */
import { format } from 'node:util';

import type { Logger as N8nLogger, LogMetadata } from 'n8n-workflow';

export type CapturedLogSource = 'logger' | 'console';

export interface CapturedLogEntry {
	source: CapturedLogSource;
	/** n8n log level (`error`, `warn`, `info`, `debug`) or console method (`log`, `error`, ...). */
	level: string;
	message: string;
	/** The logger metadata or the console arguments after the first, as passed. */
	details: unknown;
	/**
	 * Every string reachable from the message and details (error messages, descriptions, causes,
	 * stacks, nested objects), one per line, unescaped — what a leak scan searches.
	 */
	searchableText: string;
}

export interface LogCapture {
	readonly entries: readonly CapturedLogEntry[];
	/** All entries' searchable text, one block per entry. */
	text(): string;
	/**
	 * The secrets (from `secrets`) that appear in any entry, as given, percent-encoded, or
	 * form-encoded (how a secret in a logged request body or URL would look). Empty strings are ignored.
	 */
	findLeaks(secrets: readonly string[]): string[];
	stop(): void;
}

export interface LogCaptureOptions {
	/** Also pass console output through to the real console (logger calls are never printed). */
	echo?: boolean;
}

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
type ConsoleMethod = (typeof CONSOLE_METHODS)[number];

interface ActiveCapture {
	entries: CapturedLogEntry[];
	echo: boolean;
}

const activeCaptures = new Set<ActiveCapture>();
let originalConsoleMethods:
	| Partial<Record<ConsoleMethod, (...args: unknown[]) => void>>
	| undefined;

/** Deep walk bounds: log metadata can hold whole request objects with sockets and agents. */
const MAX_WALK_DEPTH = 12;
const MAX_WALK_NODES = 20_000;

/** Collects every string (and number/bigint rendering) reachable from `value`, cycle-safe. */
export function collectStrings(value: unknown): string[] {
	const found: string[] = [];
	const seen = new Set<object>();
	let visited = 0;

	const walk = (current: unknown, depth: number): void => {
		if (visited++ > MAX_WALK_NODES) return;
		if (typeof current === 'string') {
			found.push(current);
			return;
		}
		if (
			typeof current === 'number' ||
			typeof current === 'bigint' ||
			typeof current === 'boolean'
		) {
			found.push(String(current));
			return;
		}
		if (current === null || typeof current !== 'object' || depth > MAX_WALK_DEPTH) return;
		if (seen.has(current)) return;
		seen.add(current);

		if (Buffer.isBuffer(current)) {
			found.push(current.toString('utf8'));
			return;
		}
		if (current instanceof URLSearchParams) {
			found.push(current.toString());
		}
		if (current instanceof Map) {
			for (const [key, entryValue] of current) {
				walk(key, depth + 1);
				walk(entryValue, depth + 1);
			}
			return;
		}
		if (current instanceof Set) {
			for (const member of current) walk(member, depth + 1);
			return;
		}
		// Own names, not just enumerable keys: an Error's message and stack are non-enumerable.
		for (const key of Object.getOwnPropertyNames(current)) {
			let propertyValue: unknown;
			try {
				propertyValue = (current as Record<string, unknown>)[key];
			} catch {
				continue;
			}
			if (typeof propertyValue === 'function') continue;
			walk(propertyValue, depth + 1);
		}
	};

	walk(value, 0);
	return found;
}

function record(entry: Omit<CapturedLogEntry, 'searchableText'>): void {
	if (activeCaptures.size === 0) return;
	const searchableText = [entry.message, ...collectStrings(entry.details)].join('\n');
	for (const capture of activeCaptures) capture.entries.push({ ...entry, searchableText });
}

function loggerMethod(level: 'error' | 'warn' | 'info' | 'debug') {
	return (message: string, metadata?: LogMetadata): void => {
		record({ source: 'logger', level, message: String(message), details: metadata });
	};
}

/**
 * Stands in for `@n8n/backend-common`'s `Logger` in n8n-core's container and for LoggerProxy's
 * target. `scoped()` exists because n8n services call it on the container's logger.
 */
export interface HarnessLogger extends N8nLogger {
	scoped(scopes: string | string[]): HarnessLogger;
}

export const harnessLogger: HarnessLogger = {
	error: loggerMethod('error'),
	warn: loggerMethod('warn'),
	info: loggerMethod('info'),
	debug: loggerMethod('debug'),
	scoped: () => harnessLogger,
};

function patchConsole(): void {
	if (originalConsoleMethods) return;
	originalConsoleMethods = {};
	for (const method of CONSOLE_METHODS) {
		const original = console[method] as (...args: unknown[]) => void;
		originalConsoleMethods[method] = original;
		console[method] = (...args: unknown[]): void => {
			record({ source: 'console', level: method, message: format(...args), details: args });
			if ([...activeCaptures].some((capture) => capture.echo)) original.apply(console, args);
		};
	}
}

function restoreConsole(): void {
	if (!originalConsoleMethods) return;
	for (const method of CONSOLE_METHODS) {
		const original = originalConsoleMethods[method];
		if (original) console[method] = original;
	}
	originalConsoleMethods = undefined;
}

function encodedForms(secret: string): string[] {
	const formEncoded = new URLSearchParams({ value: secret }).toString().slice('value='.length);
	return [...new Set([secret, encodeURIComponent(secret), formEncoded])];
}

/**
 * Starts recording what n8n's logger and the console receive; call `stop()` when done (e.g. in a
 * `finally`). Captures may overlap; each sees everything logged while it is active.
 */
export function createLogCapture(options: LogCaptureOptions = {}): LogCapture {
	const capture: ActiveCapture = { entries: [], echo: options.echo === true };
	activeCaptures.add(capture);
	patchConsole();

	return {
		entries: capture.entries,
		text: () =>
			capture.entries
				.map((entry) => `[${entry.source}:${entry.level}] ${entry.searchableText}`)
				.join('\n'),
		findLeaks(secrets) {
			const allText = capture.entries.map((entry) => entry.searchableText).join('\n');
			return secrets.filter(
				(secret) => secret !== '' && encodedForms(secret).some((form) => allText.includes(form)),
			);
		},
		stop() {
			activeCaptures.delete(capture);
			if (activeCaptures.size === 0) restoreConsole();
		},
	};
}
