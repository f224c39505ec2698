/**
 * Record → Upsert: each item's record is matched on an external ID field — updated when a record
 * with that value exists, created otherwise (Salesforce decides, and says which: `created`).
 */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import type { SalesforceConnection } from '../../../client';
import { checkApiName, invalidParameter, type RequestParameters } from '../../../salesforce';
import { COLUMNS_LABEL, columnsField, readRecordFields } from './columns';
import { readSobject, showFor, sobjectLocator } from './common';
import { writeAllItems } from './write';

const EXTERNAL_ID_LABEL = 'External ID Field';

export const description: INodeProperties[] = [
	{
		displayName: 'External ID Field Name or ID',
		name: 'externalIdField',
		type: 'options',
		typeOptions: {
			loadOptionsMethod: 'getExternalIdFields',
			loadOptionsDependsOn: ['sobject.value'],
		},
		default: '',
		required: true,
		description:
			'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
		hint: "The field records are matched on: one of the object's External ID fields (to match on the record ID, use Update)",
		displayOptions: showFor('upsert'),
	},
	columnsField(['upsert']),
];

const PARAMETERS: RequestParameters = {
	object: sobjectLocator.displayName,
	fields: COLUMNS_LABEL,
	externalIdField: EXTERNAL_ID_LABEL,
};

export async function execute(
	this: IExecuteFunctions,
	salesforce: SalesforceConnection,
): Promise<INodeExecutionData[][]> {
	return await writeAllItems.call(
		this,
		salesforce,
		'upsert',
		(itemIndex) => {
			const externalIdField = checkApiName(
				String(this.getNodeParameter('externalIdField', itemIndex, '') ?? '').trim(),
				EXTERNAL_ID_LABEL,
			);
			const record = readRecordFields(this, itemIndex);
			const value = record[externalIdField];
			if (value === undefined || value === null || value === '') {
				throw invalidParameter(
					'Fields',
					`the match field "${externalIdField}" has no value for this item`,
					`Map ${externalIdField}: Salesforce finds the record to update by its value (and creates one with it when none matches).`,
				);
			}
			return { sobject: readSobject(this, itemIndex), externalIdField, record };
		},
		PARAMETERS,
	);
}
