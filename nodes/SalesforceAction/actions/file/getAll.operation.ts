/**
 * File → Get Many: the files of a record (the latest version of every file linked to it), one
 * item each with the ids Download and Upload (new version) take. One query, one API request.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { listFilesOf, type SalesforceConnection } from '../../../client';
import type { ItemStep } from '../../../n8n';
import { checkRecordId } from '../../../salesforce';
import { showForFile } from './common';

export const description: INodeProperties[] = [
	{
		displayName: 'Record ID',
		name: 'recordId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 006XXXXXXXXXXXXXXX',
		description: 'The record whose files to list (an Opportunity, a Case, an Account…)',
		displayOptions: showForFile('getAll'),
	},
];

export function prepare(this: IExecuteFunctions, salesforce: SalesforceConnection): ItemStep {
	return async (itemIndex) => {
		const recordId = checkRecordId(this.getNodeParameter('recordId', itemIndex, ''), 'Record ID');
		return (await listFilesOf(salesforce, recordId)) as IDataObject[];
	};
}
