/**
 * The searchable object list behind an Object picker (resource locator, mode "From List"), for
 * every node that works on the org's objects. Which objects a node offers is the node's to say — the
 * Action node's depend on its operation, the polling trigger's are the replicateable ones, the event
 * trigger's those with change events and the org's platform events — so each node builds its search
 * from a rule: `objectSearch((context) => (object, objects) => …)`.
 */
import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';
import { connect, describeGlobal } from '../client';
import { isPlatformEvent, objectsWithChangeEvents, type ObjectSummary } from '../salesforce';

/** Which objects to offer, given the node's current parameters; `objects` is the whole describe global. */
export type ObjectRule = (
	context: ILoadOptionsFunctions,
) => (object: ObjectSummary, objects: readonly ObjectSummary[]) => boolean;

/** Objects whose records can be read (SOQL): what any read offers. */
export const queryableObjects: ObjectRule = () => (object) => object.queryable;

/**
 * Objects whose changes Salesforce reports (getUpdated, getDeleted — "replicateable" in describe) and
 * whose records can be read: what the polling trigger offers. An org's answer without the flag
 * (none known) falls back to queryable.
 */
export const replicateableObjects: ObjectRule = () => (object) =>
	object.queryable && (object.replicateable ?? true);

/**
 * Objects Change Data Capture can report: those describe global lists a change event entity for
 * (selected in Setup or not: subscribing tells). Should describe list none, every queryable object.
 */
export const changeEventObjects: ObjectRule = () => {
	let withChangeEvents: Set<string> | undefined;
	return (object, objects) => {
		withChangeEvents ??= new Set(objectsWithChangeEvents(objects).map((parent) => parent.name));
		return withChangeEvents.size > 0 ? withChangeEvents.has(object.name) : object.queryable;
	};
};

/** The org's own Platform Events (API names ending in __e). */
export const platformEvents: ObjectRule = () => (object) => isPlatformEvent(object);

/** A listSearch method: the objects the rule offers whose name or label holds the text typed, by label. */
export function objectSearch(offered: ObjectRule) {
	return async function searchObjects(
		this: ILoadOptionsFunctions,
		filter?: string,
	): Promise<INodeListSearchResult> {
		const wanted = (filter ?? '').trim().toLowerCase();
		const offers = offered(this);
		const all = await describeGlobal(connect(this));
		const objects = all.filter(
			(object) =>
				offers(object, all) &&
				(wanted === '' ||
					object.name.toLowerCase().includes(wanted) ||
					object.label.toLowerCase().includes(wanted)),
		);
		return {
			results: objects
				.map((object) => ({ name: `${object.label} (${object.name})`, value: object.name }))
				.sort((a, b) => a.name.localeCompare(b.name)),
		};
	};
}
