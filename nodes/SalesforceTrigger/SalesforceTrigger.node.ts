import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { CREDENTIAL_TYPE } from '../client';
import { properties, subtitle } from './description';
import { listSearch, loadOptions } from './methods';
import { pollChanges } from './poll';

/**
 * Starts the workflow for every new, changed or deleted record of an object on the chosen
 * environment, exactly once, polling on n8n's schedule. What to watch is read in watch.ts, the poll
 * fitted to n8n in poll.ts; the change detection itself is the core's (../salesforce/changes).
 */
export class SalesforceTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Salesforce Trigger',
		name: 'salesforceTrigger',
		icon: {
			light: 'file:../../icons/salesforce.svg',
			dark: 'file:../../icons/salesforce.dark.svg',
		},
		group: ['trigger'],
		version: 1,
		subtitle,
		description:
			'Starts the workflow when records of any object are created, changed or deleted on the chosen environment: each change once',
		defaults: { name: 'Salesforce Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		properties,
	};

	methods = { listSearch, loadOptions };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollChanges.call(this);
	}
}
