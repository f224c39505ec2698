/**
 * The transport's errors as n8n shows them, and the parts of the transport only a scripted answer
 * can reach: records Salesforce could not lock inside a 200 Collections answer.
 */
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions, INode } from 'n8n-workflow';
import { toNodeError } from '../../../nodes/n8n';
import { explainRestError, invalidParameter, type RecordResult } from '../../../nodes/salesforce';
import { forgetAllSessions, writeRecords } from '../../../nodes/client';

const node: INode = { id: '1', name: 'Salesforce', type: 'n8n-nodes-salesforce-integration.salesforceAction', typeVersion: 1, position: [0, 0], parameters: {} };

beforeEach(() => forgetAllSessions());

describe('toNodeError for REST failures', () => {
	it('an answer from Salesforce: NodeApiError with message, description and HTTP code', () => {
		const error = toNodeError(node, explainRestError({ status: 400, body: [{ errorCode: 'INVALID_FIELD', message: 'No such column \'Nme\'', fields: [] }], what: 'getting Account records' }));
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('Getting Account records failed: a field is unknown or not accessible — No such column \'Nme\' (HTTP 400, INVALID_FIELD).');
		expect(error.description).toMatch(/field-level security/);
		expect((error as NodeApiError).httpCode).toBe('400');
	});

	it('keeps its own message for statuses n8n has generic texts for', () => {
		const error = toNodeError(node, explainRestError({ status: 404, body: [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }], what: 'getting the Account record' }));
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

describe('writeRecords and records Salesforce could not lock', () => {
	const locked = { success: false, errors: [{ statusCode: 'UNABLE_TO_LOCK_ROW', message: 'unable to obtain exclusive access to this record', fields: [] }] };
	const rolledBack = { success: false, errors: [{ statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK', message: 'rolled back', fields: [] }] };

	function scripted(answers: unknown[]): { context: IExecuteFunctions; sent: Array<{ records: Array<Record<string, unknown>> }> } {
		const sent: Array<{ records: Array<Record<string, unknown>> }> = [];
		const context = {
			getNode: () => node,
			getCredentials: async () => ({}),
			helpers: {
				httpRequestWithAuthentication: async (_type: string, options: { body?: { records: Array<Record<string, unknown>> } }) => {
					sent.push(structuredClone(options.body as { records: Array<Record<string, unknown>> }));
					return { statusCode: 200, headers: {}, body: answers.shift() };
				},
			},
		} as unknown as IExecuteFunctions;
		return { context, sent };
	}

	it('each record on its own: sends only the locked records again', async () => {
		const { context, sent } = scripted([
			[{ id: '001A', success: true, errors: [] }, locked, { id: '001C', success: true, errors: [] }],
			[{ id: '001B', success: true, errors: [] }],
		]);
		const results = await writeRecords.call(context, { operation: 'create', sobject: 'Account', records: [{ Name: 'a' }, { Name: 'b' }, { Name: 'c' }], allOrNone: false, stopAfterFailedBatch: false });
		expect((results as RecordResult[]).map((result) => result.id)).toEqual(['001A', '001B', '001C']);
		expect(sent.map((body) => body.records.map((record) => record.Name))).toEqual([['a', 'b', 'c'], ['b']]);
	});

	it('all-or-none: sends the whole batch again, at most twice', async () => {
		const { context, sent } = scripted([
			[rolledBack, locked],
			[rolledBack, locked],
			[rolledBack, locked],
		]);
		const results = await writeRecords.call(context, { operation: 'update', sobject: 'Account', records: [{ Id: '001000000000001AAA', Name: 'a' }, { Id: '001000000000002AAA', Name: 'b' }], allOrNone: true, stopAfterFailedBatch: true });
		expect(sent).toHaveLength(3);
		expect(sent[0].records[0]).toEqual({ attributes: { type: 'Account' }, id: '001000000000001AAA', Name: 'a' });
		expect((results[1] as RecordResult).errors[0].statusCode).toBe('UNABLE_TO_LOCK_ROW');
	});
});
