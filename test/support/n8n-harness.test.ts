/**
 * Proves the harness runs a token credential and a node through n8n-core's real request helpers
 * with n8n's credential semantics. The node type, the credential types and the identity server
 * below are throwaway stand-ins defined here, so this file depends on nothing else in the package.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { LoggerProxy, NodeApiError, NodeOperationError } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import {
	createLogCapture,
	CredentialStore,
	runNode,
	runPreAuthentication,
	testCredential,
} from './n8n-harness';
import type { StoredCredential } from './n8n-harness';

// ---------------------------------------------------------------------------------------------
// A local identity server: form-body login that issues tokens, an API that wants a valid Bearer.
// ---------------------------------------------------------------------------------------------

const USERNAME = 'harness-user@example.com';
// Every character that must survive form encoding, as a Salesforce password would need.
const PASSWORD = 'p#ss &+%=?/ é漢';
const BLOCKED_USERNAME = 'blocked@example.com';

interface ApiRequest {
	path: string;
	authorization: string | undefined;
	status: number;
}

interface IdentityServer {
	baseUrl: string;
	logins: number;
	loginRequests: Array<{
		contentType: string | undefined;
		url: string;
		form: Record<string, string>;
	}>;
	apiRequests: ApiRequest[];
	/** Answer every API request with 401, whatever the token (a session the org keeps killing). */
	rejectEveryToken: boolean;
	/** Delay before answering a login, so concurrent executions overlap. */
	loginDelayMs: number;
	/** HTTP status of a refused login (400 as OAuth's invalid_grant; some servers answer 401). */
	loginFailureStatus: number;
	revokeAllTokens(): void;
	close(): Promise<void>;
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
	response.writeHead(status, { 'Content-Type': 'application/json' });
	response.end(JSON.stringify(body));
}

async function readBody(request: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of request) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks).toString('utf8');
}

