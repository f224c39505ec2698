/**
 * The trigger's parameters. Names and values are stored in saved workflows (public interface): a
 * default never moves. n8n adds its standard Poll Times parameter (`pollTimes`) to every polling node.
 */
import type { INodeProperties } from 'n8n-workflow';
import { apiNameLocator, conditionsParameter } from '../editor';
import type { WatchLabels } from '../salesforce';

const EVENTS = {
	created: 'Created',
	createdOrUpdated: 'Created or Updated',
	updated: 'Updated',
	deleted: 'Deleted',
} as const;

export const properties: INodeProperties[] = [
	{
		displayName: 'Event',
		name: 'event',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Record Created',
				value: 'created',
				description: 'A new record (followed by its CreatedDate)',
			},
			{
				name: 'Record Created or Updated',
				value: 'createdOrUpdated',
				description:
					"A new record, or a change to one: each change once, in the record's latest state",
			},
			{
				name: 'Record Updated',
				value: 'updated',
				description:
					'A change to a record after its creation, also when it was created and changed between two polls',
			},
			{
				name: 'Record Deleted',
				value: 'deleted',
				description:
					'A record deleted (into the Recycle Bin, or for good): its ID, the deletion time and what the Recycle Bin still holds',
			},
		],
		default: 'created',
	},
	apiNameLocator({
		displayName: 'Object',
		name: 'sobject',
		description:
			'The object whose records to watch, standard or custom. The list offers the objects whose changes Salesforce reports.',
		searchListMethod: 'searchObjects',
		examples: ['Account', 'Invoice__c'],
	}),
	{
		displayName: 'Field Names or IDs',
		name: 'fields',
		type: 'multiOptions',
		typeOptions: { loadOptionsMethod: 'getFields', loadOptionsDependsOn: ['sobject.value'] },
		default: [],
		description:
			'The fields each output record holds; none chosen outputs every field the API user can read. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	conditionsParameter({
		description:
			'Only records meeting all of these conditions when the poll reads the change trigger the workflow (a deleted record: as the Recycle Bin holds it)',
	}),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: { show: { event: ['createdOrUpdated', 'updated'] } },
		options: [
			{
				displayName: 'Timestamp Field',
				name: 'timestampField',
				type: 'options',
				options: [
					{
						name: 'System Modstamp',
						value: 'SystemModstamp',
						description: 'Every change: by users, and by automation, flows and integrations',
					},
					{
						name: 'Last Modified Date',
						value: 'LastModifiedDate',
						description: 'Changes made by users only',
					},
				],
				default: 'SystemModstamp',
				description: 'Which audit field dates a change, and so which changes count',
			},
		],
	},
];

/** How the editor labels the parameters, for the core's errors. */
export const labels: Partial<WatchLabels> = {
	event: 'Event',
	sobject: 'Object',
	fields: 'Field Names or IDs',
	conditions: 'Conditions',
	timestampField: 'Timestamp Field',
};

/** Shown under the node's name on the canvas: "Created: Account". */
export const subtitle = `={{ ((${JSON.stringify(EVENTS)})[$parameter["event"]] ?? $parameter["event"]) + ": " + ($parameter["sobject"].value || "…") }}`;
