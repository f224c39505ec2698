/**
 * Small builders for the workflows the e2e tests, the benchmark and the screenshots import into n8n:
 * nodes described without ids or positions, chained left to right in the order given.
 */
import { randomUUID } from 'node:crypto';

import {
	CREDENTIAL_TYPE,
	SALESFORCE_ACTION_TYPE,
	SALESFORCE_EVENT_TRIGGER_TYPE,
} from '../demo-workflow';
import type { WorkflowToImport } from './cli';

export interface WorkflowNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	/** Webhook nodes: n8n registers the production URL under it. */
	webhookId?: string;
}

/** A node before `chain()` places it. */
export type NodeSpec = Omit<WorkflowNode, 'id' | 'position'>;

/** A workflow whose nodes run one after the other, in the order given; the first must be the trigger. */
export function chain(name: string, specs: NodeSpec[]): WorkflowToImport {
	const nodes: WorkflowNode[] = specs.map((spec, index) => ({
		...spec,
		id: randomUUID(),
		position: [index * 240, 0],
	}));
	const connections: Record<string, unknown> = {};
	for (let index = 0; index < nodes.length - 1; index++) {
		connections[nodes[index].name] = {
			main: [[{ node: nodes[index + 1].name, type: 'main', index: 0 }]],
		};
	}
	return { name, nodes, connections, settings: { executionOrder: 'v1' } };
}

/**
 * Webhook (`<method> /webhook/<path>`) answering with the first item of the last node, so the HTTP
 * answer arrives only once the whole workflow has run.
 */
export function webhookNode(
	path: string,
	name = 'Webhook',
	httpMethod: 'GET' | 'POST' = 'GET',
): NodeSpec {
	return {
		name,
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		webhookId: randomUUID(),
		parameters: {
			httpMethod,
			path,
			responseMode: 'lastNode',
			responseData: 'firstEntryJson',
			options: {},
		},
	};
}

/** The trigger `n8n execute` starts from. */
export function manualTrigger(name = 'Start'): NodeSpec {
	return { name, type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} };
}

/** Session value (`access_token`, `instance_url`, `org_id`, `user_id`, …) → output field name. */
export type ResponseMapping = Record<string, string>;

/**
 * Salesforce Action, Get Access Token, using the given credential. Version 1 by default: what
 * workflows saved before 1.1 hold, and must keep running as they are.
 */
export function salesforceActionNode(
	name: string,
	credential: { id: string; name: string },
	mapping: ResponseMapping,
	typeVersion = 1,
): NodeSpec {
	return {
		name,
		type: SALESFORCE_ACTION_TYPE,
		typeVersion,
		parameters: {
			operation: 'getAccessToken',
			responseMapping: {
				mappings: Object.entries(mapping).map(([objectPath, field]) => ({ objectPath, field })),
			},
		},
		credentials: { [CREDENTIAL_TYPE]: { id: credential.id, name: credential.name } },
	};
}

/** Salesforce Event Trigger with these parameters (source, sobject, eventName, channel, replayFrom, options) and the credential. */
export function salesforceEventTriggerNode(
	name: string,
	credential: { id: string; name: string },
	parameters: Record<string, unknown>,
): NodeSpec {
	return {
		name,
		type: SALESFORCE_EVENT_TRIGGER_TYPE,
		typeVersion: 1,
		parameters,
		credentials: { [CREDENTIAL_TYPE]: { id: credential.id, name: credential.name } },
	};
}
