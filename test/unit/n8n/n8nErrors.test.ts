/**
 * The SalesforceAuthError the credential throws from preAuthentication reaches the node wrapped in
 * n8n-core's NodeApiError. n8n-workflow 2.x keeps it as the wrapper's `cause`; 1.x resets `cause` to
 * undefined (a class field declared on ExecutionBaseError) and keeps only its message and
 * description — which made every refused login read "could not be reached" in n8n 1.123.
 */
import { NodeApiError } from 'n8n-workflow';
import type { INode } from 'n8n-workflow';
import { findSalesforceAuthError, handToN8n, toNodeError } from '../../../nodes/n8n';
import { SalesforceAuthError } from '../../../nodes/salesforce';

const node: INode = {
	id: 'node-1',
	name: 'Salesforce Action',
	type: 'n8n-nodes-salesforce-integration.salesforceAction',
	typeVersion: 1.1,
	position: [0, 0],
	parameters: {},
};

function refusedLogin(): SalesforceAuthError {
	return new SalesforceAuthError(
		'authentication-failure',
		'Salesforce refused the username and password (authentication failure).',
		'Check the Username and Password, and the Security Token; Setup → Login History shows why.',
		{ httpStatus: 400, salesforceError: 'invalid_grant' },
	);
}

/** What n8n 1.x's httpRequestWithAuthentication throws: `new NodeApiError(node, error)`, cause gone. */
function wrappedLikeN8n1x(error: Error): NodeApiError {
	const wrapper = new NodeApiError(node, error as never);
	Object.defineProperty(wrapper, 'cause', { value: undefined, writable: true, configurable: true });
	return wrapper;
}

describe('finding the SalesforceAuthError n8n wrapped', () => {
	it('finds it in the cause chain, as n8n 2.x hands it back', () => {
		const error = refusedLogin();
		expect(findSalesforceAuthError(new NodeApiError(node, error as never))).toBe(error);
	});

	it('finds one handed to n8n after n8n 1.x dropped the cause, so the node shows its explanation', () => {
		const error = handToN8n(refusedLogin());
		const wrapper = wrappedLikeN8n1x(error);
		expect(wrapper.cause).toBeUndefined();
		expect(findSalesforceAuthError(wrapper)).toBe(error);

		const shown = toNodeError(node, wrapper);
		expect(shown.message).toBe(
			'Salesforce refused the username and password (authentication failure).',
		);
		expect(shown.description).toContain('Login History');
	});

	it('does not take a wrapper of an error never handed to n8n, nor one with other texts, for it', () => {
		handToN8n(refusedLogin());
		expect(
			findSalesforceAuthError(wrappedLikeN8n1x(new Error('connect ECONNREFUSED 127.0.0.1:443'))),
		).toBeUndefined();
		const other = new SalesforceAuthError(
			'authentication-failure',
			'Salesforce refused the username and password (authentication failure).',
			'Another description.',
		);
		expect(findSalesforceAuthError(wrappedLikeN8n1x(other))).toBeUndefined();
	});

	it('returns what it is given, and remembers a bounded number of errors', () => {
		const first = handToN8n(refusedLogin());
		const plain = new Error('not ours');
		expect(handToN8n(plain)).toBe(plain);
		for (let index = 0; index < 40; index++) {
			handToN8n(
				new SalesforceAuthError(
					'timeout',
					`Salesforce did not answer within ${index} s.`,
					'Try again.',
				),
			);
		}
		// Evicted: the newest 32 are kept, so an old identical-looking text falls back to the generic path.
		const wrapper = wrappedLikeN8n1x(first);
		expect(findSalesforceAuthError(wrapper)).toBeUndefined();
		handToN8n(first);
		expect(findSalesforceAuthError(wrapper)).toBe(first);
	});
});
