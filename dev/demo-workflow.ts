import type { CredentialToImport, WorkflowToImport } from './n8n/cli';

/** What n8n calls the package's types once it is installed as a community package. */
export const PACKAGE_NAME = 'n8n-nodes-salesforce-integration';
export const CREDENTIAL_TYPE = 'salesforceIntegrationApi';
export const SALESFORCE_ACTION_TYPE = `${PACKAGE_NAME}.salesforceAction`;
export const LEGACY_AUTH_TYPE = `${PACKAGE_NAME}.salesforceAuth`;
export const SALESFORCE_EVENT_TRIGGER_TYPE = `${PACKAGE_NAME}.salesforceEventTrigger`;

/** Fixed ids, so every `npm start` replaces the demo rather than adding another copy. */
export const DEMO_CREDENTIAL_ID = 'sfiDemoCredentl1';
export const DEMO_WORKFLOW_ID = 'sfiDemoWorkflow1';
export const DEMO_WORKFLOW_NAME = 'Salesforce demo: get a token and query Accounts';
export const DATA_WORKFLOW_ID = 'sfiDemoWorkflow2';
export const DATA_WORKFLOW_NAME =
	'Salesforce demo: query and read records — no token in the workflow';
export const MIGRATION_SAMPLE_ID = 'sfiDemoWorkflow3';
export const MIGRATION_SAMPLE_NAME = 'Salesforce demo: the deprecated node, to try the migration';
/** The data workflow's nodes, by name (the self-check and the screenshots look them up). */
export const FIND_ACCOUNTS_NODE = 'Find Accounts';
export const API_USAGE_NODE = 'Org API usage';
export const FIND_ACCOUNTS_QUERY = 'SELECT Id, Name, Industry FROM Account ORDER BY Name LIMIT 10';

export interface SalesforceLogin {
	authFlow: 'password' | 'clientCredentials';
	domain: string;
	consumerKey: string;
	consumerSecret: string;
	username?: string;
	password?: string;
	securityToken?: string;
}

export function salesforceCredential(
	name: string,
	login: SalesforceLogin,
	id?: string,
): CredentialToImport {
	return {
		id,
		name,
		type: CREDENTIAL_TYPE,
		data: {
			authFlow: login.authFlow,
			domain: login.domain,
			consumerKey: login.consumerKey,
			consumerSecret: login.consumerSecret,
			username: login.username ?? '',
			password: login.password ?? '',
			securityToken: login.securityToken ?? '',
			timeout: 10,
		},
	};
}

/**
 * Manual Trigger → Salesforce Action (get a token, mapped to SF_ACCESS_TOKEN and SF_INSTANCE_URL) →
 * HTTP Request using both: the smallest workflow that shows what the package is for.
 */
