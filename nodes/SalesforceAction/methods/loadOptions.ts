/** Field lists for Get, Get Many (fields and conditions) and Upsert (external ID fields). */
import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';
import { fieldOptions } from '../../editor';

export { getFields } from '../../editor';

export async function getExternalIdFields(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	// sObject Collections upsert by external IDs only, never by record Id (update does that).
	return await fieldOptions(this, (field) => field.externalId === true);
}
