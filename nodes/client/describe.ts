/**
 * The org's object list (describe global) and an object's fields (describe), for the editor's
 * pickers and for Get Many's typed condition values. Remembered for a minute per credential, so
 * opening a dropdown or running many items costs one API request, not one each.
 */
import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions, ILoadOptionsFunctions } from 'n8n-workflow';
import { toNodeError } from '../n8n';
import { CREDENTIAL_TYPE } from './context';
import { restRequest } from './connection';

export interface ObjectSummary {
	name: string;
	label: string;
	custom: boolean;
	queryable: boolean;
	createable: boolean;
	updateable: boolean;
	deletable: boolean;
}

export interface FieldDescribe {
	name: string;
	label: string;
	type: string;
	length?: number;
	nillable: boolean;
	createable: boolean;
	updateable: boolean;
	defaultedOnCreate?: boolean;
	externalId?: boolean;
	idLookup?: boolean;
	picklistValues?: Array<{ value: string; label: string; active: boolean }>;
}

type Context = IExecuteFunctions | ILoadOptionsFunctions;

const REMEMBER_MS = 60_000;
const remembered = new Map<string, { at: number; value: Promise<unknown> }>();

function credentialKey(context: Context): string {
	return context.getNode().credentials?.[CREDENTIAL_TYPE]?.id ?? context.getNode().name;
}

async function rememberedFor<T>(context: Context, what: string, load: () => Promise<T>): Promise<T> {
	const key = `${credentialKey(context)}\u0000${what}`;
	const entry = remembered.get(key);
	if (entry && Date.now() - entry.at < REMEMBER_MS) return (await entry.value) as T;
	const value = load();
	remembered.set(key, { at: Date.now(), value });
	// A failed describe is not remembered: the next attempt asks again.
	value.catch(() => remembered.delete(key));
	if (remembered.size > 200) remembered.delete(remembered.keys().next().value as string);
	return await value;
}

export async function describeGlobal(this: Context): Promise<ObjectSummary[]> {
	return await rememberedFor(this, 'sobjects', async () => {
		const { body } = await restRequest.call<{ sobjects?: ObjectSummary[] }>(this, { method: 'GET', path: 'sobjects' });
		return body.sobjects ?? [];
	});
}

export async function describeObject(this: Context, sobject: string): Promise<FieldDescribe[]> {
	return await rememberedFor(this, `describe ${sobject}`, async () => {
		try {
			const { body } = await restRequest.call<{ fields?: FieldDescribe[] }>(this, {
				method: 'GET',
				path: `sobjects/${sobject}/describe`,
				what: `reading the fields of ${sobject}`,
			});
			return body.fields ?? [];
		} catch (error) {
			// Salesforce answers 404 for an object that does not exist or that the user may not see.
			if ((error as { httpCode?: string }).httpCode === '404') {
				throw new NodeOperationError(this.getNode(), `Object: "${sobject}" is not an object this Salesforce user can see`, {
					description:
						'Check the API name (custom objects end in __c, e.g. Invoice__c), or pick the object from the list. If it exists, give the integration user\'s profile or a permission set access to it.',
				});
			}
			throw toNodeError(this.getNode(), error);
		}
	});
}

/** Field name → Salesforce type (string, double, date, boolean, …), for typed SOQL literals. */
export async function fieldTypesOf(this: Context, sobject: string): Promise<Record<string, string>> {
	const types: Record<string, string> = {};
	for (const field of await describeObject.call(this, sobject)) types[field.name] = field.type;
	return types;
}

/** Required on create: Salesforce rejects the record without it (not nillable, no default). */
export function requiredOnCreate(field: FieldDescribe): boolean {
	return field.createable && !field.nillable && !field.defaultedOnCreate && field.type !== 'boolean';
}
