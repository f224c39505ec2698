import { NodeConnectionTypes } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import * as getAccessToken from './actions/getAccessToken.operation';
import { route } from './actions/router';
import { CREDENTIAL_TYPE } from './transport';

/**
 * Picks an environment (a Salesforce Integration API credential) and outputs its live session.
 * Each operation lives in actions/<name>.operation.ts; actions/router.ts runs them per item.
 */
export class SalesforceAction implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Salesforce Action',
		name: 'salesforceAction',
		icon: { light: 'file:../../icons/salesforce.svg', dark: 'file:../../icons/salesforce.dark.svg' },
		group: ['transform'],
		// 1.1: a Response Mapping row's Field Name may stay empty and follows the value picked.
		version: [1, 1.1],
		// Also why n8n adds no "Custom API Call" entry to the Operation menu: it only adds it where
		// defaultVersion equals version (LoadNodesAndCredentials.injectCustomApiCallOptions, n8n 1.x–2.x).
		// That entry only points at the HTTP Request node, which works with this credential (README),
		// and choosing it hid the mapping, so the editor dropped the user's rows. The router still
		// explains it, should a workflow saved with it arrive.
		defaultVersion: 1.1,
		subtitle: '={{ $parameter["operation"] === "getAccessToken" ? "Get Access Token" : $parameter["operation"] }}',
		description: 'Hands a live Salesforce session from the chosen environment\'s credential to the rest of the workflow',
		defaults: { name: 'Salesforce Action' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Get Access Token',
						value: 'getAccessToken',
						description: 'Output the session\'s access token (and any other mapped values) for later nodes',
						action: 'Get an access token',
					},
				],
				default: 'getAccessToken',
			},
			...getAccessToken.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route.call(this);
	}
}
