/**
 * The node's parameters: Resource, then each resource's Operation, then each operation's fields.
 * Names and values are stored in saved workflows. A parameter left at its default is not stored, so
 * `resource` defaults to `session` and its operation to `getAccessToken` forever: every workflow
 * saved before resources existed (no `resource` stored) keeps running Get Access Token.
 */
import type { INodeProperties } from 'n8n-workflow';
import * as send from './apiRequest/send.operation';
import * as fileDownload from './file/download.operation';
import * as fileGetAll from './file/getAll.operation';
import * as fileUpload from './file/upload.operation';
import * as soql from './query/soql.operation';
import { recordIdField, sobjectLocator, writeOptions, writeOptionsWithApi } from './record/common';
import * as create from './record/create.operation';
import * as get from './record/get.operation';
import * as getAll from './record/getAll.operation';
import * as update from './record/update.operation';
import * as upsert from './record/upsert.operation';
import * as getAccessToken from './session/getAccessToken.operation';

const resource: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	options: [
		{
			name: 'API Request',
			value: 'apiRequest',
			description: 'Any REST call on the environment: Composite, Tooling, Apex REST, …',
		},
		{
			name: 'File',
			value: 'file',
			description: 'Upload, download and list Salesforce Files (and Attachment, Document bodies)',
		},
		{ name: 'Query', value: 'query', description: 'Run a SOQL query' },
		{
			name: 'Record',
			value: 'record',
			description: 'Get, create, update, upsert or delete records of any object',
		},
		{
			name: 'Session',
			value: 'session',
			description: 'Hand the live session (access token, instance URL) to later nodes',
		},
	],
	default: 'session',
};

function operationsOf(
	resourceValue: string,
	fallback: string,
	options: INodeProperties['options'],
): INodeProperties {
	return {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [resourceValue] } },
		options,
		default: fallback,
	};
}

export const properties: INodeProperties[] = [
	resource,
	operationsOf('session', 'getAccessToken', [
		{
			name: 'Get Access Token',
			value: 'getAccessToken',
			description:
				"Output the session's access token (and any other mapped values) for later nodes",
			action: 'Get an access token',
		},
	]),
	operationsOf('query', 'soql', [
		{
			name: 'Run SOQL',
			value: 'soql',
			description: 'Return the records a SOQL query finds',
			action: 'Run a SOQL query',
		},
	]),
	operationsOf('record', 'get', [
		{
			name: 'Create',
			value: 'create',
			description: 'Create a record for each item',
			action: 'Create records',
		},
		{
			name: 'Delete',
			value: 'delete',
			description: 'Delete records by ID',
			action: 'Delete records',
		},
		{ name: 'Get', value: 'get', description: 'Get a record by ID', action: 'Get a record' },
		{
			name: 'Get Many',
			value: 'getAll',
			description: 'Get the records that meet conditions',
			action: 'Get many records',
		},
		{
			name: 'Update',
			value: 'update',
			description: 'Update records by ID',
			action: 'Update records',
		},
		{
			name: 'Create or Update',
			value: 'upsert',
			description: 'Create a new record, or update the current one if it already exists (upsert)',
			action: 'Create or update records',
		},
	]),
	operationsOf('file', 'upload', [
		{
			name: 'Download',
			value: 'download',
			description: 'Download a file into a binary field',
			action: 'Download a file',
		},
		{
			name: 'Get Many',
			value: 'getAll',
			description: 'List the files of a record',
			action: 'Get many files of a record',
		},
		{
			name: 'Upload',
			value: 'upload',
			description: 'Upload a binary file as a Salesforce File, optionally linked to a record',
			action: 'Upload a file',
		},
	]),
	operationsOf('apiRequest', 'send', [
		{
			name: 'Send',
			value: 'send',
			description: 'Send a request to any REST path of the instance',
			action: 'Send an API request',
		},
	]),
	...getAccessToken.description,
	...soql.description,
	sobjectLocator,
	recordIdField,
	...get.description,
	...getAll.description,
	...create.description,
	...update.description,
	...upsert.description,
	writeOptions,
	writeOptionsWithApi,
	...send.description,
	...fileUpload.description,
	...fileDownload.description,
	...fileGetAll.description,
];

const OPERATION_NAMES: Record<string, string> = {
	getAccessToken: 'Get Access Token',
	soql: 'Run SOQL',
	get: 'Get',
	getAll: 'Get Many',
	create: 'Create',
	update: 'Update',
	upsert: 'Create or Update',
	delete: 'Delete',
	send: 'Send',
	upload: 'Upload',
	download: 'Download',
};

/** Shown under the node's name on the canvas. */
export const subtitle = `={{ (${JSON.stringify(OPERATION_NAMES)})[$parameter["operation"]] ?? $parameter["operation"] }}`;
