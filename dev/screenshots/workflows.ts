/**
 * The workflows `npm run screenshots` imports besides the two demo ones, with demo data a flow
 * builder would recognise: a polling trigger on Accounts, a Change Data Capture listener, a contract
 * uploaded to an Account, three Accounts created by a Bulk API 2.0 job.
 *
 * Not part of the `npm start` demo: the file upload and the Bulk job write to the org, and the demo
 * must stay read-only because it may run against a real org.
 */
import {
	CREDENTIAL_TYPE,
	SALESFORCE_ACTION_TYPE,
	SALESFORCE_EVENT_TRIGGER_TYPE,
} from '../demo-workflow';
import type { WorkflowToImport } from '../n8n/cli';
import { chain, manualTrigger, type NodeSpec } from '../n8n/workflow-builder';
import { SALESFORCE_TRIGGER_TYPE } from '../trigger-runs';

/** Fixed ids, so the script opens them by URL. */
export const TRIGGER_WORKFLOW_ID = 'sfiShotsTrigger1';
export const EVENT_TRIGGER_WORKFLOW_ID = 'sfiShotsEvents01';
export const FILE_WORKFLOW_ID = 'sfiShotsFiles001';
export const BULK_WORKFLOW_ID = 'sfiShotsBulk0001';

/** The nodes the script opens, by name. */
export const TRIGGER_NODE = 'New or changed Electronics Accounts';
export const EVENT_TRIGGER_NODE = 'Account changes';
export const UPLOAD_NODE = 'Attach contract to Account';
export const CREATE_NODE = 'Create Accounts';

export const CONTRACT_TITLE = 'Signed contract 2026';

type CredentialRef = { id: string; name: string };

/** The Object picker as the editor saves a choice from its list. */
export function accountFromList(): Record<string, unknown> {
	return { __rl: true, mode: 'list', value: 'Account', cachedResultName: 'Account (Account)' };
}

function salesforceNode(
	name: string,
	type: string,
	typeVersion: number,
	credential: CredentialRef,
	parameters: Record<string, unknown>,
): NodeSpec {
	return {
		name,
		type,
		typeVersion,
		parameters,
		credentials: { [CREDENTIAL_TYPE]: { id: credential.id, name: credential.name } },
	};
}

/** Salesforce Trigger alone: created or changed Electronics Accounts, three fields (they fit the output panel), polled every 5 minutes. */
export function triggerWorkflow(credential: CredentialRef): WorkflowToImport {
	return {
		...chain('Screenshots: Salesforce Trigger on Accounts', [
			salesforceNode(TRIGGER_NODE, SALESFORCE_TRIGGER_TYPE, 1, credential, {
				event: 'createdOrUpdated',
				sobject: accountFromList(),
				fields: ['Name', 'Industry', 'Phone'],
				conditions: {
					conditions: [{ field: 'Industry', operator: 'equal', value: 'Electronics' }],
				},
				options: {},
				pollTimes: { item: [{ mode: 'everyX', value: 5, unit: 'minutes' }] },
			}),
		]),
		id: TRIGGER_WORKFLOW_ID,
	};
}

/** Salesforce Event Trigger alone: Change Data Capture events of Account, new events only. */
export function eventTriggerWorkflow(credential: CredentialRef): WorkflowToImport {
	return {
		...chain('Screenshots: Salesforce Event Trigger on Account changes', [
			salesforceNode(EVENT_TRIGGER_NODE, SALESFORCE_EVENT_TRIGGER_TYPE, 1, credential, {
				source: 'changeEvents',
				objects: 'one',
				sobject: accountFromList(),
				replayFrom: 'new',
				options: {},
			}),
		]),
		id: EVENT_TRIGGER_WORKFLOW_ID,
	};
}

/** The Manual Trigger's name as the editor gives it. */
const MANUAL_TRIGGER = 'When clicking ‘Execute workflow’';

