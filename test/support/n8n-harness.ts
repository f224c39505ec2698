/**
 * Runs our node types and credential types in-process through n8n-core's real execution context
 * and request helpers, with a credentials helper that behaves like the n8n CLI's.
 *
 * - `runNode` builds a real `ExecuteContext` (n8n-core) for one node and calls its `execute` the way
 *   `WorkflowExecute.executeNode` does (n8n-core dist/execution-engine/workflow-execute.js).
 *   `this.helpers.httpRequest` and `this.helpers.httpRequestWithAuthentication` are n8n-core's own:
 *   preAuthentication when the token is empty, `authenticate`, one retry after a fresh
 *   preAuthentication on a 401, errors wrapped in `NodeApiError`.
 * - `testCredential` does what the editor's "Test" button does (the CLI's
 *   `CredentialsTester.testCredentials` → `runRequestTest`, packages/cli/dist/services/credentials-tester.service.js):
 *   the type's declarative `test` request through n8n-core's `RoutingNode`. As in n8n 2.41.1 this does
 *   NOT force preAuthentication: a stored session is used as it is unless the credential refuses it.
 * - `runPreAuthentication` calls a credential type's `preAuthentication` with n8n-core's real
 *   `httpRequest` as `this.helpers.httpRequest`.
 * - `createLogCapture` records what n8n's logger and the console receive.
 *
 * Differences from a real n8n instance (keep in mind when a test passes here):
 * - One node, no workflow around it: no `WorkflowExecute` loop, no lifecycle hooks, no pinned data,
 *   no retry-on-fail, no `pairedItem` auto-fill (a node that forgets `pairedItem` shows it here),
 *   no binary-data conversion of the output. A node that throws with continue-on-fail set gets
 *   its input passed through as output, as `WorkflowExecute.handleNodeExecutionError` does; the
 *   thrown error is returned in `error`.
 * - Credential data is kept as plain JSON in memory, not encrypted; no credential overwrites,
 *   external secrets, sharing/permissions, dynamic credentials or AI gateway.
 * - Expressions (in parameters, credential fields, generic `authenticate`, `test` requests) are
 *   evaluated by n8n-workflow's default "legacy" engine in-process. Real n8n 2.x may be configured
 *   to use the isolated-vm engine (which needs Node >= 24 and is not built here); the results of
 *   ordinary expressions are the same.
 * - Logs are recorded, not printed, at every level (see n8n-harness-logs.ts).
 * - n8n's outbound HTTP config is read from the environment with n8n's defaults (SSRF protection
 *   off, so 127.0.0.1 is reachable, as on a default instance).
 */
import { randomUUID } from 'node:crypto';

