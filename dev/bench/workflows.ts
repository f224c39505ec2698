/**
 * The workflows the benchmark compares. All share one shape, so only the step differs:
 *
 *   Webhook (POST, answers when the last node is done) → Split Out body.items (N items) → <step>
 *
 * Session scenarios (a–c), the token for every item:
 * - package:  Salesforce Action, Session → Get Access Token → SF_ACCESS_TOKEN
 * - baseline: what users build today (the product page's "webhook recipe"): HTTP Request POSTing the
 *             password-flow form to <org>/services/oauth2/token for EACH item, then Edit Fields to
 *             put access_token into SF_ACCESS_TOKEN
 * - noop:     No Operation in place of the step, for the cost of the workflow around it
 *
 * Create scenario (d), one record per input item:
 * - package:  Salesforce Action, Record → Create (sObject Collections, 200 records a request)
 * - builtin:  n8n's own Salesforce node, Account → Create (one request per item), through a
 *             `salesforceOAuth2Api` credential holding a stand-in session
 * - http:     HTTP Request POST sobjects/Account per item, authenticated by this package's credential
 *
 * Query scenario (e), every record of an object:
 * - package:  Salesforce Action, Query → Run SOQL, Return All
 * - builtin:  n8n's Salesforce node, Contact → Get Many, Return All
 * - http:     HTTP Request GET query?q=… (this package's credential): one page, no paging loop
 */
import { randomUUID } from 'node:crypto';

import { CREDENTIAL_TYPE, SALESFORCE_ACTION_TYPE } from '../demo-workflow';
import { newId, type WorkflowToImport } from '../n8n/cli';
import { chain, salesforceActionNode, webhookNode, type NodeSpec } from '../n8n/workflow-builder';
import type { DemoCredentials } from '../salesforce-standin';

export type VariantKey = 'package' | 'baseline' | 'noop' | 'builtin' | 'http';

export interface Variant {
	key: VariantKey;
	label: string;
	workflowId: string;
	/** Production webhook path: POST <n8n>/webhook/<path>. */
	webhookPath: string;
	/** The nodes that stand for "the Salesforce step" (their runData executionTime is summed). */
	stepNodes: string[];
	/** What is wrong with the webhook's answer (the last node's first item), if anything. */
	checkAnswer?: (firstItem: Record<string, unknown>) => string | undefined;
	workflow: WorkflowToImport;
}

export interface CredentialRef {
	id: string;
	name: string;
}

export const TOKEN_FIELD = 'SF_ACCESS_TOKEN';
/** The REST API version the package uses (n8n's own Salesforce node uses v59.0). */
export const API_VERSION = 'v62.0';
/** Salesforce's type of the node's credential in n8n's built-in Salesforce node. */
export const BUILTIN_CREDENTIAL_TYPE = 'salesforceOAuth2Api';

const TRIGGER = 'Webhook';
const SPLIT = 'Split Out Items';

/** Webhook → Split Out → steps (in a chain); the webhook answers with the last node's first item. */
function benchWorkflow(name: string, webhookPath: string, steps: NodeSpec[]): WorkflowToImport {
	const trigger = webhookNode(webhookPath, TRIGGER, 'POST');
	const split: NodeSpec = {
		name: SPLIT,
		type: 'n8n-nodes-base.splitOut',
		typeVersion: 1,
		parameters: { fieldToSplitOut: 'body.items', include: 'noOtherFields', options: {} },
	};
	return { ...chain(name, [trigger, split, ...steps]), id: newId() };
}

function variant(
	key: VariantKey,
	label: string,
	webhookPath: string,
	steps: NodeSpec[],
	extra: Partial<Variant> = {},
): Variant {
	const workflow = benchWorkflow(`Bench: ${label}`, webhookPath, steps);
	return {
		key,
		label,
		workflowId: workflow.id as string,
		webhookPath,
		stepNodes: steps.map((step) => step.name),
		workflow,
		...extra,
	};
}

function hasString(field: string): (item: Record<string, unknown>) => string | undefined {
	return (item) =>
		typeof item[field] === 'string' && item[field] !== ''
			? undefined
			: `the first item has no ${field}`;
}