/** A Code node that outputs these items (as a webhook or an earlier step would deliver them). */
function itemsNode(name: string, items: Array<Record<string, unknown>>): NodeSpec {
	return {
		name,
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		parameters: { jsCode: `return ${JSON.stringify(items)}.map((json) => ({ json }));` },
	};
}

/** A one-page PDF, small but well-formed, as a contract a flow would receive. */
function contractPdfBase64(): string {
	const pdf = [
		'%PDF-1.4',
		'1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj',
		'2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj',
		'3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj',
		'trailer << /Root 1 0 R >>',
		'%%EOF',
		'',
	].join('\n');
	return Buffer.from(pdf).toString('base64');
}

/**
 * Manual Trigger → Code (the contract as base64) → Convert to File (a PDF in `data`) → Salesforce
 * Action File → Upload, titled and linked to the Account `accountId`.
 */
export function fileWorkflow(credential: CredentialRef, accountId: string): WorkflowToImport {
	return {
		...chain('Screenshots: upload a contract to an Account', [
			manualTrigger(MANUAL_TRIGGER),
			itemsNode('Contract from e-signature', [
				{ envelope: 'ENV-20260114-0042', pdf: contractPdfBase64() },
			]),
			{
				name: 'Contract PDF',
				type: 'n8n-nodes-base.convertToFile',
				typeVersion: 1.1,
				parameters: {
					operation: 'toBinary',
					sourceProperty: 'pdf',
					binaryPropertyName: 'data',
					options: { fileName: 'contract-ENV-20260114-0042.pdf', mimeType: 'application/pdf' },
				},
			},
			salesforceNode(UPLOAD_NODE, SALESFORCE_ACTION_TYPE, 1.2, credential, {
				resource: 'file',
				operation: 'upload',
				binaryPropertyName: 'data',
				title: CONTRACT_TITLE,
				linkedRecordId: accountId,
			}),
		]),
		id: FILE_WORKFLOW_ID,
	};
}

/** A field of the mapper as the node's getMappingColumns describes it (what n8n's editor stores in `schema`). */
export interface MapperField {
	id: string;
	removed?: boolean;
	[key: string]: unknown;
}

/**
 * The mapper's saved form: the fields set below, each from the item; every other field of `fields`
 * (what the editor got from the node when the object was picked) one click away, as the editor
 * saves them. Without the schema the editor would fetch it and show every field.
 */
function mappedColumns(
	values: Record<string, string>,
	fields: MapperField[],
): Record<string, unknown> {
	return {
		mappingMode: 'defineBelow',
		value: values,
		matchingColumns: [],
		schema: fields.map((field) => ({ ...field, removed: !(field.id in values) })),
		attemptToConvertTypes: false,
		convertFieldsToString: false,
	};
}

/**
 * Manual Trigger → Code (three new Accounts) → Salesforce Action Record → Create with API "Bulk API
 * 2.0", Name, Industry and Phone mapped; `accountFields` is the mapper's field list for Create on Account.
 */
export function bulkWorkflow(
	credential: CredentialRef,
	accountFields: MapperField[],
): WorkflowToImport {
	const accounts = [
		{ name: 'Northwind Traders', industry: 'Technology', phone: '+1 415 555 0134' },
		{ name: 'Globex Energy', industry: 'Energy', phone: '+1 212 555 0187' },
		{ name: 'Initech Systems', industry: 'Technology', phone: '+1 512 555 0199' },
	];
	return {
		...chain('Screenshots: create Accounts with Bulk API 2.0', [
			manualTrigger(MANUAL_TRIGGER),
			itemsNode('New Accounts', accounts),
			salesforceNode(CREATE_NODE, SALESFORCE_ACTION_TYPE, 1.2, credential, {
				resource: 'record',
				operation: 'create',
				sobject: accountFromList(),
				columns: mappedColumns(
					{
						Name: '={{ $json.name }}',
						Industry: '={{ $json.industry }}',
						Phone: '={{ $json.phone }}',
					},
					accountFields,
				),
				options: { api: 'bulk' },
			}),
		]),
		id: BULK_WORKFLOW_ID,
	};
}
