/**
 * Query → Run SOQL: the records a SOQL query returns, one output item each, following Salesforce's
 * pages (up to 2,000 records each) as far as Return All or the limit asks — or, with "Use Bulk
 * API", as a Bulk API 2.0 query job (a million records in about 15 requests instead of 500), whose
 * CSV results come back typed and nested exactly as the REST query's.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { queryRecords, runQueryJob, type SalesforceConnection } from '../../../client';
import type { ItemStep } from '../../../n8n';
import {
	checkMaxWaitMinutes,
	invalidParameter,
	withoutAttributes,
	type RequestParameters,
} from '../../../salesforce';
import { BULK_MAX_WAIT_MINUTES, bulkMaxWaitOption } from '../record/common';

const show = { show: { resource: ['query'], operation: ['soql'] } };
const QUERY_LABEL = 'SOQL Query';
const PARAMETERS: RequestParameters = { query: QUERY_LABEL };

/** Return All + Limit, shared with Record → Get Many. */
export function limitFields(displayOptions: INodeProperties['displayOptions']): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
			displayOptions,
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
			displayOptions: { ...displayOptions, show: { ...displayOptions?.show, returnAll: [false] } },
		},
	];
}

export const description: INodeProperties[] = [
	{
		displayName: QUERY_LABEL,
		name: 'query',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		placeholder: 'SELECT Id, Name FROM Account WHERE CreatedDate = TODAY',
		description:
			'The SOQL query to run. Values from items belong in quotes and escaped; Record → Get Many builds safe queries for you.',
		displayOptions: show,
	},
	...limitFields(show),
	{
		displayName: 'Include Deleted',
		name: 'includeDeleted',
		type: 'boolean',
		default: false,
		description: 'Whether to include records in the Recycle Bin and archived activities (queryAll)',
		displayOptions: show,
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: show,
		options: [
			{
				displayName: 'Include Attributes',
				name: 'includeAttributes',
				type: 'boolean',
				default: false,
				description: 'Whether to keep Salesforce\'s "attributes" (type and URL) on each record',
			},
			bulkMaxWaitOption,
			{
				displayName: 'Page Size',
				name: 'batchSize',
				type: 'number',
				typeOptions: { minValue: 200, maxValue: 2000 },
				default: 2000,
				description:
					'Records per page Salesforce is asked for (a hint it may lower). Each page is one API request. Not used by Bulk API query jobs, whose pages Salesforce sizes.',
			},
			{
				displayName: 'Use Bulk API',
				name: 'useBulkApi',
				type: 'boolean',
				default: false,
				description:
					'Whether to run the query as a Bulk API 2.0 query job: for hundreds of thousands of records or more (a job costs its create, a few status polls and one request per page of results, however large). Same output as the REST query; no subqueries, aggregates or OFFSET.',
			},
		],
	},
];

export function prepare(this: IExecuteFunctions, salesforce: SalesforceConnection): ItemStep {
	return async (itemIndex) => {
		const soql = String(this.getNodeParameter('query', itemIndex, '') ?? '').trim();
		if (soql === '')
			throw invalidParameter(
				QUERY_LABEL,
				'is empty',
				'Enter a query such as SELECT Id, Name FROM Account LIMIT 10.',
			);
		const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
		const limit = returnAll ? undefined : (this.getNodeParameter('limit', itemIndex, 50) as number);
		const includeDeleted = this.getNodeParameter('includeDeleted', itemIndex, false) as boolean;
		const options = this.getNodeParameter('options', itemIndex, {}) as {
			includeAttributes?: boolean;
			batchSize?: number;
			useBulkApi?: boolean;
			bulkMaxWaitMinutes?: number;
		};
		if (options.useBulkApi) {
			const maxWaitMs =
				checkMaxWaitMinutes(options.bulkMaxWaitMinutes ?? BULK_MAX_WAIT_MINUTES) * 60_000;
			const records: IDataObject[] = [];
			await runQueryJob(
				salesforce,
				soql,
				{ includeDeleted, limit, includeAttributes: options.includeAttributes === true, maxWaitMs },
				(record) => records.push(record as IDataObject),
			);
			return records;
		}
		const records = await queryRecords(salesforce, soql, {
			includeDeleted,
			limit,
			batchSize: options.batchSize,
			parameters: PARAMETERS,
		});
		return records.map(
			(record) => (options.includeAttributes ? record : withoutAttributes(record)) as IDataObject,
		);
	};
}
