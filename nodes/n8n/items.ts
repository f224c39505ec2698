/**
 * The per-item loop both nodes share: each input item comes out with its own JSON (and binary)
 * plus the fields the node adds, `pairedItem` set; with "On Error: Continue" a failure becomes an
 * error item that keeps the input, otherwise the execution stops with n8n's error.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { toNodeError } from './errors';

export type ItemFields = (itemIndex: number) => Promise<IDataObject>;

export async function addFieldsToEachItem(this: IExecuteFunctions, fieldsFor: ItemFields): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const item = items[itemIndex];
		try {
			const fields = await fieldsFor(itemIndex);
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
