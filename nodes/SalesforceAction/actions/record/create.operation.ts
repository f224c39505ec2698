/** Record → Create: one record per input item, sent 200 at a time (sObject Collections). */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import type { SalesforceConnection } from '../../../client';
import type { RequestParameters } from '../../../salesforce';
import { COLUMNS_LABEL, columnsField, readRecordFields } from './columns';
import { readSobject, sobjectLocator } from './common';
import { writeAllItems } from './write';

export const description: INodeProperties[] = [columnsField(['create'])];

const PARAMETERS: RequestParameters = { object: sobjectLocator.displayName, fields: COLUMNS_LABEL };

export async function execute(
	this: IExecuteFunctions,
	salesforce: SalesforceConnection,
): Promise<INodeExecutionData[][]> {
	return await writeAllItems.call(
		this,
		salesforce,
		'create',
		(itemIndex) => {
			const record = readRecordFields(this, itemIndex);
			delete record.Id;
			return { sobject: readSobject(this, itemIndex), record };
		},
		PARAMETERS,
	);
}
