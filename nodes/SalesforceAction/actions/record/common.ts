/**
 * What the Record operations share: the object picker (a resource locator over the org's objects),
 * the record ID field and the write options, and reading them per item.
 */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { apiNameLocator } from '../../../editor';
import { checkApiName, checkRecordId } from '../../../salesforce';

export const RECORD_OPERATIONS = ['get', 'getAll', 'create', 'update', 'upsert', 'delete'] as const;
export type RecordOperation = (typeof RECORD_OPERATIONS)[number];

export function showFor(...operations: RecordOperation[]): INodeProperties['displayOptions'] {
	return { show: { resource: ['record'], operation: operations } };
}

export const sobjectLocator: INodeProperties = apiNameLocator({
	displayName: 'Object',
	name: 'sobject',
	description: 'The Salesforce object (sObject) to work on, standard or custom',
	searchListMethod: 'searchObjects',
	examples: ['Account', 'Invoice__c'],
	displayOptions: { show: { resource: ['record'] } },
});

export const recordIdField: INodeProperties = {
	displayName: 'Record ID',
	name: 'recordId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. 001XXXXXXXXXXXXXXX',
	description: 'The 15- or 18-character Salesforce ID of the record',
	displayOptions: showFor('get', 'update', 'delete'),
};

export const writeOptions: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add option',
	default: {},
	displayOptions: showFor('create', 'update', 'upsert', 'delete'),
	options: [
		{
			displayName: 'Batch Size',
			name: 'batchSize',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 200 },
			default: 200,
			description:
				'Records sent per request (sObject Collections take up to 200). Each request counts once against the org\'s daily API requests, however many records it carries.',
		},
	],
};

/** The object's API name for item `itemIndex`, checked. */
export function readSobject(context: IExecuteFunctions, itemIndex: number): string {
	const value = context.getNodeParameter('sobject', itemIndex, '', { extractValue: true }) as string;
	return checkApiName(String(value ?? '').trim(), 'Object');
}

export function readRecordId(context: IExecuteFunctions, itemIndex: number): string {
	return checkRecordId(String(context.getNodeParameter('recordId', itemIndex, '') ?? ''), 'Record ID');
}

export function readBatchSize(context: IExecuteFunctions): number {
	const options = context.getNodeParameter('options', 0, {}) as { batchSize?: number };
	return options.batchSize ?? 200;
}
