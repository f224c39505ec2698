import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

import { hasExited, lastLines, spawnTracked, stopChild } from './child-processes';
import type { N8nRuntime } from './runtime';
import { waitFor } from './wait';

export interface Owner {
	email: string;
	firstName: string;
	lastName: string;
	password: string;
}

export interface StartServerOptions {
	runtime: N8nRuntime;
	/** The instance's environment (user folder, encryption key, broker port…). */
	env: NodeJS.ProcessEnv;
	/** Defaults to a free port. */
	port?: number;
	/** Defaults to 127.0.0.1: only this machine can reach the editor. */
	listenAddress?: string;
	/** Created on a fresh instance, logged in with otherwise. Defaults to a generated test owner. */
	owner?: Owner;
	/** Also receives n8n's output lines (they always go to `logFile`). */
	onOutput?: (line: string) => void;
	/** Where n8n's output goes (overwritten); `<userFolder>/n8n-server.log` unless told. */
	logFile?: string;
	readinessTimeoutMs?: number;
}

export interface N8nServer {
	/** http://localhost:<port> — what a browser should open. */
	url: string;
	/** http://127.0.0.1:<port> — what this process talks to. */
	apiUrl: string;
	port: number;
	owner: Owner;
	/** The `n8n-auth=...` cookie of the logged-in owner. */
	cookie: string;
	/** fetch against the server, logged in as the owner (path like `/types/nodes.json`). */
	fetch: (path: string, init?: RequestInit) => Promise<Response>;
	/** GET/POST a path and parse JSON; throws with the body on a non-2xx answer. */
	json: <T = unknown>(path: string, init?: RequestInit) => Promise<T>;
	logFile: string;
	process: ChildProcess;
	stop: () => Promise<void>;
}

export function generatedOwner(): Owner {
	// n8n wants 8+ characters with a number and an uppercase letter.
	return {
		email: 'demo@example.com',
		firstName: 'Demo',
		lastName: 'Owner',
		password: `Demo-${randomUUID().slice(0, 8)}-Pw1`,
	};
}

async function assertPortFree(port: number, host: string): Promise<void> {
	await new Promise<void>((resolve, reject) => {
		const probe = createServer();
		probe.once('error', (error: NodeJS.ErrnoException) =>
			reject(
				new Error(
					error.code === 'EADDRINUSE'
						? `Port ${port} is already in use (another n8n?). Stop it, or choose another port (npm start -- --port 5680, or N8N_PORT=5680).`
						: `Cannot listen on ${host}:${port}: ${error.message}`,
				),
			),
		);
		probe.listen(port, host, () => probe.close(() => resolve()));
	});
}

function setCookieHeader(response: Response): string {
	return response.headers
		.getSetCookie()
		.map((cookie) => cookie.split(';')[0])
		.join('; ');
}

/** What `n8n start` prints once it has started everything it awaits (1.x: the activation of published workflows too). */
const STARTED_LINE = 'Editor is now accessible via';

