/** Record → Create: one record per input item, sent 200 at a time (sObject Collections). */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import type { SalesforceConnection } from '../../../client';
import { columnsField, readRecordFields } from './columns';
import { readSobject } from './common';
import { writeAllItems } from './write';

export const description: INodeProperties[] = [columnsField(['create'])];

export async function execute(this: IExecuteFunctions, salesforce: SalesforceConnection): Promise<INodeExecutionData[][]> {
	return await writeAllItems.call(this, salesforce, 'create', (itemIndex) => {
		const record = readRecordFields(this, itemIndex);
		delete record.Id;
		return { sobject: readSobject(this, itemIndex), record };
	});
}
