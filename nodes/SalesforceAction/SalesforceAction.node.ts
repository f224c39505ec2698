import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { properties, subtitle } from './actions/description';
import { route } from './actions/router';
import { listSearch, loadOptions, resourceMapping } from './methods';
import { CREDENTIAL_TYPE } from '../client';

/**
 * Picks an environment (a Salesforce Integration API credential) and works on it: hands its live
 * session to later nodes, or does the Salesforce work itself (queries, records, any REST call) so
 * the token never enters the workflow. Each operation lives in actions/<resource>/<operation>.operation.ts,
 * actions/router.ts runs them through one client connection (../client), methods/ feeds the editor.
 */
export class SalesforceAction implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Salesforce Action',
		name: 'salesforceAction',
		icon: {
			light: 'file:../../icons/salesforce.svg',
			dark: 'file:../../icons/salesforce.dark.svg',
		},
		group: ['transform'],
		// 1.1: a Response Mapping row's Field Name may stay empty and follows the value picked.
		// 1.2: Record writes choose their API, Bulk API 2.0 automatically above 2,000 records (1 and
		// 1.1 keep sObject Collections: n8n stores no defaults, so saved workflows keep theirs).
		version: [1, 1.1, 1.2],
		// Also why n8n adds no "Custom API Call" entry to the Operation menu: it only adds it where
		// defaultVersion equals version (LoadNodesAndCredentials.injectCustomApiCallOptions, n8n 1.x–2.x).
		// API Request → Send does what that entry would (any REST call with this credential), and
		// choosing the entry hid the mapping, so the editor dropped the user's rows. The router still
		// explains it, should a workflow saved with it arrive.
		defaultVersion: 1.2,
		subtitle,
		// What the nodes panel shows under the name, next to n8n's own Salesforce node: what sets this one apart first.
		description:
			'One credential per Salesforce environment, logging in by Username-Password, Client Credentials or JWT: SOQL, record writes 200 per request (Bulk API 2.0 for large volumes), files, any REST call, or the access token',
		defaults: { name: 'Salesforce Action' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		properties,
	};

	methods = { listSearch, loadOptions, resourceMapping };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route.call(this);
	}
}
