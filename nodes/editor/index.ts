/**
 * The editor's dynamic lists that every node working on the org's objects shares: the object search
 * (and the API-name picker it feeds) and the field lists, and the parameters that use them (the
 * Object picker, the Conditions). They ask Salesforce through the client (../client), so they sit
 * above it — while ../n8n sits below it (the client throws its errors through it); a node hands the
 * lists to n8n in its `methods`. What only one node lists (the Action's resource-mapper schema) stays
 * there.
 */
export {
	changeEventObjects,
	objectSearch,
	platformEvents,
	queryableObjects,
	replicateableObjects,
} from './objectSearch';
export type { ObjectRule } from './objectSearch';
export { chosenObject, fieldOptions, getFields } from './fields';
export { apiNameLocator } from './apiNameLocator';
export type { ApiNameLocator } from './apiNameLocator';
export {
	comparesValues,
	conditionsParameter,
	readConditions,
	readFieldList,
} from './recordParameters';
