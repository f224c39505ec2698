/**
 * Building blocks for the end-to-end tests of the Salesforce Action node's data operations (Query,
 * Record, API Request) in a real n8n: nodes with their parameters stored as the editor stores them,
 * the REST requests the stand-in received, and the token scan of saved executions.
 */
import { randomUUID } from 'node:crypto';

import type { RecordedRequest, SalesforceStandin } from '../../../../dev/salesforce-standin';
import { SalesforceAction } from '../../../../nodes/SalesforceAction/SalesforceAction.node';
import {
	CREDENTIAL_TYPE,
	SALESFORCE_ACTION_TYPE,
	type ExecuteResult,
	type N8nInstance,
	type WorkflowToImport,
} from '../../support';
import type { CredentialRef, NodeSpec } from '../../support/workflows';
import {
	findLeaks,
	tokenInsideLongerStrings,
	tokenPlacesOutsideMappedFields,
	type Needle,
} from '../../support/secret-scan';

export { bearerOf, TokenLedger } from '../../support/secret-scan';
export { codeNodeOutputting as itemsNode, type CredentialRef } from '../../support/workflows';

/** The version a node dragged onto the canvas today gets: what new workflows store. */
export function currentActionVersion(): number {
	const { version, defaultVersion } = new SalesforceAction().description;
	if (defaultVersion !== undefined) return defaultVersion;
	return Array.isArray(version) ? Math.max(...version) : version;
}

export interface ActionNodeOptions {
	/** n8n's node setting "On Error": 'continueRegularOutput' is continue-on-fail. */
	onError?: 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';
	typeVersion?: number;
}

/** Salesforce Action with these parameters (resource, operation, …) and the credential. */
export function actionNode(
	name: string,
	credential: CredentialRef,
	parameters: Record<string, unknown>,
	options: ActionNodeOptions = {},
): NodeSpec {
	return {
		name,
		type: SALESFORCE_ACTION_TYPE,
		typeVersion: options.typeVersion ?? currentActionVersion(),
		parameters,
		credentials: { [CREDENTIAL_TYPE]: { id: credential.id, name: credential.name } },
		...(options.onError ? { onError: options.onError } : {}),
	} as NodeSpec;
}

/** The `sobject` resource locator, as the editor stores it: typed by API name, or picked from the list. */
export function sobject(apiName: string, mode: 'name' | 'list' = 'name'): Record<string, unknown> {
	return mode === 'list'
		? { __rl: true, mode: 'list', value: apiName, cachedResultName: apiName }
		: { __rl: true, mode: 'name', value: apiName };
}

/** The `columns` resource mapper, mapping each input item's fields automatically. */
export function autoMappedColumns(fields: string[]): Record<string, unknown> {
	return {
		mappingMode: 'autoMapInputData',
		value: {},
		matchingColumns: [],
		schema: fields.map((id) => schemaField(id)),
		attemptToConvertTypes: false,
		convertFieldsToString: false,
	};
}

/** The `columns` resource mapper with the fields defined below (values may be expressions). */
export function definedColumns(values: Record<string, string>): Record<string, unknown> {
	return {
		mappingMode: 'defineBelow',
		value: values,
		matchingColumns: [],
		schema: Object.keys(values).map((id) => schemaField(id)),
		attemptToConvertTypes: false,
		convertFieldsToString: false,
	};
}

function schemaField(id: string): Record<string, unknown> {
	return {
		id,
		displayName: id,
		required: false,
		defaultMatch: false,
		display: true,
		type: 'string',
		canBeUsedToMatch: false,
	};
}

/** A Code node that builds its items itself (`body` returns an array of plain objects). */
export function generatedItemsNode(name: string, body: string): NodeSpec {
	return {
		name,
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		parameters: { jsCode: `return (() => { ${body} })().map((json) => ({ json }));` },
	};
}

/** Requests to the REST API (`/services/data/…`, `/services/apexrest/…`), i.e. not OAuth's endpoints. */
export function restRequests(standin: SalesforceStandin): RecordedRequest[] {
	return standin.requests.filter(
		(request) =>
			request.path.startsWith('/services/') && !request.path.startsWith('/services/oauth2/'),
	);
}

