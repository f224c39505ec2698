/**
 * The three workflows the benchmark compares. All share one shape, so only the Salesforce step
 * differs:
 *
 *   Webhook (POST, answers when the last node is done) → Split Out body.items (N items) → <step>
 *
 * - package:  Salesforce Action (the credential) per item → SF_ACCESS_TOKEN
 * - baseline: what users build today (the product page's "webhook recipe"): HTTP Request POSTing the
 *             password-flow form to <org>/services/oauth2/token for EACH item, then Edit Fields to
 *             put access_token into SF_ACCESS_TOKEN
 * - noop:     No Operation in place of the step, for the cost of the workflow around it
 */
import { randomUUID } from 'node:crypto';

import { newId, type WorkflowToImport } from '../n8n/cli';
import { chain, salesforceActionNode, type NodeSpec } from '../n8n/workflow-builder';
import type { DemoCredentials } from '../salesforce-standin';

export type VariantKey = 'package' | 'baseline' | 'noop';

export interface Variant {
	key: VariantKey;
	label: string;
	workflowId: string;
	/** Production webhook path: POST <n8n>/webhook/<path>. */
	webhookPath: string;
	/** The nodes that stand for "the Salesforce step" (their runData executionTime is summed). */
	stepNodes: string[];
	/** The field the webhook's answer (the last node's first item) must carry, if any. */
	expectedField?: string;
	workflow: WorkflowToImport;
}

export interface WorkflowInputs {
	/** The stand-in's base URL. */
	orgUrl: string;
	demo: DemoCredentials;
	credential: { id: string; name: string };
}

const TRIGGER = 'Webhook';
const SPLIT = 'Split Out Items';
export const TOKEN_FIELD = 'SF_ACCESS_TOKEN';

/** Webhook → Split Out → steps (in a chain); the webhook answers with the last node's first item. */
function benchWorkflow(name: string, webhookPath: string, steps: NodeSpec[]): WorkflowToImport {
	const trigger: NodeSpec = {
		name: TRIGGER,
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		webhookId: randomUUID(),
		parameters: { httpMethod: 'POST', path: webhookPath, responseMode: 'lastNode', responseData: 'firstEntryJson', options: {} },
	};
	const split: NodeSpec = {
		name: SPLIT,
		type: 'n8n-nodes-base.splitOut',
		typeVersion: 1,
		parameters: { fieldToSplitOut: 'body.items', include: 'noOtherFields', options: {} },
	};
	return { ...chain(name, [trigger, split, ...steps]), id: newId() };
}

function packageVariant({ credential }: WorkflowInputs): Variant {
	const step = salesforceActionNode('Salesforce Action', credential, { access_token: TOKEN_FIELD });
	const workflow = benchWorkflow('Bench: Salesforce Action (package)', 'sfi-bench-package', [step]);
	return {
		key: 'package',
		label: 'Salesforce Action (this package)',
		workflowId: workflow.id as string,
		webhookPath: 'sfi-bench-package',
		stepNodes: [step.name],
		expectedField: TOKEN_FIELD,
		workflow,
	};
}

function baselineVariant({ orgUrl, demo }: WorkflowInputs): Variant {
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
			assignments: { assignments: [{ id: randomUUID(), name: TOKEN_FIELD, value: '={{ $json.access_token }}', type: 'string' }] },
			options: {},
		},
	};
	const workflow = benchWorkflow('Bench: HTTP Request login per item (baseline)', 'sfi-bench-baseline', [login, setToken]);
	return {
		key: 'baseline',
		label: 'HTTP Request login per item (baseline)',
		workflowId: workflow.id as string,
		webhookPath: 'sfi-bench-baseline',
		stepNodes: [login.name, setToken.name],
		expectedField: TOKEN_FIELD,
		workflow,
	};
}

function noopVariant(): Variant {
	const step: NodeSpec = { name: 'No Operation', type: 'n8n-nodes-base.noOp', typeVersion: 1, parameters: {} };
	const workflow = benchWorkflow('Bench: No Operation (reference)', 'sfi-bench-noop', [step]);
	return {
		key: 'noop',
		label: 'No Operation (reference)',
		workflowId: workflow.id as string,
		webhookPath: 'sfi-bench-noop',
		stepNodes: [step.name],
		workflow,
	};
}

/** In the order they run and are printed. */
export function benchVariants(inputs: WorkflowInputs): Variant[] {
	return [packageVariant(inputs), baselineVariant(inputs), noopVariant()];
}
