/**
 * What the Record operations share: the object picker (a resource locator over the org's objects),
 * the record ID field and the write options, and reading them per item.
 */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { apiNameLocator } from '../../../editor';
import { toNodeError } from '../../../n8n';
import { checkApiName, checkMaxWaitMinutes, checkRecordId } from '../../../salesforce';

export const RECORD_OPERATIONS = ['get', 'getAll', 'create', 'update', 'upsert', 'delete'] as const;
export type RecordOperation = (typeof RECORD_OPERATIONS)[number];

export function showFor(...operations: RecordOperation[]): INodeProperties['displayOptions'] {
	return { show: { resource: ['record'], operation: operations } };
}

export const sobjectLocator: INodeProperties = apiNameLocator({
	displayName: 'Object',
	name: 'sobject',
	description: 'The Salesforce object (sObject) to work on, standard or custom',
	searchListMethod: 'searchObjects',
	examples: ['Account', 'Invoice__c'],
	displayOptions: { show: { resource: ['record'] } },
});

export const recordIdField: INodeProperties = {
	displayName: 'Record ID',
	name: 'recordId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. 001XXXXXXXXXXXXXXX',
	description: 'The 15- or 18-character Salesforce ID of the record',
	displayOptions: showFor('get', 'update', 'delete'),
};

const batchSizeOption: INodeProperties = {
	displayName: 'Batch Size',
	name: 'batchSize',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 200 },
	default: 200,
	description:
		"Records sent per request (sObject Collections take up to 200). Each request counts once against the org's daily API requests, however many records it carries.",
};

const WRITES: RecordOperation[] = ['create', 'update', 'upsert', 'delete'];

/** Versions 1 and 1.1: every write goes through sObject Collections (what saved workflows do). */
export const writeOptions: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add option',
	default: {},
	displayOptions: { show: { resource: ['record'], operation: WRITES, '@version': [1, 1.1] } },
	options: [batchSizeOption],
};

/**
 * Above this many records of one object, "Automatic" writes with one Bulk API 2.0 job. Collections
 * cost one request per 200 records: 10 requests at 2,000. A Bulk job costs create + upload + close
 * + one or two result reads + its status polls (one or two on a quick job, a handful when it takes
 * minutes), so 6–12 requests: below ~2,000 records it saves nothing, and a job adds seconds to
 * minutes of waiting. Above, it wins fast: 100,000 records are 500 Collections requests, about 8
 * Bulk ones. Salesforce's own guidance: Bulk API for more than 2,000 records.
 */
export const BULK_THRESHOLD = 2000;

/** How long a write or query waits for its Bulk job by default: a real org takes seconds to minutes. */
export const BULK_MAX_WAIT_MINUTES = 60;

export const bulkMaxWaitOption: INodeProperties = {
	displayName: 'Bulk Max Wait (Minutes)',
	name: 'bulkMaxWaitMinutes',
	type: 'number',
	typeOptions: { minValue: 0.1 },
	default: BULK_MAX_WAIT_MINUTES,
	description:
		'How long to wait for a Bulk API job to finish. Past it the node aborts the job and fails naming its ID (find it in Setup → Bulk Data Load Jobs). Status is asked every 1 s at first, then less often, up to every 30 s.',
};

/** Version 1.2 on: the API is a choice, Bulk API 2.0 automatically above a threshold. */
export const writeOptionsWithApi: INodeProperties = {
	...writeOptions,
	displayOptions: {
		show: { resource: ['record'], operation: WRITES, '@version': [{ _cnd: { gte: 1.2 } }] },
	},
	options: [
		{
			displayName: 'API',
			name: 'api',
			type: 'options',
			options: [
				{
					name: 'Automatic',
					value: 'auto',
					description:
						'Bulk API 2.0 when more records of one object than "Bulk Above" are written, else sObject Collections',
				},
				{
					name: 'Bulk API 2.0',
					value: 'bulk',
					description:
						'One asynchronous job: CSV upload, status polls, results. Records stand alone (no all-or-none).',
				},
				{
					name: 'sObject Collections',
					value: 'collections',
					description: '200 records per request, answered at once',
				},
			],
			default: 'auto',
			description:
				'Which Salesforce API writes the records. The output is the same either way: one item per input item, in order.',
		},
		{
			displayName: 'Bulk Above (Records)',
			name: 'bulkThreshold',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: BULK_THRESHOLD,
			description:
				'With API "Automatic": more records than this (of one object) go as one Bulk API job. 2,000 is where a job starts to cost fewer API requests than Collections.',
		},
		bulkMaxWaitOption,
		{ ...batchSizeOption, displayName: 'Batch Size (Collections)' },
	],
};

export type WriteApi = 'collections' | 'bulk';

export interface WriteApiChoice {
	api: 'auto' | WriteApi;
	threshold: number;
	maxWaitMs: number;
}

/** The API choice of the node: versions 1 and 1.1 always write through Collections. */
export function readWriteApi(context: IExecuteFunctions): WriteApiChoice {
	const options = context.getNodeParameter('options', 0, {}) as {
		api?: string;
		bulkThreshold?: number;
		bulkMaxWaitMinutes?: number;
	};
	let maxWaitMs: number;
	try {
		maxWaitMs = checkMaxWaitMinutes(options.bulkMaxWaitMinutes ?? BULK_MAX_WAIT_MINUTES) * 60_000;
	} catch (error) {
		throw toNodeError(context.getNode(), error);
	}
	if (context.getNode().typeVersion < 1.2)
		return { api: 'collections', threshold: BULK_THRESHOLD, maxWaitMs };
	const api = options.api === 'bulk' || options.api === 'collections' ? options.api : 'auto';
	return { api, threshold: options.bulkThreshold ?? BULK_THRESHOLD, maxWaitMs };
}

/** Which API writes `count` records of one object. */
export function apiFor(choice: WriteApiChoice, count: number): WriteApi {
	if (choice.api !== 'auto') return choice.api;
	return count > choice.threshold ? 'bulk' : 'collections';
}

/** The object's API name for item `itemIndex`, checked. */
export function readSobject(context: IExecuteFunctions, itemIndex: number): string {
	const value = context.getNodeParameter('sobject', itemIndex, '', {
		extractValue: true,
	}) as string;
	return checkApiName(String(value ?? '').trim(), 'Object');
}

export function readRecordId(context: IExecuteFunctions, itemIndex: number): string {
	return checkRecordId(
		String(context.getNodeParameter('recordId', itemIndex, '') ?? ''),
		'Record ID',
	);
}

export function readBatchSize(context: IExecuteFunctions): number {
	const options = context.getNodeParameter('options', 0, {}) as { batchSize?: number };
	return options.batchSize ?? 200;
}