import { ExecuteContext, ExternalSecretsProxy, RoutingNode } from 'n8n-core';
import {
	createEmptyRunExecutionData,
	isNodeClassInstance,
	NodeHelpers,
	UnexpectedError,
	Workflow,
} from 'n8n-workflow';
import type {
	CloseFunction,
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IExecuteData,
	INode,
	INodeCredentialTestResult,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	INodeTypes,
	ITaskDataConnections,
	IVersionedNodeType,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';

import { ensureN8nCoreContainer } from './n8n-harness-core-setup';
import {
	CredentialStore,
	newCredentialId,
	type StoredCredential,
} from './n8n-harness-credential-store';
import {
	HarnessCredentialsHelper,
	HarnessCredentialTypes,
	restrictToCredentialDomains,
} from './n8n-harness-credentials';

export { CredentialStore } from './n8n-harness-credential-store';
export type { CredentialPersistence, StoredCredential } from './n8n-harness-credential-store';
export { createLogCapture } from './n8n-harness-logs';
export type { CapturedLogEntry, LogCapture, LogCaptureOptions } from './n8n-harness-logs';

/** How n8n names a community package's node type: `<package name>.<description.name>`. */
export const PACKAGE_NODE_TYPE_PREFIX = 'n8n-nodes-salesforce-integration.';

export interface RunNodeOptions {
	node: INodeType | IVersionedNodeType;
	/** The node's parameters as the editor would save them; defaults are filled in as n8n does. */
	parameters: INodeParameters;
	/** Input items; default one empty item (what a Manual Trigger hands on). */
	items?: INodeExecutionData[];
	/** The credential selected in the node; added to `store` unless the store already holds its id. */
	credential?: StoredCredential;
	credentialTypes: ICredentialType[];
	/** Share one store between runs to see tokens persisted and reused; default a fresh store. */
	store?: CredentialStore;
	/** The node's "On Error: Continue" setting (`onError: 'continueRegularOutput'`). */
	continueOnFail?: boolean;
	nodeName?: string;
	/** Default: the node type's default (versioned) or highest version. */
	typeVersion?: number;
	/** Default `<package>.<description.name>`, how n8n names a community node type. */
	nodeTypeName?: string;
	/** Default 'manual' (run from the editor); `n8n execute` uses 'cli', triggers 'trigger'. */
	mode?: WorkflowExecuteMode;
	/** Lets a test cancel the execution (what `this.getExecutionCancelSignal()` returns). */
	abortSignal?: AbortSignal;
}

export interface RunNodeResult {
	output: INodeExecutionData[][];
	/** The error the node threw when continue-on-fail let the run go on (output is then its input). */
	error?: unknown;
	/** Hints the node added with `this.addExecutionHints`. */
	hints: unknown[];
	/** The store used (the one passed in, or the fresh one). */
	store: CredentialStore;
	/** The node as n8n ran it (parameters with defaults filled in, credentials, settings). */
	nodeAsRun: INode;
}

let executionCounter = 0;

function defaultTypeVersion(nodeType: INodeType | IVersionedNodeType): number {
	if ('nodeVersions' in nodeType)
		return nodeType.description.defaultVersion ?? nodeType.currentVersion;
	const { version } = nodeType.description;
	return Array.isArray(version) ? Math.max(...version) : version;
}

/** The node-type registry a `Workflow` looks types up in (the CLI's `NodeTypes`), for a fixed set. */
function createNodeTypes(
	typesByName: ReadonlyMap<string, INodeType | IVersionedNodeType>,
): INodeTypes {
	const lookUp = (typeName: string): INodeType | IVersionedNodeType => {
		const nodeType = typesByName.get(typeName);
		// Worded like the CLI's UnrecognizedNodeTypeError.
		if (!nodeType) throw new UnexpectedError(`Unrecognized node type: ${typeName}`);
		return nodeType;
	};
	return {
		getByName: lookUp,
		getByNameAndVersion: (typeName, version) =>
			NodeHelpers.getVersionedNodeType(lookUp(typeName), version),
		getKnownTypes: () => ({}),
	};
}

async function unsupported(feature: string): Promise<never> {
	throw new UnexpectedError(`The n8n harness does not support ${feature}`);
}

/**
 * The `additionalData` of an execution (the CLI's `WorkflowExecuteAdditionalData.getBase`), with
 * what a single node run needs and loud failures for features the harness leaves out.
 */
function createAdditionalData(
	credentialsHelper: HarnessCredentialsHelper,
	currentNodeParameters?: INodeParameters,
): IWorkflowExecuteAdditionalData {
	const instanceBaseUrl = 'http://localhost:5678/';
	executionCounter++;
	return {
		credentialsHelper,
		executionId: `harness-execution-${executionCounter}`,
		workflowId: 'harness-workflow',
		userId: 'harness-user',
		currentNodeParameters,
		currentNodeExecutionIndex: 0,
		restApiUrl: `${instanceBaseUrl}rest`,
		instanceBaseUrl,
		formBaseUrl: `${instanceBaseUrl}form`,
		formWaitingBaseUrl: `${instanceBaseUrl}form-waiting`,
		formTestBaseUrl: `${instanceBaseUrl}form-test`,
		webhookBaseUrl: `${instanceBaseUrl}webhook`,
		webhookWaitingBaseUrl: `${instanceBaseUrl}webhook-waiting`,
		webhookTestBaseUrl: `${instanceBaseUrl}webhook-test`,
		mcpBaseUrl: `${instanceBaseUrl}mcp`,
		mcpTestBaseUrl: `${instanceBaseUrl}mcp-test`,
		variables: {},
		externalSecretsProxy: new ExternalSecretsProxy(),
		executeWorkflow: async () => await unsupported('executing sub-workflows'),
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		logAiEvent: () => {},
		startRunnerTask: async () => await unsupported('task runners (Code node)'),
	} as IWorkflowExecuteAdditionalData;
}

/** WorkflowExecute.continuesOnError. */
function continuesOnError(node: INode): boolean {
	return (
		node.continueOnFail === true ||
		['continueRegularOutput', 'continueErrorOutput'].includes(node.onError ?? '')
	);
}

/** The node, its workflow and an execution's additional data, as n8n sets them up for a node of `options`. */
export interface PreparedNode {
	node: INode;
	workflow: Workflow;
	additionalData: IWorkflowExecuteAdditionalData;
	nodeType: INodeType;
	store: CredentialStore;
}

/**
 * What every context of one node needs: the node (defaults filled in by the Workflow constructor, the
 * credential selected), its workflow, and additional data whose credentials helper reads `store`.
 * `currentNodeParameters` are what a load-options context reads (the editor's unsaved parameters).
 */
export function prepareNode(
	options: Omit<RunNodeOptions, 'items' | 'mode' | 'abortSignal'> & {
		staticData?: IDataObject;
		nodeId?: string;
	},
	currentNodeParameters?: INodeParameters,
): PreparedNode {
	ensureN8nCoreContainer();

	const store = options.store ?? new CredentialStore();
	if (options.credential && !store.has(options.credential.id)) store.add(options.credential);

	const typeName =
		options.nodeTypeName ?? `${PACKAGE_NODE_TYPE_PREFIX}${options.node.description.name}`;
	const nodeTypes = createNodeTypes(new Map([[typeName, options.node]]));
	const typeVersion = options.typeVersion ?? defaultTypeVersion(options.node);
	const resolvedNodeType = nodeTypes.getByNameAndVersion(typeName, typeVersion);

	const node: INode = {
		// A saved workflow's node keeps its id: pass it to meet the same node again (a restart).
		id: options.nodeId ?? randomUUID(),
		name:
			options.nodeName ??
			resolvedNodeType.description.defaults.name ??
			resolvedNodeType.description.displayName,
		type: typeName,
		typeVersion,
		position: [0, 0],
		parameters: structuredClone(options.parameters),
		...(options.credential && {
			credentials: {
				[options.credential.type]: { id: options.credential.id, name: options.credential.name },
			},
		}),
		...(options.continueOnFail && { onError: 'continueRegularOutput' as const }),
	};

	// The Workflow constructor fills in parameter defaults, as when n8n loads a saved workflow.
	const workflow = new Workflow({
		id: 'harness-workflow',
		name: 'Harness workflow',
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes,
		settings: {},
		// The workflow's static data as saved (a trigger's state across activations); none: empty.
		...(options.staticData ? { staticData: structuredClone(options.staticData) } : {}),
	});

	const credentialTypes = new HarnessCredentialTypes(options.credentialTypes);
	const credentialsHelper = new HarnessCredentialsHelper(credentialTypes, store);
	const additionalData = createAdditionalData(credentialsHelper, currentNodeParameters);
	return { node, workflow, additionalData, nodeType: resolvedNodeType, store };
}

/**
 * Runs one node execution. Throws what the node throws (e.g. the `NodeApiError` n8n-core wraps
 * HTTP failures in), unless continue-on-fail is set.
 */
export async function runNode(options: RunNodeOptions): Promise<RunNodeResult> {
	const {
		node,
		workflow,
		additionalData,
		nodeType: resolvedNodeType,
		store,
	} = prepareNode(options);

	const items = options.items ?? [{ json: {} }];
	const inputData: ITaskDataConnections = { main: [items] };
	const executeData: IExecuteData = { node, data: inputData, source: null };
	const runExecutionData = createEmptyRunExecutionData();
	const mode = options.mode ?? 'manual';
	const abortSignal = options.abortSignal ?? new AbortController().signal;

	// WorkflowExecute.executeNode: a fresh context per run, close functions run afterwards.
	const closeFunctions: CloseFunction[] = [];
	const context = new ExecuteContext(
		workflow,
		node,
		additionalData,
		mode,
		runExecutionData,
		0,
		items,
		inputData,
		executeData,
		closeFunctions,
		abortSignal,
	);

	let output: INodeExecutionData[][] | null | undefined;
	try {
		try {
			if (resolvedNodeType.execute) {
				output = isNodeClassInstance(resolvedNodeType)
					? ((await resolvedNodeType.execute(context)) as INodeExecutionData[][] | null)
					: ((await resolvedNodeType.execute.call(context)) as INodeExecutionData[][] | null);
			} else {
				// WorkflowExecute.executeDeclarativeNodeInTest: declarative nodes run through RoutingNode.
				output = await new RoutingNode(context, resolvedNodeType).runNode();
			}
		} finally {
			await Promise.allSettled(closeFunctions.map(async (close) => await close()));
		}
	} catch (error) {
		// WorkflowExecute.handleNodeExecutionError: with continue-on-fail the input goes on as output.
		if (continuesOnError(node)) {
			return { output: [items], error, hints: context.hints, store, nodeAsRun: node };
		}
		throw error;
	}

	return { output: output ?? [], hints: context.hints, store, nodeAsRun: node };
}

/** The NoOp node type the CLI's tester borrows (only its description's identity matters). */
const NO_OP_NODE_TYPE_NAME = 'n8n-nodes-base.noOp';
const noOpNodeDescription: INodeType['description'] = {
	displayName: 'No Operation, do nothing',
	name: 'noOp',
	icon: 'fa:arrow-right',
	group: ['organization'],
	version: 1,
	description: 'No Operation',
	defaults: { name: 'No Operation, do nothing', color: '#b0b0b0' },
	inputs: ['main'],
	outputs: ['main'],
	properties: [],
};

export interface TestCredentialOptions {
	/** Test a credential already in `store` (its stored id); default: save `data` as a new credential first. */
	credentialId?: string;
	credentialName?: string;
}

/**
 * What the editor's credential "Test" button returns for `data`. The editor saves a credential
 * before testing it, and preAuthentication persists its output into that saved credential; so
 * `data` is added to `store` (a fresh one by default) unless `options.credentialId` names a stored
 * credential — inspect the store afterwards to see what the test persisted.
 */
export async function testCredential(
	credentialType: ICredentialType,
	data: ICredentialDataDecryptedObject,
	store: CredentialStore = new CredentialStore(),
	options: TestCredentialOptions = {},
): Promise<INodeCredentialTestResult> {
	ensureN8nCoreContainer();

	const credentialId = options.credentialId ?? newCredentialId();
	const credentialName = options.credentialName ?? `${credentialType.displayName} (harness test)`;
	if (!store.has(credentialId)) {
		store.add({ id: credentialId, name: credentialName, type: credentialType.name, data });
	}
	const credentialsDecrypted: ICredentialsDecrypted = {
		id: credentialId,
		name: credentialName,
		type: credentialType.name,
		data: structuredClone(data),
	};

	const credentialTypes = new HarnessCredentialTypes([credentialType]);
	const storedCredentialsHelper = new HarnessCredentialsHelper(credentialTypes, store);

	// CredentialsTester.testCredentials: only a declarative `test` is supported here (`testedBy`
	// functions live on node types, which this harness does not load for a test).
	const testRequest: ICredentialTestRequest | undefined = credentialType.test;
	if (testRequest === undefined) {
		return { status: 'Error', message: 'No testing function found for this credential.' };
	}

	// CredentialsTester.prepareCredentialsForTest: defaults applied, expressions resolved.
	try {
		credentialsDecrypted.data = await storedCredentialsHelper.applyDefaultsAndOverwrites(
			createAdditionalData(storedCredentialsHelper),
			credentialsDecrypted.data ?? {},
			credentialType.name,
			'internal',
		);
	} catch (error) {
		return { status: 'Error', message: String((error as Error).message) };
	}

	return await runRequestTest(
		credentialType.name,
		credentialsDecrypted,
		testRequest,
		storedCredentialsHelper,
	);
}

/** CredentialsTester.runRequestTest (verdict 'default'), step for step. */
async function runRequestTest(
	credentialTypeName: string,
	credentialsDecrypted: ICredentialsDecrypted,
	testRequest: ICredentialTestRequest,
	storedCredentialsHelper: HarnessCredentialsHelper,
): Promise<INodeCredentialTestResult> {
	const node: INode = {
		id: 'temp',
		parameters: {},
		name: 'Temp-Node',
		type: NO_OP_NODE_TYPE_NAME,
		typeVersion: 1,
		position: [0, 0],
		credentials: {
			[credentialTypeName]: { id: credentialsDecrypted.id, name: credentialsDecrypted.name },
		},
	};
	// A NoOp whose only parameter, `temp`, carries the test request as its routing. The node's own
	// parameters stay `{}` as in n8n 2.41.1, so the credentials helper's "testing" check (`temp === ''`)
	// does NOT hold: preAuthentication runs only when the stored token is empty or after a 401. A
	// credential that must log in on every test has to make that happen itself (ours: authenticate).
	const nodeTypeCopy: INodeType = {
		description: {
			...noOpNodeDescription,
			name: NO_OP_NODE_TYPE_NAME,
			credentials: [{ name: credentialTypeName, required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					routing: { request: testRequest.request },
					default: '',
				},
			],
		},
	};
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: createNodeTypes(new Map([[NO_OP_NODE_TYPE_NAME, nodeTypeCopy]])),
	});
	const mode: WorkflowExecuteMode = 'internal';
	const inputData: ITaskDataConnections = { main: [[{ json: {} }]] };
	const runExecutionData = createEmptyRunExecutionData();
	const additionalData = createAdditionalData(storedCredentialsHelper, node.parameters);

	// The tester hands the data under test to anything that asks for the decrypted credential.
	const getDecrypted: HarnessCredentialsHelper['getDecrypted'] = async (...args) =>
		args[5]
			? await storedCredentialsHelper.getDecrypted(...args)
			: (credentialsDecrypted.data ?? {});
	additionalData.credentialsHelper = new Proxy(storedCredentialsHelper, {
		get(target, property) {
			if (property === 'getDecrypted') return getDecrypted;
			const value: unknown = Reflect.get(target, property);
			return typeof value === 'function'
				? (value as (...a: unknown[]) => unknown).bind(target)
				: value;
		},
	});

	const executeData: IExecuteData = { node, data: {}, source: null };
	const executeFunctions = new ExecuteContext(
		workflow,
		node,
		additionalData,
		mode,
		runExecutionData,
		0,
		[],
		inputData,
		executeData,
		[],
	);
	const routingNode = new RoutingNode(executeFunctions, nodeTypeCopy, credentialsDecrypted);

	let response: INodeExecutionData[][] | null | undefined;
	try {
		await workflow.expression.acquireIsolate();
		response = await routingNode.runNode();
	} catch (caught) {
		const error = caught as {
			message: string;
			cause?: { response?: { status: number; statusText?: string }; code?: string };
		};
		if (error.cause?.response) {
			const statusCode = error.cause.response.status;
			const statusMessage = error.cause.response.statusText;
			for (const rule of testRequest.rules ?? []) {
				if (rule.type === 'responseCode' && statusCode === rule.properties.value) {
					return { status: 'Error', message: rule.properties.message };
				}
			}
			if (statusCode < 199 || statusCode > 299) {
				return {
					status: 'Error',
					message: statusMessage || `Received HTTP status code: ${statusCode}`,
				};
			}
		} else if (error.cause?.code) {
			return { status: 'Error', message: error.cause.code };
		}
		return { status: 'Error', message: error.message.toString() };
	} finally {
		await workflow.expression.releaseIsolate();
	}

	for (const rule of testRequest.rules ?? []) {
		if (rule.type === 'responseSuccessBody') {
			const responseData = response?.[0]?.[0]?.json;
			if (getByPath(responseData, rule.properties.key) === rule.properties.value) {
				return { status: 'Error', message: rule.properties.message };
			}
		}
	}
	return { status: 'OK', message: 'Connection successful!' };
}

