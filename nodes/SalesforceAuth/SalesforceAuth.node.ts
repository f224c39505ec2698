import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { N8N_RETRY_POLICY, sendThroughN8n } from '../client';
import { addFieldsToEachItem, refuseTokenToAiTool } from '../n8n';
import {
	checkFieldName,
	DEFAULT_OUTPUT_FIELD,
	LoginFields,
	obtainSession,
	refusalInForce,
} from '../salesforce';

const MIGRATION_GUIDE =
	'https://github.com/n8n-nodes-salesforce-integration/n8n-nodes-salesforce-integration/blob/main/docs/migrating-from-salesforce-authentication.md';

/**
 * The original node, which kept the connected app and the API user inline in every workflow.
 * Hidden from the nodes panel but still loadable, so saved workflows keep running; it shares the
 * Salesforce core with the Salesforce Action node (same login, same errors, same lockout guard).
 */
export class SalesforceAuth implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Salesforce Authentication (Deprecated)',
		name: 'salesforceAuth',
		icon: {
			light: 'file:../../icons/salesforce.svg',
			dark: 'file:../../icons/salesforce.dark.svg',
		},
		group: ['transform'],
		version: 1,
		hidden: true,
		subtitle: 'Deprecated: use Salesforce Action',
		description:
			'Deprecated: use a Salesforce Integration API credential with the Salesforce Action node',
		defaults: { name: 'Salesforce Authentication' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{
				displayName: `This node is deprecated. Copy these details into a "Salesforce Integration API" credential (one per environment, e.g. "Production Env", "UAT Env"), then replace this node with "Salesforce Action" and pick that credential. <a href="${MIGRATION_GUIDE}" target="_blank">Migration guide</a>`,
				name: 'deprecationNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Consumer Key',
				name: 'consumerKey',
				type: 'string',
				default: '',
				required: true,
				description: 'The Consumer Key of the Salesforce connected app',
			},
			{
				displayName: 'Consumer Secret',
				name: 'consumerSecret',
				type: 'string',
				typeOptions: { password: true },
				default: '',
				required: true,
				description: 'The Consumer Secret of the Salesforce connected app',
			},
			{
				displayName: 'Domain',
				name: 'domain',
				type: 'string',
				default: '',
				required: true,
				placeholder: 'acme.my.salesforce.com',
				description:
					'Your org\'s My Domain, e.g. "acme.my.salesforce.com", or "test.salesforce.com" for a sandbox',
			},
			{
				displayName: 'Username',
				name: 'username',
				type: 'string',
				default: '',
				required: true,
				description: 'The Salesforce username of the API user',
			},
			{
				displayName: 'Password',
				name: 'password',
				type: 'string',
				typeOptions: { password: true },
				default: '',
				required: true,
				description:
					"The API user's password (with the security token appended, if your org needs one)",
			},
			{
				displayName: 'Output Field',
				name: 'outputField',
				type: 'string',
				default: DEFAULT_OUTPUT_FIELD,
				description: 'Name of the output field that receives the access token',
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		refuseTokenToAiTool(
			this,
			'Replace this deprecated node with Salesforce Action and give the agent its Query, Record or API Request operations: they use the session without revealing it.',
		);
		const send = sendThroughN8n(async (options) => await this.helpers.httpRequest(options));

		return await addFieldsToEachItem.call(this, async (itemIndex) => {
			const parameter = (name: string) => this.getNodeParameter(name, itemIndex, '') as string;
			const outputField = checkFieldName(parameter('outputField'), 'Output Field');
			const loginFields: LoginFields = {
				authFlow: 'password',
				domain: parameter('domain'),
				consumerKey: parameter('consumerKey'),
				consumerSecret: parameter('consumerSecret'),
				username: parameter('username'),
				password: parameter('password'),
			};
			const refusal = refusalInForce(loginFields);
			if (refusal) throw refusal;
			// The guard shares one login between all items (and parallel executions) with the same details.
			const { session } = await obtainSession(loginFields, send, { retry: N8N_RETRY_POLICY });
			return { [outputField]: session.accessToken };
		});
	}
}
