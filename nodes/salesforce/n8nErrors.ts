/**
 * Turns any failure into the error n8n shows: NodeApiError carrying the core's message (what is
 * wrong) and description (what to do). n8n-core wraps errors thrown by preAuthentication in its own
 * NodeApiError, so the SalesforceAuthError may sit anywhere in the `cause` chain.
 */
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { INode, JsonObject } from 'n8n-workflow';
import { SalesforceAuthError } from './errors';

export function findSalesforceAuthError(error: unknown): SalesforceAuthError | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 8 && current && typeof current === 'object'; depth++) {
		if (current instanceof SalesforceAuthError) return current;
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

export function toNodeError(node: INode, error: unknown): NodeApiError | NodeOperationError {
	const authError = findSalesforceAuthError(error);
	if (authError) {
		return new NodeApiError(node, authError as unknown as JsonObject, {
			message: authError.message,
			description: authError.description,
		});
	}
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(node, error instanceof Error ? error : String(error));
}
