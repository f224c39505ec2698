/** Record → Get: one record by its ID, with all fields or the ones chosen. */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { SalesforceConnection } from '../../../client';
import { readFieldList } from '../../../editor';
import type { ItemStep } from '../../../n8n';
import { checkApiName, withoutAttributes, type RequestParameters } from '../../../salesforce';
import { readRecordId, readSobject, recordIdField, showFor, sobjectLocator } from './common';

const FIELDS_LABEL = 'Field Names or IDs';
const PARAMETERS: RequestParameters = {
	recordId: recordIdField.displayName,
	object: sobjectLocator.displayName,
	fields: FIELDS_LABEL,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: showFor('get'),
		options: [
			{
				displayName: FIELDS_LABEL,
				name: 'fields',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'getFields', loadOptionsDependsOn: ['sobject.value'] },
				default: [],
				description:
					'The fields to return; none chosen returns every field. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			{
				displayName: 'Include Attributes',
				name: 'includeAttributes',
				type: 'boolean',
				default: false,
				description: 'Whether to keep Salesforce\'s "attributes" (type and URL) in the output',
			},
		],
	},
];

export function prepare(this: IExecuteFunctions, salesforce: SalesforceConnection): ItemStep {
	return async (itemIndex) => {
		const sobject = readSobject(this, itemIndex);
		const id = readRecordId(this, itemIndex);
		const options = this.getNodeParameter('options', itemIndex, {}) as {
			fields?: string[] | string;
			includeAttributes?: boolean;
		};
		const fields = readFieldList(options.fields).map((field) => checkApiName(field, FIELDS_LABEL));
		const { body } = await salesforce.send<IDataObject>({
			method: 'GET',
			path: `sobjects/${sobject}/${id}`,
			qs: fields.length > 0 ? { fields: fields.join(',') } : undefined,
			what: `getting the ${sobject} record ${id}`,
			parameters: PARAMETERS,
		});
		return options.includeAttributes ? body : (withoutAttributes(body) as IDataObject);
	};
}