async function startIdentityServer(): Promise<IdentityServer> {
	const validTokens = new Map<string, string>();
	let issued = 0;

	const state: Omit<IdentityServer, 'baseUrl' | 'close'> & { server?: Server } = {
		logins: 0,
		loginRequests: [],
		apiRequests: [],
		rejectEveryToken: false,
		loginDelayMs: 0,
		loginFailureStatus: 400,
		revokeAllTokens: () => validTokens.clear(),
	};

	const server = createServer((request, response) => {
		void (async () => {
			const url = new URL(request.url ?? '/', 'http://127.0.0.1');
			if (request.method === 'POST' && url.pathname === '/oauth/token') {
				const body = await readBody(request);
				const form = Object.fromEntries(new URLSearchParams(body));
				state.logins++;
				state.loginRequests.push({
					contentType: request.headers['content-type'],
					url: request.url ?? '',
					form,
				});
				if (state.loginDelayMs > 0)
					await new Promise((resolve) => setTimeout(resolve, state.loginDelayMs));
				const knownUser = form.username === USERNAME || form.username === BLOCKED_USERNAME;
				if (form.grant_type !== 'password' || !knownUser || form.password !== PASSWORD) {
					sendJson(response, state.loginFailureStatus, {
						error: 'invalid_grant',
						error_description: 'authentication failure',
					});
					return;
				}
				issued++;
				const token = `token-${issued}`;
				validTokens.set(token, form.username);
				sendJson(response, 200, { access_token: token, token_type: 'Bearer' });
				return;
			}

			const authorization = request.headers.authorization;
			const token = authorization?.startsWith('Bearer ')
				? authorization.slice('Bearer '.length)
				: undefined;
			const user = token === undefined ? undefined : validTokens.get(token);
			const answer = (status: number, body: unknown): void => {
				state.apiRequests.push({ path: url.pathname, authorization, status });
				sendJson(response, status, body);
			};
			if (user === undefined || state.rejectEveryToken) {
				answer(401, [{ errorCode: 'INVALID_SESSION_ID', message: 'Session expired or invalid' }]);
			} else if (url.pathname === '/me') {
				if (user === BLOCKED_USERNAME) answer(403, { message: 'Not allowed to read identity' });
				else answer(200, { user });
			} else if (url.pathname === '/boom') {
				answer(500, { message: 'Something broke on the server' });
			} else {
				answer(404, { message: 'No such resource' });
			}
		})();
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;

	return Object.assign(state, {
		baseUrl: `http://127.0.0.1:${port}`,
		close: async () => await new Promise<void>((resolve) => server.close(() => resolve())),
	});
}

// ---------------------------------------------------------------------------------------------
// Throwaway credential types: the shape of a session-token credential.
// ---------------------------------------------------------------------------------------------

const tokenCredentialProperties: INodeProperties[] = [
	{ displayName: 'Base URL', name: 'baseUrl', type: 'string', default: '' },
	{ displayName: 'Username', name: 'username', type: 'string', default: '' },
	{
		displayName: 'Password',
		name: 'password',
		type: 'string',
		typeOptions: { password: true },
		default: '',
	},
	{ displayName: 'Grant Type', name: 'grantType', type: 'string', default: 'password' },
	{
		displayName: 'Access Token',
		name: 'accessToken',
		type: 'hidden',
		typeOptions: { expirable: true },
		default: '',
	},
];

/** Logs in with a form body and returns the token under the expirable property's name. */
async function logIn(
	this: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
): Promise<IDataObject> {
	const response = (await this.helpers.httpRequest({
		method: 'POST',
		url: `${String(credentials.baseUrl)}/oauth/token`,
		headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({
			grant_type: String(credentials.grantType),
			username: String(credentials.username),
			password: String(credentials.password),
		}).toString(),
		json: true,
	})) as { access_token: string };
	return { accessToken: response.access_token };
}

const identityTestRequest: ICredentialTestRequest = {
	request: { baseURL: '={{$credentials.baseUrl}}', url: '/me' },
	rules: [
		{
			type: 'responseCode',
			properties: { value: 403, message: 'This user may not read its identity' },
		},
	],
};

class HarnessTokenApi implements ICredentialType {
	name = 'harnessTokenApi';
	displayName = 'Harness Token API';
	properties = tokenCredentialProperties;
	preAuthentication = logIn;
	// The function form of `authenticate`.
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	) {
		return {
			...requestOptions,
			headers: {
				...requestOptions.headers,
				Authorization: `Bearer ${String(credentials.accessToken)}`,
			},
		};
	}
	test = identityTestRequest;
}

const credentialTypes: ICredentialType[] = [new HarnessTokenApi()];

// ---------------------------------------------------------------------------------------------
// A throwaway node: one authenticated GET per item, continue-on-fail honoured.
// ---------------------------------------------------------------------------------------------

class HarnessApiNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Harness API',
		name: 'harnessApi',
		group: ['transform'],
		version: 1,
		description: 'Calls the harness identity server',
		defaults: { name: 'Harness API' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [
			{
				name: 'harnessTokenApi',
				required: true,
				displayOptions: { show: { authentication: ['function'] } },
			},
		],
		properties: [
			{
				displayName: 'Authentication',
				name: 'authentication',
				type: 'options',
				options: [{ name: 'Function', value: 'function' }],
				default: 'function',
			},
			{ displayName: 'Base URL', name: 'baseUrl', type: 'string', default: '' },
			{ displayName: 'Path', name: 'path', type: 'string', default: '/me' },
			{ displayName: 'Include Token', name: 'includeToken', type: 'boolean', default: false },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const returnItems: INodeExecutionData[] = [];
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			try {
				const credentialType = 'harnessTokenApi';
				const baseUrl = this.getNodeParameter('baseUrl', itemIndex) as string;
				// An item may name its own path, so one run can mix successes and failures.
				const path =
					(items[itemIndex].json.path as string | undefined) ??
					(this.getNodeParameter('path', itemIndex) as string);
				this.logger.debug('Harness API request', { path });
				const response = (await this.helpers.httpRequestWithAuthentication.call(
					this,
					credentialType,
					{
						method: 'GET',
						url: `${baseUrl}${path}`,
						json: true,
					},
				)) as IDataObject;
				const json: IDataObject = { ...items[itemIndex].json, response };
				if (this.getNodeParameter('includeToken', itemIndex) === true) {
					json.token = (await this.getCredentials(credentialType, itemIndex)).accessToken;
				}
				returnItems.push({ json, pairedItem: { item: itemIndex } });
			} catch (error) {
				if (this.continueOnFail()) {
					returnItems.push({
						json: { error: (error as Error).message },
						pairedItem: { item: itemIndex },
					});
					continue;
				}
				throw error;
			}
		}
		return [returnItems];
	}
}

