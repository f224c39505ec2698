/**
 * Stands in for n8n's HTTP Request node with "Predefined Credential Type": a small node that calls
 * n8n-core's legacy `requestWithAuthentication`, which runs preAuthentication, authenticate, sends
 * the request, and after a failure runs preAuthentication again.
 */
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { credentialType } from './fixtures';

export class LegacyRequestNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Legacy Request',
		name: 'legacyRequest',
		group: ['transform'],
		version: 1,
		description: 'GETs a REST resource with n8n-core requestWithAuthentication',
		defaults: { name: 'Legacy Request' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: credentialType.name, required: true }],
		properties: [
			{ displayName: 'Path', name: 'path', type: 'string', default: '/services/data/v62.0/limits' },
			{
				displayName: 'URL',
				name: 'url',
				type: 'string',
				default: '',
				description: 'Absolute URL; empty = the stored instance URL + Path',
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const url = this.getNodeParameter('url', 0) as string;
		const uri =
			url ||
			`${(await this.getCredentials(credentialType.name)).instanceUrl as string}${this.getNodeParameter('path', 0) as string}`;
		const answer = await this.helpers.requestWithAuthentication.call(this, credentialType.name, {
			method: 'GET',
			uri,
			json: true,
		});
		return [[{ json: { answer } }]];
	}
}
