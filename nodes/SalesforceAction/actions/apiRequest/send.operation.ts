/**
 * API Request → Send: any REST call on the environment's instance — Composite, Tooling, Apex REST,
 * Limits — authenticated by the credential, so the token stays out of the workflow.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { HttpMethod, SalesforceConnection } from '../../../client';
import type { ItemStep } from '../../../n8n';
import {
	invalidParameter,
	resolveApiPath,
	REST_API_VERSION,
	type RequestParameters,
} from '../../../salesforce';

const show = { show: { resource: ['apiRequest'], operation: ['send'] } };
const METHODS: HttpMethod[] = ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'];
const PATH_LABEL = 'Path';
const BODY_LABEL = 'Body';
const PARAMETERS: RequestParameters = { path: PATH_LABEL, body: BODY_LABEL };

export const description: INodeProperties[] = [
	{
		displayName: 'Method',
		name: 'method',
		type: 'options',
		options: METHODS.map((method) => ({ name: method, value: method })),
		default: 'GET',
		displayOptions: show,
	},
	{
		displayName: PATH_LABEL,
		name: 'path',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. limits, sobjects/Account/describe or /services/apexrest/MyService',
		description:
			'Relative to the REST API version (/services/data/v62.0/), or any path of the instance starting with /services/',
		displayOptions: show,
	},
	{
		displayName: 'Query Parameters',
		name: 'queryParameters',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Parameter',
		default: {},
		displayOptions: show,
		options: [
			{
				displayName: 'Parameter',
				name: 'parameters',
				values: [
					{ displayName: 'Name', name: 'name', type: 'string', default: '' },
					{ displayName: 'Value', name: 'value', type: 'string', default: '' },
				],
			},
		],
	},
	{
		displayName: BODY_LABEL,
		name: 'body',
		type: 'json',
		default: '{}',
		description: 'The JSON body to send',
		displayOptions: { show: { ...show.show, method: ['POST', 'PATCH', 'PUT'] } },
	},
];

function parseBody(value: unknown): unknown {
	if (typeof value !== 'string') return value;
	if (value.trim() === '') return undefined;
	try {
		return JSON.parse(value);
	} catch (error) {
		throw invalidParameter(
			BODY_LABEL,
			`is not valid JSON (${(error as Error).message})`,
			'Enter a JSON object or array, e.g. {"Name": "Acme"}.',
		);
	}
}

export function prepare(this: IExecuteFunctions, salesforce: SalesforceConnection): ItemStep {
	return async (itemIndex) => {
		const method = this.getNodeParameter('method', itemIndex, 'GET') as HttpMethod;
		const path = String(this.getNodeParameter('path', itemIndex, '') ?? '');
		const parameters =
			(
				this.getNodeParameter('queryParameters', itemIndex, {}) as {
					parameters?: Array<{ name?: string; value?: string }>;
				}
			).parameters ?? [];
		const qs: Record<string, string> = {};
		for (const { name, value } of parameters) if (name) qs[name] = value ?? '';
		const body =
			method === 'GET' || method === 'DELETE'
				? undefined
				: parseBody(this.getNodeParameter('body', itemIndex, '{}'));
		// The user's Path stays within the instance's /services/ (the client's own requests may also reach /cometd/).
		const servicesPath = resolveApiPath(path, REST_API_VERSION);
		const response = await salesforce.send<unknown>({
			method,
			path: servicesPath,
			qs,
			body: body === undefined ? undefined : { json: body },
			parameters: PARAMETERS,
		});
		if (response.body === undefined || response.body === null || response.body === '')
			return { success: true, statusCode: response.status };
		if (Array.isArray(response.body))
			return response.body.map(
				(entry) =>
					(typeof entry === 'object' && entry !== null ? entry : { value: entry }) as IDataObject,
			);
		return (
			typeof response.body === 'object' ? response.body : { value: response.body }
		) as IDataObject;
	};
}
