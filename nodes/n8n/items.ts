/**
 * The per-item loop every operation of both nodes runs through: each input item gives zero or more
 * output items, each with `pairedItem` pointing back at it; with "On Error: Continue" a failure
 * becomes an error item paired with its input, otherwise the execution stops with n8n's error
 * (its `itemIndex` set, so the editor shows which item failed).
 */
import type {
	IBinaryKeyData,
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
} from 'n8n-workflow';
import { toNodeError } from './errors';

/** An output item with binary data (a downloaded file). */
export interface ItemWithBinary {
	json: IDataObject;
	binary?: IBinaryKeyData;
}

/**
 * What one input item gives: fields to add to it (mode `merge`), the output records (mode
 * `records`), or whole output items with their binary data (mode `items`).
 */
export type ItemStep = (
	itemIndex: number,
) => Promise<IDataObject | IDataObject[] | ItemWithBinary[]>;
export type ItemFields = (itemIndex: number) => Promise<IDataObject>;

export interface EachItemOptions {
	/**
	 * `merge`: the step's fields are added to the input item (JSON and binary kept) — Get Access Token.
	 * `records`: the step's records are the output, one item each — the data operations.
	 * `items`: the step's items (JSON and binary) are the output — the file operations.
	 */
	mode: 'merge' | 'records' | 'items';
}

export async function outputForEachItem(
	this: IExecuteFunctions,
	step: ItemStep,
	{ mode }: EachItemOptions,
): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const item = items[itemIndex];
		const pairedItem = { item: itemIndex };
		try {
			const result = await step(itemIndex);
			if (mode === 'merge') {
				output.push({
					json: { ...item.json, ...(result as IDataObject) },
					binary: item.binary,
					pairedItem,
				});
			} else if (mode === 'items') {
				for (const { json, binary } of result as ItemWithBinary[])
					output.push(binary ? { json, binary, pairedItem } : { json, pairedItem });
			} else {
				for (const json of (Array.isArray(result) ? result : [result]) as IDataObject[])
					output.push({ json, pairedItem });
			}
		} catch (error) {
			output.push(failedItem.call(this, error, itemIndex, mode === 'merge' ? item.json : {}));
		}
	}
	return [output];
}

/**
 * The error item for input item `itemIndex` under continue-on-fail; without it, throws n8n's error.
 * Batch operations call it for each item their failed write concerned.
 */
export function failedItem(
	this: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
	keep: IDataObject = {},
): INodeExecutionData {
	const nodeError = toNodeError(this.getNode(), error);
	if (!this.continueOnFail()) {
		nodeError.context.itemIndex = itemIndex;
		throw nodeError;
	}
	return {
		json: {
			...keep,
			error: nodeError.message,
			errorDescription: nodeError.description ?? undefined,
		},
		pairedItem: { item: itemIndex },
	};
}

/** The legacy node's (and Get Access Token's) loop: the fields are added to each input item. */
export async function addFieldsToEachItem(
	this: IExecuteFunctions,
	fieldsFor: ItemFields,
): Promise<INodeExecutionData[][]> {
	return await outputForEachItem.call(this, fieldsFor, { mode: 'merge' });
}
