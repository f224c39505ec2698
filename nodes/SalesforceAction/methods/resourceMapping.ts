/**
 * The Fields mapper's schema, from the object's describe: the fields the operation may write, with
 * n8n types so the editor offers the right inputs and converts values, required ones marked for
 * Create, and external ID fields as the ones Upsert can match on.
 */
import type { FieldType, ILoadOptionsFunctions, ResourceMapperField, ResourceMapperFields } from 'n8n-workflow';
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

function writable(field: FieldDescribe, operation: string): boolean {
	if (operation === 'create') return field.createable;
	if (operation === 'update') return field.updateable;
	return field.createable || field.updateable || field.externalId === true;
}

export async function getMappingColumns(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
	const sobject = String(this.getNodeParameter('sobject', '', { extractValue: true }) ?? '').trim();
	const operation = this.getNodeParameter('operation', 'create') as string;
	if (sobject === '') return { fields: [] };
	const fields: ResourceMapperField[] = (await describeObject(connect(this), sobject))
		.filter((field) => writable(field, operation))
		.map((field) => {
			const required = operation === 'create' && requiredOnCreate(field);
			const type = FIELD_TYPES[field.type] ?? 'string';
			return {
				id: field.name,
				displayName: `${field.label} (${field.name})`,
				required,
				defaultMatch: false,
				canBeUsedToMatch: field.externalId === true,
				display: required || (operation === 'upsert' && field.externalId === true),
				type,
				...(type === 'options'
					? { options: (field.picklistValues ?? []).filter((value) => value.active).map((value) => ({ name: value.label, value: value.value })) }
					: {}),
			};
		});
	return { fields };
}
