/** Record → Update: the fields set for each item are written to the record its Record ID names. */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import type { SalesforceConnection } from '../../../client';
import { invalidParameter, type RequestParameters } from '../../../salesforce';
import { COLUMNS_LABEL, columnsField, readRecordFields } from './columns';
import { readRecordId, readSobject, recordIdField, sobjectLocator } from './common';
import { writeAllItems } from './write';

export const description: INodeProperties[] = [columnsField(['update'])];

const PARAMETERS: RequestParameters = {
	recordId: recordIdField.displayName,
	object: sobjectLocator.displayName,
	fields: COLUMNS_LABEL,
};

export async function execute(
	this: IExecuteFunctions,
	salesforce: SalesforceConnection,
): Promise<INodeExecutionData[][]> {
	return await writeAllItems.call(
		this,
		salesforce,
		'update',
		(itemIndex) => {
			const id = readRecordId(this, itemIndex);
			const { Id: ignored, ...fields } = readRecordFields(this, itemIndex);
			void ignored;
			if (Object.keys(fields).length === 0) {
				throw invalidParameter(
					'Fields',
					'no field to update is set for this item',
					'Map at least one field, or check the input item holds the fields to write.',
				);
			}
			return { sobject: readSobject(this, itemIndex), record: { ...fields, Id: id } };
		},
		PARAMETERS,
	);
}
