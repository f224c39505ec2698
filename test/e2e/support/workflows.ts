/**
 * Builds the workflows the end-to-end tests import into n8n: a Manual Trigger, a Code node that
 * produces fixed input items, Salesforce Action nodes with a response mapping, the legacy node with
 * its inline parameters — chained left to right in the order given.
 */
import type { ExecuteResult, WorkflowRun } from '../../../dev/n8n/cli';
import type { NodeSpec } from '../../../dev/n8n/workflow-builder';
import { LEGACY_AUTH_TYPE } from '../../../dev/demo-workflow';

export { chain, manualTrigger, salesforceActionNode, type NodeSpec, type ResponseMapping, type WorkflowNode } from '../../../dev/n8n/workflow-builder';

/** A Code node that outputs exactly these items (it runs in n8n's JS task runner). */
export function codeNodeOutputting(name: string, items: Array<Record<string, unknown>>): NodeSpec {
	const json = JSON.stringify(items.map((item) => ({ json: item })));
	return { name, type: 'n8n-nodes-base.code', typeVersion: 2, parameters: { jsCode: `return ${json};` } };
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

/** The items a node output in its first run, with their `pairedItem` (which input item each came from). */
export function nodeOutput(run: WorkflowRun, nodeName: string): Array<{ json: Record<string, unknown>; pairedItem?: unknown }> {
	const items = run.data.resultData.runData[nodeName]?.[0]?.data?.main?.[0] ?? [];
	return items as Array<{ json: Record<string, unknown>; pairedItem?: unknown }>;
}

/**
 * The run of a successful `execute`; otherwise throws saying why it was judged failed (signal or
 * timeout or exit code, what was printed) with the end of n8n's output, secrets redacted.
 */
export function succeededRun(result: ExecuteResult): WorkflowRun {
	if (result.ok && result.data) return result.data;
	throw new Error(result.failure ?? `n8n execute failed: ${result.errorMessage ?? 'no run was printed'} (exit code ${result.exitCode}, signal ${result.signal})`);
}