export function demoWorkflow(credential: { id: string; name: string }): WorkflowToImport {
	return {
		id: DEMO_WORKFLOW_ID,
		name: DEMO_WORKFLOW_NAME,
		nodes: [
			{
				id: 'a1f0c1d2-0000-4000-8000-000000000001',
				name: 'When clicking ‘Execute workflow’',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: 'a1f0c1d2-0000-4000-8000-000000000002',
				name: 'Salesforce Action',
				type: SALESFORCE_ACTION_TYPE,
				typeVersion: 1.1,
				position: [240, 0],
				parameters: {
					operation: 'getAccessToken',
					responseMapping: {
						mappings: [
							{ objectPath: 'access_token', field: 'SF_ACCESS_TOKEN' },
							{ objectPath: 'instance_url', field: 'SF_INSTANCE_URL' },
						],
					},
				},
				credentials: { [CREDENTIAL_TYPE]: { id: credential.id, name: credential.name } },
			},
			{
				id: 'a1f0c1d2-0000-4000-8000-000000000003',
				name: 'Query Accounts',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [480, 0],
				parameters: {
					url: '={{ $json.SF_INSTANCE_URL }}/services/data/v62.0/query?q=SELECT Id, Name FROM Account',
					sendHeaders: true,
					headerParameters: {
						parameters: [{ name: 'Authorization', value: '=Bearer {{ $json.SF_ACCESS_TOKEN }}' }],
					},
					options: {},
				},
			},
		],
		connections: {
			'When clicking ‘Execute workflow’': {
				main: [[{ node: 'Salesforce Action', type: 'main', index: 0 }]],
			},
			'Salesforce Action': { main: [[{ node: 'Query Accounts', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

/**
 * Manual Trigger → Salesforce Action Query → Run SOQL ("Find Accounts") → Salesforce Action API Request →
 * Send GET `limits` ("Org API usage", once, not per Account): the data operations, which use the
 * credential's session themselves, so no item holds a token. Read-only: `npm start` may import it into a
 * real org's n8n.
 */
export function dataWorkflow(credential: { id: string; name: string }): WorkflowToImport {
	const credentials = { [CREDENTIAL_TYPE]: { id: credential.id, name: credential.name } };
	return {
		id: DATA_WORKFLOW_ID,
		name: DATA_WORKFLOW_NAME,
		nodes: [
			{
				id: 'a1f0c1d2-0000-4000-8000-000000000011',
				name: 'When clicking ‘Execute workflow’',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: 'a1f0c1d2-0000-4000-8000-000000000012',
				name: FIND_ACCOUNTS_NODE,
				type: SALESFORCE_ACTION_TYPE,
				typeVersion: 1.1,
				position: [240, 0],
				parameters: {
					resource: 'query',
					operation: 'soql',
					query: FIND_ACCOUNTS_QUERY,
					options: {},
				},
				credentials,
			},
			{
				id: 'a1f0c1d2-0000-4000-8000-000000000013',
				name: API_USAGE_NODE,
				type: SALESFORCE_ACTION_TYPE,
				typeVersion: 1.1,
				position: [480, 0],
				// Once for the whole run, not once per Account found.
				executeOnce: true,
				parameters: { resource: 'apiRequest', operation: 'send', method: 'GET', path: 'limits' },
				credentials,
			},
		],
		connections: {
			'When clicking ‘Execute workflow’': {
				main: [[{ node: FIND_ACCOUNTS_NODE, type: 'main', index: 0 }]],
			},
			[FIND_ACCOUNTS_NODE]: { main: [[{ node: API_USAGE_NODE, type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

/**
 * Manual Trigger → the deprecated Salesforce Authentication node with the stand-in's login inline
 * (password and security token appended, as the old node took them) → a Code node reading the token:
 * what a saved workflow of the old node looks like, for trying the migration guide on the demo. Only
 * ever built for the local stand-in: a real org's secrets never go into a workflow.
 */
export function migrationSampleWorkflow(login: Required<SalesforceLogin>): WorkflowToImport {
	return {
		id: MIGRATION_SAMPLE_ID,
		name: MIGRATION_SAMPLE_NAME,
		nodes: [
			{
				id: 'a1f0c1d2-0000-4000-8000-000000000021',
				name: 'When clicking ‘Execute workflow’',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: 'a1f0c1d2-0000-4000-8000-000000000022',
				name: 'Salesforce Authentication',
				type: LEGACY_AUTH_TYPE,
				typeVersion: 1,
				position: [240, 0],
				parameters: {
					consumerKey: login.consumerKey,
					consumerSecret: login.consumerSecret,
					domain: login.domain,
					username: login.username,
					password: login.password + login.securityToken,
				},
			},
			{
				id: 'a1f0c1d2-0000-4000-8000-000000000023',
				name: 'Use the token',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [480, 0],
				parameters: {
					jsCode:
						"return $input.all().map((item) => ({ json: { gotAToken: typeof item.json.SF_ACCESS_TOKEN === 'string' } }));",
				},
			},
		],
		connections: {
			'When clicking ‘Execute workflow’': {
				main: [[{ node: 'Salesforce Authentication', type: 'main', index: 0 }]],
			},
			'Salesforce Authentication': { main: [[{ node: 'Use the token', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}