/** Only the queries (`query`, `queryAll` and their next pages). */
export function queryRequests(standin: SalesforceStandin): RecordedRequest[] {
	return restRequests(standin).filter((request) =>
		/^\/services\/data\/v[\d.]+\/query(All)?(\/|$)/.test(request.path),
	);
}

export function headerOf(request: RecordedRequest, name: string): string | undefined {
	const value = request.headers[name.toLowerCase()];
	return Array.isArray(value) ? value.join(', ') : value;
}

/** The JSON body a request carried (undefined when it had none). */
export function jsonBody(request: RecordedRequest): unknown {
	return request.rawBody === '' ? undefined : (JSON.parse(request.rawBody) as unknown);
}

/** The run's error (message and description) as one text, '' when it succeeded. */
export function runError(result: ExecuteResult): string {
	const error = result.data?.data.resultData.error;
	return [error?.message, error?.description].filter(Boolean).join('\n');
}

/** Every key anywhere in a JSON value, to prove none is `attributes`. */
export function allKeys(value: unknown): string[] {
	if (Array.isArray(value)) return value.flatMap(allKeys);
	if (typeof value !== 'object' || value === null) return [];
	return Object.entries(value).flatMap(([key, child]) => [key, ...allKeys(child)]);
}

/**
 * Places a token appears in these saved executions: anywhere at all (no data operation maps one), in
 * any spelling, in the run data and in the workflow snapshot.
 */
export async function tokensInExecutions(
	n8n: N8nInstance,
	workflowIds: string[],
	tokens: Needle[],
): Promise<{ leaks: string[]; scanned: number; rawData: string[] }> {
	const leaks: string[] = [];
	const rawData: string[] = [];
	const summaries = (await n8n.listExecutions()).filter((summary) =>
		workflowIds.includes(summary.workflowId),
	);
	for (const summary of summaries) {
		const execution = await n8n.readExecution(summary.id);
		const label = `execution ${execution.id} (workflow ${execution.workflowId}, ${execution.status})`;
		rawData.push(execution.rawData);
		leaks.push(
			...findLeaks(
				[
					{ label, text: execution.rawData },
					{
						label: `${label} workflow snapshot`,
						text: JSON.stringify(execution.workflowData ?? null),
					},
				],
				tokens,
			),
		);
		leaks.push(
			...tokenPlacesOutsideMappedFields(execution.data, tokens, []).map(
				(place) => `${place} in ${label}`,
			),
		);
		leaks.push(
			...tokenInsideLongerStrings(execution.rawData, tokens).map((place) => `${place} in ${label}`),
		);
	}
	return { leaks: [...new Set(leaks)], scanned: summaries.length, rawData };
}

/**
 * A workflow whose trigger starts several independent branches (each a chain of nodes), run in the
 * order given (n8n's execution order v1 runs one branch to its end before the next).
 */
export function branches(name: string, trigger: NodeSpec, chains: NodeSpec[][]): WorkflowToImport {
	const nodes = [trigger, ...chains.flat()].map((spec, index) => ({
		...spec,
		id: randomUUID(),
		position: [index * 240, 0],
	}));
	const connections: Record<
		string,
		{ main: Array<Array<{ node: string; type: string; index: number }>> }
	> = {};
	const link = (from: string, to: string) => {
		connections[from] ??= { main: [[]] };
		connections[from].main[0].push({ node: to, type: 'main', index: 0 });
	};
	for (const nodeChain of chains) {
		link(trigger.name, nodeChain[0].name);
		for (let step = 1; step < nodeChain.length; step++)
			link(nodeChain[step - 1].name, nodeChain[step].name);
	}
	return { name, nodes, connections, settings: { executionOrder: 'v1' } };
}

/** SOQL string-literal escaping as the fact sheet (§2) gives it: what a literal must look like on the wire. */
export function soqlLiteral(value: string): string {
	const escapes: Record<string, string> = {
		'\\': '\\\\',
		"'": "\\'",
		'"': '\\"',
		'\n': '\\n',
		'\r': '\\r',
		'\t': '\\t',
		'\b': '\\b',
		'\f': '\\f',
	};
	return `'${[...value].map((char) => escapes[char] ?? char).join('')}'`;
}
