/**
 * Get Access Token: writes the session's values into the fields the user mapped, so later nodes can
 * use them as {{ $json.SF_ACCESS_TOKEN }} (or any other name).
 */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import {
	DEFAULT_OUTPUT_FIELD,
	ItemFields,
	mapSession,
	parameterReader,
	readOutputMappings,
	SalesforceSession,
	SESSION_FIELDS,
} from '../../salesforce';

const showForThisOperation = { show: { operation: ['getAccessToken'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Response Mapping',
		name: 'responseMapping',
		placeholder: 'Add Mapping',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		default: { mappings: [{ objectPath: 'access_token', field: DEFAULT_OUTPUT_FIELD }] },
		description: 'Which values of the Salesforce session to write into which output fields',
		displayOptions: showForThisOperation,
		options: [
			{
				displayName: 'Mapping',
				name: 'mappings',
				values: [
					{
						displayName: 'Object Path',
						name: 'objectPath',
						type: 'options',
						options: SESSION_FIELDS.map((field) => ({
							name: field.label,
							value: field.path,
							description: field.description,
						})),
						default: 'access_token',
						description: 'The value of the Salesforce session to output',
					},
					{
						displayName: 'Field Name',
						name: 'field',
						type: 'string',
						default: DEFAULT_OUTPUT_FIELD,
						placeholder: DEFAULT_OUTPUT_FIELD,
						description: 'Name of the output field that receives the value',
						hint: 'Later nodes read it as {{ $json.FIELD_NAME }}, with this field\'s name in place of FIELD_NAME',
					},
				],
			},
		],
	},
];

export function prepare(this: IExecuteFunctions, getSession: () => Promise<SalesforceSession>): ItemFields {
	const mappingsFor = parameterReader(this, 'responseMapping', {}, (value) =>
		readOutputMappings((value as { mappings?: unknown }).mappings),
	);
	return async (itemIndex) => {
		// Checked before the session is fetched: a bad mapping never costs a login.
		const mappings = mappingsFor(itemIndex);
		return mapSession(await getSession(), mappings);
	};
}
