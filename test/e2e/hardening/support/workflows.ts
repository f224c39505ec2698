/**
 * Building blocks for the hardening workflows: a production Webhook trigger that answers with the last
 * node's output, the Salesforce Action node, and HTTP Request nodes (plain, or with the package's
 * credential as n8n's "predefined credential type").
 */
import { randomUUID } from 'node:crypto';

import { CREDENTIAL_TYPE, SALESFORCE_ACTION_TYPE } from '../../support';
import type { NodeSpec } from '../../support/workflows';

export interface CredentialRef {
	id: string;
	name: string;
}

/** The REST resource the README points users at (cheap, read-only). */
export const LIMITS_PATH = '/services/data/v62.0/limits';

/**
 * Webhook (GET /webhook/<path>) answering with the first item of the last node, so the HTTP answer
 * arrives only once the whole workflow has run.
 */
export function webhookNode(path: string, name = 'Webhook'): NodeSpec {
	return {
		name,
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		webhookId: randomUUID(),
		parameters: { httpMethod: 'GET', path, responseMode: 'lastNode', responseData: 'firstEntryJson', options: {} },
	};
}

export { chain, manualTrigger, salesforceActionNode, type NodeSpec } from '../../support/workflows';

/**
 * HTTP Request authenticated by the package's credential: Authentication "Predefined Credential Type",
 * Credential Type "Salesforce Integration API". n8n adds the Bearer header itself, so no token is ever
 * mapped into an item.
 */
export function httpRequestWithCredentialNode(name: string, credential: CredentialRef, url: string): NodeSpec {
	return {
		name,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		parameters: {
			url,
			authentication: 'predefinedCredentialType',
			nodeCredentialType: CREDENTIAL_TYPE,
			options: {},
		},
		credentials: { [CREDENTIAL_TYPE]: { id: credential.id, name: credential.name } },
	};
}

/**
 * Salesforce Action, Resource "API Request" → Send GET `path` (default `limits`, relative to the API
 * version) with the credential. Unlike Get Access Token — which hands out a session this n8n process
 * saw Salesforce accept in the last minute without asking again — every run of it asks Salesforce,
 * so a dead session meets its 401 here and n8n-core logs in (through the credential) and retries.
 * Its output is the JSON Salesforce answered: no token in any item.
 */
export function salesforceApiRequestNode(name: string, credential: CredentialRef, path = 'limits'): NodeSpec {
	return {
		name,
		type: SALESFORCE_ACTION_TYPE,
		typeVersion: 1.1,
		parameters: { resource: 'apiRequest', operation: 'send', method: 'GET', path },
		credentials: { [CREDENTIAL_TYPE]: { id: credential.id, name: credential.name } },
	};
}

export function plainHttpRequestNode(name: string, url: string): NodeSpec {
	return { name, type: 'n8n-nodes-base.httpRequest', typeVersion: 4.2, parameters: { url, options: {} } };
}
