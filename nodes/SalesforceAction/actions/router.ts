/**
 * Runs the chosen operation for every input item. It owns what every operation shares: one session
 * per execution (fetched on first use, so one login serves all items), `pairedItem`, and
 * continue-on-fail (an error item instead of a crash).
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { SalesforceSession, toNodeError } from '../../salesforce';
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
	const items = this.getInputData();
	const output: INodeExecutionData[] = [];
	let session: Promise<SalesforceSession> | undefined;
	const getSession = async () => await (session ??= getLiveSession.call(this));

	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const item = items[itemIndex];
		try {
			const operationName = this.getNodeParameter('operation', itemIndex) as string;
			const operation = operations[operationName];
			if (!operation) {
				throw new NodeOperationError(this.getNode(), `The operation "${operationName}" is not known`, { itemIndex });
			}
			const fields = await operation.call(this, itemIndex, getSession);
			output.push({ json: { ...item.json, ...fields }, binary: item.binary, pairedItem: { item: itemIndex } });
		} catch (error) {
			const nodeError = toNodeError(this.getNode(), error);
			if (!this.continueOnFail()) {
				nodeError.context.itemIndex = itemIndex;
				throw nodeError;
			}
			output.push({
				json: { ...item.json, error: nodeError.message, errorDescription: nodeError.description ?? undefined },
				pairedItem: { item: itemIndex },
			});
		}
	}
	return [output];
}
