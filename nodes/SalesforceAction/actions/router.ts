/**
 * Runs the chosen operation for every input item. One session per execution (fetched on first use,
 * so one login serves all items); the shared per-item loop adds `pairedItem` and continue-on-fail.
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { addFieldsToEachItem, ItemFields } from '../../n8n';
import type { SalesforceSession } from '../../salesforce';
import { getLiveSession } from '../transport';
import * as getAccessToken from './getAccessToken.operation';

/** Set up once per execution (reading what is the same for every item); returns the per-item step. */
type Operation = (this: IExecuteFunctions, getSession: () => Promise<SalesforceSession>) => ItemFields;

/** The value n8n's editor gives its own "Custom API Call" entry (n8n's CUSTOM_API_CALL_KEY). */
const CUSTOM_API_CALL = '__CUSTOM_API_CALL__';

const operations: Record<string, Operation> = {
	getAccessToken: getAccessToken.prepare,
};

export async function route(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	let session: Promise<SalesforceSession> | undefined;
	const getSession = async () => await (session ??= getLiveSession.call(this));

	// `operation` takes no expressions (noDataExpression), so it is the same for every item.
	const operationName = this.getNodeParameter('operation', 0) as string;
	const operation = operations[operationName];
	if (operationName === CUSTOM_API_CALL) {
		throw new NodeOperationError(this.getNode(), '"Custom API Call" is not an operation of this node', {
			description:
				'For any Salesforce REST call, add an HTTP Request node: Authentication "Predefined Credential Type", Credential Type "Salesforce Integration API", the same credential. Then choose "Get Access Token" here again and check the Response Mapping (the editor resets it when the operation changes).',
		});
	}
	if (!operation) {
		throw new NodeOperationError(this.getNode(), `The operation "${operationName}" is not known`, {
			description: `Choose one of: ${Object.keys(operations).join(', ')}.`,
		});
	}
	return await addFieldsToEachItem.call(this, operation.call(this, getSession));
}