/** lodash `get` for the dotted keys of a `responseSuccessBody` rule. */
function getByPath(value: unknown, path: string): unknown {
	return path
		.split('.')
		.reduce<unknown>(
			(current, key) =>
				current !== null && typeof current === 'object' ? (current as IDataObject)[key] : undefined,
			value,
		);
}

/**
 * Calls `credentialType.preAuthentication` the way n8n-core's `httpRequestWithAuthentication` has
 * the credentials helper call it: `this.helpers.httpRequest` is the execution's real `httpRequest`,
 * limited to the credential's allowed domains (credentials-helper.js `restrictToCredentialDomains`),
 * and the credentials have the type's defaults applied. Nothing is persisted. Returns what
 * preAuthentication returns; throws what it throws.
 */
export async function runPreAuthentication(
	credentialType: ICredentialType,
	data: ICredentialDataDecryptedObject,
): Promise<IDataObject> {
	return (await preAuthenticate(credentialType, data)).output;
}

/**
 * A login as n8n-core's `httpRequestWithAuthentication` runs it: preAuthentication, its output (when
 * it holds the expirable `accessToken`, which n8n would persist) assigned to the same credentials
 * object, then the type's `authenticate` function on a request. Returns preAuthentication's output;
 * throws what either throws (a credential may return a refusal for n8n to store and report it from
 * `authenticate`).
 */
