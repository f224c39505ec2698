/**
 * The org's object list (describe global) and an object's fields (describe), for the editor's
 * pickers and for typed condition values. Remembered for a minute per credential, so opening a
 * dropdown or running many items costs one API request, not one each; a caller that asks every
 * minute (the polling trigger) may keep an answer longer and forget it when Salesforce proves it
 * stale.
 */
import { NodeOperationError } from 'n8n-workflow';
import type { FieldDescribe, ObjectSummary } from '../salesforce';
import type { SalesforceConnection } from './connection';

const REMEMBER_MS = 60_000;
const MAX_REMEMBERED = 200;
const remembered = new Map<string, { at: number; value: Promise<unknown> }>();

export interface DescribeOptions {
	/** How old a remembered answer may be; a minute when omitted. */
	rememberMs?: number;
}

function keyFor(connection: SalesforceConnection, what: string): string {
	return `${connection.credentialKey}\u0000${what}`;
}

async function rememberedFor<T>(
	connection: SalesforceConnection,
	what: string,
	load: () => Promise<T>,
	rememberMs = REMEMBER_MS,
): Promise<T> {
	const key = keyFor(connection, what);
	const entry = remembered.get(key);
	if (entry && Date.now() - entry.at < rememberMs) return (await entry.value) as T;
	const value = load();
	remembered.set(key, { at: Date.now(), value });
	// A failed describe is not remembered: the next attempt asks again.
	value.catch(() => remembered.delete(key));
	if (remembered.size > MAX_REMEMBERED) remembered.delete(remembered.keys().next().value as string);
	return await value;
}

export async function describeGlobal(connection: SalesforceConnection): Promise<ObjectSummary[]> {
	return await rememberedFor(connection, 'sobjects', async () => {
		const { body } = await connection.send<{ sobjects?: ObjectSummary[] }>({
			method: 'GET',
			path: 'sobjects',
		});
		return body.sobjects ?? [];
	});
}

export async function describeObject(
	connection: SalesforceConnection,
	sobject: string,
	options: DescribeOptions = {},
): Promise<FieldDescribe[]> {
	return await rememberedFor(
		connection,
		`describe ${sobject}`,
		async () => {
			const { response, failure } = await connection.attempt<{ fields?: FieldDescribe[] }>({
				method: 'GET',
				path: `sobjects/${sobject}/describe`,
				what: `reading the fields of ${sobject}`,
			});
			// Salesforce answers 404 for an object that does not exist or that the user may not see.
			if (failure?.httpStatus === 404) {
				throw new NodeOperationError(
					connection.node,
					`Object: "${sobject}" is not an object this Salesforce user can see`,
					{
						description:
							"Check the API name (custom objects end in __c, e.g. Invoice__c), or pick the object from the list. If it exists, give the integration user's profile or a permission set access to it.",
					},
				);
			}
			if (failure) throw connection.nodeError(failure);
			return response.body.fields ?? [];
		},
		options.rememberMs,
	);
}

/** Forgets the object's remembered describe: the next one asks Salesforce (a field was added, removed or hidden). */
export function forgetObjectDescribe(connection: SalesforceConnection, sobject: string): void {
	remembered.delete(keyFor(connection, `describe ${sobject}`));
}

/** Field name → Salesforce type (string, double, date, boolean, …), for typed SOQL literals. */
export async function fieldTypesOf(
	connection: SalesforceConnection,
	sobject: string,
): Promise<Record<string, string>> {
	const types: Record<string, string> = {};
	for (const field of await describeObject(connection, sobject)) types[field.name] = field.type;
	return types;
}
