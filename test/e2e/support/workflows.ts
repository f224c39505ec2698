/**
 * Builds the workflows the end-to-end tests put into n8n: triggers (Manual for `n8n execute`, a
 * production Webhook for a running n8n), a Code node that produces fixed input items, Salesforce
 * Action nodes (Get Access Token with a response mapping, API Request), HTTP Request nodes (plain, with
 * the package's credential, or posting each item to the sink), the legacy node with its inline
 * parameters — chained left to right in the order given.
 */

import type { ExecuteResult, WorkflowRun } from '../../../dev/n8n/cli';
import type { NodeSpec } from '../../../dev/n8n/workflow-builder';
import {
	CREDENTIAL_TYPE,
	LEGACY_AUTH_TYPE,
	SALESFORCE_ACTION_TYPE,
	salesforceCredential,
} from '../../../dev/demo-workflow';
import type { SalesforceStandin } from '../../../dev/salesforce-standin';

export {
	chain,
	manualTrigger,
	salesforceActionNode,
	salesforceEventTriggerNode,
	webhookNode,
	type NodeSpec,
	type ResponseMapping,
	type WorkflowNode,
} from '../../../dev/n8n/workflow-builder';

/** A credential as workflows refer to it. */
export interface CredentialRef {
	id: string;
	name: string;
}

/**
 * The credential's data for the stand-in's demo org (Username-Password flow), as a user fills in the
 * form, with `changes` on top. Built without loading the package's code, which an n8n test never needs.
 */
export function loginDataFor(
	standin: SalesforceStandin,
	changes: Record<string, unknown> = {},
): Record<string, unknown> {
	return {
		...salesforceCredential('', { authFlow: 'password', domain: standin.url, ...standin.demo })
			.data,
		...changes,
	};
}

/** The REST resource the README points users at (cheap, read-only). */
export const LIMITS_PATH = '/services/data/v62.0/limits';

/** A Code node that outputs exactly these items (it runs in n8n's JS task runner). */
export function codeNodeOutputting(name: string, items: Array<Record<string, unknown>>): NodeSpec {
	const json = JSON.stringify(items.map((item) => ({ json: item })));
	return {
		name,
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		parameters: { jsCode: `return ${json};` },
	};
}

/** The parameters a workflow saved with the deprecated Salesforce Authentication node carries inline. */
export interface LegacyAuthParameters {
	consumerKey: string;
	consumerSecret: string;
	domain: string;
	username: string;
	/** With the security token appended, as the old node expected. */
	password: string;
	outputField: string;
}

export function legacyAuthNode(name: string, parameters: LegacyAuthParameters): NodeSpec {
	return { name, type: LEGACY_AUTH_TYPE, typeVersion: 1, parameters: { ...parameters } };
}

/**
 * HTTP Request authenticated by the package's credential: Authentication "Predefined Credential Type",
 * Credential Type "Salesforce Integration API". n8n adds the Bearer header itself, so no token is ever
 * mapped into an item.
 */
export function httpRequestWithCredentialNode(
	name: string,
	credential: CredentialRef,
	url: string,
): NodeSpec {
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
export function salesforceApiRequestNode(
	name: string,
	credential: CredentialRef,
	path = 'limits',
): NodeSpec {
	return {
		name,
		type: SALESFORCE_ACTION_TYPE,
		typeVersion: 1.1,
		parameters: { resource: 'apiRequest', operation: 'send', method: 'GET', path },
		credentials: { [CREDENTIAL_TYPE]: { id: credential.id, name: credential.name } },
	};
}

/** HTTP Request GET `url`, nothing else. */
export function plainHttpRequestNode(name: string, url: string): NodeSpec {
	return {
		name,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		parameters: { url, options: {} },
	};
}

/** HTTP Request that POSTs each input item's JSON to `url` (a sink channel): the test sees every item as it is emitted. */
export function sinkNode(name: string, url: string): NodeSpec {
	return {
		name,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		parameters: {
			method: 'POST',
			url,
			sendBody: true,
			specifyBody: 'json',
			jsonBody: '={{ JSON.stringify($json) }}',
			options: {},
		},
	};
}

/** The items a node output in its first run, with their `pairedItem` (which input item each came from). */
export function nodeOutput(
	run: WorkflowRun,
	nodeName: string,
): Array<{ json: Record<string, unknown>; pairedItem?: unknown }> {
	const items = run.data.resultData.runData[nodeName]?.[0]?.data?.main?.[0] ?? [];
	return items as Array<{ json: Record<string, unknown>; pairedItem?: unknown }>;
}

/**
 * The run of a successful `execute`; otherwise throws saying why it was judged failed (signal or
 * timeout or exit code, what was printed) with the end of n8n's output, secrets redacted.
 */
export function succeededRun(result: ExecuteResult): WorkflowRun {
	if (result.ok && result.data) return result.data;
	throw new Error(
		result.failure ??
			`n8n execute failed: ${result.errorMessage ?? 'no run was printed'} (exit code ${result.exitCode}, signal ${result.signal})`,
	);
}