const packageCredential = (credential: CredentialRef) => ({
	[CREDENTIAL_TYPE]: { id: credential.id, name: credential.name },
});

// ── (a)–(c) the token for every item ───────────────────────────────────────────────────────────────

export interface SessionInputs {
	/** Names the workflows apart (every session scenario gets its own package credential). */
	scenarioKey: string;
	orgUrl: string;
	demo: DemoCredentials;
	credential: CredentialRef;
}

/** Salesforce Action (its own credential per scenario), the login-per-item baseline, No Operation. */
export function sessionVariants({
	scenarioKey,
	orgUrl,
	demo,
	credential,
}: SessionInputs): Variant[] {
	const step = salesforceActionNode('Salesforce Action', credential, { access_token: TOKEN_FIELD });
	const login: NodeSpec = {
		name: 'Salesforce Login (HTTP Request)',
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		parameters: {
			method: 'POST',
			url: `${orgUrl}/services/oauth2/token`,
			sendBody: true,
			contentType: 'form-urlencoded',
			bodyParameters: {
				parameters: [
					{ name: 'grant_type', value: 'password' },
					{ name: 'client_id', value: demo.consumerKey },
					{ name: 'client_secret', value: demo.consumerSecret },
					{ name: 'username', value: demo.username },
					// Salesforce wants the security token appended when the caller's IP is not trusted.
					{ name: 'password', value: demo.password + demo.securityToken },
				],
			},
			options: {},
		},
	};
	const setToken: NodeSpec = {
		name: 'Set SF_ACCESS_TOKEN',
		type: 'n8n-nodes-base.set',
		typeVersion: 3.4,
		parameters: {
			assignments: {
				assignments: [
					{
						id: randomUUID(),
						name: TOKEN_FIELD,
						value: '={{ $json.access_token }}',
						type: 'string',
					},
				],
			},
			options: {},
		},
	};
	const noop: NodeSpec = {
		name: 'No Operation',
		type: 'n8n-nodes-base.noOp',
		typeVersion: 1,
		parameters: {},
	};
	return [
		variant(
			'package',
			'Salesforce Action, Get Access Token',
			`sfi-bench-${scenarioKey}-package`,
			[step],
			{ checkAnswer: hasString(TOKEN_FIELD) },
		),
		variant(
			'baseline',
			'HTTP Request login per item (baseline)',
			`sfi-bench-${scenarioKey}-baseline`,
			[login, setToken],
			{
				checkAnswer: hasString(TOKEN_FIELD),
			},
		),
		variant('noop', 'No Operation (reference)', `sfi-bench-${scenarioKey}-noop`, [noop]),
	];
}

// ── (d) create a record per item ───────────────────────────────────────────────────────────────────

export interface DataInputs {
	orgUrl: string;
	/** This package's credential for Salesforce Action (one per scenario). */
	packageCredential: CredentialRef;
	/** This package's credential for the HTTP Request variant (one per scenario). */
	httpCredential: CredentialRef;
	/** A `salesforceOAuth2Api` credential holding a stand-in session, for n8n's own Salesforce node. */
	builtinCredential: CredentialRef;
	/** The node version of Salesforce Action to use (the newest the installed package offers). */
	packageTypeVersion: number;
}

/** The sObject the create scenario writes; only Name is required. */
export const CREATE_SOBJECT = 'Account';

function builtinSalesforceNode(
	name: string,
	credential: CredentialRef,
	parameters: Record<string, unknown>,
): NodeSpec {
	return {
		name,
		type: 'n8n-nodes-base.salesforce',
		typeVersion: 1.1,
		parameters: { authentication: 'oAuth2', ...parameters },
		credentials: { [BUILTIN_CREDENTIAL_TYPE]: { id: credential.id, name: credential.name } },
	};
}

function httpWithPackageCredential(
	name: string,
	credential: CredentialRef,
	parameters: Record<string, unknown>,
): NodeSpec {
	return {
		name,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		parameters: {
			authentication: 'predefinedCredentialType',
			nodeCredentialType: CREDENTIAL_TYPE,
			...parameters,
			options: {},
		},
		credentials: packageCredential(credential),
	};
}