export async function runLogin(
	credentialType: ICredentialType,
	data: ICredentialDataDecryptedObject,
): Promise<IDataObject> {
	const { credentials, output } = await preAuthenticate(credentialType, data);
	if (output.accessToken !== undefined) Object.assign(credentials, output);
	if (typeof credentialType.authenticate === 'function') {
		await credentialType.authenticate(credentials, { url: '/services/data/v62.0/limits' });
	}
	return output;
}

async function preAuthenticate(
	credentialType: ICredentialType,
	data: ICredentialDataDecryptedObject,
): Promise<{ credentials: ICredentialDataDecryptedObject; output: IDataObject }> {
	ensureN8nCoreContainer();
	if (typeof credentialType.preAuthentication !== 'function') {
		throw new Error(`Credential type "${credentialType.name}" has no preAuthentication`);
	}

	const credentialsHelper = new HarnessCredentialsHelper(
		new HarnessCredentialTypes([credentialType]),
		new CredentialStore(),
	);
	const additionalData = createAdditionalData(credentialsHelper);
	const credentials = await credentialsHelper.applyDefaultsAndOverwrites(
		additionalData,
		data,
		credentialType.name,
		'internal',
	);

	// Any execution context's helpers would do; this one belongs to a node that does nothing.
	const nodeType: INodeType = {
		description: { ...noOpNodeDescription, name: NO_OP_NODE_TYPE_NAME },
	};
	const node: INode = {
		id: 'harness-pre-authentication',
		name: 'Pre-authentication',
		type: NO_OP_NODE_TYPE_NAME,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: createNodeTypes(new Map([[NO_OP_NODE_TYPE_NAME, nodeType]])),
	});
	const inputData: ITaskDataConnections = { main: [[{ json: {} }]] };
	const context = new ExecuteContext(
		workflow,
		node,
		additionalData,
		'internal',
		createEmptyRunExecutionData(),
		0,
		[],
		inputData,
		{ node, data: inputData, source: null },
		[],
	);

	const output = await credentialType.preAuthentication.call(
		restrictToCredentialDomains({ helpers: context.helpers }, credentials),
		credentials,
	);
	return { credentials, output };
}
