/**
 * Reads resource and operation once (neither takes expressions) and runs the operation. Per-item
 * operations go through the shared per-item loop (pairedItem, continue-on-fail); the writes collect
 * all items first so they can go to Salesforce 200 at a time.
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { connect, getLiveSession, type SalesforceConnection } from '../../client';
import { addFieldsToEachItem, ItemStep, outputForEachItem, refuseTokenToAiTool } from '../../n8n';
import type { SalesforceSession } from '../../salesforce';
import * as send from './apiRequest/send.operation';
import * as fileDownload from './file/download.operation';
import * as fileGetAll from './file/getAll.operation';
import * as fileUpload from './file/upload.operation';
import * as soql from './query/soql.operation';
import * as create from './record/create.operation';
import * as deleteRecord from './record/delete.operation';
import * as get from './record/get.operation';
import * as getAll from './record/getAll.operation';
import * as update from './record/update.operation';
import * as upsert from './record/upsert.operation';
import * as getAccessToken from './session/getAccessToken.operation';

/** One output record set per input item (`items`: whole items, binary data included). */
type PerItem = {
	perItem: (this: IExecuteFunctions, salesforce: SalesforceConnection) => ItemStep;
	output?: 'items';
};
/** Sees all items at once (the batched writes). */
type AllItems = {
	allItems: (
		this: IExecuteFunctions,
		salesforce: SalesforceConnection,
	) => Promise<INodeExecutionData[][]>;
};

const operations: Record<string, Record<string, PerItem | AllItems>> = {
	query: { soql: { perItem: soql.prepare } },
	record: {
		get: { perItem: get.prepare },
		getAll: { perItem: getAll.prepare },
		create: { allItems: create.execute },
		update: { allItems: update.execute },
		upsert: { allItems: upsert.execute },
		delete: { allItems: deleteRecord.execute },
	},
	apiRequest: { send: { perItem: send.prepare } },
	file: {
		upload: { perItem: fileUpload.prepare },
		download: { perItem: fileDownload.prepare, output: 'items' },
		getAll: { perItem: fileGetAll.prepare },
	},
};

/** The value n8n's editor gives its own "Custom API Call" entry (n8n's CUSTOM_API_CALL_KEY). */
const CUSTOM_API_CALL = '__CUSTOM_API_CALL__';

async function getAccessTokenForEachItem(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	refuseTokenToAiTool(
		this,
		"Give the agent this node's Query, Record or API Request operations instead: they use the session without revealing it.",
	);
	// One session per execution, fetched on first use, so one login serves all items.
	const checkEveryRun = getAccessToken.checksEveryRun(this);
	let session: Promise<SalesforceSession> | undefined;
	const getSession = async () =>
		await (session ??= getLiveSession(connect(this), { checkEveryRun }));
	return await addFieldsToEachItem.call(this, getAccessToken.prepare.call(this, getSession));
}

export async function route(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0, 'session') as string;
	const operationName = this.getNodeParameter('operation', 0) as string;
	if (operationName === CUSTOM_API_CALL) {
		throw new NodeOperationError(
			this.getNode(),
			'"Custom API Call" is not an operation of this node',
			{
				description:
					'Choose Resource "API Request" → "Send" for any Salesforce REST call with this credential. Then check the operation\'s fields (the editor resets them when the operation changes).',
			},
		);
	}
	if (resource === 'session' && operationName === 'getAccessToken')
		return await getAccessTokenForEachItem.call(this);

	const operation = operations[resource]?.[operationName];
	if (!operation) {
		const known = [
			'session: getAccessToken',
			...Object.entries(operations).flatMap(([name, ops]) =>
				Object.keys(ops).map((op) => `${name}: ${op}`),
			),
		];
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operationName}" of resource "${resource}" is not known`,
			{
				description: `Choose one of: ${known.join(', ')}.`,
			},
		);
	}
	// One connection for the execution: every item's requests go through it.
	const salesforce = connect(this);
	if ('allItems' in operation) return await operation.allItems.call(this, salesforce);
	return await outputForEachItem.call(this, operation.perItem.call(this, salesforce), {
		mode: operation.output ?? 'records',
	});
}
