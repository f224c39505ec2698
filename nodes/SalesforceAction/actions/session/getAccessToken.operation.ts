/**
 * Get Access Token: writes the session's values into the fields the user mapped, so later nodes can
 * use them as {{ $json.SF_ACCESS_TOKEN }} (or any other name).
 */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import {
	DEFAULT_OUTPUT_FIELD,
	mapSession,
	readOutputMappings,
	SalesforceSession,
	SESSION_FIELDS,
} from '../../../salesforce';
import { ItemFields, parameterReader } from '../../../n8n';

/**
 * The mapping table, in two versions. Saved workflows store only what differs from a default (rows
 * included), so version 1 keeps its defaults forever: a stored row `{ objectPath: 'org_id' }` means
 * org_id → SF_ACCESS_TOKEN there. From 1.1 the Field Name defaults to empty, meaning SF_ + the value
 * picked (instance_url → SF_INSTANCE_URL), so a row added in the editor works as added.
 */
const FIELD_NAME_HINT =
	"Later nodes read it as {{ $json.FIELD_NAME }}, with this field's name in place of FIELD_NAME";

const FIELD_NAME_V1: INodeProperties = {
	displayName: 'Field Name',
	name: 'field',
	type: 'string',
	default: DEFAULT_OUTPUT_FIELD,
	placeholder: DEFAULT_OUTPUT_FIELD,
	description: 'Name of the output field that receives the value',
	hint: FIELD_NAME_HINT,
};

const FIELD_NAME_FOLLOWING_VALUE: INodeProperties = {
	displayName: 'Field Name',
	name: 'field',
	type: 'string',
	default: '',
	placeholder: "Empty: SF_ and the value's name, e.g. SF_INSTANCE_URL",
	description:
		"Name of the output field that receives the value. Leave empty for SF_ and the value's name in capitals (SF_ACCESS_TOKEN, SF_INSTANCE_URL, SF_ORG_ID, …).",
	hint: FIELD_NAME_HINT,
};

function responseMapping(version: 'v1' | 'v1.1'): INodeProperties {
	const fieldFollowsValue = version === 'v1.1';
	return {
		displayName: 'Response Mapping',
		name: 'responseMapping',
		placeholder: 'Add Mapping',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		default: {
			mappings: [
				{ objectPath: 'access_token', field: fieldFollowsValue ? '' : DEFAULT_OUTPUT_FIELD },
			],
		},
		description: 'Which values of the Salesforce session to write into which output fields',
		displayOptions: fieldFollowsValue
			? {
					show: { resource: ['session'], operation: ['getAccessToken'] },
					hide: { '@version': [1] },
				}
			: { show: { resource: ['session'], operation: ['getAccessToken'], '@version': [1] } },
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
					fieldFollowsValue ? FIELD_NAME_FOLLOWING_VALUE : FIELD_NAME_V1,
				],
			},
		],
	};
}

/**
 * Off (the default, what saved workflows do): a session Salesforce accepted in the last minute (for
 * any request of this n8n process) is handed out without asking again — fifty runs a minute cost one
 * check. On: every run asks Salesforce first (one API request), for a token that goes to a system
 * that cannot renew it.
 */
const sessionOptions: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add option',
	default: {},
	displayOptions: { show: { resource: ['session'], operation: ['getAccessToken'] } },
	options: [
		{
			displayName: 'Check the Session Every Run',
			name: 'checkEveryRun',
			type: 'boolean',
			default: false,
			description:
				'Whether to have Salesforce confirm the session on every run (one API request) before handing it out. When off, a session Salesforce accepted in the last minute is handed out unchecked. Turn it on when the token goes to a system that cannot renew it.',
		},
	],
};

export const description: INodeProperties[] = [
	responseMapping('v1'),
	responseMapping('v1.1'),
	sessionOptions,
];

/** Whether this run must have Salesforce confirm the session (read once: one session serves every item). */
export function checksEveryRun(context: IExecuteFunctions): boolean {
	const options = context.getNodeParameter('options', 0, {}) as { checkEveryRun?: boolean };
	return options.checkEveryRun === true;
}

export function prepare(
	this: IExecuteFunctions,
	getSession: () => Promise<SalesforceSession>,
): ItemFields {
	const rules = { fieldFollowsValue: this.getNode().typeVersion >= 1.1 };
	const mappingsFor = parameterReader(this, 'responseMapping', {}, (value) =>
		readOutputMappings((value as { mappings?: unknown }).mappings, rules),
	);
	return async (itemIndex) => {
		// Checked before the session is fetched: a bad mapping never costs a login.
		const mappings = mappingsFor(itemIndex);
		return mapSession(await getSession(), mappings);
	};
}