/** A node that fails without handling continue-on-fail itself. */
class AlwaysFailingNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Always Failing',
		name: 'alwaysFailing',
		group: ['transform'],
		version: 1,
		description: 'Throws',
		defaults: { name: 'Always Failing' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		throw new NodeOperationError(this.getNode(), 'This node always fails');
	}
}

// ---------------------------------------------------------------------------------------------

let identityServer: IdentityServer;

beforeEach(async () => {
	identityServer = await startIdentityServer();
});

afterEach(async () => {
	await identityServer.close();
});

function tokenCredential(
	overrides: Partial<StoredCredential> = {},
	data: ICredentialDataDecryptedObject = {},
): StoredCredential {
	return {
		id: 'credential-1',
		name: 'Harness Env',
		type: 'harnessTokenApi',
		...overrides,
		data: {
			baseUrl: identityServer.baseUrl,
			username: USERNAME,
			password: PASSWORD,
			accessToken: '',
			...data,
		},
	};
}

async function runHarnessApi(
	store: CredentialStore,
	extra: Partial<Parameters<typeof runNode>[0]> = {},
) {
	return await runNode({
		node: new HarnessApiNode(),
		parameters: { baseUrl: identityServer.baseUrl },
		credential: tokenCredential(),
		credentialTypes,
		store,
		...extra,
	});
}

