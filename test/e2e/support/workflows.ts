/**
 * Builds the workflows the end-to-end tests import into n8n: a Manual Trigger, a Code node that
 * produces fixed input items, Salesforce Action nodes with a response mapping, the legacy node with
 * its inline parameters — chained left to right in the order given.
 */
import { randomUUID } from 'node:crypto';

import type { ExecuteResult, WorkflowRun, WorkflowToImport } from '../../../dev/n8n/cli';
import { CREDENTIAL_TYPE, LEGACY_AUTH_TYPE, SALESFORCE_ACTION_TYPE } from '../../../dev/demo-workflow';

export interface WorkflowNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
}

/** A node before `chain()` places it. */
export type NodeSpec = Omit<WorkflowNode, 'id' | 'position'>;

/** The trigger `n8n execute` starts from. */
export function manualTrigger(name = 'Start'): NodeSpec {
	return { name, type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} };
}

/** A Code node that outputs exactly these items (it runs in n8n's JS task runner). */
export function codeNodeOutputting(name: string, items: Array<Record<string, unknown>>): NodeSpec {
	const json = JSON.stringify(items.map((item) => ({ json: item })));
	return { name, type: 'n8n-nodes-base.code', typeVersion: 2, parameters: { jsCode: `return ${json};` } };
}

/** Session value (`access_token`, `instance_url`, `org_id`, `user_id`, …) → output field name. */
export type ResponseMapping = Record<string, string>;

/** Salesforce Action, Get Access Token, using the given credential. */
export function salesforceActionNode(name: string, credential: { id: string; name: string }, mapping: ResponseMapping): NodeSpec {
	return {
		name,
		type: SALESFORCE_ACTION_TYPE,
		typeVersion: 1,
		parameters: {
			operation: 'getAccessToken',
			responseMapping: {
				mappings: Object.entries(mapping).map(([objectPath, field]) => ({ objectPath, field })),
			},
		},
		credentials: { [CREDENTIAL_TYPE]: { id: credential.id, name: credential.name } },
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

/** A workflow whose nodes run one after the other, in the order given; the first must be the trigger. */
export function chain(name: string, specs: NodeSpec[]): WorkflowToImport {
	const nodes: WorkflowNode[] = specs.map((spec, index) => ({ ...spec, id: randomUUID(), position: [index * 240, 0] }));
	const connections: Record<string, unknown> = {};
	for (let index = 0; index < nodes.length - 1; index++) {
		connections[nodes[index].name] = { main: [[{ node: nodes[index + 1].name, type: 'main', index: 0 }]] };
	}
	return { name, nodes, connections, settings: { executionOrder: 'v1' } };
}

/** The items a node output in its first run, with their `pairedItem` (which input item each came from). */
export function nodeOutput(run: WorkflowRun, nodeName: string): Array<{ json: Record<string, unknown>; pairedItem?: unknown }> {
	const items = run.data.resultData.runData[nodeName]?.[0]?.data?.main?.[0] ?? [];
	return items as Array<{ json: Record<string, unknown>; pairedItem?: unknown }>;
}

/** The run of a successful `execute`; otherwise throws with n8n's error and the end of its output. */
export function succeededRun(result: ExecuteResult): WorkflowRun {
	if (result.ok && result.data) return result.data;
	const output = `${result.logLines.map((line) => line.message).join('\n') || result.stdout}\n${result.stderr}`;
	throw new Error(
		`n8n execute failed (exit ${result.exitCode}): ${result.errorMessage ?? 'no run data'}\n${output.split('\n').slice(-25).join('\n')}`,
	);
}
