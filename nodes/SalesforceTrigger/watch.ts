/**
 * What the trigger watches, from its parameters: the object, the event, the fields (none chosen:
 * every field the API user can read, from the object's describe) and the conditions (typed by the
 * describe when they compare values).
 *
 * A poll runs every minute, so the describe is remembered for a day (per credential and object) and
 * asked again only when Salesforce shows it stale: a field it lists no longer exists or is hidden
 * (INVALID_FIELD), or a field the user chose is not in it (new since). `describedFromMemory` tells
 * the poll when such a refresh can help.
 */
import type { IPollFunctions } from 'n8n-workflow';
import { describeObject, forgetObjectDescribe, type SalesforceConnection } from '../client';
import { comparesValues, readConditions, readFieldList } from '../editor';
import {
	checkApiName,
	type ChangeWatch,
	type FieldDescribe,
	type QueryCondition,
} from '../salesforce';
import { labels } from './description';

export interface TriggerParameters {
	event: string;
	sobject: string;
	fields: string[];
	conditions: QueryCondition[];
	timestampField?: string;
}

export function readParameters(context: IPollFunctions): TriggerParameters {
	const sobject = checkApiName(
		String(context.getNodeParameter('sobject', '', { extractValue: true }) ?? '').trim(),
		labels.sobject ?? 'Object',
	);
	const options = context.getNodeParameter('options', {}) as { timestampField?: string };
	return {
		event: context.getNodeParameter('event', 'created') as string,
		sobject,
		fields: readFieldList(context.getNodeParameter('fields', [])),
		conditions: readConditions(context.getNodeParameter('conditions', {})),
		timestampField: options.timestampField,
	};
}

/** A day: describe answers change when an admin changes the object, rarely; a stale one is refreshed on Salesforce's word. */
const DESCRIBE_REMEMBER_MS = 24 * 60 * 60_000;

/**
 * Fields "every field" leaves out: a blob's content (base64) belongs to a download, not to an item,
 * and a query holding one is answered a few records at a time.
 */
const NOT_RETURNED_BY_DEFAULT = new Set(['base64']);

export interface PreparedWatch {
	watch: ChangeWatch;
	/** The watch rests on a describe remembered from an earlier poll (which may be stale). */
	describedFromMemory: boolean;
}

/** Builds the watch; `refresh` asks Salesforce for the describe even when one is remembered. */
export async function prepareWatch(
	connection: SalesforceConnection,
	parameters: TriggerParameters,
	scope: string,
	refresh = false,
): Promise<PreparedWatch> {
	const needsDescribe = parameters.fields.length === 0 || comparesValues(parameters.conditions);
	let described: FieldDescribe[] | undefined;
	let describedFromMemory = false;
	if (needsDescribe) {
		if (refresh) forgetObjectDescribe(connection, parameters.sobject);
		const sentBefore = connection.requestsSent;
		described = await describeObject(connection, parameters.sobject, {
			rememberMs: DESCRIBE_REMEMBER_MS,
		});
		describedFromMemory = connection.requestsSent === sentBefore;
	}
	const watch: ChangeWatch = {
		sobject: parameters.sobject,
		event: parameters.event,
		timestampField: parameters.timestampField,
		fields:
			parameters.fields.length > 0
				? parameters.fields
				: (described ?? [])
						.filter((field) => !NOT_RETURNED_BY_DEFAULT.has(field.type))
						.map((field) => field.name),
		conditions: parameters.conditions,
		fieldTypes:
			described && comparesValues(parameters.conditions)
				? Object.fromEntries(described.map((field) => [field.name, field.type]))
				: undefined,
		scope,
		labels,
	};
	return { watch, describedFromMemory };
}
