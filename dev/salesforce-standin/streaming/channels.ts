import type { ObjectDef } from '../rest/schema';
import type { StandinUser } from '../types';
import type { BusEvent } from './eventBus';
import { CHANGE_EVENT_STREAM, changeEventName } from './changeEvents';
import { FAULTS } from './bayeux';

/**
 * Which stream a subscription channel reads, and who may subscribe. Channel names are
 * case-sensitive ("The platform event channel name is case-sensitive").
 *
 * - /data/ChangeEvents: every selected object. Anyone may subscribe; events of objects the user may
 *   not see are left out on delivery, as of the subscription ("For CometD subscribers, the changes
 *   aren't enforced until you restart the subscription" — Required Permissions for Change Event
 *   Subscribers).
 * - /data/<Object>ChangeEvent (custom: /data/<Name>__ChangeEvent): one selected object; without
 *   View All Records on it "the subscription is denied and an error is returned".
 * - /event/<Name>__e: a platform event; a user without Read on it is refused (Restricted channel).
 * - Anything else (PushTopics /topic/…, generic /u/…, custom channels …__chn: the stand-in's org
 *   has none, and a CDC channel of an unselected object) does not exist: "Ensure that the channel
 *   is created before subscribing" — selecting the object in Setup is what creates its channel
 *   (the docs name no separate error for an unselected object).
 */

export interface ChannelTarget {
	stream: string;
	accepts(event: BusEvent): boolean;
}

export interface ChannelContext {
	objects: readonly ObjectDef[];
	isSelected(objectName: string): boolean;
	user: StandinUser;
}

const ALL_CHANGES = '/data/ChangeEvents';

function changeEventObject(context: ChannelContext, channel: string): ObjectDef | undefined {
	const match = /^\/data\/(\w+)ChangeEvent$/.exec(channel);
	if (!match) return undefined;
	return context.objects.find(
		(object) =>
			!object.platformEvent &&
			changeEventName(object.name) === `${match[1]}ChangeEvent` &&
			context.isSelected(object.name),
	);
}

export function resolveChannel(
	context: ChannelContext,
	channel: unknown,
): ChannelTarget | { error: string } {
	if (typeof channel !== 'string' || channel === '') return { error: FAULTS.channelNotSpecified };
	if (!channel.startsWith('/')) return { error: FAULTS.leadingSlash };
	const denied = new Set(context.user.withoutEventAccess ?? []);

	if (channel === ALL_CHANGES)
		return { stream: CHANGE_EVENT_STREAM, accepts: (event) => !denied.has(event.entity) };
	const changed = changeEventObject(context, channel);
	if (changed) {
		if (denied.has(changed.name)) return { error: FAULTS.changeEventsDenied };
		return { stream: CHANGE_EVENT_STREAM, accepts: (event) => event.entity === changed.name };
	}
	const event = /^\/event\/(\w+__e)$/.exec(channel)?.[1];
	const platformEvent = context.objects.find(
		(object) => object.platformEvent && object.name === event,
	);
	if (platformEvent) {
		if (denied.has(platformEvent.name)) return { error: FAULTS.restrictedChannel };
		return { stream: platformEvent.name, accepts: () => true };
	}
	return { error: FAULTS.noSuchChannel(channel) };
}
