/** Record → Delete: the records the items' Record IDs name go to the Recycle Bin, 200 per request. */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import type { SalesforceConnection } from '../../../client';
import type { RequestParameters } from '../../../salesforce';
import { readRecordId, readSobject, recordIdField, sobjectLocator } from './common';
import { writeAllItems } from './write';

export const description: INodeProperties[] = [];

const PARAMETERS: RequestParameters = {
	recordId: recordIdField.displayName,
	object: sobjectLocator.displayName,
};

export async function execute(
	this: IExecuteFunctions,
	salesforce: SalesforceConnection,
): Promise<INodeExecutionData[][]> {
	return await writeAllItems.call(
		this,
		salesforce,
		'delete',
		(itemIndex) => ({
			sobject: readSobject(this, itemIndex),
			record: { Id: readRecordId(this, itemIndex) },
		}),
		PARAMETERS,
	);
}
