/**
 * REST failures as n8n shows them: NodeApiError for Salesforce's answers (its message, fix and HTTP
 * code), NodeOperationError for refused input, and never the request.
 */
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { INode } from 'n8n-workflow';
import { toNodeError } from '../../../nodes/n8n';
import { explainRestError, invalidParameter } from '../../../nodes/salesforce';

const node: INode = {
	id: '1',
	name: 'Salesforce',
	type: 'n8n-nodes-salesforce-integration.salesforceAction',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

describe('toNodeError for REST failures', () => {
	it('an answer from Salesforce: NodeApiError with message, description and HTTP code', () => {
		const error = toNodeError(
			node,
			explainRestError({
				status: 400,
				body: [{ errorCode: 'INVALID_FIELD', message: "No such column 'Nme'", fields: [] }],
				what: 'getting Account records',
			}),
		);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe(
			"Getting Account records failed: a field is unknown or not accessible — No such column 'Nme' (HTTP 400, INVALID_FIELD).",
		);
		expect(error.description).toMatch(/field-level security/);
		expect((error as NodeApiError).httpCode).toBe('400');
	});

	it('keeps its own message for statuses n8n has generic texts for', () => {
		const error = toNodeError(
			node,
			explainRestError({
				status: 404,
				body: [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }],
				what: 'getting the Account record',
			}),
		);
		expect(error.message).toMatch(/^Getting the Account record failed: not found/);
	});

	it('refused input: NodeOperationError naming the parameter', () => {
		const error = toNodeError(node, invalidParameter('Path', 'is a full URL', 'Type a path.'));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('Path: is a full URL');
		expect(error.description).toBe('Type a path.');
	});

	it('serialises without any request (so never a Bearer header)', () => {
		const error = toNodeError(node, explainRestError({ status: 503, body: '', what: 'x' }));
		expect(JSON.stringify(error)).not.toMatch(/authorization|bearer|headers/i);
	});
});