describe('runNode with a token credential', () => {
	it('logs in once for all items of a run, persists the token and sends it as a Bearer header', async () => {
		const store = new CredentialStore();

		const { output } = await runHarnessApi(store, {
			items: [{ json: { n: 1 } }, { json: { n: 2 } }],
		});

		expect(identityServer.logins).toBe(1);
		expect(identityServer.loginRequests[0]).toMatchObject({
			contentType: 'application/x-www-form-urlencoded',
			url: '/oauth/token',
			form: { grant_type: 'password', username: USERNAME, password: PASSWORD },
		});
		expect(identityServer.apiRequests).toEqual([
			{ path: '/me', authorization: 'Bearer token-1', status: 200 },
			{ path: '/me', authorization: 'Bearer token-1', status: 200 },
		]);
		expect(output).toEqual([
			[
				{ json: { n: 1, response: { user: USERNAME } }, pairedItem: { item: 0 } },
				{ json: { n: 2, response: { user: USERNAME } }, pairedItem: { item: 1 } },
			],
		]);
		// n8n wrote the token into the stored credential, keeping what the user entered.
		expect(store.updates).toBe(1);
		expect(store.getData('credential-1')).toEqual({
			baseUrl: identityServer.baseUrl,
			username: USERNAME,
			password: PASSWORD,
			accessToken: 'token-1',
		});
	});

	it('reuses the stored token in the next execution: zero logins', async () => {
		const store = new CredentialStore();
		await runHarnessApi(store);
		expect(identityServer.logins).toBe(1);

		await runHarnessApi(store);

		expect(identityServer.logins).toBe(1);
		expect(store.updates).toBe(1);
		expect(identityServer.apiRequests.map((request) => request.authorization)).toEqual([
			'Bearer token-1',
			'Bearer token-1',
		]);
	});

	it('on a 401 for the stored token, logs in exactly once more and retries once', async () => {
		const store = new CredentialStore([
			tokenCredential({}, { accessToken: 'token-from-yesterday' }),
		]);

		const { output } = await runHarnessApi(store);

		expect(identityServer.logins).toBe(1);
		expect(identityServer.apiRequests).toEqual([
			{ path: '/me', authorization: 'Bearer token-from-yesterday', status: 401 },
			{ path: '/me', authorization: 'Bearer token-1', status: 200 },
		]);
		expect(output[0][0].json.response).toEqual({ user: USERNAME });
		expect(store.getData('credential-1').accessToken).toBe('token-1');
		expect(store.updates).toBe(1);
	});

	it('on a session revoked between executions, the next execution renews it and persists the new token', async () => {
		const store = new CredentialStore();
		await runHarnessApi(store);
		identityServer.revokeAllTokens();

		await runHarnessApi(store);

		expect(identityServer.logins).toBe(2);
		expect(store.getData('credential-1').accessToken).toBe('token-2');
		expect(store.persisted.map((write) => write.data.accessToken)).toEqual(['token-1', 'token-2']);
	});

	it('surfaces a 401 that survives the re-login as NodeApiError, after exactly one retry', async () => {
		const store = new CredentialStore([
			tokenCredential({}, { accessToken: 'token-from-yesterday' }),
		]);
		identityServer.rejectEveryToken = true;

		const run = runHarnessApi(store);

		await expect(run).rejects.toBeInstanceOf(NodeApiError);
		await expect(run).rejects.toMatchObject({ httpCode: '401' });
		expect(identityServer.logins).toBe(1);
		expect(identityServer.apiRequests.map((request) => request.status)).toEqual([401, 401]);
	});

	it('surfaces an API error as NodeApiError with the HTTP status', async () => {
		const store = new CredentialStore();

		const run = runHarnessApi(store, {
			parameters: { baseUrl: identityServer.baseUrl, path: '/boom' },
		});

		await expect(run).rejects.toBeInstanceOf(NodeApiError);
		await expect(run).rejects.toMatchObject({ httpCode: '500' });
		// A 500 is not an authentication problem: no re-login.
		expect(identityServer.logins).toBe(1);
	});

	it('lets this.getCredentials() after the request see the token just persisted', async () => {
		const store = new CredentialStore();

		const { output } = await runHarnessApi(store, {
			parameters: { baseUrl: identityServer.baseUrl, includeToken: true },
		});

		expect(output[0][0].json.token).toBe('token-1');
	});

	it('wraps a failed login in NodeApiError', async () => {
		const store = new CredentialStore([tokenCredential({}, { password: 'wrong' })]);

		const run = runHarnessApi(store);

		await expect(run).rejects.toBeInstanceOf(NodeApiError);
		await expect(run).rejects.toMatchObject({ httpCode: '400' });
		expect(identityServer.logins).toBe(1);
		expect(store.updates).toBe(0);
	});

	it('tries a login that is refused with HTTP 401 twice (n8n-core retries preAuthentication on any 401)', async () => {
		// Real n8n-core behaviour a credential must know about: the 401 from the login itself looks
		// like an expired token to httpRequestWithAuthentication, which re-runs preAuthentication.
		const store = new CredentialStore([tokenCredential({}, { password: 'wrong' })]);
		identityServer.loginFailureStatus = 401;

		await expect(runHarnessApi(store)).rejects.toMatchObject({ httpCode: '401' });

		expect(identityServer.logins).toBe(2);
		expect(identityServer.apiRequests).toEqual([]);
	});

	it('with continue-on-fail, returns error items next to good ones', async () => {
		const store = new CredentialStore();

		const result = await runHarnessApi(store, {
			continueOnFail: true,
			items: [{ json: { path: '/me' } }, { json: { path: '/boom' } }],
		});

		expect(result.error).toBeUndefined();
		expect(result.output[0]).toHaveLength(2);
		expect(result.output[0][0]).toMatchObject({
			json: { response: { user: USERNAME } },
			pairedItem: { item: 0 },
		});
		expect(result.output[0][1]).toMatchObject({
			json: { error: expect.any(String) },
			pairedItem: { item: 1 },
		});
		expect(result.nodeAsRun.onError).toBe('continueRegularOutput');
	});

	it('with continue-on-fail, passes the input on when the node throws anyway (as WorkflowExecute does)', async () => {
		const items = [{ json: { kept: true } }];

		const result = await runNode({
			node: new AlwaysFailingNode(),
			parameters: {},
			items,
			credentialTypes,
			continueOnFail: true,
		});

		expect(result.output).toEqual([items]);
		expect(result.error).toBeInstanceOf(NodeOperationError);
		await expect(
			runNode({ node: new AlwaysFailingNode(), parameters: {}, credentialTypes }),
		).rejects.toThrow('This node always fails');
	});

	it('fills in parameter defaults and credential defaults as n8n does', async () => {
		const store = new CredentialStore([tokenCredential({}, {})]);
		// `grantType` is not stored: its default must reach preAuthentication.
		store.replaceData('credential-1', {
			baseUrl: identityServer.baseUrl,
			username: USERNAME,
			password: PASSWORD,
		});

		const { nodeAsRun } = await runHarnessApi(store);

		expect(nodeAsRun.parameters).toEqual({
			authentication: 'function',
			baseUrl: identityServer.baseUrl,
			path: '/me',
			includeToken: false,
		});
		expect(identityServer.loginRequests[0].form.grant_type).toBe('password');
		// Persisted: the stored data plus the token (defaults are not written back).
		expect(store.getData('credential-1')).toEqual({
			baseUrl: identityServer.baseUrl,
			username: USERNAME,
			password: PASSWORD,
			accessToken: 'token-1',
		});
	});

	it('lets two executions run at once on one store (each reads the empty token, as in real n8n)', async () => {
		const store = new CredentialStore();
		store.add(tokenCredential());
		identityServer.loginDelayMs = 50;

		const results = await Promise.all([runHarnessApi(store), runHarnessApi(store)]);

		for (const { output } of results)
			expect(output[0][0].json.response).toEqual({ user: USERNAME });
		// Nothing in n8n serialises preAuthentication: without a lock in the credential, both log in.
		expect(identityServer.logins).toBe(2);
		expect(store.updates).toBe(2);
	});
});

