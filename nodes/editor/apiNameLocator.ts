/**
 * The picker of an object by API name (a resource locator): "From List" searches the org's objects
 * through the node's listSearch method, "By API Name" takes a typed name the editor checks by the
 * core's own rule, so it refuses exactly the names a run would refuse. The Action node's Object and
 * the event trigger's Object and Event are all this picker.
 */
import type { INodeProperties } from 'n8n-workflow';
import { API_NAME_EDITOR_PATTERN } from '../salesforce';

export interface ApiNameLocator {
	displayName: string;
	name: string;
	description: string;
	/** The node's listSearch method behind "From List". */
	searchListMethod: string;
	/** Two API names for the placeholder and the error, e.g. ['Account', 'Invoice__c']. */
	examples: [string, string];
	displayOptions?: INodeProperties['displayOptions'];
}

export function apiNameLocator(locator: ApiNameLocator): INodeProperties {
	const [first, second] = locator.examples;
	return {
		displayName: locator.displayName,
		name: locator.name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: locator.description,
		...(locator.displayOptions ? { displayOptions: locator.displayOptions } : {}),
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: locator.searchListMethod, searchable: true },
			},
			{
				displayName: 'By API Name',
				name: 'name',
				type: 'string',
				placeholder: `e.g. ${first} or ${second}`,
				validation: [
					{
						type: 'regex',
						properties: {
							regex: API_NAME_EDITOR_PATTERN,
							errorMessage: `An API name like ${first} or ${second}: a letter first, then letters, digits and single underscores, no underscore at the end`,
						},
					},
				],
			},
		],
	};
}
