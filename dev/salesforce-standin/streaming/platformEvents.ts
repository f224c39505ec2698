import { randomUUID } from 'node:crypto';
import type { ObjectDef, StoredRecord } from '../rest/schema';
import type { BusEvent, EventBus } from './eventBus';
import { eventValue, schemaId } from './eventValues';

/**
 * Platform events (Platform Events Developer Guide, "Subscribe to Platform Event Notifications
 * with CometD"): an inserted `__e` record is published on its own stream and delivered on
 * /event/<Name>__e as `{schema, payload: {CreatedDate, CreatedById, <fields>}, event: {replayId,
 * EventUuid}}`. ReplayId and EventUuid are the bus's, not fields of the payload; the save result's
 * Id is not delivered at all.
 */

const NOT_IN_PAYLOAD = new Set(['Id', 'EventUuid', 'ReplayId']);

export class PlatformEvents {
	constructor(private readonly bus: EventBus) {}

	publish(object: ObjectDef, record: StoredRecord): BusEvent {
		const payload: Record<string, unknown> = {};
		for (const field of object.fields) {
			if (!NOT_IN_PAYLOAD.has(field.name))
				payload[field.name] = eventValue(field, record[field.name] ?? null);
		}
		return this.bus.publish({
			stream: object.name,
			entity: object.name,
			schema: schemaId(object.name),
			payload,
			eventUuid: randomUUID(),
		});
	}
}