describe("testCredential (the editor's Test button)", () => {
	it('answers OK for good data, logging in and persisting the token into the saved credential', async () => {
		const store = new CredentialStore();

		const result = await testCredential(
			new HarnessTokenApi(),
			{ baseUrl: identityServer.baseUrl, username: USERNAME, password: PASSWORD },
			store,
		);

		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(identityServer.logins).toBe(1);
		expect(identityServer.apiRequests).toEqual([
			{ path: '/me', authorization: 'Bearer token-1', status: 200 },
		]);
		expect(store.updates).toBe(1);
		expect(store.persisted[0].data.accessToken).toBe('token-1');
	});

	it('forces a fresh login even when a valid token is stored', async () => {
		const store = new CredentialStore();
		await runHarnessApi(store);
		expect(identityServer.logins).toBe(1);

		const result = await testCredential(
			new HarnessTokenApi(),
			store.getData('credential-1'),
			store,
			{
				credentialId: 'credential-1',
			},
		);

		expect(result.status).toBe('OK');
		expect(identityServer.logins).toBe(2);
		expect(store.getData('credential-1').accessToken).toBe('token-2');
	});

	it('reports a failed login as an error with the HTTP status text', async () => {
		const result = await testCredential(new HarnessTokenApi(), {
			baseUrl: identityServer.baseUrl,
			username: USERNAME,
			password: 'wrong',
		});

		expect(result).toEqual({ status: 'Error', message: 'Bad Request' });
		expect(identityServer.apiRequests).toEqual([]);
	});

	it("applies the test request's responseCode rules", async () => {
		const result = await testCredential(new HarnessTokenApi(), {
			baseUrl: identityServer.baseUrl,
			username: BLOCKED_USERNAME,
			password: PASSWORD,
		});

		expect(result).toEqual({ status: 'Error', message: 'This user may not read its identity' });
	});

	it('reports an unreachable host by its error code', async () => {
		const address = identityServer.baseUrl;
		await identityServer.close();
		identityServer = await startIdentityServer();

		const result = await testCredential(new HarnessTokenApi(), {
			baseUrl: address,
			username: USERNAME,
			password: PASSWORD,
		});

		expect(result).toEqual({ status: 'Error', message: 'ECONNREFUSED' });
	});
});

