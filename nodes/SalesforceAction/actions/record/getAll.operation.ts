/**
 * Record → Get Many: builds the SOQL from the fields and conditions chosen. Condition values are
 * escaped as SOQL literals of the field's type (the object's describe says which), so no item's
 * text can change the query.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { fieldTypesOf, queryRecords, type SalesforceConnection } from '../../../client';
import {
	comparesValues,
	conditionsParameter,
	readConditions,
	readFieldList,
} from '../../../editor';
import type { ItemStep } from '../../../n8n';
import { buildGetManyQuery, withoutAttributes, type RequestParameters } from '../../../salesforce';
import { readSobject, showFor, sobjectLocator } from './common';
import { limitFields } from '../query/soql.operation';

const FIELDS_LABEL = 'Field Names or IDs';
const CONDITIONS_LABEL = 'Conditions';
const PARAMETERS: RequestParameters = {
	object: sobjectLocator.displayName,
	fields: FIELDS_LABEL,
	conditions: CONDITIONS_LABEL,
};

export const description: INodeProperties[] = [
	{
		displayName: FIELDS_LABEL,
		name: 'fields',
		type: 'multiOptions',
		typeOptions: { loadOptionsMethod: 'getFields', loadOptionsDependsOn: ['sobject.value'] },
		default: [],
		description:
			'The fields to return; none chosen returns the ID only. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		displayOptions: showFor('getAll'),
	},
	conditionsParameter({
		description: 'Only records meeting all of these conditions are returned',
		displayOptions: showFor('getAll'),
	}),
	...limitFields(showFor('getAll')),
	{
		displayName: 'Include Deleted',
		name: 'includeDeleted',
		type: 'boolean',
		default: false,
		description: 'Whether to include records in the Recycle Bin and archived activities (queryAll)',
		displayOptions: showFor('getAll'),
	},
];

export function prepare(this: IExecuteFunctions, salesforce: SalesforceConnection): ItemStep {
	return async (itemIndex) => {
		const sobject = readSobject(this, itemIndex);
		const fields = readFieldList(this.getNodeParameter('fields', itemIndex, []));
		const conditions = readConditions(this.getNodeParameter('conditions', itemIndex, {}));
		const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
		const limit = returnAll ? undefined : (this.getNodeParameter('limit', itemIndex, 50) as number);
		// Typed literals need the fields' types: one describe, only when a condition compares a value.
		const fieldTypes = comparesValues(conditions)
			? await fieldTypesOf(salesforce, sobject)
			: undefined;
		const soql = buildGetManyQuery({
			sobject,
			fields,
			conditions,
			limit,
			fieldTypes,
		});
		const includeDeleted = this.getNodeParameter('includeDeleted', itemIndex, false) as boolean;
		const records = await queryRecords(salesforce, soql, {
			includeDeleted,
			limit,
			parameters: PARAMETERS,
		});
		return records.map((record) => withoutAttributes(record) as IDataObject);
	};
}
