/**
 * Runs the chosen operation for every input item. One session per execution (fetched on first use,
 * so one login serves all items); the shared per-item loop adds `pairedItem` and continue-on-fail.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { addFieldsToEachItem, SalesforceSession } from '../../salesforce';
import { getLiveSession } from '../transport';
import * as getAccessToken from './getAccessToken.operation';

type Operation = (
	this: IExecuteFunctions,
	itemIndex: number,
	getSession: () => Promise<SalesforceSession>,
) => Promise<IDataObject>;

const operations: Record<string, Operation> = {
	getAccessToken: getAccessToken.execute,
};

export async function route(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	let session: Promise<SalesforceSession> | undefined;
	const getSession = async () => await (session ??= getLiveSession.call(this));

	return await addFieldsToEachItem.call(this, async (itemIndex) => {
		const operationName = this.getNodeParameter('operation', itemIndex) as string;
		const operation = operations[operationName];
		if (!operation) {
			throw new NodeOperationError(this.getNode(), `The operation "${operationName}" is not known`, { itemIndex });
		}
		return await operation.call(this, itemIndex, getSession);
	});
}