describe('runPreAuthentication', () => {
	it("calls preAuthentication with n8n-core's httpRequest and credential defaults applied", async () => {
		const output = await runPreAuthentication(new HarnessTokenApi(), {
			baseUrl: identityServer.baseUrl,
			username: USERNAME,
			password: PASSWORD,
		});

		expect(output).toEqual({ accessToken: 'token-1' });
		expect(identityServer.loginRequests).toEqual([
			{
				contentType: 'application/x-www-form-urlencoded',
				url: '/oauth/token',
				form: { grant_type: 'password', username: USERNAME, password: PASSWORD },
			},
		]);
	});

	it('throws what the request throws', async () => {
		await expect(
			runPreAuthentication(new HarnessTokenApi(), {
				baseUrl: identityServer.baseUrl,
				username: USERNAME,
				password: 'x',
			}),
		).rejects.toMatchObject({ response: { status: 400 } });
	});
});

describe('credential types the harness does not model', () => {
	// It copies n8n's handling of a token credential only (n8n-harness-credentials.ts): anything
	// else would run on guesses, so it is refused before a request is sent.
	it.each([
		[
			'declarative (generic) authenticate',
			{
				authenticate: { type: 'generic' as const, properties: { headers: { Authorization: 'x' } } },
			},
		],
		['credential types that extend others', { extends: ['oAuth2Api'] }],
		['credential types restricted to some nodes', { restrictToSupportedNodes: true }],
	])('refuses %s', async (feature, difference) => {
		const unsupported = Object.assign(new HarnessTokenApi(), difference) as ICredentialType;
		await expect(
			testCredential(unsupported, {
				baseUrl: identityServer.baseUrl,
				username: USERNAME,
				password: PASSWORD,
			}),
		).rejects.toThrow(`The n8n harness does not support ${feature}`);
		expect(identityServer.loginRequests).toEqual([]);
	});
});

describe('createLogCapture', () => {
	it('records what the node logs, LoggerProxy and the console, and finds secrets in any encoding', async () => {
		const capture = createLogCapture();
		try {
			await runHarnessApi(new CredentialStore());
			LoggerProxy.warn('something about a token', { detail: { token: 'token-1' } });
			console.error(new Error(`encoded ${encodeURIComponent(PASSWORD)}`));
		} finally {
			capture.stop();
		}

		expect(capture.entries).toEqual(
			expect.arrayContaining([
				expect.objectContaining({
					source: 'logger',
					level: 'debug',
					message: 'Harness API request',
				}),
				expect.objectContaining({
					source: 'logger',
					level: 'warn',
					message: 'something about a token',
				}),
				expect.objectContaining({ source: 'console', level: 'error' }),
			]),
		);
		expect(capture.findLeaks(['token-1', PASSWORD, 'never-logged'])).toEqual(['token-1', PASSWORD]);

		// After stop(), nothing more is recorded and the console is back.
		LoggerProxy.warn('after stop');
		expect(capture.entries.some((entry) => entry.message === 'after stop')).toBe(false);
	});
});
