/** Field lists for Get, Get Many (fields and conditions) and Upsert (external ID fields). */
import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';
import { describeObject } from '../../client';

function chosenObject(context: ILoadOptionsFunctions): string {
	return String(context.getNodeParameter('sobject', '', { extractValue: true }) ?? '').trim();
}

export async function getFields(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const sobject = chosenObject(this);
	if (sobject === '') return [];
	return (await describeObject.call(this, sobject))
		.map((field) => ({ name: `${field.label} (${field.name})`, value: field.name, description: field.type }))
		.sort((a, b) => a.name.localeCompare(b.name));
}

export async function getExternalIdFields(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const sobject = chosenObject(this);
	if (sobject === '') return [];
	return (await describeObject.call(this, sobject))
		// sObject Collections upsert by external IDs only, never by record Id (update does that).
		.filter((field) => field.externalId === true)
		.map((field) => ({ name: `${field.label} (${field.name})`, value: field.name }))
		.sort((a, b) => a.name.localeCompare(b.name));
}