export async function startN8nServer(options: StartServerOptions): Promise<N8nServer> {
	const listenAddress = options.listenAddress ?? '127.0.0.1';
	const port = options.port ?? (await findFreePort());
	await assertPortFree(port, listenAddress);
	const url = `http://localhost:${port}`;
	const apiUrl = `http://127.0.0.1:${port}`;
	const userFolder = options.env.N8N_USER_FOLDER ?? process.cwd();
	const logFile = options.logFile ?? join(userFolder, 'n8n-server.log');
	const log = createWriteStream(logFile, { flags: 'w' });

	const child = spawnTracked(options.runtime.nodeBinary, [options.runtime.n8nBin, 'start'], {
		cwd: userFolder,
		env: {
			...options.env,
			N8N_PORT: String(port),
			N8N_LISTEN_ADDRESS: listenAddress,
			N8N_EDITOR_BASE_URL: url,
		},
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	// Kept in memory too: the log stream may not have flushed when n8n dies early.
	let recentOutput = '';
	let printedStarted = false;
	const forward = (chunk: Buffer): void => {
		log.write(chunk);
		recentOutput = (recentOutput + chunk.toString()).slice(-20_000);
		printedStarted ||= recentOutput.includes(STARTED_LINE);
		if (options.onOutput)
			for (const line of chunk.toString().split('\n')) if (line.trim()) options.onOutput(line);
	};
	child.stdout?.on('data', forward);
	child.stderr?.on('data', forward);
	const stop = async (): Promise<void> => {
		await stopChild(child, 15_000);
		await new Promise<void>((resolve) => log.end(resolve));
	};

	try {
		await waitForReadiness(
			apiUrl,
			child,
			{ started: () => printedStarted, output: () => recentOutput },
			options.readinessTimeoutMs ?? 120_000,
		);
		const browserId = randomUUID();
		const owner = options.owner ?? generatedOwner();
		const cookie = await logInOwner(apiUrl, browserId, owner);
		const authedFetch = async (path: string, init: RequestInit = {}): Promise<Response> => {
			const headers = new Headers(init.headers);
			headers.set('cookie', cookie);
			// n8n binds its auth cookie to the browser-id header sent at login.
			headers.set('browser-id', browserId);
			if (init.body !== undefined && !headers.has('content-type'))
				headers.set('content-type', 'application/json');
			return await fetch(`${apiUrl}${path}`, { ...init, headers });
		};
		const json = async <T>(path: string, init?: RequestInit): Promise<T> => {
			const response = await authedFetch(path, init);
			const body = await response.text();
			if (!response.ok)
				throw new Error(
					`${init?.method ?? 'GET'} ${path} answered ${response.status}: ${body.slice(0, 500)}`,
				);
			return JSON.parse(body) as T;
		};
		return {
			url,
			apiUrl,
			port,
			owner,
			cookie,
			fetch: authedFetch,
			json,
			logFile,
			process: child,
			stop,
		};
	} catch (error) {
		await stop();
		throw error;
	}
}

/** A port nothing listens on right now (the OS picks it). */
export async function findFreePort(): Promise<number> {
	return await new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() =>
				typeof address === 'object' && address
					? resolve(address.port)
					: reject(new Error('No free port')),
			);
		});
	});
}

async function waitForReadiness(
	apiUrl: string,
	child: ChildProcess,
	progress: { started: () => boolean; output: () => string },
	timeoutMs: number,
): Promise<void> {
	// /healthz answers ~2 s before the REST routes exist; in 2.x /healthz/readiness waits for them,
	// in 1.x it answers once the database is up, before the REST routes exist (they answer 404 until
	// then): so ready is readiness, a REST route that exists in both, and the line n8n prints last.
	await waitFor(
		'n8n start to be ready',
		async () => {
			if (!progress.started()) return undefined;
			try {
				const response = await fetch(`${apiUrl}/healthz/readiness`);
				return response.ok && (await fetch(`${apiUrl}/rest/settings`)).status !== 404
					? true
					: undefined;
			} catch {
				return undefined; // Not listening yet.
			}
		},
		{
			timeoutMs,
			abortReason: () =>
				hasExited(child)
					? `n8n start exited (code ${child.exitCode ?? child.signalCode})`
					: undefined,
			detail: () => lastLines(progress.output(), 25),
		},
	);
}

async function logInOwner(apiUrl: string, browserId: string, owner: Owner): Promise<string> {
	const headers = { 'content-type': 'application/json', 'browser-id': browserId };
	const setup = await fetch(`${apiUrl}/rest/owner/setup`, {
		method: 'POST',
		headers,
		body: JSON.stringify(owner),
	});
	if (setup.ok) return setCookieHeader(setup);
	// Already set up (a user folder started before): log in instead.
	const login = await fetch(`${apiUrl}/rest/login`, {
		method: 'POST',
		headers,
		body: JSON.stringify({ emailOrLdapLoginId: owner.email, password: owner.password }),
	});
	if (!login.ok) {
		throw new Error(
			`Could not create or log in the n8n owner ${owner.email}: setup answered ${setup.status} (${(await setup.text()).slice(0, 200)}), ` +
				`login answered ${login.status} (${(await login.text()).slice(0, 200)}).`,
		);
	}
	return setCookieHeader(login);
}
