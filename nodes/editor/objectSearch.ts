/**
 * The searchable object list behind an Object picker (resource locator, mode "From List"), for
 * every node that works on the org's objects. Which objects a node offers is the node's to say — the
 * Action node's depend on its operation, a trigger's are the queryable ones — so each node builds
 * its search from a rule: `objectSearch((context) => (object) => …)`.
 */
import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';
import { connect, describeGlobal } from '../client';
import type { ObjectSummary } from '../salesforce';

/** Which objects to offer, given the node's current parameters. */
export type ObjectRule = (context: ILoadOptionsFunctions) => (object: ObjectSummary) => boolean;

/** Objects whose records can be read (SOQL): what a trigger or any read offers. */
export const queryableObjects: ObjectRule = () => (object) => object.queryable;

/** A listSearch method: the objects the rule offers whose name or label holds the text typed, by label. */
export function objectSearch(offered: ObjectRule) {
	return async function searchObjects(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
		const wanted = (filter ?? '').trim().toLowerCase();
		const offers = offered(this);
		const objects = (await describeGlobal(connect(this))).filter(
			(object) => offers(object) && (wanted === '' || object.name.toLowerCase().includes(wanted) || object.label.toLowerCase().includes(wanted)),
		);
		return {
			results: objects
				.map((object) => ({ name: `${object.label} (${object.name})`, value: object.name }))
				.sort((a, b) => a.name.localeCompare(b.name)),
		};
	};
}
