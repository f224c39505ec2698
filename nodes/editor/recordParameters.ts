/**
 * The Conditions a record must meet, as every node filtering the org's records shows them (field,
 * operator, value — written into SOQL by the core, values escaped as the field's type), and reading
 * them and a field list. Their names and values are stored in saved workflows; each node places
 * them with its own display options. (The Object picker is apiNameLocator.ts.)
 */
import type { INodeProperties } from 'n8n-workflow';
import type { QueryCondition } from '../salesforce';

const OPERATORS = [
	{ name: 'Equal', value: 'equal' },
	{ name: 'Not Equal', value: 'notEqual' },
	{ name: 'Less Than', value: 'lessThan' },
	{ name: 'Less or Equal', value: 'lessOrEqual' },
	{ name: 'Greater Than', value: 'greaterThan' },
	{ name: 'Greater or Equal', value: 'greaterOrEqual' },
	{
		name: 'Like',
		value: 'like',
		description: 'Text pattern: % matches any characters, _ one character',
	},
	{ name: 'Is Empty', value: 'isNull' },
	{ name: 'Is Not Empty', value: 'isNotNull' },
];

/** `conditions.conditions[]` of field, operator, value: what Record → Get Many and the Salesforce Trigger filter on. */
export function conditionsParameter(options: {
	description: string;
	displayOptions?: INodeProperties['displayOptions'];
}): INodeProperties {
	return {
		displayName: 'Conditions',
		name: 'conditions',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Condition',
		default: {},
		description: options.description,
		...(options.displayOptions ? { displayOptions: options.displayOptions } : {}),
		options: [
			{
				displayName: 'Condition',
				name: 'conditions',
				values: [
					{
						displayName: 'Field Name or ID',
						name: 'field',
						type: 'options',
						typeOptions: {
							loadOptionsMethod: 'getFields',
							loadOptionsDependsOn: ['sobject.value'],
						},
						default: '',
						description:
							'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
					},
					{
						displayName: 'Operator',
						name: 'operator',
						type: 'options',
						options: OPERATORS,
						default: 'equal',
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						description:
							"Compared as the field's type: text is quoted and escaped, numbers, dates (2026-01-31) and true/false are checked",
						displayOptions: { hide: { operator: ['isNull', 'isNotNull'] } },
					},
				],
			},
		],
	};
}

/** The Conditions parameter's value as the core's conditions (the core checks each one). */
export function readConditions(parameter: unknown): QueryCondition[] {
	const rows = (parameter as { conditions?: unknown } | undefined)?.conditions;
	if (!Array.isArray(rows)) return [];
	return rows.map((row: { field?: unknown; operator?: unknown; value?: unknown }) => ({
		field: String(row?.field ?? ''),
		operator: String(row?.operator ?? 'equal'),
		value: row?.value,
	}));
}

/** Whether any condition compares a value (the core then needs the fields' types, from the object's describe). */
export function comparesValues(conditions: readonly QueryCondition[]): boolean {
	return conditions.some(
		(condition) => condition.operator !== 'isNull' && condition.operator !== 'isNotNull',
	);
}

/** A multiOptions or comma-separated field list as API names, blanks dropped (the core checks each). */
export function readFieldList(parameter: unknown): string[] {
	const list = Array.isArray(parameter) ? parameter : String(parameter ?? '').split(',');
	return list.map((field) => String(field).trim()).filter((field) => field !== '');
}
