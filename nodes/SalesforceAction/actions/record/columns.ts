/**
 * The fields to write, through n8n's resource mapper: its schema comes from the object's describe
 * (methods/resourceMapping.ts), so the editor lists the object's fields with their types, marks the
 * required ones and offers external ID fields to match on. Both modes are read here.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	INodeProperties,
	ResourceMapperValue,
} from 'n8n-workflow';
import { invalidParameter } from '../../../salesforce';
import { showFor } from './common';

/** Read-only parts of a record a previous node may hand over: never written back. */
const NEVER_WRITTEN = new Set(['attributes']);

/** How the editor labels the mapper: errors about the fields written name it. */
export const COLUMNS_LABEL = 'Fields';

export const columnsField = (
	operations: Array<'create' | 'update' | 'upsert'>,
): INodeProperties => ({
	displayName: COLUMNS_LABEL,
	name: 'columns',
	type: 'resourceMapper',
	noDataExpression: true,
	default: { mappingMode: 'defineBelow', value: null },
	required: true,
	typeOptions: {
		// Create or Update's schema marks its External ID Field required, so it follows that choice too.
		loadOptionsDependsOn: ['sobject.value', 'operation', 'externalIdField'],
		resourceMapper: {
			resourceMapperMethod: 'getMappingColumns',
			mode: 'add',
			// n8n words its hints with these: "Look for incoming data that matches the Salesforce fields in
			// Salesforce Action", "Add field to send", "Add All Salesforce fields".
			fieldWords: { singular: 'field', plural: 'Salesforce fields' },
			valuesLabel: operations.includes('update') ? 'Values to Update' : 'Values to Send',
			noFieldsError:
				'No Salesforce fields to show: pick the Object from the list or type its API name (an Object set by an expression has no field list: use "Map Automatically")',
			// Only the fields a record cannot do without are shown at first; every other writable field is
			// one click away ("Add field to send", "Add All Salesforce fields"): see methods/resourceMapping.ts.
			addAllFields: false,
			multiKeyMatch: false,
			supportAutoMap: true,
		},
	},
	// Nothing to map (and no "No fields found" warning) until an object is chosen.
	displayOptions: { ...showFor(...operations), hide: { sobject: [''] } },
});

/**
 * The record to write for item `itemIndex`. "Map Automatically" takes the item's JSON as it is
 * (a JSON null clears a field, as in Salesforce); "Map Each Column Manually" takes the fields set there
 * (a field left empty is left alone). Fields the object does not have are refused before sending,
 * when the editor has loaded the object's fields.
 */
export function readRecordFields(context: IExecuteFunctions, itemIndex: number): IDataObject {
	const columns = context.getNodeParameter(
		'columns',
		itemIndex,
		{},
	) as Partial<ResourceMapperValue>;
	const record: IDataObject = {};
	if (columns.mappingMode === 'autoMapInputData') {
		const json = context.getInputData()[itemIndex]?.json ?? {};
		for (const [name, value] of Object.entries(json)) {
			if (NEVER_WRITTEN.has(name) || value === undefined) continue;
			record[name] = value as IDataObject[string];
		}
	} else {
		for (const [name, value] of Object.entries(columns.value ?? {})) {
			if (value === null || value === undefined || value === '') continue;
			record[name] = value as IDataObject[string];
		}
	}
	const schema = columns.schema ?? [];
	if (schema.length > 0) {
		// Every field of the schema, shown or not: `removed` is only what the manual mapping lists.
		const known = new Set(schema.map((field) => field.id));
		const unknown = Object.keys(record).filter((name) => !known.has(name) && name !== 'Id');
		if (unknown.length > 0) {
			throw invalidParameter(
				COLUMNS_LABEL,
				`the object has no writable field ${unknown.map((name) => `"${name}"`).join(', ')}`,
				columns.mappingMode === 'autoMapInputData'
					? 'Remove these fields from the input items (an Edit Fields node before this one), or switch to "Map Each Column Manually".'
					: 'Remove them from the mapping, or refresh the field list if they were added to the object since.',
			);
		}
	}
	return record;
}
