/**
 * Record → Get Many: builds the SOQL from the fields and conditions chosen. Condition values are
 * escaped as SOQL literals of the field's type (the object's describe says which), so no item's
 * text can change the query.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { fieldTypesOf, queryRecords, type SalesforceConnection } from '../../../client';
import type { ItemStep } from '../../../n8n';
import { buildGetManyQuery, withoutAttributes, type RequestParameters } from '../../../salesforce';
import { readSobject, showFor, sobjectLocator } from './common';
import { limitFields } from '../query/soql.operation';

interface Condition {
	field?: string;
	operator?: string;
	value?: unknown;
}

const OPERATORS = [
	{ name: 'Equal', value: 'equal' },
	{ name: 'Not Equal', value: 'notEqual' },
	{ name: 'Less Than', value: 'lessThan' },
	{ name: 'Less or Equal', value: 'lessOrEqual' },
	{ name: 'Greater Than', value: 'greaterThan' },
	{ name: 'Greater or Equal', value: 'greaterOrEqual' },
	{ name: 'Like', value: 'like', description: 'Text pattern: % matches any characters, _ one character' },
	{ name: 'Is Empty', value: 'isNull' },
	{ name: 'Is Not Empty', value: 'isNotNull' },
];

const FIELDS_LABEL = 'Field Names or IDs';
const CONDITIONS_LABEL = 'Conditions';
const PARAMETERS: RequestParameters = { object: sobjectLocator.displayName, fields: FIELDS_LABEL, conditions: CONDITIONS_LABEL };

export const description: INodeProperties[] = [
	{
		displayName: FIELDS_LABEL,
		name: 'fields',
		type: 'multiOptions',
		typeOptions: { loadOptionsMethod: 'getFields', loadOptionsDependsOn: ['sobject.value'] },
		default: [],
		description: 'The fields to return; none chosen returns the ID only. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		displayOptions: showFor('getAll'),
	},
	{
		displayName: CONDITIONS_LABEL,
		name: 'conditions',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Condition',
		default: {},
		description: 'Only records meeting all of these conditions are returned',
		displayOptions: showFor('getAll'),
		options: [
			{
				displayName: 'Condition',
				name: 'conditions',
				values: [
					{
						displayName: 'Field Name or ID',
						name: 'field',
						type: 'options',
						typeOptions: { loadOptionsMethod: 'getFields', loadOptionsDependsOn: ['sobject.value'] },
						default: '',
						description: 'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
					},
					{ displayName: 'Operator', name: 'operator', type: 'options', options: OPERATORS, default: 'equal' },
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						description: 'Compared as the field\'s type: text is quoted and escaped, numbers, dates (2026-01-31) and true/false are checked',
						displayOptions: { hide: { operator: ['isNull', 'isNotNull'] } },
					},
				],
			},
		],
	},
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
		const fields = this.getNodeParameter('fields', itemIndex, []) as string[] | string;
		const conditions = ((this.getNodeParameter('conditions', itemIndex, {}) as { conditions?: Condition[] }).conditions ?? []).map(
			(condition) => ({ field: String(condition.field ?? ''), operator: String(condition.operator ?? 'equal'), value: condition.value }),
		);
		const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
		const limit = returnAll ? undefined : (this.getNodeParameter('limit', itemIndex, 50) as number);
		// Typed literals need the fields' types: one describe, only when a condition compares a value.
		const comparesValues = conditions.some((condition) => condition.operator !== 'isNull' && condition.operator !== 'isNotNull');
		const fieldTypes = comparesValues ? await fieldTypesOf(salesforce, sobject) : undefined;
		const soql = buildGetManyQuery({
			sobject,
			fields: (Array.isArray(fields) ? fields : String(fields).split(',')).map((field) => field.trim()).filter((field) => field !== ''),
			conditions,
			limit,
			fieldTypes,
		});
		const includeDeleted = this.getNodeParameter('includeDeleted', itemIndex, false) as boolean;
		const records = await queryRecords(salesforce, soql, { includeDeleted, limit, parameters: PARAMETERS });
		return records.map((record) => withoutAttributes(record) as IDataObject);
	};
}
