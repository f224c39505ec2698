/**
 * The Fields mapper's schema, from the object's describe: every field the operation may write, with
 * n8n types so the editor offers the right inputs and converts values.
 *
 * What n8n 2.41's editor does with it ("Map Each Column Manually", mode `add`, addAllFields false):
 * it lists the fields that are `display` and not `removed`, offers the `display` and `removed` ones
 * under "Add field to send" and "Add All Salesforce fields", and on picking an object sets `removed`
 * to `!required` itself. So every writable field is `display: true` (a field with `display: false`
 * could never be set by hand), only the fields a record cannot do without are `required`, and those
 * are what the editor shows at first. `canBeUsedToMatch`/`defaultMatch` only matter to the editor's
 * matching selector (modes `update`/`upsert`); Create or Update matches on its External ID Field
 * parameter instead, whose field the mapper then shows as required, so its value is never forgotten.
 */
import type {
	FieldType,
	ILoadOptionsFunctions,
	ResourceMapperField,
	ResourceMapperFields,
} from 'n8n-workflow';
import { connect, describeObject } from '../../client';
import { requiredOnCreate, type FieldDescribe } from '../../salesforce';

/** Salesforce field types → the n8n input that suits them. Dates stay text (YYYY-MM-DD): n8n's dateTime would add a time. */
const FIELD_TYPES: Record<string, FieldType> = {
	boolean: 'boolean',
	int: 'number',
	double: 'number',
	currency: 'number',
	percent: 'number',
	datetime: 'dateTime',
	time: 'time',
	picklist: 'options',
};

/** Create: createable fields; Update: updateable ones; Create or Update: either (and its external ID fields). */
function writable(field: FieldDescribe, operation: string): boolean {
	if (operation === 'create') return field.createable;
	if (operation === 'update') return field.updateable;
	return field.createable || field.updateable || field.externalId === true;
}

/** Create: Salesforce refuses the record without it. Create or Update: the field records are matched on. */
function required(field: FieldDescribe, operation: string, matchField: string): boolean {
	if (operation === 'create') return requiredOnCreate(field);
	if (operation === 'upsert')
		return matchField !== '' && field.name.toLowerCase() === matchField.toLowerCase();
	return false;
}

/** A parameter the editor sent as typed; an expression (or nothing) reads as ''. */
function plainParameter(
	context: ILoadOptionsFunctions,
	name: string,
	extractValue = false,
): string {
	try {
		const value = context.getNodeParameter(name, '', extractValue ? { extractValue: true } : {});
		return typeof value === 'string' && !value.startsWith('=') ? value.trim() : '';
	} catch {
		return '';
	}
}

export async function getMappingColumns(
	this: ILoadOptionsFunctions,
): Promise<ResourceMapperFields> {
	const sobject = plainParameter(this, 'sobject', true);
	const operation = this.getNodeParameter('operation', 'create') as string;
	if (sobject === '') return { fields: [] };
	const matchField = operation === 'upsert' ? plainParameter(this, 'externalIdField') : '';
	const fields: ResourceMapperField[] = (await describeObject(connect(this), sobject))
		.filter((field) => writable(field, operation))
		.map((field) => {
			const isRequired = required(field, operation, matchField);
			const type = FIELD_TYPES[field.type] ?? 'string';
			return {
				id: field.name,
				displayName: `${field.label} (${field.name})`,
				required: isRequired,
				defaultMatch: false,
				canBeUsedToMatch: field.externalId === true,
				display: true,
				removed: !isRequired,
				type,
				...(type === 'options'
					? {
							options: (field.picklistValues ?? [])
								.filter((value) => value.active)
								.map((value) => ({ name: value.label, value: value.value })),
						}
					: {}),
			};
		});
	return { fields };
}