/** Input items are `{ Name }`; every variant writes one Account per item. */
export function createVariants(inputs: DataInputs): Variant[] {
	const action: NodeSpec = {
		name: 'Salesforce Action',
		type: SALESFORCE_ACTION_TYPE,
		typeVersion: inputs.packageTypeVersion,
		parameters: {
			resource: 'record',
			operation: 'create',
			sobject: { __rl: true, mode: 'name', value: CREATE_SOBJECT },
			columns: {
				mappingMode: 'defineBelow',
				value: { Name: '={{ $json.Name }}' },
				matchingColumns: [],
				schema: [
					{
						id: 'Name',
						displayName: 'Name',
						required: true,
						defaultMatch: false,
						display: true,
						type: 'string',
						canBeUsedToMatch: false,
					},
				],
				attemptToConvertTypes: false,
				convertFieldsToString: false,
			},
			options: {},
		},
		credentials: packageCredential(inputs.packageCredential),
	};
	const builtin = builtinSalesforceNode('Salesforce (n8n)', inputs.builtinCredential, {
		resource: 'account',
		operation: 'create',
		name: '={{ $json.Name }}',
		additionalFields: {},
	});
	const http = httpWithPackageCredential('Create Account (HTTP Request)', inputs.httpCredential, {
		method: 'POST',
		url: `${inputs.orgUrl}/services/data/${API_VERSION}/sobjects/${CREATE_SOBJECT}`,
		sendBody: true,
		contentType: 'json',
		specifyBody: 'keypair',
		bodyParameters: { parameters: [{ name: 'Name', value: '={{ $json.Name }}' }] },
	});
	return [
		variant('package', 'Salesforce Action, Record → Create', 'sfi-bench-d-package', [action], {
			checkAnswer: hasString('id'),
		}),
		variant(
			'builtin',
			'n8n Salesforce node, Account → Create (baseline)',
			'sfi-bench-d-builtin',
			[builtin],
			{ checkAnswer: hasString('id') },
		),
		variant('http', 'HTTP Request POST per item', 'sfi-bench-d-http', [http], {
			checkAnswer: hasString('id'),
		}),
	];
}

// ── (e) read every record of an object ─────────────────────────────────────────────────────────────

/** The sObject the query scenario reads (seeded through the stand-in's test hooks). */
export const QUERY_SOBJECT = 'Contact';
export const QUERY_SOQL = `SELECT Id, LastName FROM ${QUERY_SOBJECT}`;

/** One input item; the step reads every record. */
export function queryVariants(inputs: DataInputs): Variant[] {
	const action: NodeSpec = {
		name: 'Salesforce Action',
		type: SALESFORCE_ACTION_TYPE,
		typeVersion: inputs.packageTypeVersion,
		parameters: {
			resource: 'query',
			operation: 'soql',
			query: QUERY_SOQL,
			returnAll: true,
			options: {},
		},
		credentials: packageCredential(inputs.packageCredential),
	};
	const builtin = builtinSalesforceNode('Salesforce (n8n)', inputs.builtinCredential, {
		resource: 'contact',
		operation: 'getAll',
		returnAll: true,
		options: { fields: 'Id,LastName' },
	});
	const http = httpWithPackageCredential('Query (HTTP Request)', inputs.httpCredential, {
		method: 'GET',
		url: `${inputs.orgUrl}/services/data/${API_VERSION}/query`,
		sendQuery: true,
		specifyQuery: 'keypair',
		queryParameters: { parameters: [{ name: 'q', value: QUERY_SOQL }] },
	});
	return [
		variant(
			'package',
			'Salesforce Action, Query → Run SOQL, Return All',
			'sfi-bench-e-package',
			[action],
			{ checkAnswer: hasString('Id') },
		),
		variant(
			'builtin',
			'n8n Salesforce node, Contact → Get Many, Return All (baseline)',
			'sfi-bench-e-builtin',
			[builtin],
			{
				checkAnswer: (item) =>
					typeof item.Id === 'string' || typeof item.id === 'string'
						? undefined
						: 'the first item has no Id',
			},
		),
		variant('http', 'HTTP Request GET query (one page)', 'sfi-bench-e-http', [http], {
			checkAnswer: (item) =>
				Array.isArray(item.records) ? undefined : 'the answer has no records',
		}),
	];
}
