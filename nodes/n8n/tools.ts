/**
 * What the nodes refuse to do when an AI agent runs them as a tool: a tool's output goes to a
 * language model (and often its provider's logs), so a session token must never be one.
 */
import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions } from 'n8n-workflow';

/** True when an AI agent runs the node as a tool (n8n 2.x says so; older n8n names the node type …Tool). */
export function runsAsAiTool(context: IExecuteFunctions): boolean {
	const asked = (context as { isToolExecution?: () => boolean }).isToolExecution;
	if (typeof asked === 'function' && asked.call(context)) return true;
	return /Tool$/.test(context.getNode().type);
}

export function refuseTokenToAiTool(context: IExecuteFunctions, alternative: string): void {
	if (!runsAsAiTool(context)) return;
	throw new NodeOperationError(
		context.getNode(),
		'An AI agent may not receive a Salesforce access token',
		{
			description: `A tool's output is sent to the language model, and a token there is a live key to the org. ${alternative}`,
		},
	);
}
