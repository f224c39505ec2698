/**
 * The trigger's parameters (names and values are stored in saved workflows: public interface) and
 * how they are read at activation: the channel, where a first activation starts, the options.
 */
import type { INodeProperties, ITriggerFunctions } from 'n8n-workflow';
import { apiNameLocator } from '../editor';
import {
	invalidChannelParameter,
	resolveChannel,
	SETUP_PAGES,
	type ChannelChoice,
	type ReplayFrom,
	type StreamingChannel,
} from '../salesforce';

const SOURCE_LABELS = {
	changeEvents: 'Change Data Capture',
	platformEvent: 'Platform Event',
	channel: 'Channel',
};

export const properties: INodeProperties[] = [
	{
		displayName: 'Source',
		name: 'source',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: SOURCE_LABELS.changeEvents,
				value: 'changeEvents',
				description: "Every committed create, update, delete and undelete of an object's records",
			},
			{
				name: SOURCE_LABELS.platformEvent,
				value: 'platformEvent',
				description:
					'A business event the org publishes, e.g. Order_Shipped__e from a Flow or Apex',
			},
			{
				name: SOURCE_LABELS.channel,
				value: 'channel',
				description: 'Any Streaming API channel, typed as its path',
			},
		],
		default: 'changeEvents',
	},
	{
		displayName: 'Objects',
		name: 'objects',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'One Object',
				value: 'one',
				description: 'The changes of the object chosen below (/data/&lt;Object&gt;ChangeEvent)',
			},
			{
				name: 'Every Selected Object',
				value: 'allSelected',
				description: `The changes of every object selected in ${SETUP_PAGES.changeDataCapture} (/data/ChangeEvents)`,
			},
		],
		default: 'one',
		displayOptions: { show: { source: ['changeEvents'] } },
	},
	apiNameLocator({
		displayName: 'Object',
		name: 'sobject',
		description:
			'The object whose changes start the workflow (it must be selected for Change Data Capture)',
		searchListMethod: 'searchChangeEventObjects',
		examples: ['Account', 'Invoice__c'],
		displayOptions: { show: { source: ['changeEvents'], objects: ['one'] } },
	}),
	{
		displayName: `Salesforce delivers the changes of objects selected in ${SETUP_PAGES.changeDataCapture} (Selected Entities) only`,
		name: 'changeDataCaptureNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { source: ['changeEvents'] } },
	},
	apiNameLocator({
		displayName: 'Event',
		name: 'eventName',
		description: `The Platform Event whose messages start the workflow (${SETUP_PAGES.platformEvents} lists them)`,
		searchListMethod: 'searchPlatformEvents',
		examples: ['Order_Shipped__e', 'Invoice_Paid__e'],
		displayOptions: { show: { source: ['platformEvent'] } },
	}),
	{
		displayName: 'Channel',
		name: 'channel',
		type: 'string',
		default: '',
		required: true,
		placeholder: '/data/AccountChangeEvent',
		description:
			'The channel path, case-sensitive: /data/ChangeEvents, /data/&lt;Object&gt;ChangeEvent (custom objects /data/&lt;Name&gt;__ChangeEvent), /event/&lt;Event&gt;__e, a custom channel /data/&lt;Name&gt;__chn or /event/&lt;Name&gt;__chn, or a PushTopic /topic/&lt;Name&gt;',
		displayOptions: { show: { source: ['channel'] } },
	},
	{
		displayName: 'Replay From',
		name: 'replayFrom',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'New Events',
				value: 'new',
				description: 'Only events published after the workflow is activated',
			},
			{
				name: 'All Retained Events',
				value: 'allRetained',
				description: 'Every event Salesforce still holds (up to 72 hours back), then new ones',
			},
		],
		default: 'new',
		description:
			'Where the first activation starts. Afterwards the trigger always resumes after the last event it delivered — also after n8n restarts or the workflow is deactivated for a while (within the 72 hours Salesforce keeps events).',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: { show: { source: ['changeEvents', 'channel'] } },
		options: [
			{
				displayName: 'Fetch Full Records',
				name: 'fetchFullRecords',
				type: 'boolean',
				default: false,
				description:
					'Whether to add each changed record as it is now (every field) in "records". A change event carries only the fields that changed, and gap events none: this reads them, 200 records per API request (sObject Collections). Deleted records have none.',
			},
		],
	},
];

/** Shown under the node's name on the canvas. */
export const subtitle = `={{ $parameter["source"] === "channel" ? $parameter["channel"] : (${JSON.stringify(SOURCE_LABELS)})[$parameter["source"]] }}`;

export interface TriggerSettings {
	channel: StreamingChannel;
	replayFrom: ReplayFrom;
	fetchFullRecords: boolean;
}

/** What the user chose, as the core takes it. */
function channelChoice(context: ITriggerFunctions): ChannelChoice {
	const source = context.getNodeParameter('source', 'changeEvents') as string;
	if (source === 'changeEvents') {
		if (context.getNodeParameter('objects', 'one') === 'allSelected')
			return { source, allSelectedObjects: true };
		return { source, object: context.getNodeParameter('sobject', '', { extractValue: true }) };
	}
	if (source === 'platformEvent')
		return { source, eventName: context.getNodeParameter('eventName', '', { extractValue: true }) };
	if (source === 'channel') return { source, channel: context.getNodeParameter('channel', '') };
	return { source } as unknown as ChannelChoice;
}

/** The settings of this activation, checked; refused input throws the core's error, naming the parameter. */
export function readSettings(context: ITriggerFunctions): TriggerSettings {
	const channel = resolveChannel(channelChoice(context), {
		object: 'Object',
		eventName: 'Event',
		channel: 'Channel',
	});
	const replayFrom = context.getNodeParameter('replayFrom', 'new') as string;
	if (replayFrom !== 'new' && replayFrom !== 'allRetained') {
		throw invalidChannelParameter(
			'Replay From',
			`"${String(replayFrom)}" is not a starting point`,
			'Choose New Events or All Retained Events.',
		);
	}
	const options = context.getNodeParameter('options', {}) as { fetchFullRecords?: boolean };
	return {
		channel,
		replayFrom,
		fetchFullRecords: options.fetchFullRecords === true && channel.kind === 'changeEvents',
	};
}
