import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	INodeType,
	INodeTypeDescription,
	ITriggerFunctions,
	ITriggerResponse,
} from 'n8n-workflow';
import { CREDENTIAL_TYPE } from '../client';
import { toNodeError } from '../n8n';
import { properties, readSettings, subtitle } from './description';
import { listSearch } from './methods';
import { EventSubscription } from './subscription';

/**
 * Starts a workflow for every event Salesforce pushes over its Streaming API (CometD long polling,
 * no extra library): the changes of an object (Change Data Capture), a Platform Event, or any
 * channel. description.ts holds the parameters, subscription.ts hands the events to n8n over the
 * core's session (../salesforce/streaming), methods.ts feeds the editor's lists.
 */
export class SalesforceEventTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Salesforce Event Trigger',
		name: 'salesforceEventTrigger',
		icon: {
			light: 'file:../../icons/salesforce.svg',
			dark: 'file:../../icons/salesforce.dark.svg',
		},
		group: ['trigger'],
		version: 1,
		subtitle,
		description:
			'Starts the workflow as Salesforce records change (Change Data Capture) or Platform Events are published, pushed as they happen, none lost across restarts',
		eventTriggerDescription: 'Waiting for the next Salesforce event',
		activationMessage:
			'Events published in Salesforce from now on start the workflow, one execution each, in order.',
		defaults: { name: 'Salesforce Event Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		properties,
	};

	methods = { listSearch };

	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		let subscription: EventSubscription;
		try {
			subscription = new EventSubscription(this, readSettings(this));
		} catch (error) {
			throw toNodeError(this.getNode(), error);
		}
		await subscription.establish();
		const closeFunction = async () => await subscription.close();
		if (this.getMode() === 'manual')
			return {
				closeFunction,
				manualTriggerFunction: async () => await subscription.untilFirstEvent(),
			};
		subscription.start();
		return { closeFunction };
	}
}
