/**
 * Field lists of the object chosen in a node's `sobject` picker, from its describe: every field
 * (fields to return, conditions), or the ones a rule picks (an Upsert's external ID fields).
 */
import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';
import { connect, describeObject } from '../client';
import type { FieldDescribe } from '../salesforce';

/** The object's API name in the node's `sobject` parameter as it stands in the editor; '' when none is chosen. */
export function chosenObject(context: ILoadOptionsFunctions): string {
	return String(context.getNodeParameter('sobject', '', { extractValue: true }) ?? '').trim();
}

/** The chosen object's fields the rule picks, labelled "Label (Name)" and sorted; none until an object is chosen. */
export async function fieldOptions(
	context: ILoadOptionsFunctions,
	picks: (field: FieldDescribe) => boolean = () => true,
	{ showType = false }: { showType?: boolean } = {},
): Promise<INodePropertyOptions[]> {
	const sobject = chosenObject(context);
	if (sobject === '') return [];
	return (await describeObject(connect(context), sobject))
		.filter(picks)
		.map((field) => ({
			name: `${field.label} (${field.name})`,
			value: field.name,
			...(showType ? { description: field.type } : {}),
		}))
		.sort((a, b) => a.name.localeCompare(b.name));
}

/** A loadOptions method: every field of the chosen object, its type as description. */
export async function getFields(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return await fieldOptions(this, undefined, { showType: true });
}
